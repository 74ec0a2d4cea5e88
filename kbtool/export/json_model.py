"""The JSON export document; ``schema/export.schema.json`` is generated from it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kbtool.model.entry import Entry

EXPORT_VERSION: Literal[1] = 1


class ExportedEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    front_matter: Entry = Field(description="The entry's front matter, as validated.")
    path: str = Field(description="Entry file, relative to the base.", examples=["nlp/bleu.md"])
    answer_markdown: str = Field(description="The body as written (Markdown, TeX math).")
    answer_html: str = Field(
        description="The body as sanitized HTML: math as \\(…\\) / \\[…\\], heading ids as "
        "the linter's slugs, images as paths relative to the base."
    )
    links: list[str] = Field(description="Outgoing link targets kept in the HTML, in order.")
    images: list[str] = Field(description="Image files (relative to the base) the answer shows.")


class ExportDocument(BaseModel):
    """``kbtool export json``: the whole (selected) base as one document."""

    model_config = ConfigDict(extra="forbid", title="kbtool export")

    version: Literal[1] = EXPORT_VERSION
    generated: str = Field(
        description="UTC time of the export (from SOURCE_DATE_EPOCH when set).",
        examples=["2024-05-01T00:00:00Z"],
    )
    entries: list[ExportedEntry] = Field(description="Sorted by topic, then id.")
