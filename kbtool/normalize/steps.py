"""The normalization steps: each takes Markdown text and returns fixed Markdown text.

Each step fixes one way raw notes render wrong (or differently) across Markdown
renderers; ``kbtool.normalize.pipeline`` runs them in order. Code blocks are left
alone: steps that rewrite prose go through :func:`outside_code`. What is code, what
is a heading, a table or a list item (and its marker) is read with
:mod:`kbtool.markdown.document`; list items the parser reads as text but the author
meant as items come from :mod:`kbtool.markdown.items`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from kbtool.markdown.document import Document, ListItem, parse
from kbtool.markdown.items import content_column, item_lines
from kbtool.normalize.wikilinks import convert_wikilinks

_ANCHOR_WRAP = re.compile(r"<a\s+(?:id|name)\s*=\s*['\"]?[^'\">\s]*['\"]?\s*>(.*?)</a>", re.I)
_ANCHOR_EMPTY = re.compile(r"<a\s+(?:id|name)\s*=\s*['\"]?[^'\">\s]*['\"]?\s*/?>", re.I)


_CODE = frozenset({"fence", "code_inline"})


def outside_code(
    fix: Callable[[str], str], trigger: tuple[str, ...] = (), skip: frozenset[str] = _CODE
) -> Callable[[str], str]:
    """Apply a prose fix, line by line, to the text outside code: fenced code blocks and
    inline code spans as the parser reads them (a stray backtick opens no span).

    ``trigger``: substrings the fix needs to change anything; text with none of them
    is returned as it is without parsing (most bodies need no fix). ``skip``: the span
    kinds (of :class:`kbtool.markdown.document.Span`) left alone.
    """

    def apply(text: str) -> str:
        if trigger and not any(t in text for t in trigger):
            return text
        out: list[str] = []
        last = 0
        for span in parse(text).spans:
            if span.kind in skip and span.start >= last:
                out.append(_by_line(text[last : span.start], fix))
                out.append(text[span.start : span.end])
                last = span.end
        out.append(_by_line(text[last:], fix))
        return "".join(out)

    apply.__doc__ = fix.__doc__
    apply.__name__ = fix.__name__
    return apply


def _by_line(text: str, fix: Callable[[str], str]) -> str:
    return "\n".join(fix(line) for line in text.split("\n"))


def _code_mask(lines: list[str]) -> list[bool]:
    """True for lines of a fenced code block (fences included) outside containers, as
    the parser reads them: a fence an indented ``` does not close runs on."""
    mask = [False] * len(lines)
    if not any("```" in line or "~~~" in line for line in lines):
        return mask  # no fence: nothing to parse for
    for block in parse("\n".join(lines)).blocks:
        if block.kind == "fence" and block.depth == 0:
            for index in range(block.line - 1, min(block.end_line, len(lines))):
                mask[index] = True
    return mask


def clean_whitespace(text: str) -> str:
    """Tabs-free line ends, no-break-space-only lines blank, at most one blank line in a row."""
    lines = [
        line.rstrip() if line.strip() else "" for line in text.replace("\r\n", "\n").split("\n")
    ]
    mask = _code_mask(lines)
    out: list[str] = []
    for line, code in zip(lines, mask, strict=True):
        if not code and not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n")


@functools.partial(outside_code, trigger=("<",))
def strip_anchors(text: str) -> str:
    """Raw ``<a id=…>Title</a>`` anchors: keep the text, drop the tag (ids come from slugs)."""
    return _ANCHOR_EMPTY.sub("", _ANCHOR_WRAP.sub(r"\1", text))


def strip_line_break_backslashes(text: str) -> str:
    """A ``\\`` at a line end is a hard break that pandoc and others print literally.

    Drop it; the lines it separated become paragraphs, which render apart everywhere.
    """
    if "\\" not in text:
        return text
    lines = text.split("\n")
    mask = _code_mask(lines)
    items: dict[int, ListItem] | None = None
    out: list[str] = []
    for i, (line, code) in enumerate(zip(lines, mask, strict=True)):
        if code or not line.endswith("\\") or line.endswith("\\\\"):
            out.append(line)
            continue
        out.append(re.sub(r"\s*\\$", "", line))
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if items is None and following.strip():
            items = item_lines(parse(text))
        if following.strip() and items is not None and i + 2 not in items:
            out.append("")
    return "\n".join(out)


@functools.partial(outside_code, trigger=("$", "\\"))
def normalize_math(text: str) -> str:
    """``\\(x\\)`` -> ``$x$``, ``\\[x\\]`` -> ``$$x$$``, ``$ x $`` -> ``$x$``; only
    what reads as TeX: ``What is a \\[tuple\\]?`` escapes Markdown's brackets."""
    text = re.sub(r"\\\((.+?)\\\)", lambda m: _tex(m, "$"), text)
    text = re.sub(r"\\\[(.+?)\\\]", lambda m: _tex(m, "$$"), text)
    return re.sub(r"(?<![\\$])\$(?!\$)([^$]+?)(?<!\\)\$(?!\$)", _tight_math, text)


def _tex(match: re.Match[str], fence: str) -> str:
    """The ``\\(…\\)``/``\\[…\\]`` of ``match`` as ``$…$``/``$$…$$`` when its content
    reads as TeX (a TeX sign, or a symbol of one or two characters), else as written;
    content holding ``$`` math already is Markdown's escaped brackets around it
    (``\\[$T_0, T_1$\\]`` shows "[T₀, T₁]")."""
    inner = match.group(1).strip()
    if "$" in inner:
        return match.group(0)
    if _TEX_SIGN.search(inner) or (len(inner) <= 2 and " " not in inner):
        return f"{fence}{inner}{fence}"
    return match.group(0)


_TEX_SIGN = re.compile(r"[\\^_{}=+<>]|\d")


def _tight_math(match: re.Match[str]) -> str:
    """``$ x^2 $`` -> ``$x^2$``; text between two prices (``$5 and $``) is left alone."""
    inner = match.group(1)
    if inner == inner.strip() or not re.search(r"[\\^_{}=]", inner):
        return match.group(0)
    return f"${inner.strip()}$"


def reindent_lists(text: str) -> str:
    """Nested lists indented by the parent's content width, whatever the source used.

    Sources nest by 4 spaces (or 1, or 3); a list indented under a paragraph with no
    parent item becomes a code block or a lazy line. Each item's depth is read from
    its indent relative to the items above it, then re-indented to the parent marker's
    content column, which every CommonMark renderer and pandoc agree on. Fenced code
    inside an item moves with it and keeps its own indentation.
    """
    doc = parse(text)
    items = item_lines(doc)
    if not items:
        return text  # no item: every line stays as it is
    lines = text.split("\n")
    mask = _code_mask(lines)
    fenced = _nested_fences(doc)
    stack: list[tuple[int, int, int]] = []  # (raw indent, output and source content column)
    out: list[str] = []
    for number, (line, code) in enumerate(zip(lines, mask, strict=True), 1):
        item = items.get(number)
        if code:
            out.append(line)
        elif item is not None:
            raw = item.column - 1
            while stack and raw <= stack[-1][0]:
                stack.pop()
            indent = stack[-1][1] if stack else 0
            after = line[raw + len(item.marker) :]
            stack.append((raw, indent + len(item.marker) + 1, content_column(item, line)))
            out.append(" " * indent + item.marker + " " + after.lstrip())
        elif not line.strip():
            out.append(line)
        elif stack and number in fenced and line.startswith(" "):
            shift = stack[-1][1] - stack[-1][2]
            own = len(line) - len(line.lstrip(" "))
            out.append(" " * max(0, own + shift) + line.lstrip(" "))
        elif stack and line.startswith(" "):
            out.append(" " * stack[-1][1] + line.lstrip())
        else:
            stack.clear()
            out.append(line)
    return "\n".join(out)


def _nested_fences(doc: Document) -> set[int]:
    """Lines of fenced code blocks inside containers (list items)."""
    return {
        n
        for block in doc.blocks
        if block.kind == "fence" and block.depth
        for n in range(block.line, block.end_line + 1)
    }


def blank_line_around_blocks(text: str) -> str:
    """A paragraph directly followed by a list, table or heading gets a blank line between.

    CommonMark lets a ``-`` list interrupt a paragraph, pandoc and many others do not.
    Lists, tables and headings are the parser's (a ``2.`` item under a paragraph line
    counts: see :mod:`kbtool.markdown.items`).
    """
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    doc = parse(text)
    items = item_lines(doc)
    headings = {h.line for h in doc.headings if h.depth == 0 and h.line == h.end_line}
    rows = {
        n
        for block in doc.blocks
        if block.kind == "table" and block.depth == 0
        for n in range(block.line, block.end_line + 1)
    }
    mask = _code_mask(lines)

    def heading(n: int) -> bool:  # an ATX heading at the line's start
        return n in headings and not lines[n - 1].startswith(" ")

    out: list[str] = []
    for i, line in enumerate(lines):
        if i and not mask[i] and out and out[-1].strip() and not line.startswith(" "):
            prev = out[-1]
            prev_is_block = i in items or i in rows or heading(i) or prev.startswith(" ")
            starts_block = i + 1 in items or heading(i + 1) or (i + 1 in rows and i not in rows)
            ends_list = i in items and not starts_block
            if (starts_block and not prev_is_block and not mask[i - 1]) or (
                (heading(i) or ends_list) and not mask[i - 1]
            ):
                out.append("")
        out.append(line)
    return "\n".join(out)


def consistent_headings(text: str) -> str:
    """Body headings start at ``##`` and never skip a level (``##`` then ``####`` -> ``###``).

    Headings are the parser's (ATX and setext, outside quotes and lists); a setext
    heading becomes ATX, and the text stays as written (``## Why C#`` keeps its ``#``).
    """
    if "#" not in text and "\n=" not in text and "\n-" not in text:
        return text
    doc = parse(text)
    stack: list[tuple[int, int]] = []  # (source level, output level)
    changes: list[tuple[int, int, str]] = []  # (first line, last line, new line), 0-based
    for heading in doc.headings:
        if heading.depth:
            continue
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        new = min(stack[-1][1] + 1 if stack else 2, 6)
        stack.append((heading.level, new))
        content = " ".join(part.strip() for part in text[heading.start : heading.end].split("\n"))
        line = "#" * new + (" " + content if content else "")
        changes.append((heading.line - 1, heading.end_line - 1, line))
    lines = text.split("\n")
    for first, last, line in reversed(changes):
        lines[first : last + 1] = [line]
    return "\n".join(lines)


# wikilinks as the document reads them: ``$[[1, 2], [3, 4]]$`` is a matrix, not one
convert_links = convert_wikilinks
