"""A Markdown source as a flat list of blocks with their source lines, from markdown-it tokens.

The general Markdown importer decides what is a question by block shape (a heading,
a bold paragraph, a list, an HTML block, a rule), never by matching lines against
patterns for Markdown structure: fences, setext headings, lists and HTML blocks are
what the shared parser (``kbtool.markdown.parser``) says they are. A heading nested
in a list item (what docx converters write) becomes a block of its own, and the rest
of that item an ``other`` block after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from kbtool.importers.source_front_matter import body_markdown
from kbtool.markdown.document import tokens as parsed_tokens

_KINDS = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "hr",
    "table_open": "table",
    "blockquote_open": "quote",
    "math_block": "math",
    "math_block_label": "math",
}


@dataclass
class Item:
    """One list item: its lines (1-based, inclusive) and the text of its first paragraph."""

    start: int
    end: int
    text: str
    more: bool  # holds more than its first paragraph (an answer indented under it)


@dataclass
class Block:
    """A top-level block: ``kind`` is heading, paragraph, list, code, html, hr, table,
    quote, math, or label (a list item that only names the section a heading nested in
    it starts: what docx converters make of a numbered outline); lines are 1-based and
    inclusive."""

    kind: str
    start: int
    end: int
    level: int = 0  # heading level
    text: str = ""  # heading or paragraph inline source, or the HTML block
    ordered: bool = False
    items: list[Item] = field(default_factory=list)
    # first line of the list item this block was read from when a heading nests in that
    # item (``1. ### Question`` and its indented answer); 0 for any other block
    item: int = 0


def blocks(text: str, first_line: int = 1) -> list[Block]:
    """The top-level blocks of ``text`` in order; ``first_line`` is the line ``text`` starts
    on (a body after front matter: parsed as every importer of the file parses it, so the
    parse is shared)."""
    return _blocks(body_markdown(text, first_line), 0)


def _blocks(text: str, offset: int) -> list[Block]:
    """The blocks of ``text``, whose first line is the source's line ``offset + 1``."""
    tokens = parsed_tokens(text if text.endswith("\n") else text + "\n")
    lines = text.split("\n")
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = _KINDS.get(token.type)
        if token.level != 0 or kind is None or token.map is None:
            i += 1
            continue
        start, end = token.map[0] + 1 + offset, token.map[1] + offset
        close = _closing(tokens, i)
        if kind == "heading":
            out.append(Block(kind, start, end, int(token.tag[1]), tokens[i + 1].content))
        elif kind == "paragraph":
            out.append(Block(kind, start, end, text=tokens[i + 1].content))
        elif kind == "list":
            out.extend(_list(tokens[i : close + 1], start, end, offset, lines))
        elif kind in ("code", "html", "math"):
            out.append(Block(kind, start, end, text=token.content))
        else:
            out.append(Block(kind, start, end))
        i = close + 1
    return out


def _closing(tokens: Sequence[Token], i: int) -> int:
    """Index of the token that closes the block opened at ``tokens[i]``."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _list(
    tokens: Sequence[Token], start: int, end: int, offset: int, lines: list[str]
) -> list[Block]:
    """A list block, split where a heading nests in one of its items; what follows that
    heading is read again, moved left to its column, as blocks of its own."""
    ordered = tokens[0].type == "ordered_list_open"
    items: list[Item] = []
    split: list[Block] = []
    for j, token in enumerate(tokens):
        if token.type == "list_item_open" and token.level == 1 and token.map is not None:
            close = _closing(tokens, j)
            inner = tokens[j + 1 : close]
            first = next((t.content for t in inner if t.type == "inline"), "")
            opens = [t for t in inner if t.level == 2 and t.nesting in (0, 1)]
            items.append(
                Item(token.map[0] + 1 + offset, token.map[1] + offset, first, len(opens) > 1)
            )
        elif token.type == "heading_open" and token.map is not None and not split:
            line = token.map[0] + 1 + offset
            heading = Block("heading", line, token.map[1] + offset, int(token.tag[1]))
            heading.text = tokens[j + 1].content
            split.append(heading)
    if not split:
        return [Block("list", start, end, ordered=ordered, items=items)]
    cut = split[0].start
    kept = [
        Item(item.start, min(item.end, cut - 1), item.text, item.more and item.end < cut)
        for item in items
        if item.start < cut
    ]
    out: list[Block] = []
    # a list whose only item so far names the section of the heading nested in it
    alone = len(kept) == 1 and kept[0].start == cut - 2
    holder = kept.pop() if alone else None
    if kept:
        out.append(Block("list", start, kept[-1].end, ordered=ordered, items=kept))
    if holder is not None and "\n" not in holder.text:  # "1. Basics" above "## Question"
        level = max(1, split[0].level - 1)
        out.append(Block("label", holder.start, cut - 1, level, holder.text))
    elif holder is not None:
        out.append(Block("list", holder.start, cut - 1, ordered=ordered, items=[holder]))
    out.append(split[0])
    owner = max((item.start for item in items if item.start <= split[0].start), default=0)
    split[0].item = owner
    if split[0].end < end:
        head = lines[split[0].start - 1 - offset]
        column = head.find("#") if "#" in head else len(head) - len(head.lstrip())
        rest = lines[split[0].end - offset : end - offset]
        own = next(
            (i for i, line in enumerate(rest) if line.strip() and _indent(line) < column),
            len(rest),
        )  # the heading's own item ends where a line starts left of it
        moved = [line[min(column, _indent(line)) :] for line in rest[:own]] + rest[own:]
        for block in _blocks("\n".join(moved), split[0].end):
            if block.start <= split[0].end + own:  # the rest of the heading's own item
                block.item = owner
            out.append(block)
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
