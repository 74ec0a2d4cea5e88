"""Documents a reader sees no problem in give no finding: one parametrized test over
``tests/fixtures/lint/clean/`` (stray backticks, headings in quotes and list items,
``## Why C#``, math next to prices, fences and HTML blocks as CommonMark reads them).

Each file is linted alone, as ``kbtool lint FILE`` with every rule; a false finding
here is as serious a bug as a miss.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

CLEAN = sorted((FIXTURES / "lint" / "clean").glob("*.md"))


@pytest.mark.parametrize("source", CLEAN, ids=lambda p: p.name)
def test_clean_document_gives_no_finding(
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kb: Callable[..., tuple[int, str, str]],
) -> None:
    target = tmp_path / source.name
    shutil.copyfile(source, target)  # bytes as written: CRLF stays CRLF
    monkeypatch.chdir(tmp_path)
    code, out, err = kb("lint", "--no-cache", source.name)
    assert (code, out) == (0, ""), out
    assert "0 error(s), 0 warning(s)" in err
