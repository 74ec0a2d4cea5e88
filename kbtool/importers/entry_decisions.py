"""The pure decisions about one entry, before the entries around it are known.

Normalized title and body, language, front matter fields, and the likely outcome
(a new entry whose id is the title's slug, or an update of the entry with the same
source ref) with the text to write. Nothing here writes or depends on other entries
of the batch, so it runs on both cores; ``write_report`` checks the guess in order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from kbtool.importers import assets, git_clone, line_breaks
from kbtool.importers.base import RawEntry
from kbtool.importers.conflicts import Conflict
from kbtool.importers.existing import ExistingEntries, fold_title
from kbtool.importers.markdown_sections import without_count
from kbtool.importers.report import Action
from kbtool.importers.settings import ImportSettings
from kbtool.importers.sources import display_path
from kbtool.model.entry import Entry, Source
from kbtool.model.slugs import make_id
from kbtool.normalize.language import detect_language
from kbtool.normalize.pipeline import normalize_checked
from kbtool.normalize.safety import Skipped
from kbtool.placeholders import is_unanswered
from kbtool.store import entry_file
from kbtool.store.entry_file import EntryDocument
from kbtool.titles import TitleLinks, title_links, title_text

_ORDER_NUMBER = re.compile(r"^\d+(?:[-_.]|\s)+(?=\w)")  # "04-" of "04-cnns", "2. " of "2. SQL"


@dataclass
class ImportRequest:
    sources: list[Path]
    notes: Path
    settings: ImportSettings
    cwd: Path = field(default_factory=Path.cwd)
    fmt: str = "auto"
    topic: str | None = None
    dry_run: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    exclude: tuple[str, ...] = ()
    take_source: frozenset[str] = frozenset()  # ids whose edits the source overrides


class Memo:
    """Per-run caches for what thousands of entries share: topic slugs, folder paths."""

    def __init__(self, request: ImportRequest) -> None:
        self.settings = request.settings
        self.cwd = request.cwd
        self.slugs: dict[str, str] = {}
        self.folders: dict[Path, str] = {}
        self.roots = [path.resolve() for path in request.sources if path.is_dir()]
        self._pictures: dict[Path, dict[str, list[Path]]] = {}
        self._folder_topics: dict[Path, str | None] = {}
        self._clones: dict[Path, git_clone.Clone | None] = {}

    def pictures(self, root: Path) -> dict[str, list[Path]]:
        """The pictures under ``root`` by file name, found once per run (and only when a
        note names a picture that is not next to it). Only a folder named on the command
        line is searched: a file imported alone may sit in a big folder (Downloads)."""
        if root not in self.roots:
            return {}
        found = self._pictures.get(root)
        if found is None:
            found = self._pictures[root] = assets.pictures_by_name(root)
        return found

    def clone(self, root: Path) -> git_clone.Clone | None:
        """The git clone ``root`` lies in, read once per run (and only when a note links
        a picture by its GitHub address)."""
        if root not in self._clones:
            self._clones[root] = git_clone.find_clone(root)
        return self._clones[root]

    def image_root(self, source: Path) -> Path:
        """The folder a source's images may come from: the folder named on the command
        line that holds it, else the source file's own folder."""
        real = source.resolve()
        for root in self.roots:
            if real.is_relative_to(root):
                return root
        return real.parent

    def folder_topic(self, source: Path) -> str | None:
        """The name of the folder ``source`` sits in when that folder lies below a folder
        named on the command line (``cards/`` named, ``cards/04-cnns/pooling.md`` read:
        ``cnns``, the number only orders the folders): a collection of notes in folders
        files them by subject. A file named alone, or one directly in the named folder,
        has none (that folder may be Downloads, or the collection itself)."""
        if source not in self._folder_topics:
            folder = source.resolve().parent
            below = any(folder != root and folder.is_relative_to(root) for root in self.roots)
            name = _ORDER_NUMBER.sub("", folder.name) or folder.name
            self._folder_topics[source] = name if below else None
        return self._folder_topics[source]

    def topic_slug(self, text: str) -> str:
        slug = self.slugs.get(text)
        if slug is None:
            slug = self.slugs[text] = self.settings.topic_slug(text)
        return slug

    def rel(self, path: Path, *, made_here: bool = False) -> str:
        """``display_path(path, cwd)``, its folder part computed once per folder.

        Exact unless the last part is itself a symlink or a dot name, which take the
        full route; a file this run created (``made_here``) is known not to be one.
        """
        if path.name in ("", ".", "..") or (not made_here and path.is_symlink()):
            return display_path(path, self.cwd)
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = display_path(path.parent, self.cwd)
        if folder == ".":
            return path.name
        return folder + path.name if folder.endswith("/") else f"{folder}/{path.name}"


@dataclass(frozen=True)
class SourceRun:
    """What every entry of one source is imported with."""

    request: ImportRequest
    base: ExistingEntries
    memo: Memo
    kind_name: str  # the importer's name, written as source.kind
    source_path: Path
    file: str  # the source as the report and source.file show it
    conflicts: list[Conflict] = field(default_factory=list)  # filled by the ordered part
    line_breaks: str = line_breaks.COMMONMARK  # obsidian: single newlines become breaks


@dataclass
class Outcome:
    """What becomes of one entry: its file, what the report says, the text to write
    (``None``: nothing to write) and the pictures to copy."""

    action: Action
    path: Path
    id: str
    title: str
    kind: str
    status: str
    text: str | None
    plan: assets.AssetPlan
    edited: str | None = None  # a person's edited text the source would replace ...
    proposed: str | None = None  # ... with this one

    @classmethod
    def of(
        cls,
        action: Action,
        path: Path,
        entry: Entry,
        text: str | None,
        plan: assets.AssetPlan,
        edited: str | None = None,
        proposed: str | None = None,
    ) -> Outcome:
        kind, status = str(entry.kind), str(entry.status)
        return cls(action, path, entry.id, entry.title, kind, status, text, plan, edited, proposed)


@dataclass
class Prepared:
    """What import makes of one raw entry on its own, before other entries are known.

    ``outcome`` is worked out on a guess that the ordered part checks: an update of the
    entry with the same source ref if the base has one, else a new entry whose id is
    the title's slug. ``None`` for a private title. ``skipped``: the normalize steps not
    applied to the body, and why (the report lists them); ``breaks``: the single
    newlines written as line breaks (Obsidian's line breaks).
    """

    title: str
    body: str
    lang: str
    folded: str  # the title as duplicate matching compares it
    outcome: Outcome | None
    skipped: tuple[Skipped, ...] = ()
    breaks: int = 0
    # whether the entry is answered as prepare decided it (a title's links moved into an
    # empty body answer nothing): what the entry's fields are made from again later
    answered: bool | None = None


def prepare(run: SourceRun, raw: RawEntry) -> Prepared:
    """Normalize ``raw`` and work out its likely outcome (pure: runs on either core)."""
    links = title_links(raw.title)
    title = entry_title(raw, links)
    if run.request.settings.is_private(title):  # left out whole: nothing more to make
        return Prepared(title, "", "", "", None)
    body, skipped = normalize_checked(raw.body)
    breaks = 0
    if run.line_breaks == line_breaks.OBSIDIAN:
        body, breaks, not_kept = line_breaks.keep_breaks(body)
        skipped += [not_kept] if not_kept is not None else []
    if links.cited or links.named:  # the title is text: its links go to the body
        if raw.answered is None:
            raw = replace(raw, answered=bool(body.strip()))
        body = with_title_links(body, links)
    lang = raw.lang or detect_language(f"{title}\n{body}", default="en")
    fields = entry_fields(run, raw, title, body, lang)
    same_post = run.base.by_ref.get(raw.ref) if raw.ref else None
    if same_post is not None:
        outcome = update_outcome(run, same_post, fields, body)
    else:
        outcome = create_outcome(run, fields, body, frozenset())
    return Prepared(
        title, body, lang, fold_title(title), outcome, tuple(skipped), breaks, raw.answered
    )


def entry_title(raw: RawEntry, links: TitleLinks | None = None) -> str:
    """The title of the entry made from ``raw``: what ids, re-import matching and
    duplicates are decided on, and what links between entries are planned with. A
    link that only cites a source at its end (``[[src](https://…)]``) is no part of it.
    ``links``: the title's links when the caller has read them already."""
    return title_text((links or title_links(raw.title)).markdown) or "Untitled"


def with_title_links(body: str, links: TitleLinks) -> str:
    """``body`` and, after it, the links of its title: "Source:" for those that cite
    it, "See:" for those whose words stay in the title."""
    lines = [body.rstrip()] if body.strip() else []
    if links.cited:
        lines.append("Source: " + ", ".join(links.cited))
    if links.named:
        lines.append("See: " + ", ".join(links.named))
    return "\n\n".join(lines)


def entry_fields(
    run: SourceRun, raw: RawEntry, title: str, body: str, lang: str
) -> dict[str, object]:
    """Front matter of the entry made from ``raw``, all but its id and dates."""
    memo = run.memo
    answered = raw.answered if raw.answered is not None else bool(body.strip())
    topic = entry_topic(run, raw)
    tags = list(dict.fromkeys(t for t in (memo.topic_slug(tag) for tag in raw.tags) if t))
    lines = line_range(raw)
    src = Source(
        kind=run.kind_name,
        file=run.file,
        lines=None
        if lines is None
        else (f"{lines[0]}-{lines[1]}" if lines[1] != lines[0] else f"{lines[0]}"),
        ref=raw.ref,
        date=raw.date,
    )
    return {
        "kind": raw.kind,
        "title": title,
        "topic": topic,
        "tags": [t for t in tags if t != topic],
        "lang": lang,
        "status": "answered" if answered and not is_unanswered(body) else "draft",
        "source": src,
        **({"difficulty": raw.difficulty} if raw.difficulty else {}),
        **({"aliases": list(dict.fromkeys(raw.aliases))} if raw.aliases else {}),
    }


def entry_topic(run: SourceRun, raw: RawEntry) -> str:
    """The topic slug (and folder) of the entry made from ``raw``: ``--topic``, the one
    the source gives it, a mapped tag, the folder its notes sit in, else the default.
    A Telegram export's folder (``ChatExport_2024-01-05``) names no subject."""
    settings = run.request.settings
    topic_text = run.request.topic or (raw.topic and without_count(raw.topic))
    if topic_text:
        return run.memo.topic_slug(topic_text)
    mapped = [t for t in (settings.mapped_topic(tag) for tag in raw.tags) if t]
    if mapped:
        return mapped[0]
    if not run.kind_name.startswith("telegram-"):
        folder = run.memo.folder_topic(run.source_path)
        if folder is not None:
            return run.memo.topic_slug(folder)
    return settings.default_topic


def create_outcome(
    run: SourceRun, fields: dict[str, object], body: str, taken: set[str] | frozenset[str]
) -> Outcome:
    """The new entry for ``fields``, its id the first of the title's slugs not ``taken``."""
    request = run.request
    title, topic = str(fields["title"]), str(fields["topic"])
    path = request.notes / topic / f"{make_id(title, taken)}.md"
    plan = assets.AssetPlan()
    root = run.memo.image_root(run.source_path)
    body = assets.relink(
        body,
        run.source_path,
        path,
        request.notes,
        plan,
        root,
        lambda: run.memo.pictures(root),
        lambda: run.memo.clone(root),
    )
    entry = Entry.model_validate(
        {"id": path.stem, **fields, "created": request.today, "updated": request.today}
    )
    entry, text = entry_file.sealed(entry, body)
    return Outcome.of(Action.CREATED, path, entry, text, plan)


def update_outcome(
    run: SourceRun, doc: EntryDocument, fields: dict[str, object], body: str
) -> Outcome:
    """What re-importing ``fields`` and ``body`` does to the existing entry ``doc``."""
    request = run.request
    old = doc.entry
    assert doc.path is not None
    plan = assets.AssetPlan()
    root = run.memo.image_root(run.source_path)
    body = assets.relink(
        body,
        run.source_path,
        doc.path,
        request.notes,
        plan,
        root,
        lambda: run.memo.pictures(root),
        lambda: run.memo.clone(root),
    )
    stored = old.source.digest
    edited = (  # by a person
        stored is None
        or entry_file.digest(old, doc.body) != stored
        or doc.path in run.base.hand_formatted  # e.g. a YAML comment the data does not hold
    )
    fields = {**fields, "topic": old.topic}  # moving files is a person's decision
    candidate = Entry.model_validate(
        {"id": old.id, **fields, "created": old.created, "updated": old.updated}
    )
    candidate, _text = entry_file.sealed(candidate, body)
    source_changed = candidate.source.digest != stored
    take = edited and old.id in request.take_source
    if not source_changed and not take:  # a person's edits stand while the source stays
        return Outcome.of(Action.UNCHANGED, doc.path, old, None, plan)
    new = candidate.model_copy(update={"updated": request.today})
    text = entry_file.render(new, body)
    if not edited:
        return Outcome.of(Action.UPDATED, doc.path, new, text, plan)
    yours = doc.path.read_text(encoding="utf-8")
    if take:
        return Outcome.of(Action.UPDATED, doc.path, new, text, plan, yours, text)
    return Outcome.of(Action.CONFLICT, doc.path, old, None, plan, yours, text)


def line_range(raw: RawEntry) -> tuple[int, int] | None:
    return raw.lines or ((min(raw.units), max(raw.units)) if raw.units else None)
