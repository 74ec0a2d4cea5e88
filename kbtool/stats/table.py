"""The stats as a terminal table: one row per topic, then the total."""

from __future__ import annotations

from kbtool.stats.count import DIFFICULTIES
from kbtool.stats.model import Counts, StatsReport

_HEAD = ("topic", "entries", "answered", "drafts", *DIFFICULTIES, "near-dup", "sources")


def render(report: StatsReport) -> str:
    """Aligned columns; numbers right-aligned, the source kinds as ``kind:n`` pairs."""
    rows = [_row(t.topic, t) for t in report.topics]
    rows.append(_row("total", report.total))
    widths = [max(len(row[i]) for row in (_HEAD, *rows)) for i in range(len(_HEAD) - 1)]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)]
        return "  ".join([*cells, row[-1]]).rstrip()

    out = [line(_HEAD), line((*("-" * w for w in widths), "-" * 7))]
    out += [line(row) for row in rows[:-1]]
    out += [out[1], line(rows[-1])]
    if report.skipped:
        out.append(f"({report.skipped} file(s) skipped: they do not parse; run kbtool lint)")
    return "\n".join(out) + "\n"


def _row(name: str, counts: Counts) -> tuple[str, ...]:
    share = f"{counts.answered} ({counts.answered_share:.0%})"
    sources = " ".join(f"{kind}:{n}" for kind, n in counts.by_source.items())
    return (
        name,
        str(counts.entries),
        share,
        str(counts.drafts),
        *(str(counts.by_difficulty[d]) for d in DIFFICULTIES),
        str(counts.near_duplicates),
        sources,
    )
