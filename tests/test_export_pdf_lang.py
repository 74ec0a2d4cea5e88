"""The sheet is set in the language most of its entries are in: typst hyphenates by
the text's language, and with the Russian patterns the sheet always had, no English
word could break, so a long one ran out of a narrow table cell into the next (real
English notes, three columns). Quotes follow the language too. Read back with pypdf."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from kbtool.export.base import Selection
from kbtool.export.loader import load
from kbtool.export.pdf import sheet_lang
from tests.conftest import FIXTURES

BASE = FIXTURES / "export" / "pdf" / "lang"
RUSSIAN = FIXTURES / "export" / "study"
Kb = Callable[..., tuple[int, str, str]]


def sheet_text(kb: Kb, base: Path, out: Path) -> str:
    code, _, err = kb("export", "pdf", "--notes", base, "--out", out, "--columns", "3")
    assert code == 0, err
    return "\n".join(page.extract_text() or "" for page in PdfReader(out).pages)


def test_an_english_sheet_breaks_long_words_in_table_cells(kb: Kb, tmp_path: Path) -> None:
    text = sheet_text(kb, BASE, tmp_path / "kb.pdf")
    assert "Computationally" not in text.replace("\n", " ")  # broken with a hyphen
    assert "\xad" in text  # typst's soft hyphen where a word was broken
    assert "“right”" in text  # English quotes


def test_the_sheet_language_is_the_most_common_one() -> None:
    assert sheet_lang(load(BASE, Selection()).documents) == "en"
    assert sheet_lang(load(RUSSIAN, Selection()).documents) == "ru"
    assert sheet_lang([]) == "ru"
