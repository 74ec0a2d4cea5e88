"""broken-anchor (KB101): a ``#fragment`` link that matches nothing in its own document.

## What it does
Checks every in-document link (``[text](#fragment)``, ``<a href="#...">``, link
reference definitions) against the targets the document really has: heading slugs
computed exactly as GitHub does (lowercase, punctuation dropped, spaces to ``-``,
Cyrillic and other letters kept, repeats numbered ``-1``, ``-2``), ``<a id=...>`` /
``<a name=...>`` anchors and ``{#id}`` attributes. Raw and %-encoded fragments are
the same. ``#`` and ``#top`` always land (the top of the page). A link that differs
from a heading's id only in letter case (``#Similarity-Measures``) is reported for
what it is: GitHub finds it, the PDF and the study page, which match ids exactly, do
not. When a close heading exists the message says "did you mean".

## Why is this bad?
A broken anchor silently scrolls nowhere: the reader of the PDF or of GitHub loses
the thread, usually because a heading was renamed after the link was written.

## Example
```markdown
## Градиентный спуск

See [the method](#градиентный-спус).
```

## Use instead
```markdown
See [the method](#градиентный-спуск).
```

## Options
None. A safe fix exists when the fragment, slugged, equals a heading's slug (for
example ``#Градиентный спуск`` -> ``#градиентный-спуск``).
"""

from __future__ import annotations

from collections.abc import Iterator

from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.facts import Facts
from kbtool.lint.options import NoOptions
from kbtool.lint.problem import Fix, Problem, Severity
from kbtool.markdown.slugger import find_target, is_top, normalize_fragment, slug

CODE = "KB101"
NAME = "broken-anchor"
SEVERITY = Severity.ERROR
Options = NoOptions

_LINK_KINDS = {"link", "html-a", "ref-def"}


def targets(facts: Facts) -> set[str]:
    """Every fragment that resolves in a document with these facts."""
    found = {h.slug for h in facts.headings}
    found.update(normalize_fragment(a.id) for a in facts.anchors)
    return found


def resolves(fragment: str, known: set[str]) -> bool:
    """Whether the link lands everywhere the notes are read: a target exactly as written
    (the exports match ids exactly), or the top of the page."""
    return is_top(fragment) or find_target(fragment, known, fold_case=False) is not None


def suggestion(fragment: str, known: set[str]) -> str | None:
    """The closest existing target, when one is close enough to be a likely typo."""
    from rapidfuzz import fuzz, process

    wanted = normalize_fragment(fragment).lower()
    best = process.extractOne(wanted, sorted(known), scorer=fuzz.ratio, score_cutoff=70)
    return best[0] if best else None


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    facts = doc.facts
    known: set[str] | None = None
    for link in facts.links:
        if link.kind not in _LINK_KINDS or not link.target.startswith("#"):
            continue
        if known is None:
            known = targets(facts)
        fragment = link.target[1:]
        if resolves(fragment, known):
            continue
        message = f'link to "#{fragment}" matches no heading or anchor in this file'
        fix = None
        exact = slug(normalize_fragment(fragment))
        folded = find_target(fragment, known)
        if folded is not None:
            message = (
                f'link to "#{fragment}" differs from the id "#{folded}" only in letter case: '
                f'GitHub finds it, the PDF and the study page do not; write "#{folded}"'
            )
            fix = Fix(link.start + 1, link.end, folded, f'point the link at "#{folded}"')
        elif exact in known and exact != fragment:
            message += f'; did you mean "#{exact}"?'
            fix = Fix(link.start + 1, link.end, exact, f'point the link at "#{exact}"')
        else:
            close = suggestion(fragment, known)
            if close:
                message += f'; did you mean "#{close}"?'
        yield Problem(doc.display, link.line, link.column, CODE, NAME, SEVERITY, message, fix)
