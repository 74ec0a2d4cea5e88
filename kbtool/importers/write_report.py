"""The ordered part of an import, the writes, and the report with its summary.

Entries come in source order: each is matched against the base (re-import), checked
for a duplicate, given a free id when its slug is taken, and written; what happened
to every unit of the source goes into the report, and the run's totals into its
summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from kbtool.importers import conflicts
from kbtool.importers.base import Dropped, DropReason, ParseResult, RawEntry
from kbtool.importers.conflicts import Conflict
from kbtool.importers.entry_decisions import (
    Outcome,
    Prepared,
    SourceRun,
    create_outcome,
    entry_fields,
    entry_topic,
    line_range,
    update_outcome,
)
from kbtool.importers.existing import fold_title
from kbtool.importers.report import (
    Action,
    DroppedUnits,
    ImportReport,
    KeptUnits,
    SkippedStep,
    SourceReport,
)
from kbtool.model.slugs import make_id
from kbtool.store import entry_file
from kbtool.store.entry_file import EntryDocument


def place(run: SourceRun, raw: RawEntry, ready: Prepared, source: SourceReport) -> None:
    """Decide what ``ready`` becomes given the entries before it, and write it."""
    request, base, file = run.request, run.base, run.file
    title = ready.title
    if ready.outcome is None:
        whole = len([line for line in raw.body.split("\n") if line.strip()]) + 1
        source.private_lines += len(raw.units) if source.unit == "line" else whole
        source.dropped.append(
            DroppedUnits(
                reason=DropReason.PRIVATE,
                units=list(raw.units),
                note="the title matches a privacy pattern; the whole entry is left out",
            )
        )
        return
    existing, owner = match(run, raw, title, ready.folded, ready.body)
    if owner is not None:
        source.dropped.append(
            DroppedUnits(
                reason=DropReason.DUPLICATE,
                units=list(raw.units),
                note=f"same question as entry {owner}: {title}",
            )
        )
        return
    outcome = ready.outcome
    raw = replace(raw, answered=ready.answered)  # as prepare decided, its body at hand
    if existing is not None:
        if outcome.action == Action.CREATED or outcome.path != existing.path:  # guessed wrong
            fields = entry_fields(run, raw, title, ready.body, ready.lang)
            outcome = update_outcome(run, existing, fields, ready.body)
    else:
        if outcome.action != Action.CREATED or outcome.id in base.ids:  # the slug is taken
            fields = entry_fields(run, raw, title, ready.body, ready.lang)
            outcome = create_outcome(run, fields, ready.body, base.ids)
        asked = (ready.folded, ready.body) if raw.kind == "question" else None
        base.remember(outcome.id, file, asked)
    if outcome.edited is not None:
        _conflict(run, outcome)
    if not request.dry_run and outcome.text is not None:
        entry_file.write_canonical(outcome.path, outcome.text)
    lines = line_range(raw)
    for warning, target in zip(outcome.plan.warnings, outcome.plan.missing, strict=False):
        line = _line_naming(run, raw, target) or (lines[0] if lines else None)
        source.warnings.append(f"line {line}: {warning}" if line else warning)
    if not request.dry_run and outcome.action != Action.CONFLICT:
        outcome.plan.apply()
    source.entries.append(
        KeptUnits(
            id=outcome.id,
            path=run.memo.rel(outcome.path, made_here=outcome.action == Action.CREATED),
            title=outcome.title,
            kind=outcome.kind,
            status=outcome.status,
            action=outcome.action,
            units=list(raw.units),
        )
    )
    source.hard_breaks += ready.breaks
    source.skipped_steps.extend(
        SkippedStep(id=outcome.id, title=outcome.title, step=step, reason=reason)
        for step, reason in ready.skipped
    )


def match(
    run: SourceRun, raw: RawEntry, title: str, folded: str, body: str
) -> tuple[EntryDocument | None, str | None]:
    """The entry of the base that ``raw`` makes again (re-import), else the id of the
    question it asks again (a duplicate), else neither: what :func:`place` decides, and
    what import plans with before it places anything (the links between entries)."""
    existing = run.base.match(raw, run.file, title)
    if existing is not None or raw.kind != "question":  # notes may share a title ("Summary")
        return existing, None
    threshold = run.request.settings.duplicate_threshold
    return None, run.base.duplicate_of(folded, run.file, threshold, body)


def planned_file(run: SourceRun, raw: RawEntry, title: str, new: dict[str, str]) -> str | None:
    """The file (``topic/id.md``, relative to the base) :func:`place` will write ``raw``
    to, or None when it will leave it out, decided the same way on ``run.base``, a
    planning copy of the base (:meth:`ExistingEntries.planning_copy`) that remembers
    what the entries before it took. A duplicate goes where the entry it asks again is.
    ``new`` holds the files planned for this run's new entries, by id.

    The body compared for a duplicate whose title needs its note ("Why?") is the one
    read, not yet normalized: normalizing changes spacing, which the comparison folds.
    """
    if run.request.settings.is_private(title):
        return None
    base, notes = run.base, run.request.notes
    folded = fold_title(title)
    existing, owner = match(run, raw, title, folded, raw.body)
    if existing is not None and existing.path is not None:
        return existing.path.relative_to(notes).as_posix()
    if owner is not None:
        if owner in new:
            return new[owner]
        path = base.paths.get(owner)
        return path.relative_to(notes).as_posix() if path is not None else None
    entry_id = make_id(title, base.ids)
    base.remember(entry_id, run.file, (folded, raw.body) if raw.kind == "question" else None)
    new[entry_id] = f"{entry_topic(run, raw)}/{entry_id}.md"
    return new[entry_id]


def _conflict(run: SourceRun, outcome: Outcome) -> None:
    """Record an edited entry the source would change; keep a copy when it is taken."""
    assert outcome.edited is not None and outcome.proposed is not None
    taken = outcome.action == Action.UPDATED
    backup = None
    if taken and not run.request.dry_run:
        backup = conflicts.keep_backup(outcome.path, outcome.edited)
    shown = run.memo.rel(outcome.path, made_here=False)
    run.conflicts.append(
        Conflict(outcome.id, outcome.path, shown, outcome.edited, outcome.proposed, taken, backup)
    )


def _line_naming(run: SourceRun, raw: RawEntry, target: str) -> int | None:
    """The first line of ``raw`` in the source that names ``target`` (for a warning)."""
    if run.source_path.suffix.lower() == ".json" or not raw.units or raw.lines is None:
        return None
    try:
        text = run.source_path.read_text("utf-8", errors="replace").split("\n")
    except OSError:
        return None
    naming = (n for n in sorted(raw.units) if 0 < n <= len(text) and target in text[n - 1])
    return next(naming, None)


def private_lines(parsed: ParseResult) -> int:
    """Lines of one source kept out as private, in dropped units and inside entries."""
    dropped = sum(
        len(d.units) if d.lines is None else d.lines
        for d in parsed.dropped
        if d.reason == DropReason.PRIVATE
    )
    return dropped + sum(raw.private_lines for raw in parsed.entries)


def dropped_units(dropped: Dropped) -> DroppedUnits:
    return DroppedUnits(
        reason=dropped.reason, units=list(dropped.units), refs=list(dropped.refs), note=dropped.note
    )


def coverage(source: SourceReport, parsed: ParseResult) -> Iterator[str]:
    """Warn when the importer did not account for every line exactly once."""
    if parsed.unit != "line":
        return
    seen: list[int] = [u for e in source.entries for u in e.units]
    seen += [u for d in source.dropped for u in d.units]
    expected = set(range(1, parsed.total_units + 1))
    if len(seen) != len(set(seen)) or set(seen) != expected:
        missing = sorted(expected - set(seen))[:5]
        yield (
            f"importer accounting: {len(seen)} units reported for "
            f"{parsed.total_units} lines (missing {missing})"
        )


def summarize(report: ImportReport) -> None:
    summary = report.summary
    summary.sources = len(report.sources)
    summary.failed = len(report.errors)
    for source in report.sources:
        summary.private_lines += source.private_lines
        summary.hard_breaks += source.hard_breaks
        summary.skipped_steps += len(source.skipped_steps)
        for kept in source.entries:
            if kept.action == Action.CREATED:
                summary.created += 1
            elif kept.action == Action.UPDATED:
                summary.updated += 1
            elif kept.action == Action.UNCHANGED:
                summary.unchanged += 1
            else:
                summary.conflicts += 1
        for dropped in source.dropped:
            summary.dropped_units += len(dropped.units)
            if dropped.reason == DropReason.DUPLICATE:
                summary.duplicates += 1
