"""Lecture notes (Obsidian style), and outline files that mix in question lists.

Each section that carries content becomes a ``note``; headings without content of
their own that group others (``# Lectures``, ``# Seminars``, ``## 9``) are grouping
levels: they give tags (``lectures``) or a title prefix (``9 — Encoder``), not
entries. Empty sections are dropped as ``empty`` (listed in the report with their
title): an entry with no text would only be noise in a cheat sheet.

Sections are the document's (:mod:`kbtool.markdown.document`): setext headings divide
notes too, a ``#`` line in fenced code or a heading inside a quote or list item does
not. A list introduced by an interview cue ("спросили", "обсудили", "asked about") is
a checklist: each item becomes a draft question (:mod:`kbtool.importers.lecture_lists`).
A callout that asks (``> [!question]- Why …``) is a question answered by its body
(:mod:`kbtool.importers.lecture_callouts`).
Private remarks (salary, contacts) are dropped as ``private`` by the configured
patterns. Front matter is read, never pasted: its tags go to every note.
"""

from __future__ import annotations

import re
from pathlib import Path

from kbtool.importers import lecture_fit
from kbtool.importers.base import DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.entry_links import link_sections
from kbtool.importers.lecture_callouts import CalloutQuestion, answer_of, callout_questions
from kbtool.importers.lecture_fit import GROUPS
from kbtool.importers.lecture_lists import QuestionList, body_of, question_lists
from kbtool.importers.markdown_sections import (
    Accountant,
    Section,
    body_text,
    heading_tags,
    is_blank,
    read_markdown,
    see_also,
    source_lines,
    split_sections,
    tag_paragraphs,
)
from kbtool.importers.source_front_matter import FrontMatter
from kbtool.titles import title_text


class LectureImporter:
    name = "lecture"
    description = "Lecture notes / outlines: one note per section, Obsidian links converted"

    def detect(self, text: str, path: Path) -> float:
        return self.fit(text, path)[0]

    def fit(self, text: str, path: Path) -> tuple[float, str]:
        """(score, reason): see :mod:`kbtool.importers.lecture_fit`."""
        return lecture_fit.fit(text, path)

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        lines = source_lines(text)
        acc = Accountant(lines, options)
        result = ParseResult(total_units=len(lines))
        doc, front = read_markdown(text)
        _drop_front_matter(acc, front)
        lists = question_lists(doc, lines)
        callouts = callout_questions(doc, lines)
        sections = split_sections(doc, front.body_line, len(lines))
        tag_lines = tag_paragraphs(doc, lines)
        line_tags: dict[int, list[str]] = {}  # by id of section: the tags of its tag lines
        parents: list[Section] = []
        grouping: list[str] = []  # grouping headings not followed by an entry yet
        repeated = _repeated_titles(sections)
        notes: dict[int, RawEntry] = {}  # by id of section: the note it became
        for index, section in enumerate(sections):
            while parents and parents[-1].level >= section.level:
                parents.pop()
            tags, head = _heading_lines(acc, section)
            body, line_tags[id(section)] = _take_tag_lines(acc, section.body, tag_lines)
            body = _take_questions(acc, body, lists, result)
            body = _take_callouts(acc, body, callouts, result)
            content = [n for n in body if not is_blank(lines[n - 1])]
            has_child = _content_below(lines, sections, index)
            if not content:
                acc.blank_or_private(body)
                if has_child:
                    note = f"grouping heading: {section.title}"
                    acc.drop(head, DropReason.BOILERPLATE, note)
                    parents.append(section)
                    grouping.extend([] if tags is not None else [section.title])
                else:
                    acc.drop(head, DropReason.EMPTY, f"empty section: {section.title}")
                continue
            kept = acc.keep(body)
            if not kept:
                acc.drop(head, DropReason.EMPTY, f"empty section: {section.title}")
                continue
            if _see_also_taken(section, parents, notes, result.entries, lines, head + kept):
                continue  # "## See also": the links of the note it closes
            entry = acc.entry(
                _note_title(
                    section, parents, front.title or path.stem, lines[kept[0] - 1], repeated
                ),
                head + kept,
                kept,
                kind="note",
                answered=True,
            )
            notes[id(section)] = entry
            entry.tags = _note_tags(section, parents, line_tags, front.tags)
            entry.headings, grouping = grouping, []  # "#precision-and-recall" leads here
            result.entries.append(entry)
            if has_child:
                parents.append(section)
        result.dropped = acc.dropped
        result.entries.sort(key=lambda e: e.units[0] if e.units else 0)
        link_sections(result.entries)  # "#heading" of a section that is an entry now
        _on_first_note(result, front)
        return result


def _drop_front_matter(acc: Accountant, front: FrontMatter) -> None:
    """Front matter is read, never pasted: its lines are dropped with the keys not used."""
    if front.lines:
        unused = ", ".join(front.unused)
        note = "front matter" + (f" (keys not used: {unused})" if unused else "")
        acc.drop(front.lines, DropReason.BOILERPLATE, note)


def _see_also_taken(
    section: Section,
    parents: list[Section],
    notes: dict[int, RawEntry],
    entries: list[RawEntry],
    lines: list[str],
    units: list[int],
) -> bool:
    """Whether the section (its ``units``: heading and text) is a "See also" list of
    links, now at the end of the note it closes: its parent's, else the note before it.
    A page's "See also" sections would otherwise be notes of links alone, alike in every
    page."""
    closed = next((notes[id(p)] for p in reversed(parents) if id(p) in notes), None)
    if closed is None:
        before = [e for e in entries if e.kind == "note" and e.units[:1] < (section.start,)]
        closed = before[-1] if before else None
    text = body_text(lines, [n for n in units if n not in section.heading])
    if closed is None or not see_also(title_text(section.title), text):
        return False
    closed.body = "\n\n".join([closed.body.rstrip("\n"), body_text(lines, units)])
    closed.units = tuple(sorted({*closed.units, *units}))
    closed.lines = (closed.units[0], closed.units[-1])
    return True


def _on_first_note(result: ParseResult, front: FrontMatter) -> None:
    """The front matter's links (``up: [[Course]]``, kept as text) and aliases go to
    the lecture's first note."""
    notes = [e for e in result.entries if e.kind == "note"]
    if notes and front.links:
        notes[0].body = "\n\n".join([notes[0].body, *front.links])
    if notes and front.aliases:
        notes[0].aliases = list(front.aliases)


def _take_callouts(
    acc: Accountant, body: list[int], callouts: list[CalloutQuestion], result: ParseResult
) -> list[int]:
    """Take the callouts that ask out of a section body (each a question, answered by its
    body); return the remaining lines."""
    taken: set[int] = set()
    inside = set(body)
    for callout in callouts:
        if callout.line not in inside:
            continue
        taken.update((callout.line, *callout.body))
        kept = acc.keep(callout.body)
        units = (callout.line, *kept)
        result.entries.append(
            RawEntry(
                title=callout.title,
                body=answer_of(kept, acc.lines),
                kind="question",
                units=units,
                lines=(min(units), max(units)),
            )
        )
    return [n for n in body if n not in taken]


def _take_tag_lines(
    acc: Accountant, body: list[int], tag_lines: dict[int, tuple[list[int], list[str]]]
) -> tuple[list[int], list[str]]:
    """The section's body without its tag lines (dropped), and their tags."""
    taken: set[int] = set()
    tags: list[str] = []
    for line in body:
        if line in tag_lines:
            numbers, found = tag_lines[line]
            shown = " ".join(f"#{tag}" for tag in found)
            acc.drop(numbers, DropReason.BOILERPLATE, f"tag line: {shown}")
            taken.update(numbers)
            tags.extend(found)
    return [n for n in body if n not in taken], tags


def _heading_lines(acc: Accountant, section: Section) -> tuple[list[str] | None, list[int]]:
    """The section's tags when its heading is made only of tags (``# #ml``: no title of
    its own, it tags what it holds; its line is dropped), and the heading lines its
    note takes."""
    tags = _tags(section)
    if tags is None:
        return None, section.heading
    shown = " ".join(f"#{tag}" for tag in tags)
    acc.drop(section.heading, DropReason.BOILERPLATE, f"tag heading: {shown}")
    return tags, []


def _repeated_titles(sections: list[Section]) -> frozenset[str]:
    """Section titles the note uses more than once (``### Class Diagram`` under each of
    its problems): such a label names a part of its parent, not a subject of its own."""
    seen: dict[str, int] = {}
    for section in sections:
        if section.level:
            key = title_text(section.title).rstrip(" -–—:").casefold()
            seen[key] = seen.get(key, 0) + 1
    return frozenset(key for key, count in seen.items() if count > 1)


def _note_title(
    section: Section,
    parents: list[Section],
    note: str,
    first_line: str,
    repeated: frozenset[str] = frozenset(),
) -> str:
    """The title of a section's note. The text above the first heading is named as
    Obsidian names the note (``note``), and so is the text under a tag heading
    (``## #exam``), unless a section around it names it."""
    named = [p for p in parents if p.level and _tags(p) is None]
    titled: Section | None = section
    if _tags(section) is not None:
        titled, named = (named[-1], named[:-1]) if named else (None, [])
    if titled is None or titled.level == 0:
        return note
    return _title(titled, named, first_line, repeated)


def _note_tags(
    section: Section, parents: list[Section], line_tags: dict[int, list[str]], front: list[str]
) -> list[str]:
    """Tags of a section's note: the groups above it (``# Lectures``), the tags of the
    tag headings (``# #ml``) and tag lines (``line_tags`` by id of section) above it and
    of its own, and the front matter's."""
    tags = [p.title.strip().lower() for p in parents if GROUPS.match(p.title.strip())]
    tags += [tag for p in (*parents, section) for tag in _tags(p) or ()]
    tags += [tag for p in (*parents, section) for tag in line_tags.get(id(p), [])]
    return list(dict.fromkeys([*tags, *front]))


def _tags(section: Section) -> list[str] | None:
    """The tags of a section whose heading is made only of tags (``## #ml``), else None."""
    return heading_tags(title_text(section.title)) if "#" in section.title else None


def _title(
    section: Section, parents: list[Section], first_line: str, repeated: frozenset[str]
) -> str:
    """A section's title; a bare number (``## 3``) takes the first words of its text,
    and the heading of a short parent that is no group goes before it (``3 — Trees``),
    as does the parent of a label the note repeats under several parents (``Parking lot
    — Class Diagram``): twenty-five notes titled "Class Diagram" name nothing apart."""
    title = title_text(section.title).rstrip(" -–—:")
    again = title.casefold() in repeated
    if not re.search(r"[^\W\d_]", title):
        words = title_text(first_line.strip().lstrip("#>*-+ \t")).split()
        title = f"{title} — {' '.join(words[:8]) or 'Untitled'}".strip(" —")
    prefix = [p for p in parents if p.level and not GROUPS.match(p.title.strip())]
    if prefix and (len(title_text(prefix[-1].title)) <= 12 or again):
        title = f"{title_text(prefix[-1].title)} — {title}"
    return title


def _content_below(lines: list[str], sections: list[Section], index: int) -> bool:
    """True when a deeper section right below ``sections[index]`` has text of its own."""
    level = sections[index].level
    for below in sections[index + 1 :]:
        if below.level <= level:
            return False
        if any(not is_blank(lines[n - 1]) for n in below.body):
            return True
    return False


def _take_questions(
    acc: Accountant, body: list[int], lists: list[QuestionList], result: ParseResult
) -> list[int]:
    """Take the interview question lists out of a section body (each item a draft
    question, its cue line dropped); return the remaining lines."""
    lines = acc.lines
    taken: set[int] = set()
    inside = set(body)
    for found in lists:
        if found.cue not in inside:
            continue
        taken |= found.lines()
        acc.drop([found.cue], DropReason.BOILERPLATE, "introduction of a question list")
        for blank in found.blank:
            acc.drop([blank], DropReason.EMPTY)
        for question in found.questions:
            more = acc.keep(question.more)
            units = (*question.lines, *more)
            result.entries.append(
                RawEntry(
                    title=question.title,
                    body=body_of(more, lines),
                    kind="question",
                    units=units,
                    lines=(min(units), max(units)),
                    answered=False,
                )
            )
    return [n for n in body if n not in taken]
