"""The PDF builds whatever Markdown and TeX an answer holds: one construct pandoc's
typst writer calls a helper for (``---``), or one formula it writes with a name typst
no longer knows (``\\cap``), made the whole sheet fail to compile. Cases in
``fixtures/export/pdf/markdown/``; each sheet is read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kbtool.export.base import ExportRequest
from kbtool.export.pdf import PdfExporter
from kbtool.model.entry import Entry
from kbtool.store.entry_file import EntryDocument
from tests.conftest import FIXTURES

CASES = FIXTURES / "export" / "pdf" / "markdown"
CONSTRUCTS = yaml.safe_load((CASES / "constructs.yaml").read_text("utf-8"))
FORMULAS = [
    line.strip()
    for line in (CASES / "tex-commands.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def entry(number: int, title: str, body: str) -> EntryDocument:
    data = {
        "id": f"case-{number:03d}",
        "kind": "question",
        "title": title,
        "topic": "cases",
        "lang": "en",
        "status": "answered",
        "source": {"kind": "manual"},
        "created": "2024-05-01",
        "updated": "2024-05-01",
    }
    return EntryDocument(Entry.model_validate(data), body, 14, None)


def sheet_text(tmp_path: Path, docs: list[EntryDocument]) -> str:
    out = tmp_path / "sheet.pdf"
    result = PdfExporter().export(ExportRequest(base=tmp_path, out=out, documents=docs, options={}))
    assert result.entries == len(docs)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(out).pages)


def test_every_construct_prints(tmp_path: Path) -> None:
    docs = [
        entry(n, f"Construct {name}?", case["body"])
        for n, (name, case) in enumerate(CONSTRUCTS.items())
    ]
    text = sheet_text(tmp_path, docs)
    for name, case in CONSTRUCTS.items():
        assert f"Construct {name}?" in text
        for shown in case["shows"]:
            assert shown in text, (name, shown)


@pytest.mark.parametrize("display", [False, True], ids=["inline", "display"])
def test_every_tex_command_compiles(tmp_path: Path, display: bool) -> None:
    docs = [
        entry(n, f"Formula {n}?", f"$$\n{tex}\n$$" if display else f"Inline ${tex}$ here.")
        for n, tex in enumerate(FORMULAS)
    ]
    text = sheet_text(tmp_path, docs)
    assert all(f"Formula {n}?" in text for n in range(len(FORMULAS)))
    for glyph in ("∩", "⋂", "⊕", "⊗", "⟦"):  # \cap \bigcap \oplus \otimes \llbracket
        assert glyph in text, glyph
