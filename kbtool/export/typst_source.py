"""Build the typst source of a cheat sheet: one Markdown document, one pandoc pass.

Entries become one Markdown document (topic = level 1 heading, question = level 2
heading with the entry id as its anchor, answer under it), cut into pieces (a topic
heading, an entry, the drafts list) that are converted and cached one by one. pandoc
reads the pieces and writes typst in one run per core; its filter
(``templates/sheet.lua``, run by :mod:`kbtool.export.sheet_pandoc`) works on
pandoc's AST, so code blocks, reference-style images and nested lists need no
special cases. Every picture and link decision is then checked on the file system
(:mod:`kbtool.export.sheet_checks`), which also gives the warnings.

Layout decisions:

* entries of a topic in natural order of their titles ("3 ..." before "10 ...");
* drafts get no answer block: they are listed at the end under "Still to answer";
* ``<br>`` in a table cell is a line break, and table columns without an alignment
  are left-aligned (pandoc would leave them to the surrounding ``align(center)``);
* a single newline joins lines, as CommonMark (and every other export) reads it: the
  line breaks Obsidian and Telegram show are written into the body as hard breaks when
  the note is imported (:mod:`kbtool.importers.line_breaks`);
* a missing or refused image prints nothing (the warning names file and line);
* an entry whose answer is larger than :data:`MAX_ENTRY_BYTES` is left out with a
  warning before pandoc sees it, so one pasted log cannot take minutes and gigabytes;
  so is one whose lists or quotes nest more than :data:`MAX_NESTING` levels deep;
* a ``$`` is a formula's delimiter only where the parser reads a formula (``2$x$`` is
  text, as lint and the other exports read it: :mod:`kbtool.export.dollars`);
* a code fence or HTML block (``<!--``, ``<pre>``) an answer leaves open is closed,
  as the parser reads it (:mod:`kbtool.markdown.blocks`), so it cannot take in the
  entries after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kbtool.export import dollars, sheet_math, sheet_pandoc, title_math
from kbtool.export.base import natural_key
from kbtool.export.dead_links import BaseEntries, DeadLinks
from kbtool.export.sheet_checks import IMAGE_TYPES, LINK_SCHEMES, SheetChecks
from kbtool.export.sheet_pandoc import MARKDOWN, PANDOC_ARGS, Decision
from kbtool.markdown.blocks import container_depth, left_open
from kbtool.markdown.document import CODE_KINDS, parse
from kbtool.paths import shown
from kbtool.store.entry_file import EntryDocument

__all__ = ["MARKDOWN", "PANDOC_ARGS", "Part", "TypstSource", "build", "fix_spaced_math"]

NO_ANSWER = {"ru": "(ответа пока нет)", "en": "(no answer yet)"}
ENTRY_CLASS = "kb-entry"
TOPIC_CLASS = "kb-topic"
DRAFTS_TITLE = "Still to answer"
DRAFTS_ID = "kb-still-to-answer"
DRAFTS_TOPIC_CLASS = "kb-drafts-topic"  # a topic's name in that list: a column may start there
MAX_ENTRY_BYTES = 512 * 1024  # 100x a long answer; a sheet cannot print more usefully

# `$ x_1 $`: pandoc only reads `$...$` as math without inner edge spaces; notes often have them.
# A letter of Chinese or Japanese may stand right before one (`要求$ p(x)≤1$`).
_SPACED_MATH = re.compile(r"(?<![\\$0-9A-Za-z_])\$(?!\$)([^$\n]+?)(?<!\\)\$(?![$\d])")
_TEX_HINT = re.compile(r"[\\^_{}]")
_SPACE = re.compile(r"\s")
_WORD = re.compile(r"[^\W\d_]{2,}")  # a plain word between two dollars is prose
MAX_NESTING = 32  # list/quote levels: beyond real notes, below typst's show-rule depth
_CONTAINER = re.compile(r">|(?:[-*+]|\d{1,9}[.)])(?=\s|$)")  # a quote or list item marker
_CONTAINER_STARTS = frozenset(" \t>-*+0123456789")

# One cached piece (a topic heading, an entry, the drafts list): its typst text, the
# labels it defines, and the picture and link decisions it was made with.
TypstRecord = tuple[str, list[str], list[Decision], list[Decision]]


@dataclass
class _Piece:
    key: str
    markdown: str
    doc: EntryDocument | None = None  # the entry, for entry pieces


class Part(NamedTuple):
    """One piece of the sheet as it stands in the body: its typst, its entry (None for
    a topic heading or the drafts list) and the Markdown pandoc read for it."""

    typst: str
    doc: EntryDocument | None
    markdown: str
    images: tuple[Decision, ...] = ()  # the picture and link decisions it was made with
    links: tuple[Decision, ...] = ()


@dataclass
class TypstSource:
    """Typst body text plus what is needed to explain problems in it."""

    body: str
    entry_labels: dict[str, str]  # typst label line "<id>" -> entry file for error messages
    warnings: list[str] = field(default_factory=list)
    pieces: dict[str, TypstRecord] = field(default_factory=dict)  # what the sheet is made of
    again: int = 0  # pieces converted a second time: the filter guessed a decision wrong
    # The body piece by piece (``body`` is their typst joined by blank lines) and the
    # filter's facts: what printing an entry typst refuses as a stand-in needs
    # (:mod:`kbtool.export.typst_fallback`).
    parts: list[Part] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


def topic_title(topic: str) -> str:
    """``deep-learning`` -> ``Deep learning``: readable without a topic registry."""
    if len(topic) <= 3:  # ml, nlp, cv, sql: abbreviations
        return topic.upper()
    words = topic.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def fix_spaced_math(text: str) -> str:
    """Turn ``$ a^2 $`` into ``$a^2$`` outside code, when the inside looks like TeX.

    Parsing (to leave code alone) is only needed when the text has such a formula or
    could hide one: a ``$`` in an inline code span can pair differently once code is
    blanked, and a formula lies on one line, so only a line with both can. Most
    answers have neither and are returned as they are without a parse.
    """
    if not any(_spaced(text, match) for match in _SPACED_MATH.finditer(text)) and not any(
        "$" in line and "`" in line for line in text.split("\n")
    ):
        return text
    masked = parse(text).masked(CODE_KINDS)
    out: list[str] = []
    last = 0
    for match in _SPACED_MATH.finditer(masked):
        if not _spaced(text, match):
            continue
        inner = text[match.start(1) : match.end(1)]
        out.append(text[last : match.start()])
        out.append("$" + inner.strip() + "$")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _spaced(text: str, match: re.Match[str]) -> bool:
    """Whether the ``$…$`` of ``match`` has spaces inside its edges and a formula inside:
    TeX, or one run without spaces that is no plain word (``$k $``, ``$ p(x)≤1$``: a
    public collection had 232 such, which the study page and the deck set as formulas
    and the PDF printed as their TeX). Prose between two dollars stays prose: ``costs $
    5 and $ 6``, ``the signs $ and $``."""
    inner = text[match.start(1) : match.end(1)]
    tex = inner.strip()
    if inner == tex or not tex:
        return False
    return bool(_TEX_HINT.search(inner)) or not (_SPACE.search(tex) or _WORD.fullmatch(tex))


def close_blocks(body: str) -> str:
    """Close a code fence or HTML block (``<!--``, ``<pre>``…) left open, so it cannot
    swallow the entries after it in the one document pandoc reads (which then splits
    into too few pieces and fails the whole sheet). The parser says which block is
    open (only one outside lists and quotes can be: those end at the next unindented
    line)."""
    closing = left_open(body)
    return body if closing is None else body + "\n" + closing


def _heading_text(title: str) -> str:
    # A title is plain text but for its formulas (kbtool.export.title_math): keep
    # Markdown from reading it as markup or attributes, an entity (``&amp;``), a
    # strikeout (``~~``) or an emoji (``:smile:``; commonmark_x).
    return title_math.written(" ".join(title.split()), _plain, _formula)


def _plain(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|$&~:])", r"\\\1", text)


def _formula(tex: str) -> str:
    return (
        "$" + sheet_math.title_formula(tex) + "$"
    )  # stripped by title_math: pandoc reads it as math


def is_draft(doc: EntryDocument) -> bool:
    return str(doc.entry.status) == "draft"


def in_sheet_order(documents: Sequence[EntryDocument]) -> list[EntryDocument]:
    """By topic, then naturally by title within a topic (3 before 10), then id."""
    return sorted(
        documents,
        key=lambda d: (d.entry.topic, natural_key(d.entry.title), d.entry.id),
    )


def assemble(documents: Sequence[EntryDocument], answers: bool) -> str:
    """One Markdown document: topics in name order, entries in natural title order,
    then the drafts as a compact list of questions still to answer."""
    return "\n".join("\n".join(parts) for parts, _doc in _sheet(documents, answers))


def _sheet(
    documents: Sequence[EntryDocument], answers: bool
) -> list[tuple[list[str], EntryDocument | None]]:
    """The sheet's pieces in order, each its Markdown parts and its entry: a topic
    heading, an entry (heading and answer), the drafts list. Carried as data, so no
    line of an answer is ever taken for a piece boundary."""
    topics: dict[str, list[EntryDocument]] = {}
    drafts: dict[str, list[EntryDocument]] = {}
    for doc in in_sheet_order(documents):
        (drafts if is_draft(doc) else topics).setdefault(doc.entry.topic, []).append(doc)
    pieces: list[tuple[list[str], EntryDocument | None]] = []
    for topic in sorted(topics):
        title = _heading_text(topic_title(topic))
        pieces.append(([f"# {title} {{#topic-{topic} .{TOPIC_CLASS}}}\n"], None))
        for doc in topics[topic]:
            parts = [f"## {_heading_text(doc.entry.title)} {{#{doc.entry.id} .{ENTRY_CLASS}}}\n"]
            if answers and doc.body.strip():
                parts.append(close_blocks(fix_spaced_math(sheet_math.chemistry(doc.body))) + "\n")
            elif answers:
                parts.append(f"*{NO_ANSWER.get(doc.entry.lang, NO_ANSWER['en'])}*\n")
            pieces.append((parts, doc))
    if drafts:
        parts = [f"# {DRAFTS_TITLE} {{#{DRAFTS_ID} .{TOPIC_CLASS}}}\n"]
        for topic in sorted(drafts):
            items = "\n".join(f"- {_heading_text(d.entry.title)}" for d in drafts[topic])
            name = _heading_text(topic_title(topic))
            parts.append(f"## {name} {{#{DRAFTS_ID}-{topic} .{DRAFTS_TOPIC_CLASS}}}\n\n{items}\n")
        pieces.append((parts, None))
    return pieces


def nesting(body: str) -> int:
    """An upper bound of how deep lists and quotes nest, cheap enough for every entry
    of every export: per line, the container markers opening it plus half the columns
    of blank before and between them (a tab counted four wide: after a quote marker
    markdown-it reads what is left of a partly used tab as more indent than its stop
    gives), since a list nests its content at least two columns in. A body over
    :data:`MAX_NESTING` by this bound is parsed (:func:`too_deep`); a test proves the
    bound never below the parser's depth.
    """
    deepest = 0
    for line in body.splitlines():
        if not line or line[0] not in _CONTAINER_STARTS:
            continue  # prose at the margin: no container opens or continues here
        depth = columns = column = pos = 0
        while True:
            start, tabbed = column, False
            while pos < len(line) and line[pos] in " \t":
                tabbed = tabbed or line[pos] == "\t"
                column += 4 if line[pos] == "\t" else 1  # a tab as wide as it can be
                pos += 1
            spent = 1 if depth and column > start and not tabbed else 0  # the marker's space
            columns += column - start - spent
            found = _CONTAINER.match(line, pos)
            if not found:
                break
            depth, column, pos = depth + 1, column + found.end() - pos, found.end()
        deepest = max(deepest, depth + columns // 2)
    return deepest


def too_deep(body: str) -> bool:
    """Whether lists and quotes nest more than :data:`MAX_NESTING` levels deep, as the
    parser reads them (pandoc's ``commonmark_x`` reads the same). Most bodies are
    settled by the bound alone; a parse of each would cost an export about twenty
    times the bound's time. A deep indent in a code block is no nesting."""
    return nesting(body) > MAX_NESTING and container_depth(body, MAX_NESTING) > MAX_NESTING


def _too_deep(
    base: Path, documents: Sequence[EntryDocument]
) -> tuple[list[EntryDocument], list[str]]:
    kept: list[EntryDocument] = []
    warnings: list[str] = []
    for doc in documents:
        size = len(doc.body.encode("utf-8", "surrogatepass"))
        if size > MAX_ENTRY_BYTES:
            warnings.append(
                f"{_shown(doc, base)}:{doc.body_line}: the answer is {size / 2**20:.1f} MB, more "
                f"than the {MAX_ENTRY_BYTES // 1024} KB a cheat sheet prints; left out of the "
                "PDF (split it into smaller entries or link to the long text)"
            )
            continue
        if not too_deep(doc.body):
            kept.append(doc)
            continue
        warnings.append(
            f"{_shown(doc, base)}: lists or quotes nest more than {MAX_NESTING} levels "
            "deep; left out of the PDF: flatten them"
        )
    return kept, warnings


def _shown(doc: EntryDocument, base: Path) -> str:
    """The entry as warnings name it: its path in the base, else its id."""
    return doc.entry.id if doc.path is None else shown(Path(doc.path).resolve(), base)


def _pieces(documents: Sequence[EntryDocument], answers: bool) -> list[_Piece]:
    """The sheet in order, as pieces converted and cached one by one."""
    pieces = [_Piece("", "\n".join(parts), doc) for parts, doc in _sheet(documents, answers)]
    for piece in pieces:
        source = piece.doc.entry.source.kind if piece.doc else ""
        where = str(piece.doc.path) if piece.doc and piece.doc.path else ""
        piece.key = _key(
            "typst", sheet_pandoc.filter_digest(), str(answers), source, where, piece.markdown
        )
    return pieces


def _key(*parts: str) -> str:
    import hashlib

    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def build(
    base: Path,
    documents: Sequence[EntryDocument],
    answers: bool,
    cache: dict[str, TypstRecord] | None = None,
    base_entries: BaseEntries | None = None,
) -> TypstSource:
    """Typst body for ``documents``; pictures and links checked against ``base``.

    With ``cache`` (piece key -> record), pieces whose Markdown, place and answers flag
    are unchanged are reused; the others go through pandoc (on two processes when
    there are many). The picture and link decisions of every piece, reused or new,
    are then checked, and a piece with a wrong one is converted again with the
    right ones given. ``base_entries`` (every entry read, selected or not) lets a
    warning say why a link to a file leads nowhere in the sheet.
    """
    documents, deep = _too_deep(base.resolve(), documents)
    pieces = _pieces(documents, answers)
    placed = [doc for doc in documents if not is_draft(doc)]  # drafts have no label
    checks = SheetChecks(base, placed)
    checks.dead = DeadLinks("PDF", documents, base_entries or {})
    store = cache if cache is not None else {}
    reserved = {d.entry.id for d in documents} | {f"topic-{d.entry.topic}" for d in documents}
    records: dict[int, TypstRecord] = {}
    for index, piece in enumerate(pieces):
        record = store.get(piece.key)
        if record is not None and not (set(record[1]) - {piece_id(piece)}) & reserved:
            records[index] = record
    facts = _facts(checks, placed, reserved)
    todo = [i for i in range(len(pieces)) if i not in records]
    converted = sheet_pandoc.convert([dollars.as_read(pieces[i].markdown) for i in todo], facts)
    records.update(zip(todo, converted, strict=True))
    checks.labels = {label for record in records.values() for label in record[1]}
    wrong: dict[int, tuple[list[Decision], list[Decision]]] = {}
    for index in range(len(pieces)):  # in sheet order, so warnings are too
        checks.current = pieces[index].doc
        text, ids, images, links = records[index]
        decided = checks.decide(images, links)
        if decided != (list(images), list(links)):
            wrong[index] = decided
    if wrong:
        order = sorted(wrong)
        given = {
            n: {"images": dict(wrong[i][0]), "links": dict(wrong[i][1])}
            for n, i in enumerate(order)
        }
        again = sheet_pandoc.convert(
            [dollars.as_read(pieces[i].markdown) for i in order], facts, given
        )
        for index, (text, ids, _images, _links) in zip(order, again, strict=True):
            records[index] = (text, ids, *wrong[index])
    left_out: set[int] = set()  # pieces pandoc gave up on: said again on every export
    for index in sorted({*todo, *wrong}):
        reason = sheet_pandoc.left_out(records[index][0])
        if reason is None:
            store[pieces[index].key] = records[index]
            continue
        left_out.add(index)
        doc = pieces[index].doc
        named = _shown(doc, base.resolve()) if doc else "cheat sheet"
        deep.append(
            f"{named}: {reason}; left out of the PDF (split it into smaller entries, or put "
            "fewer links or list items in one paragraph)"
        )
    parts = [
        Part(records[i][0], piece.doc, piece.markdown, tuple(records[i][2]), tuple(records[i][3]))
        for i, piece in enumerate(pieces)
    ]
    body = "\n".join(part.typst for part in parts)
    labels = {f"<{doc.entry.id}>": checks.named(doc) for doc in placed}
    made_of = {piece.key: records[i] for i, piece in enumerate(pieces) if i not in left_out}
    unprinted = [
        warning
        for part in parts
        if part.doc is not None
        for warning in sheet_math.unprinted(part.typst, part.doc, _shown(part.doc, base.resolve()))
    ]
    warnings = [*deep, *checks.warnings, *unprinted]
    return TypstSource(body, labels, warnings, made_of, len(wrong), parts, facts)


def _facts(
    checks: SheetChecks, placed: Sequence[EntryDocument], reserved: set[str]
) -> dict[str, Any]:
    """What the pandoc filter needs to guess decisions the way the checks make them."""
    return {
        "base": str(checks.base),
        "entries": {doc.entry.id: [str(checks.folders[doc.entry.id])] for doc in placed},
        "files": {str(path): entry_id for path, entry_id in checks.by_path.items()},
        "labels": sorted(reserved),  # entry and topic ids: labels of every sheet
        "reserved": sorted(reserved),
        "image_types": sorted(IMAGE_TYPES),
        "schemes": sorted(LINK_SCHEMES),
    }


def piece_id(piece: _Piece) -> str:
    return piece.doc.entry.id if piece.doc else ""
