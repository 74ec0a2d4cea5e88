"""The contract every exporter follows, and entry selection shared by all of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kbtool.store.entry_file import EntryDocument


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

    def export(self, request: ExportRequest) -> ExportResult: ...
