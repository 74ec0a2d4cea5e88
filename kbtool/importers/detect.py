"""Choose an importer by content: every importer scores the text, the best clear winner reads it."""

from __future__ import annotations

from pathlib import Path

from kbtool.errors import InputError
from kbtool.importers import registry
from kbtool.importers.base import Importer

MIN_SCORE = 0.5
MIN_MARGIN = 0.1


def scores(text: str, path: Path) -> list[tuple[float, Importer]]:
    """(score, importer) for every available importer, best first (ties by registry order)."""
    scored = [(max(0.0, min(1.0, imp.detect(text, path))), imp) for imp in registry.available()]
    return sorted(scored, key=lambda pair: -pair[0])


def choose(text: str, path: Path, display: str, fmt: str = "auto") -> Importer:
    """The importer for one source; ``fmt`` other than ``auto`` settles it without guessing."""
    if fmt != "auto":
        return registry.get(fmt)
    ranked = scores(text, path)
    best = ranked[0][0] if ranked else 0.0
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    if best >= MIN_SCORE and best - second >= MIN_MARGIN:
        return ranked[0][1]
    shown = ", ".join(f"{imp.name} {score:.2f}" for score, imp in ranked[:3])
    why = "no format fits" if best < MIN_SCORE else "two formats fit about equally"
    raise InputError(
        f"cannot tell the format ({why}; best candidates: {shown})",
        path=display,
        hint="name it with --format " + "|".join(imp.name for _s, imp in ranked),
    )
