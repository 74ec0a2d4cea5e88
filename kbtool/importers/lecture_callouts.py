"""Questions kept in Obsidian callouts: ``> [!question]- Why …`` with the answer inside.

Students quiz themselves in Obsidian with callouts: the title asks, the body (folded
away by ``-`` until clicked) answers. A callout of the question type (``question`` and
its aliases ``faq``, ``help``) with a title, or a folded callout of any type whose title
asks (``> [!tip]- **What is X?**``), is a question; its body, the quote markers taken
off, is the answer. Other callouts (``> [!note]``, ``> [!tip]- Answers``) stay in the
note that holds them. Callouts are the document's block quotes at the left margin, so
one in a fenced code block or inside a list item is never taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kbtool.importers.lecture_lists import asks
from kbtool.markdown.document import Document

# Obsidian's callout line: "[!type]", a fold sign, the title
_CALLOUT = re.compile(r"\[!([\w-]+)\]([-+]?)\s*(.*)")
_QUESTION_TYPES = frozenset({"question", "faq", "help"})


@dataclass
class CalloutQuestion:
    """One callout read as a question: its title, its first line and the lines of its
    body (1-based)."""

    title: str
    line: int
    body: list[int]


def callout_questions(doc: Document, lines: list[str]) -> list[CalloutQuestion]:
    """The callouts of ``doc`` at the left margin that ask, in source order."""
    found: list[CalloutQuestion] = []
    for block in doc.blocks:
        if block.kind != "blockquote" or block.depth:
            continue
        match = _CALLOUT.fullmatch(_unquoted(lines[block.line - 1]).strip())
        if match is None:
            continue
        kind, fold, title = match.group(1).lower(), match.group(2), match.group(3).strip()
        if not title or not (kind in _QUESTION_TYPES or (fold == "-" and asks(title))):
            continue
        body = list(range(block.line + 1, block.end_line + 1))
        found.append(CalloutQuestion(title, block.line, body))
    return found


def answer_of(numbers: list[int], lines: list[str]) -> str:
    """The text of a callout's body lines ``numbers``, without their quote markers."""
    return "\n".join(_unquoted(lines[n - 1]) for n in numbers).strip("\n")


def _unquoted(line: str) -> str:
    """``line`` without one block quote marker (``>`` and the blank after it); a lazy
    continuation line, which has none, as it is."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith(">"):
        return line
    rest = stripped[1:]
    return rest[1:] if rest.startswith((" ", "\t")) else rest
