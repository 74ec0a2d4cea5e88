"""Lecture notes (Obsidian style), and outline files that mix in question lists.

Each section that carries content becomes a ``note``; headings without content of
their own that group others (``# Lectures``, ``# Seminars``, ``## 9``) are grouping
levels: they give tags (``lectures``) or a title prefix (``9 — Encoder``), not
entries. Empty sections are dropped as ``empty`` (listed in the report with their
title): an entry with no text would only be noise in a cheat sheet.

A list introduced by an interview cue ("спросили", "обсудили", "asked about") is a
checklist: each item becomes a draft question. Private remarks (salary, contacts)
are dropped as ``private`` by the configured patterns.
"""

from __future__ import annotations

import re
from pathlib import Path

from kbtool.importers.base import DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.markdown_sections import (
    LIST_ITEM,
    Accountant,
    Section,
    count_questions,
    is_blank,
    source_lines,
    split_sections,
)
from kbtool.importers.sniff import markdown_prefix
from kbtool.normalize.pipeline import normalize_title

_CUE = re.compile(
    r"(спросил\w*|спрашивал\w*|обсудили|вопрос\w*|собеседовани\w*|asked|questions|interview)",
    re.I,
)
_GROUPS = re.compile(r"^(lectures?|seminars?|лекци\w*|семинар\w*|notes|конспект\w*)$", re.I)
_OBSIDIAN = re.compile(r"!?\[\[[^\]]+\]\]")


class LectureImporter:
    name = "lecture"
    description = "Lecture notes / outlines: one note per section, Obsidian links converted"

    def detect(self, text: str, path: Path) -> float:
        prefix = markdown_prefix(text)
        if prefix is None:
            return 0.0
        text = prefix
        lines = source_lines(text)
        sections = [s for s in split_sections(lines) if s.level]
        if len(sections) < 2:
            return 0.1
        prose = sum(
            1
            for line in lines
            if line.strip() and not line.lstrip().startswith(("#", "- [", "* ["))
        )
        score = 0.55 if prose >= len(sections) else 0.35
        if count_questions(lines) * 2 >= len(sections):
            score -= 0.25  # headings that ask questions: a Q&A document, not lecture notes
        if _OBSIDIAN.search(text) or re.search(r"^#\s+(Lectures|Seminars)\s*$", text, re.M):
            score += 0.3
        return min(score, 0.9)

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        lines = source_lines(text)
        acc = Accountant(lines, options)
        result = ParseResult(total_units=len(lines))
        sections = split_sections(lines)
        parents: list[Section] = []
        for index, section in enumerate(sections):
            while parents and parents[-1].level >= section.level:
                parents.pop()
            body = _take_checklists(acc, section.body, result)
            content = [n for n in body if not is_blank(lines[n - 1])]
            has_child = _content_below(lines, sections, index)
            heading = [section.start] if section.level else []
            if not content:
                acc.blank_or_private(body)
                if has_child:
                    acc.drop(heading, DropReason.BOILERPLATE, f"grouping heading: {section.title}")
                    parents.append(section)
                else:
                    acc.drop(heading, DropReason.EMPTY, f"empty section: {section.title}")
                continue
            kept = acc.keep(body)
            if not kept:
                acc.drop(heading, DropReason.EMPTY, f"empty section: {section.title}")
                continue
            title = normalize_title(section.title).rstrip(" -–—:")
            if not re.search(r"[^\W\d_]", title):
                title = f"{title} — {_first_words(lines[kept[0] - 1])}".strip(" —")
            prefix = [p for p in parents if p.level and not _GROUPS.match(p.title.strip())]
            if prefix and len(normalize_title(prefix[-1].title)) <= 12:
                title = f"{normalize_title(prefix[-1].title)} — {title}"
            entry = acc.entry(title, heading + kept, kept, kind="note", answered=True)
            entry.tags = [
                p.title.strip().lower() for p in parents if _GROUPS.match(p.title.strip())
            ]
            result.entries.append(entry)
            if has_child:
                parents.append(section)
        result.dropped = acc.dropped
        result.entries.sort(key=lambda e: e.units[0] if e.units else 0)
        return result


def _content_below(lines: list[str], sections: list[Section], index: int) -> bool:
    """True when a deeper section right below ``sections[index]`` has text of its own."""
    level = sections[index].level
    for below in sections[index + 1 :]:
        if below.level <= level:
            return False
        if any(not is_blank(lines[n - 1]) for n in below.body):
            return True
    return False


def _first_words(line: str) -> str:
    words = re.sub(r"^[#>*\-\s]+", "", line).split()
    return " ".join(words[:8]) or "Untitled"


def _take_checklists(acc: Accountant, body: list[int], result: ParseResult) -> list[int]:
    """Take interview question lists out of a section body; return the remaining lines."""
    lines = acc.lines
    rest = list(body)
    i = 0
    while i < len(rest):
        line = lines[rest[i] - 1]
        if not LIST_ITEM.match(line) and _CUE.search(line) and not line.lstrip().startswith("#"):
            j = i + 1
            while j < len(rest) and is_blank(lines[rest[j] - 1]):
                j += 1
            items = []
            while j < len(rest) and (
                LIST_ITEM.match(lines[rest[j] - 1]) or is_blank(lines[rest[j] - 1])
            ):
                items.append(rest[j])
                j += 1
            questions = [n for n in items if LIST_ITEM.match(lines[n - 1])]
            if len(questions) >= 2:
                acc.drop([rest[i]], DropReason.BOILERPLATE, "introduction of a question list")
                for n in rest[i + 1 : j]:
                    if n in questions:
                        match = LIST_ITEM.match(lines[n - 1])
                        assert match is not None
                        title = normalize_title(match.group(2))
                        result.entries.append(
                            RawEntry(
                                title=title,
                                body="",
                                kind="question",
                                units=(n,),
                                lines=(n, n),
                                answered=False,
                            )
                        )
                    else:
                        acc.drop([n], DropReason.EMPTY)
                del rest[i:j]
                continue
        i += 1
    return rest
