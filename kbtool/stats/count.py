"""Count a base's coverage from its parsed entries: no printing, a value out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kbtool.lint.facts import duplicate_key
from kbtool.lint.similar import SimilarQuestions
from kbtool.model.entry import Difficulty, EntryStatus
from kbtool.stats.model import NO_DIFFICULTY, Counts, StatsReport, TopicStats
from kbtool.store.entry_file import EntryDocument

DIFFICULTIES = (*[d.value for d in Difficulty], NO_DIFFICULTY)


def count(
    documents: Sequence[EntryDocument],
    threshold: float,
    skipped: int = 0,
    repeated: set[str] | None = None,
) -> StatsReport:
    """Per-topic and total figures of ``documents`` (each entry once); ``repeated``:
    the near-duplicates' ids when the caller has them already."""
    if repeated is None:
        repeated = near_duplicate_ids(documents, threshold)
    topics: dict[str, list[EntryDocument]] = {}
    for doc in documents:
        topics.setdefault(doc.entry.topic, []).append(doc)
    per_topic = [
        TopicStats(topic=topic, **_counts(docs, repeated).model_dump())
        for topic, docs in sorted(topics.items())
    ]
    return StatsReport(
        duplicate_threshold=threshold,
        skipped=skipped,
        topics=per_topic,
        total=_counts(documents, repeated),
    )


def near_duplicate_ids(documents: Sequence[EntryDocument], threshold: float) -> set[str]:
    """Ids of questions asking the same as another entry (KB202's matcher and keys)."""
    by_key: dict[str, list[str]] = {}
    for doc in documents:
        key = duplicate_key(doc.entry.title) if str(doc.entry.kind) == "question" else ""
        if key:
            by_key.setdefault(key, []).append(doc.entry.id)
    matcher = SimilarQuestions(by_key, threshold, exhaustive=len(by_key) < 50)
    repeated: set[str] = set()
    for key, ids in by_key.items():
        if len(ids) > 1 or matcher.similar(key):
            repeated.update(ids)
    return repeated


def _counts(docs: Sequence[EntryDocument], repeated: set[str]) -> Counts:
    statuses = Counter(str(doc.entry.status) for doc in docs)
    difficulty = Counter(doc.entry.difficulty or NO_DIFFICULTY for doc in docs)
    answered = statuses[EntryStatus.ANSWERED.value]
    return Counts(
        entries=len(docs),
        answered=answered,
        drafts=statuses[EntryStatus.DRAFT.value],
        answered_share=round(answered / len(docs), 4) if docs else 0.0,
        by_difficulty={name: difficulty[name] for name in DIFFICULTIES},
        by_source=dict(sorted(Counter(doc.entry.source.kind for doc in docs).items())),
        near_duplicates=sum(doc.entry.id in repeated for doc in docs),
    )
