"""Pictures a repository's notes link by their GitHub address, found in its local clone.

A README often shows a picture of its own repository by the address GitHub serves it
at (``https://github.com/OWNER/REPO/blob/main/img/arch.png``, ``…/raw/…``, ``?raw=true``
or ``https://raw.githubusercontent.com/OWNER/REPO/main/img/arch.png``) rather than by
``img/arch.png``. When the imported folder is a clone of that very repository, the
picture is right there, and import can copy it as it copies a relative one: the notes
then show it offline, in the PDF and in the deck.

The clone is recognised from what git itself says, without the network: ``git
rev-parse --show-toplevel`` and the ``remote.*.url`` settings (any remote, HTTPS or SSH
spelling). An address of another repository, of a file the clone does not hold, or no
git at all leaves the address as written. The file used is the clone's working copy at
the address's path: the branch or commit the address names is not checked out.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kbtool import children

_TIMEOUT = 10  # seconds: git answers these from local files
# owner/name of a GitHub remote: https://github.com/o/r(.git), git@github.com:o/r.git,
# ssh://git@github.com/o/r, git://github.com/o/r
_REMOTE = re.compile(
    r"^(?:[a-z+]+://(?:[^@/]+@)?|[^@/:]+@)?(?:www\.)?github\.com[:/]+"
    r"([A-Za-z0-9][\w.-]*)/([\w.-]+?)(?:\.git)?/*$",
    re.I,
)
_NAME = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class Clone:
    """A local clone: its top folder and the GitHub repositories (``owner/name``, in
    lower case) its remotes name."""

    top: Path
    repositories: frozenset[str]

    def local_file(self, url: str) -> Path | None:
        """The clone's file a GitHub address of a file of one of its remotes names, or
        None (another repository, no file at that path, not a file address)."""
        parsed = github_file(url)
        if parsed is None:
            return None
        repository, parts = parsed
        if repository not in self.repositories:
            return None
        if parts[:2] == ["refs", "heads"] or parts[:2] == ["refs", "tags"]:
            parts = parts[2:]
        # the branch name may hold slashes (feature/x): the first split whose rest is a file
        for cut in range(1, len(parts)):
            rest = parts[cut:]
            if any(part in ("", ".", "..") for part in rest):
                return None
            candidate = self.top.joinpath(*rest)
            if candidate.is_file():
                return candidate
        return None


def github_file(url: str) -> tuple[str, list[str]] | None:
    """(``owner/name`` in lower case, [ref, path parts…]) of a GitHub address of a file
    (``github.com/o/r/blob/REF/path``, ``/raw/REF/path``,
    ``raw.githubusercontent.com/o/r/REF/path``), or None."""
    try:
        split = urlsplit(url)
    except ValueError:
        return None
    if split.scheme.lower() not in ("http", "https"):
        return None
    host = (split.hostname or "").lower()
    parts = unquote(split.path).split("/")[1:]  # %2F is a slash too: ..%2F leads up
    if host in ("github.com", "www.github.com") and len(parts) >= 5 and parts[2] in ("blob", "raw"):
        owner, name, rest = parts[0], parts[1], parts[3:]
    elif host == "raw.githubusercontent.com" and len(parts) >= 4:
        owner, name, rest = parts[0], parts[1], parts[2:]
    else:
        return None
    if not (_NAME.fullmatch(owner) and _NAME.fullmatch(name)):
        return None
    return f"{owner}/{name}".lower(), rest


def find_clone(folder: Path) -> Clone | None:
    """The git clone ``folder`` lies in, with its GitHub remotes, or None (no git, not a
    clone, a clone git refuses to read, no GitHub remote)."""
    git = shutil.which("git")
    if git is None:
        return None
    top = _git(git, folder, "rev-parse", "--show-toplevel")
    if not top:
        return None
    urls = _git(git, folder, "config", "--get-regexp", r"^remote\..*\.url$")
    repositories = set()
    for line in (urls or "").splitlines():
        _key, _, value = line.partition(" ")
        match = _REMOTE.match(value.strip())
        if match:
            repositories.add(f"{match[1]}/{match[2]}".lower())
    if not repositories:
        return None
    return Clone(Path(top.strip()), frozenset(repositories))


def _git(git: str, folder: Path, *args: str) -> str | None:
    """What ``git -C folder ARGS`` prints, or None when it fails (started as kbtool starts
    every program: stopped with it)."""
    import subprocess

    try:
        with children.start([git, "-C", str(folder), *args]) as process:
            out, _err = process.communicate(timeout=_TIMEOUT)
    except (OSError, subprocess.SubprocessError, children.Stopped):
        return None
    if process.returncode != 0:
        return None
    return out.decode("utf-8", "replace")
