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
    """Give each question whose label two or more of ``sources`` ask its subject's name,
    unless that leaves two different answers of different files under one title (their
    subjects are one heading, "UML Class Diagram" over a "User" in each): then the label
    stays, and duplicate matching compares their answers as before."""
    groups: dict[str, list[tuple[Path, RawEntry]]] = {}
    for path, entries in sources:
        for raw in entries:
            if raw.kind == "question":
                groups.setdefault(fold_title(entry_title(raw)), []).append((path, raw))
    for label, asked in groups.items():
        if len({path for path, _raw in asked}) < 2 or not is_label(label):
            continue
        named = _named(label, asked)
        if named is not None:
            for (_path, raw), title in zip(asked, named, strict=True):
                if title is not None:
                    raw.headings.append(raw.title)  # a link to the heading still leads here
                    raw.title = title


def _named(label: str, asked: list[tuple[Path, RawEntry]]) -> list[str | None] | None:
    """The new title of each question asking ``label`` (None: it keeps its own), or None
    when two different answers from different files would share one."""
    out: list[str | None] = []
    owner: dict[str, tuple[Path, str]] = {}  # new title -> the file and answer it names
    given: dict[str, str] = {}  # answer -> the title given to the first that answers so
    for path, raw in asked:
        subject = (raw.topic or _words(path.stem)).strip()
        answer = fold_body(raw.body)
        if answer in given:  # the same answer again (a copy of a note): the same title,
            out.append(given[answer])  # and duplicate matching drops it
            continue
        if not subject or fold_title(subject) == label:
            out.append(None)
            continue
        title = f"{markdown_escaped(subject)} — {raw.title}"
        first = owner.setdefault(fold_title(title), (path, answer))
        if first[0] != path and first[1] != answer:
            return None
        given[answer] = title
        out.append(title)
    return out


def is_label(folded: str) -> bool:
    """Whether a question's folded title asks about a subject it does not name."""
    return not stands_alone(folded) or any(word in POINTING for word in folded.split())


def _words(stem: str) -> str:
    """A file name's words: ``parking-lot`` is "parking lot"."""
    return " ".join(stem.replace("_", " ").replace("-", " ").split())
