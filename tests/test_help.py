"""Every command's ``--help``: a one-line purpose, then examples that really parse."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from kbtool.cli import COMMANDS as COMMANDS_TABLE
from kbtool.cli import cli
from kbtool.commands.help import HEADING

Kb = Callable[..., tuple[int, str, str]]
# the group imports a command when it is looked up (see kbtool.cli.LazyGroup)
_CTX = click.Context(cli)
COMMANDS = cli.list_commands(_CTX)


def _command(name: str) -> click.Command:
    command = cli.get_command(_CTX, name)
    assert command is not None, name
    return command


def test_every_command_module_is_registered_under_its_own_name() -> None:
    import kbtool.commands

    folder = Path(kbtool.commands.__file__).parent
    modules = {
        p.stem for p in folder.glob("*.py") if "@click.command(" in p.read_text(encoding="utf-8")
    }
    assert modules == {target.split(":")[0].rsplit(".", 1)[1] for target in COMMANDS_TABLE.values()}
    for name in COMMANDS:
        assert _command(name).name == name
    assert set(COMMANDS) == set(COMMANDS_TABLE)


def _examples(help_text: str) -> list[str]:
    after = help_text.split(HEADING, 1)[1]
    return [line.strip() for line in after.splitlines() if line.strip().startswith("kbtool")]


def test_every_command_is_listed_with_its_purpose(kb: Kb) -> None:
    code, out, _ = kb("--help")
    assert code == 0
    listed = out.split("Commands:", 1)[1]
    for name in COMMANDS:
        purpose = (_command(name).help or "").split("\n")[0].rstrip(".")
        assert f"  {name}  " in listed or f"  {name} " in listed, name
        assert purpose[:30] in listed, f"{name}: its purpose is not in the command list"
    # the exit codes are explained once, after the commands, not as the description
    assert out.count("Exit codes:") == 1
    assert out.index("Commands:") < out.index("Exit codes:")


@pytest.mark.parametrize("name", COMMANDS)
def test_help_shows_examples_that_parse(
    name: str, kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = kb(name, "--help")
    assert code == 0
    assert HEADING in out, f"`kbtool {name} --help` has no examples"
    examples = _examples(out)
    assert examples, out
    monkeypatch.chdir(tmp_path)
    command = _command(name)
    for example in examples:
        words = shlex.split(example.split(" | ")[0].split(" > ")[0])
        assert words[:2] == ["kbtool", name], example
        for word in words[2:]:  # the files an example names exist in the user's world
            if not word.startswith("-") and ("/" in word or "." in word):
                path = tmp_path / word
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    if path.suffix:
                        path.touch()
                    else:
                        path.mkdir()
        try:
            command.make_context(name, words[2:])
        except click.UsageError as error:
            pytest.fail(f"`{example}` does not parse: {error.format_message()}")


def test_choices_are_checked_with_the_choices_in_the_message(kb: Kb) -> None:
    code, _, err = kb("export", "json", "--status", "done")
    assert code == 2
    assert "'done' is not one of 'answered', 'draft'" in err


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a new interpreter: nothing imported by earlier tests."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_a_mistyped_command_is_answered_with_the_close_names() -> None:
    # the commands are imported on first use; the suggestion still knows them all
    for typed, meant in (("lnt", "lint"), ("exprot", "export")):
        done = _fresh(f"from kbtool.cli import run; raise SystemExit(run([{typed!r}]))")
        assert done.returncode == 2
        assert f"No such command '{typed}'. Did you mean '{meant}'?" in done.stderr


def test_a_command_imports_no_other_command() -> None:
    done = _fresh(
        "import sys; from kbtool.cli import run; run(['lint', '--help']); "
        "print(sorted(m for m in sys.modules if m.startswith('kbtool.commands.')))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "['kbtool.commands.help', 'kbtool.commands.lint', 'kbtool.commands.options']"
    )
