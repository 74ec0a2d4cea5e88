"""The checked-in JSON Schemas of the entry and of every JSON document kbtool writes.

At run time kbtool validates against these files, never against schemas generated on
the fly, so a schema change is always a reviewed diff; ``kbtool schema`` regenerates
them from the models (see :mod:`kbtool.commands.schema`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kbtool.errors import InputError

SCHEMA_BASE_URI = "https://kbtool.invalid/schema/"
_PACKAGED = Path(__file__).resolve().parent.parent / "schema_files"
_REPO = Path(__file__).resolve().parent.parent.parent / "schema"


def schema_dir() -> Path:
    """Where the checked-in schemas are: in a wheel, or in the source tree."""
    return _PACKAGED if _PACKAGED.is_dir() else _REPO


def file_name(name: str) -> str:
    return f"{name}.schema.json"


@lru_cache(maxsize=16)
def load_schema(name: str) -> dict[str, Any]:
    """The checked-in schema ``name`` (e.g. ``"entry"``)."""
    path = schema_dir() / file_name(name)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"schema {file_name(name)} is missing",
            path=str(path),
            hint="run `kbtool schema` to generate it",
        ) from None
    return data
