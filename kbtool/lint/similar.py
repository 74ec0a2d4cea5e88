"""Near-equal questions: one matcher for lint's duplicate-question (KB202) and for stats.

Titles are compared as :func:`kbtool.lint.facts.question_key` keys (case, ``ё``/``е``,
punctuation and word order normalized) with rapidfuzz's token-sort similarity. With
many lookups, only keys sharing the looked-up key's rarest word are scored, which
keeps a 10,000-entry base fast; with few, every key that can reach the threshold by
its length and letter counts is scored (often none: rapidfuzz is not even imported).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

DEFAULT_THRESHOLD = 95.0  # KB202's default: from here two titles count as one question


class SimilarQuestions:
    """Keys of a base, asked which other keys are the same question as a given one.

    Keys are ``question_key`` results (words joined by single spaces); empty ones are
    left out."""

    def __init__(self, keys: Iterable[str], threshold: float, exhaustive: bool) -> None:
        self.keys = [key for key in dict.fromkeys(keys) if key]
        self.threshold = threshold
        self.exhaustive = exhaustive
        self.postings: dict[str, list[str]] = {}
        if not exhaustive:
            for key in self.keys:
                for word in set(key.split()):
                    self.postings.setdefault(word, []).append(key)

    def similar(self, key: str) -> list[str]:
        """Keys other than ``key`` itself scoring at least the threshold against it and
        naming the same things (:func:`same_question`)."""
        return [other for other in self._alike(key) if same_question(key, other)]

    def _alike(self, key: str) -> list[str]:
        if self.exhaustive:
            return _scored(key, self.keys, self.threshold)
        from rapidfuzz import fuzz

        rarest = min(key.split(), key=lambda w: len(self.postings.get(w, ())))
        return [
            other
            for other in self.postings.get(rarest, ())
            if other != key and fuzz.token_sort_ratio(key, other) >= self.threshold
        ]


def similar_among(key: str, keys: list[str], threshold: float) -> list[str]:
    """What :meth:`SimilarQuestions.similar` answers, among ``keys``: the keys other
    than ``key`` scoring at least ``threshold`` against it and naming the same things."""
    return [other for other in _scored(key, keys, threshold) if same_question(key, other)]


def same_question(key: str, other: str) -> bool:
    """Whether two alike keys ask the same question, as import decides it: the same
    numbers ("React 18" is not "React 19") and terms ("What is MAE?" is not "What is
    MSE?"; :mod:`kbtool.titles`). Lint must not report as a duplicate what import
    keeps as two questions."""
    from kbtool.titles import same_numbers, same_terms

    return same_numbers(key, other) and same_terms(key, other)


def _scored(key: str, keys: list[str], threshold: float) -> list[str]:
    """The ``keys`` other than ``key`` scoring at least ``threshold`` against it, each
    scored only when its length and letter counts let it reach that."""
    candidates = _may_reach(key, keys, threshold)
    if not candidates:
        return []
    from rapidfuzz import fuzz, process

    found = process.extract(
        key, candidates, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
    )
    return [match[0] for match in found if match[0] != key]


_CAP = 4  # counts kept per class of characters in a signature


def letters_signature(key: str) -> int:
    """How many characters of each class (code point mod 64) the key holds, up to 4, as
    64 groups of 4 bits (a count ``n`` sets the group's low ``n`` bits).

    For two keys the bits in which their signatures differ add up, per class, to the
    difference of the capped counts: never more than the difference of the counts,
    which is a lower bound of the distance ``_may_reach`` bounds. Kept for every
    question in the cache, they let a pre-commit run skip nearly all of 10,000 keys
    without reading them."""
    counts: dict[int, int] = {}
    for c in key:
        group = ord(c) & 63
        counts[group] = counts.get(group, 0) + 1
    signature = 0
    for group, n in counts.items():
        signature |= ((1 << min(n, _CAP)) - 1) << (group * _CAP)
    return signature


def may_reach_signed(
    key: str, signatures: Sequence[int], starts: Sequence[int], threshold: float
) -> list[int]:
    """Positions ``i`` of the keys (held by length ``starts[i + 1] - starts[i] - 1`` and
    signature ``signatures[i]`` only) that pass the length bound of :func:`_may_reach`
    and the bound of :func:`letters_signature`: a superset of the keys that can reach
    ``threshold``, found without the keys' texts."""
    from itertools import compress

    room = 1.0 - threshold / 100.0 + 1e-9
    size = len(key)
    n = len(signatures)
    mine = letters_signature(key)
    if room >= 1.0:  # no length bound: the budget grows with the other key
        coarse: Iterable[int] = range(n)
    else:
        # the largest budget any key passing the length bound can have: it is at most
        # size * (1 + room) / (1 - room) long
        most = room * (size + size * (1.0 + room) / (1.0 - room)) + 1e-6
        # in C over all 10,000 keys (map, compress)
        bits = map(int.bit_count, map(mine.__xor__, signatures))
        coarse = compress(range(n), map(most.__ge__, bits))
    found = []
    for i in coarse:  # the few left: each key's own budget
        total = starts[i + 1] - starts[i] - 1 + size
        budget = room * total
        if abs(total - 2 * size) <= budget and (signatures[i] ^ mine).bit_count() <= budget:
            found.append(i)
    return found


def _may_reach(key: str, keys: list[str], threshold: float) -> list[str]:
    """The keys whose similarity to ``key`` can reach ``threshold``, by two upper bounds
    (so nothing that would match is dropped, and rapidfuzz is imported only when some
    key could match: a pre-commit run on a base without near-duplicates never does).

    rapidfuzz's ratio is ``100 * (1 - d / (len(a) + len(b)))`` with ``d`` the
    insert/delete distance of the token-sorted strings, and ``d`` is at least the
    difference of the lengths and at least the sum over characters of the difference
    of their counts (token sorting changes neither).
    """
    room = 1.0 - threshold / 100.0 + 1e-9  # the share of len(a) + len(b) d may take
    size = len(key)
    counts = sorted(((key.count(c), c) for c in set(key)), key=lambda pair: pair[0])
    out = []
    for other in keys:
        total = len(other) + size
        budget = room * total
        if abs(len(other) - size) > budget or other == key:
            continue
        # |count difference| over the key's characters, stopping once the budget is
        # spent, then every character of ``other`` the key lacks
        spent = 0
        shared = 0
        for mine, c in counts:
            theirs = other.count(c)
            spent += abs(mine - theirs)
            shared += theirs
            if spent > budget:
                break
        else:
            if spent + len(other) - shared <= budget:
                out.append(other)
    return out
