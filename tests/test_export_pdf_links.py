"""Jumps inside the sheet: links to labels and the contents, resolved after typst wrote
the PDF (kbtool/export/pdf_links.py), read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kbtool.export import pdf_links, typst_source
from kbtool.export.base import ExportRequest
from kbtool.export.pdf import PdfExporter
from kbtool.store import entry_file
from kbtool.store.entry_file import EntryDocument
from tests.conftest import FIXTURES

BASE = FIXTURES / "export" / "pdf" / "notes"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture entries cycled over five topics: a sheet of several pages, topics
    starting on different ones."""
    out = tmp_path_factory.mktemp("links") / "kb.pdf"
    found = [entry_file.read(path) for path in sorted(BASE.rglob("*.md"))]
    docs = []
    for i in range(120):
        doc = found[i % len(found)]
        entry = doc.entry.model_copy(update={"id": f"{doc.entry.id}-{i}", "topic": f"t{i % 5}"})
        docs.append(EntryDocument(entry, doc.body, doc.body_line, doc.path))
    PdfExporter().export(ExportRequest(base=BASE, out=out, documents=docs, options={}))
    return out


def test_every_jump_lands_on_a_named_destination(sheet: Path) -> None:
    reader = PdfReader(sheet)
    named = reader.named_destinations
    jumps = [
        str(ref.get_object()["/Dest"])
        for page in reader.pages
        for ref in page.get("/Annots", [])
        if "/Dest" in ref.get_object()
    ]
    assert len(jumps) >= 10
    assert set(jumps) <= set(named)
    assert pdf_links.SCHEME.encode() not in sheet.read_bytes()
    assert pdf_links.SCHEME.encode().hex().upper().encode() not in sheet.read_bytes()


def test_contents_name_the_page_each_topic_starts_on(sheet: Path) -> None:
    reader = PdfReader(sheet)
    starts = {
        name: reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
        if name.startswith("topic-") or name == typst_source.DRAFTS_ID
    }
    lines = reader.pages[0].extract_text().split("\n")
    listed = {m.group(1): int(m.group(2)) for m in map(TOC_LINE.match, lines) if m}
    assert len(starts) == 6 and len(set(starts.values())) >= 4  # five topics and the drafts
    labels = {title: f"topic-{title.lower()}" for title in listed}
    labels[typst_source.DRAFTS_TITLE] = typst_source.DRAFTS_ID
    assert listed == {title: starts[labels[title]] for title in listed}
    assert len(listed) == len(starts)


TOC_LINE = re.compile(r"^(\w[\w ]*?)(?:\s*\.)+\s*(\d+)$")


def _action(uri: bytes, tooltip: bytes) -> bytes:
    return b"/A<</Type/Action/S/URI/URI" + uri + b">>/F 4/StructParent 7/Contents" + tooltip


@pytest.mark.parametrize(
    ("written", "label"),
    [
        # typst writes plain ASCII as a literal string, other text as hex UTF-8
        (_action(b"(kbtool-dest:topic-ml)", b"(kbtool-dest:topic-ml)"), "topic-ml"),
        (_action(b"(kbtool-dest:a\\(b\\)\\\\c)", b"(kbtool-dest:a)"), "a(b)\\c"),
        (
            _action(
                b"<" + "kbtool-dest:q-1--итоги".encode().hex().upper().encode() + b">",
                b"<FEFF" + "kbtool-dest:q-1--итоги".encode("utf-16-be").hex().encode() + b">",
            ),
            "q-1--итоги",
        ),
    ],
)
def test_a_label_link_becomes_a_jump_in_place(written: bytes, label: str) -> None:
    pdf = b"1 0 obj\n<</Type/Annot/Subtype/Link/Rect[0 0 1 1]" + written + b">>\nendobj\n"
    resolved = pdf_links.resolve(pdf)
    assert len(resolved) == len(pdf)  # no offset of the file moves
    found = re.search(rb"/Dest(<[0-9A-F]*>|\((?:[^()\\]|\\.)*\))", resolved)
    assert found is not None
    name = found.group(1)
    decoded = bytes.fromhex(name[1:-1].decode()) if name.startswith(b"<") else name[1:-1]
    assert decoded.decode() == label
    assert b"/URI" not in resolved and b"/F 4/StructParent 7/Contents" in resolved


def test_web_links_are_left_alone() -> None:
    pdf = _action(b"(https://example.org/a)", b"(https://example.org/a)")
    assert pdf_links.resolve(pdf) == pdf
