"""Import gives each entry the language of its text (``kbtool/normalize/language.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.store import entry_file
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize(
    ("source", "fmt", "langs"),
    [
        # ../shared/realworld/group.json: message 13 is Arabic
        (FIXTURES / "import" / "telegram-json" / "realworld_group.json", "auto", ["ar", "en"]),
        # ../shared/realworld/lang.md: an image URL in a Russian answer is not English
        (FIXTURES / "language" / "realworld-lang.md", "qa-markdown", ["ru", "ru"]),
    ],
    ids=["group.json", "lang.md"],
)
def test_entry_language(
    source: Path,
    fmt: str,
    langs: list[str],
    kb: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = kb("import", source, "--format", fmt, "--notes", "notes")
    assert code == 0, err
    found = sorted(entry_file.read(p).entry.lang for p in (tmp_path / "notes").rglob("*.md"))
    assert found == langs
