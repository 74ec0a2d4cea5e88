"""empty-section (KB203): a heading with nothing under it.

## What it does
Reports an ATX heading (``#`` … ``######``) followed by nothing but blank lines
before the next heading of the same or a higher level, or before the end of the
file. A deeper heading counts as content (the sub-section is judged on its own);
so do code blocks, lists, images and HTML. A heading that is mostly a link to
another page (``## New: [NLP questions](nlp/README.md)``), or a bare address that
GitHub links, is a signpost, not a section to write. A heading followed at its own
level by the parts of its answer is not empty: by the first of a numbered run (``###
CAP theorem`` then ``### 1. Consistency``) or by a heading with text that names a word
of it (``### Compare HTTP GET and POST`` then ``### GET``); nor is a heading that is
only a number (``#### #16-1``) before a heading of its level, which it labels; nor a
heading that shows no words but holds markup (``##### <br>``, ``## &nbsp;``): a spacer
between sections. A bare ``##`` is still reported.
Lines that look like headings inside code blocks are not headings. Setext
headings (``Title`` over ``===``) are not checked. A question heading with nothing
under it is reported once, by missing-answer (KB201), unless that rule is left out.
Front matter that opens wrong (``---id: x``, keys, ``---``) is shown as a heading, and
reported once, by schema-error (KB001).

## Why is this bad?
An empty section is a leftover — a topic the author meant to write up
(``## 7 - написано в apple notes``) or a stray trailing heading
(``## инфопоиск`` at the end of a file). It prints as a bare title in the cheat
sheet and hides that the content is missing.

## Example
```markdown
## Метрики

## Функции потерь
Кросс-энтропия …
```

## Use instead
```markdown
## Метрики
BLEU, ROUGE …

## Функции потерь
Кросс-энтропия …
```
or delete the heading.

## Options
None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kbtool.lint import parts
from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.options import NoOptions
from kbtool.lint.problem import Problem, Severity
from kbtool.markdown.front_matter import broken_front_matter

CODE = "KB203"
NAME = "empty-section"
SEVERITY = Severity.WARNING
Options = NoOptions


_ELSEWHERE = frozenset({"link", "wikilink", "html-a"})


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    lines = doc.body.split("\n")
    headings = doc.markdown.section_headings
    # a heading that is mostly a link to another page is a signpost: its content is
    # over there (a question citing its source, "... [src]", is not)
    linked: dict[int, int] = {}
    for k in doc.markdown.links:
        if k.kind in _ELSEWHERE and not k.target.startswith("#"):
            linked[k.line] = linked.get(k.line, 0) + len(k.text)
    signposts = {line for line, h in headings.items() if 2 * linked.get(line, 0) >= len(h.text) > 0}
    # a heading that shows no words but holds markup (``##### <br>``, ``## &nbsp;``) is
    # space made between sections, not a title left to write under
    text = doc.markdown.text
    signposts.update(
        line for line, h in headings.items() if not h.text.strip() and text[h.start : h.end].strip()
    )
    broken = broken_front_matter(doc.body) if doc.body_line == 1 else None
    if broken is not None:  # its keys read as a heading: schema-error's
        signposts.update(range(1, broken.end_line + 1))
    # each heading (index, level, title) and whether text stands right under it
    sections: list[tuple[int, int, str]] = []
    has_text: list[bool] = []
    for i, line in enumerate(lines):
        heading = headings.get(i + 1)
        if heading is not None:
            if heading.line == i + 1:  # not a setext heading's further lines
                sections.append((i, heading.level, heading.text))
                has_text.append(False)
        elif line.strip() and has_text:
            has_text[-1] = True
    for n, (index, level, title) in enumerate(sections):
        if has_text[n] or index + 1 in signposts or _BARE_URL.match(title):
            continue
        if n + 1 < len(sections):
            later_level, later_title = sections[n + 1][1], sections[n + 1][2]
            if later_level > level:
                continue  # a sub-section: judged on its own
            # the part has content: text, or sub-sections of its own
            filled = has_text[n + 1] or (n + 2 < len(sections) and sections[n + 2][1] > level)
            if later_level == level and (
                parts.labels_next(title) or (filled and parts.is_part(title, later_title))
            ):
                continue
        yield _problem(doc, (index, level, title))


_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")  # GitHub links it: a signpost


def _problem(doc: LintDocument, heading: tuple[int, int, str]) -> Problem:
    index, level, title = heading
    shown = f'"{"#" * level} {title}"' if title else f'"{"#" * level}"'
    return Problem(
        doc.display,
        doc.body_line + index,
        1,
        CODE,
        NAME,
        SEVERITY,
        f"section {shown} is empty; write its content or delete the heading",
    )
