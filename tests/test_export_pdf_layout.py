"""The PDF's layout, checked from the PDF itself: where pypdf finds each piece of text.

The fixture base ``tests/fixtures/export/pdf/layout`` has titles numbered 1, 3, 10, 20
(ids sort the other way), a table cell with ``<br>``, a 90-row table, an entry from
Obsidian lecture notes with hard line breaks and single newlines, and enough short entries to fill a
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
LONG_ANSWER = FIXTURES / "export" / "pdf" / "last-answer"  # one answer running onto page 2
PARTS = FIXTURES / "export" / "pdf" / "parts"  # short, long (3 pages), short, short topics
MARGIN = 1.3 / 2.54 * 72  # the template's bottom margin in points
SIDE, GUTTER = 1.1 / 2.54 * 72, 0.45 / 2.54 * 72  # its side margins and column gap


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
        pitch = (float(page.mediabox.width) - 2 * SIDE + GUTTER) / columns  # column + gap
        pieces: list[tuple[str, float, float]] = []

        page.extract_text(visitor_text=functools.partial(_collect, pieces))
        found += [Run(t, number, x, y, int((x - SIDE + 1) // pitch)) for t, x, y in pieces]
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


def export_sheet(base: Path, columns: int, factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """``base`` exported to PDF in ``columns`` columns, its pages rendered as PNG."""
    folder = factory.mktemp(f"{base.name}{columns}")
    job = ExportJob(
        format="pdf",
        notes=base,
        root=folder,
        out=folder / "kb.pdf",
        selection=Selection(),
        given={"columns": columns},
        use_cache=False,
    )
    report = export_run(job)
    assert report.written[0].result.warnings == []
    _render_pngs(base, folder / "kb.pdf", columns, factory)
    return folder / "kb.pdf", columns


@pytest.fixture(scope="module", params=[2, 3])
def sheet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int]:
    return export_sheet(LAYOUT, request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=[2, 3])
def long_answer_sheet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int]:
    return export_sheet(LONG_ANSWER, request.param, tmp_path_factory)


def _render_pngs(base: Path, pdf: Path, columns: int, factory: pytest.TempPathFactory) -> None:
    """Every page as PNG under the pytest tmp dir's test-artifacts, one per PDF page."""
    from kbtool.export import typst_run, typst_source
    from kbtool.export.loader import load
    from kbtool.export.pdf import balanced, document, settings

    docs = load(base, Selection()).documents
    built = typst_source.build(base, docs, answers=True)
    source = document(built.body, settings({"columns": columns}), len(docs))
    facts = balanced(source, base, built.entry_labels, columns)[1]
    pages = typst_run.pages_png(source, base, built.entry_labels, facts, ppi=60)
    assert len(pages) == len(PdfReader(pdf).pages)
    artifacts = factory.getbasetemp() / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    for number, png in enumerate(pages, start=1):
        assert png.startswith(b"\x89PNG")
        (artifacts / f"{base.name}-{columns}col-page{number}.png").write_bytes(png)


def last_page_columns(
    path: Path, columns: int, page: int | None = None
) -> tuple[list[Run], list[float]]:
    """The text of the last page (or of ``page``; header and footer left out) and the
    height each column's text spans there, top line to bottom line."""
    runs = runs_of(path, columns)
    last = max(run.page for run in runs) if page is None else page
    height = float(PdfReader(path).pages[-1].mediabox.height)
    body = [run for run in runs if run.page == last and MARGIN < run.y < height - MARGIN]
    spans = []
    for column in range(columns):
        ys = [run.y for run in body if run.column == column]
        spans.append(max(ys) - min(ys) if ys else -1.0)
    return body, spans


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
    body, spans = last_page_columns(path, columns)
    lines = len({(run.column, round(run.y)) for run in body})
    if lines < 3 * columns:  # a paragraph leaves no single line at a column's top or foot
        assert columns == 3, "the 2-column sheet must end with a page to balance"
        pytest.skip(f"the last page holds {lines} lines: too few for {columns} columns")
    page = float(PdfReader(path).pages[-1].mediabox.height) - 2 * MARGIN
    assert min(spans) >= 0, spans  # text in every column
    assert max(spans) - min(spans) < 0.35 * page, spans


def test_a_single_answer_on_the_last_page_is_balanced(
    long_answer_sheet: tuple[Path, int],
) -> None:
    """One long answer runs onto the last page (its question is on page 1): its text
    is shared out over every column there, not left in the first."""
    path, columns = long_answer_sheet
    body, spans = last_page_columns(path, columns)
    assert len(PdfReader(path).pages) == 2
    assert not any("Walk through" in run.text for run in body)  # only the answer's text
    line = 12  # points: one line of the sheet's 8.5 pt text, and some
    assert min(spans) > 10 * line, spans  # every column holds a good share
    assert max(spans) - min(spans) < 4 * line, spans


@pytest.fixture(scope="module", params=[2, 3])
def parts_sheet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int]:
    return export_sheet(PARTS, request.param, tmp_path_factory)


def test_a_long_topic_starts_a_page_and_the_next_goes_on_where_it_ends(
    parts_sheet: tuple[Path, int],
) -> None:
    """A topic longer than about two pages starts on a new page (typst lays out each
    such part on its own core); the topic after it goes on below the long topic's end,
    on its last page, as a compact sheet reads: it started a page of its own, and the
    long topic's last page held a few lines and a blank. Short topics share a page. The
    contents give each topic's page, and every part's last page is balanced."""
    path, columns = parts_sheet
    runs = runs_of(path, columns)
    top = float(PdfReader(path).pages[0].mediabox.height) - MARGIN - 40  # the first lines
    names = ("A intro", "B long", "C short", "D tail")
    heads = {name: [run for run in runs if run.text == name][-1] for name in names}
    long_text = [run for run in runs if run.text.startswith("Long question")]
    assert heads["A intro"].page == 1
    assert heads["B long"].page == 2 and heads["B long"].column == 0 and heads["B long"].y > top
    long_ends = max(run.page for run in long_text)
    assert long_ends > 2  # the long topic fills more than a page
    start = heads["C short"]
    assert start.page == long_ends  # on the long topic's last page, after its last question
    assert flow(start) > max(flow(run) for run in long_text)
    assert heads["D tail"].page == start.page  # short topics share a page
    assert len(PdfReader(path).pages) == long_ends
    for name, head in heads.items():  # the contents: the title, its dots, its page
        at = next(n for n, run in enumerate(runs) if run.text == name)
        listed = next(run.text for run in runs[at + 1 :] if run.text != ".")
        assert listed == str(head.page), (name, listed, head)
    page = float(PdfReader(path).pages[0].mediabox.height) - 2 * MARGIN
    for last in (1, long_ends):  # each part's last page
        _body, spans = last_page_columns(path, columns, last)
        assert min(spans) >= 0 and max(spans) - min(spans) < 0.35 * page, (last, spans)


def test_hard_breaks_break_lines_and_single_newlines_join_them(sheet: tuple[Path, int]) -> None:
    """The body is read as CommonMark, as every export reads it: the breaks Obsidian
    shows are ``\\`` line ends written at import, a bare newline joins lines."""
    runs = runs_of(*sheet)
    first, second = find(runs, "first line"), find(runs, "second line")
    assert second.y < first.y - 4
    one, two = find(runs, "joined one"), find(runs, "joined two")
    assert abs(one.y - two.y) < 1, (one, two)  # on one line
