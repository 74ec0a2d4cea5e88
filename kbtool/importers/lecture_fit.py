"""How well a Markdown source fits the lecture importer, and why.

Sections and prose alone say nothing: every GitHub README and documentation page has
them, and read as lecture notes they would get Obsidian's line breaks and lose their
question headings. So the lecture importer claims a source only on signals of notes
kept in Obsidian or taken at lectures:

- strong (one is enough): ``[[wikilinks]]`` or ``![[embeds]]``; a ``# Lectures`` /
  ``# Seminars`` heading that groups the notes; a vault (an ``.obsidian`` folder above
  the file); Obsidian front matter (``aliases``, ``cssclasses``, a value with a
  wikilink); a callout (``> [!note]``); an account of an interview ("they asked about:" and a
  list; not "interview questions:", which heads Q&A pages);
- weak (two are needed): TeX math, lines broken with a backslash, a heading left
  empty to be filled in later.

Everything is read from the parsed document: a ``[[`` in code or math is no wikilink.
Without such signals the score stays below the general Markdown importer's. With a
strong one it is 0.9, which wins the tie with the general importer (it also claims
0.9 for setext headings, which lecture notes have too), except for a source with front
matter: that is one page with its own title, which the general importer reads whole.
"""

from __future__ import annotations

import re
from pathlib import Path

from kbtool.importers.lecture_lists import ACCOUNT, question_lists
from kbtool.importers.line_breaks import obsidian_vault
from kbtool.importers.markdown_sections import (
    Section,
    count_questions,
    read_markdown,
    source_lines,
    split_sections,
)
from kbtool.importers.sniff import markdown_prefix
from kbtool.importers.source_front_matter import FrontMatter
from kbtool.markdown.document import Document

GROUPS = re.compile(r"^(lectures?|seminars?|лекци\w*|семинар\w*|notes|конспект\w*)$", re.I)
_COURSE = re.compile(r"^(lectures?|seminars?|лекци\w*|семинар\w*)$", re.I)
_CALLOUT = re.compile(r"^\[![\w-]+\]")
_OBSIDIAN_KEYS = frozenset({"cssclass", "cssclasses"})
NO_SIGNAL = 0.3  # below the general Markdown importer's 0.5 for any Markdown


def fit(text: str, path: Path) -> tuple[float, str]:
    """(score, reason) of the lecture importer for ``text`` read from ``path``."""
    prefix = markdown_prefix(text)
    if prefix is None:
        return 0.0, "not Markdown text"
    lines = source_lines(prefix)
    doc, front = read_markdown(prefix)
    sections = [s for s in split_sections(doc, front.body_line, len(lines)) if s.level]
    if len(sections) < 2:
        return 0.1, "fewer than two sections"
    strong = strong_signals(doc, front, lines, path)
    weak = weak_signals(doc, sections, lines)
    if not strong and len(weak) < 2:
        found = f" (only {weak[0]})" if weak else ""
        return NO_SIGNAL, "sections and prose, but no sign of Obsidian or lecture notes" + found
    heading_lines = {n for s in sections for n in s.heading}
    prose = sum(1 for n, line in enumerate(lines, 1) if line.strip() and n not in heading_lines)
    score = 0.55 if prose >= len(sections) else 0.35
    if count_questions(doc, lines) * 2 >= len(sections):
        score -= 0.25  # headings that ask questions: a Q&A document, not lecture notes
    if strong:
        score += 0.35  # 0.9 at most: a tie with the general importer goes to lecture
    if front.lines:
        score = min(score, 0.85)  # a page with its own title: the general importer's 0.9
    return min(score, 0.9), "lecture notes: " + ", ".join(strong or weak)


def strong_signals(doc: Document, front: FrontMatter, lines: list[str], path: Path) -> list[str]:
    """The signals of which one alone makes a source lecture or Obsidian notes."""
    found: list[str] = []
    if any(link.kind in {"wikilink", "embed"} for link in doc.links):
        found.append("[[wikilinks]] or ![[embeds]]")
    if any(h.level == 1 and h.depth == 0 and _COURSE.match(h.text.strip()) for h in doc.headings):
        found.append("a '# Lectures' or '# Seminars' heading")
    if front.aliases or front.links or _OBSIDIAN_KEYS & set(front.unused):
        found.append("Obsidian front matter")
    if any(
        b.kind == "blockquote" and _CALLOUT.match(lines[b.line - 1].lstrip(" >"))
        for b in doc.blocks
        if b.line <= len(lines)
    ):
        found.append("an Obsidian callout")
    if question_lists(doc, lines, ACCOUNT):
        found.append("an account of an interview (what was asked, as a list)")
    if obsidian_vault(path.resolve().parent) is not None:
        found.append("a note of an Obsidian vault")
    return found


def weak_signals(doc: Document, sections: list[Section], lines: list[str]) -> list[str]:
    """Signs of notes taken while listening, none enough alone."""
    found: list[str] = []
    if doc.math_spans():
        found.append("TeX math")
    if _backslash_breaks(doc):
        found.append("lines broken with a backslash")
    for section, after in zip(sections, [*sections[1:], None], strict=True):
        empty = not any(lines[n - 1].strip() for n in section.body)
        if empty and (after is None or after.level <= section.level):
            found.append("a heading left empty")
            break
    return found


def _backslash_breaks(doc: Document) -> bool:
    """A paragraph line (not its last) that ends in a backslash outside code and math."""
    masked = doc.masked().split("\n")
    for block in doc.blocks:
        if block.kind == "paragraph":
            for n in range(block.line, block.end_line):
                if n <= len(masked) and masked[n - 1].rstrip("\r").endswith("\\"):
                    return True
    return False
