"""The import pipeline: sources -> importer -> normalize -> ids/topics -> store, with a report.

Importers only read; everything every format needs the same way happens here:
body normalization, ids, topic and tag slugs, language, privacy (importers get
``is_private``), duplicates across sources, and idempotent writes. Re-import finds
the entries it made by ``source.ref`` (else by file and title) and rewrites them only
when the source changed and no person edited them since (``source.digest``).

This module only runs the steps; each lives in a module named for what it holds:
``sources`` finds the files to read; ``entry_decisions.prepare`` does what one entry
needs on its own (normalize, fields, the text of the likely outcome) and runs on both
cores for big sources; ``write_report.place`` then takes the entries in source order,
decides what depends on the ones before (re-import match, duplicates, a free id),
redoes the outcome when the guess was wrong, hands the text to the writer and records
it in the report, which ``write_report.summarize`` totals.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable
from pathlib import Path

from kbtool.errors import InputError
from kbtool.importers import detect
from kbtool.importers.base import ImportOptions
from kbtool.importers.entry_decisions import ImportRequest, Memo, SourceRun, prepare
from kbtool.importers.existing import ExistingEntries
from kbtool.importers.report import ImportReport, SourceReport
from kbtool.importers.sources import SOURCE_SUFFIXES, collect_sources, display_path
from kbtool.importers.write_report import (
    coverage,
    dropped_units,
    place,
    private_lines,
    summarize,
)
from kbtool.parallel import split_imap
from kbtool.store import atomic, confine, lock
from kbtool.store.text import read_text

__all__ = ["SOURCE_SUFFIXES", "ImportReport", "ImportRequest", "collect_sources", "run"]

Progress = Callable[[list[Path]], Iterable[Path]]


ORDERED_SHARE = 0.35  # of a big source's entries prepared here, next to the ordered part


def run(
    request: ImportRequest,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
) -> ImportReport:
    """Import every source; write (unless ``dry_run``) and return the report.

    A writing import holds the base's lock (``on_wait`` is called when another import
    holds it) and writes only inside the base (:mod:`kbtool.store.confine`).
    """
    files = collect_sources(request.sources)
    report = ImportReport(dry_run=request.dry_run, notes=display_path(request.notes, request.cwd))
    shown = report.notes
    held = contextlib.nullcontext() if request.dry_run else lock.exclusive(request.notes, on_wait)
    with held, confine.within(request.notes, shown), atomic.batch():
        base = ExistingEntries(request.notes, request.exclude)
        _import_files(request, files, base, report, progress)
    summarize(report)
    return report


def _import_files(
    request: ImportRequest,
    files: list[Path],
    base: ExistingEntries,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    options = ImportOptions(topic=request.topic, is_private=request.settings.is_private)
    memo = Memo(request)
    for path in progress(files) if progress else files:
        display = display_path(path, request.cwd)
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
        for raw in parsed.entries:
            source.warnings.extend(raw.warnings)
            source.left_out.extend(raw.left_out)
        source.private_lines = private_lines(parsed)
        run = SourceRun(request, base, memo, importer.name, path, display)
        # everything that does not depend on other entries is per entry and pure: a
        # forked child prepares the later entries while this process prepares the first
        # ones and does the ordered part (ids, duplicates, writes) as they come
        prepared = split_imap(
            functools.partial(prepare, run), parsed.entries, first_share=ORDERED_SHARE
        )
        with contextlib.closing(prepared):
            for raw, ready in zip(parsed.entries, prepared, strict=True):
                place(run, raw, ready, source)
        source.dropped[:0] = [dropped_units(d) for d in parsed.dropped]
        source.warnings.extend(coverage(source, parsed))
        report.sources.append(source)
