"""Interview question lists inside lecture notes: "спросили:", "asked about:" and a list.

An account of an interview in one's notes names what was asked as a list after a cue
line. Each item is a question to prepare (a draft); the cue line only introduces them.
The paragraph and the list are the document's blocks, so a list in a quote or in code
is never taken, and an item that runs over several lines stays one question.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from itertools import pairwise

from kbtool.markdown.document import Block, Document, ListItem
from kbtool.markdown.items import content_column

CUE = re.compile(
    r"(спросил\w*|спрашивал\w*|обсудили|вопрос\w*|собеседовани\w*|asked|questions|interview)",
    re.I,
)
# An account of an interview ("they asked about:"), not a page of interview questions:
# what detection takes as a sign of one's own notes.
ACCOUNT = re.compile(r"(спросил\w*|спрашивал\w*|обсудили|\basked\b)", re.I)
_LISTS = frozenset({"bullet_list", "ordered_list"})
_TASK_BOXES = ("[ ] ", "[x] ", "[X] ")


@dataclass
class Question:
    """One item of a question list: its title (the item's first paragraph, which may
    wrap over ``lines``) and the lines of text it holds besides (``more``), 1-based."""

    title: str
    lines: list[int]
    more: list[int] = field(default_factory=list)


@dataclass
class QuestionList:
    """A cue line, the list it introduces and the blank lines around the items."""

    cue: int
    questions: list[Question]
    blank: list[int]

    def lines(self) -> set[int]:
        """Every line the list takes (the cue included)."""
        taken = {self.cue, *self.blank}
        for question in self.questions:
            taken.update(question.lines)
            taken.update(question.more)
        return taken


def question_lists(
    doc: Document, lines: list[str], cue: re.Pattern[str] = CUE
) -> list[QuestionList]:
    """Lists at the left margin of at least two items right after (blank lines apart)
    a paragraph whose last line is an interview ``cue``."""
    top = [b for b in doc.blocks if b.depth == 0]
    found: list[QuestionList] = []
    for before, block in pairwise(top):
        if before.kind != "paragraph" or block.kind not in _LISTS:
            continue
        last = before.end_line
        between = range(last + 1, block.line)
        if not cue.search(lines[last - 1]) or any(lines[n - 1].strip() for n in between):
            continue
        questions, blank = _items(doc, block, lines)
        if len(questions) >= 2:
            found.append(QuestionList(last, questions, [*between, *blank]))
    return found


def body_of(numbers: list[int], lines: list[str]) -> str:
    """The text of an item's lines below its first (``numbers``), moved left together."""
    return textwrap.dedent("\n".join(lines[n - 1] for n in numbers)).strip("\n")


def _items(doc: Document, block: Block, lines: list[str]) -> tuple[list[Question], list[int]]:
    """The questions of one list and its blank lines. Nested items are questions too
    ("Python:" over "GIL", "decorators"), except under an item that asks: there, an
    item that does not ask is what the notes say of the question ("Does the population
    fall into groups?" over "no target is given: unsupervised")."""
    starts: dict[int, ListItem] = {}
    for each in doc.list_items:
        if block.line <= each.line <= block.end_line:
            starts.setdefault(each.line, each)
    wrapped = {b.line: b.end_line for b in doc.blocks if b.kind == "paragraph" and b.depth}
    questions: list[Question] = []
    blank: list[int] = []
    open_items: list[tuple[ListItem, Question]] = []
    title_end = 0  # last line of the current item's first paragraph
    for n in range(block.line, block.end_line + 1):
        line = lines[n - 1]
        while open_items and open_items[-1][0].end_line < n:
            open_items.pop()
        item = starts.get(n)
        title = _title(item, line) if item is not None else ""
        if open_items and asks(open_items[-1][1].title) and not asks(title):
            title = ""  # a remark on the question above: its text
        if item is not None and title:
            question = Question(title, [n])
            questions.append(question)
            open_items.append((item, question))
            title_end = wrapped.get(n, n)
        elif n <= title_end and open_items:  # the question wraps onto this line
            question = open_items[-1][1]
            question.title = f"{question.title} {line.strip()}"
            question.lines.append(n)
        elif open_items:
            open_items[-1][1].more.append(n)
        elif line.strip() and questions:  # never for what the parser reads as one list
            questions[-1].more.append(n)
        else:
            blank.append(n)
    for question in questions:  # blank lines inside an answer stay with it
        while question.more and not lines[question.more[-1] - 1].strip():
            blank.append(question.more.pop())
    return questions, sorted(blank)


def asks(title: str) -> bool:
    """Whether a title (an item's first line, a callout's) ends with a question mark,
    emphasis aside."""
    return title.rstrip(" *_").endswith(("?", "？"))


def _title(item: ListItem, line: str) -> str:
    """The text of an item's first line, a task box taken off."""
    text = line[content_column(item, line) :].strip()
    for box in _TASK_BOXES:
        if text.startswith(box):
            text = text[len(box) :].strip()
    return text
