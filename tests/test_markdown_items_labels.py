"""kbtool.markdown.items (the list items an author meant) and kbtool.markdown.labels
(``Q:``/``A:`` labels) against ``tests/fixtures/markdown/items-and-labels.yml``."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kbtool.markdown.document import parse
from kbtool.markdown.items import item_lines
from kbtool.markdown.labels import labels
from tests.conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "markdown" / "items-and-labels.yml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_items_and_labels(case: dict[str, Any]) -> None:
    text = case["markdown"]
    if "items" in case:
        doc = parse(text)
        got = [[n, i.marker, i.column, i.depth > 0] for n, i in item_lines(doc).items()]
        assert got == case["items"]
        for n, item in item_lines(doc).items():
            assert text[item.start : item.start + len(item.marker)] == item.marker, n
    if "labels" in case:
        got = [[x.role, x.line, x.strong, x.whole, x.rest, x.answered] for x in labels(text)]
        assert got == case["labels"]
