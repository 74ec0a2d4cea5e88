"""Where Obsidian looks a name up: the vault that holds a note.

Obsidian finds ``![[picture.png]]`` and ``[[Note]]`` by file name anywhere in the vault
it opened, whichever folder the note is in. Lint runs on a repository, one of its
folders or a few files, so the vault is guessed: the nearest folder above the note that
holds ``.obsidian/``, else the outermost folder given to ``kbtool lint`` that holds the
note, else the note's own folder. Only names are listed (no file is read), and every
folder listed is a probe of the run's result cache.
"""

from __future__ import annotations

import os

from kbtool.lint.context import LintContext


def root(context: LintContext, folder: str) -> str:
    """The vault of a note in ``folder`` (absolute, normalized)."""
    found = context.vaults.get(folder)
    if found is None:
        found = _obsidian_above(context, folder)
        if found is None:
            holding = [r for r in context.roots if folder == r or folder.startswith(r + os.sep)]
            found = min(holding, key=len) if holding else folder
        context.vaults[folder] = found
    return found


def has(context: LintContext, folder: str, name: str) -> bool:
    """Whether a file called ``name`` (any letter case) is in the vault of a note in
    ``folder``; hidden folders (``.trash``, ``.obsidian``) are not searched, as Obsidian
    does not index them."""
    vault = root(context, folder)
    names = context.vault_names.get(vault)
    if names is None:
        names = set()
        for here, dirs, files in os.walk(vault):
            context.probe(here)  # a file added anywhere below changes the findings
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            names.update(file.lower() for file in files)
        context.vault_names[vault] = names
    return name.lower() in names


def _obsidian_above(context: LintContext, folder: str) -> str | None:
    here = folder
    while True:
        if context.probe(os.path.join(here, ".obsidian")) >= 0:
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
