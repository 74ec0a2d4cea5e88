"""A file as the rules see it: parsed once, shared by every rule."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kbtool.errors import FrontMatterIssue, InputError
from kbtool.store.front_matter import split
from kbtool.store.text import read_text

if TYPE_CHECKING:
    from kbtool.lint.facts import Facts
    from kbtool.lint.rule import FileRule
    from kbtool.markdown.document import Document
    from kbtool.model.entry import Entry


class EntryFacts(NamedTuple):
    """What the rules read of a valid entry's front matter (plain data, cacheable)."""

    id: str
    kind: str
    status: str
    title: str
    aliases: tuple[str, ...]

    @classmethod
    def of(cls, entry: Entry) -> EntryFacts:
        return cls(entry.id, str(entry.kind), str(entry.status), entry.title, tuple(entry.aliases))


# The digest of a front matter text that validated, and its EntryFacts: handed back to
# ``load`` when the file is re-read, so an edit below the front matter (the usual one)
# skips YAML and schema validation, and the pre-commit run skips importing pydantic.
KnownFrontMatter = tuple[str, tuple[Any, ...]]


@dataclass(eq=False, repr=False)  # mutable: compared by identity
class LintDocument:
    """``entry`` is set when the front matter is a valid entry; ``is_entry`` when the
    file is meant to be one (it lies in the base, or its front matter names an ``id``
    or a ``kind``)."""

    path: Path
    display: str
    text: str
    body: str
    body_line: int
    is_entry: bool
    front_matter: Any = None
    entry: EntryFacts | None = None
    front_matter_key: str = ""  # digest of the front matter text, set when it is valid
    front_matter_issues: list[FrontMatterIssue] = field(default_factory=list)
    read_error: InputError | None = None

    @property
    def body_offset(self) -> int:
        """Character offset of ``body`` in ``text`` (for :class:`~kbtool.lint.problem.Fix`)."""
        return len(self.text) - len(self.body)

    @cached_property
    def markdown(self) -> Document:
        """The body's structure, parsed once and shared by every rule."""
        from kbtool.markdown.document import facts_of

        return facts_of(self.body)

    @cached_property
    def masked_body(self) -> str:
        """``body`` with code and HTML comments blanked (same length and lines), as the
        parser reads them: rules that search prose search this."""
        from kbtool.markdown.document import PROSE_MASK

        return self.markdown.masked(PROSE_MASK)

    @cached_property
    def facts(self) -> Facts:
        """Headings, anchors, links, TOC items and suppressions of this document."""
        from kbtool.lint.facts import extract

        return extract(self.markdown, self.body_line, self.body_offset)


# The entry kinds (kbtool.model.entry.EntryKind, kept in step by a test; importing the
# model here would cost every lint run pydantic's start-up)
ENTRY_KINDS = ("question", "note")
# kbtool's own marks in front matter: a top-level ``kind:`` it knows, or an ``id:`` with the
# ``source:`` record that import and ``kbtool new`` write. A site generator's front
# matter (MkDocs, Jekyll, Hugo: title, description, layout, date) has neither, nor has
# another note tool's (an Obsidian vault's own id, title, topic, status, ``kind: moc``).
_KIND = re.compile(
    rf"""^kind[ \t]*:[ \t]*(["']?)(?:{"|".join(ENTRY_KINDS)})\1[ \t]*(?:#.*)?$""", re.MULTILINE
)
_ID = re.compile(r"^id[ \t]*:", re.MULTILINE)
# ``source:`` holding a mapping, inline (``{kind: manual}``) or as indented keys below
_SOURCE = re.compile(r"^source[ \t]*:[ \t]*(?:\{|(?:#.*)?\n[ \t]+[^\s#-])", re.MULTILINE)


def claims_entry(yaml_text: str) -> bool:
    """Whether front matter outside the base is an entry's: a documentation page's
    ``title``/``description`` block, or a vault's notes with their own schema, make raw
    documents, not a schema error for each of their keys."""
    if _KIND.search(yaml_text):
        return True
    return _ID.search(yaml_text) is not None and _SOURCE.search(yaml_text) is not None


def load(
    path: Path, display: str, *, expect_entry: bool, known: KnownFrontMatter | None = None
) -> LintDocument:
    """Read and split ``path``; never raises for bad content (it becomes issues).

    ``known``: the front matter this file had when it last validated (from the cache).
    """
    try:
        text = read_text(path, display)
    except InputError as exc:
        return LintDocument(path, display, "", "", 1, expect_entry, read_error=exc)
    doc = split(text)
    meant = expect_entry or (doc.yaml is not None and claims_entry(doc.yaml))
    result = LintDocument(path, display, text, doc.body, doc.body_line, meant)
    if not result.is_entry:
        return result
    if not text.strip():
        result.front_matter_issues.append(
            FrontMatterIssue(1, "", "file is empty; an entry starts with a front matter block")
        )
    elif doc.yaml is None:
        result.front_matter_issues.append(
            FrontMatterIssue(
                1, "", "no front matter; an entry starts with a line '---', its keys, and '---'"
            )
        )
    elif doc.unterminated:
        result.front_matter_issues.append(
            FrontMatterIssue(
                1, "", "front matter is not closed; add a line '---' after its last key"
            )
        )
    else:
        key = digest_of(doc.yaml.encode("utf-8", "surrogatepass"))
        if known is not None and known[0] == key:
            result.entry = EntryFacts._make(known[1])
        else:
            # imported here: pydantic (and jsonschema, for front matter the model refuses)
            # only when a file is (re)read, not when every fact comes from the cache
            from kbtool.store.entry_file import load_entry

            data, issues, entry = load_entry(doc.yaml)
            result.front_matter = data
            result.front_matter_issues.extend(issues)
            result.entry = EntryFacts.of(entry) if entry is not None else None
        if result.entry is not None:
            result.front_matter_key = key
    return result


class PlainProblem(NamedTuple):
    """A :class:`~kbtool.lint.problem.Problem` without its path, in a cached record;
    ``fix`` is ``(start, end, replacement, description)``."""

    line: int
    column: int
    code: str
    name: str
    severity: str
    message: str
    fix: tuple[int, int, str, str] | None


class Record(NamedTuple):
    """A file's analysis: what the cache keeps and workers send back.

    ``facts`` is the marshal-ed :class:`~kbtool.lint.facts.Facts` (decoded on use);
    ``problems`` the per-file (``check``) findings as plain :class:`PlainProblem`
    tuples; ``links_into`` the files this one links to with a ``#fragment`` (normalized
    absolute paths, and ``[[name`` for wikilinks), from which the linter finds the files
    that link into a changed one. Marshal stores plain tuples only: :meth:`plain` and
    :meth:`of` convert at the cache boundary.
    """

    digest: str
    is_entry: bool
    id: str | None
    title: str | None
    title_line: int
    aliases: tuple[str, ...]
    facts: bytes | None
    problems: tuple[tuple[Any, ...], ...]
    read_error: str | None
    question: str  # normalized title of a question (see facts.duplicate_key)
    known: KnownFrontMatter | None
    links_into: tuple[str, ...]

    def plain(self) -> tuple[Any, ...]:
        return tuple(self)

    @classmethod
    def of(cls, plain: tuple[Any, ...]) -> Record:
        return record_of_plain(plain)


# ``Record._make`` without its Python frame (C calls only): a warm run converts every
# cached record of the base, 10,000 of them
record_of_plain: Callable[[tuple[Any, ...]], Record] = partial(tuple.__new__, Record)


def digest_of(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def analyze(doc: LintDocument, rules: Iterable[FileRule], context: Any, digest: str) -> Record:
    """Facts and per-file (``check``) rule findings of ``doc``."""
    from kbtool.lint.facts import duplicate_key, to_plain

    if doc.read_error is not None:
        return Record(
            digest, doc.is_entry, None, None, 1, (), None, (), str(doc.read_error), "", None, ()
        )
    problems: list[tuple[Any, ...]] = []
    for rule in rules:
        for p in rule.check(doc, context):
            fix = (p.fix.start, p.fix.end, p.fix.replacement, p.fix.description) if p.fix else None
            problems.append((p.line, p.column, p.code, p.name, p.severity.value, p.message, fix))
    entry_id, title, aliases = _meta(doc)
    return Record(
        digest,
        doc.is_entry,
        entry_id,
        title,
        _title_line(doc),
        aliases,
        to_plain(doc.facts),
        tuple(problems),
        None,
        duplicate_key(title) if title and _asks(doc) else "",
        (doc.front_matter_key, tuple(doc.entry)) if doc.entry is not None else None,
        links_into(doc, context.config.root if context is not None else None),
    )


_LINK_KINDS = {"link", "html-a", "ref-def"}


def links_into(doc: LintDocument, root: Path | None) -> tuple[str, ...]:
    """The files ``doc`` links to with a ``#fragment``: a heading renamed there breaks
    the link here. Wikilinks are kept by name (``[[id``), resolved against the index."""
    from urllib.parse import unquote

    from kbtool.lint import repository
    from kbtool.lint.rules.broken_link import is_external

    folder = os.path.dirname(os.path.abspath(doc.path))
    found: dict[str, None] = {}
    for link in doc.facts.links:
        target = link.target
        if link.kind in ("wikilink", "embed"):
            name, _, heading = target.split("|", 1)[0].partition("#")
            if heading.strip() and name.strip():
                found["[[" + unquote(name).strip().lower()] = None
            continue
        if link.kind not in _LINK_KINDS or "#" not in target or is_external(target):
            continue
        path_part = unquote(target.partition("#")[0].split("?", 1)[0])
        if not path_part:
            continue
        base = folder
        if path_part.startswith("/"):
            if root is None:
                continue
            base, path_part = repository.root_of(folder, str(root)), path_part.lstrip("/")
        found[os.path.normpath(os.path.join(base, path_part))] = None
    return tuple(found)


def _asks(doc: LintDocument) -> bool:
    """Whether the entry is a question (``kind: question``): two notes may share a title
    ("Summary", "Pros" in two lectures) without asking anything twice."""
    if doc.entry is not None:
        return bool(doc.entry.kind == "question")
    data = doc.front_matter if isinstance(doc.front_matter, dict) else {}
    return bool(data.get("kind", "question") == "question")


def _meta(doc: LintDocument) -> tuple[str | None, str | None, tuple[str, ...]]:
    if doc.entry is not None:
        return doc.entry.id, doc.entry.title, doc.entry.aliases
    data = doc.front_matter if isinstance(doc.front_matter, dict) else {}
    entry_id = data.get("id") if isinstance(data.get("id"), str) else None
    title = data.get("title") if isinstance(data.get("title"), str) else None
    raw_aliases = data.get("aliases")
    aliases = (
        tuple(a for a in raw_aliases if isinstance(a, str)) if isinstance(raw_aliases, list) else ()
    )
    return entry_id, title, aliases


def _title_line(doc: LintDocument) -> int:
    head = doc.text[: doc.body_offset]
    for number, line in enumerate(head.split("\n"), start=1):
        if line.startswith("title:"):
            return number
    return 1


def record_of(path: Path, display: str | None = None) -> Any:
    """A :class:`~kbtool.lint.index.FileRecord` of a file outside the index (no rules run)."""
    from kbtool.lint.index import FileRecord

    doc = load(path, display or str(path), expect_entry=False)
    entry_id, title, aliases = _meta(doc)
    return FileRecord(path, doc.display, doc.is_entry, entry_id, title, aliases, doc.facts)
