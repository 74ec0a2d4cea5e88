"""Questions that several sources of one run ask by the same label: "How does it
scale?" under ``# Parking Lot`` and under ``# Elevator System``, "Why?" in each lecture.

Such a label asks about its source's subject, not a question of its own, so it takes
that subject's name (``Parking Lot — How does it scale?``), as a label repeated under
several parents of one note does (:mod:`kbtool.importers.lecture`). Without it the
second was dropped as a duplicate of the first (its answer lost), or both kept under one
title, which lint then reports as the same question asked twice (KB202). A label is a
question whose title does not name its subject alone (:func:`kbtool.titles.stands_alone`)
or points back at it ("it", "this", "они"); one that names it ("What is overfitting?")
asked in two sources is left to duplicate matching. The title it had stays a heading
that leads to the entry (a link to ``parking-lot.md#how-does-it-scale``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kbtool.importers.base import RawEntry
from kbtool.importers.entry_decisions import entry_title
from kbtool.importers.existing import fold_body, fold_title
from kbtool.titles import markdown_escaped, stands_alone

# words by which a question points back at the subject of the text around it
_POINTING_WORDS = """
    it its this that these those they them their
    он она оно они его её ее их это этот эта эти
"""
POINTING = frozenset(_POINTING_WORDS.split())


def name_repeated(sources: Iterable[tuple[Path, list[RawEntry]]]) -> None:
    """Give each question whose label two or more of ``sources`` ask its subject's name."""
    sources = list(sources)
    askers: dict[str, set[Path]] = {}
    for path, entries in sources:
        for raw in entries:
            if raw.kind == "question":
                askers.setdefault(fold_title(entry_title(raw)), set()).add(path)
    named: dict[tuple[str, str], str] = {}  # (label, folded answer) -> the title given
    for path, entries in sources:
        for raw in entries:
            if raw.kind != "question":
                continue
            folded = fold_title(entry_title(raw))
            if len(askers.get(folded, ())) < 2 or not is_label(folded):
                continue
            subject = raw.topic or _words(path.stem)
            if not subject.strip() or fold_title(subject) == folded:
                continue
            title = f"{markdown_escaped(subject.strip())} — {raw.title}"
            # the same label with the same answer is the same question (a copy of a
            # note): it takes the title the first one took, and is dropped as its duplicate
            title = named.setdefault((folded, fold_body(raw.body)), title)
            raw.headings.append(raw.title)  # a link to the heading still leads here
            raw.title = title


def is_label(folded: str) -> bool:
    """Whether a question's folded title asks about a subject it does not name."""
    return not stands_alone(folded) or any(word in POINTING for word in folded.split())


def _words(stem: str) -> str:
    """A file name's words: ``parking-lot`` is "parking lot"."""
    return " ".join(stem.replace("_", " ").replace("-", " ").split())
