"""Re-import over an entry a person edited: see the difference, take the source's version.

Fixtures: ``tests/fixtures/import/conflicts/`` (see its README).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.store import entry_file
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
CASE = FIXTURES / "import" / "conflicts"
ENTRY = Path("notes/python/what-is-a-generator.md")
ENTRY_ID = "what-is-a-generator"


def normalized(text: str) -> str:
    text = re.sub(r"sha256:[0-9a-f]{64}", "sha256:<digest>", text)
    return text.replace(dt.date.today().isoformat(), "<today>")


@pytest.fixture
def edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: Runner) -> bytes:
    """An imported base whose generator entry a person edited, and a changed source."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "raw").mkdir()
    shutil.copy(CASE / "before.md", tmp_path / "raw" / "qa.md")
    assert kb("import", "raw", "--notes", "notes")[0] == 0
    with ENTRY.open("a", encoding="utf-8") as entry:
        entry.write((CASE / "edit.md").read_text("utf-8"))
    # the edit alone is no conflict: the source did not change, the edit stands
    code, out, err = kb("import", "raw", "--notes", "notes")
    assert (code, "conflict" in err) == (0, False), err
    assert "2 unchanged" in out
    shutil.copy(CASE / "after.md", tmp_path / "raw" / "qa.md")
    return ENTRY.read_bytes()


def test_conflict_names_both_ways_out_and_leaves_the_entry(kb: Runner, edited: bytes) -> None:
    code, out, err = kb("import", "raw", "--notes", "notes")
    assert code == 1 and "1 conflicts" in out
    assert (
        f"conflict: {ENTRY}: edited since import wrote it, and the source changed; left as it "
        f"is (see the change: --diff; take the source's version: --take-source {ENTRY_ID})"
    ) in err
    assert ENTRY.read_bytes() == edited
    assert not list(ENTRY.parent.glob("*.orig*"))


def test_diff_shows_what_the_source_would_change(kb: Runner, edited: bytes) -> None:
    code, out, _ = kb("import", "raw", "--notes", "notes", "--diff")
    assert code == 1
    assert normalized(out.split("imported 1 source(s)")[0]) == (CASE / "expected.diff").read_text(
        "utf-8"
    )
    assert ENTRY.read_bytes() == edited


def test_take_source_replaces_the_entry_and_keeps_yours(kb: Runner, edited: bytes) -> None:
    code, out, err = kb("import", "raw", "--notes", "notes", "--take-source", ENTRY_ID, "--dry-run")
    assert "would import" in out
    assert code == 0 and "would take the source's version" in err
    assert ENTRY.read_bytes() == edited and not list(ENTRY.parent.glob("*.orig*"))

    code, out, err = kb("import", "raw", "--notes", "notes", "--take-source", ENTRY_ID)
    assert code == 0 and "1 updated" in out and "0 conflicts" in out
    backup = ENTRY.with_name(ENTRY.name + ".orig")
    assert f"took the source's version of {ENTRY}; yours is kept in {backup}" in err
    assert backup.read_bytes() == edited
    doc = entry_file.read(ENTRY)
    assert doc.body == (CASE / "after.md").read_text("utf-8").split("\n")[3].removeprefix("**A:** ")
    assert doc.entry.source.digest == entry_file.digest(doc.entry, doc.body)
    # the backup is not an entry, and the next import finds nothing to do
    assert kb("lint", "--notes", "notes")[0] == 0
    code, out, err = kb("import", "raw", "--notes", "notes")
    assert code == 0 and "2 unchanged" in out and not err


def test_a_second_take_keeps_the_first_backup(kb: Runner, edited: bytes) -> None:
    assert kb("import", "raw", "--notes", "notes", "--take-source", ENTRY_ID)[0] == 0
    ENTRY.write_text(ENTRY.read_text("utf-8") + "\nEdited again.\n", "utf-8")
    again = ENTRY.read_bytes()
    shutil.copy(CASE / "before.md", "raw/qa.md")
    assert kb("import", "raw", "--notes", "notes", "--take-source", ENTRY_ID)[0] == 0
    assert ENTRY.with_name(ENTRY.name + ".orig").read_bytes() == edited
    assert ENTRY.with_name(ENTRY.name + ".orig2").read_bytes() == again


def test_take_source_of_an_id_without_conflict_says_nothing_was_taken(
    kb: Runner, edited: bytes
) -> None:
    code, _, err = kb("import", "raw", "--notes", "notes", "--take-source", "no-such-entry")
    assert code == 1
    assert "warning: --take-source no-such-entry: no entry with this id" in err
    assert ENTRY.read_bytes() == edited
