"""TeX math -> MathML at export time, so a page shows formulas with no script and no CDN.

latex2mathml (pure Python) was measured against pandoc's ``--mathml`` on the same
formulas (``benchmarks/math_bench.py``): about twice as fast, even against one pandoc
run for the whole batch, with as few formulas left unconverted; converted formulas
are memoized, as notes repeat the same ones. The converter copies ``\\text{…}`` verbatim, raw
``<`` included, so its output is never trusted: every formula goes through nh3 with a
MathML-only allow-list (no links, no styles, no foreign elements). A formula the
converter cannot read stays visible as its TeX source, with a warning; so does one with
a command the converter does not know, which it would show as a made-up identifier
(``<mi>\\ce</mi>``), and one whose ``&`` it would show as a letter.

Before converting, what latex2mathml lacks is written as what it has: mhchem's
``\\ce``/``\\pu`` as plain TeX (:mod:`kbtool.export.mhchem`; Anki's MathJax reads
mhchem itself), ``aligned`` and ``alignedat`` as ``align*`` (it printed the rows of an
``aligned`` on one line with their ``&``), ``gathered`` as a one-column array, and
``\\mathrm`` of one letter (``\\mathrm{d}x``) as ``\\text`` (it was set in italic),
``\\arg`` as an operator's name, and ``\\label``/``\\nolimits`` as nothing.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3

from kbtool.export import mhchem

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
# latex2mathml writes a command it does not know as an identifier named by it, and an
# `&` outside a table as a letter
_UNKNOWN = re.compile(r"<mi>(\\[A-Za-z]+)</mi>")
_STRAY_AMPERSAND = re.compile(r"<mi>&(?:amp;)?</mi>")
_ALIGNED = re.compile(r"\\(begin)\{aligned(?:at\}\{\d+)?\}|\\(end)\{aligned(?:at)?\}")
# latex2mathml writes \mathrm{d} as a lone <mi>, which MathML sets in italic
_UPRIGHT_LETTER = re.compile(r"\\mathrm\{([A-Za-z])\}")
# what latex2mathml does not know of standard TeX: \arg (as an operator's name), and
# \label and \nolimits, which print nothing here
_ARG = re.compile(r"\\arg(?![A-Za-z])")
_NO_OUTPUT = re.compile(r"\\label\s*\{[^{}]*\}|\\nolimits(?![A-Za-z])")
_GATHERED = re.compile(r"\\(begin|end)\{gathered\}")
_ATTRIBUTES = {tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS}


class MathError(ValueError):
    """The converter could not read a formula."""


@lru_cache(maxsize=8192)  # 1-5 ms a formula; notes repeat the same ones often
def to_mathml(tex: str, display: bool) -> str:
    """Sanitized MathML of one formula; :class:`MathError` when it cannot be converted."""
    from latex2mathml.converter import convert

    source = prepared(tex)
    if not source.strip() and tex.strip():  # only MathJax's \require{mhchem}: nothing
        return ""
    try:
        converted = convert(source, display="block" if display else "inline")
    except Exception as exc:  # the converter raises many kinds on malformed TeX
        raise MathError(str(exc) or type(exc).__name__) from None
    unknown = _UNKNOWN.search(converted)
    if unknown:
        if unknown.group(1) in ("\\ce", "\\pu"):
            raise MathError("mhchem written in a way kbtool cannot rewrite")
        raise MathError(f"{unknown.group(1)} is not a command it knows")
    if _STRAY_AMPERSAND.search(converted):
        raise MathError("an & outside an environment it knows")
    return clean_mathml(converted)


def prepared(tex: str) -> str:
    """``tex`` with mhchem and the environments latex2mathml lacks rewritten."""
    tex = _UPRIGHT_LETTER.sub(r"\\text{\1}", mhchem.plain(tex))
    if "\\arg" in tex or "\\label" in tex or "\\nolimits" in tex:
        tex = _ARG.sub(r"\\operatorname{arg}", _NO_OUTPUT.sub("", tex))
    if "\\begin" in tex:
        tex = _ALIGNED.sub(lambda m: "\\" + (m.group(1) or m.group(2)) + "{align*}", tex)
        tex = _GATHERED.sub(
            lambda m: "\\" + m.group(1) + ("{array}{c}" if m.group(1) == "begin" else "{array}"),
            tex,
        )
    return tex


def clean_mathml(markup: str) -> str:
    """Keep MathML presentation markup only; text inside stays text."""
    return nh3.clean(markup, tags=set(MATHML_TAGS), attributes=_ATTRIBUTES, url_schemes=set())


def fallback(tex: str, display: bool) -> str:
    """What a reader sees for a formula that did not convert: its TeX, as code."""
    tag = "pre" if display else "code"
    return f'<{tag} class="math-tex">{html.escape(tex, quote=False)}</{tag}>'
