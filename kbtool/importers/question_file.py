"""One question per file: a folder of notes, each a question and its answer.

Interview repositories and vaults often keep one file per question: the file name
(``What is ANR.md``), the H1 or the ``title:`` asks it and the rest of the file, H2/H3
sections and all, answers it. Read as lecture notes, such a file would fall apart into
one note per section; here it is one ``question``. A file fits when its title, H1 or
file name asks a question (the first of these that does is the title) and nothing
else in it is shaped as another question, or when most of the notes in its folder are
named as questions (``Activity Lifecycle.md`` next to ``What is ANR.md``): then the
folder is the collection and its name the topic. A question bank's card asks in
other ways: the paragraph right under a naming H1 (``# TCP and UDP``, then "What does
TCP guarantee …?") asks, and is the title; or the H1 sets a task (``# Debug a slow
checkout``) that a section named as an answer (``## Answer guide``, ``## Ответ``)
answers. A heading such as "What to learn next" names a part of the answer, not
another question. A ``title:`` or H1 that is not the title is kept as an alias
(wikilinks may use it); a ``difficulty:`` and a ``topic:`` are kept. Front matter, HTML comments,
private lines and blank edges are dropped with their reason, like the general
importer does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kbtool.importers.base import Dropped, DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.markdown_sections import (
    PrivateLines,
    heading_title,
    is_question,
    source_lines,
)
from kbtool.importers.sniff import markdown_prefix
from kbtool.importers.source_front_matter import FrontMatter, body_markdown, read_front_matter
from kbtool.markdown.document import Document, Heading, parse, plain_text, tokens
from kbtool.titles import markdown_escaped, title_text

NAME = "question-file"
NOTE_SUFFIXES = (".md", ".markdown")
# Above the general importer's 0.9 for front matter or setext headings (a card may have
# them) and lecture's 0.9; 0.88 when one more heading asks a question (the general
# importer makes two questions of it when it has shapes of its own).
FITS = 0.92
FITS_LESS = 0.88
QUESTION_LABEL = "question label"  # how a card asks: "# Question (EN)", then "> What …?"
MIN_COLLECTION = 3  # notes in a folder before its names say what the folder is
_NUMBERED = re.compile(r"\W*(?:\d+|[A-Za-zА-Яа-я])\s*[.):]\s")  # "1) ", "2. ", "a) "
_LEAD_CHARS = 300  # a question asked in a paragraph is short; a longer one is a scenario
# a section that answers what the file's title asks or sets as a task
_ANSWER = re.compile(
    r"\W*(?:(?:model |sample |short |expected )?answers?(?: guide)?|solutions?(?: \d+\b.*)?|"
    r"ответ|otvet|решение|пример ответа)(?:\s*\(\w{2,3}\))?\W*",  # "Ответ (RU)", "Answer (EN)"
    re.I,
)
# a section that is the whole answer, not one of several solutions: what its headings
# ask is part of it ("## Answer (EN)", then "### Why union by rank?")
_ANSWER_LABEL = re.compile(r"\W*(?:answers?|ответ|otvet)(?:\s*\(\w{2,3}\))?\W*", re.I)
# an H1 that only labels the question under it, in a bilingual card: "# Вопрос (RU)",
# then "> Что такое inline-функции?", then "# Question (EN)" and the same in English; a
# card's tool may have transliterated the Russian labels ("# Vopros (RU)", "## Otvet (RU)")
_QUESTION_LABEL = re.compile(r"\W*(?:question|вопрос|vopros)(?:\s*\(\w{2,3}\))?\W*", re.I)
# "What to learn next", "How to apply it", "Когда применять": a section's name, not a question
_SECTION = re.compile(
    r"\W*(?:(?:what|how|when|where|which|why)\s+to\b|"
    r"(?:что|как|когда|где|куда|чем)\s+\w+(?:ть|ти|чь)(?:ся)?\b)",
    re.I,
)
# a question or answer label opening a paragraph (``Q:``, ``**A:**``, ``Вопрос 3.``):
# a card of that shape is the general importer's
_LABEL = re.compile(r"^\W{0,3}(?:Q|A|Ans|Question|Answer|Вопрос|Ответ)\s*\d*\s*[:.]", re.I)


@dataclass
class _Card:
    """What one file says about itself: its title, and what asks a question in it."""

    front: FrontMatter
    doc: Document
    title: str
    asked_by: str  # "title:", "H1", "file name", "first paragraph", or "" when none asks
    heading: Heading | None  # the H1 the file opens with
    questions: int  # other headings or labelled paragraphs shaped as questions
    aliases: list[str] = field(default_factory=list)
    lead: tuple[int, int] | None = None  # lines of the paragraph that asks, when the title


class QuestionFileImporter:
    name = NAME
    description = "One question per file: its title, H1 or file name asks, the rest answers"

    def detect(self, text: str, path: Path) -> float:
        return self.fit(text, path)[0]

    def fit(self, text: str, path: Path) -> tuple[float, str]:
        """(score, reason): :data:`FITS` when the file asks one question by its title, H1
        or name, or is one of a folder of such files; :data:`FITS_LESS` when one of its
        headings asks another question."""
        prefix = markdown_prefix(text)
        if prefix is None or "\x00" in prefix[:4096] or path.suffix.lower() in (".rst", ".rest"):
            return 0.0, "not Markdown notes"
        card = _card(source_lines(prefix), path, strict=False)
        labelled = card.asked_by == QUESTION_LABEL  # its sections may ask: they answer
        if card.questions > 1 and not labelled:
            return 0.1, f"{card.questions} questions in one file"
        if not _answer_lines(card):
            return 0.1, "a title with no answer"
        if card.asked_by:
            how = (
                f"its {card.asked_by} asks {card.title!r}"
                if card.asked_by != "answer heading"
                else f"{card.title!r} has a section that answers it"
            )
            return FITS if card.questions == 0 or labelled else FITS_LESS, (
                f"one question per file: {how}, the rest is the answer"
            )
        notes, asked = collection(path.parent)
        if card.questions == 0 and notes >= MIN_COLLECTION and asked * 2 >= notes:
            return FITS, (
                f"one question per file: {asked} of the {notes} notes in "
                f"{path.parent.name}/ are named as questions"
            )
        return 0.1, "its title, H1 and file name ask no question"

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        lines = source_lines(text)
        card = _card(lines, path, strict=True, display=str(path))
        result = ParseResult(total_units=len(lines))
        front = card.front
        if front.lines:
            unused = ", ".join(front.unused)
            note = "front matter" + (f" (keys not used: {unused})" if unused else "")
            result.dropped.append(Dropped(tuple(front.lines), DropReason.BOILERPLATE, note=note))
        head = _heading_lines(card)
        hidden = _comment_lines(card)
        if hidden:
            note = "HTML comment: hidden in the rendered page"
            result.dropped.append(Dropped(tuple(hidden), DropReason.BOILERPLATE, note=note))
        body: list[int] = []
        private = PrivateLines(lines, options)
        for n in range(front.body_line, len(lines) + 1):
            if n in head or n in hidden:
                continue
            if lines[n - 1].strip() and private(n):
                note = "matches a privacy pattern"
                result.dropped.append(Dropped((n,), DropReason.PRIVATE, note=note))
                continue
            body.append(n)
        while body and not lines[body[0] - 1].strip():
            result.dropped.append(Dropped((body.pop(0),), DropReason.EMPTY))
        while body and not lines[body[-1] - 1].strip():
            result.dropped.append(Dropped((body.pop(),), DropReason.EMPTY))
        text_body = "\n".join(lines[n - 1] for n in body)
        if front.links:
            text_body = "\n\n".join([text_body, *front.links]).strip("\n")
        units = sorted([*head, *body])
        if not units:  # nothing but front matter, comments or blank lines
            return result
        notes, asked = collection(path.parent)
        folder = path.parent.name if notes >= MIN_COLLECTION and asked * 2 >= notes else None
        topic = front.topic or folder  # the card's own word first
        result.entries.append(
            RawEntry(
                title=markdown_escaped(card.title),
                body=text_body,
                kind="question",
                topic=topic,
                tags=list(front.tags),
                difficulty=front.difficulty,
                units=tuple(units),
                lines=(units[0], units[-1]) if units else None,
                aliases=card.aliases,
            )
        )
        return result


def _card(lines: list[str], path: Path, *, strict: bool, display: str = "") -> _Card:
    front = read_front_matter(lines, display=display, strict=strict)
    doc = parse(body_markdown(front.body, front.body_line))
    heading = _opening_heading(doc)
    stem = path.stem if path.suffix.lower() in NOTE_SUFFIXES else None
    labelled = heading is not None and _QUESTION_LABEL.fullmatch(heading.text) is not None
    named = [
        ("title:", front.title),
        ("H1", title_text(heading_title(doc, heading)) if heading and not labelled else None),
        ("file name", stem),
    ]
    asking = next(((by, name) for by, name in named if name and asks(name)), None)
    lead = _lead_question(doc, heading)
    if lead is not None and (asking is None or labelled):  # a label's question comes first
        asking = (QUESTION_LABEL if labelled else "first paragraph", lead[0])
    answer_heading = next(
        (h for h in doc.headings if h.level == 2 and _ANSWER.fullmatch(h.text)), None
    )
    if asking is None and answer_heading is not None:  # "# Debug latency", "## Answer guide"
        name = next((name for by, name in named if name and by != "file name"), None)
        name = name or (_slug_words(stem) if stem else None)  # nothing else names it
        asking = ("answer heading", name) if name else None
    if asking is not None:
        asked_by, title = asking
    else:
        asked_by, title = "", next((name for _by, name in named if name), path.stem)
    own = title_text(heading_title(doc, heading)) if heading and not labelled else None
    answering = _under_answers(doc)  # "### Why union by rank?" under "## Answer" answers
    questions = sum(
        1
        for h in doc.headings
        if h is not heading and h.line not in answering and _asks_another(h.text)
    )
    questions += sum(
        1
        for block in doc.blocks
        if block.kind == "paragraph" and _LABEL.match(_line(doc, block.line))
    )
    questions += _bold_questions(doc.text)
    aliases = list(front.aliases)
    for other in (front.title, own):
        if other and other != title and other not in aliases:
            aliases.append(other)  # the other name the note goes by: links may use it
    lines_of_lead = (
        lead[1] if lead is not None and asked_by in ("first paragraph", QUESTION_LABEL) else None
    )
    return _Card(front, doc, title, asked_by, heading, questions, aliases, lines_of_lead)


def _under_answers(doc: Document) -> set[int]:
    """Lines of the headings inside a section named as the answer (``## Answer (EN)``,
    ``## Ответ``): what they ask is part of the answer."""
    inside: set[int] = set()
    level = 0  # the level of the answer section we are in, 0 outside one
    for h in doc.headings:
        if level and h.level > level:
            inside.add(h.line)
            continue
        level = h.level if _ANSWER_LABEL.fullmatch(h.text) else 0
    return inside


def _slug_words(stem: str) -> str | None:
    """The words of a file name written as a slug, when a card's answer section is all
    that names it: ``q-what-is-job-object--kotlin--medium`` is "what is job object" (a
    one-letter kind before the first hyphen, attributes after a double one). None for a
    name written with spaces, which :func:`asks` reads as it is."""
    if " " in stem or "-" not in stem:
        return None
    name = re.sub(r"^[a-z]-", "", stem.split("--", maxsplit=1)[0])
    words = " ".join(name.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:] if words else None


def _opening_heading(doc: Document) -> Heading | None:
    """The H1 that names the card: the file's first block, or its only H1 when only
    sections of the answer stand above it (a bank that puts "## What to learn next"
    before ``# Enforce mutual TLS``). A paragraph above the H1, or a heading there that
    asks, makes it a document with more to say than one card."""
    if not doc.blocks:
        return None
    first = doc.blocks[0]
    tops = [h for h in doc.headings if h.level == 1 and not h.depth]
    if tops and tops[0].line == first.line:
        return tops[0]
    if len(tops) != 1 or first.kind != "heading":
        return None
    above = [h for h in doc.headings if h.line < tops[0].line]
    if any(h.level == 1 or _asks_another(h.text) for h in above):
        return None
    return tops[0]


def _lead_question(doc: Document, heading: Heading | None) -> tuple[str, tuple[int, int]] | None:
    """The question a card asks right under its H1 (``# TCP and UDP``, then "What does
    TCP guarantee that UDP does not?"), and its lines: a paragraph of its own, short as
    a question is, ending in a question mark."""
    if heading is None:
        return None
    after = [b for b in doc.blocks if b.line > heading.end_line and b.depth == 0]
    if after and after[0].kind == "blockquote" and _QUESTION_LABEL.fullmatch(heading.text):
        return _quoted_question(doc, after[0].line, after[0].end_line)
    if not after or after[0].kind != "paragraph":
        return None
    block = after[0]
    text = " ".join(_line(doc, n) for n in range(block.line, block.end_line + 1))
    if text.startswith(("**", "__")) or _LABEL.match(text):
        return None  # a bold or labelled question: the shape of a document of questions
    shown = title_text(text)
    if len(shown) > _LEAD_CHARS or not _ends_asking(shown) or _NUMBERED.match(shown):
        return None  # "1) What is a decorator?" is the first of a document's questions
    return shown, (block.line, block.end_line)


def _quoted_question(doc: Document, first: int, last: int) -> tuple[str, tuple[int, int]] | None:
    """The question a quote under a label H1 asks (``# Question (EN)``, then ``> What
    are inline functions?``): its one paragraph. The label says it is the question, so
    it need not end in a question mark nor be short ("How to test Flow operators? Cover
    virtual time and Turbine.")."""
    inline = [
        token.content
        for token in tokens(doc.text)
        if token.type == "inline" and token.map and first <= token.map[0] + 1 <= last
    ]
    if len(inline) != 1:
        return None
    shown = title_text(" ".join(inline[0].split("\n")))
    return (shown, (first, last)) if shown.strip() else None


def _ends_asking(text: str) -> bool:
    return text.rstrip(" *_").endswith(("?", "？"))


def _asks_another(heading: str) -> bool:
    """A heading of a card that asks a question of its own: "What to learn next", "When
    to use it" and "Что почитать дальше" name sections of the answer, "What is X?" asks."""
    return _ends_asking(heading) or (is_question(heading) and not _SECTION.match(heading))


def asks(name: str) -> bool:
    """A title or file name that asks a question: ``What is ANR``, ``Зачем нужна куча``,
    ``TCP or UDP?``; a lone word (``list``, ``notes``) does not."""
    return is_question(name) and (name.rstrip().endswith(("?", "？")) or len(name.split()) > 1)


def _bold_questions(text: str) -> int:
    """Paragraphs that open with bold text asking a question (``**What is X?** 🚀``)."""
    stream = tokens(text)
    count = 0
    for index, token in enumerate(stream[:-1]):
        if token.type != "paragraph_open":
            continue
        children = stream[index + 1].children or []
        if not children or children[0].type != "strong_open":
            continue
        close = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
        if close is not None and is_question(plain_text(children[1:close])):
            count += 1
    return count


def _line(doc: Document, line: int) -> str:
    starts = doc.line_starts
    end = starts[line] if line < len(starts) else len(doc.text)
    return doc.text[starts[line - 1] : end].strip()


def _heading_lines(card: _Card) -> set[int]:
    """Source lines of the H1 the file opens with (a setext one has two), and of the
    paragraph under it when that asks the question the title is."""
    spans = [(h.line, h.end_line) for h in [card.heading] if h is not None]
    spans += [card.lead] if card.lead is not None else []
    return {n for first, last in spans for n in range(first, last + 1)}


def _comment_lines(card: _Card) -> set[int]:
    """Source lines of HTML comment blocks: what the rendered page hides."""
    blocks = {(b.line, b.end_line) for b in card.doc.blocks if b.kind == "html_block"}
    return {
        n
        for span in card.doc.spans
        if span.kind == "comment" and (span.line, span.end_line) in blocks
        for n in range(span.line, span.end_line + 1)
    }


def _answer_lines(card: _Card) -> bool:
    """Whether anything but the title heading and comments has text."""
    head, hidden = _heading_lines(card), _comment_lines(card)
    shift = card.front.body_line - 1
    return any(
        line.strip() and n + shift not in head and n + shift not in hidden
        for n, line in enumerate(card.front.body.split("\n"), 1)
    )


@lru_cache(maxsize=64)
def collection(folder: Path) -> tuple[int, int]:
    """(notes, named as questions) of the Markdown notes in ``folder`` (not below it;
    hidden files and READMEs aside): whether the folder is a collection of questions."""
    try:
        names = [
            p.stem
            for p in folder.iterdir()
            if p.suffix.lower() in NOTE_SUFFIXES
            and not p.name.startswith(".")
            and not p.name.upper().startswith("README")
            and p.is_file()
        ]
    except OSError:
        return 0, 0
    return len(names), sum(1 for name in names if asks(name))
