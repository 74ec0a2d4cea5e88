"""Text a PDF of questions became (``kbtool.importers.pdf_text``): the cases it reads are
``tests/fixtures/import/pdf-text/*.txt`` (run by ``tests/test_import_markdown.py``);
here, the shapes it must leave to the other importers (``pdf-text/not/``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtool.importers import detect
from kbtool.importers.pdf_text import PdfTextImporter
from tests.conftest import FIXTURES

NOT = FIXTURES / "import" / "pdf-text" / "not"


@pytest.mark.parametrize("path", sorted(NOT.iterdir()), ids=lambda p: p.name)
def test_other_shapes_are_not_pdf_text(path: Path) -> None:
    """Labels with blank lines between paragraphs (typed text), two labels only, or
    labels out of order are no PDF's question list."""
    text = path.read_text("utf-8")
    assert PdfTextImporter().detect(text, path) < 0.5
    importer, _why = detect.choose(text, path, path.name)
    assert importer.name != "pdf-text"


@pytest.mark.parametrize("path", sorted(NOT.parent.glob("*.txt")), ids=lambda p: p.name)
def test_pdf_text_wins_detection(path: Path) -> None:
    importer, why = detect.choose(path.read_text("utf-8"), path, path.name)
    assert importer.name == "pdf-text", why
