"""Anki reads more than HTML in a field: keep what a note says from acting there.

Two things in a field are live in Anki, whatever the HTML sanitizer lets through:

* ``[sound:name]`` is an audio tag: Anki plays (and on some clients opens) that file
  of the collection's media when the card is shown;
* TeX inside ``\\(…\\)`` / ``\\[…\\]`` goes to MathJax, whose ``\\href`` makes a link
  (``javascript:`` included) and ``\\style``, ``\\class``, ``\\cssId``, ``\\unicode``,
  ``\\require`` change the page or load extensions.

A note from someone else could carry either. The audio tag gets its bracket as an
entity (shown the same, never parsed as a tag); each of those macros loses its
backslash inside math (shown as the word, never run).
"""

from __future__ import annotations

import re

_SOUND = re.compile(r"\[(sound:)", re.I)
_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
_LIVE_MACROS = re.compile(r"\\(href|style|class|cssId|unicode|require|data|html|url)(?![A-Za-z])")


def inert(field: str) -> str:
    """``field`` with Anki's audio tags and MathJax's active macros made plain text."""
    if "[" in field:
        field = _SOUND.sub(r"&#91;\1", field)
    if "\\" in field:
        field = _MATH.sub(_defuse_math, field)
    return field


def _defuse_math(match: re.Match[str]) -> str:
    return _LIVE_MACROS.sub(r"\\text{\1}", match.group(0))
