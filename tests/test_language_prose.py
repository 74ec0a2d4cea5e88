"""What the language guess reads (``kbtool/normalize/language.py``): code, math, HTML
and link targets as the parser reads them (``fixtures/language/prose.yml``), and the
shortcut for text where none of them can start agrees with the parse."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kbtool.normalize.language import SAMPLE, _markdown_prose, parsed_prose, plain_head, prose
from tests.conftest import FIXTURES
from tests.test_markdown_differential import PIECES, assemble

CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "language" / "prose.yml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_prose(case: dict[str, str]) -> None:
    assert prose(case["text"]) == case["prose"]


PLAIN = [
    "Что такое dropout и зачем он нужен?",
    "Plain words, *emphasis*, __strong__ and a #hashtag.",
    "  two spaces, then\nmore lines\n\n- a list\n> a quote\n# a heading",
    "A very long line. " * 100,
]


@st.composite
def _texts(draw: st.DrawFn) -> str:
    return assemble(draw, [*PIECES, *PLAIN], ["\n", "\n\n", "\r\n"])


@settings(max_examples=200, deadline=None)
@given(_texts(), st.sampled_from([0, 40, SAMPLE, SAMPLE * 4]))
@example(  # a fence in a quote: its span starts at the "> " before the limit
    "> Что такое dropout и зачем он нужен?\n> ```\n> code ` tick\n> ```\nText.\n", 40
)
def test_the_shortcut_agrees_with_the_parse(text: str, limit: int) -> None:
    if plain_head(text, limit):
        assert parsed_prose(text, limit) == text[:limit]
    assert _markdown_prose(text, limit) == (
        text[:limit] if plain_head(text, limit) else parsed_prose(text, limit)
    )


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_not_parsed_differently(text: str) -> None:
    for limit in (10, SAMPLE, SAMPLE * 4):
        if plain_head(text, limit):
            assert parsed_prose(text, limit) == text[:limit]
