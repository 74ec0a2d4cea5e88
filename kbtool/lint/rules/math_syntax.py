r"""math-syntax (KB401): TeX math that will not render.

## What it does
Reads ``$…$`` (inline) and ``$$…$$`` (display) math as the Markdown parser does
(never inside code or HTML; ``$3 \times 3$ maps a $6 \times 6$ input`` is two
formulas) and reports, at the position of the unmatched opening (or stray closing)
token:

- a ``$$`` with no closing ``$$`` (display math may span lines);
- a ``$`` with no closing ``$`` on the same line;
- unbalanced braces ``{`` ``}`` inside math (``\{`` and ``\}`` are literal);
- ``\begin{x}`` without ``\end{x}``, ``\end{x}`` without ``\begin{x}``, and
  mismatched pairs such as ``\begin{aligned} … \end{align}``;
- ``\left`` without ``\right`` and the reverse.

Dollars the parser leaves as text are judged by pandoc's ``tex_math_dollars`` rules, so
prices are not math: ``\$`` is a literal dollar; a ``$`` followed by a digit or a space
never opens math (``$5``, ``стоит $ 10``); a closing ``$`` must follow a non-space
character and must not be followed by a digit. A lone ``$`` before a name with no TeX
(``\command``, ``^``, ``{``) on the rest of its line is a variable of code written in
prose (``the $scope object``, ``$_GET``, ``${HOME}``, ``{$MACRO}``, MyBatis' ``${}``),
or before a path (``$HOME/store/{topic}/``), not an unclosed formula; nor is a lone
``$`` before ``/`` or ``%`` (``$/GB``, a list of special characters ``!@#$%^&*``) or
before a closing bracket or punctuation with no TeX after it (``patterns ($) in
templates``, ``**$** matches the end``, a grammar's ``Follow(S) = {$}``), which no
formula starts with; nor a lone ``$`` right after a letter (vim's ``d$와 같음``, ``c$
changes to the end``), which ends a word, or right before a Chinese, Japanese or Korean
letter (``数字、$和_``), which no formula starts with; nor a price tier (``| $$ | Basic
algorithms |``): two or more dollars standing alone before text with no TeX on their
line.
kramdown's inline formula ``\$$ x $$`` (an escaped first dollar, where ``$$`` would
start a display block) is read as one formula and checked as such.
``\(…\)`` and ``\[…\]`` are not checked.

## Why is this bad?
Pandoc and Typst stop or print raw TeX when math is broken, and one stray
``$`` turns the rest of a paragraph into math in Obsidian and on GitHub.

## Example
```markdown
Сигмоида: $\sigma(z) = \frac{1}{1 + e^{-z}$.
```

## Use instead
```markdown
Сигмоида: $\sigma(z) = \frac{1}{1 + e^{-z}}$.
```

## Options
None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.options import NoOptions
from kbtool.lint.problem import Problem, Severity
from kbtool.markdown.document import MATH_KINDS

CODE = "KB401"
NAME = "math-syntax"
SEVERITY = Severity.ERROR
Options = NoOptions

_TOKEN = re.compile(
    r"\\begin\s*\{(?P<begin>[^{}]*)\}"
    r"|\\end\s*\{(?P<end>[^{}]*)\}"
    r"|(?P<left>\\left)(?![A-Za-z])"
    r"|(?P<right>\\right)(?![A-Za-z])"
    r"|\\[A-Za-z]+|\\."
    r"|(?P<open>\{)|(?P<close>\})"
)


_INLINE_UNCLOSED = "inline math $ is not closed on this line; close it or write \\$"
_DISPLAY_UNCLOSED = "display math $$ is not closed; add the closing $$"


_DELIMITER = re.compile(r"\\[\s\S]|\$\$|\$")


def spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """Math contents as ``(start, end)`` offsets, and unclosed delimiters ``(offset, message)``.

    One regex pass over escapes and dollars; ``opened`` is the offset of the open
    delimiter, ``display`` whether it is ``$$``, ``line_end`` where inline math must
    close by.
    """
    found: list[tuple[int, int]] = []
    unclosed: list[tuple[int, str]] = []
    opened: int | None = None
    display = False
    line_end = 0
    tier_end = 0  # end of a run of dollars that is a price tier, not math
    for match in _DELIMITER.finditer(text):
        token, at = match.group(0), match.start()
        if token[0] == "\\" or at < tier_end:
            continue
        if opened is None and token == "$$" and _price_tier(text, at):
            tier_end = len(text) - len(text[at:].lstrip("$"))
            continue
        if opened is not None and not display and at > line_end:
            if not _text_dollar(text, opened, line_end):
                unclosed.append((opened, _INLINE_UNCLOSED))
            opened = None
        if opened is None:
            if token == "$$":
                opened, display = at, True
                continue
            after = text[at + 1] if at + 1 < len(text) else " "
            if after.isdigit() or after.isspace() or after in "/%":
                continue  # a price, a unit ("$/GB") or a lone dollar ("#$%"), not math
            opened, display = at, False
            end = text.find("\n", at)
            line_end = len(text) if end < 0 else end
        elif display:
            if token == "$$":
                found.append((opened + 2, at))
                opened = None
        elif not text[at - 1].isspace():
            after = text[at + 1] if at + 1 < len(text) else " "
            if token == "$$" or not after.isdigit():
                found.append((opened + 1, at))
                opened = None
    if opened is not None and (display or not _text_dollar(text, opened, line_end)):
        unclosed.append((opened, _DISPLAY_UNCLOSED if display else _INLINE_UNCLOSED))
    return found, unclosed


def _price_tier(text: str, at: int) -> bool:
    """Whether the dollars at ``at`` are a price tier (``$$``, ``$$$`` in a table of
    courses): a run of two or more after a blank, ``|`` or the line's start, followed
    by a blank with no TeX on the rest of the line. Display math on its own lines
    (``$$`` at a line's end) and ``$$ x^2 $$`` keep opening formulas."""
    if at and text[at - 1] not in " \t|\n":
        return False
    end = len(text) - len(text[at:].lstrip("$"))
    if end >= len(text) or text[end] not in " \t":
        return False
    line_end = text.find("\n", end)
    return not _TEX.search(text, end, len(text) if line_end < 0 else line_end)


# "$scope", "$_GET", "$PATH", "$(document)", "${HOME}": a name of two or more
# characters (or one starting with "_", a call, a name in braces) right after the dollar
_NAME_AFTER_DOLLAR = re.compile(r"\$(?:[A-Za-z][A-Za-z0-9]+(?:_\w+)*|_\w+|\(|\{[\w.:-]*\})")
# what only TeX writes: a command, a superscript, a group
_TEX = re.compile(r"\\[A-Za-z]|[\^{}]")


# a closing bracket or a mark that ends a phrase: "patterns ($) in templates", "**$**
# matches the end"; no formula begins with one
_PUNCTUATION_AFTER_DOLLAR = frozenset(")]},.;:!?*\"'")


def _text_dollar(text: str, at: int, line_end: int) -> bool:
    """Whether the lone ``$`` at ``at``, which nothing closes on its line, is a dollar
    sign in prose rather than a formula left open: a variable's name after it, a closing
    bracket or punctuation after it, or a letter right before it, with no TeX on the rest
    of the line."""
    if at + 1 < len(text) and text[at + 1] in _PUNCTUATION_AFTER_DOLLAR:
        # the mark itself is no TeX: "Follow(S) = {$}", the end marker of a grammar
        return not _TEX.search(text, at + 2, line_end)
    if _variable(text, at, line_end):
        return True
    if (at > 0 and text[at - 1].isalpha()) or (at + 1 < len(text) and _wide(text[at + 1])):
        # ends a word: vim's "d$ (같음)", "c$ deletes to the line's end", "US$"; or
        # stands before a word of a script written without spaces ("数字、$和_的组合",
        # a list of the characters a name may hold), which no formula starts with
        return not _TEX.search(text, at + 1, line_end)
    return False


def _wide(char: str) -> bool:
    """Whether ``char`` is a letter of Chinese, Japanese or Korean (Han, kana, Hangul):
    scripts written without spaces, so a ``$`` of prose stands right against them."""
    code = ord(char)
    return 0x3040 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def _variable(text: str, at: int, line_end: int) -> bool:
    """Whether the lone ``$`` at ``at`` names a variable of a programming language
    (AngularJS ``$scope``, PHP ``$_GET``, shell ``$PATH`` and ``${HOME}``, jQuery
    ``$(…)``, a Zabbix macro ``{$DISK_FULL}``): a name after it and no TeX on the rest of
    its line. Neither pandoc nor GitHub makes math of it."""
    name = _NAME_AFTER_DOLLAR.match(text, at)
    if name is None:
        return False
    end = name.end()
    if text[end : end + 1] == "/" and text[at + 1 : at + 2] != "(":
        return True  # a path under it: "$HOME/store/{topic}/", "${ROOT}/bin"
    if text[at - 1 : at] == "{" and text[end : end + 1] == "}":
        end += 1  # the macro's own closing brace
    return not _TEX.search(text, end, line_end)


def inner_problems(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """Brace, environment and ``\\left``/``\\right`` problems in ``text[start:end]``."""
    braces: list[int] = []
    envs: list[tuple[int, str]] = []
    lefts: list[int] = []
    for match in _TOKEN.finditer(text, start, end):
        at = match.start()
        if match.group("open"):
            braces.append(at)
        elif match.group("close"):
            if braces:
                braces.pop()
            else:
                yield at, "unmatched } in math; remove it or add the {"
        elif match.group("begin") is not None:
            envs.append((at, match.group("begin").strip()))
        elif match.group("end") is not None:
            name = match.group("end").strip()
            if not envs:
                yield at, f"\\end{{{name}}} without \\begin{{{name}}}"
            else:
                began_at, began = envs.pop()
                if began != name:
                    message = f"\\begin{{{began}}} is closed by \\end{{{name}}}"
                    yield began_at, message + "; make them match"
        elif match.group("left"):
            lefts.append(at)
        elif match.group("right"):
            if lefts:
                lefts.pop()
            else:
                yield at, "\\right without \\left; add \\left or remove it"
    for at in braces:
        yield at, "unclosed { in math; add the }"
    for at, name in envs:
        yield at, f"\\begin{{{name}}} without \\end{{{name}}}"
    for at in lefts:
        yield at, "\\left without \\right; add \\right. if no delimiter is wanted"


_NOT_MATH = frozenset(
    {"code_inline", "fence", "code_block", "comment", "html_block", "html_inline"}
)


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    if "$" not in doc.body:
        return
    markdown = doc.markdown
    text = markdown.text
    issues: list[tuple[int, str]] = []
    for span in markdown.math_spans():
        if span.kind.startswith("math_inline"):
            width = 2 if span.kind == "math_inline_double" else 1
            issues.extend(inner_problems(text, span.start + width, span.end - width))
        else:
            issues.extend(inner_problems(text, span.start, span.end))
    # dollars the parser did not take as math: unclosed ones are what broke a formula
    rest = markdown.masked(_NOT_MATH | MATH_KINDS)
    if "$" in rest:
        issues.extend(spans(rest)[1])
    for offset, message in sorted(issues):
        line, column = markdown.position(offset)
        yield Problem(doc.display, doc.body_line + line - 1, column, CODE, NAME, SEVERITY, message)
