"""Which lines start a list item, as the author of raw notes meant them.

The parser's list items are the answer where it reads a list. Raw notes also hold
items the parser reads as text: a ``2. …`` line right under a paragraph line (only a
list starting at 1 may interrupt a paragraph), or a list indented by four spaces under
a paragraph (a lazy continuation line, or indented code after a blank line). Whether
such a line would start an item is asked of the parser too: each one is read again on
its own, without its indentation, so no pattern of list markers is kept here.
"""

from __future__ import annotations

from kbtool.markdown.document import Document, ListItem, parse

_MARKER_START = frozenset("-*+0123456789")


def item_lines(doc: Document) -> dict[int, ListItem]:
    """The item each 1-based line starts: the outermost of the parser's items opening on
    it (outside block quotes), else the item the line would start on its own (its
    ``depth`` is 0: the parser reads no item there). Lines in quotes, fenced code, HTML
    and math blocks start none."""
    found: dict[int, ListItem] = {}
    for item in doc.list_items:
        if item.line not in found and _blank_before(doc, item.line, item.start):
            found[item.line] = item
    candidates = [n for n in _text_lines(doc) if n not in found]
    if candidates:
        found.update(_would_start(doc, candidates))
    return dict(sorted(found.items()))


def content_column(item: ListItem, line: str) -> int:
    """0-based column where the parser puts the item's content on ``line`` (its first
    line): after the marker and 1 to 4 spaces (one when there are more, or no text)."""
    after = line[item.column - 1 + len(item.marker) :]
    spaces = len(after) - len(after.lstrip(" "))
    if spaces == 0 or spaces > 4 or not after.strip():
        spaces = 1
    return item.column - 1 + len(item.marker) + spaces


def _blank_before(doc: Document, line: int, offset: int) -> bool:
    """Only blanks between the line's start and ``offset`` (no quote marker)."""
    return not doc.text[doc.line_starts[line - 1] : offset].strip()


def _text_lines(doc: Document) -> list[int]:
    """Lines the parser reads as paragraph continuation or indented code, outside
    quotes, whose text starts like a list marker could."""
    quoted: set[int] = set()
    lines: set[int] = set()
    for block in doc.blocks:
        if block.kind == "blockquote":
            quoted.update(range(block.line, block.end_line + 1))
        elif block.kind == "paragraph":
            lines.update(range(block.line + 1, block.end_line + 1))
        elif block.kind == "code_block":
            lines.update(range(block.line, block.end_line + 1))
    out = []
    for n in sorted(lines - quoted):
        text = _line(doc, n).lstrip(" \t")
        if text[:1] in _MARKER_START:
            out.append(n)
    return out


def _line(doc: Document, n: int) -> str:
    start = doc.line_starts[n - 1]
    end = doc.line_starts[n] if n < len(doc.line_starts) else len(doc.text)
    return doc.text[start:end].rstrip("\r\n")


def _would_start(doc: Document, candidates: list[int]) -> dict[int, ListItem]:
    """Each candidate line read on its own (dedented, a blank line between them): the
    ones the parser then reads as starting an item, with that item's marker."""
    texts = [_line(doc, n) for n in candidates]
    alone = parse("\n\n".join(text.lstrip(" \t") for text in texts))
    found: dict[int, ListItem] = {}
    for item in alone.list_items:
        index, rest = divmod(item.line - 1, 2)
        if rest or item.column != 1 or index >= len(candidates):
            continue
        n = candidates[index]
        indent = len(texts[index]) - len(texts[index].lstrip(" \t"))
        start = doc.line_starts[n - 1] + indent
        found.setdefault(n, ListItem(item.marker, n, n, indent + 1, start, 0))
    return found
