"""A code line too long for its column wraps under its own indentation, two characters
further in, not at the column's margin (where indented code read as a new, outer line).

Checked from the PDF: the fixture ``tests/fixtures/export/pdf/code-wrap`` holds a Python
function two of whose lines wrap in two and in three columns; pypdf gives where each
printed line of the code block starts. Pages are rendered to PNG in the test artifacts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES
from tests.test_export_pdf_layout import GUTTER, SIDE, export_sheet

CODE_WRAP = FIXTURES / "export" / "pdf" / "code-wrap"
CODE_INDENT = FIXTURES / "export" / "pdf" / "code-indent"
CHAR = 7 * 1233 / 2048  # a DejaVu Sans Mono character at the template's 7 pt
STARTS = ("def send_report", "for attempt", "reply =", "if reply", "return reply", "raise")
INDENT = {"def send_report": 0, "for attempt": 4, "reply =": 8, "if reply": 8,
          "return reply": 12, "raise": 4}  # fmt: skip


@pytest.fixture(scope="module", params=[2, 3])
def sheet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int]:
    return export_sheet(CODE_WRAP, request.param, tmp_path_factory)


Lines = dict[tuple[int, int, float], list[tuple[float, str]]]


def _mono(lines: Lines, number: int, pitch: float) -> Callable[..., None]:
    """A pypdf visitor that files each monospace run of page ``number`` under its line."""

    def visit(text: str, cm: list[float], tm: list[float], font: Any, *_rest: object) -> None:
        if text.strip() and font and "Mono" in str(font.get("/BaseFont", "")):
            x, y = cm[4] + tm[4], cm[5] + tm[5]
            column = int((x - SIDE + 1) // pitch)
            lines[(number, column, round(y, 1))].append((x - SIDE - column * pitch, text))

    return visit


def code_lines(path: Path, columns: int) -> list[tuple[str, float, float]]:
    """The code block's printed lines (the text set in the monospace font) in reading
    order: (text, where the line starts and where it ends, in points from its column's
    left edge)."""
    lines: Lines = defaultdict(list)
    for number, page in enumerate(PdfReader(path).pages, start=1):
        pitch = (float(page.mediabox.width) - 2 * SIDE + GUTTER) / columns
        page.extract_text(visitor_text=_mono(lines, number, pitch))
    ordered = sorted(lines, key=lambda key: (key[0], key[1], -key[2]))
    return [
        (
            "".join(text for _x, text in sorted(lines[key])),
            min(lines[key])[0],
            max(x + len(text) * CHAR for x, text in lines[key]),
        )
        for key in ordered
    ]


def test_a_wrapped_code_line_continues_under_its_indentation(sheet: tuple[Path, int]) -> None:
    lines = code_lines(*sheet)
    left = lines[0][1]  # where `def` starts: the block's margin (the box's inset in)
    current = ""
    continued = defaultdict(int)
    for text, x, _end in lines:
        start = next(
            (s for s in STARTS if text.replace(" ", "").startswith(s.replace(" ", ""))), None
        )
        if start is not None:
            current = start
            assert x == pytest.approx(left + INDENT[start] * CHAR, abs=0.6), text
        else:  # a continuation: two characters further in than its line's indentation
            continued[current] += 1
            assert x == pytest.approx(left + (INDENT[current] + 2) * CHAR, abs=0.6), (
                f"{text!r} continues {current!r} at {(x - left) / CHAR:.1f} characters"
            )
    assert continued["reply ="] >= 1 and continued["raise"] >= 1, lines  # both lines wrapped
    assert set(continued) == {"reply =", "raise"}, "only the long lines wrap"


def test_no_code_runs_over_its_column(sheet: tuple[Path, int]) -> None:
    """``timeout=settings.report_timeout_seconds)`` has no space: in three columns it
    ran on over the next column's text; it now breaks after punctuation."""
    path, columns = sheet
    width = (float(PdfReader(path).pages[0].mediabox.width) - 2 * SIDE + GUTTER) / columns
    width -= GUTTER
    lines = code_lines(path, columns)
    for text, _start, end in lines:
        assert end <= lines[0][1] + width - 2 * 3, f"{text!r} ends {end - width:.1f} pt outside"
    printed = "".join(text for text, _start, _end in lines).replace(" ", "")
    assert "timeout=settings.report_timeout_seconds)" in printed  # every character kept


@pytest.mark.parametrize("columns", [2, 3])
def test_deeply_indented_code_stays_in_its_column_and_in_order(
    columns: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Parameters aligned under a parenthesis far right (``code-indent/``, as a public
    collection's JNI functions are): their lines hung past the column's edge, over the
    next column's text and out of the code's order. Now such a line is indented as far
    as leaves it room, and the code reads in order: pypdf's lines, column after column,
    are the fixture's code."""
    path, _ = export_sheet(CODE_INDENT, columns, tmp_path_factory)
    markdown = next(CODE_INDENT.rglob("*.md")).read_text("utf-8")
    code = "".join(part.split("\n", 1)[1] for part in markdown.split("```")[1::2])
    lines = code_lines(path, columns)
    assert "".join("".join(text.split()) for text, _start, _end in lines) == "".join(code.split())
    width = (float(PdfReader(path).pages[0].mediabox.width) - 2 * SIDE + GUTTER) / columns
    for text, start, end in lines:
        assert lines[0][1] - 0.6 <= start and end <= lines[0][1] + width - GUTTER - 6, text
