"""Admonitions of Python-Markdown and MkDocs Material, written as CommonMark shows them.

Sites built with MkDocs (many interview-question sites are) write a box as a marker line
and a body indented by four spaces::

    ??? success "View Answer"

        **The estimator interface:** every model has `fit()`.

        !!! tip "Interviewer's Insight"
            Knows the fit/predict pattern.

``!!!`` is an open box, ``???`` a folded one (``???+`` folded but open). CommonMark,
and every other reader of the notes, sees the marker as a paragraph and the body as an
indented code block: the answer would print as code. :func:`unwrapped` writes each box
as what MkDocs shows, line for line (the line count and each line's place stay, so
what reads the result can name the source's lines):

- a box titled as an answer ("View Answer", "Solution", "Ответ") is the answer: the
  marker becomes the answer label ``**Answer:**`` and the body moves left (a code fence
  the body leaves open is closed on the blank line after it, as the box ends it);
- any other box becomes a block quote that starts with its title in bold (``> **Tip**``
  when it has none), its body moved left inside the quote.

Boxes inside a body are written the same way. Markers and bodies are found from the
shared parser's blocks: a marker is a paragraph at the left margin, its body the
indented code block right after it (or the paragraph's own further lines when no blank
line comes between), so a marker in a fenced block or in a list stays as written.
"""

from __future__ import annotations

import re

from kbtool.markdown.blocks import left_open
from kbtool.markdown.parser import block_parser

# ``!!! note``, ``??? success "View Answer"``, ``???+ tip ""`` (the title may be empty)
_MARKER = re.compile(
    r"^(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)(?:[ \t]+[\w-]+)*"
    r'(?:[ \t]+"(?P<title>[^"\n]*)")?[ \t]*$'
)
_ANSWER_TITLE = re.compile(
    r"^\W*(?:(?:view|show|see|reveal|click for)\s+)?(?:the\s+)?"
    r"(?:answer|solution|explanation|ответ|решение|показать ответ)\W*$",
    re.IGNORECASE,
)
_INDENT = 4
ANSWER_LABEL = "**Answer:**"


def has_markers(text: str) -> bool:
    """Whether ``text`` may hold an admonition (a cheap test before :func:`unwrapped`)."""
    return "!!!" in text or "???" in text


def unwrapped(lines: list[str]) -> list[str]:
    """``lines`` with every admonition written as CommonMark shows what MkDocs does;
    as many lines, each where it was."""
    return unwrap(lines)[0]


def unwrap(lines: list[str]) -> tuple[list[str], list[range]]:
    """:func:`unwrapped`, and the lines (0-based) of each answer box's body: whatever
    they hold (headings, bold lines that ask) is the answer, as MkDocs shows it inside
    the box, not sections or questions of their own."""
    out = list(lines)
    answers: list[range] = []
    if not any(has_markers(line) for line in lines):
        return out, answers  # a box's body without boxes of its own: no parse
    for marker, body in _boxes(lines):
        match = _MARKER.match(lines[marker].strip())
        assert match is not None
        inner = unwrapped([_dedent(lines[n]) for n in body])
        title = match.group("title")
        if title is not None and _ANSWER_TITLE.match(title):
            out[marker] = ANSWER_LABEL
            for n, text in zip(body, inner, strict=True):
                out[n] = text
            if body:
                answers.append(range(body[0], body[-1] + 1))
                after = body[-1] + 1
                closing = left_open("\n".join(inner))
                if closing is not None and after < len(out) and not out[after].strip():
                    out[after] = closing  # a fence the box left open ends with the box
            continue
        shown = title if title is not None else match.group("kind").replace("-", " ").capitalize()
        out[marker] = f"> **{shown}**" if shown.strip() else ">"
        for n, text in zip(body, inner, strict=True):
            out[n] = f"> {text}" if text.strip() else ">"
        for n in range(marker + 1, body[0] if body else marker + 1):
            out[n] = ">"  # the blank lines between marker and body stay inside the quote
    return out, answers


def _boxes(lines: list[str]) -> list[tuple[int, list[int]]]:
    """(marker line, body lines) of each top-level box, 0-based."""
    text = "\n".join(lines) + "\n"
    tokens = block_parser().parse(text)
    found: list[tuple[int, list[int]]] = []
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open" or token.level != 0 or token.map is None:
            continue
        first, end = token.map
        if not _MARKER.match(lines[first].strip()) or lines[first][:1] in " \t":
            continue
        body = list(range(first + 1, end))  # lines run on without a blank line
        following = tokens[index + 3] if index + 3 < len(tokens) else None
        if following is not None and following.type == "code_block" and following.map:
            start, stop = following.map
            if all(not lines[n].strip() for n in range(end, start)):
                body += list(range(end, stop))
        while body and not lines[body[-1]].strip():
            body.pop()
        found.append((first, body))
    return found


def _dedent(line: str) -> str:
    """``line`` moved left by the body's indentation (a tab counts as four spaces)."""
    line = line.expandtabs(_INDENT) if line.startswith("\t") else line
    width = len(line) - len(line.lstrip(" "))
    return line[min(width, _INDENT) :]
