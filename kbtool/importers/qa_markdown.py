"""Q&A Markdown documents: interview-question collections as they exist on GitHub.

Questions come as a table of contents of anchor links (``- [Q](#3)`` to
``<a id=3>`` or to GitHub heading slugs), as headings or numbered lines, as
``**Q:**``/``**A:**`` pairs, or as ``<details><summary>`` blocks. Every question
becomes an entry; one without an answer is a draft, never dropped. TOC links are
often broken (copied lists that all point to ``#1``), so TOC items are matched to
answer sections by text similarity, not by their targets. A TOC line that matches
no section and does not read as a question is a category: the topic of the
questions that follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from kbtool.importers.base import DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.markdown_sections import (
    FENCE,
    HEADING,
    Accountant,
    count_questions,
    is_blank,
    is_question,
    numbered_question,
    source_lines,
)
from kbtool.importers.sniff import markdown_prefix
from kbtool.normalize.pipeline import normalize_title

_TOC_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[(?P<text>.+?)\]\((?P<target>#[^)\s]*)\)\s*$")
_ANCHORED = re.compile(
    r"^\s*(?:\d+[.)]\s*)?<a\s+(?:id|name)\s*=\s*['\"]?([^'\">\s]+)['\"]?\s*>(.*?)(?:</a>)?\s*$",
    re.I,
)
_Q_LINE = re.compile(
    r"^\s*(?:\*\*|__)?(?:Q|Question|В|Вопрос)\s*\d*\s*[:.](?:\*\*|__)?\s*(?:\*\*|__)?(.+?)(?:\*\*|__)?\s*$"
)
_A_LINE = re.compile(r"^\s*(?:\*\*|__)?(?:A|Answer|О|Ответ)\s*[:.](?:\*\*|__)?\s*")
_SUMMARY = re.compile(r"<summary>\s*(?:<b>|<strong>)?(.*?)(?:</b>|</strong>)?\s*</summary>", re.I)
_ANSWER_LABEL = re.compile(
    r"^\W*(?:answer|show answer|solution|ответ|показать ответ|решение)\W*$", re.I
)
_SEPARATOR = re.compile(r"^\s*(?:_{3,}|-{3,}|\*{3,})\s*$")
_DOC_WORDS = re.compile(r"\b(?:вопросы|вопросов|questions|interview|собеседовани\w*)\b", re.I)
MATCH_THRESHOLD = 70.0
ANCHOR_THRESHOLD = 60.0


@dataclass
class _Block:
    """An answer section: where the question is and which lines answer it."""

    title: str
    anchor: str
    head: int  # line of the question
    body: list[int]
    level: int = 7  # heading level; 7 for numbered lines, Q: lines and <details>
    group: str | None = None  # the grouping heading above it (``## Basics``): a topic


class QaMarkdownImporter:
    name = "qa-markdown"
    description = "Q&A Markdown: TOC of anchor links, numbered/heading questions, Q:/A:, <details>"

    def detect(self, text: str, path: Path) -> float:
        prefix = markdown_prefix(text)
        if prefix is None:
            return 0.0
        text = prefix
        lines = text.split("\n")
        toc = sum(1 for line in lines if _TOC_ITEM.match(line))
        anchors = sum(1 for line in lines if _ANCHORED.match(line))
        qa = sum(1 for line in lines if _Q_LINE.match(line) or _SUMMARY.search(line))
        questions = count_questions(lines)
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
        acc = Accountant(lines, options)
        toc = {n: m for n, line in enumerate(lines, 1) if (m := _TOC_ITEM.match(line))}
        blocks, heads = _blocks(lines, set(toc))
        doc_topic = _doc_topic(lines, heads)
        covered: set[int] = set(toc)
        for block in blocks:
            covered.add(block.head)
            covered.update(block.body)
        matches = _match(toc, blocks)
        result = ParseResult(total_units=len(lines))
        topic = doc_topic
        used: set[int] = set()
        toc_numbers = sorted(toc)
        for i, n in enumerate(toc_numbers):
            item = normalize_title(toc[n].group("text"))
            block_index = matches.get(n)
            if block_index is None:
                following = [
                    normalize_title(toc[m].group("text")) for m in toc_numbers[i + 1 : i + 3]
                ]
                if (
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
            block = blocks[block_index]
            result.entries.append(_entry(acc, block, block.group or topic, title=item, extra=[n]))
        for index, block in enumerate(blocks):
            if index not in used:
                result.entries.append(_entry(acc, block, block.group or doc_topic))
        rest = [n for n in range(1, len(lines) + 1) if n not in covered]
        content = acc.blank_or_private(rest)
        separators = [n for n in content if _SEPARATOR.match(lines[n - 1])]
        acc.drop(separators, DropReason.BOILERPLATE, "separator")
        others = [n for n in content if n not in set(separators)]
        acc.drop(others, DropReason.BOILERPLATE, "document title, TOC heading or preamble")
        result.dropped = acc.dropped
        result.entries.sort(key=lambda e: e.units[0] if e.units else 0)
        return result


def _entry(
    acc: Accountant,
    block: _Block,
    topic: str | None,
    *,
    title: str = "",
    extra: list[int] | None = None,
) -> RawEntry:
    body = acc.keep(block.body)
    seps = []
    while body and _SEPARATOR.match(acc.lines[body[-1] - 1]):
        seps.append(body.pop())
    acc.drop(seps, DropReason.BOILERPLATE, "separator")
    body = acc.keep(body)
    answer = [n for n in body if not _A_LINE.fullmatch(acc.lines[n - 1])]
    raw = acc.entry(
        title or block.title,
        [*(extra or []), block.head, *body],
        answer,
        kind="question",
        topic=topic,
    )
    raw.body = _A_LINE.sub("", raw.body, count=1) if raw.body else raw.body
    raw.body = re.sub(r"</?details>|<summary>.*?</summary>", "", raw.body, flags=re.I).strip()
    raw.answered = bool(raw.body.strip())
    return raw


def _strip_number(text: str) -> str:
    return re.sub(r"^(?:Q?\d{1,3}[.):]\s*)", "", text.strip()).strip()


def _blocks(lines: list[str], toc: set[int]) -> tuple[list[_Block], list[tuple[int, int, str]]]:
    """Answer sections in order, and every heading (line, level, text) for the document title."""
    starts: list[tuple[int, str, str, int]] = []  # line, title, anchor, level
    heads: list[tuple[int, int, str]] = []
    fence: str | None = None
    stops: set[int] = set()
    for n, line in enumerate(lines, 1):
        if n in toc:
            stops.add(n)
            continue
        match = FENCE.match(line)
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        if heading := HEADING.match(line):
            heads.append((n, len(heading.group(1)), heading.group(2)))
            starts.append((n, heading.group(2), "", len(heading.group(1))))
        elif anchored := _ANCHORED.match(line):
            starts.append((n, anchored.group(2), anchored.group(1), 7))
        elif q := _Q_LINE.match(line):
            starts.append((n, q.group(1), "", 7))
        elif (summary := _SUMMARY.search(line)) and not _ANSWER_LABEL.match(summary.group(1)):
            starts.append((n, summary.group(1), "", 7))
        elif question := numbered_question(line):
            starts.append((n, question, "", 7))
    blocks: list[_Block] = []
    group: tuple[int, str] | None = None
    for i, (n, title, anchor, level) in enumerate(starts):
        if group is not None and level <= group[0]:
            group = None
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and previous.level < level < 7
            and not is_question(_strip_number(title))
        ):  # a sub-heading of an answer ("### Example"), not a new question
            previous.body.extend(
                range(n, (starts[i + 1][0] if i + 1 < len(starts) else len(lines) + 1))
            )
            continue
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines)
        later_toc = [t for t in stops if n < t <= end]
        if later_toc:
            end = min(later_toc) - 1
        body = list(range(n + 1, end + 1))
        has_child = i + 1 < len(starts) and starts[i + 1][3] > level
        content = [
            b for b in body if not is_blank(lines[b - 1]) and not _SEPARATOR.match(lines[b - 1])
        ]
        if level < 7 and not content and (has_child or not is_question(_strip_number(title))):
            if has_child and level > 1:
                group = (level, normalize_title(title))
            continue  # a grouping or title heading, not a question
        if level == 1 and not is_question(title) and i == 0:
            continue
        blocks.append(
            _Block(
                normalize_title(_strip_number(title)),
                anchor,
                n,
                body,
                level,
                group[1] if group else None,
            )
        )
    return blocks, heads


def _doc_topic(lines: list[str], heads: list[tuple[int, int, str]]) -> str | None:
    """The document title without "questions" words: ``# DL вопросы`` -> ``DL``."""
    for _n, level, text in heads:
        if level == 1:
            topic = _DOC_WORDS.sub("", normalize_title(text)).strip(" -:—")
            return topic or None
    return None


def _match(toc: dict[int, re.Match[str]], blocks: list[_Block]) -> dict[int, int]:
    """TOC line -> block index, greedy by text similarity (the link target only breaks ties)."""
    scored: list[tuple[float, int, int]] = []
    for n, item in toc.items():
        text = normalize_title(item.group("text")).casefold()
        target = item.group("target")[1:]
        for index, block in enumerate(blocks):
            score = fuzz.token_set_ratio(text, block.title.casefold())
            if block.anchor and block.anchor == target:
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
        target = item.group("target")[1:]
        text = normalize_title(item.group("text")).casefold()
        for index, block in enumerate(blocks):
            if n in out or index in taken or not block.anchor or block.anchor != target:
                continue
            if fuzz.WRatio(text, block.title.casefold()) >= ANCHOR_THRESHOLD:
                out[n] = index
                taken.add(index)
    return out
