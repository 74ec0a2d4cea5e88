"""Inline ``<sub>``, ``<sup>``, ``<b>``, ``<i>`` and kin print as what they mean in the PDF.

Notes written for GitHub set indices and powers with HTML (``P<sub>n</sub> =
a<sup>n</sup> P<sub>0</sub>``); the study page and Anki show them, but typst drops raw
HTML and the sheet printed "Pn = an P0", another formula. The fixture
(``tests/fixtures/export/pdf/html-marks/``) also has bold and italic tags, an upper-case
tag, a tag left open and a stray close (their text prints as it did). Read back with
pypdf: each index or power is a run of its own, set in the font's smaller sub- or
superscript figures.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "pdf" / "html-marks"
# (text before, the marked text): an index or a power right after it
MARKED = [("P", "n"), ("= a P", "n-1"), ("= a", "n"), ("P", "0"), ("Water is H", "2")]


def runs(path: Path) -> list[tuple[str, float, float, str]]:
    """(text, x, font size, font) of each run of the first page, in order."""
    found: list[tuple[str, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            found.append((text.strip(), cm[4] + tm[4], size, str(font.get("/BaseFont", ""))))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return found


def test_html_marks_print_as_what_they_mean(kb: Kb, tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "notes")
    out = tmp_path / "kb.pdf"
    code, _out, err = kb("export", "pdf", "--notes", tmp_path / "notes", "--out", out)
    assert code == 0, err
    found = runs(out)
    texts = [text for text, *_ in found]
    for before, marked in MARKED:
        at = next(
            n for n in range(len(texts) - 1) if texts[n].endswith(before) and texts[n + 1] == marked
        )
        _text, x, size, _font = found[at + 1]
        advance = found[at + 2][1] - x
        assert advance < 0.45 * size * len(marked), (marked, advance, size)  # smaller figures
    fonts = {text: font for text, _x, _size, font in found}
    assert fonts["bold"].endswith("-Bold-Identity-H")
    assert fonts["italic"].endswith("-Italic-Identity-H")
    text = " ".join(texts)
    assert "open one and a stray close print their text." in text
