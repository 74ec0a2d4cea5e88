"""``kbtool import``: raw notes (files or folders) into entries, with a summary and a report."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kbtool.commands.help import epilog
from kbtool.commands.options import load_config, notes_option, split_list
from kbtool.errors import ExitCode
from kbtool.paths import shown

if TYPE_CHECKING:
    from kbtool.importers.conflicts import Conflict
    from kbtool.importers.report import ImportReport

# Kept in step with kbtool.importers.registry by a test; importing it here would slow start-up.
FORMATS = (
    "auto",
    "telegram-json",
    "telegram-html",
    "telegram-text",
    "qa-markdown",
    "question-file",
    "lecture",
    "pdf-text",
    "checklist",
    "markdown",
)
LINE_BREAKS = ("auto", "obsidian", "commonmark")  # kbtool.importers.settings.LINE_BREAKS
PROGRESS_MIN_FILES = 20
EXAMPLES = (
    "kbtool import examples/raw --report build/import-report.json",
    "kbtool import result.json --format telegram-json --topic nlp",
    "kbtool import notes.md --dry-run",
    "kbtool import vault/ --line-breaks obsidian",
)


@click.command("import", epilog=epilog(EXAMPLES))
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@notes_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Source format; auto detects it from the content of each file.",
)
@click.option("--topic", default=None, help="Put every imported entry under this topic.")
@click.option(
    "--line-breaks",
    "line_breaks",
    type=click.Choice(LINE_BREAKS),
    default=None,
    help="A single newline inside a paragraph: obsidian keeps it as a line break (as "
    "Obsidian shows it), commonmark joins the lines; auto (the default, or line_breaks "
    "in [tool.kbtool.import]) keeps Obsidian's for lecture notes and Obsidian vaults.",
)
@click.option("--dry-run", is_flag=True, help="Write nothing; report what would happen.")
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Show what the source would change in entries a person edited (unified diff).",
)
@click.option(
    "--take-source",
    "take_source",
    metavar="ID",
    multiple=True,
    help="Replace the edited entry ID with the source's version; yours is kept as "
    "<file>.orig (repeatable).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the fidelity report (JSON, schema/import-report.schema.json) here.",
)
def command(
    sources: tuple[Path, ...],
    notes: Path | None,
    fmt: str,
    topic: str | None,
    line_breaks: str | None,
    dry_run: bool,
    show_diff: bool,
    take_source: tuple[str, ...],
    report_path: Path | None,
) -> int:
    """Import raw notes (files or folders) into entries of the base.

    Exit 1: an entry a person edited was left alone (a conflict); 2: a source could
    not be read.
    """
    import dataclasses

    from kbtool.importers import pipeline, settings
    from kbtool.store import atomic

    config = load_config(notes)
    loaded = settings.load(config.section("import"), str(config.source) if config.source else None)
    if line_breaks is not None:
        loaded = dataclasses.replace(loaded, line_breaks=line_breaks)
    request = pipeline.ImportRequest(
        sources=list(sources),
        notes=config.notes,
        settings=loaded,
        fmt=fmt,
        topic=topic,
        dry_run=dry_run,
        exclude=config.exclude,
        take_source=frozenset(split_list(take_source)),
    )
    result = pipeline.run_with_conflicts(
        request,
        progress=_progress,
        on_wait=lambda: click.echo(
            f"waiting: another kbtool import is writing to {shown(request.notes)}", err=True
        ),
    )
    report = result.report
    if report_path is not None:
        atomic.write_text(report_path, report.model_dump_json(indent=2) + "\n")
    for source in report.sources:
        for warning in source.warnings:
            click.echo(f"warning: {source.file}: {warning}", err=True)
        for skipped in source.skipped_steps:
            click.echo(
                f"warning: {source.file}: entry {skipped.id}: {skipped.step} not applied: "
                f"{skipped.reason}",
                err=True,
            )
    for conflict in result.conflicts:
        _show_conflict(conflict, show_diff, dry_run)
    for entry_id in result.untaken(request):
        click.echo(
            f"warning: --take-source {entry_id}: no entry with this id was edited and changed "
            "by these sources; nothing taken",
            err=True,
        )
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    for description in report.skipped:
        click.echo(f"skipped: {description}", err=True)
    s = report.summary
    if not s.sources and not s.failed and not report.skipped:
        from kbtool.importers.sources import SOURCE_SUFFIXES

        click.echo(
            "note: no source found: folders are read for "
            + ", ".join(SOURCE_SUFFIXES)
            + " files (hidden files left out)",
            err=True,
        )
    verb = "would import" if dry_run else "imported"
    failed = f", {s.failed} failed" if s.failed else ""
    extra = ""
    if s.hard_breaks:
        extra = f", {s.hard_breaks} line break(s) kept as the notes' app shows them"
    if s.skipped_steps:
        extra += f", {s.skipped_steps} normalize step(s) skipped"
    click.echo(
        f"{verb} {s.sources} source(s): {s.created} created, {s.updated} updated, "
        f"{s.unchanged} unchanged, {s.conflicts} conflicts, {s.duplicates} duplicates, "
        f"{_dropped_text(report)} dropped units, {s.private_lines} private line(s) kept out"
        f"{extra}{failed}"
    )
    if s.failed:
        return ExitCode.USAGE
    return ExitCode.FINDINGS if s.conflicts else ExitCode.OK


def _dropped_text(report: ImportReport) -> int:
    """Dropped units that held text, for the summary line: the report accounts for every
    unit, blank lines too (97 of the seeds' 137), but "137 dropped units" read as lost
    notes; private lines have their own count."""
    from kbtool.importers.base import DropReason

    quiet = {DropReason.EMPTY, DropReason.PRIVATE}
    return report.summary.dropped_units - sum(
        len(dropped.units)
        for source in report.sources
        for dropped in source.dropped
        if dropped.reason in quiet
    )


def _show_conflict(conflict: Conflict, show_diff: bool, dry_run: bool) -> None:
    if conflict.taken:
        if dry_run:
            click.echo(f"would take the source's version of {conflict.shown}", err=True)
        else:
            kept = f"; yours is kept in {shown(conflict.backup)}" if conflict.backup else ""
            click.echo(f"took the source's version of {conflict.shown}{kept}", err=True)
        return
    click.echo(
        f"conflict: {conflict.shown}: edited since import wrote it, and the source changed; "
        f"left as it is (see the change: --diff; take the source's version: "
        f"--take-source {conflict.id})",
        err=True,
    )
    if show_diff:
        click.echo(conflict.diff(), nl=False)


def _progress(files: list[Path], label: str = "importing") -> Iterable[Path]:
    """A progress bar on stderr for batches: when stderr is a terminal, or for many files.
    Import shows two: reading the files, then writing their entries."""
    if len(files) < 2 or not (sys.stderr.isatty() or len(files) >= PROGRESS_MIN_FILES):
        return files
    return _bar(files, label)


def _bar(files: list[Path], label: str) -> Iterator[Path]:
    with click.progressbar(files, label=label, file=sys.stderr) as bar:
        yield from bar
