"""The contract every exporter follows, and entry selection shared by all of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from kbtool.store.entry_file import EntryDocument

# How an exporter renders Markdown, so a first export can prerender it on every core:
# "path" (HTML, images as paths), "media" (HTML, images as Anki media names),
# "typst" (pandoc -> typst source), "own" (renders in its own way, not prerendered).
RenderMode = Literal["path", "media", "typst", "own"]


@dataclass(frozen=True)
class Selection:
    """``--topic``/``--tag``/``--status`` filters; empty means everything."""

    topics: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()

    def matches(self, doc: EntryDocument) -> bool:
        entry = doc.entry
        return (
            (not self.topics or entry.topic in self.topics)
            and (not self.tags or bool(self.tags.intersection(entry.tags)))
            and (not self.statuses or entry.status in self.statuses)
        )


class Settings(BaseModel):
    """An exporter's typed settings: from ``[tool.kbtool.export]`` and the command line.

    A command-line option applies to a format only when its settings have the field,
    so ``--columns`` given to ``anki`` is refused instead of ignored.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)


class StudySettings(Settings):
    """Study formats (PDF, Anki) leave drafts out unless asked: a card or a sheet with
    no answer is something to skip, not to learn."""

    include_drafts: bool = False


@dataclass
class ExportRequest:
    """What to export and where; ``options`` holds format-specific settings."""

    base: Path
    out: Path
    documents: Sequence[EntryDocument]
    options: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[int], None] = lambda _n: None  # called with entries done


@dataclass
class ExportResult:
    out: Path
    entries: int
    warnings: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


class Exporter(Protocol):
    name: str  # "pdf", "anki", "json"
    default_file: str  # "kb.pdf", ...
    render_mode: RenderMode
    # True when the exporter records in the export cache what it exported (the Anki
    # notes' times): the cache is complete only once it has run
    records_exports: bool
    settings_model: ClassVar[type[Settings]]

    def export(self, request: ExportRequest) -> ExportResult: ...


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "3 ..." before "10 ...": digit runs compare as numbers."""
    parts = _DIGITS.split(text.casefold())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)
