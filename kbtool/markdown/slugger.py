"""GitHub's heading slugs, exactly: the ids ``#fragment`` links point at.

Same algorithm as github-slugger: lowercase; drop every character that is not a
letter, mark, number, connector punctuation, space or hyphen (Cyrillic and ``ё`` are
letters, so they stay); each space becomes ``-``. Repeated slugs in one document
get ``-1``, ``-2``, ... in order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container
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


_PREFIX = "user-content-"


def find_target(fragment: str, known: Container[str], *, fold_case: bool = True) -> str | None:
    """The id among ``known`` that a ``#fragment`` link lands on, as GitHub finds it.

    GitHub looks up the %-decoded fragment, with or without its ``user-content-``
    prefix, and then the same lowercased, so ``#Similarity-Measures`` reaches the
    heading ``## Similarity Measures`` (an explicit ``<a name="Foo">`` is reached only by
    ``#Foo``). A PDF or a browser without GitHub's script matches ids exactly: with
    ``fold_case=False`` so does this. None when nothing matches.
    """
    wanted = normalize_fragment(fragment)
    if wanted.startswith(_PREFIX):
        wanted = wanted[len(_PREFIX) :]
    for candidate in (wanted, wanted.lower()) if fold_case else (wanted,):
        if candidate in known:
            return candidate
    return None


def is_top(fragment: str) -> bool:
    """``#`` and ``#top`` (any case) scroll to the top of the page in every browser (the
    HTML standard's rule when no element has that id), so they need no target."""
    wanted = normalize_fragment(fragment)
    return not wanted or wanted.lower() == "top"
