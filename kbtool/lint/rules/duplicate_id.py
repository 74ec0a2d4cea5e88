"""duplicate-id (KB002): two entries with one id.

## What it does
Reports every entry whose ``id`` is also the id of another entry anywhere in the
base, naming the other file.

## Why is this bad?
The id is the Anki GUID, the anchor and the target of ``[[id]]`` links: two entries
sharing it overwrite each other in Anki and make links ambiguous.

## Example
```yaml
# notes/nlp/bert.md and notes/deep-learning/bert.md both say
id: bert
```

## Use instead
```yaml
id: bert-architecture   # one of them renamed (and its links updated)
```

## Options
None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kbtool.lint.context import LintContext
from kbtool.lint.options import NoOptions
from kbtool.lint.problem import Problem, Severity

CODE = "KB002"
NAME = "duplicate-id"
SEVERITY = Severity.ERROR
Options = NoOptions

_ID_LINE = re.compile(r"^id:", re.M)


def _id_line(text: str) -> int:
    match = _ID_LINE.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def check_base(context: LintContext) -> Iterator[Problem]:
    for record in context.target_records():
        if not record.id:
            continue
        others = [r for r in context.index.with_id(record.id) if r.path != record.path]
        if not others:
            continue
        try:
            line = _id_line(record.path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            line = 1
        names = ", ".join(sorted(r.display for r in others))
        yield Problem(
            record.display,
            line,
            1,
            CODE,
            NAME,
            SEVERITY,
            f'id "{record.id}" is also used by {names}; ids must be unique',
        )
