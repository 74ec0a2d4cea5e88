"""Questions in text a PDF was turned into: ``Question 1`` lines, no Markdown, hard-wrapped.

``pdftotext`` (or a copy out of a PDF viewer) of a question collection keeps no
Markdown and no blank lines: a ``Question 7`` line, the question on the next line or
two, then the answer, every line cut at the page's width, list items as ``○`` or
``1.`` lines, code as plain lines. Read as Markdown, it is one paragraph per answer
and every ``# comment`` of its code a heading: hundreds of notes named by sentence
fragments. Here each labelled question is one ``question``: the lines up to the one
that ends the sentence are the title, the rest the answer, rewrapped. A line well
shorter than the page ends its paragraph; a short capitalised line before a longer
one (``Theory``, ``Key Differences``) is a section heading; ``○``/``•`` lines are
bullets, ``1.`` lines numbered items (an empty ``2.`` the converter left is dropped);
a run of lines that read as code is fenced. Text before the first question (the
document's title, a chatbot's "Here are the answers …") is dropped with its reason.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

from kbtool.importers.base import Dropped, DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.importers.markdown_sections import source_lines
from kbtool.importers.sniff import markdown_prefix
from kbtool.titles import markdown_escaped

NAME = "pdf-text"
FITS = 0.94  # above lecture's and the general importer's 0.9: those misread it
MIN_QUESTIONS = 3
_LABEL = re.compile(r"\s*(?:Question|Вопрос)\s*(?:№\s*)?(\d{1,4})\s*[.:]?\s*", re.I)
_BULLET = re.compile(r"\s*[○●•▪◦■□➢►✓–-]\s+")
_NUMBERED = re.compile(r"\s*(\d{1,3})[.)](?:\s+|$)")
_SENTENCE_END = ("?", "？", ".", "!", ":", ")", "»", '"')
# what an AI chat's page puts around code (its copy button, "Generated python" over it)
_COPY_START, _COPY_END = "IGNORE_WHEN_COPYING_START", "IGNORE_WHEN_COPYING_END"
_GENERATED = re.compile(r"\s*Generated (\w+)\s*")
_TITLE_LINES = 4  # a question wraps over a few lines at most
_HEADING_CHARS = 60
_CODE = re.compile(
    r"\s*(?:import \w|from [\w.]+ import |def \w+\(|class \w+[(:]|return\b|print\(|"
    r"#\s|for \w+(?:, \w+)* in .*:$|if .*:$|else:$|elif .*:$|with .*:$|"
    r"[\w.\[\]'\"]+\s*(?:\+|-|\*|/)?=\s*\S|\w+(?:\.\w+)+\(.*\)$|\w+\(.*\)$|"
    r"SELECT\b|FROM\b|WHERE\b|GROUP BY\b|ORDER BY\b|JOIN\b|INSERT\b|UPDATE\b|CREATE\b)"
)
# backslash escapes for what would turn prose into markup; brackets as references, so
# that no ``\\[`` reads as math and no ``[[x]]`` as a wikilink
_ESCAPES = {c: "\\" + c for c in "\\*_`<>$~|"} | {"[": "&#91;", "]": "&#93;"}


class PdfTextImporter:
    name = NAME
    description = "Text a PDF of questions became: 'Question N' lines, hard-wrapped answers"

    def detect(self, text: str, path: Path) -> float:
        prefix = markdown_prefix(text)
        if prefix is None:
            return 0.0
        lines = source_lines(prefix)
        labels = [n for n, line in enumerate(lines) if _LABEL.fullmatch(line)]
        if len(labels) < MIN_QUESTIONS:
            return 0.0
        blank = sum(1 for line in lines if not line.strip())
        if blank * 20 > len(lines):
            return 0.1  # paragraphs apart: Markdown or typed text, not a PDF's lines
        asked = sum(1 for n in labels if n + 1 < len(lines) and lines[n + 1].strip())
        numbers = [int(_LABEL.fullmatch(lines[n])[1]) for n in labels]  # type: ignore[index]
        in_order = sum(1 for a, b in pairwise(numbers) if b == a + 1)
        if asked * 5 < len(labels) * 4 or in_order * 5 < (len(labels) - 1) * 4:
            return 0.1
        return FITS

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        lines = source_lines(text)
        result = ParseResult(total_units=len(lines))
        labels = [n for n, line in enumerate(lines, 1) if _LABEL.fullmatch(line)]
        if not labels:  # read with --format pdf-text: nothing is labelled as a question
            _drop_text(result, lines, range(1, len(lines) + 1), "no 'Question N' line")
            return result
        _drop_text(result, lines, range(1, labels[0]), "text before the first question")
        width = _page_width(lines)
        for index, label in enumerate(labels):
            end = labels[index + 1] - 1 if index + 1 < len(labels) else len(lines)
            result.entries.extend(_question(lines, label, end, width, options, result))
        return result


def _drop_text(result: ParseResult, lines: list[str], numbers: range, note: str) -> None:
    """Lines left out: blank ones as empty, the others as boilerplate with ``note``."""
    empty = tuple(n for n in numbers if not lines[n - 1].strip())
    text = tuple(n for n in numbers if lines[n - 1].strip())
    if text:
        result.dropped.append(Dropped(text, DropReason.BOILERPLATE, note=note))
    if empty:
        result.dropped.append(Dropped(empty, DropReason.EMPTY))


def _question(
    lines: list[str],
    label: int,
    end: int,
    width: int,
    options: ImportOptions,
    result: ParseResult,
) -> list[RawEntry]:
    """The question labelled at line ``label`` (its answer runs to line ``end``)."""
    first = label + 1
    while first <= end and not lines[first - 1].strip():
        first += 1
    if first > end:  # a label with nothing under it
        result.dropped.append(Dropped((label,), DropReason.BOILERPLATE, note="empty label"))
        blanks = tuple(range(label + 1, end + 1))
        if blanks:
            result.dropped.append(Dropped(blanks, DropReason.EMPTY))
        return []
    last = first
    for n in range(first, min(first + _TITLE_LINES, end + 1)):
        if lines[n - 1].rstrip().endswith(_SENTENCE_END):
            last = n
            break
    title = " ".join(lines[n - 1].strip() for n in range(first, last + 1))
    units = list(range(label, last + 1))
    kept: list[int] = []
    empty: list[int] = []
    chrome: list[int] = []
    copying = False
    for n in range(last + 1, end + 1):
        line = lines[n - 1]
        if line.strip() == _COPY_START:
            copying = True
        if copying:
            chrome.append(n)
            copying = line.strip() != _COPY_END
        elif not line.strip():
            empty.append(n)
        else:
            kept.append(n)
    # what reads as code is left alone, as lint's private-content leaves code alone: a
    # "salary" column or bob@example.com in an example is no one's private data
    code = _Reflow([lines[n - 1] for n in kept], width)
    code.markdown()
    private = [
        n for i, n in enumerate(kept) if i not in code.code_lines and _private(lines, n, options)
    ]
    kept = [n for n in kept if n not in private]
    if private:
        note = "matches a privacy pattern"
        result.dropped.append(Dropped(tuple(private), DropReason.PRIVATE, note=note))
    if chrome:
        note = "a copy button's labels (IGNORE_WHEN_COPYING_START … END)"
        result.dropped.append(Dropped(tuple(chrome), DropReason.BOILERPLATE, note=note))
    if empty:
        result.dropped.append(Dropped(tuple(empty), DropReason.EMPTY))
    units += kept
    body = reflow([lines[n - 1] for n in kept], width)
    return [
        RawEntry(
            title=markdown_escaped(title),
            body=body,
            kind="question",
            units=tuple(sorted(units)),
            lines=(label, max(units)),
            private_lines=len(private),
        )
    ]


def _private(lines: list[str], n: int, options: ImportOptions) -> bool:
    return options.is_private(lines[n - 1])


def _page_width(lines: list[str]) -> int:
    """The width the converter cut lines at: the length most long lines reach."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if not lengths:
        return 80
    return max(lengths[int(len(lengths) * 0.9)], 40)


def reflow(lines: list[str], width: int) -> str:
    """Hard-wrapped answer lines as Markdown: paragraphs, headings, items and code."""
    return _Reflow(lines, width).markdown()


class _Reflow:
    """One pass over an answer's lines, joining each paragraph or item's lines."""

    def __init__(self, lines: list[str], width: int) -> None:
        self.lines = lines
        self.short = int(width * 0.65)  # a line this short ends its paragraph
        self.blocks: list[str] = []
        self.current: list[str] = []  # the paragraph or item being joined
        self.prefix = ""  # "- ", "1. " or "" for the block being joined
        self.code: list[str] = []
        self.language = ""
        self.number = 0  # the last item's number in the numbered list going on, or 0
        self.code_lines: set[int] = set()  # indices of the lines read as code

    def markdown(self) -> str:
        for index, raw in enumerate(self.lines):
            following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
            if self._line(raw.rstrip(), following):
                self.code_lines.add(index)
        self._close()
        self._close_code()
        return "\n\n".join(self.blocks)

    def _line(self, line: str, following: str) -> bool:
        """Read one line; whether it is code."""
        text = line.strip()
        generated = _GENERATED.fullmatch(text)
        if generated and _is_code(following):
            self._close()
            self._close_code()
            self.language = generated[1].lower()
            return False
        if _is_code(text) and (
            self.code or self.language or _is_code(following) or not self.current
        ):
            self._close()
            self.code.append(line)
            return True
        self._close_code()
        numbered, bullet = _NUMBERED.match(text), _BULLET.match(text)
        ended = not self.current or self.current[-1].endswith(_SENTENCE_END)
        if numbered:
            self._close()
            rest = text[numbered.end() :].strip()
            if not rest:
                return False  # "2." alone: the converter's empty item
            self.number += 1
            self.prefix, self.current = f"{self.number}. ", [_escaped(rest)]
        elif bullet:
            self._close()
            self.prefix = "   - " if self.number else "- "
            self.current = [_escaped(text[bullet.end() :])]
        elif ended and _is_heading(text, following, self.short):
            self._close()
            self.blocks.append("### " + _escaped(text))
            self.number = 0
            return False
        else:
            if not self.current:
                self.number = 0  # a paragraph of its own ends the numbered list
            self.current.append(_escaped(text))
        if len(line) < self.short:
            self._close()
        return False

    def _close(self) -> None:
        if self.current:
            self.blocks.append(self.prefix + " ".join(self.current))
        self.current, self.prefix = [], ""

    def _close_code(self) -> None:
        if self.code:
            fence = "~~~" if any("```" in c for c in self.code) else "```"
            self.blocks.append("\n".join([fence + self.language, *self.code, fence]))
        self.code, self.language = [], ""


def _is_heading(text: str, following: str, short: int) -> bool:
    """A short capitalised line of words (``Theory``, ``Key Differences``) before a
    paragraph or a list: a section's name, not a sentence or a program's output."""
    return (
        len(text) <= _HEADING_CHARS
        and text[:1].isupper()
        and not text.endswith((".", ",", ";"))
        and not any(c in text for c in ":=[]{}<>|")
        and (
            len(following) >= short
            or bool(_NUMBERED.match(following) or _BULLET.match(following))
            or bool(_GENERATED.fullmatch(following))
            or _is_code(following)
        )
        and not _NUMBERED.match(text)
    )


def _is_code(text: str) -> bool:
    if not text or _CODE.match(text) is None:
        return False
    return text.startswith("#") or not text.endswith(".")


def _escaped(text: str) -> str:
    out = "".join(_ESCAPES.get(c, c) for c in text)
    if out[:1] in "#>+=" or _NUMBERED.match(out) or _BULLET.match(out):
        out = "\\" + out if out[:1] in "#>+=-" else out.replace(".", "\\.", 1)
    return out
