"""Note apps that read a link their own way: Logseq graphs and Dendron vaults.

Logseq makes a page of every reference: ``[[timeout]]`` in a note opens the page
"timeout", with the blocks that mention it, before anyone writes a file for it (most
pages of a graph exist only so). A label on a page or a block is Logseq's own link,
``[text]([[page]])`` and ``[text](((block uuid)))``. None of these names a file, so
broken-link leaves them alone in a graph: the folder that holds ``logseq/config.edn``,
the nearest above the note. Its backups (``logseq/bak/``, ``logseq/version-files/``)
are not notes and are not discovered (``kbtool/store/discover.py``).

Dendron writes the label first, ``[[label|note.name#heading]]``, where Obsidian and
Foam write ``[[note|label]]``; a Dendron vault is the folder that holds
``root.schema.yml`` or ``dendron.yml``, the nearest above the note.
Obsidian's vault is found in ``kbtool/lint/vault.py``.
"""

from __future__ import annotations

import os

from kbtool.lint.context import LintContext

_LOGSEQ = (os.path.join("logseq", "config.edn"),)
_DENDRON = ("root.schema.yml", "dendron.yml")


def in_logseq_graph(context: LintContext, folder: str) -> bool:
    """Whether a note in ``folder`` (absolute, normalized) belongs to a Logseq graph."""
    return _marked(context, folder, _LOGSEQ)


def in_dendron_vault(context: LintContext, folder: str) -> bool:
    """Whether a note in ``folder`` (absolute, normalized) belongs to a Dendron vault."""
    return _marked(context, folder, _DENDRON)


def logseq_link(target: str) -> bool:
    """Whether a link's target is Logseq's reference to a page or a block
    (``[text]([[page]])``, ``[text](((uuid)))``), not a path."""
    return (target.startswith("[[") and target.endswith("]]")) or (
        target.startswith("((") and target.endswith("))")
    )


def dendron_target(target: str) -> str:
    """A Dendron wikilink's target ``label|note#heading`` in Obsidian's order,
    ``note#heading|label``."""
    label, bar, note = target.partition("|")
    return f"{note}|{label}" if bar else target


def _marked(context: LintContext, folder: str, marks: tuple[str, ...]) -> bool:
    """Whether ``folder`` or a folder above it holds one of ``marks`` (each probed, so a
    mark added or removed changes the cached findings)."""
    key = (folder, marks)
    found = context.apps.get(key)
    if found is None:
        here, found = folder, False
        while not found:
            found = any(context.probe(os.path.join(here, mark)) >= 0 for mark in marks)
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
        context.apps[key] = found
    return found
