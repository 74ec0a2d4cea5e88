"""``kbtool new``: scaffold a draft entry with a unique id."""

from __future__ import annotations

from pathlib import Path

import click

from kbtool.commands.help import epilog
from kbtool.commands.options import load_config, notes_option
from kbtool.errors import ExitCode

EXAMPLES = (
    'kbtool new "Что такое BLEU и ROUGE?" --topic nlp --tag metrics',
    'kbtool new "Attention" --topic nlp --kind note --notes ~/kb/notes',
)


@click.command("new", epilog=epilog(EXAMPLES))
@click.argument("title")
@click.option("--topic", "-t", required=True, help="Topic slug: the folder under the base.")
@click.option("--tag", "tags", multiple=True, help="A tag slug (repeatable).")
@click.option(
    "--kind",
    type=click.Choice(["question", "note"]),
    default=None,
    help="Default: question when the title ends with '?', else note.",
)
@notes_option
def command(
    title: str, topic: str, tags: tuple[str, ...], kind: str | None, notes: Path | None
) -> int:
    """Scaffold a draft entry for TITLE under --topic, with a unique id."""
    from kbtool.paths import shown
    from kbtool.store.scaffold import new_entry

    cfg = load_config(notes)
    path = new_entry(cfg.notes, title, topic, tags=tags, kind=kind)
    click.echo(f"created {shown(path)}")
    return ExitCode.OK
