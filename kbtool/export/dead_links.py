"""Why a link to a file of the base leads nowhere in an export: one wording for all.

A link to another note works in an export only when the note is an entry the export
holds: the PDF and the study page jump to it (Anki has no links between notes, so a
card keeps the text and nothing need be said). Anywhere else the link's text stays
and the link goes, and the reader lost something the note promised; each format
says why, in the same words, with file and line:

* a draft the format leaves out: add ``--include-drafts``, or answer it;
* a file that is not an entry (``slides.pdf``, a folder, a note that did not load):
  the export cannot carry it;
* no file at all: the link is broken, as ``kbtool lint`` says (KB102 broken-link).

An entry the selection (``--topic``, ``--tag``, ``--status``) leaves out is said
nothing of: the user chose to export less, and every link across topics would warn.
Paths are compared resolved (symlinks, ``..``); they are resolved only when a link
needs explaining, so an export whose links all lead somewhere pays nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from kbtool.model.entry import EntryStatus
from kbtool.store.entry_file import EntryDocument

BaseEntries = Mapping[str, tuple[str, str]]  # absolute path -> (id, status), every entry read


class DeadLinks:
    """Explains the dead links of one format's export."""

    def __init__(
        self, shown: str, exported: Iterable[EntryDocument], base_entries: BaseEntries
    ) -> None:
        """``shown``: how messages name the output ("PDF", "deck"); ``exported``: the
        entries it holds; ``base_entries``: every entry of the base that was read,
        selected or not."""
        self.shown = shown
        self._exported = [os.fspath(doc.path) for doc in exported if doc.path is not None]
        self._base = base_entries
        self._real: tuple[set[str], dict[str, tuple[str, str]]] | None = None
        self._said: dict[str, str | None] = {}

    def warnings(self, dead: Iterable[tuple[str, str, str]]) -> list[str]:
        """The warnings for a rendered entry's dead links, ``(where, URL, target)`` each."""
        said = (self.warning(where, url, target) for where, url, target in dead)
        return [warning for warning in said if warning is not None]

    def warning(self, where: str, url: str, target: Path | str) -> str | None:
        """``where: link 'url' …; its text is kept`` for the link ``url`` at ``where``
        whose file is ``target`` (a path inside the base), or None to say nothing."""
        reason = self.reason(target)
        return None if reason is None else f"{where}: link {url!r} {reason}; its text is kept"

    def reason(self, target: Path | str) -> str | None:
        key = os.fspath(target)
        if key not in self._said:  # many links name the same few files
            self._said[key] = self._reason(key)
        return self._said[key]

    def _reason(self, target: str) -> str | None:
        exported, entries = self._resolved()
        real = os.path.realpath(target)
        if real in exported:
            return None
        found = entries.get(real)
        if found is not None:
            entry_id, status = found
            if status == EntryStatus.DRAFT:
                return (
                    f"goes to the draft {entry_id!r}, which the {self.shown} leaves out "
                    "(--include-drafts puts drafts in)"
                )
            return None  # left out by --topic/--tag/--status, as asked
        if os.path.isdir(real):
            return "goes to a folder, not an entry"
        if os.path.exists(real):
            return "goes to a file that is not an entry"
        return "leads to no file (kbtool lint: KB102 broken-link)"

    def _resolved(self) -> tuple[set[str], dict[str, tuple[str, str]]]:
        if self._real is None:
            self._real = (
                {os.path.realpath(path) for path in self._exported},
                {os.path.realpath(path): found for path, found in self._base.items()},
            )
        return self._real
