"""Q&A Markdown documents: interview-question collections as they exist on GitHub.

Questions come as a table of contents of anchor links (``- [Q](#3)`` to
``<a id=3>`` or to GitHub heading slugs), as headings or numbered lines, as
``**Q:**``/``**A:**`` pairs, or as ``<details><summary>`` blocks. Every question
becomes an entry; one without an answer is a draft, never dropped. TOC links are
often broken (copied lists that all point to ``#1``), so TOC items are matched to
answer sections by text similarity, not by their targets. A TOC line that matches
no section and does not read as a question is a category: the topic of the
questions that follow it.

Structure — headings (setext, and inside list items too), TOC items, list items and
their markers, anchors, labels, thematic breaks, code — is the document's reading
(:mod:`kbtool.markdown.document`): a ``#`` line in a fenced block is no heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from kbtool.importers.base import DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.entry_links import link_sections
from kbtool.importers.markdown_sections import (
    Accountant,
    heading_tags,
    heading_title,
    is_blank,
    is_question,
    navigation_line,
    read_markdown,
    source_lines,
    unlabelled,
)
from kbtool.importers.sniff import markdown_prefix
from kbtool.importers.source_front_matter import FrontMatter
from kbtool.markdown.document import CODE_KINDS, Document, Link, ListItem
from kbtool.markdown.items import content_column, item_lines
from kbtool.markdown.labels import Label, labels
from kbtool.titles import markdown_escaped, title_text

_SUMMARY = re.compile(r"<summary>\s*(?:<b>|<strong>)?(.*?)(?:</b>|</strong>)?\s*</summary>", re.I)
_ANSWER_LABEL = re.compile(
    r"^\W*(?:answer|show answer|solution|ответ|показать ответ|решение)\W*$", re.I
)
_DOC_WORDS = re.compile(r"\b(?:вопросы|вопросов|questions|interview|собеседовани\w*)\b", re.I)
MATCH_THRESHOLD = 70.0
ANCHOR_THRESHOLD = 60.0


@dataclass
class _Block:
    """An answer section: where the question is and which lines answer it."""

    title: str
    anchors: frozenset[str]  # ids a TOC link may name it by (slug, ``{#id}``, ``<a id>``)
    head: int  # first line of the question
    body: list[int]
    level: int = 7  # heading level; 7 for numbered lines, Q: lines and <details>
    group: str | None = None  # the grouping heading above it (``## Basics``): a topic
    tags: list[str] = field(default_factory=list)  # of the tag headings above it (``## #ml``)
    head_end: int = 0  # last line of the question (a setext underline); ``head`` if 0
    written: str = ""  # the question as written (``2. What is X?``): what links slug

    @property
    def head_lines(self) -> list[int]:
        return list(range(self.head, max(self.head, self.head_end) + 1))


@dataclass(frozen=True)
class _Start:
    """Where a question starts: its lines, title, ids, level and what shape it has
    (heading, anchor, label, summary or numbered)."""

    line: int
    end: int
    title: str
    anchors: frozenset[str]
    level: int
    shape: str


@dataclass(frozen=True)
class _TocLine:
    text: str  # the link's text as written (Markdown: see kbtool.titles.title_text)
    target: str  # the fragment, without ``#``
    column: int = 1  # where its link starts: deeper under a question for a part of it
    page: str = ""  # the page of its own a contents line also links to ("./cd.md")


@dataclass
class _Reading:
    """What the document says, read once: TOC lines, question starts, thematic breaks,
    answer labels, and lines to read moved left (the answer under a heading nested in a
    list item)."""

    doc: Document
    front: FrontMatter
    toc: dict[int, _TocLine]
    starts: list[_Start]
    separators: set[int]
    answers: dict[int, Label]
    dedent: dict[int, int] = field(default_factory=dict)


class QaMarkdownImporter:
    name = "qa-markdown"
    description = "Q&A Markdown: TOC of anchor links, numbered/heading questions, Q:/A:, <details>"

    def detect(self, text: str, path: Path) -> float:
        prefix = markdown_prefix(text)
        if prefix is None:
            return 0.0
        reading = _read(prefix)
        shapes = [start.shape for start in reading.starts]
        toc = len(reading.toc)
        anchors = shapes.count("anchor")
        qa = shapes.count("label") + shapes.count("summary")
        questions = shapes.count("numbered") + sum(
            1
            for start in reading.starts
            if start.shape == "heading" and is_question(_strip_number(start.title))
        )
        score = 0.0
        if toc >= 3:
            score += 0.55
        if anchors >= 2 or qa >= 2:
            score += 0.6
        if questions >= 3:
            score += 0.65
        if toc < 3 and anchors < 2:  # no TOC or anchors to match: the general importer reads it
            score = min(score, 0.6)
        return min(score, 0.95)

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        lines = source_lines(text)
        reading = _read(text)
        view = [
            line[min(reading.dedent.get(n, 0), len(line) - len(line.lstrip(" "))) :]
            for n, line in enumerate(lines, 1)
        ]
        acc = Accountant(view, options)
        acc.drop(reading.front.lines, DropReason.BOILERPLATE, "front matter")
        blocks = _blocks(reading, lines)
        doc_topic = _doc_topic(reading.doc) or reading.front.title
        covered = _without_navigation(acc, reading, lines, blocks)
        toc = _questions_of(acc, reading, blocks)
        grouping = _grouping(reading, blocks)  # a line to "## Clustering" is a category
        matches = _match(
            {n: line for n, line in toc.items() if line.target not in grouping}, blocks
        )
        result = ParseResult(total_units=len(lines))
        topic = doc_topic
        used: set[int] = set()
        toc_numbers = sorted(toc)
        asked = 0  # column of the last TOC line that is a question
        for i, n in enumerate(toc_numbers):
            item = title_text(_strip_number(toc[n].text))
            block_index = matches.get(n)
            if block_index is None and asked and toc[n].column > asked and not is_question(item):
                # nested under a question, pointing at a part of its answer the source
                # names otherwise ("Metric methods" -> "#### Metric method")
                acc.drop([n], DropReason.BOILERPLATE, "TOC link to a part of an answer")
                continue
            if block_index is None and toc[n].page:
                note = f"contents line of a section on another page: {toc[n].page}"
                acc.drop([n], DropReason.BOILERPLATE, note)
                continue
            if block_index is None:
                following = [title_text(toc[m].text) for m in toc_numbers[i + 1 : i + 3]]
                if toc[n].target in grouping or (
                    not is_question(item)
                    and following
                    and all(is_question(f) for f in following[:1])
                ):
                    topic = item
                    acc.drop(
                        [n], DropReason.BOILERPLATE, f"TOC category, topic of what follows: {item}"
                    )
                    continue
                result.entries.append(
                    acc.entry(item, [n], [], kind="question", topic=topic, answered=False)
                )
                continue
            used.add(block_index)
            asked = toc[n].column
            block = blocks[block_index]
            if not is_question(item) and is_question(block.title):
                item = block.title  # "[Change detection](#question-how-does-it-work)"
            result.entries.append(
                _entry(acc, reading, block, block.group or topic, title=item, extra=[n])
            )
        for index, block in enumerate(blocks):
            if index not in used:
                result.entries.append(_entry(acc, reading, block, block.group or doc_topic))
        rest = [n for n in range(1, len(lines) + 1) if n not in covered]
        content = acc.blank_or_private(rest)
        separators = [n for n in content if n in reading.separators]
        acc.drop(separators, DropReason.BOILERPLATE, "separator")
        others = [n for n in content if n not in reading.separators]
        acc.drop(others, DropReason.BOILERPLATE, "document title, TOC heading or preamble")
        result.dropped = acc.dropped
        result.entries.sort(key=lambda e: e.units[0] if e.units else 0)
        link_sections(result.entries)  # "#2-what-is-x" of a question that is an entry now
        return result


def _entry(
    acc: Accountant,
    reading: _Reading,
    block: _Block,
    topic: str | None,
    *,
    title: str = "",
    extra: list[int] | None = None,
) -> RawEntry:
    body = acc.keep(block.body)
    seps = []
    while body and body[-1] in reading.separators:  # "---", blank, "---" at its end
        seps.append(body.pop())
        body = acc.keep(body)
    acc.drop(seps, DropReason.BOILERPLATE, "separator")
    answers = reading.answers
    answer = [n for n in body if not (n in answers and not answers[n].rest.strip())]
    raw = acc.entry(
        title or block.title,
        [*(extra or []), *block.head_lines, *body],
        answer,
        kind="question",
        topic=topic,
    )
    raw.headings = [block.written] if block.written else []
    raw.tags = list(block.tags)
    if raw.body and answer and answer[0] in answers:  # ``A: text``: the text answers
        _first, newline, remainder = raw.body.partition("\n")
        raw.body = answers[answer[0]].rest + newline + remainder
    raw.body = re.sub(r"</?details>|<summary>.*?</summary>", "", raw.body, flags=re.I).strip()
    raw.answered = bool(raw.body.strip())
    return raw


def _strip_number(text: str) -> str:
    """A question as a reader names it: no list number, no ``Q:`` label before it."""
    return unlabelled(re.sub(r"^(?:Q?\d{1,3}(?:\)\.|\.\)|[.):])\s*)", "", text.strip()).strip())


def _read(text: str) -> _Reading:
    """The facts of ``text`` this importer reads by (see :class:`_Reading`); front
    matter (also YAML that does not load) is read as such, and the Markdown after it
    as if it began the file (its ``---`` is no setext underline)."""
    lines = source_lines(text)
    doc, front = read_markdown(text)
    text = doc.text
    quoted = {
        n
        for block in doc.blocks
        if block.kind == "blockquote"
        for n in range(block.line, block.end_line + 1)
    }
    found = labels(text)
    reading = _Reading(
        doc,
        front,
        _toc(doc),
        [],
        {b.line for b in doc.blocks if b.kind == "hr"},
        {label.line: label for label in found if label.role == "answer"},
    )
    items = item_lines(doc)
    taken: dict[int, _Start] = {}
    skip = set(reading.toc) | quoted
    for start in [
        *_headings(doc, lines, reading),
        *_anchored(doc, lines, items),
        *_labelled(doc, found, lines, set(reading.answers)),
        *_summaries(doc),
        *_numbered(items, lines),
    ]:  # in this order: the first shape read on a line is the one it has
        if start.line not in taken and start.line not in skip:
            taken[start.line] = start
    reading.starts = []
    for n in sorted(taken):  # a start inside the lines of the one before is part of it
        if not reading.starts or n > reading.starts[-1].end:
            reading.starts.append(taken[n])
    return reading


def _toc(doc: Document) -> dict[int, _TocLine]:
    """TOC lines: the link's text as written and its fragment."""
    links = {link.start: link for link in doc.links if link.kind == "link"}
    out: dict[int, _TocLine] = {}
    for item in doc.toc:
        link = links.get(item.start - 1)  # its target starts at the ``#``
        text = link.text if link is not None else markdown_escaped(item.text)
        out.setdefault(item.line, _TocLine(" ".join(text.split()), item.fragment, item.column))
    for line, link, page in _paged_items(doc):
        text = " ".join(link.text.split())
        out.setdefault(line, _TocLine(text, link.target[1:], link.column, page.target))
    return out


# what may stand between the links of a contents line: "[A](#a) - [Deep Dive →](./a.md)"
_BETWEEN_LINKS = re.compile(r"[\s\-–—|·•:,/()]*")


def _paged_items(doc: Document) -> list[tuple[int, Link, Link]]:
    """Contents lines that also link to a page of their own, with the link of each: a
    list item whose line opens with a ``[Name](#fragment)`` link, followed only by more
    links and the marks between them (``- [Change detection](#change-detection) -
    [Deep Dive →](./cd.md)``), and nothing under it but items of its own. The parser's
    TOC items hold one link alone; these are contents all the same, and the heading
    above a group of them only groups."""
    on_line: dict[int, list[Link]] = {}
    for link in doc.links:
        if link.kind in ("link", "reference"):
            on_line.setdefault(link.line, []).append(link)
    nested = {item.line for item in doc.list_items}
    out: list[tuple[int, Link, Link]] = []
    for item in doc.list_items:
        found = sorted(on_line.get(item.line, ()), key=lambda link: link.column)
        if len(found) < 2 or not found[0].target.startswith("#"):
            continue
        after = item.line + 1  # the item holds nothing more but items of its own
        while after <= item.end_line and not _row(doc, after).strip():
            after += 1
        if after <= item.end_line and after not in nested:
            continue
        row = _row(doc, item.line)
        rest, last = [], item.start - doc.line_starts[item.line - 1] + len(item.marker)
        for link in found:
            start, end = doc.extent(link)
            begin = start - doc.line_starts[item.line - 1]
            rest.append(row[last:begin])
            last = end - doc.line_starts[item.line - 1]
        rest.append(row[last:])
        if rest[0].strip() or not all(_BETWEEN_LINKS.fullmatch(part) for part in rest):
            continue
        out.append((item.line, found[0], found[1]))
    return out


def _row(doc: Document, line: int) -> str:
    """Line ``line`` of ``doc`` (1-based), without its newline."""
    starts = doc.line_starts
    end = starts[line] - 1 if line < len(starts) else len(doc.text)
    return doc.text[starts[line - 1] : end]


def _headings(doc: Document, lines: list[str], reading: _Reading) -> list[_Start]:
    """Headings outside quotes, also setext and inside list items; a heading nested in a
    list item has its answer moved left to the item's content column."""
    ids: dict[int, set[str]] = {}
    for anchor in doc.anchors:
        ids.setdefault(anchor.line, set()).add(anchor.id)
    out = []
    for heading in doc.headings:
        names = {heading.slug, *ids.get(heading.line, ())}
        if heading.custom_id:
            names.add(heading.custom_id)
        out.append(
            _Start(
                heading.line,
                heading.end_line,
                heading_title(doc, heading),
                frozenset(names),
                heading.level,
                "heading",
            )
        )
        if heading.depth:
            _dedent_item(doc, lines, heading.line, reading.dedent)
    return out


def _dedent_item(doc: Document, lines: list[str], line: int, dedent: dict[int, int]) -> None:
    """The rest of the list item holding ``line``, moved left to its content column."""
    holders = [i for i in doc.list_items if i.line <= line <= i.end_line]
    if not holders:
        return
    item = max(holders, key=lambda i: i.depth)
    column = content_column(item, lines[item.line - 1])
    for n in range(line + 1, min(item.end_line, len(lines)) + 1):
        dedent.setdefault(n, column)


def _anchored(doc: Document, lines: list[str], items: dict[int, ListItem]) -> list[_Start]:
    """Lines that start with an ``<a id=…>``/``<a name=…>`` tag (after a list marker, if
    any): the text after the tag is the question."""
    out = []
    for anchor in doc.anchors:
        if anchor.line > len(lines):
            continue
        source = lines[anchor.line - 1]
        tag = source.rfind("<", 0, anchor.column - 1)
        close = source.find(">", anchor.column - 1)
        if tag < 0 or close < 0:
            continue
        before = source[:tag].strip()
        item = items.get(anchor.line)
        if before and (item is None or before != item.marker):
            continue
        out.append(
            _Start(
                anchor.line, anchor.line, source[close + 1 :], frozenset({anchor.id}), 7, "anchor"
            )
        )
    return out


def _labelled(
    doc: Document, found: tuple[Label, ...], lines: list[str], answers: set[int]
) -> list[_Start]:
    """``Q:`` lines; a label alone on its line asks the question on the next line of
    its paragraph."""
    continued = {
        n for b in doc.blocks if b.kind == "paragraph" for n in range(b.line + 1, b.end_line + 1)
    }
    out = []
    for label in found:
        if label.role != "question":
            continue
        title, end = label.rest, label.line
        following = label.line + 1
        if not title.strip() and following in continued and following not in answers:
            title, end = lines[following - 1].strip(), following
        if title.strip():
            out.append(_Start(label.line, end, title, frozenset(), 7, "label"))
    return out


def _summaries(doc: Document) -> list[_Start]:
    """``<summary>`` lines (outside code) that are not an "Answer" toggle."""
    out = []
    for n, line in enumerate(doc.masked(CODE_KINDS).split("\n"), 1):
        summary = _SUMMARY.search(line)
        if summary and not _ANSWER_LABEL.match(summary.group(1)):
            out.append(_Start(n, n, summary.group(1), frozenset(), 7, "summary"))
    return out


def _numbered(items: dict[int, ListItem], lines: list[str]) -> list[_Start]:
    """Numbered lines at the left margin (``1. **Question**`` or ``1. Question?``)."""
    out = []
    for n, item in items.items():
        if item.column != 1 or item.marker[-1] not in ".)" or len(item.marker) > 4:
            continue
        content = lines[n - 1][len(item.marker) :].strip()
        bold = content[:2] in {"**", "__"}
        if bold:  # "1. **Question**" or "1. **Question?** answer"; not "1. **Term**: text"
            close = content.find(content[:2], 2)
            inner = content[2:close].strip() if close > 0 else ""
            if content[close + 2 :].strip() and not inner.endswith("?"):
                continue
        else:
            inner = content
        if inner and (bold or inner.endswith("?")):
            out.append(_Start(n, n, inner, frozenset(), 7, "numbered"))
    return out


def _blocks(reading: _Reading, lines: list[str]) -> list[_Block]:
    """Answer sections in order."""
    starts = reading.starts
    stops = set(reading.toc)
    blocks: list[_Block] = []
    group: tuple[int, str] | None = None
    tagged: list[tuple[int, list[str]]] = []  # (level, tags) of the tag headings above
    for i, start in enumerate(starts):
        n, title, level = start.line, start.title, start.level
        if group is not None and level <= group[0]:
            group = None
        while tagged and level <= tagged[-1][0]:
            tagged.pop()
        following = starts[i + 1].line if i + 1 < len(starts) else len(lines) + 1
        later_toc = [t for t in stops if n < t < following]
        end = min(later_toc) - 1 if later_toc else following - 1  # a TOC line ends it
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and previous.level < level < 7
            and not is_question(_strip_number(title))
        ):  # a sub-heading of an answer ("### Example"), not a new question
            previous.body.extend(range(n, end + 1))
            continue
        body = list(range(start.end + 1, end + 1))
        has_child = i + 1 < len(starts) and starts[i + 1].level > level
        content = [b for b in body if not is_blank(lines[b - 1]) and b not in reading.separators]
        tags = heading_tags(title_text(title)) if level < 7 and "#" in title else None
        if tags is not None:  # ``## #ml``: no topic and no question, it tags those under it
            tagged.append((level, tags))
            continue
        if level < 7 and not content and (has_child or not is_question(_strip_number(title))):
            if has_child and level > 1:
                group = (level, title_text(title))
            continue  # a grouping or title heading, not a question
        if level == 1 and not is_question(title) and i == 0:
            continue
        blocks.append(
            _Block(
                title_text(_strip_number(title)),
                start.anchors,
                n,
                body,
                level,
                group[1] if group else None,
                list(dict.fromkeys(tag for _level, tags in tagged for tag in tags)),
                start.end,
                title,
            )
        )
    return blocks


def _without_navigation(
    acc: Accountant, reading: _Reading, lines: list[str], blocks: list[_Block]
) -> set[int]:
    """Take the navigation lines ("⬆️ Back to Top | 🏠 Main Index") out of the answers,
    dropped with why; the lines accounted for so far."""
    covered: set[int] = set(reading.toc) | set(reading.front.lines)
    moving = _navigation(reading.doc, lines)
    acc.drop(sorted(moving - covered), DropReason.BOILERPLATE, "navigation links")
    covered |= moving
    for block in blocks:
        block.body = [n for n in block.body if n not in moving]
        covered.update(block.head_lines)
        covered.update(block.body)
    return covered


def _questions_of(acc: Accountant, reading: _Reading, blocks: list[_Block]) -> dict[int, _TocLine]:
    """The TOC lines that name questions or topics: a line pointing at a heading inside
    an answer is a way into that answer, dropped with why."""
    into = _into_answers(reading, blocks)
    inner = [n for n, line in reading.toc.items() if line.target in into]
    acc.drop(inner, DropReason.BOILERPLATE, "TOC link to a part of an answer")
    return {n: line for n, line in reading.toc.items() if n not in inner}


def _grouping(reading: _Reading, blocks: list[_Block]) -> set[str]:
    """Ids of the headings that are neither a question nor inside an answer: the
    document's title and the headings over questions (``## Clustering``)."""
    taken = {n for block in blocks for n in (*block.head_lines, *block.body)}
    return _heading_ids(reading.doc, lambda line: line not in taken)


def _navigation(doc: Document, lines: list[str]) -> set[int]:
    """Lines of the paragraphs that only move around the notes (see ``navigation_line``)."""
    found: set[int] = set()
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
        numbers = range(block.line, block.end_line + 1)
        if navigation_line("\n".join(lines[n - 1] for n in numbers)):
            found.update(numbers)
    return found


def _into_answers(reading: _Reading, blocks: list[_Block]) -> set[str]:
    """Ids of the headings inside answers (``#### Filter methods`` under a question): a
    TOC line pointing at one is a way into that answer, not a question of its own."""
    inside = {n for block in blocks for n in block.body}
    return _heading_ids(reading.doc, inside.__contains__)


def _heading_ids(doc: Document, on: Callable[[int], bool]) -> set[str]:
    """The ids (GitHub slug, ``{#id}``) of the headings on the lines ``on`` accepts."""
    return {
        name
        for heading in doc.headings
        if on(heading.line)
        for name in (heading.slug, heading.custom_id)
        if name
    }


def _doc_topic(doc: Document) -> str | None:
    """The document title without "questions" words: ``# DL вопросы`` -> ``DL``."""
    for heading in doc.headings:
        if heading.level == 1 and heading.depth == 0:
            topic = _DOC_WORDS.sub("", " ".join(heading.text.split())).strip(" -:—")
            return topic or None
    return None


def _match(toc: dict[int, _TocLine], blocks: list[_Block]) -> dict[int, int]:
    """TOC line -> block index, greedy by text similarity (the link target only breaks ties)."""
    scored: list[tuple[float, int, int]] = []
    for n, item in toc.items():
        text = title_text(item.text).casefold()
        for index, block in enumerate(blocks):
            score = fuzz.token_set_ratio(text, block.title.casefold())
            if item.target in block.anchors:
                score += 5
            if score >= MATCH_THRESHOLD:
                scored.append((score, n, index))
    out: dict[int, int] = {}
    taken: set[int] = set()
    for _score, n, index in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if n not in out and index not in taken:
            out[n] = index
            taken.add(index)
    for n, item in sorted(toc.items()):  # a weaker match is fine when the target agrees
        text = title_text(item.text).casefold()
        for index, block in enumerate(blocks):
            if n in out or index in taken or item.target not in block.anchors:
                continue
            # a contents line that links to a page of its own names the section by its
            # subject ("Reactivity" for "Question: How does Vue track changes?"): its
            # target, written for that section, settles it
            if item.page or fuzz.WRatio(text, block.title.casefold()) >= ANCHOR_THRESHOLD:
                out[n] = index
                taken.add(index)
    return out
