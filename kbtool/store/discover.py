"""Find every entry file under the base, honouring ``.gitignore``-style excludes.

Symlinks that lead out of the base are skipped: the base is a trust boundary.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pathspec

ALWAYS_EXCLUDED = (".git/", ".kbtool-cache/", ".venv/", "node_modules/", ".*/")


def discover(
    base: Path,
    exclude: Iterable[str] = (),
    suffixes: tuple[str, ...] = (".md",),
) -> list[Path]:
    """Sorted entry files under ``base`` (relative order is stable across runs)."""
    spec = pathspec.PathSpec.from_lines("gitignore", [*ALWAYS_EXCLUDED, *exclude])
    root = base.resolve()
    return sorted(_walk(base, root, spec, suffixes))


def _walk(
    base: Path, root: Path, spec: pathspec.PathSpec[Any], suffixes: tuple[str, ...]
) -> Iterator[Path]:
    for folder, dirs, files in os.walk(base, followlinks=False):
        rel_folder = os.path.relpath(folder, base)
        rel_folder = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        dirs[:] = sorted(d for d in dirs if not spec.match_file(f"{rel_folder}{d}/"))
        for name in files:
            if not name.endswith(suffixes):
                continue
            rel = f"{rel_folder}{name}"
            if spec.match_file(rel):
                continue
            path = Path(folder) / name
            if path.is_symlink() and not _inside(path, root):
                continue
            yield path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError):
        return False
    return True
