"""The entries already in the knowledge base, as import sees them.

Re-import finds the entry a raw entry made before by its source ref (a Telegram post
id), else by its source file and title; duplicate detection compares titles across
sources; new ids must not collide with any file's name. Files that do not parse, and
files the ``exclude`` setting leaves out, keep their ids reserved and are otherwise
left alone.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from kbtool.errors import EntryError, InputError
from kbtool.importers.base import RawEntry
from kbtool.normalize.pipeline import normalize_title
from kbtool.parallel import split_map
from kbtool.store import entry_file
from kbtool.store.discover import discover
from kbtool.store.entry_file import EntryDocument
from kbtool.store.text import read_text
from kbtool.titles import same_numbers, same_terms, stands_alone


class ExistingEntries:
    """The entries already in the knowledge base, indexed for re-import and duplicates."""

    def __init__(self, notes: Path, exclude: tuple[str, ...]) -> None:
        self.ids: set[str] = set()
        self.paths: dict[str, Path] = {}  # id -> file of each entry read
        self.by_ref: dict[str, EntryDocument] = {}
        self.by_file_title: dict[tuple[str, str], list[EntryDocument]] = {}
        # questions, for duplicate matching: folded title, (id, source file), folded body
        self.titles: list[str] = []
        self.title_owner: list[tuple[str, str]] = []
        self.bodies: list[str] = []
        self._owned: dict[str, int] = {}  # source file -> how many of the titles it owns
        self._others: tuple[str, list[str], Sequence[int]] | None = None
        # entries whose text is not what import writes for their data: a person added a
        # YAML comment or reordered keys; the digest, taken over the data, cannot see that
        self.hand_formatted: set[Path] = set()
        if not notes.is_dir():
            return
        paths = list(discover(notes, exclude))
        if exclude:  # an excluded file is still a file: a new entry must not replace it
            self.ids.update(path.stem for path in discover(notes, ()))
        # reading is YAML and the model for every entry: both cores share it
        for path, read in zip(paths, split_map(_read_entry, paths), strict=True):
            self.ids.add(path.stem)
            if read is not None:  # else lint reports it; import only keeps its id reserved
                doc, canonical = read
                self.add(doc)
                if not canonical:
                    self.hand_formatted.add(path)

    def add(self, doc: EntryDocument) -> None:
        """Index an entry that was in the base before this run (re-import matches it)."""
        entry = doc.entry
        if doc.path is not None:
            self.paths.setdefault(entry.id, doc.path)
        asked = (fold_title(entry.title), doc.body) if entry.kind == "question" else None
        self.remember(entry.id, entry.source.file or "", asked)
        if entry.source.ref:
            self.by_ref.setdefault(entry.source.ref, doc)
        key = (entry.source.file or "", entry.title)
        self.by_file_title.setdefault(key, []).append(doc)

    def remember(self, entry_id: str, file: str, asked: tuple[str, str] | None = None) -> None:
        """Reserve ``entry_id``; a question's ``asked`` (folded title, body) is kept for
        duplicate matching."""
        self.ids.add(entry_id)
        if asked is not None:
            self.titles.append(asked[0])
            self.title_owner.append((entry_id, file))
            self._owned[file] = self._owned.get(file, 0) + 1
            self.bodies.append(asked[1])  # folded only if a title that needs it matches

    def planning_copy(self) -> ExistingEntries:
        """A copy that matching and remembering can change while import plans where each
        entry will go (the links between entries need that before anything is placed);
        the entries themselves are shared, never changed."""
        other = copy.copy(self)
        other.ids = set(self.ids)
        other.by_ref = dict(self.by_ref)
        other.by_file_title = {key: list(docs) for key, docs in self.by_file_title.items()}
        other.titles, other.title_owner = list(self.titles), list(self.title_owner)
        other.bodies, other._others = list(self.bodies), None
        other._owned = dict(self._owned)
        return other

    def match(self, raw: RawEntry, file: str, title: str) -> EntryDocument | None:
        """The entry ``raw`` made before: by its source ref, else by its source file and
        title, the one import gives it now or the one it gave before titles were read as
        the text a reader sees (``What is a \\[tuple\\]?``; ``Is \\ a tag?`` for
        ``Is \\<br\\> a tag?``), so a re-import updates such an entry, adding none."""
        if raw.ref and raw.ref in self.by_ref:
            return self.by_ref.pop(raw.ref)
        for shown in dict.fromkeys((title, normalize_title(raw.title))):
            found = self.by_file_title.get((file, shown))
            if found:
                # several entries of one file share a title: take them in source order
                # (the order the importer reads them), not in file-name order
                found.sort(key=lambda doc: _first_line(doc.entry.source.lines))
                return found.pop(0)
        return None

    def duplicate_of(self, folded_title: str, file: str, threshold: float, body: str) -> str | None:
        """Id of the question from another source that ``folded_title`` asks again, if any.

        A title that stands alone (:func:`kbtool.titles.stands_alone`) is the same
        question as the most alike title at or above ``threshold`` with the same
        numbers and terms (:func:`kbtool.titles.same_terms`); one that needs its note
        ("Why?") only as such a title that also has the same ``body``. Only other
        files' titles are compared. They are gathered once per source file: while
        ``file`` is imported, the only titles added are its own, so the list stays
        valid, and importing one big export costs no comparisons at all.
        """
        if self._others is None or self._others[0] != file:
            if file in self._owned:  # re-import: the file's own titles of the last run
                indexes: Sequence[int] = [
                    i for i, (_id, owner) in enumerate(self.title_owner) if owner != file
                ]
                self._others = (file, [self.titles[i] for i in indexes], indexes)
            else:  # the common case needs no walk over every title: a copy will do
                self._others = (file, list(self.titles), range(len(self.titles)))
        _file, titles, indexes = self._others
        if not titles:
            return None
        alone, folded = stands_alone(folded_title), None
        for title, _score, at in process.extract(
            folded_title, titles, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
        ):  # best first
            if not (same_numbers(folded_title, title) and same_terms(folded_title, title)):
                continue  # "React 18" is not "React 19", "What is MAE?" not "What is MSE?"
            if alone:
                return self.title_owner[indexes[at]][0]
            folded = fold_body(body) if folded is None else folded
            if fold_body(self.bodies[indexes[at]]) == folded:
                return self.title_owner[indexes[at]][0]
        return None


def _read_entry(path: Path) -> tuple[EntryDocument, bool] | None:
    """The entry at ``path`` and whether its file is exactly the canonical text."""
    try:
        text = read_text(path)
        doc = entry_file.parse(text, str(path))
    except (EntryError, InputError):
        return None
    canonical = entry_file.render(doc.entry, doc.body) == text
    return EntryDocument(doc.entry, doc.body, doc.body_line, path), canonical


_NOT_ALNUM = re.compile(r"[\W_]+")  # what str.isalnum() rejects


def fold_body(text: str) -> str:
    """Body folded for duplicate matching: case and spacing ignored."""
    return " ".join(text.casefold().split())


def fold_title(text: str) -> str:
    """Title folded for duplicate matching: case, punctuation and spacing ignored."""
    return " ".join(_NOT_ALNUM.sub(" ", text.casefold()).split())


def _first_line(lines: str | None) -> int:
    """First line of a ``source.lines`` range such as ``"12-40"``; 0 when unknown."""
    if not lines:
        return 0
    head = lines.split("-", 1)[0]
    return int(head) if head.isdigit() else 0
