"""Checklists: lists of questions with few or no answers, optionally under topic headings.

Each list item that reads as a question (or any item, in a list that is mostly
questions) becomes a ``question`` entry; text indented under an item, or paragraphs
right after it, are its answer, so the rare answered item is not lost. Headings are
topics.
"""

from __future__ import annotations

import re
from pathlib import Path

from kbtool.importers.base import DropReason, ImportOptions, ParseResult
from kbtool.importers.markdown_sections import (
    HEADING,
    Accountant,
    is_question,
    source_lines,
)
from kbtool.importers.sniff import markdown_prefix
from kbtool.normalize.pipeline import normalize_title

_TOP_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)\s*$")


class ChecklistImporter:
    name = "checklist"
    description = "Question checklists: one draft question per list item"

    def detect(self, text: str, path: Path) -> float:
        prefix = markdown_prefix(text)
        if prefix is None:
            return 0.0
        text = prefix
        lines = [line for line in source_lines(text) if line.strip()]
        if not lines:
            return 0.0
        items = [m.group(1) for line in lines if (m := _TOP_ITEM.match(line))]
        if "](#" in text or not items:
            return 0.05
        questions = sum(1 for item in items if is_question(item))
        share = len(items) / len(lines)
        if questions >= 3 and questions >= 0.6 * len(items) and share >= 0.5:
            return 0.6 + 0.3 * min(share, 1.0)
        return 0.1

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        lines = source_lines(text)
        acc = Accountant(lines, options)
        result = ParseResult(total_units=len(lines))
        topic: str | None = None
        current: list[int] = []
        title = ""

        def flush() -> None:
            if not current:
                return
            kept = acc.keep(current[1:])
            entry = acc.entry(title, [current[0], *kept], kept, kind="question", topic=topic)
            entry.answered = bool(kept)
            entry.body = "\n".join(
                line.strip() if line.startswith("    ") else line for line in entry.body.split("\n")
            )
            result.entries.append(entry)
            current.clear()

        for n, line in enumerate(lines, 1):
            heading = HEADING.match(line)
            item = _TOP_ITEM.match(line)
            if heading:
                flush()
                topic = normalize_title(heading.group(2))
                acc.drop([n], DropReason.BOILERPLATE, f"topic heading: {topic}")
            elif item:
                flush()
                title = normalize_title(item.group(1))
                current.append(n)
            elif current:  # indented text, sub-items, paragraphs: the item's answer
                current.append(n)
            else:
                acc.blank_or_private([n])
        flush()
        result.dropped = acc.dropped
        return result
