"""The contract between format importers and the import pipeline.

An importer only *reads*: it turns one source file into :class:`RawEntry` values
and accounts for every unit (line, or message for chat exports) it did not keep.
Everything after that — normalization, ids, topics, privacy, duplicates, writing —
is the pipeline's job, so every format gets it the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol


class DropReason(StrEnum):
    """Why a source unit did not land in any entry (the fidelity report lists them)."""

    BOILERPLATE = "boilerplate"  # channel header, "Download Telegram", TOC, separators
    REACTION = "reaction"  # 👍11, 7👍1
    PRIVATE = "private"  # salary talk, phone numbers, e-mails (configurable patterns)
    EMPTY = "empty"  # blank lines
    SERVICE = "service"  # Telegram service messages (joins, pins, ...)
    MEDIA = "media"  # media-only messages with no text
    DUPLICATE = "duplicate"  # the same question already imported from another source
    NOISE = "noise"  # chat messages of only emoji or thanks, stickers
    MALFORMED = "malformed"  # an export's message whose id or text is of a wrong type


@dataclass(frozen=True)
class Dropped:
    """Units of a source that were left out, and why.

    ``units`` are 1-based line numbers for text sources; for chat exports whose
    unit is a message, line numbers of the message in the file when known, else
    message ids in ``refs``.
    """

    units: tuple[int, ...]
    reason: DropReason
    refs: tuple[str, ...] = ()
    note: str = ""
    lines: int | None = None  # source lines these units hold, when not one per unit


@dataclass
class RawEntry:
    """One question or concept as read from a source, before normalization.

    ``units`` are the source lines (or messages) that landed in this entry; with
    the ``Dropped`` units they must cover the whole source exactly once. ``title`` is
    Markdown, as the source writes it; the pipeline reads the text a reader sees of it
    once (:func:`kbtool.titles.title_text`); an importer holding a plain title (a file
    name, a front matter ``title:``) hands it on through
    :func:`kbtool.titles.markdown_escaped`.
    """

    title: str
    body: str
    kind: str = "question"  # "question" | "note"
    topic: str | None = None  # a slug or free text; the pipeline maps it to a slug
    tags: list[str] = field(default_factory=list)  # raw hashtags or words, mapped later
    units: tuple[int, ...] = ()
    lines: tuple[int, int] | None = None  # first and last source line, 1-based
    ref: str | None = None  # stable id in the source: "channel-123/post-45"
    date: dt.datetime | dt.date | None = None  # UTC for datetimes
    lang: str | None = None  # detected by the pipeline when None
    answered: bool | None = None  # None: decided by the pipeline from the body
    difficulty: str | None = None  # easy | medium | hard, when the source says
    aliases: list[str] = field(default_factory=list)  # other names (front matter aliases)
    # headings of the source that lead here besides the title: grouping headings right
    # above the entry ("## Precision and recall" over "### Precision"), so that a link
    # to one of them leads to the entry
    headings: list[str] = field(default_factory=list)
    private_lines: int = 0  # lines of this entry's units left out as private
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # text cut from the entry, and why


@dataclass
class ParseResult:
    """What an importer read from one source."""

    entries: list[RawEntry] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    total_units: int = 0  # lines in the file, or messages for chat exports
    unit: str = "line"  # "line" | "message"
    warnings: list[str] = field(default_factory=list)  # "message 42: ..." style

    def add(self, item: RawEntry | Dropped) -> None:
        """Record what one unit (message) became: an entry, or units left out."""
        if isinstance(item, Dropped):
            self.dropped.append(item)
        else:
            self.entries.append(item)


@dataclass(frozen=True)
class ImportOptions:
    """Settings importers may consult; ``is_private`` comes from the privacy config."""

    topic: str | None = None
    is_private: Callable[[str], bool] = lambda _line: False


class Importer(Protocol):
    """A source format. ``detect`` looks at content, never only at the file name."""

    name: str  # "telegram-json", "qa-markdown", ...
    description: str

    def detect(self, text: str, path: Path) -> float:
        """Confidence in 0..1 that ``text`` is this format (0: certainly not)."""
        ...

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        """Read one decoded source (UTF-8, LF newlines)."""
        ...
