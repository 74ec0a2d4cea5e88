"""GitHub's heading slugs, exactly: the ids ``#fragment`` links point at.

Same algorithm as github-slugger: lowercase; drop every character that is not a
letter, mark, number, connector punctuation, space or hyphen (Cyrillic and ``ё`` are
letters, so they stay); each space becomes ``-``. Repeated slugs in one document
get ``-1``, ``-2``, ... in order.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

_KEEP_CATEGORIES = ("L", "M", "N", "Pc")


def slug(text: str) -> str:
    """Slug of one heading text (no de-duplication)."""
    out = []
    for char in text.lower():
        if char in {" ", "-"}:
            out.append("-" if char == " " else char)
        elif unicodedata.category(char).startswith(_KEEP_CATEGORIES):
            out.append(char)
    return "".join(out)


class Slugger:
    """Slugs for the headings of one document, de-duplicated like GitHub does."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = slug(text)
        result = base
        while result in self._seen:
            self._seen[base] += 1
            result = f"{base}-{self._seen[base]}"
        self._seen[result] = 0
        return result


def normalize_fragment(fragment: str) -> str:
    """A link fragment as compared with ids: %-decoded, so ``#%D0%B0`` equals ``#а``."""
    return unicodedata.normalize("NFC", unquote(fragment))
