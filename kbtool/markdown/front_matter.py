"""Front matter that opens wrong: ``---\\`` or ``---id: x`` on the first line.

Jekyll, GitHub and Obsidian start front matter only at a first line that is ``---``
alone (trailing blanks allowed). A first line with anything after the dashes opens
none, so the keys below it are shown as part of the page: a paragraph, or a heading
when a line ``---`` underlines them (setext). Real vaults hold both shapes (a
``---\\`` opener and closer, a ``---id: …`` opener). Lint says so once, at line 1,
instead of reporting the keys as an empty or unanswered section.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A YAML key line (``tags: [a, b]``, ``description: >``), a list item under a key
# (``- a``), an indented continuation or a comment: what lies between the dashes.
_KEY = re.compile(r"[A-Za-z_][\w .-]*:(?:[ \t]|$)")
_YAML_LINE = re.compile(r"[ \t]+\S|-[ \t]|-$|#|[A-Za-z_][\w .-]*:(?:[ \t]|$)")
# how far down the closing line is looked for: front matter is short
_MAX_LINES = 200


class BrokenFrontMatter(NamedTuple):
    """``opener`` is line 1 as written; ``end_line`` the 1-based closing line."""

    opener: str
    end_line: int


def broken_front_matter(text: str) -> BrokenFrontMatter | None:
    """The would-be front matter of ``text`` (LF newlines) whose first line is ``---``
    followed by more than blanks, closed by a later line of three dashes (or
    ``...``) with only YAML keys between; None for anything else, front matter that
    opens right included."""
    if not text.startswith("---"):
        return None
    lines = text.split("\n", _MAX_LINES + 1)[:_MAX_LINES]
    opener = lines[0].rstrip()
    rest = opener[3:].strip()
    if not rest or rest.strip("-") == "":
        return None  # front matter as it should be, or a thematic break
    keys = 1 if _KEY.match(rest) else 0
    for index, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        if line.startswith("---") or line.rstrip() == "...":
            return BrokenFrontMatter(opener, index) if keys else None
        if not _YAML_LINE.match(line):
            return None
        keys += bool(_KEY.match(line))
    return None
