"""``Q:`` / ``A:`` labels: a question or an answer label at the start of a line of prose.

Interview notes mark questions and answers with a label word where a line of a
paragraph starts, bold or not: ``**Q:** What is X?``, ``__Answer:__ …``, ``Вопрос 3.
…``, ``**Q: What is X?**``. Where a line of a paragraph starts and what is bold is
read from markdown-it's inline tokens, so a label in code, math, HTML or a fenced
block is no label, and ``**Q:**text`` (no bold to the parser) is not a bold label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from kbtool.markdown.document import tokens

if TYPE_CHECKING:
    from markdown_it.token import Token

QUESTION_WORDS = ("Q", "Question", "В", "Вопрос")
ANSWER_WORDS = ("A", "Ans", "Answer", "О", "Ответ")
_WORDS = "|".join(sorted((*QUESTION_WORDS, *ANSWER_WORDS), key=len, reverse=True))
# the label in a text token: a word, an optional number, then ":" or "." (optional
# when the label alone is bold: ``**Q**: …``)
_LABEL = re.compile(rf"({_WORDS})(?:[ \t]*\d{{1,3}})?[ \t]*([:.]?)", re.I)
_SEPARATOR = re.compile(r"[ \t]*[:.]?[ \t]*")
# an answer label in bold that the parser leaves as text: ``**A:**yes``
_LITERAL_ANSWER = re.compile(rf"(\*\*|__)(?:{'|'.join(ANSWER_WORDS)})[ \t]*[:.]?\1", re.I)


class Label(NamedTuple):
    """A label that starts a line of a paragraph.

    ``role``: ``question`` or ``answer``; ``line``: 1-based; ``strong``: the label is
    bold (``**Q:**``, or ``**Q: text**`` where the bold runs on: ``whole``); ``rest``:
    the line's source after the label and its separator (a ``whole`` label's closing
    ``**`` stays in it); ``answered``: a bold answer label follows on the same line
    (``**Q:** x **A:** y``); ``depth``: containers around the paragraph; ``end``: the
    paragraph's last line (1-based), so a reader can tell a question that wraps onto
    the next line from the answer written under it.
    """

    role: str
    word: str
    line: int
    strong: bool
    whole: bool
    rest: str
    answered: bool
    depth: int
    end: int


def labels(text: str) -> tuple[Label, ...]:
    """Every label of ``text`` in order. A plain (not bold) label needs its word as
    listed (``Q:``, not ``q:``) and a ``:`` or ``.``; a bold one any case."""
    found: list[Label] = []
    stream = tokens(text)
    for index, token in enumerate(stream):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        parent = stream[index - 1] if index else None
        if parent is None or parent.type != "paragraph_open":
            continue
        sources = token.content.split("\n")
        for k, children in enumerate(_lines(token.children)):
            label = _label(children, sources[k] if k < len(sources) else "")
            if label is not None:
                role, word, strong, whole, rest = label
                answered = role == "question" and _answer_follows(children)
                line = token.map[0] + k + 1
                found.append(
                    Label(
                        role, word, line, strong, whole, rest, answered, token.level, token.map[1]
                    )
                )
    return tuple(found)


def _lines(children: Sequence[Token]) -> Iterator[list[Token]]:
    """Inline children split where the paragraph's lines break."""
    line: list[Token] = []
    for child in children:
        if child.type in {"softbreak", "hardbreak"}:
            yield line
            line = []
        elif child.type != "text" or child.content:  # emphasis leaves empty text behind
            line.append(child)
    yield line


def _role(word: str) -> str:
    return "question" if word.casefold() in {w.casefold() for w in QUESTION_WORDS} else "answer"


def _label(children: list[Token], source: str) -> tuple[str, str, bool, bool, str] | None:
    """(role, word, strong, whole, rest) of a line that starts with a label."""
    source = source.lstrip(" \t")
    if not children:
        return None
    first = children[0]
    if first.type == "text":  # ``Q: …``, or ``**Q:**…`` that the parser does not make bold
        return _in_text(first.content, source)
    if first.type != "strong_open" or len(children) < 3 or children[1].type != "text":
        return None
    markup, inner = first.markup, children[1].content
    match = _LABEL.match(inner)
    if match is None:
        return None
    word = match.group(1)
    if children[2].type == "strong_close" and match.end() == len(inner.rstrip(" \t")):
        return _role(word), word, True, False, _after(source, 2 * len(markup) + len(inner))
    if not match.group(2):  # ``**Question of taste**`` is no label
        return None
    return _role(word), word, True, True, source[len(markup) + match.end() :].lstrip(" \t")


def _in_text(content: str, source: str) -> tuple[str, str, bool, bool, str] | None:
    """A label in text, also one written in bold that the parser leaves as text
    (``**Q:**What``: a closing ``**`` between ``:`` and a letter closes nothing)."""
    lead = content[:2] if content[:2] in {"**", "__"} else ""
    match = _LABEL.match(content, len(lead))
    if match is None:
        return None
    word = match.group(1)
    if lead and content.startswith(lead, match.end()):
        return _role(word), word, True, False, _after(source, match.end() + len(lead))
    if not match.group(2) or (not lead and word not in _WORDS.split("|")):
        return None
    return _role(word), word, bool(lead), bool(lead), source[match.end() :].lstrip(" \t")


def _after(source: str, end: int) -> str:
    """``source`` after a label that ends at ``end``, and the separator after it."""
    rest = source[end:]
    separator = _SEPARATOR.match(rest)
    return rest[separator.end() if separator else 0 :]


def _answer_follows(children: list[Token]) -> bool:
    """A bold answer label (the label alone in bold) later on the line."""
    for child in children:
        if child.type == "text" and _LITERAL_ANSWER.search(child.content):
            return True
    for i in range(1, len(children) - 2):
        if children[i].type == "strong_open" and children[i + 1].type == "text":
            match = _LABEL.fullmatch(children[i + 1].content.strip())
            closed = children[i + 2].type == "strong_close"
            if match and closed and _role(match.group(1)) == "answer":
                return True
    return False
