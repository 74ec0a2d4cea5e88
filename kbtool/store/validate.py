"""Validate front matter against the checked-in JSON Schema, with readable messages.

jsonschema finds every error; this module turns each into ``key path: expected X,
found Y`` with the line of that key, so one run shows all a file's problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kbtool.errors import FrontMatterIssue
from kbtool.model.schema_files import load_schema
from kbtool.model.slugs import SLUG_PATTERN
from kbtool.store.safe_yaml import render_path

if TYPE_CHECKING:  # jsonschema is imported when a file is first checked (~45 ms)
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def _format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=["date", "email"])

    checker.checks("date-time", raises=ValueError)(_is_datetime)
    return checker


def _is_datetime(value: object) -> bool:
    if isinstance(value, str):
        dt.datetime.fromisoformat(value)
    return True


@lru_cache(maxsize=8)
def validator(name: str = "entry") -> Draft202012Validator:
    """Cached validator for a checked-in schema (``schema/<name>.schema.json``)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name), format_checker=_format_checker())


def check(
    data: Any, lines: dict[str, int], *, line_offset: int = 0, schema: str = "entry"
) -> list[FrontMatterIssue]:
    """Every schema error in ``data``, sorted by line; ``[]`` when valid."""
    issues: dict[FrontMatterIssue, None] = {}
    for error in validator(schema).iter_errors(data):
        # jsonschema yields one ``required`` error per missing key, each naming them all:
        # keep one issue per key and message (nine missing keys are nine issues, not 81)
        issues.update(dict.fromkeys(_describe(error, lines, line_offset)))
    return sorted(issues, key=lambda issue: (issue.line, issue.key_path))


def _line_of(parts: tuple[str | int, ...], lines: dict[str, int], offset: int) -> int:
    while True:
        found = lines.get(render_path(parts))
        if found is not None:
            return found + offset
        if not parts:
            return 1 + offset
        parts = parts[:-1]


def _found(instance: object) -> str:
    if isinstance(instance, str):
        return f"found {json.dumps(instance, ensure_ascii=False)}"
    if isinstance(instance, bool) or instance is None:
        return f"found {json.dumps(instance)}"
    if isinstance(instance, int | float):
        return f"found the number {instance}"
    if isinstance(instance, list):
        return "found a list"
    if isinstance(instance, dict):
        return "found a mapping"
    return f"found {instance!r}"


def _expected(schema: dict[str, Any]) -> str:
    example = (schema.get("examples") or [None])[0]
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        ref = load_schema("entry").get("$defs", {}).get(name, {})
        return _expected(ref) if ref else name
    if "anyOf" in schema:
        shared = {"examples": schema["examples"]} if "examples" in schema else {}
        options = [_expected({**shared, **s}) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(dict.fromkeys(options))
    fmt = schema.get("format")
    if fmt == "date":
        return 'a date like "2024-05-01"'
    if fmt == "date-time":
        return 'a date-time like "2024-05-01T12:30:00+00:00"'
    if schema.get("pattern") == SLUG_PATTERN:
        return f'a slug like "{example or "nlp"}"'
    kind = schema.get("type")
    if kind == "array":
        return "a list"
    if kind == "string" and example is not None:
        return f'text like "{example}"'
    if isinstance(kind, str):
        return _TYPE_NAMES.get(kind, kind)
    return "a valid value"


def _describe(error: ValidationError, lines: dict[str, int], offset: int) -> list[FrontMatterIssue]:
    parts: tuple[str | int, ...] = tuple(error.absolute_path)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        issues = []
        for key in schema.get("required", []):
            if key in instance:
                continue
            sub = schema.get("properties", {}).get(key, {})
            issues.append(
                FrontMatterIssue(
                    _line_of(parts, lines, offset),
                    render_path((*parts, key)),
                    f"missing required key; add it with {_expected(sub)}",
                )
            )
        return issues
    if kind == "additionalProperties":
        instance = error.instance if isinstance(error.instance, dict) else {}
        allowed = list(schema.get("properties", {}))
        issues = []
        for key in instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "allowed: " + ", ".join(allowed)
            issues.append(
                FrontMatterIssue(
                    _line_of((*parts, key), lines, offset),
                    render_path((*parts, key)),
                    f"unknown key; {hint}",
                )
            )
        return issues
    line = _line_of(parts, lines, offset)
    where = render_path(parts)
    if kind == "uniqueItems":
        return [FrontMatterIssue(line, where, "expected each item once, found duplicates")]
    if kind in ("minLength", "minItems") and error.instance in ("", []):
        return [FrontMatterIssue(line, where, "expected a value, found an empty one")]
    if kind == "maxLength":
        return [
            FrontMatterIssue(
                line,
                where,
                f"expected at most {error.validator_value} characters, "
                f"found {len(str(error.instance))}",
            )
        ]
    message = f"expected {_expected(schema)}, {_found(error.instance)}"
    return [FrontMatterIssue(line, where, message)]
