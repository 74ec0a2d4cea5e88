"""Checklists: lists of questions with few or no answers, optionally under topic headings.

Each list item that reads as a question (or any item, in a list that is mostly
questions) becomes a ``question`` entry; text indented under an item, or paragraphs
right after it, are its answer, so the rare answered item is not lost. Headings are
topics; a heading made only of tags (``## #sql #db``) is none: its tags go to the
questions under it, which keep the topic above. Items, headings and code are the document's reading
(:mod:`kbtool.markdown.document`): a ``- …`` or ``# …`` line in a fenced block is
part of an answer, not a question or a topic.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from kbtool.importers.base import DropReason, ImportOptions, ParseResult
from kbtool.importers.markdown_sections import (
    Accountant,
    heading_tags,
    heading_title,
    is_blank,
    is_question,
    read_markdown,
    source_lines,
)
from kbtool.importers.sniff import markdown_prefix
from kbtool.markdown.document import Document, Heading, ListItem
from kbtool.markdown.items import item_lines
from kbtool.titles import title_text

_TASK_BOXES = ("[ ] ", "[x] ", "[X] ")


class ChecklistImporter:
    name = "checklist"
    description = "Question checklists: one draft question per list item"

    def detect(self, text: str, path: Path) -> float:
        prefix = markdown_prefix(text)
        if prefix is None:
            return 0.0
        lines = [line for line in source_lines(prefix) if line.strip()]
        if not lines:
            return 0.0
        doc, _front = read_markdown(prefix)
        items = list(_top_items(doc).values())
        if not items or any(x.kind == "link" and x.target.startswith("#") for x in doc.links):
            return 0.05  # links into the page: a Q&A document with a table of contents
        questions = sum(1 for title, _item in items if is_question(title))
        share = len(items) / len(lines)
        if questions >= 3 and questions >= 0.6 * len(items) and share >= 0.5:
            if _answered_after(doc, source_lines(prefix)) * 2 > questions:
                return 0.1  # "1. **What is SQL?**", its answer under the list: Q&A
            return 0.6 + 0.3 * min(share, 1.0)
        return 0.1

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        return _Reader(text, options).read()


class _Reader:
    """One checklist read line by line: the topic and tags the headings above set, the
    item being read and how many items of its section have an answer."""

    def __init__(self, text: str, options: ImportOptions) -> None:
        self.lines = source_lines(text)
        self.acc = Accountant(self.lines, options)
        self.doc, self.front = read_markdown(text)
        self.result = ParseResult(total_units=len(self.lines))
        self.topic: str | None = None
        self.tagged: list[tuple[int, list[str]]] = []  # (level, tags) of tag headings above
        self.current: list[int] = []  # the item's first line, then its answer's lines
        self.wrapped: list[int] = []  # lines of the item's title after its first (hard wrap)
        # where each paragraph inside a list item ends, by its first line
        self.paragraph_ends = {
            b.line: b.end_line for b in self.doc.blocks if b.kind == "paragraph" and b.depth
        }
        self.title = ""
        self.said = ""  # the answer the item's own text gives after its question
        self.within = 0  # last line of the current item
        self.answers = 0  # items of the section read so far that have an answer

    def read(self) -> ParseResult:
        acc = self.acc
        acc.drop(self.front.lines, DropReason.BOILERPLATE, "front matter")
        items = _top_items(self.doc)
        headings = self.doc.section_headings  # outside lists and quotes; setext: both lines
        for n in range(len(self.front.lines) + 1, len(self.lines) + 1):
            heading = headings.get(n)
            if heading is not None:
                self.flush(last=True)
                self.answers = 0
                if n == heading.line:
                    self.heading(heading)
            elif n in items:
                self.flush()
                title, item = items[n]
                self.wrapped = _wrapped(self.lines, n, self.paragraph_ends.get(n, n))
                wrapped = [self.lines[m - 1].strip() for m in self.wrapped]
                self.title, self.said = _question_and_answer(" ".join([title, *wrapped]))
                self.within = item.end_line
                self.current.append(n)
            elif n in self.wrapped:
                continue
            elif self.current:  # indented text, sub-items, paragraphs: the item's answer
                self.current.append(n)
            else:
                rest = acc.blank_or_private([n])
                acc.drop(rest, DropReason.BOILERPLATE, "text before the first question")
        self.flush(last=True)
        self.result.dropped = acc.dropped
        return self.result

    def heading(self, heading: Heading) -> None:
        """A topic, or a heading made only of tags (``## #sql``): no topic, its tags go
        to the questions under it."""
        shown = title_text(heading_title(self.doc, heading))
        numbers = list(range(heading.line, heading.end_line + 1))
        while self.tagged and self.tagged[-1][0] >= heading.level:
            self.tagged.pop()
        tags = heading_tags(shown) if "#" in shown else None
        if tags is not None:
            self.tagged.append((heading.level, tags))
            self.acc.drop(numbers, DropReason.BOILERPLATE, f"tag heading: {shown}")
        else:
            self.topic = shown
            self.acc.drop(numbers, DropReason.BOILERPLATE, f"topic heading: {shown}")

    def flush(self, last: bool = False) -> None:
        """The item read so far as an entry; ``last``: the last of its section."""
        current, lines, acc = self.current, self.lines, self.acc
        if not current:
            return
        answer = current[1:]
        after = [n for n in answer if n > self.within]
        inside = [n for n in answer if n <= self.within and not is_blank(lines[n - 1])]
        if last and after and not self.answers and not inside:
            # an unanswered list's closing words ("Adapted from: …") answer nothing
            rest = acc.blank_or_private(after)
            acc.drop(rest, DropReason.BOILERPLATE, "text after the last question")
            answer = [n for n in answer if n <= self.within]
        kept = acc.keep(answer)
        self.answers += bool(kept)
        units = [current[0], *self.wrapped, *kept]
        entry = acc.entry(self.title, units, kept, kind="question", topic=self.topic)
        entry.tags = list(dict.fromkeys(tag for _level, tags in self.tagged for tag in tags))
        entry.answered = bool(kept) or bool(self.said)
        entry.body = "\n\n".join(x for x in (self.said, _answer(lines, kept, self.within)) if x)
        self.result.entries.append(entry)
        self.said = ""
        current.clear()
        self.wrapped = []


def _top_items(doc: Document) -> dict[int, tuple[str, ListItem]]:
    """Items at the left margin (the parser's, and ``2. …`` lines it reads as text
    under a paragraph line), by line, with the text of their first line (a task box
    ``[ ]`` taken off)."""
    out: dict[int, tuple[str, ListItem]] = {}
    for n, item in item_lines(doc).items():
        if item.column != 1:
            continue
        start = item.start + len(item.marker)
        end = doc.line_starts[n] if n < len(doc.line_starts) else len(doc.text)
        text = doc.text[start:end].strip()
        for box in _TASK_BOXES:
            if text.startswith(box):
                text = text[len(box) :].strip()
        if text:
            out[n] = (text, item)
    return out


_SENTENCE_ENDS = (".", "?", "!", ":", ";", "…", "？", "！")
# a line the parser reads as text that numbers a part of the question: "a. …", "2) …"
_ENUMERATED = re.compile(r"(?:\d{1,3}|[^\W\d_])[.)]\s")


def _wrapped(lines: list[str], first: int, last: int) -> list[int]:
    """Lines after an item's first that continue its title: the author wrapped a long
    question (``12. What is hypothesis testing? chi-squared test: determine if any``,
    then ``difference between …`` under it). They belong to the item's first paragraph
    (no blank line, as the parser reads it: ``first`` to ``last``) and follow a line that
    stops mid-sentence; a line after one that ends a sentence (``- What is X?`` then
    ``X is …``) answers."""
    out: list[int] = []
    for n in range(first + 1, last + 1):
        if lines[n - 2].rstrip().rstrip("*_`)\"'»").endswith(_SENTENCE_ENDS):
            break
        if _ENUMERATED.match(lines[n - 1].strip()):
            break  # "Explain SVM", then "a. What is the decision boundary?": its parts
        out.append(n)
    return out


# what opens a sentence that asks or sets a task rather than answers: "Give an example."
_TASK = re.compile(
    r"(?:give|provide|write|show|discuss|cover|illustrate|implement|derive|prove|"
    r"calculate|compute|find|draw|sketch|justify|mention|state|приведите|напишите|"
    r"покажите|докажите|выведите|найдите|нарисуйте|обоснуйте|укажите)\b",
    re.I,
)


def _question_and_answer(text: str) -> tuple[str, str]:
    """An item's title and the answer its own text gives after the question (``What is
    selection bias? It is the bias introduced …``: the title ends at the question). What
    follows the last question mark answers when it is a sentence of its own that neither
    asks nor sets a task ("Give an example."); else the whole item is the title."""
    shown = title_text(text)
    end = max(shown.rfind("?"), shown.rfind("？"))
    rest = shown[end + 1 :].strip()
    if end < 0 or not rest or not rest[0].isupper() or is_question(rest) or _TASK.match(rest):
        return shown, ""
    for at in (i for i in range(len(text) - 1, -1, -1) if text[i] in "?？"):
        said = text[at + 1 :].strip()
        if title_text(said) == rest:  # the same split in the Markdown the item is written in
            return shown[: end + 1].strip(), said
    return shown, ""


def _answered_after(doc: Document, lines: list[str]) -> int:
    """How many question items are answered by text after their list: the next
    non-blank line after the item is neither an item nor a heading. A checklist's
    answers are rare; a Q&A document that numbers its questions as one-item lists
    (``1. **What is SQL?**``, a paragraph, ``2. **…**``) answers each, and the lists
    of its answers would be read as questions."""
    items = _top_items(doc)
    headings = doc.section_headings
    answered = 0
    for title, item in items.values():
        if not is_question(title):
            continue
        after = item.end_line + 1
        while after <= len(lines) and is_blank(lines[after - 1]):
            after += 1
        if after <= len(lines) and after not in items and after not in headings:
            answered += 1
    return answered


def _answer(lines: list[str], kept: list[int], within: int) -> str:
    """The answer's lines; the ones inside the item are moved left together, so an
    answer indented under its item reads as text and its code keeps its indentation."""
    inside = [lines[n - 1] for n in kept if n <= within]
    after = [lines[n - 1] for n in kept if n > within]
    return "\n".join([*textwrap.dedent("\n".join(inside)).split("\n"), *after]).strip("\n")
