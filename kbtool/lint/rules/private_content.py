"""private-content (KB204): personal details that should not be published.

## What it does
Searches the prose (case-insensitively: not code, math, the attributes of HTML
tags or what HTML marks as code, ``<pre>``/``<code>``, so ``$200K$ users`` in a
formula and an SVG path's numbers are left alone) for things that are private in
interview notes:

- salary talk: ``зп``, ``зарплата``, ``оклад``, ``оффер``, ``salary`` (not salary
  as data: ``the second highest salary``, ``salary > 100000``, ``средняя зарплата по
  отделу``, the classic SQL exercises, a column and its type (``salary DECIMAL(9,2)``,
  ``salary 列``), a clause about a table's rows (``Ramesh and Suresh (both $50k) tie
  for rank 1``, ``|Name|Department|Salary|``, ``for all employees``: a word of rows,
  ranks, departments or employees and no ``my``, ``I`` or ``me``; its amounts too),
  ``increase salaries by 10%``, a model's
  coefficients: ``workers without education get a salary of …``, ``one year of
  education results in 1 500 € higher salary``; nor the word
  alone on its line, a column in a list of columns or a heading, nor a topic such as
  ``Salary negotiation`` or a title (``## 627. Swap Salary``, its contents entry),
  unless someone's own is meant: ``my salary negotiation``;
  nor a count of salaries as a cost, nor a shop's ``офферы`` of a subscription);
  amounts like ``250к`` or ``150/160к`` ending a clause, ``300k на руки``, ``120k $``,
  ``$150k``, a bare ``200k`` where pay is talked about (``they offered me 200k``) —
  but not ``10k samples`` or ``100k pairs``;
- phone numbers: 10 to 14 digits with ``+``, spaces, dashes or brackets
  (``+7 (999) 123-45-67``), or 11 bare digits from 7/8 — not a Unix timestamp,
  a date and time (``20251110-153149``, a note's id), an id (the groups of a UUID,
  ``id:: 64823917-5510-4c2e-…``), the bytes of a frame or a dump (``Data=2F 00 16 00
  00 00 00 00``), a range
  (``ports 49152-65535``) or a tutorial's fictional ``(313) 555-1234``;
- e-mail addresses (not ``git@host:repo`` remotes, nor an address at a domain
  reserved for documentation, RFC 2606: ``fake@example.com``, ``name@example.org``,
  ``user@mail.example``, ``a@b.test``, ``x@y.invalid``: a tutorial's, nobody's).

URLs are left out first: a number or an ``@`` inside a link is not private, nor is
one in the file a relative link names (Obsidian names a pasted picture
``Pasted image 20241128192523.png``).
Import keeps the same lines out of entries (``kbtool/privacy.py``).

## Why is this bad?
Notes get shared: exported to PDF, pushed to a public repo, handed to a friend.
Offers, salaries and contacts of recruiters do not belong there.

## Example
```markdown
Предложили 250к, контакт рекрутера: anna@corpmail.ru
```

## Use instead
Keep such details out of the base (a private file outside ``notes/``), or
rephrase without the figures.

## Options
``patterns`` (list of regular expressions): more patterns, merged with the
defaults. ``severity`` (``"warning"`` or ``"error"``, default ``"warning"``).
Example::

    [tool.kbtool.lint.private-content]
    patterns = ["NDA", "(?i)внутренн\\\\w+ проект"]
    severity = "error"
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from kbtool import privacy
from kbtool.errors import ConfigError
from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.options import option
from kbtool.lint.problem import Problem, Severity
from kbtool.markdown.document import Link
from kbtool.markdown.scan import line_starts, position

CODE = "KB204"
NAME = "private-content"
SEVERITY = Severity.WARNING


def _bad(patterns: tuple[str, ...]) -> str | None:
    """What is wrong with the first pattern that is no regular expression (or None)."""
    for pattern in patterns:
        try:
            re.compile(pattern, re.I)
        except re.error as exc:
            return (
                f"{pattern!r} is not a regular expression ({exc}); "
                "remember to double backslashes in TOML basic strings"
            )
    return None


@dataclass(frozen=True)
class Options:
    patterns: tuple[str, ...] = option(
        (), "more regular expressions, merged with the defaults", validate=_bad
    )
    severity: Literal["warning", "error"] = option("warning", "the level of a finding")


DEFAULT_PATTERNS = privacy.PATTERNS  # shared with import: kbtool/privacy.py
_cache: dict[tuple[str, ...], list[tuple[str, re.Pattern[str]]]] = {}


def compile_patterns(extra: list[str]) -> list[tuple[str, re.Pattern[str]]]:
    """The configured ``extra`` patterns; a bad pattern is a configuration error."""
    key = tuple(extra)
    if key in _cache:
        return _cache[key]
    compiled = []
    for pattern in extra:
        try:
            compiled.append((f"pattern {pattern!r}", re.compile(pattern, re.I)))
        except re.error as exc:
            raise ConfigError(
                f"[lint.private-content] patterns: {pattern!r} is not a regular expression ({exc})",
                hint="fix the pattern; remember to double backslashes in TOML basic strings",
            ) from exc
    _cache[key] = compiled
    return compiled


_FILE_LINKS = frozenset({"link", "image", "html-a", "html-img", "ref-def"})
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def _without_files(text: str, links: Sequence[Link]) -> str:
    """``text`` with the destinations of relative links blanked (same length): a file
    name is no contact; ``mailto:`` and other schemes stay (URLs go in ``privacy.find``)."""
    spans = [(k.start, k.end) for k in links if k.kind in _FILE_LINKS and k.end > k.start]
    spans = [(a, b) for a, b in spans if not _SCHEME.match(text, a)]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    options = context.options(NAME, Options)
    extra = list(options.patterns)
    severity = Severity(options.severity)
    masked = _without_files(doc.markdown.prose(), doc.markdown.links)
    starts: list[int] | None = None
    for found in privacy.find(masked, compile_patterns(extra)):
        starts = starts or line_starts(masked)
        line, column = position(starts, found.start)
        yield Problem(
            doc.display,
            doc.body_line + line - 1,
            column,
            CODE,
            NAME,
            severity,
            f'{found.label} "{found.text.strip()}" looks private; '
            "remove it before sharing the notes",
        )
