"""Typed rule options: each rule declares them, the lint table is checked against them.

A rule's options are a frozen dataclass named ``Options`` in its module; every field
has a type, a default and a one-line help (:func:`option`). ``[tool.kbtool.lint.<rule>]``
is read into that class by :func:`parse`, so a rule never sees a value of the wrong
type: an unknown option, a wrong type or a number out of range is a
:class:`~kbtool.errors.ConfigError` naming the file and the key path, raised before
any file is read. :func:`describe` renders the options for ``kbtool rule``.

Supported field types are the ones TOML can spell: ``int``, ``float``, ``bool``,
``str``, ``tuple[str, ...]`` (a TOML list of strings) and ``Literal[...]`` choices.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from kbtool.errors import ConfigError

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class NoOptions:
    """The options of a rule that has none."""


def option(
    default: Any,
    help: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    validate: Callable[[Any], str | None] | None = None,
) -> Any:
    """A field of a rule's ``Options`` with its help text and, for numbers, a range.

    ``validate(value)`` returns what is wrong with a well-typed value (or None), for
    checks a type cannot express (a regular expression that does not compile).
    """
    metadata = {"help": help, "minimum": minimum, "maximum": maximum, "validate": validate}
    return dataclasses.field(default=default, metadata=metadata)


def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def type_name(kind: Any) -> str:
    """What a value of ``kind`` is called in messages and in ``kbtool rule``."""
    if kind is bool:
        return "true or false"
    if kind is int:
        return "an integer"
    if kind is float:
        return "a number"
    if kind is str:
        return "text"
    if typing.get_origin(kind) is tuple:
        return "a list of text"
    if typing.get_origin(kind) is Literal:
        import json  # here, not at start-up: messages and `kbtool rule` only

        return "one of " + ", ".join(json.dumps(v) for v in typing.get_args(kind))
    return str(kind)


def found(value: Any) -> str:
    """A TOML value as the user wrote it, for "expected X, found Y"."""
    if isinstance(value, bool):
        return "found " + ("true" if value else "false")
    if isinstance(value, str):
        import json

        return f"found {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, int | float):
        return f"found {value}"
    if isinstance(value, list):
        return "found a list" if value else "found an empty list"
    if isinstance(value, dict):
        return "found a table"
    return f"found {value!r}"


def _converted(kind: Any, value: Any) -> tuple[bool, Any]:
    """(whether ``value`` is of ``kind``, the value as the field holds it)."""
    if kind is bool:
        return isinstance(value, bool), value
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    if kind is str:
        return isinstance(value, str), value
    if typing.get_origin(kind) is tuple:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return ok, tuple(value) if ok else value
    if typing.get_origin(kind) is Literal:
        return value in typing.get_args(kind), value
    raise TypeError(f"option type {kind!r} is not supported")  # a bug in a rule module


def parse(cls: type[T], table: dict[str, Any], *, rule: str, where: str, source: str | None) -> T:
    """``table`` read into ``cls``; ``where`` names the table in messages, e.g.
    ``[tool.kbtool.lint.toc-mismatch]``."""
    fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for key, value in table.items():
        spec = fields.get(key)
        if spec is None:
            import difflib

            known = sorted(fields)
            close = difflib.get_close_matches(key, known, n=1)
            hint = (
                f'did you mean "{close[0]}"?'
                if close
                else ("options: " + ", ".join(known) if known else "this rule has no options")
            )
            raise ConfigError(f"{where} {key}: unknown option", path=source, hint=hint)
        kind = hints[spec.name]
        ok, converted = _converted(kind, value)
        if not ok:
            raise ConfigError(
                f"{where} {key}: expected {type_name(kind)}, {found(value)}",
                path=source,
                hint=f"`kbtool rule {rule}` describes it",
            )
        low, high = spec.metadata.get("minimum"), spec.metadata.get("maximum")
        if (low is not None and converted < low) or (high is not None and converted > high):
            raise ConfigError(
                f"{where} {key}: expected {type_name(kind)} from {low} to {high}, {found(value)}",
                path=source,
            )
        validate = spec.metadata.get("validate")
        problem = validate(converted) if validate is not None else None
        if problem:
            raise ConfigError(f"{where} {key}: {problem}", path=source)
        values[spec.name] = converted
    return cls(**values)


def describe(cls: type[Any], table: str) -> str:
    """The options of a rule as ``kbtool rule`` prints them (empty when it has none)."""
    fields = dataclasses.fields(cls)
    if not fields:
        return ""
    import json

    hints = _hints(cls)
    lines = [f"## Option types ({table})"]
    for spec in fields:
        kind = type_name(hints[spec.name])
        low, high = spec.metadata.get("minimum"), spec.metadata.get("maximum")
        if low is not None and high is not None:
            kind += f" from {low} to {high}"
        default = spec.default
        shown = json.dumps(list(default) if isinstance(default, tuple) else default)
        lines.append(f"{spec.name.replace('_', '-')}: {kind}, default {shown}")
        lines.append(f"    {spec.metadata.get('help', '')}")
    return "\n".join(lines)
