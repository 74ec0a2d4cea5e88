"""One defect, one finding: a question heading with nothing under it is reported by
missing-answer (KB201) alone, not also as an empty section (KB203); with KB201 left
out, the empty section is still reported (``kbtool.lint.linter._once_per_heading``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

DOCUMENT = FIXTURES / "lint" / "once" / "empty-question.md"
Runner = Callable[..., tuple[int, str, str]]


def findings(out: str) -> list[tuple[int, str]]:
    """(line, code) of each finding the text format printed."""
    found = []
    for row in out.splitlines():
        place, _, rest = row.partition(": ")
        found.append((int(place.split(":")[1]), rest.split()[1]))
    return found


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), [(7, "KB201"), (13, "KB203")]),
        (("--ignore", "KB201"), [(7, "KB203"), (13, "KB203")]),
        (("--select", "KB203"), [(7, "KB203"), (13, "KB203")]),
    ],
)
def test_an_empty_question_is_reported_once(
    args: tuple[str, ...],
    expected: list[tuple[int, str]],
    kb: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copyfile(DOCUMENT, tmp_path / DOCUMENT.name)
    monkeypatch.chdir(tmp_path)
    for _run in range(2):  # the second run answers from the cache
        _code, out, _err = kb("lint", *args, DOCUMENT.name)
        assert findings(out) == expected
