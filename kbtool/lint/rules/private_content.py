"""private-content (KB204): personal details that should not be published.

## What it does
Searches the text outside code (case-insensitively) for things that are
private in interview notes:

- salary talk: ``зп``, ``зарплата``, ``оклад``, amounts like ``100к`` and
  ``150/160к``, ``salary``;
- phone numbers: 10 to 14 digits with optional ``+``, spaces, dashes and
  brackets (``+7 (999) 123-45-67``);
- e-mail addresses.

## Why is this bad?
Notes get shared: exported to PDF, pushed to a public repo, handed to a friend.
Offers, salaries and contacts of recruiters do not belong there.

## Example
```markdown
Предложили 250к, контакт рекрутера: anna@example.com
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from kbtool.errors import ConfigError
from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.options import option
from kbtool.lint.problem import Problem, Severity
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


DEFAULT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("salary talk", r"(?<!\w)(?:зп|з/п|зарплат\w*|оклад\w*|salar(?:y|ies))(?!\w)"),
    ("salary amount", r"(?<![\w/.,])\d{2,3}(?:\s*[/-]\s*\d{2,3})?к(?!\w)"),
    ("phone number", r"(?<![\w.+:/-])\+?\d(?:[ ()-]{0,2}\d){9,13}(?![\w.:/])"),
    ("e-mail address", r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
)
# Cheap pre-checks: most notes contain none of these, and a substring test is far
# faster than running every pattern over every file.
_AMOUNT_HINT = re.compile(r"\d\s?к")
_PHONE_HINT = re.compile(r"\d(?:[ ()-]{0,2}\d){9}")
_SALARY_WORDS = ("зп", "з/п", "зарплат", "оклад", "salar")
_TRIGGERS: dict[str, Callable[[str], bool]] = {
    "salary talk": lambda lower: any(word in lower for word in _SALARY_WORDS),
    "salary amount": lambda lower: _AMOUNT_HINT.search(lower) is not None,
    "phone number": lambda lower: _PHONE_HINT.search(lower) is not None,
    "e-mail address": lambda lower: "@" in lower,
}
_cache: dict[tuple[str, ...], list[tuple[str, re.Pattern[str]]]] = {}


def compile_patterns(extra: list[str]) -> list[tuple[str, re.Pattern[str]]]:
    """Defaults plus ``extra``; a bad pattern is a configuration error."""
    key = tuple(extra)
    if key in _cache:
        return _cache[key]
    compiled = [(label, re.compile(p, re.I)) for label, p in DEFAULT_PATTERNS]
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


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    options = context.options(NAME, Options)
    extra = list(options.patterns)
    severity = Severity(options.severity)
    masked = doc.masked_body
    starts: list[int] | None = None
    hits: list[tuple[int, str, str]] = []
    lower = masked.lower()
    for label, pattern in compile_patterns(extra):
        trigger = _TRIGGERS.get(label)
        if trigger is not None and not trigger(lower):
            continue
        hits.extend((m.start(), label, m.group(0)) for m in pattern.finditer(masked))
    seen: set[int] = set()
    for offset, label, found in sorted(hits):
        if offset in seen:
            continue
        seen.add(offset)
        starts = starts or line_starts(masked)
        line, column = position(starts, offset)
        yield Problem(
            doc.display,
            doc.body_line + line - 1,
            column,
            CODE,
            NAME,
            severity,
            f'{label} "{found.strip()}" looks private; remove it before sharing the notes',
        )
