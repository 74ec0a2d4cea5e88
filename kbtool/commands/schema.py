"""``kbtool schema``: generate the JSON Schemas from the models, or check them.

The models are the source of truth; the generated files are checked in under
``schema/`` and read at run time by :mod:`kbtool.model.schema_files`. Generating
them needs every model that has a schema, so it lives here, with the one command
that needs it, and the core never imports the stages it validates for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kbtool.commands.help import epilog
from kbtool.errors import ExitCode

# name -> "module:Model". Each stage registers the documents it writes here.
SCHEMA_MODELS: dict[str, str] = {
    "entry": "kbtool.model.entry:Entry",
    "lint-report": "kbtool.lint.report:LintReport",
    "import-report": "kbtool.importers.report:ImportReport",
    "export": "kbtool.export.json_model:ExportDocument",
    "stats": "kbtool.stats.model:StatsReport",
}

EXAMPLES = ("kbtool schema --check", "kbtool schema", "kbtool schema --out build/schema")


def generate() -> dict[str, str]:
    """File name -> canonical JSON text of every schema, from the models."""
    import json

    from kbtool.lazy import load_object
    from kbtool.model.schema_files import SCHEMA_BASE_URI, file_name

    out: dict[str, str] = {}
    for name, target in SCHEMA_MODELS.items():
        model = load_object(target)
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE_URI + file_name(name),
            **model.model_json_schema(),
        }
        out[file_name(name)] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def stale(target: Path, texts: dict[str, str] | None = None) -> list[str]:
    """Names of the schema files in ``target`` that differ from the models."""
    out = []
    for name, text in (texts or generate()).items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out


def write(target: Path) -> list[Path]:
    """Write every stale schema into ``target`` (atomically); return the files written."""
    from kbtool.store.atomic import write_text

    texts = generate()
    changed = [target / name for name in stale(target, texts)]
    for path in changed:
        write_text(path, texts[path.name])
    return changed


@click.command("schema", epilog=epilog(EXAMPLES))
@click.option("--check", is_flag=True, help="Exit 1 when the checked-in schemas are stale.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write to (default: the project's schema/).",
)
def command(check: bool, out: Path | None) -> int:
    """Write the JSON Schemas generated from the models into schema/."""
    from kbtool.model.schema_files import schema_dir
    from kbtool.paths import shown

    target = out or schema_dir()
    if check:
        names = stale(target)
        for name in names:
            click.echo(
                f"{shown(target / name)}: stale; run `kbtool schema` and commit the result",
                err=True,
            )
        return ExitCode.FINDINGS if names else ExitCode.OK
    for path in write(target):
        click.echo(f"wrote {shown(path)}")
    return ExitCode.OK
