"""Re-import never takes what a person wrote: a YAML comment added to an entry (which
the entry's data, and so its digest, cannot see) makes it edited, and an entry the
``exclude`` setting leaves out is never replaced by a new one with its name."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
SOURCE = FIXTURES / "attack" / "edits" / "source.md"
ENTRY = Path("kb/general/what-is-a-tensor.md")


@pytest.fixture
def imported(kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    shutil.copy(SOURCE, "source.md")
    code, _out, err = kb("import", "source.md", "--notes", "kb", "--format", "qa-markdown")
    assert code == 0, err
    return tmp_path


def _change_source() -> None:
    text = Path("source.md").read_text("utf-8")
    Path("source.md").write_text(text.replace("array.", "array of numbers."), "utf-8")


def test_a_yaml_comment_makes_an_entry_edited(kb: Runner, imported: Path) -> None:
    text = ENTRY.read_text("utf-8").replace("title:", "# checked with the lecturer\ntitle:", 1)
    ENTRY.write_text(text, "utf-8")
    _change_source()
    code, _out, err = kb("import", "source.md", "--notes", "kb", "--format", "qa-markdown")
    assert code == 1 and f"conflict: {ENTRY.as_posix()}" in err
    assert ENTRY.read_text("utf-8") == text


def test_an_excluded_entry_is_never_replaced(kb: Runner, imported: Path) -> None:
    text = ENTRY.read_text("utf-8").replace("A multi", "My own words: a multi")
    ENTRY.write_text(text, "utf-8")
    Path("kbtool.toml").write_text(
        'notes = "kb"\nexclude = ["general/what-is-a-tensor.md"]\n', "utf-8"
    )
    _change_source()
    code, _out, err = kb("import", "source.md", "--format", "qa-markdown")
    assert code == 0, err
    assert ENTRY.read_text("utf-8") == text
    assert (imported / "kb" / "general" / "what-is-a-tensor-2.md").is_file()
