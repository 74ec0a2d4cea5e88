"""``kbtool export``: the base as pdf, anki, json or an html page (or all: pdf, anki,
json); the work is in :mod:`kbtool.export.run`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kbtool.commands.help import epilog
from kbtool.commands.options import load_config, notes_option, split_list
from kbtool.errors import ExitCode
from kbtool.paths import shown

if TYPE_CHECKING:
    from kbtool.config import Config
    from kbtool.export.run import ExportReport

from kbtool.export.registry import names as registered_formats

FORMATS = (*registered_formats(), "all")
STATUSES = ("answered", "draft")
PROGRESS_FROM = 200  # entries; smaller exports finish before a bar is worth drawing
EXAMPLES = (
    "kbtool export all --out-dir build",
    "kbtool export pdf --out build/nlp.pdf --topic nlp --columns 3",
    "kbtool export anki --status answered --out build/drill.apkg",
    'kbtool export html --title "Interview prep"',
    "kbtool export json --tag metrics --out build/metrics.json",
)


@click.command("export", epilog=epilog(EXAMPLES))
@click.argument("export_format", metavar="FORMAT", type=click.Choice(FORMATS))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (default: build/kb.<ext> under the config root).",
)
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder: kb.pdf, kb.apkg, kb.json go in it (the way to place `all`).",
)
@click.option("--topic", "topics", multiple=True, help="Only these topics (repeatable, a,b).")
@click.option("--tag", "tags", multiple=True, help="Only entries with one of these tags.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only these statuses (repeatable).",
)
@click.option(
    "--include-drafts",
    is_flag=True,
    default=False,
    help="pdf, anki: put drafts in (the PDF lists them at the end as questions to answer).",
)
@click.option("--columns", type=click.Choice(["2", "3"]), default=None, help="pdf: columns (2).")
@click.option(
    "--paper", type=click.Choice(["a4", "us-letter"]), default=None, help="pdf: paper (a4)."
)
@click.option(
    "--answers/--no-answers", default=None, help="pdf: --no-answers prints questions only."
)
@click.option("--title", default=None, help='pdf, html: title ("Cheat sheet").')
@notes_option
def command(
    export_format: str,
    out: Path | None,
    out_dir: Path | None,
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    statuses: tuple[str, ...],
    include_drafts: bool,
    columns: str | None,
    paper: str | None,
    answers: bool | None,
    title: str | None,
    notes: Path | None,
) -> int:
    """Export the base: PDF cheat sheet, Anki deck, JSON, HTML page, or all.

    FORMAT is pdf, anki, json, html, or all (pdf, anki and json, into --out-dir).

    PDF and Anki leave drafts out unless --include-drafts; JSON keeps every entry.
    """
    from kbtool.export.base import Selection
    from kbtool.export.run import ExportJob, run

    cfg = load_config(notes)
    given: dict[str, Any] = {
        "columns": int(columns) if columns else None,
        "paper": paper,
        "answers": answers,
        "title": title,
        "include_drafts": include_drafts or None,
    }
    job = ExportJob(
        format=export_format,
        notes=cfg.notes,
        root=cfg.root,
        out=out,
        out_dir=out_dir,
        selection=Selection(
            frozenset(split_list(topics)), frozenset(split_list(tags)), frozenset(statuses)
        ),
        given={key: value for key, value in given.items() if value is not None},
        config=cfg.section("export"),
        config_source=str(cfg.source) if cfg.source else None,
        exclude=cfg.exclude,
        extra=_extra_options(export_format, cfg),
    )
    _print(run(job, _progress_bar))
    return ExitCode.OK


def _extra_options(export_format: str, cfg: Config) -> dict[str, Any]:
    """Settings another section decides: the html dashboard counts near-duplicate
    questions as lint's KB202 does."""
    if export_format != "html":
        return {}
    from kbtool.stats.run import duplicate_threshold

    return {"duplicate_threshold": duplicate_threshold(cfg)}


@contextlib.contextmanager
def _progress_bar(name: str, total: int) -> Iterator[Callable[[int], None]]:
    """A click progress bar on stderr for long exports (click draws it only on a TTY)."""
    if total < PROGRESS_FROM:
        yield lambda _done: None
        return
    with click.progressbar(length=total, label=name, file=sys.stderr) as bar:
        done = [0]

        def advance(count: int) -> None:
            bar.update(count - done[0])
            done[0] = count

        yield advance


def _print(report: ExportReport) -> None:
    for warning in report.skipped:
        click.echo(f"warning: {warning}", err=True)
    for written in report.written:
        result = written.result
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        for entry_id in result.details.get("removed", []):
            click.echo(
                f"note: {entry_id} is no longer in the base; delete its note in Anki "
                f'(search "Id:{entry_id}")',
                err=True,
            )
        extra = ""
        if report.skipped:
            extra += f", {len(report.skipped)} file(s) skipped"
        if written.left_out_drafts:
            extra += f", {written.left_out_drafts} draft(s) left out (--include-drafts)"
        entries = result.entries
        click.echo(
            f"{written.format}: {entries} entr{'y' if entries == 1 else 'ies'} -> "
            f"{shown(result.out)}{extra}, {len(result.warnings)} warning(s)",
            err=True,
        )
