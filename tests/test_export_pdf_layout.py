"""The PDF's layout, checked from the PDF itself: where pypdf finds each piece of text.

The fixture base ``tests/fixtures/export/pdf/layout`` has titles numbered 1, 3, 10, 20
(ids sort the other way), a table cell with ``<br>``, a 90-row table, an entry from
Obsidian lecture notes with single line breaks, and enough short entries to fill a
second page. Every page is also rendered to PNG in the test artifacts (typst's own
renderer, the engine that laid out the PDF) for a person to look at.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from kbtool.export.base import Selection
from kbtool.export.run import ExportJob
from kbtool.export.run import run as export_run
from tests.conftest import FIXTURES

LAYOUT = FIXTURES / "export" / "pdf" / "layout"
MARGIN = 1.3 / 2.54 * 72  # the template's bottom margin in points


@dataclass(frozen=True)
class Run:
    text: str
    page: int
    x: float
    y: float  # PDF coordinates: up from the bottom
    column: int


def runs_of(path: Path, columns: int) -> list[Run]:
    found: list[Run] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        column_width = float(page.mediabox.width) / columns
        pieces: list[tuple[str, float, float]] = []

        page.extract_text(visitor_text=functools.partial(_collect, pieces))
        found += [Run(t, number, x, y, int(x // column_width)) for t, x, y in pieces]
    return found


def _collect(
    pieces: list[tuple[str, float, float]],
    text: str,
    cm: list[float],
    tm: list[float],
    *_rest: object,
) -> None:
    if text.strip():
        pieces.append((text.strip(), cm[4] + tm[4], cm[5] + tm[5]))


def find(runs: list[Run], needle: str) -> Run:
    return next(run for run in runs if needle in run.text)


@pytest.fixture(scope="module", params=[2, 3])
def sheet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int]:
    columns: int = request.param
    folder = tmp_path_factory.mktemp(f"layout{columns}")
    job = ExportJob(
        format="pdf",
        notes=LAYOUT,
        root=folder,
        out=folder / "kb.pdf",
        selection=Selection(),
        given={"columns": columns},
        use_cache=False,
    )
    report = export_run(job)
    assert report.written[0].result.warnings == []
    _render_pngs(folder / "kb.pdf", columns, tmp_path_factory)
    return folder / "kb.pdf", columns


def _render_pngs(pdf: Path, columns: int, factory: pytest.TempPathFactory) -> None:
    """Every page as PNG under the pytest tmp dir's test-artifacts, one per PDF page."""
    from kbtool.export import typst_run, typst_source
    from kbtool.export.loader import load
    from kbtool.export.pdf import balanced_room, document, settings

    docs = load(LAYOUT, Selection()).documents
    built = typst_source.build(LAYOUT, docs, answers=True)
    source = document(built.body, settings({"columns": columns}), len(docs))
    room = balanced_room(source, LAYOUT, built.entry_labels, columns)
    pages = typst_run.pages_png(source, LAYOUT, built.entry_labels, room, ppi=60)
    assert len(pages) == len(PdfReader(pdf).pages)
    artifacts = factory.getbasetemp() / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    for number, png in enumerate(pages, start=1):
        assert png.startswith(b"\x89PNG")
        (artifacts / f"layout-{columns}col-page{number}.png").write_bytes(png)


def flow(run: Run) -> tuple[int, int, float]:
    """Reading order: page, column, top to bottom."""
    return (run.page, run.column, -run.y)


def test_entries_are_in_natural_order(sheet: tuple[Path, int]) -> None:
    runs = runs_of(*sheet)
    titles = [find(runs, f"{n}. ") for n in (1, 3, 10, 20)]
    assert [flow(t) for t in titles] == sorted(flow(t) for t in titles)


def test_br_in_a_table_cell_is_a_line_break(sheet: tuple[Path, int]) -> None:
    runs = runs_of(*sheet)
    alpha, beta = find(runs, "alpha"), find(runs, "beta")
    assert alpha.page == beta.page and abs(alpha.x - beta.x) < 0.5
    assert beta.y < alpha.y - 4  # the next line, not the same one


def test_table_cells_are_left_aligned(sheet: tuple[Path, int]) -> None:
    """Cells of one column start at one x, whatever their width (centred ones would not)."""
    lefts: dict[tuple[int, int], set[float]] = defaultdict(set)
    for piece in runs_of(*sheet):
        if set(piece.text) == {"x"}:  # the Mark column: "x" .. "xxxxxxx"
            lefts[(piece.page, piece.column)].add(round(piece.x, 1))
    assert lefts and all(len(xs) == 1 for xs in lefts.values()), lefts


def test_a_long_table_continues_in_the_next_column(sheet: tuple[Path, int]) -> None:
    runs = [run for run in runs_of(*sheet) if run.text.startswith("row")]
    places = sorted({(run.page, run.column) for run in runs})
    assert len(places) >= 2
    first = [run for run in runs if (run.page, run.column) == places[0]]
    assert min(run.y for run in first) < MARGIN + 40  # filled to the bottom: no hole


def test_last_page_columns_are_balanced(sheet: tuple[Path, int]) -> None:
    path, columns = sheet
    runs = runs_of(path, columns)
    last = max(run.page for run in runs)
    height = float(PdfReader(path).pages[-1].mediabox.height)
    body = [run for run in runs if run.page == last and MARGIN < run.y < height - MARGIN]
    questions = [run for run in body if run.text.startswith("Fact ")]
    if len(questions) < columns:  # breaks go between questions only
        assert columns == 3, "the 2-column sheet must end with a page to balance"
        pytest.skip(f"the last page holds {len(questions)} question(s): nothing to balance")
    bottoms = [min(run.y for run in body if run.column == c) for c in range(columns)]
    tops = [max(run.y for run in body if run.column == c) for c in range(columns)]
    heights = [top - bottom for top, bottom in zip(tops, bottoms, strict=True)]
    assert max(heights) - min(heights) < 0.35 * (height - 2 * MARGIN), heights


def test_lecture_notes_keep_their_line_breaks(sheet: tuple[Path, int]) -> None:
    runs = runs_of(*sheet)
    first, second = find(runs, "first line"), find(runs, "second line")
    assert second.y < first.y - 4
