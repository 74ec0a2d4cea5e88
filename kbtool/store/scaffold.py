"""``kbtool new``: a fresh draft entry with a unique id, ready to be filled in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kbtool.errors import UsageError
from kbtool.model.entry import Entry
from kbtool.model.slugs import is_slug, make_id, make_slug
from kbtool.normalize.language import detect_language
from kbtool.placeholders import SCAFFOLD
from kbtool.store import confine, entry_file
from kbtool.store.discover import discover

PLACEHOLDER = SCAFFOLD


def new_entry(
    base: Path,
    title: str,
    topic: str,
    *,
    tags: tuple[str, ...] = (),
    kind: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """Create ``<base>/<topic>/<id>.md`` and return its path; never overwrites."""
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty", hint='kbtool new "What is BLEU?" --topic nlp')
    topic_slug = topic if is_slug(topic) else make_slug(topic)
    bad_tags = [t for t in tags if not is_slug(t)]
    if bad_tags:
        raise UsageError(
            f'tag "{bad_tags[0]}" is not a slug',
            hint=f'use lowercase words joined by "-", like "{make_slug(bad_tags[0])}"',
        )
    taken = {p.stem for p in discover(base)} if base.is_dir() else set()
    entry_id = make_id(title, taken)
    day = today or dt.date.today()
    entry = Entry.model_validate(
        {
            "id": entry_id,
            "kind": kind or ("question" if title.rstrip().endswith("?") else "note"),
            "title": title,
            "topic": topic_slug,
            "tags": list(tags),
            "lang": detect_language(title),
            "status": "draft",
            "source": {"kind": "manual"},
            "created": day,
            "updated": day,
        }
    )
    path = base / topic_slug / f"{entry_id}.md"
    if path.exists():
        raise UsageError("an entry already exists there", path=str(path))
    with confine.within(base):  # a topic folder that is a link out of the base is refused
        entry_file.write(path, entry, PLACEHOLDER)
    return path
