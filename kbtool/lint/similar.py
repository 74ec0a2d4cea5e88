"""Near-equal questions: one matcher for lint's duplicate-question (KB202) and for stats.

Titles are compared as :func:`kbtool.lint.facts.question_key` keys (case, ``ё``/``е``,
punctuation and word order normalized) with rapidfuzz's token-sort similarity. With
many lookups, only keys sharing the looked-up key's rarest word are scored, which
keeps a 10,000-entry base fast; with few, every key is scored.
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_THRESHOLD = 95.0  # KB202's default: from here two titles count as one question


class SimilarQuestions:
    """Keys of a base, asked which other keys are the same question as a given one."""

    def __init__(self, keys: Iterable[str], threshold: float, exhaustive: bool) -> None:
        self.keys = list(dict.fromkeys(keys))
        self.threshold = threshold
        self.exhaustive = exhaustive
        self.postings: dict[str, list[str]] = {}
        if not exhaustive:
            for key in self.keys:
                for word in set(key.split()):
                    self.postings.setdefault(word, []).append(key)

    def similar(self, key: str) -> list[str]:
        """Keys other than ``key`` itself scoring at least the threshold against it."""
        from rapidfuzz import fuzz, process

        if self.exhaustive:
            found = process.extract(
                key,
                self.keys,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=self.threshold,
                limit=None,
            )
            return [match[0] for match in found if match[0] != key]
        rarest = min(key.split(), key=lambda w: len(self.postings.get(w, ())))
        return [
            other
            for other in self.postings.get(rarest, ())
            if other != key and fuzz.token_sort_ratio(key, other) >= self.threshold
        ]
