"""The command line: parse options, call the core, turn results into output and exit codes.

Nothing here knows how a stage works. Errors from the core arrive as typed
exceptions and become one message in exactly one place, :func:`main`; any other
exception is a bug: a short message on stderr, the traceback in a log file, exit 3.
Core modules are imported inside the commands so that start-up stays short (the
linter runs as a pre-commit hook).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kbtool import __version__
from kbtool.commands.options import load_config, notes_option
from kbtool.errors import ExitCode, KbError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="kbtool")
def cli() -> None:
    """Turn interview-prep notes into a checked knowledge base; print, drill and ship it."""


@cli.command()
@click.argument("title")
@click.option("--topic", "-t", required=True, help="Topic slug: the folder under the base.")
@click.option("--tag", "tags", multiple=True, help="A tag slug (repeatable).")
@click.option(
    "--kind",
    type=click.Choice(["question", "note"]),
    default=None,
    help="Default: question when the title ends with '?', else note.",
)
@notes_option
def new(title: str, topic: str, tags: tuple[str, ...], kind: str | None, notes: Path | None) -> int:
    """Scaffold a draft entry for TITLE under --topic."""
    from kbtool.store.scaffold import new_entry

    cfg = load_config(notes)
    path = new_entry(cfg.notes, title, topic, tags=tags, kind=kind)
    click.echo(f"created {path}")
    return ExitCode.OK


@cli.command()
@click.option("--check", is_flag=True, help="Exit 1 when the checked-in schemas are stale.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write to (default: the project's schema/).",
)
@notes_option
def schema(check: bool, out: Path | None, notes: Path | None) -> int:
    """Write the JSON Schemas generated from the models into schema/."""
    from kbtool import schemas

    target = out or schemas.schema_dir()
    if check:
        stale = schemas.stale(target)
        for name in stale:
            click.echo(
                f"{target / name}: stale; run `kbtool schema` and commit the result", err=True
            )
        return ExitCode.FINDINGS if stale else ExitCode.OK
    for path in schemas.write(target):
        click.echo(f"wrote {path}")
    return ExitCode.OK


@cli.command("rules")
def rules_command() -> int:
    """List the lint rules."""
    from kbtool.lint.rules import RULES

    for code, module in RULES.items():
        summary = (module.__doc__ or "").strip().splitlines()[0]
        click.echo(
            f"{code}  {module.NAME:<22} {module.SEVERITY.value:<8} "
            f"{summary.split(':', 1)[-1].strip()}"
        )
    return ExitCode.OK


@cli.command("rule")
@click.argument("code_or_name")
def rule_command(code_or_name: str) -> int:
    """Explain one lint rule (its documentation)."""
    from kbtool.lint.options import describe
    from kbtool.lint.rules import lookup

    rule = lookup(code_or_name)
    click.echo((rule.__doc__ or "").strip())
    settings = describe(rule.Options, f"[tool.kbtool.lint.{rule.NAME}]")
    if settings:
        click.echo("\n" + settings)
    return ExitCode.OK


def _register_commands() -> None:
    # Each stage's command lives in kbtool/commands/<stage>.py; importing them is cheap
    # (click definitions only: the stage itself is imported when the command runs).
    from kbtool.commands import export, import_, lint, stats

    for module in (import_, lint, export, stats):
        cli.add_command(module.command)


_register_commands()


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
    """Entry point: the one place where errors become messages and exit codes."""
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code (tests call this)."""
    try:
        code = cli.main(args=argv, prog_name="kbtool", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return ExitCode.USAGE
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return ExitCode.USAGE
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except KbError as exc:
        click.echo(f"kbtool: {exc}", err=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
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
