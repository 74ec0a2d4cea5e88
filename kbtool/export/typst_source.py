"""Build the typst source of a cheat sheet: one Markdown document, pandoc, a clean AST.

Entries become one Markdown document (topic = level 1 heading, question = level 2
heading with the entry id as its anchor, answer under it). Pandoc parses it to its
JSON AST, where images are checked (inside the base and present, or dropped with a
warning) and answer headings are pushed below the question level; pandoc then
writes typst from the cleaned AST. Working on the AST rather than on Markdown text
means code blocks, reference-style images and nested lists need no special cases.

Layout decisions made on the AST:

* entries of a topic in natural order of their titles ("3 ..." before "10 ...");
* drafts get no answer block: they are listed at the end under "Still to answer";
* ``<br>`` in a table cell is a line break, and table columns without an alignment
  are left-aligned (pandoc would leave them to the surrounding ``align(center)``);
* entries imported from Obsidian lecture notes or Telegram keep their single line
  breaks, as those apps show them (elsewhere a single newline joins lines, as
  CommonMark says);
* a missing or refused image prints nothing (the warning names file and line);
* an entry whose answer is larger than :data:`MAX_ENTRY_BYTES` is left out with a
  warning before pandoc sees it, so one pasted log cannot take minutes and gigabytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from kbtool.errors import InputError
from kbtool.export import pandoc_run, pictures
from kbtool.export.base import natural_key
from kbtool.markdown.document import CODE_KINDS, parse
from kbtool.paths import is_inside, shown
from kbtool.store.entry_file import EntryDocument

# CommonMark like the linter's markdown-it (and ~3x faster than pandoc's own markdown
# reader); commonmark_x brings $math$, pipe tables, {#id .class} and GitHub heading ids;
# a lone image gets its caption. A `---` in an answer is a rule, not metadata; ~ and ^
# stay plain text. Raw blocks (```{=typst}) are off: notes come from other people, and
# raw typst is a program (it can read files and loop for minutes); it prints as code.
MARKDOWN = (
    "commonmark_x+gfm_auto_identifiers+implicit_figures"
    "-yaml_metadata_block-subscript-superscript-raw_attribute"
)
# pandoc's memory is capped: some notes (tens of thousands of links to one anchor) make
# it grow past gigabytes; over the cap (or its CPU limit) the entry is left out with a
# warning that names it (see kbtool/export/pandoc_run.py)
PANDOC_HEAP = "1024m"
PANDOC_ARGS = ["--sandbox", "--quiet", "--wrap=preserve", "+RTS", f"-M{PANDOC_HEAP}", "-RTS"]
LINK_SCHEMES = {"http", "https", "mailto", "ftp"}
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
NO_ANSWER = {"ru": "(ответа пока нет)", "en": "(no answer yet)"}
ENTRY_CLASS = "kb-entry"
TOPIC_CLASS = "kb-topic"
DRAFTS_TITLE = "Still to answer"
DRAFTS_ID = "kb-still-to-answer"
DRAFTS_TOPIC_CLASS = "kb-drafts-topic"  # a topic's name in that list: a column may start there
_SHEET_CLASSES = {ENTRY_CLASS, TOPIC_CLASS, DRAFTS_TOPIC_CLASS}  # headings kbtool writes
# Sources whose app shows every newline as a line break (Obsidian, Telegram).
LINE_BREAK_SOURCES = {"lecture", "telegram-json", "telegram-html", "telegram-text"}
MAX_ENTRY_BYTES = 512 * 1024  # 100x a long answer; a sheet cannot print more usefully
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# `$ x_1 $`: pandoc only reads `$...$` as math without inner edge spaces; notes often have them.
_SPACED_MATH = re.compile(r"(?<![\\$\w])\$(?!\$)([^$\n]+?)(?<!\\)\$(?![$\d])")
_TEX_HINT = re.compile(r"[\\^_{}]")
# What pandoc writes for `\boxed{`; the template's `kbboxed` is a lighter frame.
_PANDOC_BOXED = "#box(stroke: black, inset: 3pt, "
MAX_NESTING = 32  # list/quote levels: beyond real notes, below typst's show-rule depth
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=\s|$)[ \t]?")


# One cached piece (a topic heading, an entry, the drafts list): its typst text, the
# heading ids it defines, and the image and link decisions it was made with.
TypstRecord = tuple[str, list[str], list[tuple[str, str | None]], list[tuple[str, str | None]]]
_SPLIT = "// kbtool-piece-split"  # a raw typst line in the AST we hand pandoc
_SPLIT_WORD = "kbtoolpiecesplit7f3a9c"  # its Markdown counterpart: a paragraph of one word
PARALLEL_FROM = 60  # pieces; fewer are converted by one pandoc process
# A piece pandoc gives up on alone prints as its heading and a note; this typst comment
# in its text carries the reason to the warning (and keeps it out of the cache).
_LEFT_OUT = "// kbtool-left-out-7f3a9c: "
_LEFT_OUT_TEXT = "(left out of the PDF: too large to convert)"


@dataclass
class _Piece:
    key: str
    markdown: str
    doc: EntryDocument | None = None  # the entry, for entry pieces


@dataclass
class TypstSource:
    """Typst body text plus what is needed to explain problems in it."""

    body: str
    entry_labels: dict[str, str]  # typst label line "<id>" -> entry file for error messages
    warnings: list[str] = field(default_factory=list)
    pieces: dict[str, TypstRecord] = field(default_factory=dict)  # what the sheet is made of


def topic_title(topic: str) -> str:
    """``deep-learning`` -> ``Deep learning``: readable without a topic registry."""
    if len(topic) <= 3:  # ml, nlp, cv, sql: abbreviations
        return topic.upper()
    words = topic.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def fix_spaced_math(text: str) -> str:
    """Turn ``$ a^2 $`` into ``$a^2$`` outside code, when the inside looks like TeX."""
    masked = parse(text).masked(CODE_KINDS)
    out: list[str] = []
    last = 0
    for match in _SPACED_MATH.finditer(masked):
        inner = text[match.start(1) : match.end(1)]
        if inner == inner.strip() or not _TEX_HINT.search(inner) or not inner.strip():
            continue
        out.append(text[last : match.start()])
        out.append("$" + inner.strip() + "$")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def close_fences(body: str) -> str:
    """Close a code fence left open, so it cannot swallow the entries after it."""
    fence: str | None = None
    for line in body.split("\n"):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
        elif line.strip().startswith(fence) and set(line.strip()) <= {fence[0]}:
            fence = None
    return body if fence is None else body + "\n" + fence


def _heading_text(title: str) -> str:
    # A title is plain text: keep Markdown from reading it as markup or attributes.
    return re.sub(r"([\\`*_{}\[\]<>#|$])", r"\\\1", " ".join(title.split()))


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
    topics: dict[str, list[EntryDocument]] = {}
    drafts: dict[str, list[EntryDocument]] = {}
    for doc in in_sheet_order(documents):
        (drafts if is_draft(doc) else topics).setdefault(doc.entry.topic, []).append(doc)
    parts: list[str] = []
    for topic in sorted(topics):
        parts.append(f"# {_heading_text(topic_title(topic))} {{#topic-{topic} .{TOPIC_CLASS}}}\n")
        for doc in topics[topic]:
            parts.append(
                f"## {_heading_text(doc.entry.title)} {{#{doc.entry.id} .{ENTRY_CLASS}}}\n"
            )
            if answers and doc.body.strip():
                parts.append(close_fences(fix_spaced_math(doc.body)) + "\n")
            elif answers:
                parts.append(f"*{NO_ANSWER.get(doc.entry.lang, NO_ANSWER['en'])}*\n")
    if drafts:
        parts.append(f"# {DRAFTS_TITLE} {{#{DRAFTS_ID} .{TOPIC_CLASS}}}\n")
        for topic in sorted(drafts):
            items = "\n".join(f"- {_heading_text(d.entry.title)}" for d in drafts[topic])
            name = _heading_text(topic_title(topic))
            parts.append(f"## {name} {{#{DRAFTS_ID}-{topic} .{DRAFTS_TOPIC_CLASS}}}\n\n{items}\n")
    return "\n".join(parts)


class _ImageCheck:
    """Decides per image (keep, rewritten to a root-relative path, or drop with a warning)
    and per link (a link to another entry becomes a jump inside the PDF)."""

    def __init__(self, base: Path, documents: Sequence[EntryDocument]) -> None:
        self.base = base.resolve()
        documents = [doc for doc in documents if not is_draft(doc)]  # drafts have no label
        self.by_id = {doc.entry.id: doc for doc in documents}
        self.by_path = {Path(d.path).resolve(): d.entry.id for d in documents if d.path}
        self.current: EntryDocument | None = None
        self.labels: set[str] = set()
        self.checked: dict[Path, str | None] = {}
        self.warnings: list[str] = []
        # decisions made while converting one piece, kept with its cached typst
        self.images_seen: list[tuple[str, str | None]] = []
        self.links_seen: list[tuple[str, str | None]] = []

    def link(self, url: str) -> str | None:
        target = self._link(url)
        self.links_seen.append((url, target))
        return target

    def resolve(self, src: str) -> str | None:
        target = self._resolve(src)
        self.images_seen.append((src, target))
        return target

    def still_true(self, record: TypstRecord) -> bool:
        """Whether a cached piece's image and link decisions hold today (warnings of
        its images are given again as a side effect, as on a fresh conversion)."""
        _text, _ids, images, links = record
        return all(self._resolve(src) == target for src, target in images) and all(
            self._link(url) == target for url, target in links
        )

    def _link(self, url: str) -> str | None:
        """Target to keep (``#label`` or an external URL), or None to keep only the text.

        typst fails on a link to a label that does not exist, and a relative file
        link means nothing on paper, so those become plain text.
        """
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return url if parts.scheme.lower() in LINK_SCHEMES else None  # no javascript:
        if not parts.path:
            fragment = unquote(parts.fragment)
            if self.current is not None and scoped(self.current.entry.id, fragment) in self.labels:
                return "#" + scoped(self.current.entry.id, fragment)  # a heading of this entry
            return url if fragment in self.labels else None
        folder = self.base
        if self.current is not None and self.current.path is not None:
            folder = Path(self.current.path).resolve().parent
        target = self.by_path.get((folder / unquote(parts.path)).resolve())
        return f"#{target}" if target else None

    def where(self, needle: str | None = None) -> str:
        """``topic/file.md`` (plus ``:line`` of ``needle`` in the file) for messages."""
        doc = self.current
        if doc is None:
            return "cheat sheet"
        if doc.path is None:
            return doc.entry.id
        where = shown(Path(doc.path).resolve(), self.base)
        if needle:  # warnings only: reading the file again is cheap and gives the true line
            try:
                lines = Path(doc.path).read_text("utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                lines = []
            for number, line in enumerate(lines[doc.body_line - 1 :], start=doc.body_line):
                if needle in line:
                    return f"{where}:{number}"
        return where

    def _resolve(self, src: str) -> str | None:
        """Root-relative typst path of ``src``, or None (and a warning) to drop it."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            self.warnings.append(
                f"{self.where(src)}: image {src} is not a local file; left out of the PDF "
                "(the build uses no network; save the image inside the base)"
            )
            return None
        raw = unquote(parts.path)
        if PurePosixPath(raw).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", raw):
            self.warnings.append(
                f"{self.where(src)}: image {src} is an absolute path; refused "
                "(use a path relative to the entry, inside the base)"
            )
            return None
        folder = self.base
        if self.current is not None and self.current.path is not None:
            folder = Path(self.current.path).resolve().parent
        target = (folder / raw).resolve()
        if not is_inside(target, self.base):
            self.warnings.append(f"{self.where(src)}: image {src} points outside the base; refused")
            return None
        if not target.is_file():
            self.warnings.append(
                f"{self.where(src)}: image {src} not found; left out of the PDF "
                "(add the file or fix the path)"
            )
            return None
        if target.suffix.lower() not in IMAGE_TYPES:
            kinds = ", ".join(sorted(IMAGE_TYPES))
            self.warnings.append(
                f"{self.where(src)}: image {src} is not a supported picture ({kinds}); left out"
            )
            return None
        if target not in self.checked:  # one read per picture, however often it is used
            self.checked[target] = pictures.problem(target)
        if self.checked[target]:
            self.warnings.append(
                f"{self.where(src)}: image {src} cannot be read ({self.checked[target]}); left out"
            )
            return None
        return "/" + target.relative_to(self.base).as_posix()


def _nothing() -> dict[str, Any]:
    """What a left-out image becomes: no text on the sheet (the warning says why)."""
    return {"t": "Span", "c": [["", [], []], []]}


class _ImgTag(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.src: str | None = None
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag == "img":
            self.src = dict(attrs).get("src")


def html_image_src(raw: str) -> str | None:
    """``src`` of raw HTML that is one ``<img>`` tag (as pandoc hands it over), else None."""
    if not raw.lstrip().lower().startswith("<img"):
        return None
    tag = _ImgTag()
    tag.feed(raw)
    tag.close()
    return tag.src if tag.tags == 1 and tag.src else None


def _is_line_break(element: dict[str, Any], hard_breaks: bool) -> bool:
    """``<br>`` (in table cells above all), or a single newline where the source app
    shows one as a line break."""
    if element["t"] == "RawInline":
        return element["c"][0] == "html" and bool(_BR.match(element["c"][1]))
    return element["t"] == "SoftBreak" and hard_breaks


def _keeps_line_breaks(doc: EntryDocument | None) -> bool:
    return doc is not None and doc.entry.source.kind in LINE_BREAK_SOURCES


def _has_image(node: Any) -> bool:
    if isinstance(node, dict):
        return node.get("t") == "Image" or any(_has_image(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_image(v) for v in node)
    return False


def _walk(node: Any, visit: Callable[[dict[str, Any]], Any]) -> Any:
    """Rebuild ``node`` bottom-up, letting ``visit`` replace any AST element."""
    if isinstance(node, list):
        return [_walk(item, visit) for item in node]
    if isinstance(node, dict):
        rebuilt = {key: _walk(value, visit) for key, value in node.items()}
        return visit(rebuilt) if "t" in rebuilt else rebuilt
    return node


def _clean_blocks(blocks: Iterable[Any], images: _ImageCheck) -> list[Any]:
    out: list[Any] = []
    for block in blocks:
        if block.get("t") == "Header":
            _level, (ident, classes, _attrs), _inlines = block["c"]
            if ENTRY_CLASS in classes:
                images.current = images.by_id.get(ident)

        def visit(
            element: dict[str, Any], hard_breaks: bool = _keeps_line_breaks(images.current)
        ) -> Any:
            kind = element["t"]
            if kind == "Header" and not _SHEET_CLASSES & set(element["c"][1][1]):
                element["c"][0] = min(element["c"][0] + 2, 6)  # answers sit under questions
            if kind in {"RawInline", "RawBlock"} and element["c"][0] == "html":
                src = html_image_src(element["c"][1])
                if src is not None:  # <img src>: a picture like ![](src), checked the same way
                    image = {"t": "Image", "c": [["", [], []], [], [src, ""]]}
                    element = image if kind == "RawInline" else {"t": "Para", "c": [image]}
                    kind = element["t"]
            if kind == "Image":
                _attr, _alt, (src, _title) = element["c"]
                target = images.resolve(src)
                if target is None:
                    return _nothing()
                element["c"][2][0] = target
            elif kind == "Para" and element["c"] and element["c"][0]["t"] == "Image":
                image = element["c"][0]
                target = images.resolve(image["c"][2][0])
                if target is None:
                    return {"t": "Plain", "c": []}
                image["c"][2][0] = target
            elif _is_line_break(element, hard_breaks):
                return {"t": "LineBreak"}
            elif kind == "Table":
                for spec in element["c"][2]:  # column specs: (alignment, width)
                    if spec[0]["t"] == "AlignDefault":
                        spec[0] = {"t": "AlignLeft"}
            elif kind == "Link":
                target = images.link(element["c"][2][0])
                if target is None:
                    return {"t": "Span", "c": [["", [], []], element["c"][1]]}
                element["c"][2][0] = target
            elif kind == "Figure" and not _has_image(element["c"][2]):
                return {"t": "Plain", "c": []}  # its picture was left out: so is the caption
            return element

        out.append(_walk(block, visit))
    return out


def scoped(entry_id: str, ident: str) -> str:
    """The sheet-wide id of heading ``ident`` inside entry ``entry_id``."""
    return f"{entry_id}--{ident}"


def _scope_ids(blocks: list[Any], doc: EntryDocument | None) -> None:
    """Answer headings get ids unique in the sheet (``<entry id>--<slug>``): many
    answers have a "Formulas" heading, and each entry converts on its own, so plain
    slugs would repeat, and typst refuses a label that occurs twice. In-entry
    ``#slug`` links follow (see ``_ImageCheck._link``)."""
    if doc is None:
        return
    entry_id = doc.entry.id

    def visit(element: dict[str, Any]) -> Any:
        if element["t"] == "Header":
            ident, classes, _attrs = element["c"][1]
            if ident and not {ENTRY_CLASS, TOPIC_CLASS, DRAFTS_TOPIC_CLASS} & set(classes):
                element["c"][1][0] = scoped(entry_id, ident)
        return element

    blocks[:] = _walk(blocks, visit)


def _rename_clashing_ids(blocks: list[Any], documents: Sequence[EntryDocument]) -> None:
    """An answer heading must not take an entry's or topic's id: typst rejects a link
    to a label that occurs twice, and links to entries are what the ids are for."""
    reserved = {d.entry.id for d in documents} | {f"topic-{d.entry.topic}" for d in documents}
    for block in blocks:
        if block.get("t") == "Header":
            ident, classes, _attrs = block["c"][1]
            if ident in reserved and not {ENTRY_CLASS, TOPIC_CLASS, DRAFTS_TOPIC_CLASS} & set(
                classes
            ):
                block["c"][1][0] = f"{ident}-section"


def _header_ids(node: Any) -> set[str]:
    """Heading identifiers: the only labels pandoc's typst writer puts in the document."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _header_ids(item)
    elif isinstance(node, dict):
        if node.get("t") == "Header" and node["c"][1][0]:
            found.add(node["c"][1][0])
        for value in node.values():
            if isinstance(value, list | dict):
                found |= _header_ids(value)
    return found


def nesting(body: str) -> int:
    """How deep lists and quotes nest at most: markers opening a line plus indent levels.

    An upper bound that is cheap to compute: pandoc's JSON for thousands of levels
    overflows Python's recursion limit, so such entries are left out instead.
    """
    deepest = 0
    for line in body.split("\n"):
        indent = len(line) - len(line.lstrip(" \t"))
        depth, pos = 0, 0
        while (found := _CONTAINER.match(line, pos)) and found.end() > pos:
            depth, pos = depth + 1, found.end()
        deepest = max(deepest, depth + indent // 2)
    return deepest


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
        depth = nesting(doc.body)
        if depth <= MAX_NESTING:
            kept.append(doc)
            continue
        warnings.append(
            f"{_shown(doc, base)}: lists or quotes nest {depth} levels deep (more than "
            f"{MAX_NESTING}); left out of the PDF: flatten them"
        )
    return kept, warnings


def _shown(doc: EntryDocument, base: Path) -> str:
    """The entry as warnings name it: its path in the base, else its id."""
    return doc.entry.id if doc.path is None else shown(Path(doc.path).resolve(), base)


def _pieces(documents: Sequence[EntryDocument], answers: bool) -> list[_Piece]:
    """The sheet in order, as pieces converted and cached one by one."""
    markdown = assemble(documents, answers)
    pieces: list[_Piece] = []
    by_id = {doc.entry.id: doc for doc in documents}
    current: list[str] = []
    doc: EntryDocument | None = None
    for line in markdown.split("\n"):
        header = _PIECE_HEAD.match(line)
        if header and (current or doc):
            pieces.append(_Piece("", "\n".join(current), doc))
            current = []
        if header:
            doc = by_id.get(header.group(2)) if header.group(1) == "##" else None
        current.append(line)
    if current:
        pieces.append(_Piece("", "\n".join(current), doc))
    for piece in pieces:
        source = piece.doc.entry.source.kind if piece.doc else ""
        where = str(piece.doc.path) if piece.doc and piece.doc.path else ""
        piece.key = _key("typst", str(answers), source, where, piece.markdown)
    return pieces


_PIECE_HEAD = re.compile(rf"^(#|##) .* \{{#([^ ]+) \.(?:{ENTRY_CLASS}|{TOPIC_CLASS})\}}$")


def _key(*parts: str) -> str:
    import hashlib

    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def build(
    base: Path,
    documents: Sequence[EntryDocument],
    answers: bool,
    cache: dict[str, TypstRecord] | None = None,
) -> TypstSource:
    """Typst body for ``documents``; images checked against ``base``.

    With ``cache`` (piece key -> record), pieces whose Markdown, place and answers flag
    are unchanged and whose image and link decisions still hold are reused: only the
    others go through pandoc (on two processes when there are many).
    """
    documents, deep = _too_deep(base.resolve(), documents)
    pieces = _pieces(documents, answers)
    images = _ImageCheck(base, documents)
    store = cache if cache is not None else {}
    reserved = {d.entry.id for d in documents} | {f"topic-{d.entry.topic}" for d in documents}
    records: dict[int, TypstRecord] = {}
    for index, piece in enumerate(pieces):
        record = store.get(piece.key)
        if record is not None and not (set(record[1]) - {piece_id(piece)}) & reserved:
            records[index] = record
    todo = [i for i in range(len(pieces)) if i not in records]
    blocks, api = _to_ast([pieces[i] for i in todo])
    fresh = dict(zip(todo, blocks, strict=True))
    for index, piece_blocks in fresh.items():
        _scope_ids(piece_blocks, pieces[index].doc)
        _rename_clashing_ids(piece_blocks, documents)
    images.labels = {label for r in records.values() for label in r[1]}
    images.labels |= {label for b in fresh.values() for label in _header_ids(b)}
    for index in sorted(records):  # recheck what a reused piece relied on
        images.current = pieces[index].doc
        before = len(images.warnings)
        if not images.still_true(records[index]):
            del images.warnings[before:]
            again, api = _to_ast([pieces[index]])
            _scope_ids(again[0], pieces[index].doc)
            _rename_clashing_ids(again[0], documents)
            fresh[index] = again[0]
            del records[index]
    for index in sorted(fresh):
        images.images_seen, images.links_seen = [], []
        images.current = pieces[index].doc
        cleaned = _clean_blocks(fresh[index], images)
        fresh[index] = cleaned
        records[index] = ("", sorted(_header_ids(cleaned)), images.images_seen, images.links_seen)
    texts = _to_typst([fresh[i] for i in sorted(fresh)], api)
    left_out: set[int] = set()  # pieces pandoc gave up on
    for index, text in zip(sorted(fresh), texts, strict=True):
        record = records[index]
        records[index] = (text.replace(_PANDOC_BOXED, "#kbboxed("), *record[1:])
        reason = _left_out(text)
        if reason is None:
            store[pieces[index].key] = records[index]
        else:  # not cached: tried again (and warned about) on the next export
            left_out.add(index)
            doc = pieces[index].doc
            deep.append(
                f"{_shown(doc, base) if doc else 'cheat sheet'}: {reason}; left out of the PDF "
                "(split it into smaller entries, or put fewer links or list items in one "
                "paragraph)"
            )
    body = "\n".join(records[i][0] for i in range(len(pieces)))
    labels = {
        f"<{doc.entry.id}>": images_where(images, doc) for doc in documents if not is_draft(doc)
    }
    made_of = {piece.key: records[i] for i, piece in enumerate(pieces) if i not in left_out}
    return TypstSource(body, labels, [*deep, *images.warnings], made_of)


def _left_out(text: str) -> str | None:
    """Why a piece's typst is a stand-in (pandoc gave up on it), or None."""
    for line in text.split("\n"):
        if line.startswith(_LEFT_OUT):
            return line[len(_LEFT_OUT) :]
    return None


def piece_id(piece: _Piece) -> str:
    return piece.doc.entry.id if piece.doc else ""


def _chunks(items: list[Any]) -> list[list[Any]]:
    if len(items) < PARALLEL_FROM:
        return [items] if items else []
    half = (len(items) + 1) // 2
    return [items[:half], items[half:]]


def _parallel(convert: Callable[[Any], list[Any]], chunks: list[Any]) -> list[Any]:
    """Run ``convert`` over ``chunks`` (a pandoc process each, so on both cores)."""
    if len(chunks) <= 1:
        return [item for chunk in chunks for item in convert(chunk)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        return [item for part in pool.map(convert, chunks) for item in part]


def _to_ast(pieces: list[_Piece]) -> tuple[list[list[Any]], Any]:
    """Each piece's pandoc AST blocks (one pandoc call per chunk of pieces)."""
    api: list[Any] = [None]

    def convert(chunk: list[_Piece]) -> list[list[Any]]:
        # a paragraph of one word no note contains (raw blocks are off in MARKDOWN)
        marker = f"\n\n{_SPLIT_WORD}\n\n"
        ast = json.loads(_pandoc(marker.join(p.markdown for p in chunk), "json", MARKDOWN))
        api[0] = ast["pandoc-api-version"]
        parts: list[list[Any]] = [[]]
        for block in ast["blocks"]:
            if block == {"t": "Para", "c": [{"t": "Str", "c": _SPLIT_WORD}]}:
                parts.append([])
            else:
                parts[-1].append(block)
        if len(parts) != len(chunk):
            raise InputError(
                "an entry's Markdown split the sheet into the wrong number of pieces",
                hint="look for an unclosed raw block or fence",
            )
        _number_ids_per_piece(parts)
        return parts

    def stand_in(piece: _Piece, error: pandoc_run.PandocTooBig) -> list[Any]:
        heading = piece.markdown.split("\n", 1)[0]
        blocks = convert([_Piece(piece.key, f"{heading}\n\n*{_LEFT_OUT_TEXT}*", piece.doc)])[0]
        return [*blocks, {"t": "RawBlock", "c": ["typst", _LEFT_OUT + error.message]}]

    blocks = _parallel(
        lambda chunk: pandoc_run.each_alone(convert, chunk, stand_in, lambda p: len(p.markdown)),
        _chunks(pieces),
    )
    return blocks, api[0]


_NUMBERED = re.compile(r"^(.+)-(\d+)$")


def _number_ids_per_piece(parts: list[list[Any]]) -> None:
    """Heading ids as if each piece had been converted alone.

    pandoc makes auto ids unique over the whole input (``formulas``, ``formulas-1``,
    ...), but a link ``#formulas`` in an entry means that entry's own heading, as the
    linter reads it. So each ``base-N`` that only exists because an earlier piece of
    the chunk used ``base`` is numbered again within its own piece.
    """
    used: set[str] = set()  # ids pandoc gave so far in the chunk
    for blocks in parts:
        local: set[str] = set()

        def visit(element: dict[str, Any], local: set[str] = local) -> Any:
            if element["t"] != "Header" or not element["c"][1][0]:
                return element
            ident = element["c"][1][0]
            if _SHEET_CLASSES & set(element["c"][1][1]):  # ids kbtool gave: never renumbered
                used.add(ident)
                return element
            numbered = _NUMBERED.match(ident)
            base = numbered.group(1) if numbered and numbered.group(1) in used else ident
            used.add(ident)
            mine, n = base, 0
            while mine in local:
                n += 1
                mine = f"{base}-{n}"
            local.add(mine)
            element["c"][1][0] = mine
            return element

        blocks[:] = _walk(blocks, visit)


def _to_typst(pieces: list[list[Any]], api: Any) -> list[str]:
    """Each piece's typst text (one pandoc call per chunk)."""

    def convert(chunk: list[list[Any]]) -> list[str]:
        blocks: list[Any] = []
        for number, piece in enumerate(chunk):
            if number:
                blocks.append({"t": "RawBlock", "c": ["typst", _SPLIT]})
            blocks.extend(piece)
        ast = {"pandoc-api-version": api, "meta": {}, "blocks": blocks}
        text = _pandoc(json.dumps(ast, ensure_ascii=False), "typst", "json")
        parts = text.split(_SPLIT + "\n")
        if len(parts) != len(chunk):
            raise InputError("pandoc's typst could not be split back into entries")
        return [part.rstrip("\n") + "\n" for part in parts]

    def stand_in(piece: list[Any], error: pandoc_run.PandocTooBig) -> str:
        heading = [block for block in piece[:1] if block.get("t") == "Header"]
        note = {"t": "Para", "c": [{"t": "Emph", "c": [{"t": "Str", "c": _LEFT_OUT_TEXT}]}]}
        left_out = {"t": "RawBlock", "c": ["typst", _LEFT_OUT + error.message]}
        return convert([[*heading, note, left_out]])[0]

    return _parallel(lambda chunk: pandoc_run.each_alone(convert, chunk, stand_in), _chunks(pieces))


def _pandoc(text: str, to: str, source_format: str) -> str:
    return pandoc_run.convert(text, to, source_format, PANDOC_ARGS)


def images_where(images: _ImageCheck, doc: EntryDocument) -> str:
    """How an entry is named in messages: its path inside the base, else its id."""
    saved = images.current
    images.current = doc
    try:
        return images.where()
    finally:
        images.current = saved
