"""``kbtool import``: raw notes into entries (the import stage fills this in)."""

from __future__ import annotations

from pathlib import Path

import click

from kbtool.commands.options import notes_option
from kbtool.errors import KbError


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@notes_option
def command(sources: tuple[Path, ...], notes: Path | None) -> int:
    """Import raw notes into entries."""
    raise KbError("import is not available in this version yet")
