"""Balance the columns of a cheat sheet's last page.

Typst fills a page's columns one after the other, so the last page of a sheet often
has a full first column and an almost empty last one. Typst has no balancing of its
own, so kbtool takes a second look: the template marks where each topic and question
heading,
the start of the columns and the end of the text landed (``kbpos``, ``kbstart``,
``kbend`` metadata); :func:`balance_last_page` reads them with ``typst.query``
and puts a weak column break before the questions of the last page that come
closest to an even share of its text. Breaks go between questions only, so an
answer is never split by balancing; a page whose questions do not allow a better
split is left as it is.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

MARGIN_PT = 1.3 / 2.54 * 72  # the template's top and bottom page margin (1.3cm)
_HEADING = re.compile(r"^={1,2} ")  # topics and questions: where a column may start
BREAK = "#colbreak(weak: true)\n"


def _marks(source: str, base: Path) -> list[dict[str, Any]]:
    """Every mark the template left, in document order (one layout of the sheet)."""
    import typst

    found = typst.query(
        source.encode("utf-8"),  # type: ignore[type-var]
        "metadata",
        field="value",
        root=str(base.resolve()),
        font_paths=[],
        ignore_system_fonts=True,
    )
    value = json.loads(found)
    if not isinstance(value, list):
        return []
    return [m for m in value if isinstance(m, dict) and str(m.get("kind", "")).startswith("kb")]


def split_points(
    marks: list[dict[str, Any]], start: dict[str, Any], end: dict[str, Any], columns: int
) -> list[int]:
    """Indexes (into ``marks``) of the questions to start a new column with."""
    last = end["page"]
    top = float(start["y"]) if last == start["page"] else MARGIN_PT
    height = float(end["height"]) - MARGIN_PT - top
    lefts = sorted({round(m["x"]) for m in marks})[:columns]  # questions start columns

    def column(x: float) -> int:
        return max((i for i, left in enumerate(lefts) if round(x) >= left - 2), default=0)

    def flow(mark: dict[str, Any]) -> float:  # distance from the last page's top, in columns
        return column(mark["x"]) * height + (float(mark["y"]) - top)

    total = flow(end)
    on_last = [i for i, m in enumerate(marks) if m["page"] == last]
    if height <= 0 or total <= 0 or len(lefts) < 2 or not on_last:
        return []
    chosen: list[int] = []
    for share in range(1, columns):
        goal = total * share / columns
        # a question can only be moved forward, into column `share`
        candidates = [
            i for i in on_last if column(marks[i]["x"]) < share and (not chosen or i > chosen[-1])
        ]
        if candidates:
            best = min(candidates, key=lambda i: abs(flow(marks[i]) - goal))
            if marks[best]["y"] - top > 1:  # not already at a column's top
                chosen.append(best)
    # keep the breaks only if every column still fits and the page is more even
    before = [min(height, max(0.0, total - c * height)) for c in range(columns)]
    cuts = [0.0, *(flow(marks[i]) for i in chosen), total]
    after = [b - a for a, b in itertools.pairwise(cuts)]
    after += [0.0] * (columns - len(after))
    fits = all(0 <= length <= height * 0.97 for length in after)
    if chosen and fits and max(after) - min(after) < max(before) - min(before):
        return chosen
    return []


def balance_last_page(source: str, base: Path, columns: int) -> str:
    """``source`` with weak column breaks that even out the last page's columns."""
    found = _marks(source, base)
    marks = [m for m in found if m["kind"] == "kbpos"]
    starts = [m for m in found if m["kind"] == "kbstart"]
    ends = [m for m in found if m["kind"] == "kbend"]
    if not marks or not starts or not ends:
        return source
    points = set(split_points(marks, starts[0], ends[-1], columns))
    if not points:
        return source
    lines = source.split("\n")
    headings = [
        number
        for number, line in enumerate(lines)
        if _HEADING.match(line) and number + 1 < len(lines) and lines[number + 1].startswith("<")
    ]
    if len(headings) != len(marks):  # marks and headings must pair up one to one
        return source
    breaks: set[int] = set()
    for point in points:
        first = point
        while first > 0 and headings[first] - headings[first - 1] <= 3:
            first -= 1  # a heading right above (a topic): it moves along, never left alone
        breaks.add(headings[first])
    for at in sorted(breaks, reverse=True):
        lines.insert(at, BREAK.rstrip("\n"))
    return "\n".join(lines)
