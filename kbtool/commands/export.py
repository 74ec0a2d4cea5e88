"""``kbtool export``: the base as pdf, anki or json (the export stage fills this in)."""

from __future__ import annotations

from pathlib import Path

import click

from kbtool.commands.options import notes_option
from kbtool.errors import KbError


@click.command("export")
@click.argument("export_format", metavar="FORMAT")
@notes_option
def command(export_format: str, notes: Path | None) -> int:
    """Export the base as pdf, anki or json."""
    raise KbError("export is not available in this version yet")
