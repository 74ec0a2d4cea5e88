"""How paths are shown to the user, and whether a path lies inside the base.

Every message names files the way the user would type them: relative to the working
folder when the file is inside it, else as given. Whether a link, image or file lies
inside the base is a security question (symlinks and ``..`` included), so it is
answered in one place, on real paths.
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote

StrPath = str | os.PathLike[str]
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def is_drive_path(target: str) -> bool:
    """Whether a link or picture names a file by a Windows drive (``C:\\Users\\…``,
    ``H:/notes/…``; markdown-it writes ``C:%5CUsers``): a file on the computer the note
    was written on, which URL parsers read as a one-letter scheme.

    Only the first nine characters are decoded: the pattern's three are ASCII, each at
    most one ``%XX``, and decoding the whole of a link with a Cyrillic anchor was most
    of checking it."""
    return _DRIVE.match(unquote(target[:9])) is not None


def shown(path: StrPath, cwd: StrPath | None = None) -> str:
    """``path`` as the user would type it: relative to ``cwd`` (default: the working
    folder) when inside it, else unchanged. String work only: no file system access."""
    here = os.path.abspath(cwd) if cwd is not None else os.getcwd()
    absolute = os.path.join(here, path)  # an absolute path replaces ``here``
    relative = os.path.relpath(absolute, here)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return os.fspath(path)
    return relative


def is_inside(path: StrPath, base: StrPath) -> bool:
    """Whether ``path`` (symlinks and ``..`` resolved) is ``base`` or lies under it."""
    try:
        return is_real_inside(os.path.realpath(path), os.path.realpath(base))
    except (OSError, ValueError):  # a NUL byte in a name
        return False


def is_real_inside(real: str, root: str) -> bool:
    """:func:`is_inside` for paths already resolved (``os.path.realpath``): string work
    only, for checks made once per written folder or per file of a big base."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)
