"""The general Markdown importer reads TOC rows, back-to-top and footer links and the
anchors it relinks from the parsed document (``kbtool/importers/general_markdown.py``).

Each ``fixtures/general_markdown/<case>.md`` is read by the importer itself (no
detection: these files have a table of contents, which the qa-markdown importer would
claim); ``<case>.expected.yaml`` holds each entry's title, lines and body (with the
``kbtool-entry:`` links the run resolves later) and every dropped line by reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kbtool.importers.base import ImportOptions
from kbtool.importers.general_markdown import GeneralMarkdownImporter
from tests.conftest import FIXTURES

CASES = sorted((FIXTURES / "general_markdown").glob("*.md"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_links_read_from_the_parse(case: Path) -> None:
    expected = yaml.safe_load(case.with_name(case.stem + ".expected.yaml").read_text("utf-8"))
    result = GeneralMarkdownImporter().parse(
        case.read_text(encoding="utf-8"), case, ImportOptions()
    )
    got = [{"title": e.title, "units": list(e.units), "body": e.body} for e in result.entries]
    assert got == expected["entries"]
    dropped: dict[str, list[int]] = {}
    for d in result.dropped:
        key = d.reason.value + (f": {d.note}" if d.note else "")
        dropped.setdefault(key, []).extend(d.units)
    assert {k: sorted(v) for k, v in dropped.items()} == expected["dropped"]
