"""The import pipeline: sources -> importer -> normalize -> ids/topics -> store, with a report.

Importers only read; everything every format needs the same way happens here:
body normalization, ids, topic and tag slugs, language, privacy (importers get
``is_private``), duplicates across sources, and idempotent writes. Re-import finds
the entries it made by ``source.ref`` (else by file and title) and rewrites them only
when the source changed and no person edited them since (``source.digest``).

Each source goes in two steps. ``_prepare`` does what one entry needs on its own
(normalize, fields, the text of the likely outcome) and runs on both cores for big
sources; ``_one`` then takes the entries in source order, decides what depends on the
ones before (re-import match, duplicates, a free id), redoes the outcome when the guess
was wrong, and hands the text to the writer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kbtool.errors import InputError
from kbtool.importers import assets, conflicts, detect
from kbtool.importers.base import Dropped, DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.conflicts import Conflict
from kbtool.importers.existing import ExistingEntries, fold_title
from kbtool.importers.report import (
    Action,
    DroppedUnits,
    ImportReport,
    KeptUnits,
    SourceReport,
)
from kbtool.importers.settings import ImportSettings
from kbtool.model.entry import Entry, Source
from kbtool.model.slugs import make_id
from kbtool.normalize.language import detect_language
from kbtool.normalize.pipeline import normalize_body, normalize_title
from kbtool.parallel import split_imap
from kbtool.paths import is_real_inside, shown
from kbtool.store import atomic, confine, entry_file, lock
from kbtool.store.entry_file import EntryDocument
from kbtool.store.text import read_text

SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".json", ".html", ".htm")
Progress = Callable[[list[Path]], Iterable[Path]]
ORDERED_SHARE = 0.35  # of a big source's entries prepared here, next to the ordered part


@dataclass
class ImportRequest:
    sources: list[Path]
    notes: Path
    settings: ImportSettings
    cwd: Path = field(default_factory=Path.cwd)
    fmt: str = "auto"
    topic: str | None = None
    dry_run: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    exclude: tuple[str, ...] = ()
    take_source: frozenset[str] = frozenset()  # ids whose edits the source overrides


@dataclass
class ImportResult:
    """The report, and the edited entries the source would change (or changed: taken)."""

    report: ImportReport
    conflicts: list[Conflict] = field(default_factory=list)

    def untaken(self, request: ImportRequest) -> list[str]:
        """Ids given to ``take_source`` that were not in conflict: nothing was taken."""
        taken = {c.id for c in self.conflicts if c.taken}
        return sorted(request.take_source - taken)


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Files named, and text files in folders named (recursively, sorted).

    In folders, hidden files and ``README*`` (a folder's description, not notes) are
    skipped; a file named explicitly is always read.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path).parts
                if (
                    found.is_file()
                    and found.suffix.lower() in SOURCE_SUFFIXES
                    and not any(part.startswith(".") for part in rel)
                    and not found.name.upper().startswith("README")
                ):
                    out.append(found)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def run(
    request: ImportRequest,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
) -> ImportReport:
    """Import every source; write (unless ``dry_run``) and return the report."""
    return run_with_conflicts(request, progress, on_wait).report


def run_with_conflicts(
    request: ImportRequest,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
) -> ImportResult:
    """:func:`run`, also returning each edited entry the source would change.

    A writing import holds the base's lock (``on_wait`` is called when another import
    holds it) and writes only inside the base (:mod:`kbtool.store.confine`).
    """
    files = collect_sources(request.sources)
    result = ImportResult(
        ImportReport(dry_run=request.dry_run, notes=_rel(request.notes, request.cwd))
    )
    notes_shown = result.report.notes
    held = contextlib.nullcontext() if request.dry_run else lock.exclusive(request.notes, on_wait)
    with held, confine.within(request.notes, notes_shown), atomic.batch():
        base = ExistingEntries(request.notes, request.exclude)
        _import_files(request, files, base, result, progress)
    _summarize(result.report)
    return result


def _import_files(
    request: ImportRequest,
    files: list[Path],
    base: ExistingEntries,
    result: ImportResult,
    progress: Progress | None,
) -> None:
    report = result.report
    options = ImportOptions(topic=request.topic, is_private=request.settings.is_private)
    memo = _Memo(request)
    for path in progress(files) if progress else files:
        display = _rel(path, request.cwd)
        try:
            text = read_text(path, display)
            importer = detect.choose(text, path, display, request.fmt)
            parsed = importer.parse(text, path, options)
        except InputError as error:  # one bad source must not stop the batch
            report.errors.append(str(error))
            continue
        source = SourceReport(
            file=display, format=importer.name, unit=parsed.unit, total_units=parsed.total_units
        )
        source.warnings.extend(parsed.warnings)
        run = _SourceRun(request, base, memo, importer.name, path, display, result.conflicts)
        # everything that does not depend on other entries is per entry and pure: a
        # forked child prepares the later entries while this process prepares the first
        # ones and does the ordered part (ids, duplicates, writes) as they come
        prepared = split_imap(
            functools.partial(_prepare, run), parsed.entries, first_share=ORDERED_SHARE
        )
        with contextlib.closing(prepared):
            for raw, ready in zip(parsed.entries, prepared, strict=True):
                _one(run, raw, ready, source)
        source.dropped[:0] = [_dropped(d) for d in parsed.dropped]
        source.warnings.extend(_coverage(source, parsed))
        report.sources.append(source)


class _Memo:
    """Per-run caches for what thousands of entries share: topic slugs, folder paths."""

    def __init__(self, request: ImportRequest) -> None:
        self.settings = request.settings
        self.cwd = request.cwd
        self.slugs: dict[str, str] = {}
        self.folders: dict[Path, str] = {}
        self.roots = [path.resolve() for path in request.sources if path.is_dir()]

    def image_root(self, source: Path) -> Path:
        """The folder a source's images may come from: the folder named on the command
        line that holds it, else the source file's own folder."""
        real = source.resolve()
        for root in self.roots:
            if is_real_inside(str(real), str(root)):
                return root
        return real.parent

    def topic_slug(self, text: str) -> str:
        slug = self.slugs.get(text)
        if slug is None:
            slug = self.slugs[text] = self.settings.topic_slug(text)
        return slug

    def rel(self, path: Path, *, made_here: bool = False) -> str:
        """``_rel(path, cwd)``, its folder part computed once per folder.

        Exact unless the last part is itself a symlink or a dot name, which take the
        full route; a file this run created (``made_here``) is known not to be one.
        """
        if path.name in ("", ".", "..") or (not made_here and path.is_symlink()):
            return _rel(path, self.cwd)
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = _rel(path.parent, self.cwd)
        if folder == ".":
            return path.name
        return folder + path.name if folder.endswith("/") else f"{folder}/{path.name}"


@dataclass(frozen=True)
class _SourceRun:
    """What every entry of one source is imported with."""

    request: ImportRequest
    base: ExistingEntries
    memo: _Memo
    kind_name: str  # the importer's name, written as source.kind
    source_path: Path
    file: str  # the source as the report and source.file show it
    conflicts: list[Conflict]  # filled in source order by the ordered part


@dataclass
class _Outcome:
    """What becomes of one entry: its file, what the report says, the text to write
    (``None``: nothing to write) and the pictures to copy."""

    action: Action
    path: Path
    id: str
    title: str
    kind: str
    status: str
    text: str | None
    plan: assets.AssetPlan
    edited: str | None = None  # a person's edited text the source would replace ...
    proposed: str | None = None  # ... with this one

    @classmethod
    def of(
        cls,
        action: Action,
        path: Path,
        entry: Entry,
        text: str | None,
        plan: assets.AssetPlan,
        edited: str | None = None,
        proposed: str | None = None,
    ) -> _Outcome:
        kind, status = str(entry.kind), str(entry.status)
        return cls(action, path, entry.id, entry.title, kind, status, text, plan, edited, proposed)


@dataclass
class _Prepared:
    """What import makes of one raw entry on its own, before other entries are known.

    ``outcome`` is worked out on a guess that the ordered part checks: an update of the
    entry with the same source ref if the base has one, else a new entry whose id is
    the title's slug. ``None`` for a private title.
    """

    title: str
    body: str
    lang: str
    folded: str  # the title as duplicate matching compares it
    outcome: _Outcome | None


def _prepare(run: _SourceRun, raw: RawEntry) -> _Prepared:
    """Normalize ``raw`` and work out its likely outcome (pure: runs on either core)."""
    title = normalize_title(raw.title) or "Untitled"
    if run.request.settings.is_private(title):  # left out whole: nothing more to make
        return _Prepared(title, "", "", "", None)
    body = normalize_body(raw.body)
    lang = raw.lang or detect_language(f"{title}\n{body}", default="en")
    fields = _fields(run, raw, title, body, lang)
    same_post = run.base.by_ref.get(raw.ref) if raw.ref else None
    if same_post is not None:
        outcome = _update(run, same_post, fields, body)
    else:
        outcome = _create(run, fields, body, frozenset())
    return _Prepared(title, body, lang, fold_title(title), outcome)


def _fields(run: _SourceRun, raw: RawEntry, title: str, body: str, lang: str) -> dict[str, object]:
    """Front matter of the entry made from ``raw``, all but its id and dates."""
    request, memo = run.request, run.memo
    settings = request.settings
    answered = raw.answered if raw.answered is not None else bool(body.strip())
    topic_text = request.topic or raw.topic
    mapped = [t for t in (settings.mapped_topic(tag) for tag in raw.tags) if t]
    if topic_text:
        topic = memo.topic_slug(topic_text)
    else:
        topic = mapped[0] if mapped else settings.default_topic
    tags = list(dict.fromkeys(t for t in (memo.topic_slug(tag) for tag in raw.tags) if t))
    lines = _lines(raw)
    src = Source(
        kind=run.kind_name,
        file=run.file,
        lines=None
        if lines is None
        else (f"{lines[0]}-{lines[1]}" if lines[1] != lines[0] else f"{lines[0]}"),
        ref=raw.ref,
        date=raw.date,
    )
    return {
        "kind": raw.kind,
        "title": title,
        "topic": topic,
        "tags": [t for t in tags if t != topic],
        "lang": lang,
        "status": "answered" if answered and body.strip() else "draft",
        "source": src,
    }


def _create(
    run: _SourceRun, fields: dict[str, object], body: str, taken: set[str] | frozenset[str]
) -> _Outcome:
    """The new entry for ``fields``, its id the first of the title's slugs not ``taken``."""
    request = run.request
    title, topic = str(fields["title"]), str(fields["topic"])
    path = request.notes / topic / f"{make_id(title, taken)}.md"
    plan = assets.AssetPlan()
    body = assets.relink(
        body,
        run.source_path,
        path,
        request.notes,
        plan,
        run.memo.image_root(run.source_path),
    )
    entry = Entry.model_validate(
        {"id": path.stem, **fields, "created": request.today, "updated": request.today}
    )
    entry, text = entry_file.sealed(entry, body)
    return _Outcome.of(Action.CREATED, path, entry, text, plan)


def _lines(raw: RawEntry) -> tuple[int, int] | None:
    return raw.lines or ((min(raw.units), max(raw.units)) if raw.units else None)


def _one(run: _SourceRun, raw: RawEntry, ready: _Prepared, source: SourceReport) -> None:
    """Decide what ``ready`` becomes given the entries before it, and write it."""
    request, base, file = run.request, run.base, run.file
    title = ready.title
    if ready.outcome is None:
        source.dropped.append(
            DroppedUnits(
                reason=DropReason.PRIVATE,
                units=list(raw.units),
                note="the title matches a privacy pattern; the whole entry is left out",
            )
        )
        return
    existing = base.match(raw, file, title)
    if existing is None:
        owner = base.duplicate_of(ready.folded, file, request.settings.duplicate_threshold)
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
    if existing is not None:
        if outcome.action == Action.CREATED or outcome.path != existing.path:  # guessed wrong
            fields = _fields(run, raw, title, ready.body, ready.lang)
            outcome = _update(run, existing, fields, ready.body)
    else:
        if outcome.action != Action.CREATED or outcome.id in base.ids:  # the slug is taken
            fields = _fields(run, raw, title, ready.body, ready.lang)
            outcome = _create(run, fields, ready.body, base.ids)
        base.remember(outcome.id, ready.folded, file)
    if outcome.edited is not None:
        _conflict(run, outcome)
    if not request.dry_run and outcome.text is not None:
        entry_file.write_canonical(outcome.path, outcome.text)
    lines = _lines(raw)
    where_line = f"line {lines[0]}: " if lines else ""
    source.warnings.extend(where_line + warning for warning in outcome.plan.warnings)
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


def _update(run: _SourceRun, doc: EntryDocument, fields: dict[str, object], body: str) -> _Outcome:
    """What re-importing ``fields`` and ``body`` does to the existing entry ``doc``."""
    request = run.request
    old = doc.entry
    assert doc.path is not None
    plan = assets.AssetPlan()
    body = assets.relink(
        body,
        run.source_path,
        doc.path,
        request.notes,
        plan,
        run.memo.image_root(run.source_path),
    )
    stored = old.source.digest
    edited = (  # by a person
        stored is None
        or entry_file.digest(old, doc.body) != stored
        or doc.path in run.base.hand_formatted  # e.g. a YAML comment the data does not hold
    )
    fields = {**fields, "topic": old.topic}  # moving files is a person's decision
    candidate = Entry.model_validate(
        {"id": old.id, **fields, "created": old.created, "updated": old.updated}
    )
    candidate, _text = entry_file.sealed(candidate, body)
    source_changed = candidate.source.digest != stored
    take = edited and old.id in request.take_source
    if not source_changed and not take:  # a person's edits stand while the source stays
        return _Outcome.of(Action.UNCHANGED, doc.path, old, None, plan)
    new = candidate.model_copy(update={"updated": request.today})
    text = entry_file.render(new, body)
    if not edited:
        return _Outcome.of(Action.UPDATED, doc.path, new, text, plan)
    yours = doc.path.read_text(encoding="utf-8")
    if take:
        return _Outcome.of(Action.UPDATED, doc.path, new, text, plan, yours, text)
    return _Outcome.of(Action.CONFLICT, doc.path, old, None, plan, yours, text)


def _conflict(run: _SourceRun, outcome: _Outcome) -> None:
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


def _dropped(dropped: Dropped) -> DroppedUnits:
    return DroppedUnits(
        reason=dropped.reason, units=list(dropped.units), refs=list(dropped.refs), note=dropped.note
    )


def _coverage(source: SourceReport, parsed: ParseResult) -> Iterator[str]:
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


def _summarize(report: ImportReport) -> None:
    summary = report.summary
    summary.sources = len(report.sources)
    summary.failed = len(report.errors)
    for source in report.sources:
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


def _rel(path: Path, cwd: Path) -> str:
    """``path`` as the user would type it, in POSIX form (the report is portable)."""
    return Path(shown(path, cwd)).as_posix()
