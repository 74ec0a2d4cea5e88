"""Read a base and count it: what ``kbtool stats`` and the HTML page's dashboard show."""

from __future__ import annotations

from kbtool.config import Config
from kbtool.errors import ConfigError
from kbtool.lint.similar import DEFAULT_THRESHOLD
from kbtool.stats.model import StatsReport


def duplicate_threshold(cfg: Config) -> float:
    """KB202's ``threshold`` from ``[tool.kbtool.lint.duplicate-question]``, so stats
    and lint call the same titles near-duplicates."""
    value = cfg.section("lint").get("duplicate-question", {}).get("threshold", DEFAULT_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigError(
            f"threshold of duplicate-question must be a number from 0 to 100, found {value!r}",
            path=str(cfg.source) if cfg.source else None,
            hint="e.g. threshold = 95 under [tool.kbtool.lint.duplicate-question]",
        )
    return float(value)


def stats_of(cfg: Config) -> tuple[StatsReport, list[str]]:
    """The report of ``cfg.notes`` and the warnings about files that do not parse."""
    from kbtool.export.base import Selection
    from kbtool.export.loader import load
    from kbtool.stats.count import count

    loaded = load(cfg.notes, Selection(), cfg.exclude)
    report = count(loaded.documents, duplicate_threshold(cfg), skipped=len(loaded.skipped))
    return report, loaded.skipped
