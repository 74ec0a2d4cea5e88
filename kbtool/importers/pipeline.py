"""The import pipeline: sources -> importer -> normalize -> ids/topics -> store, with a report.

Importers only read; everything every format needs the same way happens here:
body normalization, ids, topic and tag slugs, language, privacy (importers get
``is_private``), duplicates across sources, and idempotent writes. Re-import finds
the entries it made by ``source.ref`` (else by file and title) and rewrites them only
when the source changed and no person edited them since (``source.digest``).

This module only runs the steps; each lives in a module named for what it holds:
``sources`` finds the files to read, which are read (detected, parsed) on both cores;
``entry_decisions.prepare`` does what one entry needs on its own (normalize, fields,
the text of the likely outcome) and runs on both cores for the run's entries;
``write_report.place`` then takes the entries in source order, decides what depends
on the ones before (re-import match, duplicates, a free id), redoes the outcome when
the guess was wrong, hands the text to the writer and records it in the report, which
``write_report.summarize`` totals.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kbtool.errors import InputError
from kbtool.importers import (
    detect,
    entry_links,
    line_breaks,
    repeated_labels,
    site_files,
    vault_files,
)
from kbtool.importers.base import ImportOptions, ParseResult, RawEntry
from kbtool.importers.conflicts import Conflict
from kbtool.importers.entry_decisions import (
    ImportRequest,
    Memo,
    Prepared,
    SourceRun,
    entry_title,
    entry_topic,
    prepare,
)
from kbtool.importers.existing import ExistingEntries
from kbtool.importers.report import ImportReport, SourceReport
from kbtool.importers.sources import SOURCE_SUFFIXES, collect_sources, display_path
from kbtool.importers.write_report import (
    coverage,
    dropped_units,
    place,
    planned_file,
    private_lines,
    summarize,
)
from kbtool.parallel import split_imap
from kbtool.store import atomic, confine, lock
from kbtool.store.text import read_text

__all__ = [
    "SOURCE_SUFFIXES",
    "ImportReport",
    "ImportRequest",
    "ImportResult",
    "collect_sources",
    "run",
    "run_with_conflicts",
]


class Progress(Protocol):
    """Shows how far import got: it yields ``files`` as each is done; ``label`` names
    the stage (reading, then writing each source's entries)."""

    def __call__(self, files: list[Path], label: str = ...) -> Iterable[Path]: ...


README_SKIPPED = (
    "a README that is mostly not questions (the folder's description); name it to import it"
)
TEXT_SKIPPED = (
    "a text file of the folder that fits no format of notes and asks no question "
    "(requirements, test data, a licence); name it to import it"
)
NOT_NOTES_SKIPPED = (
    "left out of the folder's import (settings, data and built pages sit beside notes)"
)
ORDERED_SHARE = 0.35  # of a big source's entries prepared here, next to the ordered part


@dataclass
class ImportResult:
    """The report, and the edited entries the source would change (or changed: taken)."""

    report: ImportReport
    conflicts: list[Conflict] = field(default_factory=list)

    def untaken(self, request: ImportRequest) -> list[str]:
        """Ids given to ``take_source`` that were not in conflict: nothing was taken."""
        taken = {c.id for c in self.conflicts if c.taken}
        return sorted(request.take_source - taken)


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
    refused: list[InputError] = []  # files of a folder that are links leading out of it
    readmes: set[Path] = set()  # README files of folders: kept only when they ask
    texts: set[Path] = set()  # other .txt files of folders: kept when they read as notes
    files = collect_sources(request.sources, refused, readmes, texts)
    report = ImportReport(dry_run=request.dry_run, notes=display_path(request.notes, request.cwd))
    report.errors.extend(str(error) for error in refused)
    result = ImportResult(report)
    shown = report.notes
    held = contextlib.nullcontext() if request.dry_run else lock.exclusive(request.notes, on_wait)
    with held, confine.within(request.notes, shown), atomic.batch():
        base = ExistingEntries(request.notes, request.exclude)
        _import_files(request, files, base, result, progress, readmes, texts)
    summarize(report)
    return result


def _import_files(
    request: ImportRequest,
    files: list[Path],
    base: ExistingEntries,
    result: ImportResult,
    progress: Progress | None,
    readmes: Collection[Path] = (),
    texts: Collection[Path] = (),
) -> None:
    report = result.report
    memo = Memo(request)
    read: list[tuple[Path, str, str, str, ParseResult]] = []
    breaks = _LineBreaks(request)
    drawings: list[Path] = []  # left out: an embed of one becomes a remark
    skipped: list[Path] = []  # left out: a link to one keeps its words
    obsidian: set[Path] = set()  # notes whose block ids (" ^1f8d63") Obsidian hides
    # each file is read (detected, parsed) on its own: a forked child reads the later
    # half of the text while this process reads the first half
    reader = functools.partial(
        _read_source,
        request,
        ImportOptions(topic=request.topic, is_private=request.settings.is_private),
        frozenset(request.sources),
        frozenset(readmes),
        frozenset(texts),
    )
    ready = split_imap(
        reader, files, first_share=_half_of_text(files), min_items=FORK_FILES, chunk=FILE_CHUNK
    )
    with contextlib.closing(ready):
        shown = progress(files) if progress else files
        for path, got in zip(shown, ready, strict=True):
            if isinstance(got, _Left):
                if got.error:
                    report.errors.append(got.message)
                else:
                    report.skipped.append(got.message)
                    skipped.append(path)
                if got.drawing:
                    drawings.append(path)
                continue
            read.append((path, got.display, got.name, got.why, got.parsed))
            if got.obsidian:
                obsidian.add(path)
            breaks.note(path, got.name, got.wikilinks)
    links = _plan_links(request, base, memo, read, drawings, skipped)
    sources: list[tuple[SourceReport, SourceRun, ParseResult]] = []
    work: list[tuple[SourceRun, RawEntry]] = []
    for path, display, name, why, parsed in read:
        choice = breaks.choice(path)
        source = SourceReport(
            file=display,
            format=name,
            detection=why,
            unit=parsed.unit,
            total_units=parsed.total_units,
            line_breaks=choice.shown(),
        )
        run = SourceRun(request, base, memo, name, path, display, result.conflicts, choice.mode)
        source.warnings.extend(parsed.warnings)
        for raw in parsed.entries:
            if links is not None:  # (an embedded drawing left out warns)
                entry_links.resolve(raw, entry_topic(run, raw), links, path)
            if path in obsidian:  # links to a block lead to its entry now
                entry_links.drop_block_ids(raw)
            source.warnings.extend(raw.warnings)
            source.left_out.extend(raw.left_out)
        source.private_lines = private_lines(parsed)
        sources.append((source, run, parsed))
        work.extend((run, raw) for raw in parsed.entries)
    # everything that does not depend on other entries is per entry and pure: a forked
    # child prepares the later entries of the whole run while this process prepares the
    # first ones and does the ordered part (ids, duplicates, writes) as they come
    prepared = split_imap(_prepare, work, first_share=ORDERED_SHARE)
    with contextlib.closing(prepared):
        placed = progress([path for path, *_rest in read], "writing") if progress else ()
        steps = iter(placed)
        for source, run, parsed in sources:
            for raw in parsed.entries:
                place(run, raw, next(prepared), source)
            source.dropped[:0] = [dropped_units(d) for d in parsed.dropped]
            source.warnings.extend(coverage(source, parsed))
            report.sources.append(source)
            next(steps, None)
        for _rest in steps:  # the bar ends full
            pass


# a forked child reads files when there are at least this many: each takes tens of
# milliseconds (detection by every importer, then the reading), forking a few
FORK_FILES = 8
FILE_CHUNK = 8  # files the child sends at a time: the bar moves as they come


@dataclass(frozen=True)
class _Read:
    """One source as read: by which importer and why, and what it holds."""

    display: str
    name: str
    why: str
    parsed: ParseResult
    obsidian: bool  # a note of Obsidian's: its block ids go
    wikilinks: bool  # it links with [[wikilinks]] (line breaks: a vault's note)


@dataclass(frozen=True)
class _Left:
    """A source not imported: an error, or skipped (a drawing, a template, a README)."""

    message: str
    error: bool = False
    drawing: bool = False


def _read_source(
    request: ImportRequest,
    options: ImportOptions,
    named: frozenset[Path],
    readmes: frozenset[Path],
    texts: frozenset[Path],
    path: Path,
) -> _Read | _Left:
    """Read one source: pure, so the later files are read by a forked child."""
    display = display_path(path, request.cwd)
    try:
        text = read_text(path, display)
        no_note = vault_files.left_out(path, text, named=path in named) or site_files.left_out(
            path, named=path in named
        )
        if no_note is not None:
            return _Left(f"{display}: {no_note}", drawing=no_note == vault_files.DRAWING)
        importer, why = detect.choose(text, path, display, request.fmt)
        parsed = importer.parse(text, path, options)
    except detect.NotNotes as error:
        if path in named:
            return _Left(str(error), error=True)
        return _Left(f"{display}: {error.looks_like}, not notes; {NOT_NOTES_SKIPPED}")
    except InputError as error:  # one bad source must not stop the batch
        return _Left(str(error), error=True)
    if path in readmes and not _asks(parsed):
        return _Left(f"{display}: {README_SKIPPED}")
    if path in texts and importer.name == GENERAL and not _asks_any(parsed):
        return _Left(f"{display}: {TEXT_SKIPPED}")
    wikilinks = (
        request.settings.line_breaks == "auto"
        and importer.name in _NOTE_FORMATS
        and line_breaks.note_has_wikilinks(text)
    )
    obsidian = "^" in text and _obsidian_note(path, text)
    return _Read(display, importer.name, why, parsed, obsidian, wikilinks)


def _half_of_text(files: list[Path]) -> float:
    """The share of ``files`` that holds the first half of their bytes: reading takes
    time by size, and this process should not wait long for the child's half."""
    sizes = []
    for path in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    total, running = sum(sizes), 0
    for index, size in enumerate(sizes):
        running += size
        if 2 * running >= total:
            return (index + 1) / max(len(files), 1)
    return 0.5


def _prepare(item: tuple[SourceRun, RawEntry]) -> Prepared:
    return prepare(*item)


class _LineBreaks:
    """How each source's single newlines are read (:mod:`kbtool.importers.line_breaks`).

    A folder holding a note of this run that links with ``[[wikilinks]]`` is a vault
    folder: all of its Markdown notes are read as Obsidian shows them, linking or not.
    """

    def __init__(self, request: ImportRequest) -> None:
        self.setting = request.settings.line_breaks
        self.vaults: set[Path] = set()
        self.sources: dict[Path, tuple[str, bool]] = {}

    def note(self, path: Path, fmt: str, wikilinks: bool) -> None:
        """Note one source as it was read: its format and whether it links with
        ``[[wikilinks]]`` (only what deciding needs: no text is kept)."""
        if self.setting != "auto":
            return
        self.sources[path] = (fmt, wikilinks)
        if wikilinks:
            self.vaults.add(path.resolve().parent)

    def choice(self, path: Path) -> line_breaks.Choice:
        fmt, wikilinks = self.sources.get(path, ("", False))
        in_vault = path.resolve().parent in self.vaults
        return line_breaks.choose(self.setting, fmt, path, wikilinks=wikilinks, in_vault=in_vault)


GENERAL = "markdown"  # the general Markdown importer: it takes any text no format fits
_NOTE_FORMATS = (GENERAL, "lecture", "question-file")  # notes an app's vault may hold
# formats whose entries may link to each other: wikilinks, and anchors of a heading that
# became an entry
_LINKING = (*_NOTE_FORMATS, "qa-markdown")


def _obsidian_note(path: Path, text: str) -> bool:
    """Whether ``path`` is a note of Obsidian's: in a vault, or linking as its notes do."""
    vault = line_breaks.obsidian_vault(path.resolve().parent)
    return vault is not None or line_breaks.note_has_wikilinks(text)


def _asks(parsed: ParseResult) -> bool:
    """Whether a README holds questions: at least half of its entries are questions (a
    folder's description may have one heading that reads as a question)."""
    questions = sum(entry.kind == "question" for entry in parsed.entries)
    return questions > 0 and 2 * questions >= len(parsed.entries)


def _asks_any(parsed: ParseResult) -> bool:
    """Whether a source holds a question at all."""
    return any(entry.kind == "question" for entry in parsed.entries)


def _plan_links(
    request: ImportRequest,
    base: ExistingEntries,
    memo: Memo,
    read: list[tuple[Path, str, str, str, ParseResult]],
    drawings: Collection[Path] = (),
    skipped: Collection[Path] = (),
) -> entry_links.EntryIndex | None:
    """Where each entry of the Markdown sources will be written, when any of them links
    to another (``[[wikilinks]]`` of a vault, anchors to a heading that became an entry).

    Every source of the run is planned in the order it is placed, on a copy of the base,
    with the decisions :func:`~kbtool.importers.write_report.place` makes: entries left
    out, duplicates and re-imports take no new id, so the ids after them are the ones
    written, and a link to a duplicate leads to the entry it asks again. An embed of a
    drawing left out (``drawings``) becomes a remark, a link to a file the run skipped
    (``skipped``: a README that describes its folder) its words. The titles are settled
    first: a label several files ask ("How does it scale?") takes its file's subject
    (:mod:`~kbtool.importers.repeated_labels`), planned or not.
    """
    repeated_labels.name_repeated(
        (path, parsed.entries) for path, _d, name, _w, parsed in read if name in _LINKING
    )
    if not any(
        entry_links.has_links(raw.body)
        for _path, _display, name, _why, parsed in read
        if name in _LINKING
        for raw in parsed.entries
    ):
        return None
    planning = base.planning_copy()
    new: dict[str, str] = {}  # id -> file of this run's new entries
    index = entry_links.EntryIndex()
    for drawing in drawings:
        index.add_drawing(vault_files.drawing_names(drawing))
    index.skipped.update(path.resolve() for path in skipped)
    for path, display, name, _why, parsed in read:
        run = SourceRun(request, planning, memo, name, path, display)
        planned = functools.partial(planned_file, run, new=new)
        if name in _LINKING:
            entry_links.plan_ids([(path, parsed.entries)], planned, index)
        else:  # their entries take ids too
            for raw in parsed.entries:
                planned(raw, entry_title(raw))
    return index
