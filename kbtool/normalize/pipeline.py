"""The ordered normalization pipeline every imported body goes through.

Order matters: anchors and links are rewritten before whitespace is cleaned, lists
are re-indented before blank lines are added around them, and whitespace is
cleaned once more at the end so every step may leave blank lines behind. Every
step runs under :mod:`kbtool.normalize.safety`: one that would change what the
document says beyond its own job is skipped for that document, and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kbtool.normalize import steps
from kbtool.normalize.safety import Skipped, check

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
    return normalize_checked(text)[0]


def normalize_checked(text: str) -> tuple[str, list[Skipped]]:
    """Run every step in order, each under the safety check: a step that would change
    more than it is for is skipped for this text and returned in the list.

    A body over ``MAX_CHECKED`` characters is returned as written (and reported).
    A skipped step may become safe once later steps ran (a list re-indented first), so
    the steps run again until nothing changes (a few rounds at most): normalizing the
    result again changes nothing.
    """
    if len(text) > MAX_CHECKED:
        return text, [Skipped("normalize", f"the body is over {MAX_CHECKED:,} characters")]
    skipped: list[Skipped] = []
    for _round in range(_ROUNDS):
        before, skipped = text, []
        for step in STEPS:
            after = step(text)
            problem = check(step.__name__, text, after)
            if problem is None:
                text = after
            elif problem not in skipped:
                skipped.append(problem)
        if text == before:
            break
    return text, skipped


_ROUNDS = 4
# Reading a body takes a few parses; past this size (60 interview answers in one body)
# the body is kept as written, and reported, so import stays linear on hostile input.
MAX_CHECKED = 100_000


def normalize_title(text: str) -> str:
    """A title as import made it before titles were the text a reader sees
    (:func:`kbtool.titles.title_text`): anchors, emphasis markers and HTML tags removed,
    escapes kept. Only a re-import uses it, to find the entries it wrote then
    (:meth:`kbtool.importers.existing.ExistingEntries.match`)."""
    title = steps.normalize_math(steps.strip_anchors(text))
    title = _heading_content(title.strip())
    title = re.sub(r"</?[a-zA-Z][^>]*>", "", title).replace("**", "").replace("__", "")
    return " ".join(title.split())


def _heading_content(title: str) -> str:
    """A title written as an ATX heading without its markers: ``## Why C#`` -> ``Why C#``."""
    if not title.startswith("#"):
        return title
    from kbtool.markdown.document import parse

    doc = parse(title)
    heading = doc.headings[0] if doc.headings else None
    if heading is None or heading.line != 1 or heading.end_line != 1:
        return title
    return title[heading.start : heading.end].strip()
