"""The general Markdown importer: any Markdown notes, read by block shape.

It takes every Markdown file no specific importer fits better, so it must read the
shapes real notes come in: headings (ATX, setext, nested in list items), questions as
headings, bold paragraphs (difficulty emoji go to ``difficulty``), ``Q:``/``A:`` lines,
``<details><summary>``, numbered lists of questions or exam topics, one card per file.
A question heading's deeper non-question headings stay in its answer; a heading with
nothing of its own is a topic; any other text is a ``note``. What the source hides or
only decorates (HTML comments, rules, ``<br/>``, scripts, GitBook tags, Dataview fields,
"Bookmarks" footers, front matter) is dropped with its reason. Blocks come from the
shared markdown-it parser (:mod:`kbtool.importers.md_blocks`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kbtool.importers import md_blocks
from kbtool.importers.base import Dropped, DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.entry_links import link_sections
from kbtool.importers.lecture_callouts import CalloutQuestion, answer_of, callout_questions
from kbtool.importers.markdown_sections import (
    PrivateLines,
    difficulty_mark,
    heading_tags,
    is_question,
    line_tags,
    navigation_line,
    see_also,
    source_lines,
    unlabelled,
    without_count,
)
from kbtool.importers.md_blocks import Block, Item
from kbtool.importers.sniff import markdown_prefix
from kbtool.importers.source_front_matter import FrontMatter, read_front_matter
from kbtool.markdown import admonitions
from kbtool.markdown.document import Document, Link, ListItem, parse, plain_text, tokens
from kbtool.markdown.items import content_column, item_lines
from kbtool.placeholders import is_placeholder
from kbtool.titles import markdown_escaped, title_text

if TYPE_CHECKING:
    from markdown_it.token import Token

NAME = "markdown"
_DIFFICULTY = {"👶": "easy", "⭐️": "medium", "⭐": "medium", "🚀": "hard"}
# with the joiners and presentation selectors around it (``\u200d⭐️``: a zero-width
# joiner left alone in the title would be a character nobody sees)
_EMOJI = re.compile(
    "[\u200d\ufe0f]*(?:"
    + "|".join(sorted(map(re.escape, _DIFFICULTY), key=len, reverse=True))
    + ")[\u200d\ufe0f]*"
)
_EMPH = r"(?:\*\*|__)?"
_Q_LABEL = re.compile(rf"^\s*{_EMPH}(?:Q|Question|Вопрос|В)\s*\d*\s*[:.]{_EMPH}\s*", re.I)
_A_LABEL = re.compile(rf"^\s*{_EMPH}(?:A|Ans|Answer|Ответ|О)\s*:{_EMPH}\s*", re.I)
_A_INLINE = re.compile(rf"\s{_EMPH}(?:A|Ans|Answer|Ответ)\s*:{_EMPH}\s+", re.I)
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>.+?)\1\s*(?P<tail>\S{0,4})\s*$")
_BOLD_NUMBER = re.compile(r"^\s*(\*\*|__)\d{1,3}[.)]\1\s*(?P<text>\S.*)$")
# ``**1) FizzBuzz.** Print numbers …``: a numbered name in bold, the task after it
_BOLD_NAMED = re.compile(
    r"^\s*(\*\*|__)\d{1,3}[.)]\s+(?P<name>[^*_\s](?:[^*_]*[^*_\s])?)\1(?P<rest>\W*\w.*)$"
)
# "3.", "3)", and "3)." or "3.)" as some write it (the title is no ". What …"); not
# "5.1.1 Vectors": a section
_NUMBER = re.compile(r"^\s*(?:\d{1,3}|[IVX]{1,4})(?:\)\.|\.\)|[.)])(?!\d)\s*")
# "## Question 3", "### Задача 12": a heading that only numbers the question under it
_NUMBERED_LABEL = re.compile(
    r"(?:question|q|вопрос|задача|task|problem|exercise)\s*(?:№|#|no\.?)?\s*\d{1,4}[.:]?", re.I
)
# "How does AdaBoost work? - Meta, Apple Interview Question": who asked, after the
# question; it also makes "Design a Feature Store - Google Interview Question" a question.
# Not a count of questions: "## Programming — 1 question" names a part (a topic)
_ASKED_AT = re.compile(r"\s+[-–—]\s+(?!\d+\s+question\s*$)[^?]*\bQuestion\s*$", re.IGNORECASE)
# "**Difficulty:** 🟡 Medium | **Tags:** `A`, `B` | **Asked by:** …": a question site's fields
_CARD_FIELD = re.compile(r"\*\*(?P<name>Difficulty|Tags):\*\*\s*(?P<value>[^|\n]*)", re.I)
_LEVEL = re.compile(r"\b(?:easy|medium|hard)\b", re.I)
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$", re.S)
_SPACER = re.compile(r"^\s*(?:<br\s*/?>\s*|&nbsp;\s*)+$", re.I)
_SCRIPT = re.compile(r"^\s*<(script|style)\b", re.I)
_SUMMARY = re.compile(r"<summary>\s*(.*?)\s*</summary>", re.I | re.S)
_DETAILS_TAG = re.compile(r"^\s*</?(?:details|summary|div)\b[^>]*>\s*$", re.I)
_ANSWER_LABEL = re.compile(
    r"^\W*(?:answer|show answer|solution|ответ|показать ответ|решение)\W*$", re.I
)
_GITBOOK = re.compile(r"^\s*\{%.*%\}\s*$")
_DATAVIEW = re.compile(r"^\s*[\w][\w -]{0,40}::\s")
_FOOTER = re.compile(
    r"^\W*(?:bookmarks?|connected with|related|see also|links?|закладки|связано с|связи|"
    r"см\. также)\W*$",
    re.I,
)
# A footer line once its links and wikilinks are taken out: the word, a colon, tags.
# what the text must hold for _FOOTER_REST to match once its links are taken out (each
# footer word has one of these inside a piece of text between links): most paragraphs
# are not parsed to find out they are no footer
_FOOTER_STEM = re.compile(r"bookmark|connected|related|see|link|закладки|связ|см", re.I)
_FOOTER_REST = re.compile(
    r"^\W*(?:bookmarks?|connected with|related|see also|links?|закладки|связано с|связи|"
    r"см\. также)\s*[:：][\s,;]*(?:#\S+[\s,;]*)*$",
    re.I,
)
# "See also" on its own (a heading, a paragraph, "**See also:**"): what follows is links
# of the entry it closes, not a footer to drop
_SEE_ALSO_WORDS = re.compile(r"\W*(?:see also|смотри(?:те)? также|см\. также)\W*", re.I)
_NOT_WORDS = re.compile(r"\W*")
_NUMBERED = re.compile(r"\W*(?:\d+\W*)?")
_CONTENTS = re.compile(r"table of contents|contents|содержание|оглавление", re.I)
_CARD_LABEL = re.compile(r"^=+\s*(question|answer|id|вопрос|ответ)\s*=+$", re.I)
_CUE = re.compile(r"exam|topic|program|question|syllab|вопрос|экзамен|билет|программ|тем", re.I)
_MC_TITLE = re.compile(
    r"^(?:which|choose|select|pick|какой|какая|какое|какие|выберите|что из)\b", re.I
)
_MARKED = re.compile(r"\[[xX]\]|✅|✔|\((?:correct|right|верно|правильно)\)", re.I)
_TASK = re.compile(r"^\s*\[[ xX]\]\s*")
_CHAT_LINE = re.compile(
    r"^\[?\d{1,2}[./]\d{1,2}[./]\d{2,4},? \d{1,2}:\d{2}(?::\d{2})?\]? ?[-–]? ?[^:]{1,40}:"
)
_DOC_WORDS = re.compile(
    r"\b(?:вопросы|вопросов|ответы|ответами|questions|answers|interview|собеседовани\w*)\b", re.I
)
# what is left of "Вопросы с собеседований", "Questions for the interview": no topic
_LEADING_LINK = re.compile(r"^(?:по|про|об|о|about|for|on|in)\s+", re.I)
_LINKING_WORDS = re.compile(r"(?:\b(?:с|со|на|по|для|к|и|for|the|a|an|of|on|to|and)\b|\W)*", re.I)


@dataclass
class _Open:
    """An entry being read: its head lines, its body lines and what it is."""

    title: str
    kind: str  # question | note
    level: int  # heading level; 0 for the preamble, 7 for other question shapes
    topic: str | None
    units: list[int] = field(default_factory=list)  # every line it takes
    body: list[tuple[int, str]] = field(default_factory=list)  # answer lines
    difficulty: str | None = None
    answered: bool | None = None
    aliases: list[str] = field(default_factory=list)
    needs_label: bool = False  # a ``Q:`` in a source that labels answers: unanswered until ``A:``
    after_label: bool = False  # its ``A:`` came: in a one-card file, the rest is the answer
    item: int = 0  # the list item a question heading nests in (``1. ### Q``): its answer
    written: str = ""  # its heading as written when the title differs (``2. What is X?``)
    tags: list[str] = field(default_factory=list)  # of the tag headings above (``# #ml``)
    untitled: bool = False  # a "## Question 3" heading: the paragraph under it asks

    def has_content(self) -> bool:
        return any(text.strip() for _n, text in self.body)


class GeneralMarkdownImporter:
    name = NAME
    description = "Any Markdown notes: sections by heading, question-shaped blocks as questions"

    def detect(self, text: str, path: Path) -> float:
        return self.fit(text, path)[0]

    def fit(self, text: str, path: Path) -> tuple[float, str]:
        """(score, reason): 0.5 for any Markdown text, 0.9 when it has shapes only this
        importer reads (bold or ``Q:`` questions, setext headings, front matter, ...)."""
        prefix = markdown_prefix(text)
        if prefix is None or "\x00" in prefix[:4096]:
            return 0.0, "not Markdown text"
        head = prefix[:4096].split("\n")[:20]
        if sum(1 for line in head if _CHAT_LINE.match(line)) >= 3:
            return 0.0, "a chat log, not notes"
        if path.suffix.lower() in RST_SUFFIXES:
            return 0.9, "reStructuredText (titles and lists read as Markdown)"
        shapes, questions = _shapes(prefix)
        if shapes:
            return 0.9, "Markdown with " + ", ".join(shapes)
        if questions:
            return 0.7, f"Markdown with {questions} question-shaped heading(s) or block(s)"
        return 0.5, "Markdown text (the general importer takes any)"

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        return _Reader(text, path, options).read()


RST_SUFFIXES = (".rst", ".rest")
_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")


def rst_as_markdown(lines: list[str]) -> list[str]:
    """reStructuredText titles and auto-numbered lists as Markdown, line for line.

    An underline of any adornment character makes a setext heading (``=`` level 1,
    the others level 2); an overline is blanked; ``#.`` items become ``1.`` items.
    """
    out = list(lines)
    for i, line in enumerate(lines):
        match = _ADORNMENT.match(line)
        if match is None:
            if re.match(r"^\s*#\.\s", line):
                out[i] = line.replace("#.", "1.", 1)
            continue
        above = lines[i - 1] if i else ""
        below = lines[i + 1] if i + 1 < len(lines) else ""
        if above.strip() and not _ADORNMENT.match(above):
            out[i] = ("=" if match.group(1) == "=" else "-") * max(3, len(line.strip()))
        elif below.strip() and not _ADORNMENT.match(below):
            out[i] = ""  # the overline of a title that has an underline too
    return out


def _shapes(text: str) -> tuple[list[str], int]:
    """The shapes in ``text`` that only this importer reads (for ``fit``'s reason), and
    how many blocks are shaped as questions."""
    found: list[str] = []
    front = read_front_matter(source_lines(text), strict=False)
    if front.lines:
        found.append("front matter")
    questions = 0
    labels = {"Q": False, "A": False}  # ``**Q:**`` and ``**A:**`` paragraphs: a labelled card
    for block in md_blocks.blocks(front.body, front.body_line):
        shape = _shape(block, text)
        if shape and shape not in found:
            found.append(shape)
        first = block.text.split("\n", 1)[0]
        asks = block.kind in ("paragraph", "html") and bool(
            _Q_LABEL.match(first) or "<summary>" in block.text
        )
        if asks or (block.kind == "heading" and is_question(_clean_title(first))):
            questions += 1
        if block.kind == "list" and block.ordered:  # "1. **What is SQL?**", "2. How …?"
            questions += sum(1 for item in block.items if is_question(_item_title(item.text)))
        marks = "difficulty marks"  # "1. [E] What …?": questions the checklist reads whole
        if (
            block.kind == "list"
            and marks not in found
            and any(difficulty_mark(item.text)[1] for item in block.items)
        ):
            found.append(marks)
        if block.kind == "paragraph":
            labels["Q"] = labels["Q"] or bool(_Q_LABEL.match(first))
            labels["A"] = labels["A"] or bool(_A_LABEL.match(first))
    if labels["Q"] and labels["A"] and "Q:/A: questions" not in found:
        found.append("Q:/A: questions")  # the list under the Q: is its prompts, no checklist
    return found, questions


_MARK_HINT = re.compile(r"\[(?:E|M|H|Easy|Medium|Hard)\]", re.I)  # see difficulty_mark


def _item_asks(text: str) -> bool:
    """A list item's text asks: a question, or a task with a difficulty mark ("[M] Given
    two sets of vectors, check …")."""
    return is_question(text) or difficulty_mark(text)[1] is not None


def _item_title(text: str) -> str:
    """A numbered item's first line as a title: marker and bold taken off."""
    return _clean_title(_strip_marker(text).split("\n", 1)[0]).strip("*_ ")


def _shape(block: Block, text: str) -> str | None:
    if block.kind == "heading" and block.end > block.start:
        return "setext headings"
    if block.kind == "paragraph":
        first = block.text.split("\n", 1)[0]
        if _bold_question(first):
            return "bold questions"
        if _Q_LABEL.match(first) and (_A_INLINE.search(first) or re.search(r"\bAns:", text)):
            return "Q:/A: questions"
        if _GITBOOK.match(first) or _DATAVIEW.match(first):
            return "tags or fields to drop"
    if block.kind == "html":
        if _COMMENT.match(block.text) and "?" in block.text:
            return "commented-out content"
        if _SPACER.match(block.text) or _SCRIPT.match(block.text):
            return "spacers or scripts"
    if block.kind == "heading" and block.level >= 3 and _NUMBER.match(block.text):
        return "numbered question headings"
    if block.kind == "list" and any("\t" in _line_of(text, i.start)[:6] for i in block.items):
        return "numbered topics"
    return None


def _heading_title(block: Block) -> str:
    """A heading block's text on one line (a setext heading's underline left out)."""
    return " ".join(line.strip("=-~^ ") for line in block.text.split("\n")).strip()


def _tags_of(block: Block) -> list[str] | None:
    """The tags of a heading block made only of tags (``# #ml``), else None."""
    return heading_tags(title_text(_heading_title(block))) if "#" in block.text else None


def _line_of(text: str, n: int) -> str:
    lines = text.split("\n")
    return lines[n - 1] if 0 < n <= len(lines) else ""


def _bold_question(line: str) -> tuple[str, str | None] | None:
    """(title, difficulty) of a ``**Question?** 🚀``, ``**3)** Question`` or
    ``**3) Name.** Task`` line."""
    numbered = _BOLD_NUMBER.match(line)
    if numbered:
        return _difficulty(numbered.group("text"))
    named = _BOLD_NAMED.match(line)
    if named:
        return _difficulty(named.group("name") + named.group("rest"))
    match = _BOLD_LINE.match(line)
    if not match:
        return None
    tail = match.group("tail")
    if tail and not _EMOJI.fullmatch(tail):
        return None
    title, level = _difficulty(f"{match.group('text')} {tail}")
    if level or is_question(title):
        return title, level
    return None


def _difficulty(text: str) -> tuple[str, str | None]:
    """``text`` without difficulty emoji or a leading ``[E]``/``[M]``/``[H]`` mark, and
    the difficulty they name."""
    text, marked = difficulty_mark(text)
    found = _EMOJI.search(text)
    level = _DIFFICULTY[found.group(0).strip("\u200d\ufe0f")] if found else marked
    return " ".join(_EMOJI.sub(" ", text).replace("\ufe0f", "").split()), level


def _labelled(title: str) -> bool:
    """``Q44: Discuss …``: a question label makes a heading a question, asking or not."""
    text = _NUMBER.sub("", title.strip()).strip()
    return unlabelled(text) != text


def _clean_title(text: str) -> str:
    text = _NUMBER.sub("", text.strip())
    text = _ASKED_AT.sub("", text)
    return unlabelled(text.strip()).strip("*_").strip()


def _card_facts(text: str) -> tuple[str | None, list[str]]:
    """The difficulty and tags a question's first line states in the fields of a
    question site (``**Difficulty:** 🟢 Easy | **Tags:** `Pipeline`, `Metrics` |
    **Asked by:** …``); the line itself stays in the answer."""
    fields = {
        match.group("name").casefold(): match.group("value") for match in _CARD_FIELD.finditer(text)
    }
    return _level_in(fields.get("difficulty", "")), _listed_tags(fields.get("tags", ""))


def _level_in(text: str) -> str | None:
    """The difficulty a field or cell names (``🟡 Medium`` -> ``medium``), if any."""
    found = _LEVEL.search(text)
    return found.group(0).casefold() if found else None


def _listed_tags(text: str) -> list[str]:
    """Tags listed with commas (```` `API Design`, `Core` ````, ``Basics, Introduction``)."""
    tags = [" ".join(tag.strip(" `").split()).lower() for tag in text.split(",")]
    return [tag for tag in tags if tag]


class _Reader:
    """One pass over the blocks of one source, with the entry being read."""

    def __init__(self, text: str, path: Path, options: ImportOptions) -> None:
        self.lines = source_lines(text)
        self.path = path
        self.options = options
        self.result = ParseResult(total_units=len(self.lines))
        self.front: FrontMatter = read_front_matter(self.lines, display=str(path))
        if path.suffix.lower() in RST_SUFFIXES:
            self.lines = rst_as_markdown(self.lines)
            self.front.body = "\n".join(self.lines[self.front.body_line - 1 :])
        self.boxed: set[int] = set()  # lines of answers in MkDocs boxes: content as they are
        if admonitions.has_markers(self.front.body):  # "??? success "View Answer""
            head = self.lines[: self.front.body_line - 1]
            body, answers = admonitions.unwrap(self.lines[len(head) :])
            self.lines = head + body
            self.front.body = "\n".join(body)
            self.boxed = {len(head) + n + 1 for lines in answers for n in lines}
        self.private = PrivateLines(self.lines, options)  # the lines as read, boxes unwrapped
        self.labelled = any(_A_LABEL.match(line) or _A_INLINE.search(line) for line in self.lines)
        self.current: _Open | None = None
        self.headings: list[tuple[int, str]] = []  # non-question headings above: topics
        self.first_h1: str | None = None
        self.asking: set[int] = set()  # headings whose sections ask questions (survey)
        self.asked: set[int] = set()  # paragraphs that are questions alone (_asked_paragraphs)
        self.numbered_levels: set[int] = set()  # "## 6. Discuss …" levels that number questions
        self.toc_headings: set[int] = set()  # headings of a table of contents (survey)
        self.item_questions: bool | None = None  # this section's questions are list items
        self.skip_id = False  # the paragraph after an Anki-style "=== Id ===" label
        self.in_toc = False  # inside a <details> that holds a table of contents
        self.section_tags: list[tuple[int, list[str]]] = []  # (level, tags) of tag headings
        self.callouts: dict[int, CalloutQuestion] = {}  # by first line: ``> [!question]- …``
        self.one_card = False  # the file holds one ``Q:`` question: its H1 names the card

    # --- accounting ---------------------------------------------------------------
    def drop(self, units: list[int] | range, reason: DropReason, note: str = "") -> None:
        if units:
            self.result.dropped.append(Dropped(tuple(units), reason, note=note))

    def read(self) -> ParseResult:
        if self.front.lines:
            unused = ", ".join(self.front.unused)
            note = "front matter" + (f" (keys not used: {unused})" if unused else "")
            self.drop(self.front.lines, DropReason.BOILERPLATE, note)
        blocks = md_blocks.blocks(self.front.body, self.front.body_line)
        if "[!" in self.front.body:  # Obsidian callouts; the document numbered as the file
            body = self.front.body  # ending in a newline, as md_blocks parses it (shared)
            doc = parse(
                "\n" * (self.front.body_line - 1) + body + ("" if body.endswith("\n") else "\n")
            )
            self.callouts = {c.line: c for c in callout_questions(doc, self.lines)}
        h1 = next(
            (b for b in blocks if b.kind == "heading" and b.level == 1 and not _tags_of(b)), None
        )
        self.first_h1 = h1.text if h1 is not None else None
        self.first_h1_line = h1.start if h1 is not None else 0
        outside = [block for block in blocks if block.start not in self.boxed]
        self.numbered_levels = _numbered_question_levels(outside)
        self.asked = _asked_paragraphs(outside)
        self.asking, self.toc_headings = self.survey(outside)
        self.one_card = self.labels(outside) == 1
        covered = self.front.body_line - 1
        footer = False
        pointing = self.see_also_sections(blocks)
        for block in blocks:
            self.blank(range(covered + 1, block.start))
            covered = max(covered, block.end)
            if block.start in pointing and self.current is not None:
                self.content(self.block_lines(block))  # "Related topics": the entry's links
                footer = False
                continue
            if footer and block.kind != "heading":
                self.drop(self.block_lines(block), DropReason.BOILERPLATE, "footer")
                continue
            footer = False
            if self.is_footer(block):
                footer = True
                self.drop(self.block_lines(block), DropReason.BOILERPLATE, "footer")
                continue
            if block.start in self.boxed and self.current is not None:
                self.content(self.block_lines(block))  # inside a box: the answer, as it is
                continue
            self.block(block)
        self.blank(range(covered + 1, len(self.lines) + 1))
        self.close()
        self.result.entries.sort(key=lambda e: e.units[0] if e.units else 0)
        link_sections(self.result.entries)
        return self.result

    def survey(self, blocks: list[Block]) -> tuple[set[int], set[int]]:
        """Lines of the headings whose sections ask questions, and of those that only
        title a table of contents.

        A section asks when its questions (bold or ``Q:`` questions, question headings)
        outnumber its other subheadings and bold labels: it opens a part of the document, its title
        the questions' topic, never a subsection of the note above it (``# Interview
        questions``, a preamble, then ``## SQL`` and its questions). A worked solution
        with "### Complexity" and "### Why this works" stays a subsection."""
        toc: set[int] = set()
        counts: dict[int, list[int]] = {}  # heading line -> [questions, other subheadings]
        open_headings: list[Block] = []
        heads: dict[int, int] = {}  # list item -> the line of the heading nested in it
        for index, block in enumerate(blocks):
            if block.item and heads.setdefault(block.item, block.start) != block.start:
                continue  # inside the answer of a question nested in a list item
            if block.kind == "heading":
                title = _heading_title(block)
                clean = _difficulty(_clean_title(title))[0]
                if _CONTENTS.fullmatch(clean.strip(" :")) and self.is_toc(blocks[index + 1 :]):
                    toc.add(block.start)
                asks = (
                    is_question(clean)
                    or (block.level >= 3 and bool(_NUMBER.match(title)))
                    or _ASKED_AT.search(title) is not None
                )
                while open_headings and open_headings[-1].level >= block.level:
                    open_headings.pop()
                for heading in open_headings:
                    counts[heading.start][0 if asks else 1] += 1
                if not asks:
                    open_headings.append(block)
                    counts[block.start] = [0, 0]
            elif block.kind == "paragraph":
                first = self.lines[block.start - 1]
                if (
                    block.start in self.asked
                    or _bold_question(first)
                    or any(_Q_LABEL.match(self.lines[n - 1]) for n in self.block_lines(block))
                ):
                    asked = 0
                elif first.lstrip()[:2] in {"**", "__"} and not (
                    _A_LABEL.match(first) or _CARD_FIELD.match(first.lstrip())
                ):
                    asked = 1  # a bold label ("**Complexity**:"): structure, not a question
                else:
                    continue
                for heading in open_headings:
                    counts[heading.start][asked] += 1
        asking = {line for line, (questions, other) in counts.items() if questions > other}
        return asking, toc

    def labels(self, blocks: list[Block]) -> int:
        """How many ``Q:`` lines open questions in the paragraphs of ``blocks``."""
        return sum(
            1
            for block in blocks
            if block.kind == "paragraph"
            for n in self.block_lines(block)
            if _Q_LABEL.match(self.lines[n - 1])
        )

    def is_toc(self, following: list[Block]) -> bool:
        """The blocks after a "Contents" heading start with a list or table of links
        into this page (maybe inside a ``<details>``, whose tags come first)."""
        wrapper = 0
        while wrapper < len(following) and self.only_details_tags(following[wrapper]):
            wrapper += 1
        first = following[wrapper] if wrapper < len(following) else None
        if first is not None and first.kind == "list":
            return bool(first.items) and all(_toc_link(i.text) for i in first.items)
        return first is not None and first.kind == "table" and self.toc_table(first)

    def only_details_tags(self, block: Block) -> bool:
        """An HTML block of ``<details>``/``<summary>`` tags and a summary's text."""
        if block.kind != "html" or not _DETAILS_TAG.match(block.text.split("\n", 1)[0]):
            return False
        outside = _SUMMARY.sub("", block.text)
        return all(_DETAILS_TAG.match(line) for line in outside.split("\n") if line.strip())

    def blank(self, numbers: range) -> None:
        for n in numbers:
            if self.current is not None and self.current.body:
                self.current.body.append((n, self.lines[n - 1]))
                self.current.units.append(n)
            else:
                self.drop([n], DropReason.EMPTY)

    def block_lines(self, block: Block) -> list[int]:
        return list(range(block.start, block.end + 1))

    def see_also_sections(self, blocks: list[Block]) -> set[int]:
        """First lines of the blocks of sections that point elsewhere ("Related topics",
        "Смотрите также") with nothing but links under their heading or their "See also"
        paragraph, and of "See also: [a](a.md), [b](b.md)" paragraphs: they end the entry
        before them instead of being a note of links alone, or a footer dropped with the
        links. "Related" and "Links" alone are footers (a vault's navigation), dropped as
        before."""
        found: set[int] = set()
        for index, block in enumerate(blocks):
            if block.kind == "paragraph":
                head, colon, rest = block.text.replace("\n", " ").partition(":")
                if colon and rest.strip() and _SEE_ALSO_WORDS.fullmatch(title_text(head)):
                    if see_also(title_text(head), rest):  # "See also: [a](a.md), …"
                        found.add(block.start)
                    continue
                if not _SEE_ALSO_WORDS.fullmatch(title_text(block.text)):
                    continue
            elif block.kind != "heading" or (
                self.is_footer(block) and not _SEE_ALSO_WORDS.fullmatch(title_text(block.text))
            ):
                continue
            end = next(
                (i for i in range(index + 1, len(blocks)) if blocks[i].kind == "heading"),
                len(blocks),
            )
            section = blocks[index + 1 : end]
            if not section or any(b.start in self.boxed for b in section):
                continue
            text = "\n".join(self.lines[section[0].start - 1 : section[-1].end])
            if see_also(title_text(block.text), text):
                found.update(b.start for b in blocks[index:end])
        return found

    def is_footer(self, block: Block) -> bool:
        if block.kind == "heading":
            return bool(_FOOTER.match(block.text))
        if block.kind == "paragraph":
            text = block.text.replace("\n", " ")
            return bool(_FOOTER.match(text.strip("*_ :")) or _footer_links(block.text))
        return False

    # --- blocks -----------------------------------------------------------------
    def block(self, block: Block) -> None:
        if block.kind in ("heading", "label"):
            self.heading(block)
        elif block.kind == "paragraph":
            self.paragraph(block)
        elif block.kind == "list":
            self.a_list(block)
        elif block.kind == "html":
            self.html(block)
        elif block.kind == "hr":
            self.drop(self.block_lines(block), DropReason.BOILERPLATE, "separator")
        elif block.kind == "quote" and block.start in self.callouts:
            self.callout(self.callouts[block.start])
        elif block.kind == "table" and self.toc_table(block):
            self.drop(self.block_lines(block), DropReason.BOILERPLATE, "table of contents")
        elif block.kind == "table" and self.question_table(block):
            return
        else:
            self.content(self.block_lines(block))

    def callout(self, asked: CalloutQuestion) -> None:
        """A callout that asks (``> [!question]- Why …?``, the answer folded inside): a
        question of its own, its body the answer, the quote markers taken off. The entry
        being read goes on after it, as Obsidian shows the callout inside the note."""
        kept: list[int] = []
        for n in asked.body:
            if self.private(n):
                self.drop([n], DropReason.PRIVATE, "matches a privacy pattern")
            else:
                kept.append(n)
        body = answer_of(kept, self.lines)
        units = (asked.line, *kept)
        tags = [tag for _level, tags in self.section_tags for tag in tags]
        self.result.entries.append(
            RawEntry(
                title=asked.title,
                body=body,
                kind="question",
                topic=self.topic(7) or self.front.topic,
                tags=list(dict.fromkeys([*self.front.tags, *tags])),
                units=units,
                lines=(min(units), max(units)),
                answered=bool(body.strip()) and not is_placeholder(body),
            )
        )

    def toc_table(self, block: Block) -> bool:
        """A table whose rows each link into this page, or hold a number and one link:
        a table of contents; rows that only name a part (``| | **Core React** |``) may
        come between them."""
        text = "\n".join(self.lines[n - 1] for n in self.block_lines(block))
        if "](" not in text:
            return False
        rows = _table_rows(text)
        linking = sum(_toc_row(cells) for cells in rows)
        return linking > 0 and all(_toc_row(cells) or _part_row(cells) for cells in rows)

    def question_table(self, block: Block) -> bool:
        """A table with a column of questions (``| Sno | Question Title | Practice Links |
        Difficulty | Topics |``, ``| Question | Answer |``), outside an answer: each row
        a question, answered by an answer column or else a draft; a difficulty column
        gives its difficulty, a topic or tag column its tags; the other cells go to its
        body as ``**Column:** text``, links as ``See:`` lines. A row that asks a
        question answered above is that question's line in a quick reference, dropped
        with why."""
        if self.current is not None and self.current.kind == "question":
            return False  # a table in an answer is part of it
        table = _question_columns(
            "\n".join(self.lines[n - 1] for n in self.block_lines(block)), block.start
        )
        if table is None:
            return False
        self.close()
        self.drop(table.head, DropReason.BOILERPLATE, "table header")
        asked = {_folded(entry.title) for entry in self.result.entries}
        for row in table.rows:
            if not row.title or _folded(row.title) in asked:
                why = "a quick reference to a question above" if row.title else "empty row"
                self.drop([row.line], DropReason.BOILERPLATE, why)
                continue
            self.start(row.title, "question", 8, [row.line], row.difficulty)
            assert self.current is not None
            self.current.tags.extend(tag for tag in row.tags if tag not in self.current.tags)
            parts = [part for text in row.body for part in ("", text)][1:]  # paragraphs
            self.current.body = [(row.line, text) for text in parts]
            self.current.answered = bool(row.answer)
            self.close()
        return True

    def heading(self, block: Block) -> None:
        title = _heading_title(block)
        clean, difficulty = _difficulty(_clean_title(title))
        current = self.current
        if current is not None and current.item and block.item == current.item:
            self.content(self.block_lines(block))  # "#### When to Use" in the answer's item
            return
        tags = _tags_of(block)
        if tags is not None:
            self.tag_heading(block, tags)
            return
        if _NUMBERED_LABEL.fullmatch(clean.strip()):  # "## Question 3": its question follows
            self.close()
            self.pop_headings(block.level)
            self.start(clean.strip(), "question", block.level, self.block_lines(block), difficulty)
            assert self.current is not None
            self.current.untitled = True
            return
        inside = current is not None and current.kind == "question" and current.level < block.level
        numbered = (
            (block.level >= 3 or block.level in self.numbered_levels)
            and bool(_NUMBER.match(title))
            and not inside
        )
        # under a question heading, "### Why It Matters" is a part of its answer; a
        # deeper heading asks a question of its own only with a question mark
        asks = is_question(clean) and (not inside or clean.rstrip().endswith(("?", "？")))
        if asks or numbered or _labelled(title) or _ASKED_AT.search(title):
            if self.same_card(clean):
                assert current is not None
                current.units.extend(self.block_lines(block))
                return
            self.close()
            self.pop_headings(block.level)
            self.start(clean, "question", block.level, self.block_lines(block), difficulty)
            assert self.current is not None
            self.current.item = block.item
            self.current.written = title if title != clean else ""  # "#2-what-is-x" leads here
            return
        if block.start in self.toc_headings:
            self.drop(self.block_lines(block), DropReason.BOILERPLATE, "table of contents")
            return
        if (
            current is not None
            and current.level < block.level
            and (current.has_content() or current.kind == "question")
            and not (current.kind == "note" and block.start in self.asking)
        ):  # a subsection of the answer or note being read
            self.content(self.block_lines(block))
            return
        self.close()
        self.item_questions = None
        self.pop_headings(block.level)
        self.headings.append((block.level, title))
        if block.level == 1 and block.start == self.first_h1_line and self.front.title:
            title = markdown_escaped(self.front.title)  # the page's own title names its note
        self.start(title, "note", block.level, self.block_lines(block), None)
        part = block.start in self.asking and block.start != self.first_h1_line
        if part and self.current is not None:
            self.current.topic = title  # the preamble of a part goes with its questions
        if block.start == self.first_h1_line and self.current is not None:
            self.current.aliases = list(self.front.aliases)

    def tag_heading(self, block: Block, tags: list[str]) -> None:
        """A heading made only of tags (``# #ml``, ``## #todo #review``): no topic and no
        question. Its line is dropped; its tags go to the entries of its section (the one
        being read too, when the heading sits inside it)."""
        shown = " ".join(f"#{tag}" for tag in tags)
        self.drop(self.block_lines(block), DropReason.BOILERPLATE, f"tag heading: {shown}")
        current = self.current
        if (
            current is not None
            and current.level < block.level
            and (current.has_content() or current.kind == "question")
        ):
            current.tags.extend(tags)
        else:
            self.close()
            self.item_questions = None
            self.pop_headings(block.level)
        self.section_tags.append((block.level, tags))

    def tag_line(self, numbers: list[int], tags: list[str]) -> None:
        """A paragraph made only of tags (``#statistics #probability``, as Obsidian
        writes them under a note's title): no text. Its lines are dropped; its tags go to
        the entry being read and to every entry of its section after it (of the whole
        document above the first heading)."""
        shown = " ".join(f"#{tag}" for tag in tags)
        self.drop(numbers, DropReason.BOILERPLATE, f"tag line: {shown}")
        current = self.current
        if current is not None:
            current.tags.extend(tag for tag in tags if tag not in current.tags)
        self.section_tags.append((current.level if current is not None else 0, tags))

    def pop_headings(self, level: int) -> None:
        """A heading of ``level`` ends the sections at that level and below: their
        headings no longer name a topic, their tag headings no longer tag."""
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        while self.section_tags and self.section_tags[-1][0] >= level:
            self.section_tags.pop()

    def paragraph(self, block: Block) -> None:
        numbers = self.block_lines(block)
        tags = line_tags(block.text)
        if tags is not None:
            self.tag_line(numbers, tags)
            return
        current = self.current
        if current is not None and current.untitled and not current.has_content():
            current.untitled = False  # "**How does Python manage memory?**" names it
            asked = _bold_question(self.lines[block.start - 1])
            text = asked[0] if asked else " ".join(block.text.split()).strip("*_ ")
            current.title, current.units = _clean_title(text), [*current.units, *numbers]
            return
        if current is not None and current.kind == "question" and not current.has_content():
            level, tags = _card_facts(block.text)  # "**Difficulty:** 🟡 Medium | **Tags:** …"
            current.difficulty = current.difficulty or level
            current.tags.extend(tag for tag in tags if tag not in current.tags)
        if navigation_line(block.text):
            self.drop(numbers, DropReason.BOILERPLATE, "navigation links")
            return
        label = _CARD_LABEL.match(block.text.strip())
        if label or self.skip_id:
            self.skip_id = label is not None and label.group(1).casefold() == "id"
            self.drop(numbers, DropReason.BOILERPLATE, "card label")
            return
        if block.start in self.asked:
            self.new_question(" ".join(block.text.split()), numbers, None)
            return
        first = self.lines[block.start - 1]
        bold = _bold_question(first)
        if bold and not (self.current and self.current.kind == "question" and self.expect_answer()):
            title, difficulty = bold
            self.new_question(title, [block.start], difficulty)
            self.content(numbers[1:])
            return
        for n in numbers:
            self.line(n)

    def expect_answer(self) -> bool:
        """A bold line is part of the open question's answer: in a file that is one
        ``Q:``/``A:`` card, everything after the ``A:`` answers (``**When PCA fails:**``
        heads a part of it)."""
        current = self.current
        return self.one_card and current is not None and current.after_label

    def line(self, n: int) -> None:
        text = self.lines[n - 1]
        if _GITBOOK.match(text):
            self.drop([n], DropReason.BOILERPLATE, "GitBook tag")
            return
        if _DATAVIEW.match(text):
            self.drop([n], DropReason.BOILERPLATE, "Dataview field")
            return
        label = _Q_LABEL.match(text)
        if label:
            rest = text[label.end() :]
            answer = _A_INLINE.search(rest)
            title = rest[: answer.start()] if answer else rest
            named = self.card_heading()
            self.new_question(title.strip().strip("*_").strip(), [n], None)
            assert self.current is not None
            if named is not None:
                self.current.units[:0] = named.units
                self.current.tags[:0] = [t for t in named.tags if t not in self.current.tags]
                if named.title.casefold().strip(" ?") != self.current.title.casefold().strip(" ?"):
                    self.current.aliases.append(named.title)
            self.current.needs_label = self.labelled and not answer
            if answer:
                self.current.body.append((n, rest[answer.end() :]))
            return
        label = _A_LABEL.match(text)
        if label and self.private(n):
            self.drop([n], DropReason.PRIVATE, "matches a privacy pattern")
            return
        if label and self.current is not None and self.current.kind == "question":
            self.current.needs_label = False
            self.current.after_label = True
            self.current.units.append(n)
            if self.current.has_content():  # prompts under the Q: ("- When to use it")
                self.current.body.append((n, text))  # the label keeps them from the answer
            elif text[label.end() :].strip():
                self.current.body.append((n, text[label.end() :]))
            return
        self.content([n])

    def card_heading(self) -> _Open | None:
        """The open entry, taken off, when it is only the H1 of a file that holds one
        ``Q:`` question: the card's name (``# What is a Model?`` over ``**Q:** What is a
        model in machine learning?``, ``# Stratified K-Fold`` over its ``Q:``), which is
        neither a question nor a topic of its own. Its lines go to the question and its
        title, when another, becomes an alias; else ``None``."""
        current = self.current
        if (
            not self.one_card
            or current is None
            or current.has_content()
            or current.units[:1] != [self.first_h1_line]
        ):
            return None
        self.current = None
        self.pop_headings(current.level)
        return current

    def new_question(self, title: str, units: list[int], difficulty: str | None) -> None:
        title, emoji = _difficulty(_clean_title(title))
        if self.same_card(title):
            assert self.current is not None
            self.current.units.extend(units)
            return
        self.close()
        self.start(title, "question", 7, units, difficulty or emoji)

    def same_card(self, title: str) -> bool:
        """The open question is this one, asked again (an H1 that repeats the ``Q:``)."""
        current = self.current
        return (
            current is not None
            and current.kind == "question"
            and not current.has_content()
            and current.title.casefold().strip(" ?") == title.casefold().strip(" ?")
        )

    def a_list(self, block: Block) -> None:
        if block.items and all(_toc_link(item.text) for item in block.items):
            self.drop(self.block_lines(block), DropReason.BOILERPLATE, "table of contents")
            return
        current = self.current
        section_start = current is None or (current.kind == "note" and not current.has_content())
        asked = current is not None and current.kind == "question" and not current.has_content()
        if asked and self.options_list(block):
            return
        if (
            section_start or self.item_questions == block.ordered or self.marked(block)
        ) and self.question_list(block, answers=asked):
            return
        self.content(self.block_lines(block))

    def question_list(self, block: Block, answers: bool = False) -> bool:
        """Each item a question: a list of questions, or numbered exam topics. Right
        under a question not yet answered (``answers``), only a list whose items ask:
        "**Which metrics do you know?**" over "1. Mean Squared Error" is answered by it,
        even in a document that numbers its questions."""
        texts = [re.sub(r"<[^>]+>", "", item.text) for item in block.items]
        groups = {
            i: inner
            for i, item in enumerate(block.items)
            if not _item_asks(texts[i].split("\n", 1)[0]) and (inner := self.nested_questions(item))
        }
        asks = sum(1 for i, text in enumerate(texts) if i in groups or _item_asks(text))
        if answers and asks * 2 <= len(texts):
            return False
        cue = self.item_questions is not None or any(
            _CUE.search(title) for _level, title in self.headings
        )
        answered = all(item.more for item in block.items)
        if not (asks * 2 > len(texts) or (block.ordered and (cue or answered))):
            return False
        if self.current is not None:
            self.close()
        for i, item in enumerate(block.items):
            if i in groups:
                self.group_questions(item, groups[i])
            else:
                self.item_question(item)
        self.item_questions = block.ordered
        return True

    def marked(self, block: Block) -> bool:
        """Most questions of the list, its items' or those nested in them, carry a
        difficulty mark (``1. [E] What …?``): a list of questions wherever it stands,
        after a section's introduction too."""
        text = "\n".join(self.lines[block.start - 1 : block.end])
        if not _MARK_HINT.search(text):  # most lists: no parse
            return False
        doc = parse(text)
        heads = []
        for li in doc.list_items:
            line = doc.text[doc.line_starts[li.line - 1] :].split("\n", 1)[0]
            heads.append(line[content_column(li, line) :])
        asking = [head for head in heads if _item_asks(head)]
        return bool(asking) and 2 * sum(1 for h in asking if difficulty_mark(h)[1]) > len(asking)

    def nested_questions(self, item: Item) -> list[ListItem]:
        """The items of the list nested in ``item`` (lines of the file) when most of
        them ask: "1. Dot product" over "1. [E] What's the geometric interpretation …?",
        or a problem statement over the questions it sets. Else none."""
        if item.end == item.start:
            return []
        doc = parse("\n".join(self.lines[item.start - 1 : item.end]))
        # with the "15. …" lines the parser reads as text (no list starting at 15 may
        # interrupt a paragraph), as a reader numbering on from the last group sees them
        found = item_lines(doc)
        top = found.get(1)
        columns = [li.column for n, li in found.items() if top and n > 1 and li.column > top.column]
        inner = [li for n, li in found.items() if n > 1 and columns and li.column == min(columns)]
        shift = item.start - 1
        inner = [li._replace(line=li.line + shift, end_line=li.end_line + shift) for li in inner]
        asks = sum(1 for li in inner if _item_asks(self.item_head(li)))
        return inner if inner and asks * 2 > len(inner) else []

    def item_head(self, li: ListItem) -> str:
        """The first line of a nested item's text, its marker taken off."""
        line = self.lines[li.line - 1]
        return line[content_column(li, line) :].strip()

    def group_questions(self, item: Item, inner: list[ListItem]) -> None:
        """Each nested item a question of its own (a draft unless text follows it); the
        group's own text, when it states a problem rather than naming a subtopic, opens
        each one's body so the question can be read alone."""
        self.close()
        head = range(item.start, inner[0].line)
        own = [n for n in head if self.lines[n - 1].strip()]
        context = " ".join(" ".join(item.text.split("\n")[: len(head)]).split())
        states = len(context.split()) > 3  # "Dot product", "GANs.": a subtopic's name
        for index, li in enumerate(inner):
            title, difficulty = _difficulty(_clean_title(self.item_head(li)))
            self.start(title, "question", 8, [*own, li.line] if index == 0 else [li.line], None)
            assert self.current is not None
            self.current.difficulty = difficulty
            last = item.end if index == len(inner) - 1 else inner[index + 1].line - 1
            self.content(list(range(li.line + 1, last + 1)))
            if not self.current.has_content():
                self.current.answered = False
            if states:
                self.current.body.insert(0, (li.line, f"*{context}*\n"))
            self.close()
        self.drop([n for n in head if n not in own], DropReason.EMPTY)

    def item_question(self, item: Item) -> None:
        self.close()
        title, difficulty = _difficulty(_clean_title(_TASK.sub("", _strip_marker(item.text))))
        self.start(title.split("\n")[0], "question", 8, [item.start], difficulty)
        rest = [n for n in range(item.start + 1, item.end + 1)]
        head_lines = item.text.count("\n")
        assert self.current is not None
        self.current.units.extend(rest[:head_lines])
        self.content(rest[head_lines:])

    def options_list(self, block: Block) -> bool:
        """Options of a multiple-choice question: kept under a label, not an answer."""
        current = self.current
        assert current is not None
        items = block.items
        marked = [item for item in items if _MARKED.search(item.text)]
        short = all(not item.more and len(item.text) <= 80 for item in items)
        choice = _MC_TITLE.match(current.title) and short and len(items) >= 2
        if not (marked or (choice and self.mc_series())):
            return False
        lines = [(n, self.lines[n - 1]) for n in self.block_lines(block)]
        current.units.extend(n for n, _t in lines)
        options = [
            (item.start, "- " + _MARKED.sub("", _TASK.sub("", item.text)).strip()) for item in items
        ]
        head = [(block.start, "**Options:**"), (block.start, "")]
        if marked:
            answer = "; ".join(_MARKED.sub("", _TASK.sub("", i.text)).strip() for i in marked)
            head = [(block.start, f"**Answer:** {answer}"), (block.start, ""), *head]
            current.answered = True
        else:
            current.answered = False
        current.body.extend([*head, *options])
        return True

    def mc_series(self) -> bool:
        """More than one question of this source asks to choose: a quiz."""
        return (
            sum(1 for line in self.lines if _MC_TITLE.match(_clean_title(line.lstrip("#* ")))) >= 2
        )

    def html(self, block: Block) -> None:
        numbers = self.block_lines(block)
        if _COMMENT.match(block.text):
            self.drop(numbers, DropReason.BOILERPLATE, "HTML comment: hidden in the rendered page")
        elif _SPACER.match(block.text):
            self.drop(numbers, DropReason.BOILERPLATE, "spacer")
        elif _SCRIPT.match(block.text):
            self.drop(numbers, DropReason.BOILERPLATE, "script")
        elif (
            (summary := _SUMMARY.search(block.text))
            and _CONTENTS.search(summary.group(1))
            and not is_question(re.sub(r"<[^>]+>", "", summary.group(1)))
        ):
            self.drop(numbers, DropReason.BOILERPLATE, "table of contents")
        elif (summary := _SUMMARY.search(block.text)) and self.asks(summary.group(1)):
            title = re.sub(r"<[^>]+>", "", summary.group(1))
            at = block.start + block.text[: summary.start()].count("\n")
            head = [n for n in numbers if n <= at or _DETAILS_TAG.match(self.lines[n - 1])]
            self.new_question(title, head, None)
            self.content([n for n in numbers if n not in head], html=True)
        elif all(
            _DETAILS_TAG.match(self.lines[n - 1]) or _SUMMARY.search(self.lines[n - 1])
            for n in numbers
            if self.lines[n - 1].strip()
        ):
            if self.current is not None:
                self.current.units.extend(numbers)
            else:
                self.drop(numbers, DropReason.BOILERPLATE, "HTML tag")
        else:
            self.content(numbers)

    def asks(self, summary: str) -> bool:
        """A ``<summary>`` that starts a question: not "Answer", and inside an open
        question's answer only when it is itself shaped as a question."""
        text = re.sub(r"<[^>]+>", "", summary).strip()
        if _ANSWER_LABEL.match(text):
            return False
        inside = self.current is not None and self.current.kind == "question"
        return is_question(text) or not inside

    # --- entries ----------------------------------------------------------------
    def start(
        self, title: str, kind: str, level: int, units: list[int], difficulty: str | None
    ) -> None:
        self.current = _Open(title, kind, level, self.topic(level), list(units), [], difficulty)
        self.current.tags = [tag for _level, tags in self.section_tags for tag in tags]

    def topic(self, level: int) -> str | None:
        """The nearest heading above that names a subject: "SQL", or what is left of
        "Вопросы по статистике" / "Python interview questions" without the words that
        say the document holds questions, or "Databases — 2 questions" without its count."""
        for heading_level, heading in reversed(self.headings):
            if heading_level < level:
                title = without_count(heading)  # "Databases — 2 questions": Databases
                if not _DOC_WORDS.search(title):
                    return title
                stripped = _DOC_WORDS.sub("", title).strip(" -:—&")
                stripped = _LEADING_LINK.sub("", stripped)
                if not _LINKING_WORDS.fullmatch(stripped):
                    return stripped
        return None

    def content(self, numbers: list[int], *, html: bool = False) -> None:
        for n in numbers:
            text = self.lines[n - 1]
            if not text.strip():
                self.blank(range(n, n + 1))
                continue
            if self.private(n):
                self.drop([n], DropReason.PRIVATE, "matches a privacy pattern")
                continue
            if html:
                text = re.sub(r"</?(?:div|p|details)\b[^>]*>", "", text)
                if not text.strip():
                    if self.current is not None:
                        self.current.units.append(n)
                    else:
                        self.drop([n], DropReason.BOILERPLATE, "HTML tag")
                    continue
            if self.current is None:
                self.start(self.document_title(), "note", 0, [], None)
                assert self.current is not None
                self.current.aliases = list(self.front.aliases)
            self.current.units.append(n)
            self.current.body.append((n, text))

    def first_line_as_title(self, current: _Open) -> str:
        """A question headed only by its number (``#### 1.`` of an exam) is titled by
        the first line of its text, which leaves its body; with no such line (only code),
        by the document and the number: ``Past exams — 3``."""
        title, rest = _first_line_title(current.body)
        if title:
            current.body = rest
            return title
        number = current.written.strip().rstrip(".)")
        return f"{self.document_title()} — {number}" if number else ""

    def document_title(self) -> str:
        """The front matter's title, the H1, or the file's name (a README's folder's), as
        Markdown like every title read here (:func:`kbtool.titles.title_text`)."""
        if self.front.title:
            return markdown_escaped(self.front.title)
        named = self.path.parent.name if self.path.stem.upper() == "README" else ""
        return self.first_h1 or markdown_escaped(named or self.path.stem)

    def close(self) -> None:
        current, self.current = self.current, None
        if current is None:
            return
        while current.body and not current.body[-1][1].strip():
            n = current.body.pop()[0]
            current.units.remove(n)
            self.drop([n], DropReason.EMPTY)
        if current.kind == "note" and not current.has_content():
            self.drop(current.units, DropReason.BOILERPLATE, f"grouping heading: {current.title}")
            return
        if current.kind == "question" and not current.title.strip():
            current.title = self.first_line_as_title(current)
        body = textwrap.dedent("\n".join(text for _n, text in current.body)).strip("\n")
        if self.front.links and (current.level == 0 or current.units[:1] == [self.first_h1_line]):
            body = "\n\n".join([body, *self.front.links])
        answered = current.answered
        if answered is None:
            answered = bool(body.strip()) and not is_placeholder(body) and not current.needs_label
        units = sorted(set(current.units))
        self.result.entries.append(
            RawEntry(
                title=current.title or self.document_title(),
                body=body,
                kind=current.kind,
                topic=current.topic or self.front.topic,
                tags=list(dict.fromkeys([*self.front.tags, *current.tags])),
                units=tuple(units),
                lines=(units[0], units[-1]) if units else None,
                answered=answered if current.kind == "question" else True,
                difficulty=current.difficulty,
                aliases=current.aliases,
                headings=[current.written] if current.written else [],
            )
        )


# A question written as a paragraph of its own is short: one or two lines of a
# questionnaire or of plain-text Q&A, not an answer's paragraph that happens to end with "?"
_ASKED_LINES = 2
_ASKED_CHARS = 300


def _asked_paragraphs(blocks: list[Block]) -> set[int]:
    """First lines of the paragraphs that are questions by themselves: in a section (the
    text between two headings) that holds two or more, each short and asking (``?``).
    Plain-text Q&A ("What is a p-value?", then its answer's paragraphs, then the next
    question) and questionnaires (questions with room left for the answers) are written
    so; prose asks its questions inside longer paragraphs, a single question is no
    series, and the text under a question heading is its answer, whatever it asks."""
    found: set[int] = set()
    section: list[Block] = []
    answering = 0  # level of the question heading whose answer is being read; 0: none
    for block in [*blocks, Block("heading", 0, 0)]:
        if block.kind != "heading":
            section.append(block)
            continue
        asking = [b.start for b in section if _asks_alone(b)]
        if len(asking) >= 2 and not answering:
            found.update(asking)
        section = []
        if answering and block.level <= answering:
            answering = 0
        if not answering and _asking_heading(block):
            answering = block.level
    return found


def _numbered_question_levels(blocks: list[Block]) -> set[int]:
    """Heading levels whose numbered headings (``## 1. What is …?``) mostly ask, three
    at least: there a numbered heading that does not ask (``## 6. Discuss the use of
    groupby``) is a question too, as deeper numbered headings always are."""
    counts: dict[int, list[int]] = {}  # level -> [asking, numbered]
    for block in blocks:
        title = _heading_title(block) if block.kind == "heading" else ""
        if title and _NUMBER.match(title):
            count = counts.setdefault(block.level, [0, 0])
            count[0] += is_question(_clean_title(title))
            count[1] += 1
    return {level for level, (asks, total) in counts.items() if total >= 3 and 2 * asks > total}


def _asking_heading(block: Block) -> bool:
    title = _heading_title(block)
    return block.level > 0 and (
        is_question(_clean_title(title)) or _labelled(title) or _ASKED_AT.search(title) is not None
    )


def _asks_alone(block: Block) -> bool:
    text = " ".join(block.text.split())
    return (
        block.kind == "paragraph"
        and not block.item
        and block.end - block.start < _ASKED_LINES
        and len(text) <= _ASKED_CHARS
        and "?" in text
        and is_question(text)
    )


def _first_line_title(body: list[tuple[int, str]]) -> tuple[str, list[tuple[int, str]]]:
    """The title of a question whose heading is only its number (``#### 1.``): the first
    line of its text when that is prose (not code, a list, a table or a picture), and the
    rest of the text; else no title and the text as it is."""
    doc = parse("\n".join(text for _n, text in body))
    first = next((b for b in doc.blocks if b.depth == 0), None)
    if first is None or first.kind != "paragraph":
        return "", body
    index = first.line - 1
    return body[index][1].strip(), body[:index] + body[index + 1 :]


def _strip_marker(text: str) -> str:
    return text.strip()


def _links(text: str) -> tuple[Document, list[Link]]:
    """The document of a block's inline text and its Markdown links and wikilinks."""
    doc = parse(text)
    return doc, [link for link in doc.links if link.kind in ("link", "wikilink")]


def _outside(doc: Document, links: list[Link]) -> tuple[str, str]:
    """The text before the first link and after the last (one link: around it)."""
    first, _ = doc.extent(links[0])
    _, last = doc.extent(links[-1])
    return doc.text[:first], doc.text[last:]


def _footer_links(text: str) -> bool:
    """A footer word and a colon, then nothing but links, wikilinks and tags
    ("Related: [[a]], [b](b.md), #tag")."""
    if (":" not in text and "：" not in text) or not _FOOTER_STEM.search(text):
        return False
    doc, links = _links(text)
    rest: list[str] = []
    last = 0
    for link in links:
        start, end = doc.extent(link)
        rest.append(text[last:start] + " ")
        last = end
    rest.append(text[last:])
    remainder = "".join(rest).replace("\n", " ")
    return bool(_FOOTER_REST.match(remainder)) and bool(links or "#" in remainder)


def _toc_link(text: str) -> bool:
    """A list item's text that is one link to a heading of the page (maybe numbered)."""
    if "](" not in text:
        return False
    doc, links = _links(text)
    if len(links) != 1 or not _to_heading(links[0]):
        return False
    before, after = _outside(doc, links)
    return bool(_NUMBERED.fullmatch(before) and _NOT_WORDS.fullmatch(after))


def _to_heading(link: Link) -> bool:
    """A link with a label to a fragment of this page: ``[text](#heading)``."""
    fragment = link.target[1:]
    return (
        link.kind == "link"
        and link.target.startswith("#")
        and bool(fragment)
        and not any(c.isspace() for c in fragment)
        and bool(link.text)
    )


class _QuestionRow(NamedTuple):
    line: int
    title: str  # Markdown, as the cell holds it
    difficulty: str | None
    tags: list[str]
    answer: str  # the answer column's cell, if the table has one
    body: list[str]  # the answer, then "**Column:** text" and "See: [text](url)" lines


class _QuestionTable(NamedTuple):
    head: list[int]  # the header and delimiter lines
    rows: list[_QuestionRow]


# a table's column of questions, and the columns that say more about each
_QUESTION_COLUMN = re.compile(r"(?:question|вопрос)\w*(?:\s+(?:title|text))?", re.I)
_DIFFICULTY_COLUMN = re.compile(r"difficulty|level|сложность|уровень", re.I)
_TAGS_COLUMN = re.compile(r"topics?|tags?|темы?|теги", re.I)
_ANSWER_COLUMN = re.compile(r"answers?|ответы?|solutions?|решени[ея]", re.I)
_NUMBER_COLUMN = re.compile(r"#|№|no\.?|n|sno|s\.\s?no\.?|num(?:ber)?|id", re.I)
_LEVEL_MARK = re.compile(r"(?:\*\*|__)?\[(easy|medium|hard)\](?:\*\*|__)?\s*", re.I)


def _question_columns(text: str, first_line: int) -> _QuestionTable | None:
    """The rows of a table with a question column (two rows at least), else None."""
    header: list[str] = []
    rows: list[tuple[int, list[Token]]] = []
    part = ""
    for token in tokens(text):
        if token.type in ("thead_open", "tbody_open"):
            part = token.type
        elif token.type == "tr_open" and part == "tbody_open" and token.map:
            rows.append((first_line + token.map[0], []))
        elif token.type == "inline" and part == "thead_open":
            header.append(" ".join(token.content.split()).strip("*_ "))
        elif token.type == "inline" and rows:
            rows[-1][1].append(token)
    column = next((i for i, h in enumerate(header) if _QUESTION_COLUMN.fullmatch(h)), None)
    if column is None or len(rows) < 2:
        return None
    level_at = next((i for i, h in enumerate(header) if _DIFFICULTY_COLUMN.fullmatch(h)), None)
    tags_at = next((i for i, h in enumerate(header) if _TAGS_COLUMN.fullmatch(h)), None)
    answer_at = next((i for i, h in enumerate(header) if _ANSWER_COLUMN.fullmatch(h)), None)
    said = {column, level_at, tags_at, answer_at}
    out = []
    for line, cells in rows:
        cell = cells[column].content.strip() if column < len(cells) else ""
        marked = _LEVEL_MARK.match(cell)  # "**[HARD]** How …"
        cell = cell[marked.end() :] if marked else cell
        level = marked.group(1).casefold() if marked else None
        if level is None and level_at is not None and level_at < len(cells):
            level = _level_in(cells[level_at].content)
        tags: list[str] = []
        if tags_at is not None and tags_at < len(cells):
            tags = _listed_tags(cells[tags_at].content)
        answer = cells[answer_at].content.strip() if answer_at is not None else ""
        body = [answer] if answer else []
        for i, other in enumerate(cells):
            links = _cell_links(other)
            if i in said or not other.content.strip() or _NUMBER_COLUMN.fullmatch(header[i]):
                continue
            if links:
                body += [f"See: [{plain_text(text)}]({url})" for url, text in links]
            else:
                body.append(f"**{header[i]}:** {other.content.strip()}")
        out.append(_QuestionRow(line, cell, level, tags, answer, body))
    return _QuestionTable([first_line, first_line + 1], out)


def _cell_links(cell: Token) -> list[tuple[str, list[Token]]]:
    """(URL, text tokens) of each web link in a table cell."""
    found: list[tuple[str, list[Token]]] = []
    inside: list[Token] | None = None
    for child in cell.children or []:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            inside = [] if href.startswith(("http://", "https://")) else None
            if inside is not None:
                found.append((href, inside))
        elif child.type == "link_close":
            inside = None
        elif inside is not None:
            inside.append(child)
    return found


def _folded(title: str) -> str:
    """A title compared with another: the words a reader sees, in any case."""
    return " ".join(title_text(title).casefold().split()).strip(" ?.!")


def _table_rows(text: str) -> list[list[Token]]:
    """Each body row of the table ``text`` as the inline tokens of its cells."""
    rows: list[list[Token]] = []
    body = False
    for token in tokens(text):
        if token.type == "tbody_open":
            body = True
        elif token.type == "tr_open" and body:
            rows.append([])
        elif token.type == "inline" and body and rows:
            rows[-1].append(token)
    return rows


def _part_row(cells: list[Token]) -> bool:
    """A table row with no link and one cell of text besides a number: a part's name
    between the rows of a table of contents."""
    if any(child.type == "link_open" for cell in cells for child in cell.children or []):
        return False
    named = [c for c in cells if c.content.strip() and not c.content.strip().isdigit()]
    return len(named) == 1


def _toc_row(cells: list[Token]) -> bool:
    """A table row with a link into the page, or a number and one link (``| 3 | [Q](q) |``)."""
    links = [
        child
        for cell in cells
        for child in cell.children or []
        if child.type == "link_open" and child.info != "auto"
    ]
    if any(str(link.attrs.get("href", "")).startswith("#") for link in links):
        return True
    if len(cells) != 2 or not cells[0].content.strip().isdigit() or len(links) != 1:
        return False
    children = cells[1].children or []
    return (
        len(children) >= 3
        and children[0].type == "link_open"
        and children[-1].type == "link_close"
        and not any(c.isspace() for c in str(children[0].attrs.get("href", "")))
    )
