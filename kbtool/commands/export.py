"""``kbtool export``: the base as pdf, anki, json or an html page (or the first three)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kbtool.commands.help import epilog
from kbtool.commands.options import ChoiceList, load_config, notes_option, split_list
from kbtool.errors import ConfigError, ExitCode
from kbtool.paths import shown

if TYPE_CHECKING:
    from kbtool.config import Config
    from kbtool.export.cache import ExportCache
    from kbtool.export.loader import LoadedBase

FORMATS = ("pdf", "anki", "json", "html", "all")
PROGRESS_FROM = 200  # entries; smaller exports finish before a bar is worth drawing
STATUSES = ("answered", "draft")
EXAMPLES = (
    "kbtool export all",
    "kbtool export pdf --out build/nlp.pdf --topic nlp --columns 3",
    "kbtool export anki --status answered --out build/drill.apkg",
    "kbtool export json --tag metrics --out build/metrics.json",
)


@click.command("export", epilog=epilog(EXAMPLES))
@click.argument("export_format", metavar="FORMAT", type=click.Choice(FORMATS))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (a folder for `all`; default: build/kb.<ext> under the config root).",
)
@click.option("--topic", "topics", multiple=True, help="Only these topics (repeatable, a,b).")
@click.option("--tag", "tags", multiple=True, help="Only entries with one of these tags.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=ChoiceList(STATUSES),
    help="Only entries with these statuses (repeatable, a,b).",
)
@click.option("--columns", type=click.Choice(["2", "3"]), default=None, help="pdf: columns (2).")
@click.option(
    "--paper", type=click.Choice(["a4", "us-letter"]), default=None, help="pdf: paper (a4)."
)
@click.option(
    "--answers/--no-answers", default=None, help="pdf: --no-answers prints questions only."
)
@click.option("--title", default=None, help='pdf: sheet title ("Cheat sheet").')
@notes_option
def command(
    export_format: str,
    out: Path | None,
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    statuses: tuple[str, ...],
    columns: str | None,
    paper: str | None,
    answers: bool | None,
    title: str | None,
    notes: Path | None,
) -> int:
    """Export the base: PDF cheat sheet, Anki deck, JSON, HTML page, or all.

    FORMAT is pdf, anki, json, html or all (all writes pdf, anki and json to their
    default files: build/kb.pdf, build/kb.apkg and build/kb.json, or into the folder
    --out names).
    """
    from kbtool.export.base import Selection
    from kbtool.export.cache import ExportCache
    from kbtool.export.loader import load

    cfg = load_config(notes)
    selection = Selection(
        frozenset(split_list(topics)), frozenset(split_list(tags)), frozenset(split_list(statuses))
    )
    cache = ExportCache(cfg.root)
    loaded = load(cfg.notes, selection, cfg.exclude, cache)
    for warning in loaded.skipped:
        click.echo(f"warning: {warning}", err=True)
    names = ("pdf", "anki", "json") if export_format == "all" else (export_format,)
    modes = [mode for name, mode in (("json", "path"), ("anki", "media")) if name in names]
    if modes and cache.mostly_cold(len(loaded.documents)):
        from kbtool.export.prerender import prerender

        prerender(cache, loaded.documents, cfg.notes, modes)
    given = {"columns": columns, "paper": paper, "answers": answers, "title": title}
    layout = {key: value for key, value in given.items() if value is not None}
    for name in names:
        _export_one(name, cfg, loaded, out, cache, several=len(names) > 1, layout=layout)
    cache.save()
    return ExitCode.OK


def _export_one(
    name: str,
    cfg: Config,
    loaded: LoadedBase,
    out: Path | None,
    cache: ExportCache,
    several: bool,
    layout: dict[str, Any] | None = None,
) -> None:
    from kbtool.export import registry
    from kbtool.export.base import ExportRequest

    exporter = registry.get(name)
    if out is None:
        target = cfg.root / "build" / exporter.default_file
    else:
        target = out / exporter.default_file if several else out
    options: dict[str, Any] = dict(cfg.section("export"))
    if not isinstance(options.get("anki_root", ""), str):
        raise ConfigError(
            "`anki_root` in [tool.kbtool.export] must be text, the top deck's name",
            path=str(cfg.source) if cfg.source else None,
            hint='e.g. anki_root = "Interview"',
        )
    options["base_ids"] = sorted(loaded.all_ids)
    options["render_cache"] = cache
    if name == "html":  # its dashboard counts near-duplicates as lint's KB202 does
        from kbtool.stats.run import duplicate_threshold

        options["duplicate_threshold"] = duplicate_threshold(cfg)
    options.update(layout or {})  # command-line pdf options win over [tool.kbtool.export]
    documents = loaded.documents
    if len(documents) >= PROGRESS_FROM:
        with click.progressbar(length=len(documents), label=f"{name}", file=sys.stderr) as bar:
            done = [0]

            def progress(count: int) -> None:
                bar.update(count - done[0])
                done[0] = count

            result = exporter.export(ExportRequest(cfg.notes, target, documents, options, progress))
    else:
        result = exporter.export(ExportRequest(cfg.notes, target, documents, options))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for entry_id in result.details.get("removed", []):
        click.echo(
            f"note: {entry_id} is no longer in the base; delete its note in Anki "
            f'(search "Id:{entry_id}")',
            err=True,
        )
    skipped = f", {len(loaded.skipped)} file(s) skipped" if loaded.skipped else ""
    click.echo(
        f"{name}: {result.entries} entr{'y' if result.entries == 1 else 'ies'} -> "
        f"{shown(result.out)}{skipped}, {len(result.warnings)} warning(s)",
        err=True,
    )
