"""schema-error (KB001): front matter that does not match ``schema/entry.schema.json``.

## What it does
Checks each entry's YAML front matter against the checked-in JSON Schema and
reports every mismatch with its line and key path: missing or unknown keys, wrong
types, ids and tags that are not slugs, bad dates, duplicate keys, YAML syntax
errors, and YAML that could run code (``!!python/object`` tags, aliases). A
file in the base is an entry; a file outside it is one when its front matter
names an ``id`` or a ``kind`` (a documentation page's ``title``/``description``
block is not checked).

A first line with more than ``---`` on it (``---\\``, ``---id: x``, ``--- draft``)
opens no front matter in Jekyll, GitHub or Obsidian: the keys under it are shown as a
paragraph or a heading of the page. When such a line is followed by YAML keys and a
closing line of dashes, that is said once, at line 1: an error for an entry (instead
of "no front matter"), a warning for any other document (the other rules do not
report those lines as a section).

## Why is this bad?
Every later step trusts the front matter: the id becomes the Anki GUID and the
anchor, the topic picks the deck and the PDF section. An entry that does not
validate cannot be exported faithfully.

## Example
```yaml
---
id: BERT
kind: question
tags: [nlp, NLP tasks]
---
```

## Use instead
```yaml
---
id: bert
kind: question
tags: [nlp, nlp-tasks]
---
```

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.options import NoOptions
from kbtool.lint.problem import Problem, Severity
from kbtool.markdown.front_matter import BrokenFrontMatter, broken_front_matter

CODE = "KB001"
NAME = "schema-error"
SEVERITY = Severity.ERROR
Options = NoOptions


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    broken = broken_front_matter(doc.body) if doc.body_line == 1 else None
    if broken is not None:
        yield _broken(doc, broken)
    for issue in doc.front_matter_issues:
        if broken is not None and issue.line == 1 and not issue.key_path:
            continue  # "no front matter": said better above
        where = f"{issue.key_path}: " if issue.key_path else ""
        yield Problem(doc.display, issue.line, 1, CODE, NAME, SEVERITY, where + issue.message)


def _broken(doc: LintDocument, broken: BrokenFrontMatter) -> Problem:
    heading = doc.markdown.section_headings.get(broken.end_line)
    shown = "a heading" if heading is not None and heading.line == 1 else "text"
    message = (
        f"line 1 '{broken.opener}' opens no front matter (only '---' alone on its line "
        f"does): GitHub and Obsidian show lines 1-{broken.end_line} as {shown}; put "
        "'---' alone on the first and the last line of the block"
    )
    severity = SEVERITY if doc.is_entry else Severity.WARNING
    return Problem(doc.display, 1, 1, CODE, NAME, severity, message)
