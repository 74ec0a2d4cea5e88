"""Per-file facts for the cross-file rules, read from :mod:`kbtool.markdown.document`.

The cross-file rules need a few things per file: headings (text, slug, line),
explicit anchors, links and images with positions, wikilinks and embeds, TOC items,
and suppression comments. They come from the one parse of the document that every
rule shares, so lint sees the headings and links a renderer sees. Facts are plain
tuples so the cache can store them with :mod:`marshal` and load 10,000 files in
milliseconds.

Positions: ``line`` and ``column`` are 1-based file positions; ``start``/``end``
are character offsets in the whole file text (for fixes).
"""

from __future__ import annotations

import marshal
import re
from typing import TYPE_CHECKING, NamedTuple

from kbtool.markdown.document import Link, TocItem  # one definition: facts are the document's

if TYPE_CHECKING:
    from kbtool.markdown.document import Document

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


def duplicate_key(title: str) -> str:
    """:func:`question_key` of a title that can stand alone, else ``""`` (never the
    same question as another: see :mod:`kbtool.titles`)."""
    from kbtool.titles import stands_alone

    key = question_key(title)
    return key if stands_alone(key) else ""


# ----------------------------------------------------------------------------- facts

_SUPPRESS = re.compile(r"<!--\s*kbtool:\s*(disable-next-line|disable)(?:\s*=\s*([^>]*?))?\s*-->")
# autolinks always carry a scheme (or are e-mail addresses): nothing in the base to check
_LINK_KINDS = frozenset({"link", "image", "html-img", "html-a", "ref-def", "wikilink", "embed"})


def _footnote(link: Link) -> bool:
    """A definition labelled ``[^1]:`` is a footnote on GitHub (GFM reads footnotes
    before link definitions), not a link to a file named by its first word: ``[^1]:
    Boyd.`` links nowhere. CommonMark's parser, which has no footnotes, calls it a
    link definition."""
    return link.kind == "ref-def" and link.text.startswith("^")


def extract(markdown: Document, body_line: int, body_offset: int) -> Facts:
    """Facts of one document body, parsed as ``markdown``; the body starts at file line
    ``body_line`` and offset ``body_offset``."""
    shift = body_line - 1
    headings = tuple(Heading(h.text, h.slug, h.line + shift, h.level) for h in markdown.headings)
    anchors = tuple(Anchor(a.id, a.line + shift, a.text) for a in markdown.anchors)
    links = tuple(
        Link(
            x.kind,
            x.target,
            x.text,
            x.line + shift,
            x.column,
            x.start + body_offset,
            x.end + body_offset,
        )
        for x in markdown.links
        if x.kind in _LINK_KINDS and not _footnote(x)
    )
    toc = tuple(
        TocItem(
            t.text, t.fragment, t.line + shift, t.column, t.start + body_offset, t.end + body_offset
        )
        for t in markdown.toc
    )
    suppress_lines, suppress_file = _suppressions(markdown, shift)
    return Facts(headings, anchors, links, toc, suppress_lines, suppress_file)


def _suppressions(
    markdown: Document, shift: int
) -> tuple[tuple[tuple[int, tuple[str, ...]], ...], tuple[str, ...] | None]:
    """``disable-next-line`` targets (file line, names) and whole-file ``disable`` names,
    from HTML comments only (a directive shown in a code block suppresses nothing)."""
    lines: list[tuple[int, tuple[str, ...]]] = []
    whole: list[str] | None = None
    if "kbtool:" not in markdown.text:
        return (), None
    for span in markdown.spans:
        if span.kind != "comment":
            continue
        for match in _SUPPRESS.finditer(markdown.text, span.start, span.end):
            line_no = markdown.position(match.start())[0] + shift
            names = tuple(
                part.strip() for part in (match.group(2) or "").split(",") if part.strip()
            )
            if match.group(1) == "disable":
                whole = [*(whole or []), *(names or ("*",))]
            else:
                lines.append((line_no + 1, names or ("*",)))
    return tuple(lines), tuple(whole) if whole is not None else None
