"""Guess an entry's language from its letters.

Notes here are Russian, English, or both mixed (Russian prose with English terms),
so counting Cyrillic against Latin letters is enough and needs no model download.
"""

from __future__ import annotations

import re

# Letters are counted in runs by regular expressions (C speed); the ASCII letters are
# exactly the characters that are both ``isascii()`` and ``isalpha()``.
_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_LATIN = re.compile("[A-Za-z]+")


def detect_language(text: str, default: str = "en") -> str:
    cyrillic = sum(map(len, _CYRILLIC.findall(text)))
    latin = sum(map(len, _LATIN.findall(text)))
    if cyrillic == 0 and latin == 0:
        return default
    return "ru" if cyrillic >= latin * 0.5 else "en"
