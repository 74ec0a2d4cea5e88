"""Build the typst source of a cheat sheet: one Markdown document, pandoc, a clean AST.

Entries become one Markdown document (topic = level 1 heading, question = level 2
heading with the entry id as its anchor, answer under it). Pandoc parses it to its
JSON AST, where images are checked (inside the base and present, or dropped with a
warning) and answer headings are pushed below the question level; pandoc then
writes typst from the cleaned AST. Working on the AST rather than on Markdown text
means code blocks, reference-style images and nested lists need no special cases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import pypandoc

from kbtool.errors import InputError
from kbtool.export import pictures
from kbtool.markdown.scan import mask_code
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
PANDOC_ARGS = ["--sandbox", "--quiet", "--wrap=preserve"]
LINK_SCHEMES = {"http", "https", "mailto", "ftp"}
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
NO_ANSWER = {"ru": "(ответа пока нет)", "en": "(no answer yet)"}
ENTRY_CLASS = "kb-entry"
TOPIC_CLASS = "kb-topic"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# `$ x_1 $`: pandoc only reads `$...$` as math without inner edge spaces; notes often have them.
_SPACED_MATH = re.compile(r"(?<![\\$\w])\$(?!\$)([^$\n]+?)(?<!\\)\$(?![$\d])")
_TEX_HINT = re.compile(r"[\\^_{}]")
# What pandoc writes for `\boxed{`; the template's `kbboxed` is a lighter frame.
_PANDOC_BOXED = "#box(stroke: black, inset: 3pt, "
MAX_NESTING = 32  # list/quote levels: beyond real notes, below typst's show-rule depth
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=\s|$)[ \t]?")


@dataclass
class TypstSource:
    """Typst body text plus what is needed to explain problems in it."""

    body: str
    entry_labels: dict[str, str]  # typst label line "<id>" -> entry file for error messages
    warnings: list[str] = field(default_factory=list)


def topic_title(topic: str) -> str:
    """``deep-learning`` -> ``Deep learning``: readable without a topic registry."""
    if len(topic) <= 3:  # ml, nlp, cv, sql: abbreviations
        return topic.upper()
    words = topic.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def fix_spaced_math(text: str) -> str:
    """Turn ``$ a^2 $`` into ``$a^2$`` outside code, when the inside looks like TeX."""
    masked = mask_code(text)
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


def assemble(documents: Sequence[EntryDocument], answers: bool) -> str:
    """One Markdown document: topics in name order, entries in the order given."""
    topics: dict[str, list[EntryDocument]] = {}
    for doc in documents:
        topics.setdefault(doc.entry.topic, []).append(doc)
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
    return "\n".join(parts)


class _ImageCheck:
    """Decides per image (keep, rewritten to a root-relative path, or drop with a warning)
    and per link (a link to another entry becomes a jump inside the PDF)."""

    def __init__(self, base: Path, documents: Sequence[EntryDocument]) -> None:
        self.base = base.resolve()
        self.by_id = {doc.entry.id: doc for doc in documents}
        self.by_path = {Path(d.path).resolve(): d.entry.id for d in documents if d.path}
        self.current: EntryDocument | None = None
        self.labels: set[str] = set()
        self.checked: dict[Path, str | None] = {}
        self.warnings: list[str] = []

    def link(self, url: str) -> str | None:
        """Target to keep (``#label`` or an external URL), or None to keep only the text.

        typst fails on a link to a label that does not exist, and a relative file
        link means nothing on paper, so those become plain text.
        """
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return url if parts.scheme.lower() in LINK_SCHEMES else None  # no javascript:
        if not parts.path:
            return url if unquote(parts.fragment) in self.labels else None
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

    def resolve(self, src: str) -> str | None:
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


def _placeholder(src: str) -> dict[str, Any]:
    return {"t": "Emph", "c": [{"t": "Str", "c": f"[image left out: {src}]"}]}


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
            level, (ident, classes, _attrs), _inlines = block["c"]
            if ENTRY_CLASS in classes:
                images.current = images.by_id.get(ident)
            elif TOPIC_CLASS not in classes:
                block["c"][0] = min(level + 2, 6)  # answer headings sit under the question

        def visit(element: dict[str, Any]) -> Any:
            if element["t"] == "Image":
                _attr, _alt, (src, _title) = element["c"]
                target = images.resolve(src)
                if target is None:
                    return _placeholder(src)
                element["c"][2][0] = target
            elif element["t"] == "Link":
                target = images.link(element["c"][2][0])
                if target is None:
                    return {"t": "Span", "c": [["", [], []], element["c"][1]]}
                element["c"][2][0] = target
            elif element["t"] == "Figure" and not _has_image(element["c"][2]):
                return {"t": "Para", "c": _first_inlines(element["c"][2])}
            return element

        out.append(_walk(block, visit))
    return out


def _rename_clashing_ids(blocks: list[Any], documents: Sequence[EntryDocument]) -> None:
    """An answer heading must not take an entry's or topic's id: typst rejects a link
    to a label that occurs twice, and links to entries are what the ids are for."""
    reserved = {d.entry.id for d in documents} | {f"topic-{d.entry.topic}" for d in documents}
    for block in blocks:
        if block.get("t") == "Header":
            ident, classes, _attrs = block["c"][1]
            if ident in reserved and not {ENTRY_CLASS, TOPIC_CLASS} & set(classes):
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


def _first_inlines(blocks: list[Any]) -> list[Any]:
    for block in blocks:
        if block.get("t") in {"Para", "Plain"}:
            return list(block["c"])
    return []


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
        depth = nesting(doc.body)
        if depth <= MAX_NESTING:
            kept.append(doc)
            continue
        where = doc.entry.id if doc.path is None else shown(Path(doc.path).resolve(), base)
        warnings.append(
            f"{where}: lists or quotes nest {depth} levels deep (more than {MAX_NESTING}); "
            "left out of the PDF: flatten them"
        )
    return kept, warnings


def build(base: Path, documents: Sequence[EntryDocument], answers: bool) -> TypstSource:
    """Typst body for ``documents``; images checked against ``base``."""
    documents, deep = _too_deep(base.resolve(), documents)
    markdown = assemble(documents, answers)
    ast = json.loads(_pandoc(markdown, "json", MARKDOWN))
    images = _ImageCheck(base, documents)
    _rename_clashing_ids(ast["blocks"], documents)
    images.labels = _header_ids(ast["blocks"])
    ast["blocks"] = _clean_blocks(ast["blocks"], images)
    body = _pandoc(json.dumps(ast, ensure_ascii=False), "typst", "json")
    labels = {f"<{doc.entry.id}>": images_where(images, doc) for doc in documents}
    body = body.replace(_PANDOC_BOXED, "#kbboxed(")
    return TypstSource(body=body, entry_labels=labels, warnings=[*deep, *images.warnings])


def _pandoc(text: str, to: str, source_format: str) -> str:
    try:
        out: str = pypandoc.convert_text(text, to, format=source_format, extra_args=PANDOC_ARGS)
    except (RuntimeError, OSError) as exc:  # pandoc missing or crashed: not the user's notes
        raise InputError(
            f"pandoc could not convert the entries to {to}: {exc}",
            hint="reinstall pypandoc-binary (it ships pandoc)",
        ) from None
    return out


def images_where(images: _ImageCheck, doc: EntryDocument) -> str:
    """How an entry is named in messages: its path inside the base, else its id."""
    saved = images.current
    images.current = doc
    try:
        return images.where()
    finally:
        images.current = saved
