"""Finding what to import: the files named, and the text files in the folders named.

Also how the report names a path: relative to the working folder when inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".rst", ".rest", ".json", ".html", ".htm")


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Files named, and text files in folders named (recursively, sorted).

    In folders, hidden files and ``README*`` (a folder's description, not notes) are
    skipped; a file named explicitly is always read.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path).parts
                if (
                    found.is_file()
                    and found.suffix.lower() in SOURCE_SUFFIXES
                    and not any(part.startswith(".") for part in rel)
                    and not found.name.upper().startswith("README")
                ):
                    out.append(found)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def display_path(path: Path, cwd: Path) -> str:
    """``path`` relative to the working folder when inside it (posix), else absolute."""
    absolute = path.resolve() if not path.is_absolute() else path
    try:
        return (
            Path(os.path.relpath(absolute, cwd.resolve())).as_posix()
            if _inside(absolute, cwd)
            else absolute.as_posix()
        )
    except ValueError:
        return absolute.as_posix()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
