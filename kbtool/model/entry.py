"""The entry: one question or concept, stored as ``notes/<topic>/<id>.md``.

The front matter is this model; the Markdown body is the answer. The JSON Schema
in ``schema/entry.schema.json`` is generated from it, and files are validated
against that checked-in schema, so the model and the schema cannot drift apart
without ``kbtool schema --check`` failing.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from kbtool.model.slugs import SLUG_PATTERN

Slug = Annotated[
    str,
    Field(pattern=SLUG_PATTERN, min_length=1, max_length=80, examples=["nlp"]),
]

# The model accepts no value the checked-in schema refuses (``tests/test_model_schema.py``
# checks it on generated front matter), so a file the model accepts needs no schema pass.
# pydantic alone would read dates from numbers (Unix time), numeric strings and
# datetimes at midnight; the schema's ``format: date`` takes YYYY-MM-DD only.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date_text(value: object) -> object:
    """Let through what ``format: date`` accepts; refuse the rest before pydantic."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date like 2024-05-01")
    if isinstance(value, int | float):  # bool too
        raise ValueError("expected a date like 2024-05-01, found a number")
    return value


def _date_or_datetime_text(value: object) -> object:
    """What the source date's schema accepts: a date as above, an ISO date-time, null."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("expected a date or an ISO date-time") from None
        return value
    return _date_text(value)


def _each_once(tags: list[str]) -> list[str]:
    if len(set(tags)) != len(tags):
        raise ValueError("expected each item once, found duplicates")
    return tags


Date = Annotated[dt.date, BeforeValidator(_date_text)]


class EntryKind(StrEnum):
    """A question (has an answer to drill) or a note (a concept to read)."""

    QUESTION = "question"
    NOTE = "note"


class EntryStatus(StrEnum):
    """``draft`` entries have no (complete) answer yet."""

    ANSWERED = "answered"
    DRAFT = "draft"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Source(BaseModel):
    """Where an entry came from, so re-import finds it and a reader can check it."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    kind: str = Field(
        pattern=SLUG_PATTERN,
        description="Importer that made the entry (telegram-json, qa-markdown, ...) or manual.",
        examples=["telegram-json"],
    )
    file: str | None = Field(
        default=None,
        description="Source file, relative to where import ran.",
        examples=["examples/raw/001.txt"],
    )
    lines: str | None = Field(
        default=None,
        pattern=r"^[1-9][0-9]*(-[1-9][0-9]*)?$",
        description="Line range in the source file.",
        examples=["12-40"],
    )
    ref: str | None = Field(
        default=None,
        description="Stable reference in the source, e.g. channel/post id.",
        examples=["channel-1234567/post-42"],
    )
    date: Annotated[dt.date | dt.datetime | None, BeforeValidator(_date_or_datetime_text)] = Field(
        default=None,
        description="When the source was written (UTC for datetimes).",
        examples=["2024-05-01"],
    )
    digest: str | None = Field(
        default=None,
        pattern=r"^sha256:[0-9a-f]{64}$",
        description="Hash of the entry as import last wrote it; a different current hash "
        "means a person edited the entry, and re-import leaves it alone.",
        examples=["sha256:" + "0" * 64],
    )


class Entry(BaseModel):
    """Front matter of one entry. Field order here is the canonical key order on disk."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True, title="kbtool entry")

    id: Slug = Field(
        description="Unique, stable forever: the Anki GUID and the anchor.",
        examples=["chto-takoe-bleu"],
    )
    kind: EntryKind
    title: str = Field(
        min_length=1,
        description="The question or concept as written.",
        examples=["Что такое BLEU и ROUGE?"],
    )
    topic: Slug = Field(examples=["deep-learning"])
    tags: Annotated[list[Slug], AfterValidator(_each_once)] = Field(
        default_factory=list, json_schema_extra={"uniqueItems": True}
    )
    aliases: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="Other names of the entry; [[wikilinks]] resolve against them too.",
    )
    lang: str = Field(
        pattern=r"^[a-z]{2,3}$", examples=["ru"], description="ISO 639 language code of the text."
    )
    status: EntryStatus
    difficulty: Difficulty | None = None
    source: Source
    created: Date = Field(examples=["2024-05-01"])
    updated: Date = Field(examples=["2024-05-01"])

    def front_matter(self, mode: str = "python") -> dict[str, object]:
        """Mapping in canonical key order, without empty optional keys.

        ``mode="python"`` keeps dates as dates (written unquoted in YAML);
        ``mode="json"`` gives JSON-ready strings.
        """
        data = self.model_dump(mode=mode, exclude_none=True)
        for key in ("tags", "aliases"):
            if not data.get(key):
                data.pop(key, None)
        return data
