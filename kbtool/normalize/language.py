"""Guess an entry's language from its letters.

Notes here are Russian, English, or both mixed (Russian prose with English terms),
so counting Cyrillic against Latin letters is enough and needs no model download.
"""

from __future__ import annotations


def detect_language(text: str, default: str = "en") -> str:
    cyrillic = latin = 0
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif char.isascii() and char.isalpha():
            latin += 1
    if cyrillic == 0 and latin == 0:
        return default
    return "ru" if cyrillic >= latin * 0.5 else "en"
