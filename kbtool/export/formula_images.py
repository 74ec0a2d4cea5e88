"""Pictures of formulas, read as the formulas they are.

Notes written for GitHub often show TeX as a picture drawn by a web service:
``<img src="https://render.githubusercontent.com/render/math?math=\\beta">`` (a service
GitHub has retired), ``![eq](https://latex.codecogs.com/gif.latex?x^2)``, Google
Charts' ``cht=tx``. The URL carries the TeX, so the exports print the formula itself:
the PDF fetches no picture (it used to drop each one with a warning, leaving holes
such as "you get this solution: ."), and Anki and the study page showed a dead or
remote image. Every export reads an entry's body through :func:`as_math`, so the
formats agree.

A replacement is kept only when the parser reads its ``$…$`` written back as that
formula (a ``|`` in a table cell, a ``$`` next to a digit or an HTML block would not
be): such a picture is left as written, and the body's other formulas are replaced.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from markdown_it.common.utils import unescapeAll

from kbtool.markdown.document import parse

# Substrings one of which every formula URL below contains: a body without "://" or
# any of them is returned at once (most bodies; no parse, about 2 µs per KB).
_HINTS = ("render/math", "codecogs.com", "cht=tx", "upmath.me", "math.now.sh", "math.vercel.app")
_CODECOGS_PATH = re.compile(r"/(?:[a-z]+\.)?(?:latex|image|download)", re.IGNORECASE)
_UPMATH_PATH = re.compile(r"/(?:svg|png)/(.+)", re.IGNORECASE | re.DOTALL)
# CodeCogs' own rendering options written before the TeX (size, background, font, inline)
_CODECOGS_OPTIONS = re.compile(
    r"^(?:\s*\\(?:dpi\{\d+\}|bg\{\w+\}|bg_\w+|fn_\w+|inline(?![A-Za-z])))+\s*"
)
MAX_TEX = 2000  # characters; a longer "formula" is no formula someone wrote in a URL


def formula_of(url: str) -> str | None:
    """The TeX a formula service's picture URL draws, or None for any other URL."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    if parts.scheme.lower() not in ("http", "https"):
        return None
    tex: str | None = None
    if host == "render.githubusercontent.com" and parts.path == "/render/math":
        tex = _query_value(parts.query, "math")
    elif host in ("latex.codecogs.com", "codecogs.com") and _CODECOGS_PATH.fullmatch(parts.path):
        text = unquote(parts.query).replace("&space;", " ").replace("&plus;", "+")
        tex = _CODECOGS_OPTIONS.sub("", text)
    elif host == "chart.googleapis.com" and _query_value(parts.query, "cht") == "tx":
        tex = _query_value(parts.query, "chl")
    elif host == "i.upmath.me" and (found := _UPMATH_PATH.fullmatch(parts.path)):
        tex = unquote(found.group(1))
    elif host in ("math.now.sh", "math.vercel.app"):
        tex = _query_value(parts.query, "from")
    if tex is None:
        return None
    tex = " ".join(tex.split())  # a formula in $…$ is one line
    if not tex or "$" in tex or len(tex) > MAX_TEX:
        return None
    return tex


def as_math(body: str) -> str:
    """``body`` with each picture of a formula replaced by ``$formula$``."""
    if "://" not in body or not any(hint in body for hint in _HINTS):
        return body
    doc = parse(body)
    found: list[tuple[int, int, str]] = []  # (start, end, tex) of each picture
    for link in doc.links:
        if link.kind == "image":
            tex = formula_of(unescapeAll(link.target))
            if tex is not None:
                start, end = doc.extent(link)
                found.append((start, end, tex))
        elif link.kind == "html-img":
            tex = formula_of(html.unescape(link.target))
            tag = _tag_around(body, link.start, link.end)
            if tex is not None and tag is not None:
                found.append((*tag, tex))
    for _try in range(2):  # the pictures whose formula is not read back stay, once
        if not found:
            return body
        written = _replaced(body, found)
        if written is None:  # nested or overlapping: leave the body as written
            return body
        formulas = [span.content.strip() for span in parse(written).math_spans()]
        wanted = [tex for _start, _end, tex in found]
        unread = {tex for tex in wanted if formulas.count(tex) < wanted.count(tex)}
        if not unread:
            return written
        # a picture in an HTML block (`<div align="center">`) or a table cell that a `|`
        # would split: that one stays a picture; the body's other formulas do not (one
        # centred formula kept all of an entry's 13 pictures)
        found = [place for place in found if place[2] not in unread]
    return body  # some $…$ would still not be read as the formula: keep the pictures


def _replaced(body: str, found: list[tuple[int, int, str]]) -> str | None:
    """``body`` with each (start, end) of ``found`` written as ``$tex$``; None when two
    overlap."""
    pieces: list[str] = []
    last = 0
    for start, end, tex in sorted(found):
        if start < last:
            return None
        pieces += [body[last:start], f"${tex}$"]
        last = end
    pieces.append(body[last:])
    return "".join(pieces)


def _tag_around(body: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the ``<img …>`` tag whose ``src`` value is ``body[start:end]``."""
    opening = body.rfind("<", 0, start)
    closing = body.find(">", end)
    if opening < 0 or closing < 0 or body[opening : opening + 4].lower() != "<img":
        return None
    return opening, closing + 1


def _query_value(query: str, name: str) -> str | None:
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == name:
            return value
    return None
