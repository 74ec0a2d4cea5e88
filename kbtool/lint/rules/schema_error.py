"""schema-error (KB001): front matter that does not match ``schema/entry.schema.json``.

## What it does
Checks each entry's YAML front matter against the checked-in JSON Schema and
reports every mismatch with its line and key path: missing or unknown keys, wrong
types, ids and tags that are not slugs, bad dates, duplicate keys, YAML syntax
errors, and YAML that could run code (``!!python/object`` tags, aliases). A
file in the base is an entry; a file outside it is one when its front matter
names an ``id`` or a ``kind`` (a documentation page's ``title``/``description``
block is not checked).

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

CODE = "KB001"
NAME = "schema-error"
SEVERITY = Severity.ERROR
Options = NoOptions


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    for issue in doc.front_matter_issues:
        where = f"{issue.key_path}: " if issue.key_path else ""
        yield Problem(doc.display, issue.line, 1, CODE, NAME, SEVERITY, where + issue.message)
