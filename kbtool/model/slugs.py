"""Entry ids and topic/tag slugs.

An id is stable forever (it becomes the Anki GUID and the anchor), so it is made
from the title once, transliterated to ASCII (Cyrillic included) by python-slugify,
and never recomputed for an existing entry.
"""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
MAX_ID_LENGTH = 64


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text))


def make_slug(text: str, *, max_length: int = MAX_ID_LENGTH) -> str:
    """ASCII slug of any text: ``"Что такое BLEU?"`` -> ``"chto-takoe-bleu"``.

    Cut at a word boundary so ids stay readable; never empty.
    """
    from slugify import slugify  # here: validating an entry needs no transliterator

    # the backend is named so ids never change if another transliterator gets installed
    slug = slugify(
        text,
        max_length=max_length,
        word_boundary=True,
        save_order=True,
        backend="text-unidecode",
    )
    return slug or "untitled"


def make_id(title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A slug id for ``title`` not in ``taken``; collisions get ``-2``, ``-3``...

    Deterministic: the same title and the same taken set give the same id.
    """
    base = make_slug(title)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
