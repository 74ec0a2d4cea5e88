"""The one placeholder list: lint (KB201) and import agree on what is no answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.placeholders import (
    _LINE_END,
    _MOST_LETTERS,
    _NOT_A_LETTER,
    SCAFFOLD,
    _too_many_letters,
    is_placeholder,
    is_unanswered,
    parsed_reading,
    plain,
)

CASES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "placeholders" / "cases.yml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("text", CASES["placeholder"])
def test_placeholder(text: str) -> None:
    assert is_placeholder(text)
    assert is_unanswered(f"## Details\n\n{text}\n")


@pytest.mark.parametrize("text", CASES["answer"])
def test_answer(text: str) -> None:
    assert not is_placeholder(text)
    assert not is_unanswered(text)


def test_scaffold_answer_is_a_placeholder() -> None:
    assert is_placeholder(SCAFFOLD)


def test_long_body_is_an_answer() -> None:
    assert not is_unanswered("TODO\n\n" + "word " * 100)


# What a short answer may be made of: block markers that must be read by the parser,
# and plain lines that need no parse.
_PIECES = [
    "TODO",
    "- TBD",
    "-TODO",
    "1. TODO",
    "2) ответ",
    "> TODO",
    ">TODO",
    "# TODO",
    "Answer\n---",
    "Answer\n===",
    "* * *",
    "___",
    "**TODO**",
    "_TODO_",
    "`todo`",
    "```\nTODO\n```",
    "~~~\nTODO",
    "    TODO",
    "\tTODO",
    "<answer>",
    "<div>\nTODO\n</div>",
    "[answer]",
    "[answer]: /x",
    "$$\nx\n$$",
    "| a | b |\n|---|---|\n| TODO | x |",
    ": TODO",
    "Ответ: TODO",
    "A: …",
    "plain words, then more",
    "  indented continuation",
    "+ TODO",
    "= TODO",
]


@st.composite
def _answers(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4))
    joins = draw(st.lists(st.sampled_from(["\n", "\n\n", "\r\n"]), min_size=3, max_size=3))
    text = parts[0]
    for join, part in zip(joins, parts[1:], strict=False):
        text += join + part
    return text


@settings(max_examples=300, deadline=None)
@given(_answers())
def test_plain_text_needs_no_parse(text: str) -> None:
    """The shortcut agrees with the parser: text it takes as plain reads the same."""
    lines = _LINE_END.split(text)
    if plain(lines):
        assert " ".join(parsed_reading(text, lines).split()) == " ".join(text.split())


@pytest.mark.parametrize("text", [*CASES["placeholder"], *CASES["answer"], *_PIECES])
def test_plain_cases_need_no_parse(text: str) -> None:
    lines = _LINE_END.split(text)
    if plain(lines):
        assert " ".join(parsed_reading(text, lines).split()) == " ".join(text.split())


@pytest.mark.parametrize(
    ("body", "unanswered"),
    [
        # list, quote and numbered markers are the parser's
        ("1. TODO", True),
        ("- [ ] TODO", False),
        ("-TODO", False),  # no list: a paragraph that starts with "-"
        # section headings are skipped, setext ones too, as lint (KB201) skips them
        ("Details\n-------\n\nTODO", True),
        ("## Details\n\nTBD", True),
        # a "#" line in fenced code is code, not a heading: the answer is the code
        ("```python\n# TODO\n```", False),
        ("```\n# heading?\n```\n\nTODO", False),
        # a heading in a quote is not a section heading: it is the answer's text
        ("> ## Note\n> TODO", False),
    ],
)
def test_unanswered_reads_the_parse(body: str, unanswered: bool) -> None:
    assert is_unanswered(body) is unanswered


@settings(max_examples=300, deadline=None)
@given(_answers(), st.integers(0, 3))
def test_letter_bound_never_hides_a_placeholder(text: str, repeat: int) -> None:
    """Text cut short by the letter count is never a placeholder when read in full."""
    text = text + (" word" * 30) * repeat
    if _too_many_letters(text, frozenset()):
        lines = _LINE_END.split(text)
        value = " ".join(parsed_reading(text, lines).split())
        assert len(_NOT_A_LETTER.sub("", value)) > _MOST_LETTERS
