"""Links between the entries of one import run: ``[[wikilinks]]`` of a vault, and anchors
to a heading of the same source that became an entry of its own.

Importers write such links as ``[[Target#heading|label]]``. Before any entry is written,
every ``[[…]]`` whose target names an entry of this run — case-insensitively, by title,
alias or source file name — becomes a relative Markdown link to the file that entry will
have, so it resolves in every viewer, in lint and in the exports. Unknown targets are
left for normalization (a link to ``Target.md``) and lint reports them like the source's
own broken links.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from kbtool.importers.base import RawEntry
from kbtool.markdown.slugger import slug
from kbtool.model.slugs import make_id
from kbtool.normalize.pipeline import normalize_title
from kbtool.normalize.steps import outside_code

ENTRY = "kbtool-entry:"
_ENTRY_LINK = re.compile(r"\[([^\[\]]*)\]\(kbtool-entry:([^)\s]*)\)")
_WIKI = re.compile(r"(?<!!)\[\[([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")


def has_links(body: str) -> bool:
    """Whether ``body`` may link to another entry of the run (cheap; ``resolve`` is exact)."""
    return "[[" in body or ENTRY in body


class EntryIndex:
    """Names of this run's entries -> the file (``topic/id.md``) each will be written to."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def add(self, names: Iterable[str], file: str) -> None:
        for name in names:
            key = _key(name)
            if key:
                self.files.setdefault(key, file)

    def find(self, name: str) -> str | None:
        return self.files.get(_key(name))


def _key(name: str) -> str:
    name = name.strip()
    if name.lower().endswith(".md"):
        name = name[:-3]
    return " ".join(name.rsplit("/", 1)[-1].casefold().split())


def plan_ids(
    sources: Iterable[tuple[Path, list[RawEntry]]],
    topic_of: Callable[[RawEntry], str],
    existing: Callable[[RawEntry, str], str | None],
    taken: set[str],
) -> EntryIndex:
    """The file each entry is likely to get (the id import will pick, in source order).

    ``existing`` gives the file of the entry a re-import updates, if any.
    """
    index = EntryIndex()
    for source, entries in sources:
        for number, raw in enumerate(entries):
            title = normalize_title(raw.title) or "Untitled"
            file = existing(raw, title)
            if file is None:
                entry_id = make_id(title, taken)
                taken.add(entry_id)
                file = f"{topic_of(raw)}/{entry_id}.md"
            index.add([title, *raw.aliases, *([source.stem] if number == 0 else [])], file)
    return index


def entry_link(title: str) -> str:
    """The link target an importer writes for "the entry titled ``title``" of this run."""
    return ENTRY + quote(title, safe="")


def resolve(raw: RawEntry, own_topic: str, index: EntryIndex) -> None:
    """Rewrite ``raw.body``'s wikilinks to entries of the run as relative Markdown links."""
    if "[[" not in raw.body and ENTRY not in raw.body:
        return

    def replace(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            target, heading, label = match.groups()
            file = index.find(target)
            if file is None:
                return match.group(0)
            href = quote(str(PurePosixPath(os.path.relpath(file, own_topic))))
            if heading and heading.strip():
                href += "#" + slug(heading.strip())
            shown = (label or "").strip() or target.strip() or heading or file
            return f"[{shown}]({href})"

        def entry(match: re.Match[str]) -> str:
            label, title = match.group(1), unquote(match.group(2))
            file = index.find(title)
            if file is None:  # the target was left out (private, duplicate): keep the words
                return label
            return f"[{label}]({quote(str(PurePosixPath(os.path.relpath(file, own_topic))))})"

        return _ENTRY_LINK.sub(entry, _WIKI.sub(one, text))

    raw.body = outside_code(replace)(raw.body)
