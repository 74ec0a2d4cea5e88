"""Balance the columns of a cheat sheet's last page.

Typst fills a page's columns one after the other and has no balancing of its own, so
the last page of a sheet often has a full first column and an almost empty last one
(with ``--columns 3``, an empty third). The template marks where the columns start
and where the text ends (``kbstart`` and ``kbend``: page, column, height on the page,
the columns' top and bottom). From one layout of the sheet, :func:`attempts` works out
how much height to leave empty at the foot of the last page so that its text, laid
out again in the shorter columns, gives each column about an equal share. The
template puts that height there as a float spanning all columns, and typst lays the
last page out again. Text flows there as anywhere in the sheet (a paragraph, list
or table continues in the next column, a heading stays with what follows it), so a
last page holding a single long answer is balanced like any other.

The share is measured generously (a column that ended early because a heading moved
on counts as full), so the shorter columns can still hold the text; the caller
checks that the text still ends on the same page and tries less room otherwise.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

# What a column may need beyond its even share, tried in turn: about a line of the
# sheet's 8.5 pt text (columns end between lines), then more (a heading moves on with
# its first lines, a paragraph leaves no single line behind, a figure does not split).
SLACKS_PT = (10.0, 24.0, 48.0)
MIN_ROOM_PT = 28.0  # less than two lines: the page is about even already


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


def marks(found: str) -> tuple[Mark, Mark] | None:
    """The start and end marks from the JSON a ``metadata`` query of the sheet gives
    (field ``value``), or None when the sheet has no such marks."""
    value: Any = json.loads(found)
    if not isinstance(value, list):
        return None
    kept: dict[str, Mark] = {}
    for item in value:
        if isinstance(item, dict) and item.get("kind") in {"kbstart", "kbend"}:
            try:
                kept[item["kind"]] = Mark(
                    str(item["kind"]),
                    int(item["page"]),
                    int(item["column"]),
                    float(item["y"]),
                    float(item["top"]),
                    float(item["bottom"]),
                )
            except (KeyError, TypeError, ValueError):
                return None
    if "kbstart" not in kept or "kbend" not in kept:
        return None
    return kept["kbstart"], kept["kbend"]


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
    if columns < 2 or height <= 0 or used <= 0:
        return []
    rooms = [round(height - used / columns - slack, 2) for slack in SLACKS_PT]
    return [room for room in rooms if room >= MIN_ROOM_PT]


def holds(before: Mark, after: Mark) -> bool:
    """Whether the balanced layout still ends on the page the text ended on."""
    return after.page == before.page
