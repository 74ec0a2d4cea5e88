"""Front matter whose first line is more than ``---`` (``---\\``, ``---id: x``) is
reported once, by schema-error at line 1, on real files linted with every rule; the
cases are the files of ``tests/fixtures/lint/front-matter/`` and ``expected.yml``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kbtool.markdown.front_matter import broken_front_matter
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "lint" / "front-matter"
EXPECTED: dict[str, Any] = yaml.safe_load((FOLDER / "expected.yml").read_text(encoding="utf-8"))
Runner = Callable[..., tuple[int, str, str]]


def findings(out: str) -> list[list[object]]:
    """[line, code, severity] of each finding the text format printed."""
    found: list[list[object]] = []
    for row in out.splitlines():
        place, _, rest = row.partition(": ")
        severity, code = rest.split()[:2]
        found.append([int(place.split(":")[1]), code, severity])
    return found


def test_every_fixture_has_an_expectation() -> None:
    files = {p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*.md")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_front_matter_opener(
    name: str, kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "case"
    shutil.copytree(FOLDER, case)
    monkeypatch.chdir(case)
    args = ["--notes", "notes"] if name.startswith("notes/") else []
    code, out, _ = kb("lint", *args, name)
    assert findings(out) == EXPECTED[name]
    assert code == (1 if any(f[2] == "error" for f in EXPECTED[name]) else 0)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_block_ends_at_the_closing_dashes(name: str) -> None:
    text = (FOLDER / name).read_text(encoding="utf-8")
    broken = broken_front_matter(text)
    assert (broken is not None) == bool(EXPECTED[name])
    if broken is not None:
        lines = text.split("\n")
        assert broken.opener == lines[0]
        assert lines[broken.end_line - 1].startswith("---")
        assert not any(line.startswith("---") for line in lines[1 : broken.end_line - 1])
