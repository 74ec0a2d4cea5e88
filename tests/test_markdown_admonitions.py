"""MkDocs admonitions written as CommonMark shows what MkDocs does.

Each ``tests/fixtures/markdown/admonitions/<case>.md`` is unwrapped and compared with
``<case>.expected.md``; generated documents (the nasty constructs of the differential
tests, with boxes among them) keep their line count, and a document without a box is
left as it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.markdown.admonitions import unwrap, unwrapped
from tests.conftest import FIXTURES
from tests.test_markdown_differential import PIECES, assemble

CASES = FIXTURES / "markdown" / "admonitions"
INPUTS = sorted(p for p in CASES.glob("*.md") if not p.name.endswith(".expected.md"))
BOXES = [
    '!!! note "Title"\n    body',
    '??? success "View Answer"\n\n    ## Part\n\n    **Bold?**\n\n    ```\n    open',
    "???+ tip\n    one\n    !!! warning\n        nested",
]


@pytest.mark.parametrize("case", INPUTS, ids=lambda p: p.name)
def test_case(case: Path) -> None:
    source = case.read_text("utf-8").split("\n")
    expected = case.with_name(case.stem + ".expected.md").read_text("utf-8").split("\n")
    assert unwrapped(source) == expected


def test_an_answer_box_names_its_lines() -> None:
    lines = (CASES / "answer-box.md").read_text("utf-8").split("\n")
    _out, answers = unwrap(lines)
    assert answers == [range(3, 14)]  # under the marker, to the insight's last line


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_lines_stay_where_they_were(data: st.DataObject) -> None:
    text = data.draw(st.composite(lambda draw: assemble(draw, [*PIECES, *BOXES], ["\n", "\n\n"]))())
    lines = text.split("\n")
    out = unwrapped(lines)
    assert len(out) == len(lines)
    if "!!!" not in text and "???" not in text:
        assert out == lines
