"""Topics from folders: a collection of notes in folders (one card per file under
``statistics/distributions/``) files each entry under the folder it sits in, relative to
the folder named on the command line (``kbtool.importers.entry_decisions.entry_topic``).

Cases: ``tests/fixtures/import/folder-topics/cases.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES

FOLDER = FIXTURES / "import" / "folder-topics"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((FOLDER / "cases.yaml").read_text("utf-8"))
Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str, kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    case = CASES[name]
    code, _out, err = kb("import", FOLDER / case["name"], "--notes", "notes")
    assert code == 0, err
    notes = tmp_path / "notes"
    written = sorted(p.relative_to(notes).as_posix() for p in notes.rglob("*.md"))
    assert written == sorted(case["files"])


def test_the_topic_named_wins_over_the_folder(kb: Runner, tmp_path: Path) -> None:
    """``--topic`` names the topic of everything imported, folders or not."""
    code, _out, err = kb(
        "import", FOLDER / "cards", "--notes", tmp_path / "kb", "--topic", "probability"
    )
    assert code == 0, err
    assert {p.parent.name for p in (tmp_path / "kb").rglob("*.md")} == {"probability"}
