"""The ordered normalization pipeline every imported body goes through.

Order matters: anchors and links are rewritten before whitespace is cleaned, lists
are re-indented before blank lines are added around them, and whitespace is
cleaned once more at the end so every step may leave blank lines behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kbtool.normalize import steps

Step = Callable[[str], str]

STEPS: tuple[Step, ...] = (
    steps.clean_whitespace,
    steps.strip_anchors,
    steps.convert_links,
    steps.strip_line_break_backslashes,
    steps.normalize_math,
    steps.reindent_lists,
    steps.blank_line_around_blocks,
    steps.consistent_headings,
    steps.clean_whitespace,
)


def normalize_body(text: str) -> str:
    """Run every step in order; idempotent (normalizing twice changes nothing)."""
    for step in STEPS:
        text = step(text)
    return text


def normalize_title(text: str) -> str:
    """A one-line title: anchors, emphasis markers and list numbering removed."""
    title = steps.normalize_math(steps.strip_anchors(text))
    title = re.sub(r"^#+|\s+#+$", "", title.strip()).strip()  # "Why C#" keeps its "#"
    title = re.sub(r"</?[a-zA-Z][^>]*>", "", title).replace("**", "").replace("__", "")
    return " ".join(title.split())
