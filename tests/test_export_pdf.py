"""PDF cheat sheet: real pandoc + typst, read back with pypdf."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kbtool.errors import InputError, UsageError
from kbtool.export import typst_run, typst_source
from kbtool.export.base import ExportRequest, ExportResult, Selection
from kbtool.export.loader import load as load_base
from kbtool.export.pdf import PdfExporter, compile_source, document, settings
from kbtool.store import entry_file
from kbtool.store.entry_file import EntryDocument
from tests.conftest import FIXTURES, RAW, ROOT

PDF = FIXTURES / "export" / "pdf"
SHARED = FIXTURES / "export" / "base"  # shared by every exporter's tests
BASE = PDF / "notes"
BAD = sorted(p for p in (PDF / "bad").iterdir() if p.is_dir())
ARTIFACTS = ROOT / "build" / "test-artifacts"
ANSWER_WORDS = ("мьютекс", "n-grams", "запоминает")  # not in titles


def load(base: Path) -> list[EntryDocument]:
    return [entry_file.read(path) for path in sorted(base.rglob("*.md"))]


DOCS = load(BASE)


def export(
    out: Path, docs: Sequence[EntryDocument] = DOCS, base: Path = BASE, **options: Any
) -> ExportResult:
    return PdfExporter().export(ExportRequest(base=base, out=out, documents=docs, options=options))


def squash(text: str) -> str:
    """Text without whitespace or hyphenation breaks: line wrapping must not matter."""
    return re.sub(r"\s+|-\n", "", text.replace("-\n", ""))


def text_of(path: Path) -> str:
    return squash("\n".join(page.extract_text() for page in PdfReader(path).pages))


def many(count: int) -> list[EntryDocument]:
    """``count`` entries cycled from the fixtures, with unique ids, to fill columns."""
    out = []
    for i in range(count):
        doc = DOCS[i % len(DOCS)]
        entry = doc.entry.model_copy(update={"id": f"{doc.entry.id}-{i}"})
        out.append(EntryDocument(entry, doc.body, doc.body_line, doc.path))
    return out


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportResult]:
    out = tmp_path_factory.mktemp("pdf") / "kb.pdf"
    return out, export(out)


@pytest.fixture(scope="module")
def shared_sheet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportResult]:
    out = tmp_path_factory.mktemp("shared") / "kb.pdf"
    return out, export(out, load_base(SHARED, Selection()).documents, base=SHARED)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.entry.id)
def test_every_title_is_in_the_pdf(sheet: tuple[Path, ExportResult], doc: EntryDocument) -> None:
    assert squash(doc.entry.title) in text_of(sheet[0])


@pytest.mark.parametrize("path", sorted(SHARED.rglob("*.md")), ids=lambda p: p.stem)
def test_shared_base_titles_are_in_the_pdf(
    shared_sheet: tuple[Path, ExportResult], path: Path
) -> None:
    """The base shared by all exporters (loaded as the command loads it)."""
    assert squash(entry_file.read(path).entry.title) in text_of(shared_sheet[0])


def test_hostile_html_and_script_links_do_not_reach_the_pdf(
    shared_sheet: tuple[Path, ExportResult],
) -> None:
    reader = PdfReader(shared_sheet[0])
    text = text_of(shared_sheet[0])
    assert "alert" not in text
    assert "Textafterthescript." in text
    for page in reader.pages:
        for ref in page.get("/Annots", []):
            uri = str(ref.get_object().get("/A", {}).get("/URI", ""))
            assert not uri.lower().startswith("javascript:")
    assert "/JavaScript" not in str(reader.trailer["/Root"])


def test_answers_cyrillic_and_page_bounds(sheet: tuple[Path, ExportResult]) -> None:
    path, result = sheet
    text = text_of(path)
    for word in ANSWER_WORDS:
        assert word in text
    assert result.entries == len(DOCS)
    assert 1 <= len(PdfReader(path).pages) <= 3
    assert PdfReader(path).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def _font_files(reader: PdfReader) -> list[tuple[str, bool]]:
    found = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"].get_object()
        for ref in fonts.values():
            font = ref.get_object()
            for sub in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                if "/FontDescriptor" in sub:
                    desc = sub["/FontDescriptor"].get_object()
                    embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    found.append((str(sub["/BaseFont"]), embedded))
    return found


def test_fonts_are_embedded(sheet: tuple[Path, ExportResult]) -> None:
    fonts = _font_files(PdfReader(sheet[0]))
    assert fonts, "no fonts found in the PDF"
    assert all(embedded for _name, embedded in fonts), fonts


def test_no_answers_leaves_answers_out(tmp_path: Path) -> None:
    out = tmp_path / "drill.pdf"
    export(out, answers=False)
    text = text_of(out)
    for doc in DOCS:
        assert squash(doc.entry.title) in text
    for word in ANSWER_WORDS:
        assert word not in text


def test_drill_sheet_fills_its_pages(tmp_path: Path) -> None:
    """Questions without answers must not stick together into one unbreakable run."""
    docs = many(60)
    out = tmp_path / "drill.pdf"
    export(out, docs, answers=False, columns=3)
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert squash(docs[0].entry.title) in squash(reader.pages[0].extract_text())


def _question_columns(path: Path, docs: Sequence[EntryDocument]) -> set[int]:
    """Left x of every question heading on page 2 (a full page), in whole points."""
    starts = {squash(d.entry.title)[:8] for d in docs}
    xs: set[int] = set()

    def visit(text: str, cm: Any, tm: Any, font: Any, _size: Any) -> None:
        if font and "Bold" in str(font.get("/BaseFont")) and squash(text)[:8] in starts:
            xs.add(round(tm[4] * cm[0] + tm[5] * cm[2] + cm[4]))  # page x of the text

    PdfReader(path).pages[1].extract_text(visitor_text=visit)
    return xs


@pytest.mark.parametrize("columns", [2, 3])
def test_columns(tmp_path: Path, columns: int) -> None:
    docs = many(40)
    out = tmp_path / f"c{columns}.pdf"
    export(out, docs, columns=columns)
    assert len(PdfReader(out).pages) >= 2
    # balancing keeps a room only when the PDF has as many pages as the first layout
    assert typst_run.page_count(out.read_bytes()) == len(PdfReader(out).pages)
    assert len(_question_columns(out, docs)) == columns


def test_letter_paper(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    export(out, paper="us-letter")
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((612, 792), abs=0.5)


def test_same_input_same_bytes(tmp_path: Path, sheet: tuple[Path, ExportResult]) -> None:
    again = tmp_path / "again.pdf"
    export(again)
    assert again.read_bytes() == sheet[0].read_bytes()


def line_of(rel: str, needle: str) -> int:
    """1-based line of the first ``needle`` in a fixture entry file."""
    lines = (BASE / rel).read_text("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_images_missing_or_outside_the_base_are_warned_and_dropped(
    sheet: tuple[Path, ExportResult],
) -> None:
    path, result = sheet
    warnings = "\n".join(result.warnings)
    bleu, attention = line_of("nlp/what-is-bleu.md", "]("), line_of("nlp/attention.md", "passwd")
    assert f"nlp/what-is-bleu.md:{bleu}: image img/bleu-diagram.png not found" in warnings
    assert f"nlp/attention.md:{attention}: image ../../etc/passwd points outside" in warnings
    assert f"nlp/attention.md:{attention}: image /etc/passwd is an absolute path" in warnings
    assert f"nlp/what-is-bleu.md:{bleu + 3}: link 'notes.txt' leads to no file" in warnings
    assert len(result.warnings) == 4
    assert path.stat().st_size > 0
    assert "imageleftout" not in text_of(path) and "bleu-diagram" not in text_of(path)
    images = sum(len(page.images) for page in PdfReader(path).pages)
    assert images == 1  # ml/img/curve.png, the one present inside the base


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.name)
def test_typst_failure_is_an_input_error_naming_the_entry(tmp_path: Path, case: Path) -> None:
    docs = load(case)
    with pytest.raises(InputError) as caught:
        export(tmp_path / "bad.pdf", docs, base=case)
    expected = (case / "expected.txt").read_text("utf-8").strip()
    assert expected in str(caught.value)
    assert caught.value.path == docs[0].path.relative_to(case).as_posix()  # type: ignore[union-attr]
    assert not (tmp_path / "bad.pdf").exists()


@pytest.mark.parametrize("options", [{"columns": 4}, {"paper": "a3"}, {"columns": "two"}])
def test_bad_options_are_usage_errors(tmp_path: Path, options: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        export(tmp_path / "x.pdf", **options)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$ argmin [Q(X^{e}, w)] $", "$argmin [Q(X^{e}, w)]$"),
        ("costs $ 5 and $ 6", "costs $ 5 and $ 6"),
        ("`$ x_1 $` stays code", "`$ x_1 $` stays code"),
        ("$x_1$ already fine", "$x_1$ already fine"),
        ("where $k $ is finite and $ p(x)≤1$", "where $k$ is finite and $p(x)≤1$"),
        ("the signs $ and $ delimit", "the signs $ and $ delimit"),
        ("我们并不要求$ p(x)≤1$，因为", "我们并不要求$p(x)≤1$，因为"),
        ("US$ 5 or a$ b $", "US$ 5 or a$ b $"),
    ],
)
def test_spaced_math_is_tightened(text: str, expected: str) -> None:
    assert typst_source.fix_spaced_math(text) == expected


def test_png_preview_artifact(capsys: pytest.CaptureFixture[str]) -> None:
    """Render page 1 to PNG so a person can look at the layout (build/ is git-ignored)."""
    layout = settings({})
    built = typst_source.build(BASE, DOCS, answers=True)
    png = compile_source(document(built.body, layout, len(DOCS)), BASE, built.entry_labels, "png")
    assert png.startswith(b"\x89PNG")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "pdf-cheatsheet-page1.png"
    target.write_bytes(png)
    with capsys.disabled():
        print(f"\n[pdf preview] {target}")


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[int] = []
    request = ExportRequest(BASE, tmp_path / "p.pdf", DOCS, {}, progress=seen.append)
    PdfExporter().export(request)
    assert seen and seen[-1] == len(DOCS)


def test_every_seed_formula_renders(tmp_path: Path) -> None:
    """All `$...$` of the user's raw notes (many `\\boxed{}`) compile as math, not TeX text."""
    formulas: list[str] = []
    for raw in sorted(RAW.glob("*.txt")):
        formulas += re.findall(r"\$\$[^$]+\$\$|\$[^$\n]+\$", raw.read_text("utf-8"))
    assert len(formulas) >= 20
    doc = DOCS[0]
    seeds = EntryDocument(doc.entry, "\n\n".join(formulas), doc.body_line, doc.path)
    out = tmp_path / "seeds.pdf"
    export(out, [seeds])
    text = text_of(out)
    assert "boxed" not in text
    assert "\\frac" not in text
    assert "argmin" not in text  # `$ argmin ... $` with spaces became math (italic letters)


def test_links_to_entries_jump_inside_the_pdf(sheet: tuple[Path, ExportResult]) -> None:
    """Entry links become internal jumps; broken anchors and file links become text."""
    uris: set[str] = set()
    dests: set[str] = set()
    for page in PdfReader(sheet[0]).pages:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            if "/URI" in annot.get("/A", {}):
                uris.add(str(annot["/A"]["/URI"]))
            if "/Dest" in annot:
                dests.add(str(annot["/Dest"]))
    assert uris == {"https://aclanthology.org/P02-1040/"}
    assert {"attention-mechanism", "gradient-descent-momentum"} <= dests
    assert {"topic-ml", "topic-nlp", "topic-python"} <= dests  # the table of contents


def test_unreadable_images_are_left_out_with_a_warning(tmp_path: Path) -> None:
    base = PDF / "corrupt"
    out = tmp_path / "corrupt.pdf"
    result = export(out, load(base), base=base)
    # chart.png is text: caught before typst, with its line; garbled.png has sound PNG
    # chunks but bad pixel data: typst fails, and the image alone is left out.
    assert result.warnings == [
        "misc/broken.md:14: image chart.png cannot be read (not a PNG file); left out",
        AnyStr("misc/broken.md: image /misc/garbled.png cannot be read (failed to decode"),
    ]
    text = text_of(out)
    assert "imageleftout" not in text and "chart.png" not in text  # nothing printed


class AnyStr(str):
    """Equal to any string that starts with it (typst's decoder wording may change)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith(str(self))

    __hash__ = str.__hash__


def test_cli_export_pdf(kb: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    out = tmp_path / "cli.pdf"
    code, _out, err = kb("export", "pdf", "--notes", BASE, "--out", out, "--topic", "python")
    assert code == 0, err
    assert "image" not in err  # only python entries: no image warnings
    text = text_of(out)
    assert squash("Что такое GIL в Python?") in text
    assert squash("What are BLEU and ROUGE?") not in text


def test_cli_layout_options(kb: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    out = tmp_path / "drill.pdf"
    code, _out, err = kb(
        "export", "pdf", "--notes", BASE, "--out", out,
        "--columns", "3", "--paper", "us-letter", "--no-answers", "--title", "Drill sheet",
    )  # fmt: skip
    assert code == 0, err
    reader = PdfReader(out)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612, abs=0.5)
    assert reader.metadata is not None and reader.metadata.title == "Drill sheet"
    text = text_of(out)
    assert "мьютекс" not in text
    assert squash("Что такое GIL в Python?") in text
    code, _out, err = kb("export", "pdf", "--notes", BASE, "--out", out, "--columns", "4")
    assert code == 2
    assert "--columns" in err


def test_an_entry_too_large_to_print_is_left_out_with_a_warning(
    kb: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """A pasted log of megabytes is skipped before pandoc sees it; the rest prints."""
    base = tmp_path / "notes"
    (base / "python").mkdir(parents=True)
    small = BASE / "python" / "gil.md"
    (base / "python" / "gil.md").write_text(small.read_text("utf-8"), "utf-8")
    doc = entry_file.read(small)
    huge = doc.entry.model_copy(update={"id": "huge-log", "title": "A pasted log"})
    line = "2026-11-20 12:00:00 INFO worker heartbeat ok, queue depth 0, lag 0 ms\n"
    entry_file.write(base / "python" / "huge.md", huge, line * 40_000)  # about 2.8 MB
    out = tmp_path / "kb.pdf"
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", out)
    assert code == 0, err
    assert re.search(r"python/huge\.md:\d+: the answer is 2\.\d MB, more than the 512 KB", err)
    assert "pdf: 2 entries" in err  # selected; one left out of the sheet with the warning
    text = text_of(out)
    assert squash(doc.entry.title) in text and "heartbeat" not in text


def test_answers_with_the_same_headings_link_to_their_own(tmp_path: Path) -> None:
    """Many answers have a "Formulas" heading; each entry's `#formulas` link jumps to
    its own one (ids are scoped by entry), and typst sees no label twice."""
    base = PDF / "same-headings"
    out = tmp_path / "same.pdf"
    result = export(out, load(base), base=base)
    assert result.warnings == []
    reader = PdfReader(out)
    assert "Formulatextofentry2." in text_of(out)
    targets = {
        str(ref.get_object().get("/Dest", ""))
        for page in reader.pages
        for ref in page.get("/Annots", [])
    }
    assert {"loss-1--formulas", "loss-2--formulas"} <= targets


def test_the_sheet_is_written_without_accessibility_tags(
    sheet: tuple[Path, ExportResult],
) -> None:
    """A printed sheet has no use for a tag tree; typst's default one made the 300-entry
    sheet 2.6 times larger and its writing a quarter slower (the study page is the
    export for a screen reader)."""
    catalog = PdfReader(sheet[0]).trailer["/Root"]
    assert "/StructTreeRoot" not in catalog
    assert "/MarkInfo" not in catalog
