"""Settings of a wrong type are configuration errors: exit 2, the file and the key.

Each ``tests/fixtures/config/<case>.<file name>`` is written as that file
(``pyproject.toml`` or ``kbtool.toml``) into a fresh project with a one-entry base
and a Markdown source; every ``# run:`` line is a command run there, and each must
print every ``# expect:`` line on stderr with exit 2 (never an internal error), and
write nothing. A case without ``# expect:`` lines must run cleanly.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
CASES = sorted((FIXTURES / "config").glob("*.toml"))
SOURCE = FIXTURES / "import" / "markdown" / "atx-en.md"


def _lines(text: str, prefix: str) -> list[str]:
    return [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]


def _project(root: Path, case: Path) -> tuple[list[list[str]], list[str]]:
    """The case's config file, a base in notes/ and src.md; its commands and messages."""
    text = case.read_text("utf-8")
    entry = root / "notes" / "ml" / "dropout.md"
    entry.parent.mkdir(parents=True)
    entry.write_text(
        "---\nid: dropout\nkind: question\ntitle: What is dropout?\ntopic: ml\nlang: en\n"
        "status: answered\nsource: {kind: manual}\ncreated: 2024-05-01\nupdated: 2024-05-01\n"
        "---\n\nRandomly zeroing activations while training.\n",
        "utf-8",
    )
    shutil.copy(SOURCE, root / "src.md")
    (root / case.name.split(".", 1)[1]).write_text(text, "utf-8")
    return [shlex.split(run) for run in _lines(text, "# run: ")], _lines(text, "# expect: ")


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_config_value_case(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: Runner
) -> None:
    commands, expected = _project(tmp_path, case)
    assert commands, "a case names at least one command"
    monkeypatch.chdir(tmp_path)
    for args in commands:
        before = _files(tmp_path)
        code, _out, err = kb(*args)
        assert "Traceback" not in err and "internal error" not in err
        if not expected:
            assert code == 0, err
            continue
        assert code == 2, f"{args}: {err}"
        assert err.startswith("kbtool: "), err
        for message in expected:
            assert message in err, f"{args}: {err}"
        assert _files(tmp_path) == before, "a configuration error writes nothing"
