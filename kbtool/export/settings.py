"""``[tool.kbtool.export]`` (``[export]`` in ``kbtool.toml``), read through the formats'
typed settings.

TOML values have types, so a value of the wrong type is a mistake to report, never
one to convert: ``answers = "false"`` is text (and was once read as true), ``columns =
"two"`` or ``-2`` is not a column count, ``include_drafts = 1`` is not a yes or no.
Each is a :class:`~kbtool.errors.ConfigError` (exit 2) naming the file, the table and
the key, what was expected and what was found, raised before anything is read or
written. The table is shared by every format (``export all`` writes several), so a
key must be a setting of some format, and it is checked against each format that has
it, whichever is exported now; an unknown key is an error too (a typo would otherwise
be ignored without a word).
"""

from __future__ import annotations

import difflib
import json
import typing
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any, Literal

from pydantic import ValidationError

from kbtool.errors import ConfigError
from kbtool.export import registry
from kbtool.export.base import Settings
from kbtool.lint.options import found, type_name


def table_name(source: str | None) -> str:
    """``[tool.kbtool.export]`` in ``pyproject.toml``, ``[export]`` in ``kbtool.toml``."""
    if source is not None and PurePath(source).name == "kbtool.toml":
        return "[export]"
    return "[tool.kbtool.export]"


def check(config: Mapping[str, Any], source: str | None) -> None:
    """Check every key of the export table; raise :class:`ConfigError` on the first bad one."""
    if not config:
        return
    models = {name: registry.get(name).settings_model for name in registry.names()}
    for key, value in config.items():
        owners = {name: model for name, model in models.items() if key in model.model_fields}
        if not owners:
            raise _unknown(key, models.values(), source)
        for model in owners.values():
            problem = _problem(model, key, value)
            if problem is not None:
                raise ConfigError(
                    f"{table_name(source)} {key}: {problem}",
                    path=source,
                    hint=f"a setting of {' and '.join(owners)}, e.g. "
                    + _example(key, model.model_fields[key].annotation),
                )


def _problem(model: type[Settings], key: str, value: Any) -> str | None:
    """What is wrong with ``value`` for the field ``key`` of ``model``, or None."""
    kind = model.model_fields[key].annotation
    if not _of_type(kind, value):
        return f"expected {type_name(kind)}, {found(value)}"
    try:
        model.model_validate({key: value}, strict=True)  # the field's own constraints
    except ValidationError as exc:
        return f"{exc.errors()[0]['msg']}, {found(value)}"
    return None


def _example(key: str, kind: Any) -> str:
    """A line of TOML that sets ``key`` right."""
    if typing.get_origin(kind) is Literal:
        return f"{key} = {json.dumps(typing.get_args(kind)[0])}"
    if kind is bool:
        return f"{key} = false"
    if kind is str:
        return f'{key} = "..."'
    return f"{key} = 1"


def _of_type(kind: Any, value: Any) -> bool:
    """Whether a TOML value is of the field's type exactly (no bool for an int, no
    ``3.0`` for the choice ``3``, no ``"false"`` for a bool)."""
    if typing.get_origin(kind) is Literal:
        choices = typing.get_args(kind)
        return any(type(value) is type(choice) and value == choice for choice in choices)
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str)
    return True  # a type TOML cannot spell directly: pydantic's strict check decides


def _unknown(key: str, models: Iterable[type[Settings]], source: str | None) -> ConfigError:
    known = sorted({name for model in models for name in model.model_fields})
    close = difflib.get_close_matches(key, known, n=1)
    return ConfigError(
        f"{table_name(source)} {key}: unknown key, no export format has that setting",
        path=source,
        hint=f'did you mean "{close[0]}"?' if close else "known keys: " + ", ".join(known),
    )
