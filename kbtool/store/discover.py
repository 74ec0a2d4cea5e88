"""Find every entry file under the base, honouring ``.gitignore``-style excludes.

Symlinks that lead out of the base are skipped: the base is a trust boundary.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbtool.paths import is_inside

if TYPE_CHECKING:
    import pathspec

# (a Logseq graph's backups of its pages are no notes: copies of pages/ by date)
ALWAYS_EXCLUDED = (
    ".git/",
    ".kbtool-cache/",
    ".venv/",
    "node_modules/",
    ".*/",
    "**/logseq/bak/",
    "**/logseq/version-files/",
)


def discover(
    base: Path,
    exclude: Iterable[str] = (),
    suffixes: tuple[str, ...] = (".md",),
    folders: dict[str, int] | None = None,
) -> list[Path]:
    """Sorted entry files under ``base`` (relative order is stable across runs).

    Sorted by path components, as :class:`~pathlib.Path` objects compare. ``folders``,
    when given, receives each walked folder's mtime, taken before it is read (so a file
    added while walking shows as a changed folder next time).
    """
    spec, file_spec = _specs(exclude)
    found: list[str] = []
    walk = _Walk(os.fspath(base.resolve()), spec, file_spec, suffixes, found, folders)
    walk.folder(os.fspath(base), "")
    found.sort(key=lambda name: name.split(os.sep))
    return [Path(name) for name in found]


def _specs(exclude: Iterable[str]) -> tuple[pathspec.PathSpec[Any], pathspec.PathSpec[Any] | None]:
    """The spec for folders, and the one a file must be checked against (or None).

    Folders are matched (and pruned) on the way down, so a file needs checking only
    against patterns that can match a file: not the folder-only ones ending in "/".
    A negation ("!") can re-include anything, so then every file is checked.
    """
    import pathspec  # here: a pre-commit run with a cached file list never walks the base

    patterns = [*ALWAYS_EXCLUDED, *exclude]
    spec = pathspec.PathSpec.from_lines("gitignore", patterns)
    if any(p.strip().startswith("!") for p in patterns):
        return spec, spec
    file_lines = [p for p in patterns if p.strip() and not p.rstrip().endswith("/")]
    return spec, pathspec.PathSpec.from_lines("gitignore", file_lines) if file_lines else None


def scan_folder(
    base: Path, folder: str, exclude: Iterable[str] = (), suffixes: tuple[str, ...] = (".md",)
) -> tuple[list[str], list[str]]:
    """One folder of the base, not recursing: (its entry files, its subfolders that are
    walked), as :func:`discover` sees them; paths are ``folder`` joined with a name.

    Lets a cached file list be refreshed folder by folder (only folders whose mtime
    changed), instead of walking the whole base after every save.
    """
    spec, file_spec = _specs(exclude)
    rel = os.path.relpath(folder, base)
    rel_folder = "" if rel == "." else rel.replace(os.sep, "/") + "/"
    files: list[str] = []
    walk = _Walk(os.fspath(base.resolve()), spec, file_spec, suffixes, files)
    subfolders = walk.scan(folder, rel_folder)
    return files, [path for _name, path in subfolders]


class _Walk:
    """One walk of the base: folders are pruned by ``spec`` on the way down, files
    checked against ``file_spec``; symlinked folders are not followed."""

    def __init__(
        self,
        root: str,
        spec: pathspec.PathSpec[Any],
        file_spec: pathspec.PathSpec[Any] | None,
        suffixes: tuple[str, ...],
        found: list[str],
        folders: dict[str, int] | None = None,
    ) -> None:
        self.root, self.spec, self.file_spec, self.suffixes = root, spec, file_spec, suffixes
        self.found, self.folders = found, folders

    def folder(self, folder: str, rel_folder: str) -> None:
        """Everything under ``folder`` (``rel_folder``: its path from the base, POSIX
        style, ending in "/" unless empty)."""
        for name, path in self.scan(folder, rel_folder):
            self.folder(path, f"{rel_folder}{name}/")

    def scan(self, folder: str, rel_folder: str) -> list[tuple[str, str]]:
        """Add ``folder``'s matching files to ``found``; return its (name, path) subfolders."""
        try:
            if self.folders is not None:
                self.folders[folder] = os.stat(folder).st_mtime_ns
            entries = list(os.scandir(folder))
        except OSError:
            return []
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                if not is_link and not self.spec.match_file(f"{rel_folder}{name}/"):
                    subfolders.append((name, entry.path))
                continue
            if not name.endswith(self.suffixes):
                continue
            if self.file_spec is not None and self.file_spec.match_file(f"{rel_folder}{name}"):
                continue
            if is_link and not is_inside(entry.path, self.root):
                continue
            self.found.append(entry.path)
        return subfolders
