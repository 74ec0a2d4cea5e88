"""Whether a title asks something on its own: the test import, lint and stats share
before they call two entries the same question.

"Why?", "How", "Parameters" head a section of a note and mean something only under
that note's name; two notes each with a "Why?" section ask two different things. So
a title counts as the same question as another only when it can stand alone: two
words or more, one of them more than a question word, pronoun or particle ("Why
OWL?", "Explain PCA", "Что такое BERT?"). A real vault lost three such sections to
import's duplicate check, and lint called them duplicates.

Titles are compared by similarity, which cannot tell that "React 18" and "React 19"
differ in what matters: two titles whose numbers differ are never the same question.
"""

from __future__ import annotations

import re

# Words that say what kind of question is asked, not what it is about (en, ru).
FUNCTION_WORDS = frozenset(
    """
    a about an and are as be can could did do does for how i if in is it its not of on
    or should so than that the then these this those to was we were what when where
    which who whom whose why will with would you
    а бы в во где для же и или как какая какие каким каков какой когда кто ли на не
    нет о об почему про с со так то чем что это эта этот эти зачем
    """.split()  # noqa: SIM905  (a list literal would take a line per word)
)


def stands_alone(words: str) -> bool:
    """Whether a title folded to ``words`` (its words joined by spaces, lower case)
    names a question by itself."""
    split = words.split()
    return len(split) >= 2 and any(w not in FUNCTION_WORDS and not w.isdigit() for w in split)


_NUMBER = re.compile(r"\d+")


def same_numbers(one: str, other: str) -> bool:
    """Whether two titles hold the same numbers (in any order): "features of React 18"
    is not "features of React 19", however alike the rest."""
    return sorted(_NUMBER.findall(one)) == sorted(_NUMBER.findall(other))
