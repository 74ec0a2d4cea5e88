"""The study page's opening figures as inline SVG bars; each bar is a filter.

Drawn at export time from the same :class:`~kbtool.stats.model.StatsReport` that
``kbtool stats`` prints, so the page reads without a script; the page's script only
makes a bar clickable (``data-filter``/``data-value`` name the filter it sets).
"""

from __future__ import annotations

from html import escape

from kbtool.stats.model import StatsReport

ROW = 22  # px per bar
LABEL = 150  # px for the label column
WIDTH = 220  # px of the longest bar


def dashboard(report: StatsReport) -> str:
    """A ``<section id="dashboard">`` with one figure per breakdown, in a ``<details>``
    whose summary says how much is answered: the page's script folds it on a phone,
    where the figures filled the first screen and hid every entry."""
    total = report.total
    share = f"{total.answered_share:.0%}"
    parts = [
        '<details id="coverage" open><summary>Coverage: '
        f"{total.answered} of {total.entries} answered ({share})</summary>",
        '<section id="dashboard" aria-label="Coverage">',
        _topics(report),
        _simple(
            "Status",
            "status",
            [
                ("answered", total.answered, "answered"),
                ("draft", total.drafts, "draft"),
                ("near-duplicate", total.near_duplicates, "dup"),
            ],
            note=f"{share} answered",
            keys={"near-duplicate": ("dup", "yes")},
        ),
        _simple(
            "Difficulty",
            "difficulty",
            [(name, n, "bar") for name, n in total.by_difficulty.items()],
        ),
        _simple("Source", "source", [(name, n, "bar") for name, n in total.by_source.items()]),
        "</section></details>",
    ]
    return "\n".join(parts)


def _topics(report: StatsReport) -> str:
    """One stacked bar per topic: answered, then drafts; near-duplicates as a note."""
    most = max((t.entries for t in report.topics), default=0) or 1
    rows = []
    for i, topic in enumerate(report.topics):
        y = i * ROW
        done = WIDTH * topic.answered / most
        todo = WIDTH * topic.drafts / most
        dup = f", {topic.near_duplicates} near-dup" if topic.near_duplicates else ""
        label = f"{topic.answered}/{topic.entries}{dup}"
        rows.append(
            f'<g data-filter="topic" data-value="{escape(topic.topic)}" tabindex="0" '
            f'role="button"><title>{escape(topic.topic)}: {topic.answered} answered, '
            f"{topic.drafts} drafts, {topic.near_duplicates} near-duplicate questions</title>"
            f"{_hit(y)}"
            f'<text x="0" y="{y + 15}">{escape(_short(topic.topic))}</text>'
            f'<rect class="answered" x="{LABEL}" y="{y + 4}" width="{done:.1f}" height="14"/>'
            f'<rect class="draft" x="{LABEL + done:.1f}" y="{y + 4}" width="{todo:.1f}" '
            f'height="14"/><text class="muted" x="{LABEL + done + todo + 6:.1f}" y="{y + 15}">'
            f"{label}</text></g>"
        )
    return _figure("Topics (answered / entries)", rows)


def _simple(
    caption: str,
    key: str,
    bars: list[tuple[str, int, str]],
    note: str = "",
    keys: dict[str, tuple[str, str]] | None = None,
) -> str:
    """One bar per (name, count, css class); a bar filters ``key`` by its name, or by
    the (filter, value) ``keys`` gives for it."""
    most = max((n for _, n, _ in bars), default=0) or 1
    rows = []
    for i, (name, n, css) in enumerate(bars):
        y = i * ROW
        width = WIDTH * n / most
        bar_key, value = (keys or {}).get(name, (key, name))
        rows.append(
            f'<g data-filter="{bar_key}" data-value="{escape(value)}" tabindex="0" role="button">'
            f"<title>{escape(name)}: {n}</title>{_hit(y)}"
            f'<text x="0" y="{y + 15}">{escape(_short(name))}</text>'
            f'<rect class="{css}" x="{LABEL}" y="{y + 4}" width="{width:.1f}" height="14"/>'
            f'<text class="muted" x="{LABEL + width + 6:.1f}" y="{y + 15}">{n}</text></g>'
        )
    if note:
        caption = f"{caption}: {note}"
    return _figure(caption, rows)


def _figure(caption: str, rows: list[str]) -> str:
    height = max(len(rows), 1) * ROW
    return (
        f"<figure><figcaption>{escape(caption)}</figcaption>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LABEL + WIDTH + 110}" '
        f'height="{height}" viewBox="0 0 {LABEL + WIDTH + 110} {height}">'
        + "".join(rows)
        + "</svg></figure>"
    )


def _hit(y: int) -> str:
    """A transparent row behind a bar: a click anywhere on the row (label, gap) hits it."""
    return f'<rect class="hit" x="0" y="{y}" width="{LABEL + WIDTH + 110}" height="{ROW}"/>'


def _short(name: str) -> str:
    return name if len(name) <= 22 else name[:21] + "…"
