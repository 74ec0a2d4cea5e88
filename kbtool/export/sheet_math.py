"""The sheet's formulas: mhchem rewritten before pandoc, the unprintable ones named after.

pandoc's TeX reader (texmath) knows most of what notes write, but not MathJax's
extensions: ``\\ce{…}`` and ``\\pu{…}`` (mhchem), ``\\textcolor``, ``\\textup``,
``\\require``, a macro a note defines elsewhere. It then writes the formula's TeX as text
(``\\$\\\\ce{…}\\$`` in the typst), and the sheet printed it raw with no word. mhchem
is written as plain TeX first (:mod:`kbtool.export.mhchem`), ``\\textup`` as
``\\textrm`` and a colour dropped; a formula pandoc still
writes as text is found in the piece's typst and named in a warning with its file and
line, as a picture left out is. The search runs only on pieces whose typst holds an
escaped ``$`` (most hold none) and needs no second pandoc pass.
"""

from __future__ import annotations

import re

from kbtool.export import mhchem, title_math
from kbtool.markdown.document import parse
from kbtool.store.entry_file import EntryDocument

_MATH = frozenset({"math_inline", "math_inline_double", "math_block", "math_block_label"})
_ESCAPE = re.compile(r"\\(.)", re.S)
_DOLLAR = "\x00"  # an escaped `$` of pandoc's typst, once unescaped
_EDGE = re.compile(r"\s*\x00\s*")
_SHOWN = 60  # characters of a formula quoted in a warning
_TEXTUP = re.compile(r"\\textup(?![A-Za-z])")
_COLOUR = re.compile(r"\\textcolor\s*\{[^{}]*\}")  # \textcolor{red}{x} -> {x}


def chemistry(body: str) -> str:
    """``body`` with its formulas' mhchem written as plain TeX (what this can read), and
    MathJax's ``\\textup`` and ``\\textcolor`` as pandoc can read them."""
    if not _needs_rewriting(body):
        return body
    out: list[str] = []
    last = 0
    for span in parse(body).math_spans():
        if span.kind not in _MATH or not _needs_rewriting(span.content):
            continue
        written = _for_pandoc(span.content)
        whole = body[span.start : span.end]
        if written is None or written == span.content or span.content not in whole:
            continue
        out.append(body[last : span.start])
        if written.strip():  # a formula that was only \require{mhchem} prints nothing
            out.append(whole.replace(span.content, written, 1))
        last = span.end
    out.append(body[last:])
    return "".join(out)


def title_formula(tex: str) -> str:
    """A title's formula as pandoc should read it (mhchem rewritten when it can be)."""
    written = _for_pandoc(tex) if _needs_rewriting(tex) else tex
    return tex if written is None else written


def _needs_rewriting(tex: str) -> bool:
    return mhchem.has_mhchem(tex) or "\\textup" in tex or "\\textcolor" in tex


def _for_pandoc(tex: str) -> str | None:
    """``tex`` as pandoc's TeX reader can set it; None when its mhchem cannot be read.
    ``\\textup`` is ``\\textrm`` to it, and a colour is dropped (the sheet is black)."""
    tex = _TEXTUP.sub(r"\\textrm", _COLOUR.sub("", tex))
    return mhchem.rewrite(tex) if mhchem.has_mhchem(tex) else tex


def unprinted(typst: str, doc: EntryDocument, named: str) -> list[str]:
    """Warnings for the formulas of ``doc`` (title and answer) that pandoc wrote as
    text in ``typst``, the entry's piece: ``file:line: formula '…' is printed as its
    TeX …``."""
    if "\\$" not in typst:
        return []
    written = _EDGE.sub(_DOLLAR, _flat(_ESCAPE.sub(_unescape, typst)))
    found: list[str] = []
    for tex, line in _formulas(doc):
        flat = _flat(title_formula(tex)).replace("$", _DOLLAR)
        if not flat or _DOLLAR + flat + _DOLLAR not in written:
            continue
        shown = tex.strip() if len(tex.strip()) <= _SHOWN else tex.strip()[:_SHOWN] + "…"
        where = named if line is None else f"{named}:{line}"
        found.append(
            f"{where}: formula {shown!r}: pandoc cannot set it as math "
            f"({_why(tex)}); the PDF prints its TeX"
        )
    return found


def _formulas(doc: EntryDocument) -> list[tuple[str, int | None]]:
    """The entry's formulas with their file lines (a title's: none known here)."""
    found: list[tuple[str, int | None]] = [
        (tex, None) for tex, is_math in title_math.pieces(doc.entry.title) if is_math
    ]
    if "$" in doc.body:
        for span in parse(doc.body).math_spans():
            if span.kind in _MATH:
                found.append((span.content, doc.body_line + span.line - 1))
    return found


def _why(tex: str) -> str:
    """What in the formula pandoc does not know, as far as can be told."""
    if tex != tex.strip() and "\n" not in tex:
        return "pandoc reads no formula with a space inside its $; remove the space"
    if mhchem.has_mhchem(tex):
        return "mhchem's \\ce or \\pu written in a way kbtool cannot rewrite"
    if "`" in tex or "**" in tex or re.search(r"[^\W\d_]{3,} [^\W\d_]{3,} [^\W\d_]{3,}", tex):
        return "it reads as prose between two $; write a $ that opens no formula as \\$"
    return "a TeX command it does not know (a macro defined elsewhere), or TeX it cannot read"


def _unescape(match: re.Match[str]) -> str:
    return _DOLLAR if match.group(1) == "$" else match.group(1)


def _flat(text: str) -> str:
    return " ".join(text.split())
