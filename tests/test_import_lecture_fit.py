"""Which Markdown the lecture importer claims on auto-detect: only notes with signs of
Obsidian or of lectures (``tests/fixtures/import/lecture/fit.yaml``), never a plain
GitHub document for its sections and prose; a note in a vault (``.obsidian/`` above it)
is lecture notes by its folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kbtool.importers import detect, registry
from kbtool.importers.base import ImportOptions
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "import" / "lecture"
CASES: list[dict[str, Any]] = yaml.safe_load((FOLDER / "fit.yaml").read_text("utf-8"))["cases"]


def _lecture_reason(text: str, path: Path) -> str:
    return detect.fit(registry.get("lecture"), text, path).reason


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_fit(case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "notes.md"  # no .obsidian folder above a fresh temporary folder
    importer, why = detect.choose(case["text"], path, "notes.md")
    assert importer.name == case["chosen"], why
    assert case["signal"] in _lecture_reason(case["text"], path)


def test_a_vault_note_is_lecture_notes() -> None:
    path = FOLDER / "vault" / "Course.md"
    text = path.read_text("utf-8")
    importer, why = detect.choose(text, path, str(path))
    assert importer.name == "lecture", why
    assert "Obsidian vault" in why
    alone = _lecture_reason(text, Path("/nonexistent-vault-less/Course.md"))
    assert "no sign of Obsidian" in alone


def test_front_matter_is_read_not_pasted() -> None:
    """With ``--format lecture`` a note's front matter is dropped with its reason; its
    tags go to every note, its aliases and wikilink keys to the first."""
    path = FOLDER / "forced" / "front-matter.md"
    result = registry.get("lecture").parse(path.read_text("utf-8"), path, ImportOptions())
    first, second = result.entries
    assert [first.title, second.title] == ["3 - SGD", "4 - Adam"]
    assert first.tags == ["lectures", "ml", "course"] and second.tags == first.tags
    assert first.aliases == ["Optimizers"] and not second.aliases
    assert "up: [[Deep learning course]]" in first.body
    assert not any("aliases" in e.body or "---" in e.body for e in result.entries)
    (front,) = [d for d in result.dropped if d.units == (1, 2, 3, 4, 5, 6)]
    assert "front matter (keys not used: created)" in front.note
