"""Choose an importer by content: every importer says how well it fits, the best one reads it.

A Markdown file is never refused for its shape: when no specific importer fits, the
general Markdown importer takes it. Equal scores go to the importer listed first in
the registry (the specific ones come before the general one). Only what is not notes
at all (a binary, another messenger's export, a web page) is refused, with what it
looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kbtool.errors import InputError
from kbtool.importers import registry
from kbtool.importers.base import Importer

MIN_SCORE = 0.5


class NotNotes(InputError):
    """No format of notes fits a source; ``looks_like`` says what it seems to be. A file
    named on the command line fails with it; one found in a folder is left out (a
    repository holds ``package.json``, site settings and built pages beside its notes)."""

    def __init__(
        self, message: str, *, looks_like: str, path: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, path=path, hint=hint)
        self.looks_like = looks_like


@dataclass(frozen=True)
class Fit:
    """How well one importer fits a source, and why."""

    score: float
    importer: Importer
    reason: str


def fit(importer: Importer, text: str, path: Path) -> Fit:
    """The importer's own ``fit`` (score and reason) when it has one, else its ``detect``."""
    explain = getattr(importer, "fit", None)
    if explain is not None:
        score, reason = explain(text, path)
    else:
        score, reason = importer.detect(text, path), "content sniffing"
    return Fit(max(0.0, min(1.0, float(score))), importer, reason)


def scores(text: str, path: Path) -> list[Fit]:
    """The fit of every available importer, best first (ties by registry order)."""
    return sorted((fit(imp, text, path) for imp in registry.available()), key=lambda f: -f.score)


def choose(text: str, path: Path, display: str, fmt: str = "auto") -> tuple[Importer, str]:
    """The importer for one source and why; ``fmt`` other than ``auto`` settles it."""
    if fmt != "auto":
        return registry.get(fmt), f"--format {fmt}"
    ranked = scores(text, path)
    if ranked and ranked[0].score >= MIN_SCORE:
        best = ranked[0]
        others = ", ".join(f"{f.importer.name} {f.score:.2f}" for f in ranked[1:3])
        return best.importer, f"{best.importer.name} {best.score:.2f}: {best.reason}" + (
            f" (next: {others})" if others else ""
        )
    looks = _looks_like(text)
    raise NotNotes(
        f"not notes kbtool can read: this looks like {looks}",
        looks_like=looks,
        path=display,
        hint="import Markdown or text notes, or a Telegram export; name a format with --format "
        + "|".join(f.importer.name for f in ranked),
    )


_LOOKS = (
    (
        re.compile(r"^\s*\{.*\"(?:messages|chats)\"", re.S),
        "a chat export in JSON that is not Telegram's",
    ),
    (re.compile(r"^\s*[\[{]"), "JSON data"),
    (re.compile(r"^\s*<(?:!doctype|html)", re.I), "an HTML page that is not a Telegram export"),
    (re.compile(r"^\s*<\?xml", re.I), "an XML document"),
    (
        re.compile(r"^\[?\d{1,2}[./]\d{1,2}[./]\d{2,4},? \d{1,2}:\d{2}"),
        "a chat log (WhatsApp-style)",
    ),
)


def _looks_like(text: str) -> str:
    head = text[:2048]
    if "\x00" in head:
        return "a binary file"
    for pattern, what in _LOOKS:
        if pattern.match(head):
            return what
    return "text in no format kbtool reads"
