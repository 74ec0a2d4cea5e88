"""The model accepts no front matter the checked-in schema refuses.

Readers of entries (lint, import, export) try the model first and run the JSON Schema
only on what it refuses, for exact messages: that is right only if every value the
model accepts is one the schema accepts. Front matter is generated from real entries
(``notes/``) with random damage: values replaced by other JSON values (near misses of
patterns, dates, date-times and enums, numbers where dates belong, lists, duplicate
tags), keys removed or added, at the top and inside ``source``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtool.model.entry import Entry
from kbtool.model.schema_files import load_schema
from kbtool.store import safe_yaml, validate
from kbtool.store.entry_file import load_entry
from kbtool.store.front_matter import split
from tests.conftest import FIXTURES, ROOT

SCHEMA = load_schema("entry")
FULL = validate.validator("entry")


def _front_matter(path: Path) -> Any:
    doc = split(path.read_text("utf-8"))
    if doc.yaml is None:
        raise ValueError("no front matter")
    return safe_yaml.load(doc.yaml, first_line=2).data


REAL = [_front_matter(p) for p in sorted((ROOT / "notes").rglob("*.md"))]

near_misses = st.sampled_from(
    [
        "", " ", "nlp", "NLP", "deep-learning", "deep_learning", "-nlp", "a" * 81, "ru", "rus",
        "r", "question", "note", "Question", "draft", "answered", "done", "2024-05-01",
        "2024-13-01", "2024-05-01T10:00:00+00:00", "2024-05-01T25:00:00", "12-40", "0-3", "7",
        "sha256:" + "0" * 64, "sha256:" + "0" * 63, "manual", "telegram-json", "easy", "hard",
        "2024-05-01T00:00:00", "2024-05-01T00:00:00Z", "2024-05-01 00:00", "20240501",
        "1714521600", "1714521600.0", "0", "2024-5-1", "2024-05-01T10", "2024-W18-3",
        "２０２４-05-01", " 2024-05-01", "2024-02-30",
    ]
)  # fmt: skip
scalars = (
    st.none() | st.booleans() | st.integers(-3, 3) | st.integers() | st.floats(allow_nan=False)
    | near_misses | st.text(max_size=12) | st.lists(st.sampled_from(["nlp", "ml"]), max_size=3)
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(near_misses, inner, max_size=3),
    max_leaves=6,
)
top_keys = st.sampled_from([*SCHEMA["properties"], "extra", "Title"])
source_keys = st.sampled_from([*SCHEMA["$defs"]["Source"]["properties"], "extra"])


@st.composite
def damaged(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(0, 3))):
        target = data
        keys = top_keys
        if isinstance(data.get("source"), dict) and draw(st.booleans()):
            target, keys = data["source"], source_keys
        key = draw(keys)
        action = draw(st.sampled_from(["set", "set", "delete"]))
        if action == "delete":
            target.pop(key, None)
        else:
            target[key] = draw(json_values)
    return data


def _model_accepts(data: Any) -> bool:
    try:
        Entry.model_validate(data)
    except ValueError:  # pydantic's ValidationError
        return False
    return True


@given(damaged())
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
def test_what_the_model_accepts_the_schema_accepts(data: Any) -> None:
    if _model_accepts(data):
        assert FULL.is_valid(data), [e.message for e in FULL.iter_errors(data)]


@pytest.mark.parametrize("field", ["created", "updated", "source.date"])
@pytest.mark.parametrize(
    "value",
    [0, 1714521600, 1.5, True, "1714521600", "2024-05-01T00:00:00", "2024-05-01 00:00",
     "20240501", "2024-5-1", "２０２４-05-01", "2024-02-30"],
    ids=repr,
)  # fmt: skip
def test_no_number_or_near_date_passes_as_a_date(field: str, value: Any) -> None:
    data = copy.deepcopy(REAL[0])
    if field == "source.date":
        data["source"]["date"] = value
    else:
        data[field] = value
    accepted = FULL.is_valid(data)
    assert _model_accepts(data) is False or accepted
    if not accepted:
        assert load_entry_issues(data), "refused by the schema, so a reader must say why"


def load_entry_issues(data: dict[str, Any]) -> list[Any]:
    import yaml

    _data, issues, entry = load_entry(yaml.safe_dump(data, allow_unicode=True))
    assert (entry is None) == bool(issues)
    return issues


def _fixture_front_matter() -> list[tuple[str, Any]]:
    found = []
    for path in sorted(FIXTURES.rglob("*.md")):
        try:
            found.append((path.relative_to(FIXTURES).as_posix(), _front_matter(path)))
        except (safe_yaml.YamlProblem, ValueError, UnicodeDecodeError):
            continue  # no front matter, or none that loads: nothing to validate
    return found


@pytest.mark.parametrize(("name", "data"), _fixture_front_matter(), ids=lambda v: str(v)[:40])
def test_fixtures_the_model_accepts_are_valid(name: str, data: Any) -> None:
    if _model_accepts(data):
        assert FULL.is_valid(data), name


def test_real_entries_are_valid_and_duplicate_tags_are_not() -> None:
    assert REAL and all(_model_accepts(data) and FULL.is_valid(data) for data in REAL)
    twice = {**REAL[0], "tags": ["nlp", "nlp"]}
    assert not _model_accepts(twice) and not FULL.is_valid(twice)
    assert validate.check(twice, {})  # the schema pass explains it
