"""The stats document; ``schema/stats.schema.json`` is generated from it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

STATS_VERSION: Literal[1] = 1
NO_DIFFICULTY = "unset"  # entries whose front matter names no difficulty


class Counts(BaseModel):
    """Figures of a set of entries (one topic, or the whole base)."""

    model_config = ConfigDict(extra="forbid")

    entries: int = Field(ge=0, description="Entries counted.")
    answered: int = Field(ge=0, description="Entries with status answered.")
    drafts: int = Field(ge=0, description="Entries with status draft.")
    answered_share: float = Field(
        ge=0, le=1, description="answered / entries (0 for no entries).", examples=[0.75]
    )
    by_difficulty: dict[str, int] = Field(
        description=f"easy, medium, hard and {NO_DIFFICULTY!r}: every key, zeros included."
    )
    by_source: dict[str, int] = Field(
        description="Entries per source kind (telegram-json, qa-markdown, manual, ...).",
        examples=[{"manual": 3, "telegram-json": 12}],
    )
    near_duplicates: int = Field(
        ge=0,
        description="Entries whose question is (nearly) the same as another entry's, "
        "anywhere in the base; the rule of lint's duplicate-question (KB202).",
    )


class TopicStats(Counts):
    topic: str = Field(description="The topic slug.", examples=["nlp"])


class StatsReport(BaseModel):
    """``kbtool stats --format json``: coverage of the base, per topic and in total."""

    model_config = ConfigDict(extra="forbid", title="kbtool stats")

    version: Literal[1] = STATS_VERSION
    duplicate_threshold: float = Field(
        ge=0, le=100, description="Title similarity (0-100) from which questions count as one."
    )
    skipped: int = Field(ge=0, description="Files left out because they do not parse.")
    topics: list[TopicStats] = Field(description="Sorted by topic slug.")
    total: Counts
