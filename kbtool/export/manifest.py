"""What the last Anki export contained, kept next to the deck as ``<deck>.manifest.json``.

It lets the next export (1) keep a note's modification time while its content is
unchanged and move it forward when it changes, so Anki's "update if newer" import
does the right thing, and (2) name the notes that disappeared from the base since.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kbtool.errors import InputError
from kbtool.store import atomic

MANIFEST_VERSION = 1


class ManifestNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    guid: str = Field(description="Anki note GUID (genanki.guid_for(id)).")
    digest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="Hash of fields and tags.")
    mod: int = Field(ge=0, description="Note modification time written (Unix seconds).")
    deck: str = Field(description="Deck name, e.g. kbtool::nlp.")


class AnkiManifest(BaseModel):
    """Manifest of one ``kbtool export anki`` run: entry id -> the note written for it."""

    model_config = ConfigDict(extra="forbid", title="kbtool anki export manifest")

    version: int = MANIFEST_VERSION
    deck_file: str = Field(description="The .apkg this manifest describes (file name).")
    notes: dict[str, ManifestNote] = Field(default_factory=dict)


def path_for(deck: Path) -> Path:
    return deck.with_name(deck.name + ".manifest.json")


def load(deck: Path) -> AnkiManifest | None:
    """The previous manifest, or ``None`` when there is none yet."""
    path = path_for(deck)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(
            f"cannot read the export manifest: {exc.strerror}", path=str(path)
        ) from None
    try:
        return AnkiManifest.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise InputError(
            f"the export manifest is not valid: {str(exc).splitlines()[0]}",
            path=str(path),
            hint="delete it; the next export writes a fresh one",
        ) from None


def save(deck: Path, manifest: AnkiManifest) -> Path:
    path = path_for(deck)
    atomic.write_text(path, manifest.model_dump_json(indent=2) + "\n")
    return path
