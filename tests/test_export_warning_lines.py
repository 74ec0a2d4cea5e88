"""A link or picture used on several lines is warned about at each of its lines, the
lines lint names, not each time at its first use.

The fixture (``tests/fixtures/export/repeated-link/``) uses the same missing note on
lines 14, 16 and 21, the same missing picture on 19 and 23, and an empty ``![]()``,
which lint, the study page, Anki and JSON say nothing of (the PDF warned "image  not
found" with no line). A public collection's notes link ``README.md`` on three lines,
and every warning said the first.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "repeated-link"
_WARNING = re.compile(r"warning: guides/study-plan\.md(?::(\d+))?: (link|image)")
_LINT = re.compile(r"study-plan\.md:(\d+):\d+: error (KB102|KB301)")


@pytest.fixture()
def notes(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "notes")
    return tmp_path / "notes"


def lint_lines(kb: Kb, notes: Path) -> dict[str, list[int]]:
    code, out, _err = kb("lint", "--notes", notes)
    assert code == 1
    found: dict[str, list[int]] = {"link": [], "image": []}
    for line, rule in _LINT.findall(out):
        found["link" if rule == "KB102" else "image"].append(int(line))
    assert found == {"link": [14, 16, 21], "image": [19, 23]}
    return found


@pytest.mark.parametrize(
    ("fmt", "kinds"),
    [
        ("html", {"link", "image"}),
        ("anki", {"link", "image"}),
        ("json", {"image"}),
        ("pdf", {"link", "image"}),
    ],
)
def test_each_use_is_warned_at_its_own_line(
    fmt: str, kinds: set[str], kb: Kb, notes: Path, tmp_path: Path
) -> None:
    expected = {kind: lines for kind, lines in lint_lines(kb, notes).items() if kind in kinds}
    code, _out, err = kb("export", fmt, "--notes", notes, "--out", tmp_path / f"kb.{fmt}")
    assert code == 0, err
    said: dict[str, list[int]] = {kind: [] for kind in kinds}
    for line, kind in _WARNING.findall(err):
        assert line, f"a {kind} warning names no line: {err}"
        said[kind].append(int(line))
    assert said == expected, err
    assert err.count("warning:") == sum(len(lines) for lines in expected.values()), err
