"""Where a link from the root starts: ``/img/x.png`` in a note names the file at the top
of the repository that holds the note, as GitHub reads it, whichever folder
``kbtool lint`` was run in (``kbtool lint _posts`` of a blog). A note in no repository
takes the project's root (the folder of ``kbtool.toml``, else the working folder)."""

from __future__ import annotations

import os
from functools import lru_cache


def root_of(folder: str, fallback: str) -> str:
    """The repository root above ``folder`` (absolute), else ``fallback``."""
    found = _git_above(os.path.abspath(folder))
    return found if found is not None else fallback


@lru_cache(maxsize=4096)
def _git_above(folder: str) -> str | None:
    here = folder
    while True:
        if os.path.lexists(os.path.join(here, ".git")):  # a folder, or a worktree's file
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
