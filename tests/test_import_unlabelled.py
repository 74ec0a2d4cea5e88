"""``unlabelled`` parses a title for a ``Q:`` label only when it starts with a label's
word: the same titles as reading every title with :func:`kbtool.markdown.labels.labels`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.importers.markdown_sections import unlabelled
from kbtool.markdown.labels import ANSWER_WORDS, QUESTION_WORDS, labels

PIECES = [
    *QUESTION_WORDS,
    *ANSWER_WORDS,
    *(w.lower() for w in (*QUESTION_WORDS, *ANSWER_WORDS)),
    *(w.upper() for w in (*QUESTION_WORDS, *ANSWER_WORDS)),
    "**", "__", "*", "_", ":", ".", " ", "3", "12", "What is X?", "Что такое Y", "`Q:`",
    "\\", "&#81;", "<b>", "Answering", "Quiet", "Вопросы", "Ответственность", "ᲀ", "ᲂ",
]  # fmt: skip


def _reference(title: str) -> str:
    found = labels(title) if title[:1].isalpha() or title[:1] in "*_" else ()
    if found and found[0].role == "question" and found[0].line == 1 and found[0].rest.strip():
        return found[0].rest.strip()
    return title


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7))
def test_unlabelled_reads_the_titles_labels_reads(pieces: list[str]) -> None:
    title = "".join(pieces).strip()
    assert unlabelled(title) == _reference(title)


def test_a_label_is_taken_off_and_other_titles_stay() -> None:
    assert unlabelled("**Q:** What is X?") == "What is X?"
    assert unlabelled("Вопрос 3. Что такое Y?") == "Что такое Y?"
    assert unlabelled("Quiet hours: what are they?") == "Quiet hours: what are they?"
