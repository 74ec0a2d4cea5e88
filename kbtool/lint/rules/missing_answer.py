"""missing-answer (KB201): a question whose answer is empty or a placeholder.

## What it does
For entries of kind ``question`` (notes are not questions) it reports a body that
is empty, holds only headings, or holds only a placeholder: ``TODO``, ``TBD``,
``Answer here``, ``Ответ``, ``…``, ``...``, a to-do note such as ``TODO: write the
answer.`` (what ``kbtool new`` writes), or an unfilled template such as ``<answer>``
or ``{{answer}}`` (also after a label, as in ``Ответ: TODO``). The list is
``kbtool/placeholders.py``, shared with import, which makes such entries drafts.
It is an error for ``answered`` entries and a warning for ``draft`` ones.

In plain Markdown documents (no front matter) it reports a question heading — numbered
(``## 12. …``), labelled (``## Q36: Explain …``) or ending in ``?`` — with nothing but a
placeholder under it and no answer section (``## Answer (EN)``) after it before the next
question (an empty numbered heading only when its words ask, or most numbered headings
of the document do: ``### 9. Scaling`` of a design write-up is an empty section,
empty-section's finding; a question followed at its own level by the parts of its
answer, ``### What do *args and **kwargs mean?`` then ``### *args`` and its text, is
answered, as empty-section reads it), a line that starts with a bold ``**Q:**`` /
``**В:**`` / ``**Вопрос 3:**`` label with no bold ``**A:**`` / ``**О:**`` / ``**Ans:**``
label and no answer written under it before the next label or heading (labels are read
as the parser reads bold text: not in code, HTML or fenced blocks; a sub-section right
after the label holds its answer), a question label (``Q36: …?``, bold or not) whose
answer label (``Answer:``, ``**A:**``) has nothing but a placeholder after it before the
next question or heading, and a table-of-contents question with no section of its own:
its link lands on another section (or on none), and no heading or anchor of the document
names it (judged as toc-mismatch judges, with its ``threshold``); a list of links none
of which lands on a section of the document or names one (a "see also" list) is no
contents of it. A TOC entry that reads as a label, not a question, and introduces
questions (``- [Обучение и оптимизация](#1)`` before ``- [Что такое dropout?](#1)``) is
a group label and needs no answer. A bold ``**Question**:`` alone on its line whose next
text does not ask is a glossary term or a table's title, not a question. A contents link
that misses its section only by a hyphen (``#13-1`` for ``#### # 13-1``, whose id is
``-13-1``) is broken-anchor's finding: the answer is there.

## Why is this bad?
An entry marked ``answered`` with no answer prints as a blank card in the cheat
sheet and an empty back side in Anki; a draft without an answer is a reminder
that work is left.

## Example
```markdown
---
id: chto-takoe-bleu
kind: question
status: answered
...
---
TODO
```

## Use instead
Write the answer, or mark the entry ``status: draft`` until you do.

## Options
``placeholders`` (list of strings): more texts that count as "no answer yet",
compared case-insensitively after trimming punctuation and Markdown emphasis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbtool.lint import parts
from kbtool.lint.context import LintContext
from kbtool.lint.document import LintDocument
from kbtool.lint.options import option
from kbtool.lint.problem import Problem, Severity
from kbtool.lint.rules import toc_mismatch
from kbtool.markdown.front_matter import broken_front_matter
from kbtool.markdown.labels import Label, labels
from kbtool.placeholders import ENOUGH, is_placeholder

CODE = "KB201"
NAME = "missing-answer"
SEVERITY = Severity.ERROR


@dataclass(frozen=True)
class Options:
    placeholders: tuple[str, ...] = option((), "more texts that count as no answer yet")


# a question label opening a heading: ``Q36: Explain …``, ``Вопрос 3. …``
_LABEL = r"(?:Q|Question|В|Вопрос)[ \t]?\d{1,3}[ \t]?[:.)][ \t]"
# numbered (``12. …``), labelled or asking
_QUESTION_HEADING = re.compile(rf"^\d+[.)]\s|\?\s*$|^{_LABEL}", re.IGNORECASE)


_ENOUGH = ENOUGH

if TYPE_CHECKING:
    from kbtool.markdown.document import Heading, TocItem

    Headings = dict[int, Heading]  # section headings by 1-based body line


def _content_lines(lines: list[str], headings: Headings) -> list[int]:
    """Indexes of lines that are neither blank nor headings (code counts as content);
    stops early once there is clearly more than a placeholder."""
    found: list[int] = []
    size = 0
    for i, line in enumerate(lines):
        if line.strip() and i + 1 not in headings:
            found.append(i)
            size += len(line)
            if size > _ENOUGH:
                break
    return found


def check(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    if doc.entry is not None and doc.entry.kind != "question":
        return
    extra = frozenset(p.casefold() for p in context.options(NAME, Options).placeholders)
    lines = doc.body.split("\n")
    headings = doc.markdown.section_headings
    if doc.entry is not None:
        yield from _check_entry(doc, lines, headings, extra)
    elif not doc.is_entry:
        yield from _check_plain(doc, lines, headings, extra, context)


def _check_entry(
    doc: LintDocument, lines: list[str], headings: Headings, extra: frozenset[str]
) -> Iterator[Problem]:
    entry = doc.entry
    assert entry is not None
    if entry.kind != "question":
        return
    severity = Severity.ERROR if entry.status == "answered" else Severity.WARNING
    content = _content_lines(lines, headings)
    text = "\n".join(lines[i] for i in content)
    if len(text) > _ENOUGH or (content and not is_placeholder(text, extra)):
        return
    if content:
        index, what = content[0], f'the answer is a placeholder ("{lines[content[0]].strip()}")'
    else:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        index = first if first is not None else 0
        what = "the answer is empty"
    line = min(doc.body_line + index, max(1, doc.text.count("\n") + 1))
    hint = "write it" if severity is Severity.ERROR else "write it when you can"
    status = f"status: {entry.status}"
    yield Problem(doc.display, line, 1, CODE, NAME, severity, f"{what} ({status}); {hint}")


def _check_plain(
    doc: LintDocument,
    lines: list[str],
    headings: Headings,
    extra: frozenset[str],
    context: LintContext,
) -> Iterator[Problem]:
    starts = [(h.line - 1, h.level, h.text) for line, h in headings.items() if h.line == line]
    numbered = [title for _, _, title in starts if _NUMBER.match(title)]
    # numbered headings that mostly ask make a list of questions ("1. Analyze this
    # dataset …" among "2. How would you …?"); mostly not, the steps of a write-up
    asking_list = 2 * sum(_asks(title) for title in numbered) >= len(numbered)
    broken = broken_front_matter(doc.body) if doc.body_line == 1 else None
    keys_end = broken.end_line if broken is not None else 0  # schema-error's lines
    for n, (index, level, title) in enumerate(starts):
        if index < keys_end or not _QUESTION_HEADING.search(title):
            continue
        end = len(lines)
        for later, later_level, _ in starts[n + 1 :]:
            if later_level <= level:
                end = later
                break
        below = headings[index + 1].end_line
        under = lines[below:end]
        if any(i + 1 in headings for i in range(below, end)):
            continue  # sub-sections: empty-section judges those
        if not any(line.strip() for line in under) and not asking_list and not _asks(title):
            continue  # "## 9. Scaling" of a write-up: an empty section, not a question
        if is_placeholder("\n".join(under), extra) and not _answered_below(
            starts, n, lines, headings
        ):
            yield Problem(
                doc.display,
                doc.body_line + index,
                1,
                CODE,
                NAME,
                Severity.WARNING,
                f'question "{title}" has no answer under it; write one',
            )
    found = labels(doc.body)
    yield from _check_q_without_a(doc, found, lines, headings, extra)
    yield from _check_empty_answer_label(doc, found, lines, headings, extra)
    yield from _check_toc(doc, context)


# a section that holds the answer: "## Ответ (RU)", "## Answer (EN)", "### Solution"
_ANSWER_HEADING = re.compile(r"^(?:answer|ans|ответ|solution|решение)\b", re.IGNORECASE)


def _asks(title: str) -> bool:
    """Whether a question heading asks in its words, not only by its number: ``?``, a
    question label (``Q36:``) or an asking word after the number (``12. Explain …``)."""
    if title.rstrip().endswith("?") or _LABELLED.match(title):
        return True
    return bool(_ASKS_IN_PROSE.search(_NUMBER.sub("", title, count=1).strip()))


_LABELLED = re.compile(_LABEL, re.IGNORECASE)
_NUMBER = re.compile(r"^\d+[.)]\s*")


def _answered_below(
    starts: list[tuple[int, int, str]], n: int, lines: list[str], headings: Headings
) -> bool:
    """Whether an answer section follows the question heading ``starts[n]`` before the
    next question: a title heading (``# What is X?``) followed by sibling sections
    (``# Question (EN)``, ``## Answer (EN)``) is answered there; so is a question whose
    parts follow at its own level (``### What do *args and **kwargs mean?`` then ``###
    *args`` with text under it: :mod:`kbtool.lint.parts`)."""
    if n + 1 < len(starts) and starts[n + 1][1] == starts[n][1]:
        index, _level, title = starts[n + 1]
        end = starts[n + 2][0] if n + 2 < len(starts) else len(lines)
        text = any(line.strip() for line in lines[headings[index + 1].end_line : end])
        deeper = n + 2 < len(starts) and starts[n + 2][1] > starts[n][1]  # its sub-sections
        if (text or deeper) and parts.is_part(starts[n][2], title):
            return True
    for _index, _level, title in starts[n + 1 :]:
        if _ANSWER_HEADING.match(title):
            return True
        if _QUESTION_HEADING.search(title):
            return False
    return False


def _check_q_without_a(
    doc: LintDocument,
    all_labels: Sequence[Label],
    lines: list[str],
    headings: Headings,
    extra: frozenset[str],
) -> Iterator[Problem]:
    """A bold question label with nothing after it but a placeholder before the next
    label or heading. The answer may carry a bold ``**A:**`` label or none: a book's
    "Q & A" section writes each ``**Q**: …?`` and answers it in the paragraphs below."""
    found = {
        label.line: label
        for label in all_labels
        if label.strong and not label.whole and not _defines_a_term(label, lines)
    }
    marks = sorted(found.keys() | {h.line for h in headings.values()})
    for n, line in enumerate(marks):
        label = found.get(line)
        if label is None or label.role != "question" or label.answered:
            continue
        following = marks[n + 1] if n + 1 < len(marks) else len(lines) + 1
        after = found.get(following)
        if after is not None and after.role == "answer":
            continue
        if _answered_in_prose(label, lines, following, extra):
            continue
        if _answered_in_subsection(line, following, headings):
            continue
        yield Problem(
            doc.display,
            doc.body_line + line - 1,
            1,
            CODE,
            NAME,
            Severity.WARNING,
            "**Q:** with no **A:** after it; add the answer",
        )


_ENDS_QUESTION = ("?", "？")


def _answered_in_subsection(line: int, following: int, headings: Headings) -> bool:
    """Whether the question at ``line`` is followed by a sub-section of the section that
    asks it (``## Why does inference run out of memory?``, a list item ``**Question**:
    …``, then ``### Key insight``): the answer is written under its own heading
    (empty-section judges that heading)."""
    after = headings.get(following)
    if after is None or after.line != following:
        return False
    above = [h for n, h in headings.items() if n < line and h.line == n]
    return bool(above) and after.level > max(above, key=lambda h: h.line).level


def _answered_in_prose(
    label: Label, lines: list[str], following: int, extra: frozenset[str]
) -> bool:
    """Whether text that is no placeholder stands between the question and the line
    ``following`` (the next label or heading). The question is the label's paragraph up
    to the line that ends it with ``?`` (a question may wrap: ``**Q:** What is`` /
    ``X?``); later lines of the paragraph and the blocks after it are the answer."""
    first = label.line
    ends = next(
        (
            k
            for k in range(first, max(first, label.end) + 1)
            if (label.rest if k == first else lines[k - 1]).rstrip().endswith(_ENDS_QUESTION)
        ),
        max(first, label.end),
    )
    answer = "\n".join(lines[ends : following - 1])
    return bool(answer.strip()) and not is_placeholder(answer, extra)


def _check_empty_answer_label(
    doc: LintDocument,
    all_labels: Sequence[Label],
    lines: list[str],
    headings: Headings,
    extra: frozenset[str],
) -> Iterator[Problem]:
    """A question label (``Q36: …?``, bold or not) answered by a label with nothing
    after it (``Answer:``, or only a placeholder) before the next question label or
    heading: the answer a Q&A document left to write."""
    found = {label.line: label for label in all_labels}
    bounds = sorted(
        {line for line, label in found.items() if label.role == "question"}
        | {h.line for h in headings.values()}
    )
    question: Label | None = None
    for line in sorted(found.keys() | set(bounds)):
        label = found.get(line)
        if label is None or label.role == "question":
            question = label  # a heading ends the question (the heading check judges its own)
            continue
        asked, question = question, None
        if asked is None or asked.answered:
            continue
        end = next((b for b in bounds if b > line), len(lines) + 1)
        answer = "\n".join([label.rest, *lines[line : end - 1]])
        if not is_placeholder(answer, extra):
            continue
        text = lines[asked.line - 1].strip()
        yield Problem(
            doc.display,
            doc.body_line + asked.line - 1,
            1,
            CODE,
            NAME,
            Severity.WARNING,
            f'question "{text}" has no answer after "{lines[line - 1].strip()}"; write one',
        )


def _defines_a_term(label: Label, lines: list[str]) -> bool:
    """A bold ``**Question**:`` alone on its line whose next text does not ask is a
    glossary's term (``**Question**:`` / ``A prompt stored as one file.``) or a table's
    title, not a question card waiting for its answer."""
    if label.role != "question" or label.rest.strip():
        return False
    following = (line.strip() for line in lines[label.line :])
    text = next((line for line in following if line), "")
    return not _ASKS_IN_PROSE.search(text)


_ASK_WORDS = (
    r"(?:что|как|какие|какой|какая|каков|почему|зачем|когда|где|чем|объясните|"
    r"расскажите|опишите|назовите|what|how|why|when|which|explain|describe|name)\b"
)
_ASKS = re.compile(rf"[?.…]$|^{_ASK_WORDS}", re.I)
# a line of prose that asks: a sentence may end with "." without asking
_ASKS_IN_PROSE = re.compile(rf"\?$|^{_ASK_WORDS}", re.I)


def _check_toc(doc: LintDocument, context: LintContext) -> Iterator[Problem]:
    """A table-of-contents question with no section of its own is unanswered.

    An entry that does not read as a question (``Обучение и оптимизация``) and has no
    section, followed by questions or by entries nested under it, is a group label:
    it needs no answer. A list none of whose links lands on a section of the document
    is no contents of it (a chapter's "see also" list of questions answered in other
    chapters): broken-anchor reports each link, and no question is left unanswered.
    """
    toc = doc.facts.toc
    if not toc:
        return
    threshold = float(context.options(toc_mismatch.NAME, toc_mismatch.Options).threshold)
    sections = toc_mismatch.section_titles(doc.facts)
    elsewhere = _pointing_elsewhere(doc, toc, sections, threshold)
    # "#13-1" for the heading "# 13-1" (id "-13-1"): the section is there, the link misses
    # it by a hyphen, which broken-anchor reports with the id to write
    trimmed = {fragment.strip("-") for fragment in sections}
    for n, item in enumerate(toc):
        if n in elsewhere or toc_mismatch.has_section(item, sections, threshold):
            continue
        if toc_mismatch.landing(item, sections) is None and item.fragment.strip("-") in trimmed:
            continue
        text = item.text.strip()
        if not _ASKS.search(text) and n + 1 < len(toc):
            after = toc[n + 1]
            if after.column > item.column or _ASKS.search(after.text.strip()):
                continue  # a group label
        target = toc_mismatch.landing(item, sections)
        lands = f'lands on "{target}"' if target is not None else "matches no section"
        yield Problem(
            doc.display,
            item.line,
            item.column,
            CODE,
            NAME,
            Severity.WARNING,
            f'TOC question "{text}" has no answer section (its link "#{item.fragment}" '
            f"{lands}); write the answer under a heading or anchor of its own",
        )


def _pointing_elsewhere(
    doc: LintDocument, toc: Sequence[TocItem], sections: dict[str, str], threshold: float
) -> set[int]:
    """Indexes of the TOC items in lists that are no contents of this document: items
    one after another (blank lines and nested items between them) none of which lands
    on a heading or anchor of the document or names one."""
    lines = doc.body.split("\n")
    out: set[int] = set()
    group: list[int] = []
    for n, item in enumerate(toc):
        if group:
            gap = lines[toc[group[-1]].line - doc.body_line + 1 : item.line - doc.body_line]
            if any(line.strip() for line in gap):
                out.update(_if_none_lands(group, toc, sections, threshold))
                group = []
        group.append(n)
    out.update(_if_none_lands(group, toc, sections, threshold))
    return out


def _if_none_lands(
    group: list[int], toc: Sequence[TocItem], sections: dict[str, str], threshold: float
) -> list[int]:
    for n in group:
        item = toc[n]
        if toc_mismatch.landing(item, sections) is not None:
            return []
        if toc_mismatch.has_section(item, sections, threshold):
            return []
    return group
