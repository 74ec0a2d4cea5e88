"""JSON Schemas of the entry and of every JSON document kbtool writes.

The models are the source of truth; ``kbtool schema`` writes their schemas into
``schema/`` (checked in), and ``kbtool schema --check`` fails when those files are
stale. At run time we validate against the checked-in files, so a schema change is
always a reviewed diff.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kbtool.errors import InputError
from kbtool.lazy import load_object

# name -> "module:Model". Each stage registers the documents it writes here.
SCHEMA_MODELS: dict[str, str] = {
    "entry": "kbtool.model.entry:Entry",
    "lint-report": "kbtool.lint.report:LintReport",
    "import-report": "kbtool.importers.report:ImportReport",
    "export": "kbtool.export.json_model:ExportDocument",
    "stats": "kbtool.stats.model:StatsReport",
}
SCHEMA_BASE_URI = "https://kbtool.invalid/schema/"
_PACKAGED = Path(__file__).parent / "schema_files"
_REPO = Path(__file__).resolve().parent.parent / "schema"


def schema_dir() -> Path:
    """Where the checked-in schemas are: in a wheel, or in the source tree."""
    return _PACKAGED if _PACKAGED.is_dir() else _REPO


def file_name(name: str) -> str:
    return f"{name}.schema.json"


def _available() -> dict[str, type]:
    return {name: load_object(target) for name, target in SCHEMA_MODELS.items()}


def generate() -> dict[str, str]:
    """File name -> canonical JSON text of every schema, from the models."""
    out: dict[str, str] = {}
    for name, model in _available().items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE_URI + file_name(name),
            **model.model_json_schema(),  # type: ignore[attr-defined]
        }
        out[file_name(name)] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def write(target: Path) -> list[Path]:
    """Write every schema into ``target``; return the files that changed."""
    from kbtool.store.atomic import write_text

    changed = []
    for name, text in generate().items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            changed.append(path)
    return changed


def stale(target: Path) -> list[str]:
    """Names of the schema files in ``target`` that differ from the models."""
    out = []
    for name, text in generate().items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out


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
