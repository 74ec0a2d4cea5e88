"""Files of a docsify site that are the site's furniture, not notes.

docsify builds a site from the Markdown files of a folder whose ``index.html`` loads
it; beside the pages it reads ``_sidebar.md`` and ``_navbar.md`` (lists of links to the
pages), ``_coverpage.md`` (the cover: a logo, the site's name, buttons) and ``_404.md``
(the page shown for a missing one). Imported, each would be a note of links or a title
alone. Importing a folder leaves them out, named in the report with the reason; one
named on the command line is imported as asked.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FURNITURE = "a docsify site's {name} (its navigation or cover), not a note; name it to import it"
_NAMES = ("_sidebar.md", "_navbar.md", "_coverpage.md", "_404.md")


def left_out(path: Path, *, named: bool) -> str | None:
    """Why ``path`` is no note to import (a docsify site's navigation or cover), or None."""
    if named or path.name.lower() not in _NAMES:
        return None
    folder = path.resolve().parent
    if any(_docsify_page(above) for above in (folder, *folder.parents)):
        return FURNITURE.format(name=path.name)
    return None


@lru_cache(maxsize=64)
def _docsify_page(folder: Path) -> bool:
    """Whether ``folder`` holds the ``index.html`` of a docsify site."""
    try:
        with (folder / "index.html").open("rb") as page:
            return b"docsify" in page.read(65536)
    except OSError:
        return False
