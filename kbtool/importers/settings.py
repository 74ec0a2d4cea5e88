"""``[tool.kbtool.import]`` settings: topic map, privacy patterns, duplicate threshold,
line breaks.

Defaults are shipped so a fresh project imports sensibly; the config adds to the
topic map and replaces the privacy patterns (so a user can drop a default that
hides too much).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kbtool import privacy
from kbtool.errors import ConfigError
from kbtool.model.slugs import is_slug, make_slug

DEFAULT_TOPICS: dict[str, str] = {
    "глубокое_обучение": "deep-learning",
    "deep_learning": "deep-learning",
    "deep learning": "deep-learning",
    "машинное_обучение": "machine-learning",
    "ml": "machine-learning",
    "nlp": "nlp",
    "cv": "computer-vision",
    "компьютерное_зрение": "computer-vision",
    "llm": "llm",
}
# The shared patterns of kbtool/privacy.py (lint's KB204 uses the same); a
# ``private`` list in the config replaces them.
DEFAULT_PRIVATE: tuple[str, ...] = tuple(pattern for _, pattern in privacy.PATTERNS)
DEFAULT_TOPIC = "general"
DEFAULT_DUPLICATE_THRESHOLD = 92.0
LINE_BREAKS = ("auto", "obsidian", "commonmark")  # see kbtool.importers.line_breaks


@dataclass(frozen=True)
class ImportSettings:
    topics: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TOPICS))
    private: tuple[re.Pattern[str], ...] = ()
    default_topic: str = DEFAULT_TOPIC
    duplicate_threshold: float = DEFAULT_DUPLICATE_THRESHOLD
    default_private: bool = False  # use kbtool/privacy.py (precise) instead of ``private``
    line_breaks: str = "auto"  # one of LINE_BREAKS: how a single newline is read

    def is_private(self, line: str) -> bool:
        """True when ``line`` matches a privacy pattern (it must stay out of entries).

        URLs are blanked first: a number or an ``@`` in a link is not private."""
        if self.default_private:
            return privacy.is_private(line)
        line = privacy.without_urls(line)
        combined = self._combined
        if combined is not None:
            return combined.search(line) is not None
        return any(pattern.search(line) for pattern in self.private)

    @cached_property
    def _combined(self) -> re.Pattern[str] | None:
        """All patterns as one alternation: one scan per line instead of one per pattern
        (a third of a large Telegram import). None when they cannot be combined."""
        if not self.private:
            return None
        try:
            return re.compile("|".join(f"(?:{p.pattern})" for p in self.private), re.I)
        except re.error:
            return None

    def mapped_topic(self, text: str) -> str | None:
        """The configured topic for a hashtag or name, if the topic map has it."""
        key = text.strip().lstrip("#").strip()
        for candidate in (key, key.casefold(), key.casefold().replace(" ", "_")):
            if candidate in self.topics:
                return self.topics[candidate]
        return None

    def topic_slug(self, text: str) -> str:
        """A topic slug for a hashtag, category line or ``--topic`` value."""
        return self.mapped_topic(text) or make_slug(text.strip().lstrip("#"), max_length=80)


def load(section: dict[str, Any], path: str | None = None) -> ImportSettings:
    """Settings from the raw ``[tool.kbtool.import]`` mapping; clear errors for bad values."""
    known = {"topics", "private", "default_topic", "duplicate_threshold", "line_breaks"}
    unknown = set(section) - known
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(sorted(unknown))} in [tool.kbtool.import]",
            path=path,
            hint="known keys: " + ", ".join(sorted(known)),
        )
    topics = dict(DEFAULT_TOPICS)
    raw_topics = section.get("topics", {})
    if not isinstance(raw_topics, dict) or not all(
        isinstance(v, str) and is_slug(v) for v in raw_topics.values()
    ):
        raise ConfigError(
            '[tool.kbtool.import] topics must map hashtags to slugs, like {"NLP" = "nlp"}',
            path=path,
        )
    for key, value in raw_topics.items():
        topics[str(key)] = value
        topics[str(key).casefold()] = value
    patterns = section.get("private", [])
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ConfigError("[tool.kbtool.import] private must be a list of regexes", path=path)
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.I))
        except re.error as exc:
            raise ConfigError(
                f"[tool.kbtool.import] private: bad regex {pattern!r}: {exc}", path=path
            ) from None
    default_topic = section.get("default_topic", DEFAULT_TOPIC)
    if not isinstance(default_topic, str) or not is_slug(default_topic):
        raise ConfigError("[tool.kbtool.import] default_topic must be a slug", path=path)
    threshold = section.get("duplicate_threshold", DEFAULT_DUPLICATE_THRESHOLD)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 < threshold <= 100
    ):
        raise ConfigError(
            "[tool.kbtool.import] duplicate_threshold must be a number in 1..100", path=path
        )
    line_breaks = section.get("line_breaks", "auto")
    if line_breaks not in LINE_BREAKS:
        raise ConfigError(
            f"[tool.kbtool.import] line_breaks must be one of {', '.join(LINE_BREAKS)}, "
            f"not {line_breaks!r}",
            path=path,
            hint='"obsidian" keeps each single newline as a line break, "commonmark" joins '
            'the lines, "auto" decides by the kind of notes',
        )
    return ImportSettings(
        topics,
        tuple(compiled),
        default_topic,
        float(threshold),
        "private" not in section,
        line_breaks,
    )
