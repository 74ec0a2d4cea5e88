"""A title's formulas: ``$…$`` in a title is math, as it is in the answer.

Exports print a title as written (``*args``, ``a_b_c``, ``<br>`` stay text), and import
keeps a formula's delimiters in a title (``Why scale by $\\sqrt{d_k}$?``) so that it can
still be read as one; the PDF, Anki and the study page printed the raw TeX. The parser
decides what is math, as for an answer (``$5 and $10`` is none, nor is ``$x$`` in a
code span); every other character of the title stays text.
"""

from __future__ import annotations

from collections.abc import Callable

from kbtool.markdown.document import parse

_MATH_KINDS = frozenset({"math_inline", "math_inline_double"})


def pieces(title: str) -> list[tuple[str, bool]]:
    """The title as (text, False) and (TeX, True) pieces, in order."""
    if "$" not in title:  # most titles: no parse
        return [(title, False)]
    found: list[tuple[str, bool]] = []
    last = 0
    for span in parse(title).spans:
        tex = span.content.strip()
        if span.kind not in _MATH_KINDS or not tex or tex not in title[span.start : span.end]:
            continue
        if span.start > last:
            found.append((title[last : span.start], False))
        found.append((tex, True))
        last = span.end
    if last < len(title):
        found.append((title[last:], False))
    return found


def written(title: str, text: Callable[[str], str], math: Callable[[str], str]) -> str:
    """The title with each text piece through ``text`` and each formula through ``math``."""
    return "".join(math(piece) if is_math else text(piece) for piece, is_math in pieces(title))
