"""A heading answered by the headings after it at its own level.

Authors often give a question's parts the question's own level::

    ### What do *args and **kwargs mean?
    ### *args
    …
    ### **kwargs
    …

or number them from one under a title (``### CAP theorem`` then ``### 1. Consistency``).
A reader sees the answer right below the question; the heading has no text of its
own, but its section is not empty and the question is not unanswered. The heading after
it is such a part when it has text of its own and either starts a numbered run
(``1.``, ``1)``) or names a word of a heading that asks or sets a task (``GET`` under
``Compare HTTP GET and POST``, ``Subnetting`` under ``Explain subnet masks``): a
leftover heading before an unrelated one (``## Metrics`` then ``## Loss functions``),
or before a sibling (``### Reading with the API`` then ``### Reading with injection``),
is still empty. A heading
that is only a number (``#### #16-1``) labels the heading after it.
"""

from __future__ import annotations

import re
from functools import cache


# words of one script at a time ("REST와" is REST and 와): Latin and Cyrillic of three
# letters or more, Hangul, kana and Han of two or more. Compiled when first asked for:
# re's compiler walks the Hangul and Han ranges letter by letter, which every lint run
# paid at start-up, most of them for no empty heading.
@cache
def _word_pattern() -> re.Pattern[str]:
    return re.compile(
        r"[A-Za-z]{3,}|[\u0400-\u04ff]{3,}|[\uac00-\ud7a3]{2,}|[\u3040-\u30ff\u4e00-\u9fff]{2,}"
    )


# words any question or task has, which say nothing of its subject
_COMMON_WORDS = """the and are was were what which who whom whose why how when where does did can
could should would will this that these those there their with from into about for you
your mean means explain describe difference differences between compare use used using
work works working give list name tell что как чем для это такое
설명해주세요 설명해 무엇인가요 무엇 어떤 있나요 대해 대해서 차이를 차이"""
_COMMON = frozenset(_COMMON_WORDS.split())
# a question or a task: "…?", "Explain …", "… 설명해주세요", "Опишите …"
_ASKS = re.compile(
    r"[?？]\s*$|^(?:what|how|why|when|which|explain|describe|compare|name|list)\b"
    r"|설명|말해|비교|알려|説明|^(?:что|как|почему|зачем|объясните|расскажите|опишите"
    r"|сравните|назовите)(?!\w)",
    re.IGNORECASE,
)
_FIRST_OF_A_RUN = re.compile(r"^\s*1[.)](?:\s|$)")
# "#16-1", "№ 3", "3.", "2.1": a number written as a label; a bare "2024" is a title
_ONLY_A_NUMBER = re.compile(
    r"^\s*(?:(?:#|No\.?|№)\s*\d+(?:[-.]\d+)*|\d+(?:[-.]\d+)+|\d+[.)])\s*$", re.IGNORECASE
)


def _words(title: str) -> set[str]:
    return {w.casefold() for w in _word_pattern().findall(title)} - _COMMON


def is_part(heading: str, after: str) -> bool:
    """Whether ``after``, the next heading at the level of ``heading`` (and one with text
    of its own), is a part of ``heading``'s answer: the first of a numbered run, or, under
    a heading that asks or sets a task, a heading naming a word of it (one word may be the
    start of the other: ``subnet`` and ``Subnetting``)."""
    if _FIRST_OF_A_RUN.match(after):
        return True
    if not _ASKS.search(heading) or _ASKS.search(after):
        # "Information using the API", "Information using injection": siblings; "What is
        # a value class?", "What is a data class?": the next question
        return False
    mine = _words(heading)
    return any(a.startswith(b) or b.startswith(a) for a in _words(after) for b in mine if a and b)


def labels_next(heading: str) -> bool:
    """Whether ``heading`` is only a number (``#16-1``, ``3.``, ``# 13``): the anchor of
    the heading right after it, which a contents list links to."""
    return bool(_ONLY_A_NUMBER.match(heading))
