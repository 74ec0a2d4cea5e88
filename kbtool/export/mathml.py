"""TeX math -> MathML at export time, so a page shows formulas with no script and no CDN.

latex2mathml (pure Python) was measured against pandoc's ``--mathml`` on the same
formulas (``benchmarks/math_bench.py``): about twice as fast, even against one pandoc
run for the whole batch, with as few formulas left unconverted; converted formulas
are memoized, as notes repeat the same ones. The converter copies ``\\text{…}`` verbatim, raw
``<`` included, so its output is never trusted: every formula goes through nh3 with a
MathML-only allow-list (no links, no styles, no foreign elements). A formula the
converter cannot read stays visible as its TeX source, with a warning.
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3

# MathML Core presentation elements; nothing that links (href), runs (maction) or
# embeds other markup (annotation-xml).
MATHML_TAGS = frozenset(
    {
        "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext",
        "mspace", "mfrac", "msqrt", "mroot", "msub", "msup", "msubsup", "munder", "mover",
        "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd",
        "mstyle", "mpadded", "mphantom", "menclose", "merror", "mfenced",
    }
)  # fmt: skip
MATHML_ATTRIBUTES = frozenset(
    {
        "display", "displaystyle", "scriptlevel", "mathvariant", "mathsize", "stretchy",
        "fence", "separator", "separators", "open", "close", "form", "lspace", "rspace",
        "accent", "accentunder", "movablelimits", "largeop", "symmetric", "minsize",
        "maxsize", "linethickness", "width", "height", "depth", "voffset", "notation",
        "columnalign", "rowalign", "columnspan", "rowspan", "columnlines", "rowlines",
        "columnspacing", "rowspacing", "frame", "encoding",
    }
)  # fmt: skip
_ATTRIBUTES = {tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS}


class MathError(ValueError):
    """The converter could not read a formula."""


@lru_cache(maxsize=8192)  # 1-5 ms a formula; notes repeat the same ones often
def to_mathml(tex: str, display: bool) -> str:
    """Sanitized MathML of one formula; :class:`MathError` when it cannot be converted."""
    from latex2mathml.converter import convert

    try:
        converted = convert(tex, display="block" if display else "inline")
    except Exception as exc:  # the converter raises many kinds on malformed TeX
        raise MathError(str(exc) or type(exc).__name__) from None
    return clean_mathml(converted)


def clean_mathml(markup: str) -> str:
    """Keep MathML presentation markup only; text inside stays text."""
    return nh3.clean(markup, tags=set(MATHML_TAGS), attributes=_ATTRIBUTES, url_schemes=set())


def fallback(tex: str, display: bool) -> str:
    """What a reader sees for a formula that did not convert: its TeX, as code."""
    tag = "pre" if display else "code"
    return f'<{tag} class="math-tex">{html.escape(tex, quote=False)}</{tag}>'
