"""Per-file facts for the cross-file rules, found by a fast line scanner.

Full markdown-it parsing of a 40 MB base does not fit the lint budget, and the
cross-file rules only need a few things per file: headings (text, slug, line),
explicit anchors, links and images with positions, wikilinks and embeds, TOC
items. We scan :func:`kbtool.markdown.scan.mask_code` output (code and comments
blanked, positions kept) with careful regexes. Facts are plain tuples so the
cache can store them with :mod:`marshal` and load 10,000 files in milliseconds.

Positions: ``line`` and ``column`` are 1-based file positions; ``start``/``end``
are character offsets in the whole file text (for fixes).
"""

from __future__ import annotations

import marshal
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import NamedTuple

from kbtool.markdown.slugger import Slugger

# ----------------------------------------------------------------------------- records


class Heading(NamedTuple):
    text: str
    slug: str
    line: int
    level: int


class Anchor(NamedTuple):
    """An explicit target: ``<a id|name=...>``, ``{#id}``; ``text`` is what it labels."""

    id: str
    line: int
    text: str


class Link(NamedTuple):
    """``kind``: link, image, html-img, html-a, ref-def, wikilink, embed. ``text`` (the
    link text) is only kept in a fresh scan, not in the cache: no cross-file rule uses it."""

    kind: str
    target: str
    text: str
    line: int
    column: int
    start: int
    end: int


class TocItem(NamedTuple):
    """A list item that is only a ``[text](#fragment)`` link; start/end span the fragment."""

    text: str
    fragment: str
    line: int
    column: int
    start: int
    end: int


class Facts(NamedTuple):
    headings: tuple[Heading, ...]
    anchors: tuple[Anchor, ...]
    links: tuple[Link, ...]
    toc: tuple[TocItem, ...]
    suppress_lines: tuple[tuple[int, tuple[str, ...]], ...]
    suppress_file: tuple[str, ...] | None


def to_plain(facts: Facts) -> bytes:
    """Marshal-ed form (NamedTuples become plain tuples), decoded only when used: a
    pre-commit run loads 10,000 cached records but reads the facts of a handful."""
    return marshal.dumps(
        (
            tuple(tuple(h) for h in facts.headings),
            tuple(tuple(a) for a in facts.anchors),
            tuple((*link[:2], "", *link[3:]) for link in facts.links),  # link text: not needed
            tuple(tuple(t) for t in facts.toc),
            facts.suppress_lines,
            facts.suppress_file,
        )
    )


def from_plain(data: bytes) -> Facts:
    h, a, links, toc, lines, whole = marshal.loads(data)
    return Facts(
        tuple(map(Heading._make, h)),
        tuple(map(Anchor._make, a)),
        tuple(map(Link._make, links)),
        tuple(map(TocItem._make, toc)),
        lines,
        whole,
    )


_WORDS = re.compile(r"\w+")


def question_key(title: str) -> str:
    """A title normalized for duplicate detection: case, ё/е, punctuation, word order."""
    return " ".join(sorted(_WORDS.findall(title.lower().replace("ё", "е"))))


# ----------------------------------------------------------------------------- patterns

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^(?: {4}|\t| {0,3}(?:[-*+>|]|\d+[.)]|#{1,6}(?:\s|$)|$))")
_CONTAINER = re.compile(r"^ {0,3}(?:[-*+>]|\d+[.)])(?:[ \t]|$)")
_CUSTOM_ID = re.compile(r"[ \t]*\{#([^\s{}]+)\}[ \t]*$")
_TEXT = r"((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)"
_DEST = r"(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)"
_TITLE = r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?"""
_INLINE = re.compile(r"(!?)\[" + _TEXT + r"\]\(\s*" + _DEST + _TITLE + r"\s*\)")
_REF_DEF = re.compile(r"^ {0,3}\[((?:[^\]\\]|\\.)+)\]:[ \t]*(<[^<>\n]*>|\S+)", re.M)
_HTML_ATTR = re.compile(
    r"<(a|img)\b[^>]*?\s(href|src)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I | re.S
)
_HTML_ID = re.compile(r"<[a-zA-Z][\w-]*\b[^>]*?\s(?:id|name)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_WIKI = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
_TOC_ITEM = re.compile(
    r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[" + _TEXT + r"\]\(\s*(<#[^>]*>|#[^\s()]*)\s*\)[ \t]*$"
)
_SUPPRESS = re.compile(r"<!--\s*kbtool:\s*(disable-next-line|disable)(?:\s*=\s*([^>]*?))?\s*-->")
_TAG = re.compile(r"<[^>]*>")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_IMAGE_MD = re.compile(r"!\[" + _TEXT + r"\]\([^)]*\)")
_LINK_MD = re.compile(r"\[" + _TEXT + r"\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*~]+|(?<![\w\\])_+|_+(?![\w])")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def heading_text(raw: str) -> str:
    """The text GitHub renders for a heading's inline Markdown (what gets slugged)."""
    parts: list[str] = []
    pos = 0
    for match in _INLINE_CODE.finditer(raw):
        parts.append(_strip_markup(raw[pos : match.start()]))
        parts.append(match.group(2).strip() if match.group(2).strip() else match.group(2))
        pos = match.end()
    parts.append(_strip_markup(raw[pos:]))
    return "".join(parts).strip()


def _strip_markup(text: str) -> str:
    text = _IMAGE_MD.sub("", text)
    text = _LINK_MD.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _dest(value: str) -> str:
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


# ----------------------------------------------------------------------------- scanner


def extract(body: str, masked: str, body_line: int, body_offset: int) -> Facts:
    """Facts of one document body; ``masked`` is ``mask_code(body)``."""
    lines = masked.split("\n")
    starts = [0] * len(lines)
    pos = 0
    for i, line in enumerate(lines):
        starts[i] = pos
        pos += len(line) + 1

    def where(offset: int) -> tuple[int, int]:
        index = bisect_right(starts, offset) - 1
        return index + body_line, offset - starts[index] + 1

    headings, anchors, toc = _blocks(lines, body.split("\n"), starts, body_line, body_offset)
    links = _inline(body, masked, where, body_offset, anchors)
    suppress_lines, suppress_file = _suppressions(body, where)
    return Facts(
        tuple(headings), tuple(anchors), tuple(links), tuple(toc), suppress_lines, suppress_file
    )


def _blocks(
    lines: list[str], raw_lines: list[str], starts: list[int], body_line: int, body_offset: int
) -> tuple[list[Heading], list[Anchor], list[TocItem]]:
    """Headings (ATX and setext), their ``{#id}`` anchors, and TOC items."""
    slugger = Slugger()
    headings: list[Heading] = []
    anchors: list[Anchor] = []
    toc: list[TocItem] = []
    for i, line in enumerate(lines):
        if not line or line.isspace():
            continue
        first = line.lstrip()[:1]
        if first == "#":
            match = _ATX.match(line) and _ATX.match(raw_lines[i])
            if match:
                raw = match.group(2) or ""
                _add_heading(raw, len(match.group(1)), i + body_line, slugger, headings, anchors)
                continue
        elif (
            first in "=-"
            and i > 0
            and _SETEXT.match(line)
            and _setext_text(lines, i)
            and (not headings or headings[-1].line != i - 1 + body_line)
        ):
            level = 1 if first == "=" else 2
            raw = raw_lines[i - 1].strip()
            _add_heading(raw, level, i - 1 + body_line, slugger, headings, anchors)
            continue
        if first in "-*+0123456789":
            match = _TOC_ITEM.match(line)
            if match:
                frag = match.group(2)
                off = starts[i] + match.start(2) + (2 if frag.startswith("<") else 1)
                frag = frag.strip("<>")[1:]
                text = heading_text(raw_lines[i][match.start(1) : match.end(1)])
                start = body_offset + off
                toc.append(
                    TocItem(text, frag, i + body_line, match.start(1), start, start + len(frag))
                )
    return headings, anchors, toc


def _setext_text(lines: list[str], i: int) -> bool:
    """True when line ``i - 1`` is a one-line paragraph that ``lines[i]`` underlines."""
    prev = lines[i - 1]
    if not prev.strip() or _NOT_PARAGRAPH.match(prev):
        return False
    return not (i > 1 and _CONTAINER.match(lines[i - 2]))  # lazy continuation of a list


def _inline(
    body: str,
    masked: str,
    where: Callable[[int], tuple[int, int]],
    body_offset: int,
    anchors: list[Anchor],
) -> list[Link]:
    """Links, images, HTML anchors and images, reference definitions, wikilinks."""
    links: list[Link] = []
    if "<" in masked:
        for match in _HTML_ID.finditer(masked):
            line_no, _col = where(match.start())
            text = _anchor_text(body, masked, match.end())
            anchors.append(Anchor(_unquote(match.group(1)), line_no, text))
        for match in _HTML_ATTR.finditer(masked):
            target = _unquote(match.group(3))
            line_no, col = where(match.start(3))
            kind = "html-img" if match.group(1).lower() == "img" else "html-a"
            s = body_offset + match.start(3) + (1 if target != match.group(3) else 0)
            links.append(Link(kind, target, "", line_no, col, s, s + len(target)))
    if "](" in masked:
        for match in _INLINE.finditer(masked):
            _add_inline(match, body, links, where, body_offset)
            if "](" in match.group(2):
                for sub in _INLINE.finditer(masked, match.start(2), match.end(2)):
                    _add_inline(sub, body, links, where, body_offset)
    if "]:" in masked:
        for match in _REF_DEF.finditer(masked):
            target = _dest(match.group(2))
            line_no, col = where(match.start(2))
            s = body_offset + match.start(2)
            links.append(Link("ref-def", target, match.group(1), line_no, col, s, s + len(target)))
    if "[[" in masked:
        for match in _WIKI.finditer(masked):
            line_no, col = where(match.start())
            kind = "embed" if match.group(1) else "wikilink"
            s = body_offset + match.start(2)
            links.append(Link(kind, match.group(2), "", line_no, col, s, s + len(match.group(2))))
    links.sort(key=lambda link: link.start)
    return links


def _suppressions(
    body: str, where: Callable[[int], tuple[int, int]]
) -> tuple[tuple[tuple[int, tuple[str, ...]], ...], tuple[str, ...] | None]:
    """``disable-next-line`` targets (file line, names) and whole-file ``disable`` names."""
    lines: list[tuple[int, tuple[str, ...]]] = []
    whole: list[str] | None = None
    if "kbtool:" not in body:
        return (), None
    for match in _SUPPRESS.finditer(body):
        line_no, _col = where(match.start())
        names = tuple(part.strip() for part in (match.group(2) or "").split(",") if part.strip())
        if match.group(1) == "disable":
            whole = [*(whole or []), *(names or ("*",))]
        else:
            lines.append((line_no + 1, names or ("*",)))
    return tuple(lines), tuple(whole) if whole is not None else None


def _add_heading(
    raw: str,
    level: int,
    line: int,
    slugger: Slugger,
    headings: list[Heading],
    anchors: list[Anchor],
) -> None:
    custom = _CUSTOM_ID.search(raw)
    text = heading_text(raw[: custom.start()] if custom else raw)
    if custom:  # GitHub ignores the attribute (it stays in its slug); Pandoc makes it the id
        anchors.append(Anchor(custom.group(1), line, text))
    headings.append(Heading(text, slugger.slug(heading_text(raw) if custom else text), line, level))
    for match in _HTML_ID.finditer(raw):
        anchors.append(Anchor(_unquote(match.group(1)), line, text))


def _anchor_text(body: str, masked: str, tag_end: int) -> str:
    """What an ``<a id=...>`` labels: its text up to ``</a>``, else the rest of the line."""
    close = masked.find(">", tag_end - 1)
    if close < 0:
        return ""
    line_end = masked.find("\n", close)
    if line_end < 0:
        line_end = len(masked)
    rest = body[close + 1 : line_end]
    end = rest.lower().find("</a>")
    if end >= 0 and rest[:end].strip():
        return heading_text(rest[:end])
    return heading_text(rest)


def _add_inline(
    match: re.Match[str],
    body: str,
    links: list[Link],
    where: Callable[[int], tuple[int, int]],
    body_offset: int,
) -> None:
    target = _dest(match.group(3))
    line, col = where(match.start())
    s = match.start(3) + (1 if match.group(3).startswith("<") else 0)
    kind = "image" if match.group(1) else "link"
    text = body[match.start(2) : match.end(2)]
    s += body_offset
    links.append(Link(kind, target, text, line, col, s, s + len(target)))
