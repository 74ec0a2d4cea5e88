"""Dollars for pandoc: a formula where the one reading has one, a dollar sign elsewhere.

pandoc's ``commonmark_x`` reads ``$…$`` as math in places the parser every other stage
uses (:mod:`kbtool.markdown.parser`) does not: ``2$x$`` and ``from 10$-20$`` (a digit
before the opening dollar), ``$a$1`` (a digit after the closing one). Lint checked
such text as prose, the study page, Anki and JSON show it as written, and the PDF
alone printed a formula, eating the dollar signs. So before pandoc reads an answer,
every ``$`` that is no formula's delimiter to the parser is escaped; what the parser
reads as math, code, HTML, a link's target or a wikilink is left as it is.

kramdown's inline formula ``\\$$ x $$`` is one formula to the parser and text to pandoc
(an escaped dollar, then ``$ x $`` with blanks inside): it is written ``$x$``.
Otherwise the two readings differ only beside a digit: pandoc takes a digit before an
opening or after a closing dollar, the parser does not. Text with no digit beside a
``$`` is returned without a parse: the generated benchmark's answers all are. Only
pieces pandoc converts are read (the sheet's cache is keyed on the Markdown as written).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from kbtool.markdown.document import Document, facts_of

# whole constructs whose text is an address or a note's name: a backslash there is kept
_WHOLE = frozenset({"autolink", "wikilink", "embed", "reference"})
_BESIDE_DIGIT = re.compile(r"\d\$|\$\d")


def as_read(markdown: str) -> str:
    """``markdown`` with each ``$`` outside the parser's formulas, code, HTML and link
    targets escaped (an already escaped one stays as it is)."""
    if "$" not in markdown:
        return markdown
    if "\\$$" in markdown:
        markdown = _kramdown_formulas(markdown)
    if not _may_differ(markdown):
        return markdown
    doc = facts_of(markdown)
    kept = _kept(doc)
    out: list[str] = []
    last = 0
    position = markdown.find("$")
    while position >= 0:
        if not _inside(kept, position) and not _escaped(markdown, position):
            out.append(markdown[last:position])
            out.append("\\$")
            last = position + 1
        position = markdown.find("$", position + 1)
    if not out:
        return markdown
    out.append(markdown[last:])
    return "".join(out)


def _kramdown_formulas(markdown: str) -> str:
    """``markdown`` with kramdown's inline formulas (``\\$$ x $$``, one formula to the
    parser) written as pandoc reads one, ``$x$``; pandoc printed their TeX as text."""
    out: list[str] = []
    last = 0
    for span in facts_of(markdown).math_spans():
        if span.kind == "math_inline" and markdown.startswith("\\$$", span.start):
            out += [markdown[last : span.start], "$", span.content.strip(), "$"]
            last = span.end
    if not out:
        return markdown
    out.append(markdown[last:])
    return "".join(out)


def _may_differ(markdown: str) -> bool:
    """Whether pandoc may read a formula the parser does not (see the module's doc)."""
    return _BESIDE_DIGIT.search(markdown) is not None


def _kept(doc: Document) -> list[tuple[int, int]]:
    """Offsets the escaping leaves alone, as disjoint ranges sorted by start."""
    ranges = [(span.start, span.end) for span in doc.spans]
    for link in doc.links:
        ranges.append((link.start, link.end))
        if link.kind in _WHOLE:
            ranges.append(doc.extent(link))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(kept: list[tuple[int, int]], position: int) -> bool:
    index = bisect_right(kept, (position, float("inf"))) - 1
    return index >= 0 and kept[index][0] <= position < kept[index][1]


def _escaped(text: str, position: int) -> bool:
    """Whether an odd run of backslashes stands before ``position``."""
    count = 0
    while position - count - 1 >= 0 and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1
