"""The block facts the PDF exporter asks before pandoc reads an entry
(:mod:`kbtool.markdown.blocks`): the code fence or HTML block an answer leaves open,
and how deep its lists and quotes nest.

``close_blocks`` was ``close_blocks``, a line scan with a fence pattern; :func:`line_scan`
below is that scanner, kept as the reference. Where it was right (the entry after the
answer stays an entry) the parser's answer is the same, on the CommonMark spec's
examples and on generated documents; where they differ the parser wins, and the cases
say why. Whatever an answer holds, the entry after it is read as an entry.
``nesting`` stays a cheap bound (a parse of every answer on every export costs about
twenty times as much); it is proven never below the parser's depth, which decides.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kbtool.export.typst_source import (
    MAX_NESTING,
    _pieces,
    build,
    close_blocks,
    nesting,
    too_deep,
)
from kbtool.markdown.blocks import container_depth, left_open
from kbtool.markdown.document import parse
from kbtool.store import entry_file
from tests.conftest import FIXTURES
from tests.test_markdown_differential import PIECES, assemble, documents

SPEC = json.loads((FIXTURES / "commonmark" / "spec-0.31.2.json").read_text(encoding="utf-8"))
NEXT = "\n## Next entry {#next .kb-entry}\n"  # what follows an answer in the sheet


def line_scan(body: str) -> str:
    """``close_blocks`` as it was: a line scan for fences."""
    fence: str | None = None
    for line in body.split("\n"):
        match = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if fence is None:
            if match:
                fence = match.group(1)
        elif line.strip().startswith(fence) and set(line.strip()) <= {fence[0]}:
            fence = None
    return body if fence is None else body + "\n" + fence


def next_entry_swallowed(closed: str) -> bool:
    """Whether the heading after ``closed`` (an answer as the sheet holds it) is not
    read as a heading at the top: a block the answer left open swallowed it."""
    text = closed + "\n" + NEXT
    line = text.count("\n")  # the heading's 1-based line
    return not any(h.line == line and h.depth == 0 for h in parse(text).headings)


def agrees(body: str) -> None:
    closed = close_blocks(body)
    assert not next_entry_swallowed(closed), closed
    assert closed == body or left_open(body) is not None  # only what is open is closed
    old = line_scan(body)
    if not next_entry_swallowed(old):  # the scanner was right here: the same answer
        assert closed == old, (body, old)


@pytest.mark.parametrize("case", SPEC, ids=lambda c: f"example-{c['example']}")
def test_close_blocks_on_the_spec_examples(case: dict[str, Any]) -> None:
    agrees(case["markdown"])


OPEN_BLOCKS = [
    "<!-- left open",
    "<pre>\nleft open\n\n# not a heading",
    "<?php left open",
    "<!X left open",
    "<![CDATA[ left open",
    "```\nleft open",
    "~~~~\nleft open\n~~~",
]


@st.composite
def answers(draw: st.DrawFn) -> str:
    """Generated documents whose pieces include blocks left open."""
    return assemble(draw, PIECES + OPEN_BLOCKS, ["\n", "\n\n", "\r\n"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example("```\ncode")
@example("~~~~ python\ncode\n~~~")
@example("<!-- a comment left open")
def test_close_blocks_on_generated_documents(text: str) -> None:
    agrees(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_close_blocks_on_answers_with_blocks_left_open(text: str) -> None:
    agrees(text)


@pytest.mark.parametrize(
    ("body", "scanner", "parser"),
    [
        # a code span on a line of its own: no fence, nothing to close (the scanner
        # added an opening fence that swallowed every entry after it)
        ("``` x ```", "``` x ```\n```", "``` x ```"),
        # indented four spaces, ``` closes nothing: the fence is still open
        ("```\ncode\n    ```", "```\ncode\n    ```", "```\ncode\n    ```\n```"),
        # a fence in a list item, closed in it: the scanner took its closing line for
        # an opening one at the top and added a fence that was never closed
        ("- ```\n  code\n  ```", "- ```\n  code\n  ```\n```", "- ```\n  code\n  ```"),
    ],
)
def test_where_the_scanner_was_wrong_the_parser_wins(body: str, scanner: str, parser: str) -> None:
    assert line_scan(body) == scanner
    assert close_blocks(body) == parser
    assert not next_entry_swallowed(parser)


@pytest.mark.parametrize(
    ("body", "closing"),
    [
        ("Text.\n\n<!-- a comment left open", "-->"),
        ("<pre>\ncode\n\nmore code", "</pre>"),
        ("<STYLE>\np { }", "</style>"),
        ("<?php echo 1;", "?>"),
        ("<!DOCTYPE html", ">"),
        ("<![CDATA[ data", "]]>"),
        ("```\n<!-- in code", "```"),
        ("<!-- closed -->", None),
        ("<div>\nends at a blank line", None),
        ("- <!-- in a list item, which ends first", None),
    ],
)
def test_an_html_block_left_open_is_closed(body: str, closing: str | None) -> None:
    """Only its end marker ends such a block: left open, it took every later entry
    into one HTML block and the sheet split into too few pieces."""
    assert left_open(body) == closing
    assert close_blocks(body) == (body if closing is None else body + "\n" + closing)
    assert not next_entry_swallowed(close_blocks(body))


# ---------------------------------------------------------------- nesting

CONTAINERS = ["> ", ">", ">\t", "- ", "* ", "+\t", "1. ", "10) ", "-   "]


@st.composite
def nested(draw: st.DrawFn) -> str:
    """Blocks inside up to forty containers: a quote prefixes every line, a list item
    marks its first line and indents the rest (by spaces or a tab), sometimes lazily."""
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        lines = assemble(draw, PIECES, ["\n", "\n\n"]).split("\n")
        for _level in range(draw(st.integers(0, 40))):
            marker = draw(st.sampled_from(CONTAINERS))
            if marker.startswith(">"):
                lines = [marker + line for line in lines]
                continue
            indent = draw(st.sampled_from([" " * len(marker.expandtabs(4)), "\t"]))
            lazy = draw(st.booleans())
            rest = [
                line if lazy and line and n % 3 == 2 else indent + line
                for n, line in enumerate(lines[1:])
            ]
            lines = [marker + lines[0], *rest]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested())
@example("> - a\n>\t- b")  # a tab after ">": two of its columns indent the item
@example("- a\n\t- b\n\t\t- c")
@example(">> > > - a\n>> > > \t- b\n")  # a tab after "> ": the rest of it indents the item
def test_the_bound_is_never_below_the_parsers_depth(text: str) -> None:
    depth = container_depth(text, 100)
    assert nesting(text) >= depth
    assert too_deep(text) == (depth > MAX_NESTING)


@pytest.mark.parametrize("case", SPEC, ids=lambda c: f"example-{c['example']}")
def test_the_bound_on_the_spec_examples(case: dict[str, Any]) -> None:
    assert nesting(case["markdown"]) >= container_depth(case["markdown"], 100)


@pytest.mark.parametrize(
    ("body", "deep"),
    [
        ("- " * MAX_NESTING + "x", False),
        ("- " * (MAX_NESTING + 1) + "x", True),
        ("> " * (MAX_NESTING + 1) + "x", True),
        ("- " * 10_000 + "x", True),  # read no deeper than the limit: no recursion error
        ("> " * 10_000 + "x", True),
        ("".join("  " * i + "- x\n" for i in range(700)), True),
        ("```\n" + " " * 80 + "deeply indented code\n```", False),  # the bound says 40
        ("```\n" + "> " * 40 + "\n```", False),  # quote markers in code
    ],
)
def test_too_deep_is_the_parsers_reading(body: str, deep: bool) -> None:
    assert too_deep(body) is deep


# ---------------------------------------------------------------- pieces


def _entry(entry_id: str, title: str, body: str) -> entry_file.EntryDocument:
    text = (
        f"---\nid: {entry_id}\nkind: question\ntitle: {title}\ntopic: python\nlang: en\n"
        "status: answered\nsource:\n  kind: manual\ncreated: 2024-05-01\n"
        f"updated: 2024-05-01\n---\n\n{body}\n"
    )
    return entry_file.parse(text, f"{entry_id}.md")


def test_a_line_of_an_answer_is_never_a_piece_boundary() -> None:
    """The pieces are carried as data: an answer quoting the sheet's own heading
    syntax stays in its entry's piece."""
    tricky = "```markdown\n## Other {#b .kb-entry}\n# Topic {#topic-x .kb-topic}\n```"
    docs = [_entry("a", "A", tricky), _entry("b", "B", "Plain.")]
    pieces = _pieces(docs, answers=True)
    assert [p.doc.entry.id if p.doc else None for p in pieces] == [None, "a", "b"]
    assert tricky in pieces[1].markdown
    assert pieces[0].markdown == "# Python {#topic-python .kb-topic}\n"
    assert pieces[2].markdown == "## B {#b .kb-entry}\n\nPlain.\n"


def test_an_answer_left_open_keeps_the_sheet_whole(tmp_path: Path) -> None:
    """pandoc reads every piece in one document: an answer's open comment or fence
    took the pieces after it, and the whole sheet failed (wrong number of pieces)."""
    docs = [
        _entry("a", "A", "Text.\n\n<!-- a comment left open"),
        _entry("b", "B", "```\ncode left open"),
        _entry("c", "C", "Last."),
    ]
    built = build(tmp_path, docs, answers=True)
    assert list(built.entry_labels) == ["<a>", "<b>", "<c>"]
    assert all(f"<{x}>" in built.body for x in "abc")
    assert "Last." in built.body
