"""The checked-in schemas match the models, and the validator enforces them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema

from kbtool.commands import schema as schemas
from kbtool.store import entry_file
from tests.conftest import FIXTURES, ROOT


def test_checked_in_schemas_are_current(kb: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = kb("schema", "--check")
    assert code == 0, err


def test_check_fails_on_a_stale_schema(
    kb: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    for name in schemas.generate():
        (tmp_path / name).write_text((ROOT / "schema" / name).read_text())
    entry = tmp_path / "entry.schema.json"
    entry.write_text(entry.read_text().replace('"title"', '"heading"', 1))
    code, _, err = kb("schema", "--check", "--out", tmp_path)
    assert code == 1
    assert "entry.schema.json: stale" in err
    code, out, _ = kb("schema", "--out", tmp_path)
    assert code == 0 and "entry.schema.json" in out
    assert kb("schema", "--check", "--out", tmp_path)[0] == 0


def test_every_schema_is_valid_draft_2020_12() -> None:
    for name in schemas.generate():
        schema = json.loads((ROOT / "schema" / name).read_text())
        assert schema["$schema"].endswith("2020-12/schema")
        jsonschema.Draft202012Validator.check_schema(schema)


def test_model_output_validates_against_the_checked_in_schema() -> None:
    schema = json.loads((ROOT / "schema" / "entry.schema.json").read_text())
    for path in (FIXTURES / "front_matter" / "good").glob("canonical*.md"):
        entry = entry_file.read(path).entry
        jsonschema.validate(
            entry.front_matter(mode="json"), schema, format_checker=jsonschema.FormatChecker()
        )


def test_unknown_keys_are_refused_by_the_schema() -> None:
    schema = json.loads((ROOT / "schema" / "entry.schema.json").read_text())
    assert schema["additionalProperties"] is False
