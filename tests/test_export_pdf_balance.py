"""A part's last page's balancing, as geometry: from where typst put the marks to the room
left at the foot of the page (cases in ``fixtures/export/pdf/balance.yml``). The
layout tests check the result in real PDFs."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from kbtool.export.balance import Mark, attempts, holds, marks
from tests.conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "export" / "pdf" / "balance.yml").read_text("utf-8"))
TOP, BOTTOM = 36.85, 805.04


def mark(kind: str, where: dict[str, Any]) -> Mark:
    return Mark(kind, where["page"], where["column"], where["y"], TOP, BOTTOM)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["name"])
def test_rooms_to_try(case: dict[str, Any]) -> None:
    start, end = mark("kbstart", case["start"]), mark("kbend", case["end"])
    assert attempts(start, end, case["columns"]) == pytest.approx(case["rooms"], abs=0.011)


def test_marks_are_read_from_a_metadata_query() -> None:
    found = [
        None,  # other metadata of the sheet is ignored
        {
            "kind": "kbstart",
            "part": 0,
            "page": 1,
            "column": 0,
            "y": 210.5,
            "top": TOP,
            "bottom": BOTTOM,
        },
        "text",
        {
            "kind": "kbend",
            "part": 0,
            "page": 3,
            "column": 1,
            "y": 99.0,
            "top": TOP,
            "bottom": BOTTOM,
        },
        {
            "kind": "kbend",
            "part": 1,
            "page": 5,
            "column": 0,
            "y": 400.0,
            "top": TOP,
            "bottom": BOTTOM,
        },
        {
            "kind": "kbstart",
            "part": 1,
            "page": 4,
            "column": 0,
            "y": TOP,
            "top": TOP,
            "bottom": BOTTOM,
        },
    ]
    assert marks(json.dumps(found)) == [
        (Mark("kbstart", 1, 0, 210.5, TOP, BOTTOM), Mark("kbend", 3, 1, 99.0, TOP, BOTTOM)),
        (Mark("kbstart", 4, 0, TOP, TOP, BOTTOM), Mark("kbend", 5, 0, 400.0, TOP, BOTTOM)),
    ]
    assert marks(json.dumps(found[:2])) is None  # no end: nothing to balance
    assert marks(json.dumps(found[:5])) is None  # a part without its start
    assert marks('{"kind": "kbend"}') is None


def test_a_balanced_part_must_span_the_same_pages() -> None:
    start, end = Mark("kbstart", 2, 0, TOP, TOP, BOTTOM), Mark("kbend", 4, 0, 500.0, TOP, BOTTOM)
    assert holds((start, end), (start, end._replace(column=1, y=300.0)))
    moved = start._replace(page=3)  # an earlier part grew: this one starts a page later
    assert holds((start, end), (moved, end._replace(page=5, column=1, y=300.0)))
    assert not holds((start, end), (start, end._replace(page=5, y=60.0)))
