"""toc-mismatch (KB103): a table-of-contents link whose text names another section.

## What it does
Looks at list items that are nothing but a link to a ``#fragment`` (a table of
contents) whose target exists, and compares the link text with the text of the
heading or ``<a id>`` anchor it points at (case, punctuation, common words and
word endings ignored; rapidfuzz token similarity; Chinese, Japanese and Korean
letter by letter, as they put no blanks between words; a link text and a title
that share no script, as in a translated contents, are not judged). When they disagree it reports
the section the link really lands on; when exactly one heading or anchor of the
document matches the link text, the safe fix points the link there.

## Why is this bad?
Copy-pasted TOCs often keep one target for every item (``(#1)`` everywhere): each
link "works" but lands on the wrong answer, which broken-anchor cannot see.

## Example
```markdown
- [Что такое BLEU и ROUGE?](#1)

1. <a id=1>Глубокое обучение</a>
```

## Use instead
```markdown
- [Что такое BLEU и ROUGE?](#bleu-и-rouge)
```

## Options
``threshold`` (default 70): the token similarity (0-100) at or above which link
text and section text count as the same section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.facts import Facts
from kbtool.lint.options import option
from kbtool.lint.problem import Fix, Problem, Severity
from kbtool.markdown.document import TocItem
from kbtool.markdown.slugger import find_target, normalize_fragment

CODE = "KB103"
NAME = "toc-mismatch"
SEVERITY = Severity.WARNING


@dataclass(frozen=True)
class Options:
    threshold: float = option(
        70.0,
        "token similarity (0-100) from which link text and section text name one section",
        minimum=0,
        maximum=100,
    )


_WORD = re.compile(r"\w+")
# fmt: off
_STOP = frozenset((
    "что", "такое", "как", "и", "в", "во", "на", "с", "со", "по", "для", "от", "до", "из",
    "к", "о", "об", "а", "но", "или", "ли", "же", "её", "ее", "его", "их", "они", "она",
    "он", "оно", "это", "чем", "какие", "какая", "каков", "какова", "какой", "почему",
    "когда", "где", "вы", "мы", "ты", "the", "a", "an", "of", "and", "or", "to", "in",
    "is", "are", "what", "how", "why", "when", "which", "with", "for", "on",
))
# fmt: on
_STEM = 5  # crude Russian/English stemming: compare word beginnings


# Chinese, Japanese and Korean write no blanks between words: their letters are
# compared one by one ("一貫性 パターン" and "一貫性パターン" are one title; "性能与拓展性"
# and "性能与可扩展性" share most letters), not as one long word. Compiled on first use:
# re's compiler walks its ranges letter by letter (2-3 ms), which a pre-commit run of
# a file with no table of contents paid at start-up for nothing.
@cache
def _cjk() -> re.Pattern[str]:
    return re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def tokens(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    out = []
    cjk = _cjk()
    for word in words:
        out.extend(cjk.findall(word))
        out.extend(p[:_STEM] for p in cjk.split(word) if p not in _STOP and len(p) > 1)
    return out


def _script(char: str) -> str:
    """The script of a letter: Latin, Cyrillic, kana, Han, Hangul or other (Japanese
    writes a loanword in kana that a heading may give in Han: デノーマライゼーション, 非正規化)."""
    if _cjk().match(char):
        return "kana" if char <= "\u30ff" else "hangul" if "\uac00" <= char <= "\ud7af" else "han"
    if char.isascii() or "\u00c0" <= char <= "\u024f":
        return "latin"
    return "cyrillic" if "\u0400" <= char <= "\u04ff" else "other"


def _scripts(text: str) -> set[str]:
    return {_script(char) for char in text if char.isalpha()}


def same_section(link_text: str, section_text: str, threshold: float) -> bool:
    """True when a TOC text and a section title name the same thing; not judged when
    they share no script (a translated contents: "ライセンス" for License)."""
    from rapidfuzz import fuzz

    a, b = tokens(link_text), tokens(section_text)
    if not a or not b:
        return True  # nothing to compare (numbers, symbols): do not guess
    if not _scripts(link_text) & _scripts(section_text):
        return True  # all in another script: a translation, words cannot tell
    covered = len(set(b) & set(a)) / len(set(b))
    return covered >= 0.5 or fuzz.token_set_ratio(" ".join(a), " ".join(b)) >= threshold


def section_titles(facts: Facts) -> dict[str, str]:
    """Each section a TOC link can land on: normalized fragment -> heading or anchor text."""
    sections: dict[str, str] = {}
    for heading in facts.headings:
        sections.setdefault(heading.slug, heading.text)
    for anchor in facts.anchors:
        sections.setdefault(normalize_fragment(anchor.id), anchor.text)
    return sections


def landing(item: TocItem, sections: dict[str, str]) -> str | None:
    """The title of the section a TOC entry's link lands on, as GitHub finds it."""
    found = find_target(item.fragment, sections)
    return None if found is None else sections[found]


def has_section(item: TocItem, sections: dict[str, str], threshold: float) -> bool:
    """Whether the document has a section for a TOC entry: its target names the same
    thing, or another section's title is nearly all in the entry's text."""
    target = landing(item, sections)
    if target is not None and same_section(item.text, target, threshold):
        return True
    return any(same_section_strict(item.text, text, threshold) for text in sections.values())


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    facts = doc.facts
    if not facts.toc:
        return
    threshold = float(context.options(NAME, Options).threshold)
    sections = section_titles(facts)
    for item in facts.toc:
        target = landing(item, sections)
        if target is None or same_section(item.text, target, threshold):
            continue
        fitting = [
            frag
            for frag, text in sections.items()
            if same_section_strict(item.text, text, threshold)
        ]
        message = f'TOC entry "{item.text}" links to "#{item.fragment}", which is "{target}"'
        fix = None
        if len(fitting) == 1:
            message += f'; did you mean "#{fitting[0]}"?'
            fix = Fix(item.start, item.end, fitting[0], f'point the TOC entry at "#{fitting[0]}"')
        yield Problem(doc.display, item.line, item.column, CODE, NAME, SEVERITY, message, fix)


def same_section_strict(link_text: str, section_text: str, threshold: float) -> bool:
    """The bar for a fix: nearly every word of the section title is in the link text."""
    from rapidfuzz import fuzz

    if _plain(link_text) == _plain(section_text) != "":
        return True  # the title itself, even one with no word to compare: "C#", "Q&A"
    a, b = tokens(link_text), tokens(section_text)
    if not a or not b:
        return False
    covered = len(set(b) & set(a)) / len(set(b))
    return covered >= 0.8 and fuzz.token_set_ratio(" ".join(a), " ".join(b)) >= threshold


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())
