"""Links between the entries of one import run, read from the parsed document
(``kbtool/importers/entry_links.py``): cases in ``fixtures/entry_links/cases.yaml``."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kbtool.importers.base import RawEntry
from kbtool.importers.entry_links import EntryIndex, entry_link, has_links, resolve
from tests.conftest import FIXTURES

DATA: dict[str, Any] = yaml.safe_load(
    (FIXTURES / "entry_links" / "cases.yaml").read_text(encoding="utf-8")
)


def _index() -> EntryIndex:
    index = EntryIndex()
    for name, file in DATA["entries"].items():
        index.add([name], file)
    return index


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: c["name"])
def test_resolve(case: dict[str, str]) -> None:
    raw = RawEntry(title="Here", body=case["body"])
    resolve(raw, "ml", _index())
    assert raw.body == case["want"]


def test_entry_link_round_trip() -> None:
    body = f"[the section]({entry_link('What is C#?')})"
    assert has_links(body)
    raw = RawEntry(title="Here", body=body)
    resolve(raw, "lang", _index())
    assert raw.body == "[the section](what-is-c.md)"
