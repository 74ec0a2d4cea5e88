"""Balance the columns of the last page of each part of a cheat sheet.

Typst fills a page's columns one after the other and has no balancing of its own, so
the last page of a sheet often has a full first column and an almost empty last one
(with ``--columns 3``, an empty third). A long sheet is laid out in parts, each
starting on a new page (see :mod:`kbtool.export.pdf`), so each part has such a last
page. The template marks where each part's columns start and where its text ends
(``kbstart`` and ``kbend``: part, page, column, height on the page, the columns' top
and bottom). From one layout of the sheet, :func:`attempts` works out how much height
to leave empty at the foot of a part's last page so that its text, laid out again in
the shorter columns, gives each column about an equal share. The template puts that
height there as a float spanning all columns, and typst lays the page out again.
Text flows there as anywhere in the sheet (a paragraph, list or table continues in
the next column, a heading stays with what follows it), so a last page holding a
single long answer is balanced like any other.

The share is measured generously (a column that ended early because a heading moved
on counts as full), so the shorter columns can still hold the text; the caller
checks that the text still ends on the same page and tries less room otherwise.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

# What a column may need beyond its even share, tried in turn: about a line and a half
# of the sheet's 8.5 pt text (columns end between lines, and a heading often moves on
# with its first lines), then more (a paragraph leaves no single line behind, a figure
# does not split). Each try that fails costs a layout of the sheet's changed pages and
# the PDF written again, and a long sheet has a last page per part: a first try of one
# line failed on a part of most generated 300-entry sheets.
SLACKS_PT = (16.0, 32.0, 48.0)
MIN_ROOM_PT = 28.0  # less than two lines: the page is about even already
# Less text than two lines on the last page: nothing to share out. A part whose text
# filled its page to the foot has its end mark alone at the top of the next.
MIN_TEXT_PT = 24.0


class Mark(NamedTuple):
    """Where the template's mark ``kind`` landed: page (1-based), column (0-based),
    ``y`` from the top of the page, and the top and bottom of that page's columns
    (points)."""

    kind: str
    page: int
    column: int
    y: float
    top: float
    bottom: float


def marks(found: str) -> list[tuple[Mark, Mark]] | None:
    """The start and end marks of each part, in order, from the JSON a ``metadata``
    query of the sheet gives (field ``value``); None when a part lacks one (nothing
    to balance)."""
    value: Any = json.loads(found)
    if not isinstance(value, list):
        return None
    kept: dict[tuple[str, int], Mark] = {}
    for item in value:
        if isinstance(item, dict) and item.get("kind") in {"kbstart", "kbend"}:
            try:
                kept[str(item["kind"]), int(item["part"])] = Mark(
                    str(item["kind"]),
                    int(item["page"]),
                    int(item["column"]),
                    float(item["y"]),
                    float(item["top"]),
                    float(item["bottom"]),
                )
            except (KeyError, TypeError, ValueError):
                return None
    parts = len(kept) // 2
    pairs = [(kept.get(("kbstart", n)), kept.get(("kbend", n))) for n in range(parts)]
    if not parts or len(kept) % 2 or any(start is None or end is None for start, end in pairs):
        return None
    return [(start, end) for start, end in pairs if start is not None and end is not None]


def attempts(start: Mark, end: Mark, columns: int) -> list[float]:
    """Heights (points) to leave empty at the foot of the last page, to try in turn;
    none when the page is about even already.

    The last page's text, as if its columns were one: full columns before the one
    the text ends in, plus that one down to the end. Each column should hold
    ``1/columns`` of it and a little more: the columns' height less the room.
    """
    top = start.y if start.page == end.page else end.top  # page 1: below the title
    height = end.bottom - top
    used = end.column * height + (end.y - top)
    if columns < 2 or height <= 0 or used < MIN_TEXT_PT:
        return []
    rooms = [round(height - used / columns - slack, 2) for slack in SLACKS_PT]
    return [room for room in rooms if room >= MIN_ROOM_PT]


def holds(before: tuple[Mark, Mark], after: tuple[Mark, Mark]) -> bool:
    """Whether a part's balanced layout still ends on its page: it spans as many
    pages as before (a part starts on a new page; an earlier part may move it)."""
    return after[1].page - after[0].page == before[1].page - before[0].page
