"""duplicate-question (KB202): the same question asked by two entries.

## What it does
Compares the titles of questions (``kind: question``; notes may share a title such as
"Summary") after normalizing them (case, ``ё``/``е``, punctuation,
word order) and reports entries whose titles are equal or nearly equal (rapidfuzz
token similarity at or above ``threshold``), naming the other file. A title that needs
its note ("Why?", "How", "Parameters": one word, or only question words) asks
something different under each note and is not compared. Only candidate pairs that
share a word are compared, so a 10,000-entry base stays fast.

## Why is this bad?
Two answers to one question drift apart: one gets fixed, the other keeps the old
mistake, and the deck asks you the same card twice.

## Example
```yaml
title: Что такое BERT?          # notes/nlp/bert.md
title: что такое bert           # notes/nlp/bert-model.md
```

## Use instead
One entry; turn the other title into an ``aliases`` item of the first.

## Options
``threshold`` (default 95): similarity (0-100) from which two titles count as one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kbtool.lint.context import LintContext
from kbtool.lint.options import option
from kbtool.lint.problem import Problem, Severity
from kbtool.lint.similar import DEFAULT_THRESHOLD
from kbtool.paths import shown

CODE = "KB202"
NAME = "duplicate-question"
SEVERITY = Severity.WARNING


@dataclass(frozen=True)
class Options:
    threshold: float = option(
        DEFAULT_THRESHOLD,
        "similarity (0-100) from which two titles count as one",
        minimum=0,
        maximum=100,
    )


def check_base(context: LintContext) -> Iterator[Problem]:
    from kbtool.lint.similar import SimilarQuestions, similar_among

    threshold = context.options(NAME, Options).threshold
    wanted = [r for r in context.target_records() if r.is_entry and r.question]
    if not wanted:
        return
    index = context.index
    # a few files (pre-commit): every key that can reach the threshold is scored; the
    # index offers only those its lengths and letters allow, not all 10,000
    few = len(wanted) < 50
    matcher = None if few else SimilarQuestions(index.question_keys(), threshold, False)
    for record in wanted:
        key = record.question
        same = [name for name in index.asking(key) if name != record.file]
        if matcher is None:
            near = [k for k in dict.fromkeys(index.questions_near(key, threshold)) if k]
            similar = similar_among(key, near, threshold)
        else:
            similar = matcher.similar(key)
        for other_key in similar:
            same.extend(index.asking(other_key))
        if same:
            names = ", ".join(sorted({_display(context, name) for name in same}))
            yield Problem(
                record.display,
                record.title_line,
                1,
                CODE,
                NAME,
                SEVERITY,
                f'question "{record.title}" is also asked in {names}',
            )


def _display(context: LintContext, name: str) -> str:
    found = context.index.get(name)
    return found.display if found is not None else shown(name)
