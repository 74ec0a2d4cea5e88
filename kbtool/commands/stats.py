"""``kbtool stats``: how much of the base is answered, per topic."""

from __future__ import annotations

from pathlib import Path

import click

from kbtool.commands.help import epilog
from kbtool.commands.options import load_config, notes_option
from kbtool.errors import ExitCode

EXAMPLES = (
    "kbtool stats",
    "kbtool stats --notes build/demo/notes",
    "kbtool stats --format json > build/stats.json",
)


@click.command("stats", epilog=epilog(EXAMPLES))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people; json (schema/stats.schema.json) for scripts.",
)
@notes_option
def command(output_format: str, notes: Path | None) -> int:
    """Count entries, answered share, drafts, difficulty, sources and near-duplicates.

    Prints a table per topic, then the total.
    """
    from kbtool.stats.run import stats_of

    report, skipped = stats_of(load_config(notes))
    for warning in skipped:
        click.echo(f"warning: {warning}", err=True)
    if output_format == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        from kbtool.stats.table import render

        click.echo(render(report), nl=False)
    return ExitCode.OK
