"""``kbtool export anki``: a genanki ``.apkg`` whose notes update in place on re-import.

* GUID = ``genanki.guid_for(entry id)``: editing, moving or renaming keeps the note,
  so Anki updates it and keeps its review history.
* Note type and deck ids are hashes of their names: stable across exports.
* Each note's ``mod`` follows its content: the first export that sees a note's fields
  and tags gives it that moment (and always later than the note's last ``mod``); later
  exports of the same content keep it. Anki's default "update if newer" therefore
  updates exactly the changed notes, whatever path the deck is written to. What the
  last export gave each entry (a hash of the content and ``mod``) is kept in the
  project's export cache, never beside the deck; without it (a fresh clone, a deleted
  cache) every note gets the export time, so an edit still always reaches Anki.
* Fields are HTML from the shared renderer (sanitized), math as ``\\(…\\)``; images
  inside the base are bundled as media named by content hash. A link to another note
  or file keeps its text only (a card cannot follow it: it led to an error page);
  one that leads nowhere in the deck is a warning (:mod:`kbtool.export.dead_links`).
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import genanki

from kbtool.export import title_math
from kbtool.export.anki_inert import inert
from kbtool.export.base import ExportRequest, ExportResult, StudySettings
from kbtool.export.cache import ExportCache
from kbtool.export.dead_links import DeadLinks
from kbtool.export.pictures import media_name
from kbtool.export.render import render_entry
from kbtool.model.entry import Entry
from kbtool.store import atomic

DEFAULT_ROOT = "kbtool"
NOTE_TYPE_NAME = "kbtool question"
FIELDS = ("Question", "Answer", "Topic", "Source", "Id")

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left;
  color: #1f2328; background: #ffffff; max-width: 46em; margin: 0 auto; padding: 0 1em;
}
.question { font-size: 1.2em; font-weight: 600; }
.question, .answer { overflow-wrap: anywhere; }
.answer img { max-width: 100%; height: auto; }
.answer pre, .answer code { font-family: "JetBrains Mono", Menlo, Consolas, monospace; }
.answer pre { background: #f6f8fa; padding: .6em .8em; border-radius: 6px; overflow-x: auto; }
.answer code { background: #f6f8fa; padding: .1em .3em; border-radius: 4px; font-size: .9em; }
.answer pre code { background: none; padding: 0; }
.answer table {
  border-collapse: collapse; display: block; width: max-content; max-width: 100%;
  overflow-x: auto; overflow-wrap: normal;
}
.answer th, .answer td { border: 1px solid #d0d7de; padding: .25em .6em; }
.answer blockquote {
  border-left: 4px solid #d0d7de; margin-left: 0; padding-left: 1em; color: #57606a;
}
.meta { margin-top: 1.5em; font-size: .8em; color: #57606a; overflow-wrap: anywhere; }
a { color: #0969da; }
.nightMode .card, .night_mode .card, .card.nightMode, .card.night_mode {
  color: #e6edf3; background: #0d1117;
}
.nightMode .answer pre, .nightMode .answer code, .night_mode .answer pre, .night_mode .answer code {
  background: #161b22;
}
.nightMode .answer th, .nightMode .answer td, .night_mode .answer th, .night_mode .answer td {
  border-color: #30363d;
}
.nightMode .meta, .night_mode .meta, .nightMode .answer blockquote, .night_mode .answer blockquote {
  color: #8b949e;
}
.nightMode a, .night_mode a { color: #58a6ff; }
a:not([href]), .nightMode a:not([href]), .night_mode a:not([href]) { color: inherit; }
"""

QUESTION_TEMPLATE = '<div class="question">{{Question}}</div>'
ANSWER_TEMPLATE = (
    "{{FrontSide}}\n<hr id=answer>\n"
    '<div class="answer">{{Answer}}</div>\n'
    '<div class="meta">{{Topic}} · {{Source}}</div>'
)


def stable_id(name: str) -> int:
    """Anki model/deck id from a name: same name, same id, in [2**30, 2**31)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_type() -> genanki.Model:
    return genanki.Model(
        stable_id(NOTE_TYPE_NAME),
        NOTE_TYPE_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card 1", "qfmt": QUESTION_TEMPLATE, "afmt": ANSWER_TEMPLATE}],
        css=CSS,
        sort_field_index=0,
    )


class _Note(genanki.Note):  # type: ignore[misc]
    """A note written with its own modification time instead of the package's."""

    def __init__(self, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)

    def _check_invalid_html_tags_in_fields(self) -> None:
        """Skipped: the fields were sanitized before (:mod:`kbtool.export.sanitize`), and
        genanki's check is a regular expression that is quadratic on a long line of tags
        (an answer of 30,000 links took 15 s)."""


def anki_tag(tag: str) -> str:
    """Anki tags are space-separated: no whitespace inside one."""
    return "_".join(tag.split())


class AnkiSettings(StudySettings):
    """``anki_root``: the top deck; each topic is a deck under it."""

    anki_root: str = DEFAULT_ROOT


class AnkiExporter:
    name = "anki"
    default_file = "kb.apkg"
    render_mode = "media"
    records_exports = True
    settings_model = AnkiSettings

    def export(self, request: ExportRequest) -> ExportResult:
        root = str(request.options.get("anki_root") or DEFAULT_ROOT).strip() or DEFAULT_ROOT
        cache = request.options.get("render_cache")
        state = cache if isinstance(cache, ExportCache) else ExportCache(None)
        now = _now()
        model = note_type()
        decks: dict[str, genanki.Deck] = {}
        media: dict[str, bytes] = {}
        warnings: list[str] = []
        exported: list[str] = []

        names: dict[Path, str] = {}  # each picture read and hashed once

        def image_src(path: Path) -> str:
            name = names.get(path)
            if name is None:
                data = path.read_bytes()
                name = names[path] = media_name(path, data)
                media[name] = data
            return name

        dead = DeadLinks("deck", request.documents, request.options.get("base_entries", {}))
        exported_before = state.anki_notes_of(request.base)
        for done, doc in enumerate(request.documents, 1):
            rendered = render_entry(
                doc,
                request.base,
                image_src=image_src,
                cache=request.options.get("render_cache"),
                file_links=False,
            )
            warnings.extend(rendered.warnings)
            warnings.extend(dead.warnings(rendered.dead))
            entry = doc.entry
            fields = [
                inert(title_math.written(entry.title, _escaped, _mathjax)),
                inert(rendered.html),
                inert(html.escape(entry.topic, quote=False)),
                inert(html.escape(_source_text(entry), quote=False)),
                entry.id,
            ]
            tags = sorted({anki_tag(tag) for tag in entry.tags})
            digest = _digest(fields, tags)
            mod = note_mod(exported_before.get(entry.id), digest, now)
            state.put_anki_note(request.base, entry.id, digest, mod)
            deck_name = f"{root}::{entry.topic}"
            deck = decks.get(deck_name)
            if deck is None:
                deck = decks[deck_name] = genanki.Deck(stable_id(deck_name), deck_name)
            guid = genanki.guid_for(entry.id)
            deck.add_note(_Note(mod, model=model, fields=fields, tags=tags, guid=guid))
            exported.append(entry.id)
            request.progress(done)

        self._write(request.out, list(decks.values()), media)
        still_there = set(request.options.get("base_ids", exported))
        removed = state.forget_anki_notes(request.base, still_there)
        return ExportResult(
            out=request.out,
            entries=len(exported),
            warnings=warnings,
            details={"decks": len(decks), "media": len(media), "removed": removed},
        )

    def _write(self, out: Path, decks: Iterable[genanki.Deck], media: dict[str, bytes]) -> None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        timestamp = float(epoch) if epoch and epoch.isdigit() else time.time()
        with tempfile.TemporaryDirectory(prefix="kbtool-anki-") as folder:
            paths = []
            for name, data in sorted(media.items()):
                path = Path(folder) / name
                path.write_bytes(data)
                paths.append(str(path))
            buffer = io.BytesIO()
            genanki.Package(list(decks), media_files=paths).write_to_file(buffer, timestamp)
        atomic.write_bytes(out, buffer.getvalue())


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)


def _mathjax(tex: str) -> str:
    """A title's formula as Anki's MathJax reads it (as the answer's: ``\\(…\\)``)."""
    return "\\(" + html.escape(tex, quote=False) + "\\)"


def _source_text(entry: Entry) -> str:
    source = entry.source
    parts = [source.kind]
    if source.file:
        parts.append(source.file + (f":{source.lines}" if source.lines else ""))
    if source.ref:
        parts.append(source.ref)
    return " ".join(parts)


def _digest(fields: list[str], tags: list[str]) -> str:
    payload = "\x1f".join(fields) + "\x1e" + " ".join(tags)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _now() -> int:
    """The export's time: ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return int(epoch) if epoch and epoch.isdigit() else int(time.time())


def note_mod(previous: tuple[str, int] | None, digest: str, now: int) -> int:
    """The note's modification time: kept while its content is the one exported last,
    else now (and after the last one, so two edits in one second still count)."""
    if previous is not None and previous[0] == digest:
        return previous[1]
    return now if previous is None else max(now, previous[1] + 1)
