"""The structure of one Markdown document, as markdown-it-py reads it.

Every stage that needs to know what a document *is* — lint rules, normalize steps,
importers — asks :func:`parse` instead of matching Markdown with its own patterns,
so they all see the document a renderer (and GitHub) sees: a backtick in one list
item never pairs with one paragraphs later, headings inside quotes and list items
count, ``$…$`` is math only where the parser says so.

Coordinates: ``line``/``end_line`` are 1-based lines of ``text``; ``column`` is
1-based; ``start``/``end`` are character offsets into ``text`` (``\\r\\n`` counted as
written). For a link, ``text[start:end] == target``: a fix can replace it in place.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from kbtool.markdown.cache import by_content
from kbtool.markdown.slugger import Slugger

if TYPE_CHECKING:
    from markdown_it.token import Token


class Block(NamedTuple):
    """A block: ``kind`` is the token type without ``_open`` (paragraph, heading, fence,
    code_block, html_block, math_block, blockquote, bullet_list, list_item, table, hr…);
    ``depth`` counts the containers it sits in."""

    kind: str
    line: int
    end_line: int
    depth: int


class Span(NamedTuple):
    """Text that is not prose: ``kind`` is code_inline, fence, code_block, math_inline,
    math_block, html_inline, html_block or comment (an HTML comment, inline or block).
    ``content`` is what the parser took as the span's content (code, TeX, HTML)."""

    kind: str
    start: int
    end: int
    line: int
    end_line: int
    content: str


class Heading(NamedTuple):
    """An ATX or setext heading (also inside quotes and list items): ``text`` is the
    rendered plain text without a trailing ``{#id}``; ``slug`` is GitHub's id for it;
    ``start``/``end`` span its inline source."""

    level: int
    text: str
    slug: str
    line: int
    end_line: int
    start: int
    end: int
    custom_id: str | None
    depth: int


class Anchor(NamedTuple):
    """An explicit target: ``<x id=…>``/``<a name=…>`` or a heading's ``{#id}``;
    ``text`` is what it labels."""

    id: str
    line: int
    column: int
    text: str


class Link(NamedTuple):
    """``kind``: link, image, autolink, html-img, html-a, ref-def, wikilink, embed, and
    reference (a link or image that uses a definition: ``[a][b]``, ``[a]``; its target
    is the reference label, its destination is that of the ``ref-def``).
    ``target`` is as written (``text[start:end]``); ``text`` is the link's label source
    (empty for HTML, autolinks and wikilinks)."""

    kind: str
    target: str
    text: str
    line: int
    column: int
    start: int
    end: int


class TocItem(NamedTuple):
    """A list item that is only a ``[text](#fragment)`` link (items nested under it may
    follow: a TOC's group); start/end span the fragment (without ``#``), ``column`` is
    that of the ``[``."""

    text: str
    fragment: str
    line: int
    column: int
    start: int
    end: int


class ListItem(NamedTuple):
    """A list item: ``marker`` as written (``-``, ``*``, ``+``, ``3.``, ``1)``) at offset
    ``start`` (1-based ``column``) of ``line``; ``end_line`` is its last line (trailing
    blank lines included, as the parser counts them); ``depth`` counts the containers
    around it (its own list included), like :attr:`Block.depth`."""

    marker: str
    line: int
    end_line: int
    column: int
    start: int
    depth: int


class Section(NamedTuple):
    """A heading and its content: lines up to the next heading of the same or a higher
    level. ``start``/``end`` are offsets of the content (after the heading line)."""

    heading: Heading
    content_line: int
    end_line: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One parsed document; see the module docstring for coordinates."""

    text: str
    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]
    anchors: tuple[Anchor, ...]
    links: tuple[Link, ...]
    toc: tuple[TocItem, ...]
    spans: tuple[Span, ...]
    sections: tuple[Section, ...]
    line_starts: tuple[int, ...]
    list_items: tuple[ListItem, ...] = ()
    extents: tuple[tuple[int, str, int, int], ...] = ()
    """(target start, kind, start, end) of each inline link, image, autolink, reference and
    wikilink: where the whole construct is; see :meth:`extent`."""

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    @cached_property
    def section_headings(self) -> dict[int, Heading]:
        """Headings outside quotes and lists (the ones that divide a document into
        sections) by every 1-based line they span: a setext heading's text lines and
        underline all map to it; ``heading.line`` is its first line."""
        found: dict[int, Heading] = {}
        for heading in self.headings:
            if heading.depth == 0:
                for line in range(heading.line, heading.end_line + 1):
                    found[line] = heading
        return found

    def extent(self, link: Link) -> tuple[int, int]:
        """Offsets of the whole construct ``link`` was read from (``[label](target
        "title")``, ``![alt](src)``, ``[a][b]``, ``<url>``, ``[[target|alias]]``,
        ``![[embed]]``), so a rewrite can replace it exactly; the target's own offsets
        for definitions and HTML links."""
        index = bisect_left(self.extents, (link.start, link.kind, -1, -1))
        if index < len(self.extents) and self.extents[index][:2] == (link.start, link.kind):
            return self.extents[index][2], self.extents[index][3]
        return link.start, link.end

    def code_spans(self) -> tuple[Span, ...]:
        """Code (fenced, indented, inline)."""
        return tuple(s for s in self.spans if s.kind in _CODE)

    def math_spans(self) -> tuple[Span, ...]:
        """Math (inline and display)."""
        return tuple(s for s in self.spans if s.kind in _MATH)

    def masked(self, kinds: frozenset[str] | None = None) -> str:
        """``text`` with the spans of ``kinds`` (default: all) blanked to spaces; newlines
        and every offset stay, so a search of the result reports true positions."""
        chars = list(self.text)
        for span in self.spans:
            if kinds is None or span.kind in kinds:
                for i in range(span.start, span.end):
                    if chars[i] not in "\r\n":
                        chars[i] = " "
        return "".join(chars)

    def prose(self) -> str:
        """:meth:`masked` of :data:`PROSE_MASK` and math, with the attribute values of
        HTML tags blanked too (an SVG ``<path d="M12 2a10 10 0 0 0 …">`` or a ``style``
        is no text; ``href`` stays, a ``mailto:`` is published): what a reader reads.

        Inline math with a blank inside a dollar stays (``was $180k, then 150k $ base``
        is one formula to the parser, two prices to pandoc and to a reader)."""
        chars = list(self.masked(PROSE_MASK | (MATH_KINDS - {"math_inline"})))
        for span in self.spans:
            if span.kind == "math_inline":
                inner = self.text[span.start + 1 : span.end - 1]
                if inner and not inner[0].isspace() and not inner[-1].isspace():
                    chars[span.start : span.end] = " " * (span.end - span.start)
            if span.kind not in {"html_block", "html_inline"}:
                continue
            for tag in _HTML_TAG.finditer(self.text, span.start, span.end):
                for attr in _HTML_ATTR.finditer(self.text, tag.start(2), tag.end(2)):
                    if attr.group(1).lower() != "href":
                        chars[attr.start(2) : attr.end(2)] = " " * (attr.end(2) - attr.start(2))
        for start, end in self._html_code():
            chars[start:end] = [c if c in "\r\n" else " " for c in chars[start:end]]
        return "".join(chars)

    def _html_code(self) -> Iterator[tuple[int, int]]:
        """Offsets of what HTML marks as code: the content of ``<pre>``, ``<code>``,
        ``<script>``, ``<style>`` and ``<textarea>`` in an HTML block (a page of
        highlighted code pasted as ``<pre><code><span class="token string">``), and
        between an inline ``<code>`` and its ``</code>`` in one paragraph."""
        inline: list[Span] = []
        for span in self.spans:
            if span.kind == "html_inline":
                inline.append(span)
            if span.kind != "html_block":
                continue
            at = span.start
            while (opening := _CODE_TAG.search(self.text, at, span.end)) is not None:
                closing = re.compile(rf"</{opening.group(1)}\s*>", re.I)
                found = closing.search(self.text, opening.end(), span.end)
                yield opening.end(), found.start() if found else span.end
                at = found.end() if found else span.end
        for n, span in enumerate(inline):
            opening = _CODE_TAG.fullmatch(self.text, span.start, span.end)
            if opening is None:
                continue
            for later in inline[n + 1 :]:
                if "\n\n" in self.text[span.end : later.start]:
                    break  # the paragraph ended: no code element spans it
                if re.fullmatch(
                    rf"</{opening.group(1)}\s*>", self.text[later.start : later.end], re.I
                ):
                    yield span.end, later.start
                    break


CODE_KINDS = frozenset({"code_inline", "fence", "code_block"})
# what prose searches (privacy, placeholders) leave out: code, and HTML comments (a note
# to self is not content)
PROSE_MASK = CODE_KINDS | {"comment"}
_CODE = CODE_KINDS
MATH_KINDS = frozenset({"math_inline", "math_inline_double", "math_block", "math_block_label"})
_MATH = MATH_KINDS
_WIKI = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
# what no note is named: a list of numbers (a comma in it: ``[[2024-05-01]]`` is a daily
# note) or of quoted strings, as ``arr[[0, 2]]`` and ``df[['city', 'age']]`` index arrays
# and frames in notes that are not fenced as code; or a spread, as a Next.js route's
# optional catch-all segment ``[[...slug]]`` is named
_DATA_LITERAL = re.compile(
    r"""[\d\s.:+\-*/]*(?:,[\d\s.:+\-*/]*)+"""
    r"""|\s*(?:'[^']*'|"[^"]*")(?:\s*,\s*(?:'[^']*'|"[^"]*"))*\s*,?\s*"""
    r"""|\.\.\.[A-Za-z_$][\w$]*"""
)
_CUSTOM_ID = re.compile(r"[ \t]*\{#([^\s{}]+)\}[ \t]*$")
_URL_BLANKS = " \t\n\r\f"  # ASCII whitespace, which URL parsing strips from both ends
_HTML_ATTR = re.compile(r"""\s([a-zA-Z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_HTML_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_TAG = re.compile(r"<[^>]*>")
# an element whose content is code, not prose
_CODE_TAG = re.compile(
    r"<(pre|code|script|style|textarea)(?:\s(?:[^>\"']|\"[^\"]*\"|'[^']*')*)?>", re.I
)


# characters of text whose parses are kept (~15 bytes a character each for tokens and
# for documents): a few files with their bodies, whatever they are interleaved with
CACHED_CHARS = 1_000_000


@by_content(CACHED_CHARS)
def parse(text: str) -> Document:
    """The structure of ``text`` (a whole file or an entry's body). A Document never
    changes, so the recent ones are kept (:mod:`kbtool.markdown.cache`): every importer's
    detection and reading of a file, normalize steps that change nothing and their
    safety check ask again for the same text."""
    tokens, env = _tokens(text)
    return _Reader(text, list(tokens), dict(env)).document()


@lru_cache(maxsize=16)
def facts_of(text: str) -> Document:
    """The same :class:`Document` as :func:`parse`, faster: inline content that holds
    none of the characters a fact starts with (`` ` `` ``$`` ``<`` ``[``) is not
    inline-parsed, since it can only yield text and emphasis, which no fact reads.
    Lint reads every file of the base this way; the differential tests prove the two
    equal on the CommonMark spec, generated documents and every fixture."""
    from kbtool.markdown.parser import facts_parser

    env: dict[str, object] = {}
    return _Reader(text, facts_parser().parse(text, env), env).document()


def tokens(text: str) -> tuple[Token, ...]:
    """markdown-it-py's tokens of ``text`` (the shared configuration), parsed once for
    :func:`parse` and every other reader of the same text. Do not change them."""
    return _tokens(text)[0]


@by_content(CACHED_CHARS)
def _tokens(text: str) -> tuple[tuple[Token, ...], dict[str, object]]:
    from kbtool.markdown.parser import document_parser

    env: dict[str, object] = {}
    return tuple(document_parser().parse(text, env)), env


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts, ending lines at ``\\n``, ``\\r\\n`` or ``\\r``
    like markdown-it does (index 0 is line 1)."""
    if "\r" not in text:
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        return starts
    return [0, *(m.end() for m in re.finditer(r"\r\n?|\n", text))]


def wikilink_free(text: str) -> str:
    """``text`` without its ``[[wikilinks]]`` and ``![[embeds]]``."""
    return _WIKI.sub(lambda m: m.group(0) if _DATA_LITERAL.fullmatch(m.group(2)) else "", text)


def plain_text(children: Sequence[Token]) -> str:
    """What a reader sees of inline tokens (GitHub's text content, which it slugs):
    text, code and math content; no markup, HTML tags or image alt text."""
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in {"text", "code_inline", "math_inline", "math_inline_double", "text_special"}:
            parts.append(child.content)
        elif kind in {"softbreak", "hardbreak"}:
            parts.append("\n")
    return "".join(parts).strip()


class _Lines:
    """Source lines of ``text`` as markdown-it splits them (``\\r\\n`` and ``\\r`` end a
    line too), so token line numbers index them directly."""

    def __init__(self, text: str) -> None:
        self.starts = line_starts(text)
        self.text = text

    def line(self, index: int) -> str:
        """Line ``index`` (0-based) without its line ending."""
        if index >= len(self.starts):
            return ""
        return self.text[self.starts[index] : self.line_end(index)]

    def line_end(self, index: int) -> int:
        """Offset of the end of line ``index`` (before its line ending)."""
        index = min(index, len(self.starts) - 1)
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        while end > start and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def offset(self, index: int, column: int) -> int:
        return self.starts[min(index, len(self.starts) - 1)] + column


class _Inline:
    """Maps offsets in an inline (or HTML block) token's ``content`` back to ``text``:
    content line ``k`` is source line ``map[0] + k``, starting at ``columns[k]``."""

    def __init__(
        self,
        lines: _Lines,
        first: int,
        content: str,
        columns: list[int],
        cell_columns: list[int] | None = None,
    ) -> None:
        self.lines = lines
        self.first = first
        self.content_starts: list[int] = []
        pos = 0
        for part in content.split("\n"):
            self.content_starts.append(pos)
            pos += len(part) + 1
        self.columns = columns
        # a table cell whose source escapes a pipe (``\|``, which the parser gives as
        # ``|``): the source column of each content character, and of its end
        self.cell_columns = cell_columns

    @classmethod
    def of(cls, lines: _Lines, token: Token, mode: str) -> _Inline:
        first = token.map[0] if token.map else 0
        columns: list[int] = []
        for k, part in enumerate(token.content.split("\n")):
            columns.append(_locate(lines.line(first + k), part, mode))
        return cls(lines, first, token.content, columns)

    def offset(self, pos: int) -> int:
        if self.cell_columns is not None:
            return self.lines.offset(self.first, self.cell_columns[pos])
        k = min(bisect_right(self.content_starts, pos) - 1, len(self.columns) - 1)
        return self.lines.offset(self.first + k, self.columns[k] + pos - self.content_starts[k])


def _locate(source: str, part: str, mode: str, cursor: int = 0) -> int:
    """Column in ``source`` where the content line ``part`` starts.

    Paragraph, setext and HTML block lines are suffixes of their source line
    (container markers and indentation removed; trailing blanks stripped on the
    last); an ATX heading's text follows its ``#`` marker; a table cell is found from
    ``cursor`` (the end of the cell before it).
    """
    if mode == "suffix":
        if source.endswith(part):
            return len(source) - len(part)
        stripped = source.rstrip(" \t")
        if stripped.endswith(part):
            return len(stripped) - len(part)
        text = part.lstrip(" ")
        if text and stripped.endswith(text):  # a tab became spaces: align what follows
            return len(stripped) - len(part)
    elif mode == "atx":
        cursor = source.find("#") + 1
        while cursor < len(source) and source[cursor] == "#":
            cursor += 1
    at = source.find(part, cursor) if part else cursor
    if at < 0:
        at = source.find(part)
    if at < 0:  # tab expansion changed the line; fall back to its first non-blank
        at = len(source) - len(source.lstrip(" \t>"))
    return at


def _cell_columns(source: str, content: str, cursor: int) -> tuple[int, int, list[int] | None]:
    """Where a table cell's content starts and ends in its source line, and, when the
    source escapes a pipe, the column of each content character (and of its end).

    The parser gives a cell's ``\\|`` as ``|`` (every ``|`` of a cell was escaped: an
    unescaped one ends the cell), so such content is found as written with its pipes
    escaped, and each character after an escaped pipe sits one column further right."""
    at = source.find(content, cursor) if content else cursor
    if at >= 0 or "|" not in content:
        start = at if at >= 0 else _locate(source, content, "cell", cursor)
        return start, start + len(content), None
    at = source.find(content.replace("|", "\\|"), cursor)
    if at < 0:
        at = _locate(source, content, "cell", cursor)
    columns = []
    for char in content:
        columns.append(at)
        at += 2 if char == "|" else 1
    columns.append(at)
    return columns[0], at, columns


class _Reader:
    """One walk over the token stream that collects every fact."""

    def __init__(self, text: str, tokens: list[Token], env: dict[str, object]) -> None:
        self.text = text
        self.tokens = tokens
        self.env = env
        self.lines = _Lines(text)
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.anchors: list[Anchor] = []
        self.links: list[Link] = []
        self.toc: list[TocItem] = []
        self.spans: list[Span] = []
        self.list_items: list[ListItem] = []
        self.extents: list[tuple[int, str, int, int]] = []
        self._marker_end = (-1, 0)  # (0-based line, offset) after the last marker found
        self.slugger = Slugger()

    def document(self) -> Document:
        tokens = self.tokens
        for index, token in enumerate(tokens):
            kind = token.type
            if token.map is not None and kind != "inline" and not kind.endswith("_close"):
                name = kind[:-5] if kind.endswith("_open") else kind
                self.blocks.append(Block(name, token.map[0] + 1, token.map[1], token.level))
            if kind == "inline":
                self._inline(tokens, index)
            elif kind in {"fence", "code_block", "math_block", "math_block_label"}:
                self._block_span(token, kind)
            elif kind == "html_block":
                self._html_block(token)
            elif kind == "list_item_open" and token.map is not None:
                self._list_item(token)
                self._toc_item(tokens, index)
        self._references()
        self.links.sort(key=lambda link: link.start)
        self.spans.sort(key=lambda span: span.start)
        return Document(
            self.text,
            tuple(self.blocks),
            tuple(self.headings),
            tuple(self.anchors),
            tuple(self.links),
            tuple(self.toc),
            tuple(self.spans),
            self._sections(),
            tuple(self.lines.starts),
            tuple(self.list_items),
            tuple(sorted(self.extents)),
        )

    # ------------------------------------------------------------------ blocks

    def _line_range(self, token: Token) -> tuple[int, int]:
        assert token.map is not None
        first, last = token.map[0], max(token.map[1] - 1, token.map[0])
        return self.lines.offset(first, 0), self.lines.line_end(last)

    def _block_span(self, token: Token, kind: str) -> None:
        assert token.map is not None
        start, end = self._line_range(token)
        self.spans.append(Span(kind, start, end, token.map[0] + 1, token.map[1], token.content))

    def _html_block(self, token: Token) -> None:
        assert token.map is not None
        start, end = self._line_range(token)
        comment = token.content.lstrip().startswith("<!--")
        kind = "comment" if comment else "html_block"
        self.spans.append(Span(kind, start, end, token.map[0] + 1, token.map[1], token.content))
        if comment or "<" not in token.content:
            return
        where = _Inline.of(self.lines, token, "suffix")
        self._html(token.content, 0, len(token.content), where, label=None)

    # ------------------------------------------------------------------ inline

    def _inline(self, tokens: list[Token], index: int) -> None:
        token = tokens[index]
        parent = tokens[index - 1] if index else None
        parent_type = parent.type if parent is not None else ""
        children = token.children or []
        heading = parent_type == "heading_open"
        if not heading and "[[" not in token.content and not any(c.meta for c in children):
            return  # text and emphasis only: nothing to record
        if parent_type in {"th_open", "td_open"}:
            where = self._cell(tokens, index)
        else:
            atx = heading and parent is not None and parent.markup[:1] == "#"
            where = _Inline.of(self.lines, token, "atx" if atx else "suffix")
        label: str | None = None
        if heading and parent is not None:
            label = self._heading(parent, token, children, where)
        self._children(token, children, where, label)

    def _cell(self, tokens: list[Token], index: int) -> _Inline:
        """Cells of one row are located left to right, each after the one before."""
        token = tokens[index]
        first = token.map[0] if token.map else 0
        source = self.lines.line(first)
        row = index
        while row > 0 and tokens[row].type != "tr_open":
            row -= 1
        cursor = 0
        for cell in tokens[row:index]:
            if cell.type == "inline":
                cursor = _cell_columns(source, cell.content, cursor)[1]
        start, _end, columns = _cell_columns(source, token.content, cursor)
        return _Inline(self.lines, first, token.content, [start], columns)

    def _heading(
        self, opening: Token, token: Token, children: Sequence[Token], where: _Inline
    ) -> str:
        assert opening.map is not None
        text = plain_text(children)
        custom = _CUSTOM_ID.search(token.content)
        custom_id: str | None = None
        full = text
        if custom:
            custom_id = custom.group(1)
            suffix = custom.group(0).strip()
            if text.endswith(suffix):
                text = text[: -len(suffix)].rstrip()
        start = where.offset(0)
        end = where.offset(len(token.content))
        line, column = self.lines_position(start)
        level = int(opening.tag[1])
        slug = self.slugger.slug(full)
        self.headings.append(
            Heading(level, text, slug, line, opening.map[1], start, end, custom_id, opening.level)
        )
        if custom_id is not None:  # GitHub ignores it (it stays in the slug); Pandoc uses it
            self.anchors.append(Anchor(custom_id, line, column, text))
        return text

    def lines_position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.lines.starts, offset) - 1
        return index + 1, offset - self.lines.starts[index] + 1

    def _children(
        self, token: Token, children: Sequence[Token], where: _Inline, label: str | None
    ) -> None:
        content = token.content
        skip: list[tuple[int, int]] = []  # content ranges where wikilinks cannot be
        for i, child in enumerate(children):
            pos = child.meta.get("pos") if child.meta else None
            if pos is None:
                continue
            begin, finish = pos
            kind = child.type
            if kind in {"code_inline", "math_inline", "math_inline_double"}:
                skip.append(pos)
                start, end = where.offset(begin), where.offset(finish)
                line, _ = self.lines_position(start)
                end_line, _ = self.lines_position(end)
                self.spans.append(Span(kind, start, end, line, end_line, child.content))
            elif kind == "html_inline":
                skip.append(pos)
                start, end = where.offset(begin), where.offset(finish)
                line, _ = self.lines_position(start)
                end_line, _ = self.lines_position(end)
                comment = child.content.startswith("<!--")
                span_kind = "comment" if comment else "html_inline"
                self.spans.append(Span(span_kind, start, end, line, end_line, child.content))
                if not comment:
                    text = label if label is not None else _html_label(children, i)
                    self._html(content, begin, finish, where, text)
            elif kind == "link_open" and child.info == "auto":
                skip.append(pos)
                self._add_link("autolink", content, begin + 1, finish - 1, "", where, pos)
            elif kind in {"link_open", "image"}:
                # `[[src]](url)` is a link whose text is "[src]" to CommonMark, GitHub
                # and pandoc, so it is no wikilink here either
                skip.append(pos)
                self._link(child, content, begin, finish, where)
        if "[[" in content:
            self._wikilinks(content, where, skip)

    def _link(self, child: Token, content: str, begin: int, finish: int, where: _Inline) -> None:
        image = child.type == "image"
        found = _destination(content, image, begin, finish)
        if found is not None:
            label_start, label_end, dest_start, dest_end = found
            label = content[label_start:label_end]
            kind = "image" if image else "link"
            self._add_link(kind, content, dest_start, dest_end, label, where, (begin, finish))
            return
        opening = begin + (2 if image else 1)
        label_end = _label_end(content, opening, finish)
        ref_start, ref_end = opening, label_end  # [text] or [text][] use the text as label
        if 0 <= label_end < finish - 2 and content[label_end + 1] == "[":
            ref_start, ref_end = label_end + 2, finish - 1
            if ref_start == ref_end:
                ref_start, ref_end = opening, label_end
        if label_end >= 0:
            label = content[opening:label_end]
            self._add_link("reference", content, ref_start, ref_end, label, where, (begin, finish))

    def _add_link(
        self,
        kind: str,
        content: str,
        begin: int,
        finish: int,
        label: str,
        where: _Inline,
        whole: tuple[int, int],
    ) -> None:
        """A link whose target is ``content[begin:finish]``; ``whole`` is the content range
        of the construct (``[label](target "title")``, ``<url>``)."""
        start, end = where.offset(begin), where.offset(finish)
        at = where.offset(whole[0])
        line, column = self.lines_position(at)
        target = self.text[start:end]
        self.links.append(Link(kind, target, label, line, column, start, end))
        self.extents.append((start, kind, at, where.offset(whole[1])))

    def _html(
        self, content: str, begin: int, finish: int, where: _Inline, label: str | None
    ) -> None:
        """``<a href>``/``<img src>`` links and ``id``/``name`` anchors of HTML source."""
        for tag in _HTML_TAG.finditer(content, begin, finish):
            name = tag.group(1).lower()
            for attr in _HTML_ATTR.finditer(content, tag.start(2), tag.end(2)):
                key = attr.group(1).lower()
                raw = attr.group(2)
                quoted = raw[:1] in {'"', "'"}
                value_start = attr.start(2) + (1 if quoted else 0)
                value = raw[1:-1] if quoted else raw
                start = where.offset(value_start)
                line, column = self.lines_position(where.offset(attr.start(2)))
                if key in {"id", "name"} and (key == "id" or name == "a"):
                    text = label if label is not None else _rest_of_line(content, tag.end())
                    self.anchors.append(Anchor(value, line, column, text))
                elif (name, key) in {("a", "href"), ("img", "src")}:
                    kind = "html-a" if name == "a" else "html-img"
                    # a browser strips the blanks around a URL: <img src=" https://… ">
                    # shows a picture of the web, not a file named " https:"
                    url = value.strip(_URL_BLANKS)
                    start += len(value) - len(value.lstrip(_URL_BLANKS))
                    self.links.append(Link(kind, url, "", line, column, start, start + len(url)))

    def _wikilinks(self, content: str, where: _Inline, skip: list[tuple[int, int]]) -> None:
        for match in _WIKI.finditer(content):
            if any(a < match.end() and match.start() < b for a, b in skip):
                continue
            if _DATA_LITERAL.fullmatch(match.group(2)):
                continue  # arr[[0, 2]], df[['city']]: indexing, not a note
            kind = "embed" if match.group(1) else "wikilink"
            start = where.offset(match.start(2))
            line, column = self.lines_position(where.offset(match.start()))
            target = match.group(2)
            self.links.append(Link(kind, target, "", line, column, start, start + len(target)))
            whole = where.offset(match.start()), where.offset(match.end())
            self.extents.append((start, kind, *whole))

    def _list_item(self, token: Token) -> None:
        """Where the item's marker is: items opening on one line (``- > 1. x``) have
        their markers in order, with only blanks and quote markers before each."""
        assert token.map is not None
        first = token.map[0]
        marker = token.info + token.markup
        line_start = self.lines.offset(first, 0)
        pos = self._marker_end[1] if self._marker_end[0] == first else line_start
        limit = self.lines.line_end(first)
        while pos < limit and self.text[pos] in " \t>":
            pos += 1
        if not self.text.startswith(marker, pos):  # never for what the parser read
            return
        self._marker_end = (first, pos + len(marker))
        line, column = self.lines_position(pos)
        self.list_items.append(
            ListItem(marker, line, max(token.map[1], first + 1), column, pos, token.level)
        )

    def _toc_item(self, tokens: list[Token], index: int) -> None:
        """A list item whose first content is one paragraph holding one ``#`` link, and
        nothing else but a nested list (the items of a TOC's group)."""
        kinds = [t.type for t in tokens[index + 1 : index + 5]]
        if kinds[:3] != ["paragraph_open", "inline", "paragraph_close"] or kinds[3:] not in (
            ["list_item_close"],
            ["bullet_list_open"],
            ["ordered_list_open"],
        ):
            return
        if kinds[3] != "list_item_close" and not _only_a_list(tokens, index + 4):
            return
        inline = tokens[index + 2]
        children = inline.children or []
        if (
            len(children) < 2
            or children[0].type != "link_open"
            or children[-1].type != "link_close"
        ):
            return
        if children[0].info == "auto" or any(c.type == "link_open" for c in children[1:]):
            return
        pos: tuple[int, int] | None = children[0].meta.get("pos")
        content = inline.content
        found = _destination(content, False, *pos) if pos else None
        if pos is None or found is None or pos[1] != len(content) or content[found[2]] != "#":
            return
        where = _Inline.of(self.lines, inline, "suffix")
        bracket = where.offset(pos[0])
        line, column = self.lines_position(bracket)
        start, end = where.offset(found[2] + 1), where.offset(found[3])
        text = plain_text(children[1:-1])
        self.toc.append(TocItem(text, self.text[start:end], line, column, start, end))

    # ------------------------------------------------------------------ references

    def _references(self) -> None:
        found = self.env.get("references_at")
        if not isinstance(found, list):
            return
        from markdown_it.helpers import parseLinkDestination

        normalized = self._normalized_source()
        for starts, end in found:
            start = starts[0]
            label_end = _label_end(normalized, start + 1, end, code=False)
            if label_end < 0:
                continue
            pos = label_end + 2
            while pos < end and normalized[pos] in " \t\n":
                if normalized[pos] == "\n":  # the next line's content, after its markers
                    later = [s for s in starts if s > pos]
                    if later:
                        pos = later[0]
                        continue
                pos += 1
            result = parseLinkDestination(normalized, pos, len(normalized))
            if not result.ok:
                continue
            dest_start, dest_end = pos, result.pos
            if normalized[pos : pos + 1] == "<":
                dest_start, dest_end = pos + 1, result.pos - 1
            o_start, o_end = self._original(dest_start), self._original(dest_end)
            line, column = self.lines_position(o_start)
            label = normalized[start + 1 : label_end]
            self.links.append(
                Link("ref-def", self.text[o_start:o_end], label, line, column, o_start, o_end)
            )

    def _normalized_source(self) -> str:
        cached = self.env.get("_normalized")
        if not isinstance(cached, str):
            cached = re.sub(r"\r\n?", "\n", self.text).replace("\0", "\ufffd")
            self.env["_normalized"] = cached
        return cached

    def _original(self, offset: int) -> int:
        """An offset of the normalized source as an offset of ``text``."""
        if "\r" not in self.text:
            return offset
        normalized = self._normalized_source()
        index = normalized.count("\n", 0, offset)
        line_start = normalized.rfind("\n", 0, offset) + 1
        return self.lines.offset(index, offset - line_start)

    # ------------------------------------------------------------------ sections

    def _sections(self) -> tuple[Section, ...]:
        last_line = len(self.lines.starts) - (1 if self.text.endswith(("\n", "\r")) else 0)
        sections: list[Section] = []
        for i, heading in enumerate(self.headings):
            end_line = last_line
            for later in self.headings[i + 1 :]:
                if later.level <= heading.level:
                    end_line = later.line - 1
                    break
            content_line = heading.end_line + 1
            start = (
                self.lines.offset(content_line - 1, 0)
                if content_line <= last_line
                else len(self.text)
            )
            end = self.lines.line_end(end_line - 1) if end_line >= content_line else start
            sections.append(Section(heading, content_line, end_line, start, max(start, end)))
        return tuple(sections)


def _label_end(content: str, pos: int, limit: int, code: bool = True) -> int:
    """Offset of the ``]`` closing a link label opened just before ``pos``: brackets
    nest, backslash escapes and (in link text, not in definitions) code spans are
    skipped like the parser does (labels that reach here are ones the parser accepted)."""
    depth = 1
    while pos < limit:
        char = content[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "`" and code:
            run = pos
            while run < limit and content[run] == "`":
                run += 1
            ticks = content[pos:run]
            close = content.find(ticks, run)
            while close >= 0 and content[close + len(ticks) : close + len(ticks) + 1] == "`":
                close = content.find(ticks, close + len(ticks) + 1)
            pos = close + len(ticks) if 0 <= close < limit else run
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return -1


def _destination(
    content: str, image: bool, begin: int, finish: int
) -> tuple[int, int, int, int] | None:
    """Label and destination offsets of the inline link or image ``content[begin:finish]``
    (one the parser accepted), or None for a reference link (``[a][b]``, ``[a]``)."""
    opening = begin + (2 if image else 1)
    label_end = _label_end(content, opening, finish)
    if label_end < 0 or label_end + 1 >= finish or content[label_end + 1] != "(":
        return None
    pos = label_end + 2
    while pos < finish and content[pos] in " \t\n":
        pos += 1
    if pos < finish and content[pos] == "<":
        dest_start = pos + 1
        dest_end = content.find(">", dest_start)
    else:
        dest_start = pos
        dest_end = _bare_destination_end(content, pos, finish)
    if dest_end < dest_start:
        return None
    return opening, label_end, dest_start, dest_end


def _bare_destination_end(content: str, pos: int, limit: int) -> int:
    """End of a destination without ``<>``: balanced parentheses, no spaces."""
    depth = 0
    while pos < limit:
        char = content[pos]
        if char == "\\" and pos + 1 < limit:
            pos += 2
            continue
        if char in " \t\n" or ord(char) < 0x20:
            break
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        pos += 1
    return pos


def _html_label(children: Sequence[Token], index: int) -> str:
    """What an inline ``<a id=…>`` labels: the text up to ``</a>`` or the line's end."""
    following: list[Token] = []
    for child in children[index + 1 :]:
        if child.type in {"softbreak", "hardbreak"}:
            break
        if child.type == "html_inline" and child.content.lower().startswith("</a"):
            if plain_text(following):
                break
            continue
        following.append(child)
    return plain_text(following)


def _rest_of_line(content: str, pos: int) -> str:
    end = content.find("\n", pos)
    rest = content[pos : end if end >= 0 else len(content)]
    close = rest.lower().find("</a>")
    if close >= 0 and rest[:close].strip():
        rest = rest[:close]
    return _TAG.sub("", rest).strip()


def _only_a_list(tokens: Sequence[Token], index: int) -> bool:
    """The list opened at ``tokens[index]`` is followed by its item's end."""
    depth = 0
    for later in range(index, len(tokens)):
        depth += tokens[later].nesting
        if depth == 0:
            return later + 1 < len(tokens) and tokens[later + 1].type == "list_item_close"
    return False


def walk(tokens: Sequence[Token]) -> Iterator[Token]:
    """Every token, inline children included, in document order."""
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)
