"""Letter case in link targets: ``Diagram.png`` is not ``diagram.png`` on GitHub.

GitHub, Linux and the exports run there tell names apart by letter case; macOS and
Windows do not, so a link to ``Images/Tree.PNG`` for ``images/tree.png`` works on the
author's machine and breaks once pushed. Lint reads the case as written against the
folders' own listings, on any system: a target that names a file only up to letter case
is reported, with the name the file has. The names of each folder listed are a probe of
the run's result cache (a rename there changes the findings).
"""

from __future__ import annotations

import os
from urllib.parse import quote

from kbtool.lint import repository
from kbtool.lint.cache import LISTING, listing_stamp
from kbtool.lint.context import LintContext


def actual(context: LintContext, path: str) -> str | None:
    """The file or folder ``path`` (absolute, normalized) names up to letter case, as its
    folders list it (``path`` itself when written so); None when there is none. The
    folders from the top of the repository that holds it down are read; above it, or
    outside any repository and the project, only the last name."""
    folder = os.path.dirname(path)
    top = repository.root_of(folder, str(context.config.root))
    if path.startswith(top + os.sep):
        here, parts = top, path[len(top) + 1 :].split(os.sep)
    else:
        here, parts = folder, [os.path.basename(path)]
    for part in parts:
        names = _listing(context, here)
        if names.get(part) == part:
            here = os.path.join(here, part)
            continue
        other = names.get(part.casefold())
        if other is None:
            return None
        here = os.path.join(here, other)
    return here


def hint(context: LintContext, folder: str, target: str, path: str) -> str:
    """What to add to "does not exist" for ``target`` (written in a note in ``folder``,
    naming ``path``): the target to write when a file has that name up to letter case,
    else nothing."""
    found = actual(context, path)
    if found is None or found == path:
        return ""
    written = target.partition("#")[0].split("?", 1)[0]
    if written.startswith("/"):
        top = repository.root_of(folder, str(context.config.root))
        better = "/" + os.path.relpath(found, top).replace(os.sep, "/")
    else:
        better = os.path.relpath(found, folder).replace(os.sep, "/")
        if written.startswith("./"):
            better = "./" + better
    if "%" in written:
        better = quote(better, safe="/()'!,;=+@~")
    return f'; did you mean "{better}"? (only the letter case differs, which GitHub tells apart)'


def exact(context: LintContext, path: str) -> bool:
    """Whether ``path``, which the system found, is written in its folders' own case:
    always on a file system that tells case apart, so the listings are read only on one
    that does not (macOS, Windows)."""
    return not _case_blind(context) or actual(context, path) == path


def _listing(context: LintContext, folder: str) -> dict[str, str]:
    """The names in ``folder``, each as itself and by its case-folded form (the first
    in sorting order when two differ only by case)."""
    names = context.listings.get(folder)
    if names is None:
        try:
            found = sorted(os.listdir(folder), reverse=True)
            context.probes[LISTING + folder] = listing_stamp(found)
        except OSError:
            found = []
            context.probes[LISTING + folder] = -1
        names = {name.casefold(): name for name in found}
        names.update((name, name) for name in found)
        context.listings[folder] = names
    return names


def _case_blind(context: LintContext) -> bool:
    """Whether the project's file system finds a name in another letter case: its root
    found again with the case of its last name swapped is the same folder."""
    if context.case_blind is None:
        root = str(context.config.root)
        swapped = os.path.join(os.path.dirname(root), os.path.basename(root).swapcase())
        blind = False
        if swapped != root:
            try:
                blind = os.path.samefile(root, swapped)
            except OSError:
                blind = False
        context.case_blind = blind
    return context.case_blind
