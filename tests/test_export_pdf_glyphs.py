"""Chinese, Japanese and Korean print; characters the PDF's fonts still lack are said
once, with where the first is.

typst's embedded fonts have no Chinese, Japanese or Korean letter: a public collection
of Chinese notes came out as pages of empty boxes, and a reader who copied the text got
null characters. The sheet now also uses Noto Sans CJK (a pinned dependency, so every
machine prints the same), its ideographs in the form of the sheet's language. Thai and
emoji are still boxes, and the export says so. Read back with pypdf: the text a reader
copies and the fonts the pages use. The fixtures: ``tests/fixtures/export/pdf/no-glyphs``
(an English sheet with a Chinese term, an emoji, Thai, and Greek, Russian and Hebrew)
and ``tests/fixtures/export/pdf/cjk`` (a Japanese and a Korean sheet, with code).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "pdf" / "no-glyphs"


def read(pdf: Path) -> tuple[str, set[str]]:
    """The PDF's text and the fonts its pages use (without the subset prefix)."""
    reader = PdfReader(pdf)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    return "".join(page.extract_text() for page in reader.pages), fonts


def test_one_warning_names_how_many_entries_and_the_first(kb: Kb, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(BASE, notes)
    for _run in range(2):  # the second export reads its pieces from the cache
        code, _out, err = kb("export", "pdf", "--notes", notes, "--out", tmp_path / "kb.pdf")
        assert code == 0, err
        warnings = [line for line in err.splitlines() if line.startswith("warning:")]
        assert warnings == [
            "warning: 2 entries hold characters the PDF's fonts lack (Thai, emoji or rare "
            "ideographs), first at basics/retries.md:16 ('💡'): they print as empty boxes; "
            "the study page and the Anki deck show them"
        ], err
    text, fonts = read(tmp_path / "kb.pdf")
    assert "Ελληνικά" in text and "русский" in text  # scripts the fonts have
    assert "幂等操作执行一次和多次的效果相" in text  # Chinese in an English sheet: simplified forms
    assert "NotoSansCJKsc-Regular-Identity-H" in fonts, fonts
    assert "\x00 Tip" in text  # the emoji the warning names is still a box


@pytest.mark.parametrize(
    ("lang", "words", "font"),
    [
        ("ja", ["冪等性とは何ですか？", "何度呼んでも同じ状態になる"], "NotoSansCJKjp"),
        ("ko", ["멱등성이란 무엇인가요?", "여러 번 호출해도 같은 상태"], "NotoSansCJKkr"),
    ],
)
def test_japanese_and_korean_sheets_print_in_their_own_forms(
    kb: Kb, tmp_path: Path, lang: str, words: list[str], font: str
) -> None:
    base = FIXTURES / "export" / "pdf" / "cjk" / lang
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", tmp_path / "kb.pdf")
    assert code == 0 and "warning:" not in err, err
    text, fonts = read(tmp_path / "kb.pdf")
    assert "\x00" not in text
    for word in words:  # the question, and a comment in a code block
        assert word in text, text
    mono = font.replace("NotoSans", "NotoSansMono")
    assert {f"{font}-Regular-Identity-H", f"{mono}-Regular-Identity-H"} <= fonts, fonts


def test_other_formats_do_not_warn(kb: Kb, tmp_path: Path) -> None:
    for fmt in ("html", "anki", "json"):
        code, _out, err = kb("export", fmt, "--notes", BASE, "--out", tmp_path / f"kb.{fmt}")
        assert code == 0 and "warning:" not in err, err
