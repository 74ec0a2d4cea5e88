"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from kbtool.config import Config

F = TypeVar("F", bound=Callable[..., Any])


def notes_option(func: F) -> F:
    """``--notes DIR`` on every command (default from config, else ./notes)."""
    return click.option(
        "--notes",
        "notes",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="The knowledge base folder (default: [tool.kbtool] notes, else ./notes).",
    )(func)


def load_config(notes: Path | None) -> Config:
    from kbtool import config

    return config.load(notes=notes)


def split_list(values: tuple[str, ...]) -> list[str]:
    """``("a,b", "c")`` -> ``["a", "b", "c"]``: repeatable and comma-separated both work."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
