"""Logseq graphs: a ``[[page]]`` there is a page, whether or not a file holds it.

Logseq makes a page of every reference: ``[[timeout]]`` in a note opens the page
"timeout", with the blocks that mention it, before anyone writes a file for it (most
pages of a graph exist only so). A label on a page or a block is Logseq's own link,
``[text]([[page]])`` and ``[text](((block uuid)))``. None of these names a file, so
broken-link leaves them alone in a graph: the folder that holds ``logseq/config.edn``,
the nearest above the note. Its backups (``logseq/bak/``, ``logseq/version-files/``)
are not notes and are not discovered (``kbtool/store/discover.py``).
"""

from __future__ import annotations

import os

from kbtool.lint.context import LintContext


def in_graph(context: LintContext, folder: str) -> bool:
    """Whether a note in ``folder`` (absolute, normalized) belongs to a Logseq graph."""
    found = context.graphs.get(folder)
    if found is None:
        here, found = folder, False
        while True:
            if context.probe(os.path.join(here, "logseq", "config.edn")) >= 0:
                found = True
                break
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
        context.graphs[folder] = found
    return found


def own_link(target: str) -> bool:
    """Whether a link's target is Logseq's reference to a page or a block
    (``[text]([[page]])``, ``[text](((uuid)))``), not a path."""
    return (target.startswith("[[") and target.endswith("]]")) or (
        target.startswith("((") and target.endswith("))")
    )
