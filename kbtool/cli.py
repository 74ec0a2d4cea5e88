"""The command line: parse options, call the core, turn results into output and exit codes.

Nothing here knows how a stage works. Errors from the core arrive as typed
exceptions and become one message in exactly one place, :func:`main`; any other
exception is a bug: a short message on stderr, the traceback in a log file, exit 3.
Core modules are imported inside the commands so that start-up stays short (the
linter runs as a pre-commit hook).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from kbtool import __version__
from kbtool.errors import ExitCode, KbError

EXIT_CODES = """Exit codes: 0 ok; 1 findings (lint errors, stale schemas, an edited entry
import left alone); 2 usage or input error (a message names the file, the line and
a fix); 3 internal error (a bug: a short message, the traceback in
~/.cache/kbtool/crash.log); 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), with no
temporary file or child process left behind."""


class LazyGroup(click.Group):
    """A group whose commands are imported when one is looked up, not at start-up.

    ``kbtool lint FILE`` (the pre-commit hook) then imports the lint command alone;
    ``kbtool --help`` imports them all to show each one's purpose.
    """

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # command name -> "module:attribute" of its click command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            from kbtool.lazy import load_object

            self.add_command(load_object(self.lazy[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and args[0] not in self.lazy:
            # an unknown name: click suggests the close ones among the loaded commands
            for name in self.lazy:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


# Each command lives in kbtool/commands/<module>.py as ``command`` (click definitions
# only: the core is imported when the command runs).
COMMANDS = {
    name: f"kbtool.commands.{module}:command"
    for name, module in (
        ("new", "new"),
        ("import", "import_"),
        ("lint", "lint"),
        ("rules", "rules"),
        ("rule", "rule"),
        ("export", "export"),
        ("stats", "stats"),
        ("schema", "schema"),
    )
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES + "\n\nRun `kbtool COMMAND --help` for a command's options and examples.",
)
@click.version_option(__version__, "--version", "-V", prog_name="kbtool")
def cli() -> None:
    """Turn interview-prep notes into a checked knowledge base; print, drill and ship it."""


def crash_log_path() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    folder = Path(cache) / "kbtool"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        import tempfile

        folder = Path(tempfile.gettempdir())
    return folder / "crash.log"


def main(argv: list[str] | None = None) -> None:
    """Entry point: the one place where errors become messages and exit codes.

    Ctrl-C and SIGTERM stop the programs kbtool runs and unwind the command, so its
    temporary files go (see :mod:`kbtool.children`).
    """
    from kbtool import children

    children.install()
    code = run(argv)
    # What kbtool writes is written and closed when run() returns (pools joined, the
    # writer process waited for); only the standard streams may hold buffered text.
    # Leaving without the interpreter's teardown, which frees every object one by one,
    # saves about a tenth of a pre-commit lint run (as mypy does).
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say
            stream.flush()
    os._exit(code)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code (tests call this)."""
    try:
        code = cli.main(args=argv, prog_name="kbtool", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return ExitCode.USAGE
    except click.exceptions.Abort as exc:  # click's name for Ctrl-C (and EOF at a prompt)
        if isinstance(exc.__cause__, KeyboardInterrupt):
            return _interrupted(exc.__cause__)
        click.echo("aborted", err=True)
        return ExitCode.USAGE
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except KbError as exc:
        click.echo(f"kbtool: {exc}", err=True)
        return int(exc.exit_code)
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except OSError as exc:
        from kbtool.errors import environment_error

        error = environment_error(exc)
        if error is None:
            return _internal_error()
        click.echo(f"kbtool: {error}", err=True)
        return int(error.exit_code)
    except Exception:  # a bug: keep the user's terminal clean, keep the details
        return _internal_error()
    return int(code or 0)


def _interrupted(exc: KeyboardInterrupt) -> int:
    """Ctrl-C (exit 130) or SIGTERM (exit 143, see :mod:`kbtool.children`): by now every
    ``finally`` has run, so no temporary file is left."""
    from kbtool.children import Terminated

    terminated = isinstance(exc, Terminated)
    click.echo(f"kbtool: {'terminated' if terminated else 'interrupted'}", err=True)
    return 143 if terminated else 130


def _internal_error() -> int:
    """A bug: a short message for the user, the traceback in the crash log."""
    log = crash_log_path()
    try:
        import traceback

        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"the traceback is in {log}"
    except OSError:
        where = "the traceback could not be saved"
    kind = sys.exc_info()[0]
    click.echo(
        f"kbtool: internal error ({kind.__name__ if kind else 'unknown'}); "
        f"{where}. Please report it.",
        err=True,
    )
    return ExitCode.INTERNAL
