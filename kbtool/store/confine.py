"""Writes stay inside the base: no folder reached through a link that leads out of it.

Notes come from other people (cloned repositories, exports). A base whose
``assets/`` is a symlink to ``~/.ssh`` would make a plain ``open()`` write there. A
command that writes into the base wraps its work in :func:`within`; every atomic
write then checks the real path of the folder it writes into (once per folder) and
refuses one outside the base's real path. The temporary file itself is opened with
``O_NOFOLLOW | O_EXCL`` (:mod:`kbtool.store.atomic`), so a link planted under a file
name is never followed either.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from kbtool.errors import InputError
from kbtool.paths import is_real_inside


@dataclass(eq=False, repr=False)  # mutable: compared by identity
class _Boundary:
    root: str  # real path of the base
    shown: str  # the base as the user named it
    checked: set[str] = field(default_factory=set)


_BOUNDARY: ContextVar[_Boundary | None] = ContextVar("write_boundary", default=None)


@contextlib.contextmanager
def within(root: Path, shown: str | None = None) -> Iterator[None]:
    """Refuse, for the duration of the block, any atomic write outside ``root``."""
    token = _BOUNDARY.set(_Boundary(os.path.realpath(root), shown or str(root)))
    try:
        yield
    finally:
        _BOUNDARY.reset(token)


def check_folder(folder: str | Path) -> None:
    """Raise :class:`InputError` when writes into ``folder`` would leave the base."""
    boundary = _BOUNDARY.get()
    if boundary is None:
        return
    key = os.fspath(folder)
    if key in boundary.checked:
        return
    real = os.path.realpath(key)
    if not is_real_inside(real, boundary.root):
        raise InputError(
            f"refusing to write into {key}: it leads outside the base {boundary.shown} (to {real})",
            hint="a folder of the base is a symbolic link to somewhere else; "
            "replace it with a real folder",
        )
    boundary.checked.add(key)
