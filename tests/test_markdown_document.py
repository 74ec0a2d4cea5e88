"""kbtool.markdown.document against the cases in ``tests/fixtures/markdown/document.yml``,
and its position invariants on every Markdown fixture of the project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kbtool.markdown.document import Document, parse
from tests.conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "markdown" / "document.yml").read_text(encoding="utf-8"))
MARKDOWN_FILES = sorted(FIXTURES.rglob("*.md"))


def _facts(doc: Document) -> dict[str, list[list[Any]]]:
    return {
        "headings": [[h.level, h.text, h.slug, h.line] for h in doc.headings],
        "links": [[x.kind, x.target, x.line, x.column] for x in doc.links],
        "anchors": [[a.id, a.line, a.text] for a in doc.anchors],
        "toc": [[t.text, t.fragment, t.line] for t in doc.toc],
        "spans": [[s.kind, s.line, s.content] for s in doc.spans],
        "sections": [[s.heading.text, s.content_line, s.end_line] for s in doc.sections],
        "list_items": [[i.marker, i.line, i.end_line, i.column, i.depth] for i in doc.list_items],
    }


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_document_case(case: dict[str, Any]) -> None:
    facts = _facts(parse(case["markdown"]))
    for key, got in facts.items():
        if key in case:
            assert got == case[key], key


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_positions_point_at_the_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    doc = parse(text)
    for link in doc.links:
        assert text[link.start : link.end] == link.target, link
        assert doc.position(link.start)[0] >= link.line
    for item in doc.toc:
        assert text[item.start : item.end] == item.fragment, item
    for span in doc.spans:
        assert doc.position(span.start)[0] == span.line, span
    for heading in doc.headings:
        assert doc.position(heading.start)[0] == heading.line, heading
    for item in doc.list_items:
        assert text[item.start : item.start + len(item.marker)] == item.marker, item
        assert doc.position(item.start) == (item.line, item.column), item
