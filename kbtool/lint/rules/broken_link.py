"""broken-link (KB102): a link to a file that does not exist, or to a heading it lacks.

## What it does
Resolves every relative link (``[text](../topic/other.md)``, ``<a href=...>``, reference
definitions) against the file system (one from the root, ``/docs/x.md``, from the top of
the repository that holds the note, as GitHub reads it), and ``other.md#fragment``
against the headings and anchors of ``other.md`` (GitHub slugs, like broken-anchor).
Resolves Obsidian ``[[wikilinks]]`` — ``[[id]]``, ``[[id#Heading]]``, ``[[id|alias]]``
and note embeds ``![[id]]`` — against entry ids, file names and aliases of the whole
base and of the files linted with it (a folder of Obsidian notes linted as it is finds
each note by name wherever it lies in the folder), and for a note outside the base by
file name in its vault (the nearest folder above holding ``.obsidian/``: linting one
folder of a vault finds notes of its other folders, whose headings are then not checked,
as files not linted are not read); a heading path ``[[id#Part#Heading]]`` names its last
heading, as in Obsidian, and a block reference ``[[id#^1f8d63]]`` is checked for its
note only. In a Logseq graph (the folder holding ``logseq/config.edn``) a ``[[page]]``
is a page of the app whether or not a file holds it, and ``[text]([[page]])`` and
``[text](((block uuid)))`` are Logseq's own links: they are not checked. In a Dendron
vault (the folder holding ``root.schema.yml`` or ``dendron.yml``) the label comes first,
``[[label|note.name#heading]]``, and the note and heading after the bar are checked.
JavaScript's internal slots written in prose (``an object's [[Prototype]]``,
``[[Scopes]]``, ``[[Writable]]``) are not links when no note has that name.
A link to a file that is there but written for another reader — with backslashes
(``.\\docs\\intro.md``), or from a site's root (``/files/cv.pdf``, which Hugo and
Docusaurus serve from ``static/``) — is reported with the path to write relative to the
note; ``--fix`` writes slashes for backslashes. A link that names a file only up to
letter case (``Guide/Setup.md`` for ``guide/setup.md``) is reported, on any system, with
the name to write: macOS and Windows open it, GitHub does not.
External URLs (``http:``, ``https:``, ``mailto:``, any scheme) are not checked: lint
never uses the network. Links from the linted files into unchanged files are checked
against the whole base, so pre-commit mode misses nothing.

## Why is this bad?
A dead link is a question with its answer cut off; after a rename or a move, links
rot silently unless something checks them.

## Example
```markdown
See [BERT](../nlp/bert.md#pretraining) and [[gradient-descnet]].
```

## Use instead
```markdown
See [BERT](../nlp/bert.md#pre-training) and [[gradient-descent]].
```

## Options
None.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

from kbtool.lint import repository, vault
from kbtool.lint.context import LintContext
from kbtool.lint.index import FileRecord, wikilink_names
from kbtool.lint.options import NoOptions
from kbtool.lint.problem import Fix, Problem, Severity
from kbtool.lint.rules.broken_anchor import resolves, suggestion, targets
from kbtool.markdown.document import Link
from kbtool.markdown.slugger import slug
from kbtool.paths import is_drive_path

CODE = "KB102"
NAME = "broken-link"
SEVERITY = Severity.ERROR
Options = NoOptions

_LINK_KINDS = {"link", "html-a", "ref-def"}
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")


def is_external(target: str) -> bool:
    """A URL with a scheme or a host (not a Windows drive, which reads as a scheme)."""
    return bool(_EXTERNAL.match(target)) and not is_drive_path(target)


def local_path(record: FileRecord, target: str, context: LintContext) -> tuple[str, str]:
    """The file a relative link names (normalized absolute path), and its fragment."""
    path_part, _, fragment = target.partition("#")
    path_part = unquote(path_part.split("?", 1)[0])
    if path_part.startswith("/"):
        folder = repository.root_of(record.folder, str(context.config.root))
        path_part = path_part.lstrip("/")
    else:
        folder = record.folder
    return os.path.normpath(os.path.join(folder, path_part)), fragment


def check_base(context: LintContext) -> Iterator[Problem]:
    known: dict[str, set[str]] = {}
    linted = _linted_names(context)
    for record in context.target_records():
        yield from _check_links(record, context, known, linted=linted)
    # files not linted whose links land in a linted one: a heading renamed there
    for record in context.incoming.values():
        yield from _check_links(record, context, known, into=context.targets)


def _check_links(
    record: FileRecord,
    context: LintContext,
    known: dict[str, set[str]],
    into: dict[str, FileRecord] | None = None,
    linted: dict[str, FileRecord] | None = None,
) -> Iterator[Problem]:
    """Problems of ``record``'s links (only those landing in ``into``, when given)."""
    for link in record.facts.links:
        if link.kind == "wikilink" or (
            link.kind == "embed" and Path(_wiki_name(link.target)).suffix in {"", ".md"}
        ):
            if _logseq(record, context):
                continue  # a page of the graph, with or without a file
            target = _wiki_target(record, context, link.target)
            if into is not None:
                other = context.index.wikilink(_wiki_name(target))
                if other is None or other.file not in into:
                    continue
            message = _wikilink_problem(record, target, context, linted or {}, link.target)
        elif link.kind in _LINK_KINDS and not link.target.startswith("#"):
            if not link.target or is_external(link.target):
                continue
            if _logseq(record, context) and _logseq_link(link.target):
                continue
            if into is not None and local_path(record, link.target, context)[0] not in into:
                continue
            message = _file_link_problem(record, link.target, context, known)
            found = written_elsewhere(record, link, context, "links to") if message else None
            if found is not None:
                yield Problem(record.display, link.line, link.column, CODE, NAME, SEVERITY, *found)
                continue
        else:
            continue
        if message:
            yield Problem(record.display, link.line, link.column, CODE, NAME, SEVERITY, message)


def _logseq(record: FileRecord, context: LintContext) -> bool:
    """Whether ``record`` is a page of a Logseq graph, where ``[[page]]`` names a page of
    the app, not a file (``kbtool/lint/apps.py``)."""
    from kbtool.lint.apps import in_logseq_graph

    return in_logseq_graph(context, record.folder)


def _logseq_link(target: str) -> bool:
    from kbtool.lint.apps import logseq_link

    return logseq_link(target)


def _wiki_target(record: FileRecord, context: LintContext, target: str) -> str:
    """``target`` in Obsidian's order (``note#heading|label``): a Dendron vault writes
    the label first."""
    if "|" not in target:
        return target
    from kbtool.lint.apps import dendron_target, in_dendron_vault

    return dendron_target(target) if in_dendron_vault(context, record.folder) else target


def rewritten(record: FileRecord, target: str, context: LintContext) -> str | None:
    """The path to write for a ``target`` that names no file but is one written for
    another reader: with backslashes (``.\\images\\nt_1.png``, written on Windows), or
    from a site's root (``/img/logo.png``, which Hugo and Docusaurus serve from
    ``static/img/logo.png``); None when it names nothing either way."""
    if "\\" in target:
        slashed = target.replace("\\", "/")
        path, _fragment = local_path(record, slashed, context)
        if context.exists(path) and not os.path.isdir(path):
            return slashed
    if target.startswith("/") and not target.startswith("//"):
        path_part, hash_, fragment = target.partition("#")
        for folder in _SITE_FILES:
            root = repository.root_of(record.folder, str(context.config.root))
            path = os.path.join(root, folder, unquote(path_part).lstrip("/"))
            if context.exists(path) and not os.path.isdir(path):
                relative = os.path.relpath(path, record.folder).replace(os.sep, "/")
                return quote(relative, safe="/()'!,;=+@~") + hash_ + fragment
    return None


# where a static site generator keeps the files it serves from the site's root
_SITE_FILES = ("static", "public")


def rewritten_message(what: str, target: str, path: str) -> str:
    if "\\" in target:
        why = "with backslashes, which only Windows reads as folders"
        return (
            f'{what} "{target}" {why} (the PDF, the study page and Anki find no such '
            f'file); write "{path}"'
        )
    return (
        f'{what} "{target}" from the site\'s root, which only the built site serves; '
        f'GitHub, the PDF, the study page and Anki find no such file; for them write "{path}"'
    )


def rewrite_fix(target: str, start: int, end: int, path: str) -> Fix | None:
    """Slashes for backslashes is safe; a site's root path stays the author's call (the
    path relative to the note breaks a Hugo site, whose pages live at other addresses)."""
    return Fix(start, end, path, f'write "{path}"') if "\\" in target else None


def written_elsewhere(
    record: FileRecord, link: Link, context: LintContext, what: str
) -> tuple[str, Fix | None] | None:
    """The message and fix for a link or picture that names a file only as another reader
    writes it (see :func:`rewritten`), or by a Windows drive (no fix: the file is on the
    author's computer); None when it names none that way either."""
    if is_drive_path(link.target):
        return (
            f'{what} "{unquote(link.target)}", a file on the computer the note was written '
            "on (the PDF, the study page and Anki refuse absolute paths); copy it into the "
            "base and write its path relative to this note",
            None,
        )
    path = rewritten(record, link.target, context)
    if path is None:
        return None
    return (
        rewritten_message(what, link.target, path),
        rewrite_fix(link.target, link.start, link.end, path),
    )


def _linted_names(context: LintContext) -> dict[str, FileRecord]:
    """The linted files outside the base by what ``[[…]]`` may call them: a folder of
    Obsidian notes linted as it is (``kbtool lint vault/``) links note to note by file
    name, wherever each lies in the folder, as Obsidian resolves them."""
    names: dict[str, FileRecord] = {}
    for key, record in sorted(context.targets.items()):
        if key in context.index:
            continue  # the base's files are found through the index
        for name in wikilink_names(record.file, record.id, record.aliases):
            names.setdefault(name, record)
    return names


def _in_vault(record: FileRecord, name: str, context: LintContext) -> bool:
    """Whether the vault holding ``record`` has a note ``[[name]]`` names (its file name,
    with or without ``.md``), as Obsidian finds it from any folder: ``kbtool lint
    vault/HuggingFace`` links to notes in the vault's other folders."""
    base = unquote(name).strip().rsplit("/", 1)[-1]
    if not base:
        return False
    note = base if base.lower().endswith(".md") else base + ".md"
    return vault.has(context, record.folder, note)


def _wiki_name(target: str) -> str:
    return target.split("|", 1)[0].split("#", 1)[0].strip()


def _file_link_problem(
    record: FileRecord, target: str, context: LintContext, memo: dict[str, set[str]]
) -> str | None:
    path, fragment = local_path(record, target, context)
    if not context.exists(path):
        from kbtool.lint.letter_case import hint

        shown = target.partition("#")[0]
        return f'links to "{shown}", which does not exist' + hint(
            context, record.folder, target, path
        )
    if not fragment or not path.lower().endswith((".md", ".markdown")) or os.path.isdir(path):
        return None
    if path not in memo:
        other = context.record(path)
        memo[path] = targets(other.facts) if other is not None else set()
    known = memo[path]
    if not known and context.record(path) is None:
        return None
    if resolves(fragment, known):
        return None
    message = f'"{target.partition("#")[0]}" has no heading or anchor "#{fragment}"'
    close = suggestion(fragment, known)
    return message + (f'; did you mean "#{close}"?' if close else "")


# ECMAScript's internal slots, methods and property attributes, which notes on
# JavaScript write as the specification does ("every object has a [[Prototype]]", a
# property's [[Writable]]); a note of such a name is still found first
_SLOT_NAMES = (
    "Prototype Extensible Get Set Call Construct Value Writable Enumerable "
    "Configurable GetPrototypeOf SetPrototypeOf DefineOwnProperty HasProperty Delete "
    "OwnPropertyKeys GetOwnProperty PreventExtensions IsExtensible Scopes Scope "
    "Environment FunctionLocation HomeObject ThisMode Realm BoundThis BoundArgs "
    "BoundTargetFunction TargetFunction PromiseState PromiseResult "
    "PromiseFulfillReactions PromiseRejectReactions Target Handler IsRevoked "
    "PrimitiveValue Class ECMAScriptCode FormalParameters ConstructorKind Fields "
    "GeneratorState Entries"
)
_ECMASCRIPT_SLOTS = frozenset(_SLOT_NAMES.split())


def _wikilink_problem(
    record: FileRecord,
    target: str,
    context: LintContext,
    linted: dict[str, FileRecord],
    written: str,
) -> str | None:
    """What is wrong with ``[[target]]`` (in Obsidian's order; ``written`` as the note
    has it), or None."""
    name = _wiki_name(target)
    # a heading path [[Note#Part#Heading]] names its last heading, as Obsidian reads it
    heading = target.split("|", 1)[0].partition("#")[2].rsplit("#", 1)[-1].strip()
    if not name:
        other: FileRecord | None = record
    else:
        other = context.index.wikilink(name)
        if other is None:
            key = unquote(name).strip().lower()
            other = linted.get(key) or linted.get(key.rsplit("/", 1)[-1])
        if other is None:
            relative = record.path.parent / (name if name.endswith(".md") else name + ".md")
            other = context.record(relative)
        if other is None and record.file not in context.index and _in_vault(record, name, context):
            return None  # a note of the vault not linted: found, its headings not read
    if other is None:
        if name in _ECMASCRIPT_SLOTS and target == name:
            return None  # JavaScript's notation in prose: "an object's [[Prototype]]"
        return f'wikilink "[[{written}]]" matches no entry id, file name or alias in the base'
    if not heading or heading.startswith("^"):
        return None
    known = targets(other.facts)
    titles = {h.text.lower() for h in other.facts.headings}
    if heading.lower() in titles or slug(heading) in known or resolves(heading, known):
        return None
    return f'"{other.display}" has no heading "{heading}" (from "[[{written}]]")'
