"""The fidelity report of an import run (``kbtool import --report FILE``).

For every source it says where each unit (line, or chat message) went: into which
entry, or why it was dropped. Kept plus dropped units cover the source exactly
once, so a reader can check that nothing was lost silently.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from kbtool.importers.base import DropReason


class Action(StrEnum):
    """What import did (or, with ``--dry-run``, would do) with an entry."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # a person edited the entry since import wrote it: left alone


class KeptUnits(BaseModel):
    """Units that landed in one entry."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    id: str = Field(description="Entry id.")
    path: str = Field(description="Entry file, relative to the working folder (posix).")
    title: str
    kind: str
    status: str
    action: Action
    units: list[int] = Field(description="Source lines (or messages) in this entry.")


class DroppedUnits(BaseModel):
    """Units left out of every entry, and why."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    reason: DropReason
    units: list[int]
    refs: list[str] = Field(default_factory=list)
    note: str = ""


class SkippedStep(BaseModel):
    """A normalize step not applied to one entry's body (the safety check found it would
    change more than it is for), or a body too large to normalize."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Entry id.")
    title: str
    step: str = Field(description="The step, as kbtool.normalize names it.")
    reason: str


class SourceReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="Source file, relative to the working folder (posix).")
    format: str = Field(description="Importer that read it.")
    detection: str = Field(
        default="",
        description="Why that importer: its score and reason, and the next best fits.",
    )
    unit: str = Field(pattern="^(line|message)$")
    total_units: int = Field(ge=0)
    entries: list[KeptUnits] = Field(default_factory=list)
    dropped: list[DroppedUnits] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    private_lines: int = Field(
        default=0, ge=0, description="Lines kept out as private (in `dropped` and `left_out`)."
    )
    left_out: list[str] = Field(
        default_factory=list,
        description="Text cut from kept entries, and why: private lines, greetings.",
    )
    line_breaks: str = Field(
        default="",
        description="How a single newline inside a paragraph was read, and why: "
        "'obsidian: …' (kept as a line break, written as a backslash at the line end) "
        "or 'commonmark: …' (it joins the lines).",
    )
    hard_breaks: int = Field(
        default=0, ge=0, description="Single newlines written as line breaks (obsidian)."
    )
    skipped_steps: list[SkippedStep] = Field(
        default_factory=list,
        description="Normalize steps left out for an entry, with the reason.",
    )


class ImportSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    dropped_units: int = 0
    private_lines: int = Field(default=0, description="Lines kept out as private.")
    failed: int = Field(default=0, description="Sources that could not be read or parsed.")
    hard_breaks: int = Field(
        default=0, ge=0, description="Single newlines kept as line breaks (Obsidian's)."
    )
    skipped_steps: int = Field(
        default=0, ge=0, description="Normalize steps left out, one per entry and step."
    )


class ImportReport(BaseModel):
    """Everything one ``kbtool import`` run did."""

    model_config = ConfigDict(extra="forbid", title="kbtool import report")

    version: int = 1
    dry_run: bool = False
    notes: str = Field(description="The knowledge base folder entries were written to.")
    summary: ImportSummary = Field(default_factory=ImportSummary)
    sources: list[SourceReport] = Field(default_factory=list)
    errors: list[str] = Field(
        default_factory=list,
        description="One message per source that failed (file, line, what, hint); "
        "the other sources were still imported.",
    )
    skipped: list[str] = Field(
        default_factory=list,
        description="Files of a folder read but not imported, each with why (a README "
        "that is mostly not questions is the folder's description).",
    )
