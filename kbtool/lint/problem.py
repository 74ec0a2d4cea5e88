"""The one value every rule yields: a problem at a place, maybe with a safe fix."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Fix(NamedTuple):
    """Replace ``text[start:end]`` (character offsets in the file) with ``replacement``."""

    start: int
    end: int
    replacement: str
    description: str


class Problem(NamedTuple):
    """A finding; ``line`` and ``column`` are 1-based file positions."""

    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None
