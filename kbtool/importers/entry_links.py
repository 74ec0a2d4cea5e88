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
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from kbtool.importers.base import RawEntry
from kbtool.importers.entry_decisions import entry_title
from kbtool.markdown.document import parse
from kbtool.markdown.slugger import slug
from kbtool.titles import title_text

ENTRY = "kbtool-entry:"


def has_links(body: str) -> bool:
    """Whether ``body`` may link to another entry of the run (cheap; ``resolve`` is exact)."""
    return "[[" in body or ENTRY in body


class EntryIndex:
    """Names of this run's entries -> the file (``topic/id.md``) each will be written to."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        # (a note's name, a heading's slug) -> the file of the entry that heading became
        self.sections: dict[tuple[str, str], str] = {}

    def add(self, names: Iterable[str], file: str) -> None:
        for name in names:
            key = _key(name)
            if key:
                self.files.setdefault(key, file)

    def find(self, name: str) -> str | None:
        return self.files.get(_key(name))

    def add_section(self, name: str, title: str, file: str) -> None:
        """The entry titled ``title`` was a section of the note ``name``: a
        ``[[name#title]]`` leads to it (a lecture's "3 — Trees" also by "Trees")."""
        for heading in {title, title.rsplit(" — ", 1)[-1]}:
            key = (_key(name), slug(heading))
            if all(key):
                self.sections.setdefault(key, file)

    def find_section(self, name: str, heading: str) -> str | None:
        return self.sections.get((_key(name), slug(heading.strip())))


def _key(name: str) -> str:
    name = name.strip()
    if name.lower().endswith(".md"):
        name = name[:-3]
    return " ".join(name.rsplit("/", 1)[-1].casefold().split())


def plan_ids(
    sources: Iterable[tuple[Path, list[RawEntry]]],
    planned: Callable[[RawEntry, str], str | None],
    index: EntryIndex | None = None,
) -> EntryIndex:
    """The file each entry will be written to, by the names links use for it.

    ``planned(raw, title)`` gives the file import will write ``raw`` to: a new entry's,
    the one a re-import updates, or the one a duplicate asks again; None for an entry
    left out (a private title), whose links then keep only their words.
    """
    index = EntryIndex() if index is None else index
    for source, entries in sources:
        named = False  # the source's file name leads to its first entry kept
        for raw in entries:
            title = entry_title(raw)
            file = planned(raw, title)
            if file is None:
                continue
            index.add([title, *raw.aliases, *([] if named else [source.stem])], file)
            named = True
            for heading in (title, *map(title_text, raw.headings)):
                index.add_section(source.stem, heading, file)
    return index


def entry_link(title: str) -> str:
    """The link target an importer writes for "the entry titled ``title``" of this run."""
    return ENTRY + quote(title, safe="")


def resolve(raw: RawEntry, own_topic: str, index: EntryIndex) -> None:
    """Rewrite ``raw.body``'s wikilinks to entries of the run as relative Markdown links.

    Which ``[[…]]`` is a wikilink and which ``[label](kbtool-entry:…)`` is a link is the
    document's reading: none in code, math or HTML; each is replaced at its exact place.
    """
    body = raw.body
    if "[[" not in body and ENTRY not in body:
        return
    doc = parse(body)
    edits: list[tuple[int, int, str]] = []
    covered = 0
    for start, end, link in sorted((*doc.extent(link), link) for link in doc.links):
        if start < covered:  # inside a link rewritten already (a wikilink in its label)
            continue
        if link.kind == "wikilink":
            new = _wikilink(link.target, own_topic, index)
            if new is not None:
                edits.append((start, end, new))
        elif link.kind == "link" and link.target.startswith(ENTRY):
            title = unquote(link.target[len(ENTRY) :])  # as the importer read it
            file = index.find(title) or index.find(title_text(title))
            if file is not None:  # the target only: label, title and brackets stay
                edits.append((link.start, link.end, _href(file, own_topic)))
            else:  # the target was left out (private, duplicate): keep the words
                edits.append((start, start + 1, ""))
                edits.append((body.rfind("](", start, link.start), end, ""))
        else:
            continue
        covered = end
    if not edits:
        return
    out: list[str] = []
    last = 0
    for start, end, new in edits:
        out.append(body[last:start])
        out.append(new)
        last = end
    out.append(body[last:])
    raw.body = "".join(out)


def _href(file: str, own_topic: str) -> str:
    return quote(str(PurePosixPath(os.path.relpath(file, own_topic))))


def _wikilink(inner: str, own_topic: str, index: EntryIndex) -> str | None:
    """``[[Target#heading|label]]`` as a link to the entry ``Target`` names, if any."""
    place, _, label = inner.partition("|")
    target, _, heading = place.partition("#")
    section = index.find_section(target, heading) if heading.strip() else None
    file = section or index.find(target)
    if file is None:
        return None  # left for normalization: a link to ``Target.md``
    href = _href(file, own_topic)
    if heading.strip() and section is None:  # a heading inside the entry
        href += "#" + slug(heading.strip())
    shown = label.strip() or target.strip() or heading or file
    return f"[{shown}]({href})"


def link_sections(entries: list[RawEntry]) -> None:
    """``[text](#heading)`` and ``[[#heading|text]]`` to a heading of the same note that
    became another entry (or only groups the headings below it: the first of them):
    a link to that entry. Links and headings are the document's
    (none in code, math or HTML); the fragment of a link is replaced in place, a wikilink
    whole."""
    titles: dict[str, str] = {}
    for entry in entries:  # a lecture's "Algorithm — Search state" is "#search-state" too
        shown = title_text(entry.title)  # GitHub slugs the rendered heading
        for heading in (shown, shown.rsplit(" — ", 1)[-1]) if shown else ():
            titles.setdefault(slug(heading), entry.title)
        for heading in entry.headings:  # a grouping heading right above the entry
            titles.setdefault(slug(title_text(heading)), entry.title)
    for entry in entries:
        if "](#" not in entry.body and "[[#" not in entry.body:
            continue
        doc = parse(entry.body)
        own = {h.slug for h in doc.headings} | {h.custom_id for h in doc.headings if h.custom_id}
        edits: list[tuple[int, int, str]] = []
        for link in doc.links:
            if link.kind not in ("link", "wikilink") or not link.target.startswith("#"):
                continue
            heading, _, label = link.target[1:].partition("|")
            fragment = heading if link.kind == "link" else slug(heading.strip())
            target = titles.get(fragment)
            if not fragment or fragment in own or target is None:
                continue  # (a link to the section it stands in leads to its own entry)
            if link.kind == "link":
                edits.append((link.start, link.end, entry_link(target)))
            else:
                start, end = doc.extent(link)
                shown = label.strip() or heading.strip()
                edits.append((start, end, f"[{shown}]({entry_link(target)})"))
        if edits:
            out: list[str] = []
            last = 0
            for start, end, new in sorted(edits):
                out.append(entry.body[last:start])
                out.append(new)
                last = end
            out.append(entry.body[last:])
            entry.body = "".join(out)
