"""Shared reading helpers for the Markdown-like importers (qa-markdown, lecture, checklist).

They split a source into headed sections (the document's headings, so fenced code
never holds one and setext headings count), tell question-like lines from prose, and
account for blank and private lines, so every importer reports each line exactly once
in the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kbtool.importers.base import Dropped, DropReason, ImportOptions, RawEntry
from kbtool.importers.source_front_matter import FrontMatter, body_markdown, read_front_matter
from kbtool.markdown.document import PROSE_MASK, Document, Heading, parse
from kbtool.store.front_matter import split
from kbtool.titles import markdown_escaped

QUESTION_WORDS = re.compile(
    r"^(?:что|как|какие|какой|какая|каковы|каков|почему|зачем|чем|когда|где|сколько|"
    r"объясните|объясни|расскажите|расскажи|опишите|опиши|назовите|перечислите|приведите|"
    r"в чем|в чём|"
    r"what|how|why|when|which|who|where|explain|describe|name|list|compare|define|"
    r"is|are|can|does|do|should)\b",
    re.I,
)


@dataclass
class Section:
    """A heading and the lines up to the next heading (1-based, inclusive)."""

    level: int  # 0 for the preamble before the first heading
    title: str
    start: int  # first heading line (or the first line of the preamble)
    end: int
    body: list[int] = field(default_factory=list)  # body line numbers
    heading: list[int] = field(default_factory=list)  # heading lines (setext: text and underline)


def split_sections(doc: Document, first: int, last: int) -> list[Section]:
    """Sections of lines ``first``..``last`` in source order, divided by the headings
    outside quotes and lists; the preamble is a level-0 section without a heading."""
    headings = doc.section_headings
    sections = [Section(0, "", first, first - 1)]
    for number in range(first, last + 1):
        heading = headings.get(number)
        if heading is None:
            sections[-1].body.append(number)
            sections[-1].end = number
        elif number == heading.line:
            lines = list(range(heading.line, heading.end_line + 1))
            title = heading_title(doc, heading).strip()
            sections.append(Section(heading.level, title, number, heading.end_line, [], lines))
    return sections


# A difficulty mark before a question, as interview books write it ("[E] What is …?")
_MARK = re.compile(r"^\s*\[(?P<level>E|M|H|Easy|Medium|Hard)\]\s+(?=\S)", re.I)


def difficulty_mark(title: str) -> tuple[str, str | None]:
    """``title`` without a leading difficulty mark (``[E]``, ``[M]``, ``[H]``, or the
    word: Chip Huyen's ML interviews book marks its 300 questions so) and the difficulty
    it names; the mark says how hard the question is, it is not part of it."""
    found = _MARK.match(title)
    if found is None:
        return title, None
    level = {"e": "easy", "m": "medium", "h": "hard"}[found.group("level")[0].casefold()]
    return title[found.end() :], level


# how many questions a part holds, after its name: "Probability (19 questions)",
# "SQL — 10 вопросов", "Python [25 Qs]", "Probability (19)" (the importer may have
# taken "questions" out already): the count is no part of the subject
_COUNT = re.compile(
    r"\s*(?:[(\[]\s*\d+\s*(?:questions?|qs?|вопрос\w*)?\s*[)\]]|"
    r"[—–:-]\s*\d+\s*(?:questions?|вопрос\w*))\s*$",
    re.IGNORECASE,
)


def without_count(topic: str) -> str:
    """A part's name without the count of its questions (``Probability (19 questions)``:
    ``Probability``), so that the topic names the subject."""
    return _COUNT.sub("", topic) or topic


def is_question(text: str) -> bool:
    """A line that reads as a question: ends with ``?`` or starts with a question word."""
    clean = re.sub(r"[*_`\[\]]", "", difficulty_mark(text)[0]).strip()
    return clean.endswith(("?", "？")) or bool(QUESTION_WORDS.match(clean))


# An Obsidian tag: ``#`` and letters, digits, ``_``, ``-``, ``/``, not only digits
_TAG = re.compile(r"#(?=[\w/-]*[^\W\d])[\w/-]+")


def heading_tags(title: str) -> list[str] | None:
    """The tags of a heading made only of Obsidian tags (``# #ml``, ``## #todo #review``,
    ``#a, #b``; ``title`` is the text a reader sees), else None: such a heading is no
    topic and no question, it tags what is under it."""
    words = title.replace(",", " ").split()
    if not words or not all(_TAG.fullmatch(word) for word in words):
        return None
    return list(dict.fromkeys(word[1:] for word in words))


def line_tags(text: str) -> list[str] | None:
    """The tags of a paragraph made only of Obsidian tags (``#statistics
    #probability``, as written under a note's title), else None: such a paragraph is no
    text, it tags the entries of the section it stands in."""
    from kbtool.titles import title_text

    return heading_tags(title_text(" ".join(text.split()))) if "#" in text else None


def tag_paragraphs(doc: Document, lines: list[str]) -> dict[int, tuple[list[int], list[str]]]:
    """The top-level paragraphs made only of tags (:func:`line_tags`), by their first
    line: their lines and tags."""
    found: dict[int, tuple[list[int], list[str]]] = {}
    for block in doc.blocks:
        if block.kind != "paragraph" or block.depth:
            continue
        tags = line_tags(" ".join(lines[block.line - 1 : block.end_line]))
        if tags is not None:
            found[block.line] = (list(range(block.line, block.end_line + 1)), tags)
    return found


def source_lines(text: str) -> list[str]:
    """The lines of a source; a final newline does not make one more (empty) line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


NUMBERED_QUESTION = re.compile(r"^\d{1,3}[.)]\s+(\*\*|__)?(.+?)(?:\*\*|__)?\s*$")


def numbered_question(line: str) -> str | None:
    """The question of a ``1. **Question**`` or ``1. Question?`` line at column 0."""
    match = NUMBERED_QUESTION.match(line)
    if match and (match.group(1) or match.group(2).endswith("?")):
        return match.group(2)
    return None


def count_questions(doc: Document, lines: list[str]) -> int:
    """Headings that ask a question plus numbered question lines at the left margin:
    how Q&A-like a text is."""
    count = sum(
        1
        for heading in doc.headings
        if is_question(re.sub(r"^\d{1,3}(?:\)\.|\.\)|[.)])\s*", "", heading_title(doc, heading)))
    )
    for item in doc.list_items:
        if item.column == 1 and item.marker[:1].isdigit() and item.line <= len(lines):
            count += numbered_question(lines[item.line - 1]) is not None
    return count


def is_blank(line: str) -> bool:
    return not line.strip()


class PrivateLines:
    """Which lines of a Markdown source hold something private in their prose: code and
    HTML comments are left out, as lint's ``KB204 private-content`` reads an entry, so a
    ``salary`` column in an SQL example or ``alice@example.com`` in a test of a regular
    expression stays in the answer (``line`` is 1-based)."""

    def __init__(self, lines: list[str], options: ImportOptions) -> None:
        self.lines = lines
        self.options = options
        self._prose: list[str] | None = None

    def __call__(self, line: int) -> bool:
        text = self.lines[line - 1]
        if not self.options.is_private(text):  # the common case needs no parse
            return False
        if self._prose is None:
            masked = parse("\n".join(self.lines)).masked(PROSE_MASK)
            self._prose = masked.split("\n")
        return self.options.is_private(self._prose[line - 1])


class Accountant:
    """Collects dropped units so that every line is reported exactly once."""

    def __init__(self, lines: list[str], options: ImportOptions) -> None:
        self.lines = lines
        self.options = options
        self.private = PrivateLines(lines, options)
        self.dropped: list[Dropped] = []

    def drop(self, units: list[int] | tuple[int, ...], reason: DropReason, note: str = "") -> None:
        if units:
            self.dropped.append(Dropped(tuple(units), reason, note=note))

    def keep(self, units: list[int]) -> list[int]:
        """``units`` without private lines and outer blank lines (both reported as dropped).

        Blank lines inside stay with the entry: they separate its paragraphs.
        """
        private = [n for n in units if self.private(n)]
        self.drop(private, DropReason.PRIVATE, "matches a privacy pattern")
        kept = [n for n in units if n not in set(private)]
        while kept and is_blank(self.lines[kept[0] - 1]):
            self.drop([kept.pop(0)], DropReason.EMPTY)
        while kept and is_blank(self.lines[kept[-1] - 1]):
            self.drop([kept.pop()], DropReason.EMPTY)
        return kept

    def blank_or_private(self, units: list[int]) -> list[int]:
        """Drop blank and private lines of ``units``; return the rest (content lines)."""
        rest = []
        for n in units:
            line = self.lines[n - 1]
            if is_blank(line):
                self.drop([n], DropReason.EMPTY)
            elif self.private(n):
                self.drop([n], DropReason.PRIVATE, "matches a privacy pattern")
            else:
                rest.append(n)
        return rest

    def entry(
        self,
        title: str,
        units: list[int],
        body_units: list[int],
        *,
        kind: str,
        topic: str | None = None,
        answered: bool | None = None,
    ) -> RawEntry:
        """An entry made of ``units`` (heading lines included) with a body of ``body_units``;
        ``title`` is the text a reader sees (:func:`kbtool.titles.title_text`), handed on
        as the Markdown :class:`RawEntry` holds."""
        body = "\n".join(self.lines[n - 1] for n in body_units) if body_units else ""
        every = sorted(units)
        return RawEntry(
            title=markdown_escaped(title),
            body=body,
            kind=kind,
            topic=topic,
            units=tuple(every),
            lines=(every[0], every[-1]) if every else None,
            answered=answered,
        )


def read_markdown(text: str) -> tuple[Document, FrontMatter]:
    """The document of a source and its front matter (also YAML that does not load):
    the Markdown after the front matter is read as if it began the file, with the same
    line numbers, so its closing ``---`` is no setext underline."""
    lines = source_lines(text)
    front = read_front_matter(lines, strict=False)
    part = split(text) if not front.lines else None
    if part is not None and part.yaml is not None and not part.unterminated:
        front = FrontMatter(part.body, part.body_line, list(range(1, part.body_line)))
    if front.lines:
        return parse(body_markdown(front.body, front.body_line)), front
    return parse(body_markdown(text, 1)), front


# Link text of links that move around the notes rather than say anything, and (one of
# them at least) the words and arrows that only such links have.
_NAVIGATION = re.compile(
    r"back to|to top|main index|home|index|contents|previous|prev\b|next|наверх|в начало|"
    r"назад|вперёд|вперед|далее|на главную|оглавлени|содержани|[⬆↑←→⬅➡🏠]",
    re.I,
)
_MOVES = re.compile(r"back to|to top|наверх|в начало|назад|на главную|[⬆↑←→⬅➡🏠]", re.I)
_DECORATION = re.compile(r"\W*")
# a link to the notes' front page: "[Оглавление](../README.md)", "[Contents](index.md)"
_HOME = re.compile(r"(?:^|/)(?:readme|index)(?:\.md)?(?:#.*)?$|^\.\./?$", re.I)


def navigation_line(text: str) -> bool:
    """A paragraph of nothing but links that move around the notes and the marks
    between them: "[⬆️ Back to Top](#contents) | [🏠 Back to Main Index](./README.md)",
    "[← Previous](a.md) · [Next →](b.md)", "[Оглавление](../README.md)" above a page's
    title. Not notes: importers drop it, reported."""
    if "](" not in text and "[[" not in text:
        return False
    doc = parse(text)
    links = [link for link in doc.links if link.kind in ("link", "wikilink", "reference")]
    if not links:
        return False
    last = 0
    for link in links:
        start, end = doc.extent(link)
        if not _DECORATION.fullmatch(doc.text[last:start]):
            return False
        if not _NAVIGATION.search(link.text or link.target):
            return False
        last = end
    return bool(_DECORATION.fullmatch(doc.text[last:])) and any(
        link.target.startswith("#")
        or _MOVES.search(link.text or link.target)
        or _HOME.search(link.target)
        for link in links
    )


def unlabelled(title: str) -> str:
    """A question's title without the ``Q:`` label before it (``### Q: What is X?``,
    ``**Question 3.** Why?``): the label says what the entry already is.

    Only a title that starts with a label's word (bold or not) is parsed for one: a
    label is that word at the start of the line's text (:mod:`kbtool.markdown.labels`),
    and import asks this of every heading of every file."""
    from kbtool.markdown.labels import labels

    asks = (title[:1].isalpha() or title[:1] in "*_") and _LABEL_WORD.match(title)
    found = labels(title) if asks else ()
    if found and found[0].role == "question" and found[0].line == 1 and found[0].rest.strip():
        return found[0].rest.strip()
    return title


def _label_word() -> re.Pattern[str]:
    from kbtool.markdown.labels import ANSWER_WORDS, QUESTION_WORDS

    words = sorted((*QUESTION_WORDS, *ANSWER_WORDS), key=len, reverse=True)
    return re.compile(rf"[*_]*(?:{'|'.join(words)})", re.I)


# what a title with a label starts with: the label's word, after the bold that may open it
_LABEL_WORD = _label_word()


def heading_title(doc: Document, heading: Heading) -> str:
    """A heading's Markdown as written, its lines joined: :func:`kbtool.titles.title_text`
    makes the text a reader sees of it (escapes resolved once, there)."""
    source = doc.text[heading.start : heading.end]
    return " ".join(part.strip() for part in source.split("\n"))


def body_text(lines: list[str], units: list[int]) -> str:
    return "\n".join(lines[n - 1] for n in units)


# a section that points the reader elsewhere: "See also", "Related topics", "Further
# reading", "Смотрите также", "Связанные вопросы"
_SEE_ALSO = re.compile(
    r"\W*(?:see also|related(?: \w+)?|further reading|read (?:more|also)|useful links|"
    r"смотри(?:те)? также|см\. также|читайте также|связанные(?: \w+)?|полезные ссылки)\W*",
    re.I,
)


def see_also(title: str, text: str) -> bool:
    """A section named as pointing elsewhere ("See also") whose text is nothing but links
    (a list of them, or links separated by commas): no subject of its own, it belongs to
    the note it closes."""
    if not _SEE_ALSO.fullmatch(title):
        return False
    doc = parse(text)
    found = [x for x in doc.links if x.kind in ("link", "wikilink", "reference", "autolink")]
    if not found:
        return False
    rest: list[str] = []
    last = 0
    for start, end in sorted(doc.extent(x) for x in found):
        rest.append(text[last:start])
        last = max(last, end)
    rest.append(text[last:])
    return not any(c.isalpha() for c in "".join(rest))  # list markers and commas aside
