"""Links between the entries of one import run: ``[[wikilinks]]`` of a vault, and anchors
to a heading of the same source that became an entry of its own.

Importers write such links as ``[[Target#heading|label]]``. Before any entry is written,
every ``[[…]]`` whose target names an entry of this run — case-insensitively, by title,
alias or source file name — becomes a relative Markdown link to the file that entry will
have, so it resolves in every viewer, in lint and in the exports. Unknown targets are
left for normalization (a link to ``Target.md``) and lint reports them like the source's
own broken links.

Obsidian's other link forms lead to entries too: a heading path ``[[Note#Part#Heading]]``
names its last heading, and a block reference ``[[Note#^1f8d63]]`` the paragraph or list
item that ends with the block id `` ^1f8d63`` (or the block above an ``^1f8d63`` line):
the link leads to the entry holding that block. The ids are Obsidian's, hidden in its
view, so the entries are written without them. An embed of an Excalidraw drawing the
run left out (:mod:`kbtool.importers.vault_files`) becomes a visible remark.

A Markdown link to another source of the run leads to its entry too, however the site
the notes were written for spells it: a file (``joins.md``, ``joins.md#left-join``: the
entry that heading became), a folder as MkDocs prints pages (``../joins/``: ``joins.md``
or the folder's ``index.md``/``README.md``, from the file or from the page's address one
level up) or a page without its extension as docsify routes it (``views/html``, also from
the site's root, where ``index.html`` or ``_sidebar.md`` lives). So does an HTML link
(``<a href="/Introduction/#add-answers">``): its ``href`` is rewritten, the tag stays.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from kbtool.importers.base import RawEntry
from kbtool.importers.entry_decisions import entry_title
from kbtool.markdown.document import Document, Link, parse
from kbtool.markdown.slugger import slug
from kbtool.titles import title_text

ENTRY = "kbtool-entry:"


def has_links(body: str) -> bool:
    """Whether ``body`` may link to another entry of the run (cheap; ``resolve`` is exact):
    a wikilink, a link to a heading that became an entry, a link to a file or folder."""
    return "[[" in body or ENTRY in body or _local_target(body)


_WEB = ("http://", "https://", "mailto:", "#", "<http", "data:")


def _local_target(body: str) -> bool:
    """Whether some ``](`` of ``body``, or an HTML ``href=``, opens a target that is no
    web address and no fragment of the page (a file or folder of the notes, maybe). No
    parse: the cheap test of :func:`has_links`."""
    for opening, skip in _OPENINGS:
        at = body.find(opening)
        while at >= 0:
            start = at + len(opening)
            while start < len(body) and body[start] in skip:
                start += 1
            if not body.startswith(_WEB, start):
                return True
            at = body.find(opening, start)
    return False


_OPENINGS = (("](", ""), ("href=", "\"' \t"))  # what opens a target, what may follow it


class EntryIndex:
    """Names of this run's entries -> the file (``topic/id.md``) each will be written to."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        # (a note's name, a heading's slug) -> the file of the entry that heading became
        self.sections: dict[tuple[str, str], str] = {}
        # (a note's name, a block id without its ^) -> the file of the entry holding it
        self.blocks: dict[tuple[str, str], str] = {}
        self.drawings: set[str] = set()  # names of Excalidraw drawings left out
        self.empty: set[str] = set()  # names of notes of the run that gave no entry
        # a source file (resolved) -> the file of its first entry, and by heading slug
        self.paths: dict[Path, str] = {}
        self.skipped: set[Path] = set()  # source files the run left out (a README)
        self.path_sections: dict[tuple[Path, str], str] = {}

    def add(self, names: Iterable[str], file: str) -> None:
        for name in names:
            key = _key(name)
            if key:
                self.files.setdefault(key, file)

    def find(self, name: str) -> str | None:
        return self.files.get(_key(name))

    def add_section(self, name: str, title: str, file: str) -> None:
        """The entry titled ``title`` was a section of the note ``name``: a
        ``[[name#title]]`` leads to it (a lecture's "3 — Trees" also by "Trees")."""
        for heading in {title, title.rsplit(" — ", 1)[-1]}:
            key = (_key(name), slug(heading))
            if all(key):
                self.sections.setdefault(key, file)

    def find_section(self, name: str, heading: str) -> str | None:
        """The entry ``[[name#heading]]`` leads to: a heading's, or a block's (``^id``)."""
        if heading.startswith("^"):
            return self.blocks.get((_key(name), heading[1:].strip()))
        return self.sections.get((_key(name), slug(heading.strip())))

    def add_path(self, source: Path, titles: Iterable[str], file: str) -> None:
        """``file`` is an entry of the source ``source``: its first is what a link to the
        file leads to, and a link to ``source#heading`` leads to the entry of that heading."""
        real = source.resolve()
        self.paths.setdefault(real, file)
        for title in titles:
            for heading in {title, title.rsplit(" — ", 1)[-1]}:
                if slug(heading):
                    self.path_sections.setdefault((real, slug(heading)), file)

    def find_path(self, source: Path, target: str) -> str | None:
        """The entry file a Markdown link ``target`` written in ``source`` leads to, ""
        when it leads to a file the run left out, or None when it names no source of the
        run (a web address, a picture, a missing page)."""
        if not (self.paths or self.skipped) or not target or ":" in target:
            return None
        if target.startswith(("#", "//", "\\")):  # this page, or another host
            return None
        place, _, fragment = target.partition("#")
        place = unquote(place.split("?", 1)[0])
        if not place.strip("/"):
            return None
        for real in _candidates(source.resolve(), place):
            if real in self.skipped:
                return ""
            file = self.paths.get(real)
            if file is not None:
                section = self.path_sections.get((real, slug(unquote(fragment))))
                if fragment and section is None:
                    return f"{file}#{fragment}"
                return section or file
        return None

    def add_drawing(self, names: Iterable[str]) -> None:
        self.drawings.update(key for key in map(_key, names) if key)


_PAGES = ("index.md", "README.md", "readme.md")  # a folder's own page (MkDocs, GitHub)


def _candidates(source: Path, place: str) -> Iterable[Path]:
    """The files a link written in ``source`` may mean, in the order a site's reader
    would find them: relative to the file; relative to the page's address, one folder
    deeper as MkDocs serves ``a/b.md`` at ``a/b/``; relative to the root of a docsify
    site above it; each as written, with ``.md``, or a folder's own page."""
    roots = _site_roots(source.parent)
    if place.startswith("/"):  # from the site's root: MkDocs' docs folder, docsify's
        bases, place = roots, place.lstrip("/")
    else:
        bases = [source.parent]
        if source.name not in _PAGES:
            bases.append(source.parent / source.stem)
        bases.extend(roots)
    path = PurePosixPath(place)
    for base in bases:
        near = Path(os.path.normpath(base / path))
        if place.endswith("/"):
            yield from (near / page for page in _PAGES)
            yield near.with_name(near.name + ".md")
            continue
        yield near
        if near.suffix.lower() != ".md":
            yield near.with_name(near.name + ".md")
            yield from (near / page for page in _PAGES)


@functools.lru_cache(maxsize=256)
def _site_roots(folder: Path) -> list[Path]:
    """The root of the site ``folder`` belongs to, if any: an MkDocs site's docs folder
    (``docs_dir`` of the ``mkdocs.yml`` above it, ``docs`` by default), where a link
    from the root (``/Introduction/``) starts, or a docsify site's folder (its
    ``index.html`` or ``_sidebar.md``), from which docsify resolves every link."""
    for above in (folder, *folder.parents):
        if (above / "mkdocs.yml").is_file():
            return [above / _docs_dir(above / "mkdocs.yml")]
        if above != folder and (
            (above / "_sidebar.md").is_file() or (above / "index.html").is_file()
        ):
            return [above]
    return []


def _docs_dir(settings: Path) -> str:
    """``docs_dir`` of an MkDocs settings file (read by line: its YAML may hold tags
    that only MkDocs constructs), ``docs`` when it names none."""
    try:
        lines = settings.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return "docs"
    for line in lines:
        key, _, value = line.partition(":")
        if key == "docs_dir" and value.strip(" '\""):
            return value.split("#", 1)[0].strip(" '\"")
    return "docs"


def _key(name: str) -> str:
    name = name.strip()
    if name.lower().endswith(".md"):
        name = name[:-3]
    return " ".join(name.rsplit("/", 1)[-1].casefold().split())


def plan_ids(
    sources: Iterable[tuple[Path, list[RawEntry]]],
    planned: Callable[[RawEntry, str], str | None],
    index: EntryIndex | None = None,
) -> EntryIndex:
    """The file each entry will be written to, by the names links use for it.

    ``planned(raw, title)`` gives the file import will write ``raw`` to: a new entry's,
    the one a re-import updates, or the one a duplicate asks again; None for an entry
    left out (a private title), whose links then keep only their words.
    """
    index = EntryIndex() if index is None else index
    for source, entries in sources:
        if not entries:  # an empty note ("[[Algebra]]" as a hub): a link to it, its words
            index.empty.add(_key(source.stem))
        named = False  # the source's file name leads to its first entry kept
        for raw in entries:
            title = entry_title(raw)
            file = planned(raw, title)
            if file is None:
                continue
            index.add([title, *raw.aliases, *([] if named else [source.stem])], file)
            index.add_path(source, [title, *map(title_text, raw.headings)], file)
            named = True
            for heading in (title, *map(title_text, raw.headings)):
                index.add_section(source.stem, heading, file)
            if may_have_block_ids(raw.body):
                for block, _line in block_ids(parse(raw.body), raw.body):
                    index.blocks.setdefault((_key(source.stem), block), file)
    return index


def may_have_block_ids(body: str) -> bool:
    """Whether a line of ``body`` ends in a word like a block id (cheap, no parse: math's
    ``x^2`` is everywhere; :func:`block_ids` reads which are)."""
    return "^" in body and any(
        _is_block_id(line.rsplit(None, 1)[-1]) for line in body.split("\n") if "^" in line
    )


def _is_block_id(word: str) -> bool:
    return (
        len(word) > 1
        and word[0] == "^"
        and all(c.isascii() and (c.isalnum() or c == "-") for c in word[1:])
    )


def block_ids(doc: Document, body: str) -> list[tuple[str, int]]:
    """Obsidian's block ids in ``body`` (without the ``^``) and the 0-based line of each:
    the last word of a paragraph (in a list item or quote too) when it is ``^`` and
    letters, digits or dashes. Code, math and HTML are no paragraphs, so never read."""
    lines = body.split("\n")
    found: list[tuple[str, int]] = []
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
        words = lines[block.end_line - 1].split()
        if words and _is_block_id(words[-1]):
            found.append((words[-1][1:], block.end_line - 1))
    return found


def drop_block_ids(raw: RawEntry) -> None:
    """``raw.body`` without Obsidian's block ids, which its view hides: `` ^id`` ending a
    paragraph goes, and a line holding only the id goes whole."""
    if not may_have_block_ids(raw.body):
        return
    lines = raw.body.split("\n")
    found = block_ids(parse(raw.body), raw.body)
    for block_id, line in reversed(found):
        text = lines[line]
        cut = text.rstrip()[: -len(block_id) - 1].rstrip()
        if cut.lstrip("> \t"):
            lines[line] = cut
        else:  # the id on a line of its own (after a table or a quote)
            del lines[line]
    if found:
        raw.body = "\n".join(lines)


def entry_link(title: str) -> str:
    """The link target an importer writes for "the entry titled ``title``" of this run."""
    return ENTRY + quote(title, safe="")


def resolve(raw: RawEntry, own_topic: str, index: EntryIndex, source: Path | None = None) -> None:
    """Rewrite ``raw.body``'s wikilinks to entries of the run as relative Markdown links,
    and its Markdown links to another source of the run (``source`` is the file it was
    read from) as links to that source's entry.

    Which ``[[…]]`` is a wikilink and which ``[label](kbtool-entry:…)`` is a link is the
    document's reading: none in code, math or HTML; each is replaced at its exact place.
    """
    body = raw.body
    paths = (
        source is not None
        and bool(index.paths or index.skipped)
        and ("](" in body or "href=" in body)
    )
    if "[[" not in body and ENTRY not in body and not paths:
        return
    doc = parse(body)
    edits: list[tuple[int, int, str]] = []
    covered = 0
    for start, end, link in sorted((*doc.extent(link), link) for link in doc.links):
        if start < covered:  # inside a link rewritten already (a wikilink in its label)
            continue
        if link.kind in ("wikilink", "embed") and _drawing(link.target, index):
            name = _place(link.target)[0].strip()
            if link.kind == "embed":
                edits.append((start, end, f"*(drawing not imported: {name})*"))
                raw.warnings.append(f"drawing {name} is an Excalidraw file; kept as a remark")
            else:  # a link to the drawing: its words
                edits.append((start, end, link.target.partition("|")[2].strip() or name))
        elif link.kind == "wikilink":
            new = _wikilink(link.target, own_topic, index)
            if new is not None:
                edits.append((start, end, new))
        elif link.kind == "link" and link.target.startswith(ENTRY):
            title = unquote(link.target[len(ENTRY) :])  # as the importer read it
            file = index.find(title) or index.find(title_text(title))
            if file is not None:  # the target only: label, title and brackets stay
                edits.append((link.start, link.end, _href(file, own_topic)))
            else:  # the target was left out (private, duplicate): keep the words
                edits.extend(_words(body, start, end, link))
        elif link.kind in ("link", "html-a") and source is not None:
            found = index.find_path(source, link.target)
            if found is None or (not found and link.kind == "html-a"):
                continue  # (an HTML link to a README left out stays as written)
            if not found:  # a README the run left out: the link's words stay
                edits.extend(_words(body, start, end, link))
            else:
                file, _, fragment = found.partition("#")
                href = _href(file, own_topic) + (f"#{fragment}" if fragment else "")
                edits.append((link.start, link.end, href))
        else:
            continue
        covered = end
    if not edits:
        return
    out: list[str] = []
    last = 0
    for start, end, new in edits:
        out.append(body[last:start])
        out.append(new)
        last = end
    out.append(body[last:])
    raw.body = "".join(out)


def _words(body: str, start: int, end: int, link: Link) -> list[tuple[int, int, str]]:
    """Edits that leave only the words of ``[words](target)`` (``start``/``end``: its
    extent): the link leads to nothing the base will hold."""
    return [(start, start + 1, ""), (body.rfind("](", start, link.start), end, "")]


def _href(file: str, own_topic: str) -> str:
    return quote(str(PurePosixPath(os.path.relpath(file, own_topic))))


def _place(inner: str) -> tuple[str, str, str]:
    """``[[Target#Part#Heading|label]]``'s target, heading and label: of a heading path,
    the last heading (Obsidian's ``[[#A#B]]`` leads to B under A); ``^id`` for a block."""
    place, _, label = inner.partition("|")
    target, _, heading = place.partition("#")
    return target, heading.rsplit("#", 1)[-1].strip(), label


def _drawing(inner: str, index: EntryIndex) -> bool:
    return bool(index.drawings) and _key(_place(inner)[0]) in index.drawings


def _wikilink(inner: str, own_topic: str, index: EntryIndex) -> str | None:
    """``[[Target#heading|label]]`` as a link to the entry ``Target`` names, if any."""
    target, heading, label = _place(inner)
    section = index.find_section(target, heading) if heading else None
    file = section or index.find(target)
    if file is None and _key(target) in index.empty:
        return label.strip() or target.strip()  # the note holds nothing to link to
    if file is None:
        return None  # left for normalization: a link to ``Target.md``
    href = _href(file, own_topic)
    if heading and section is None and not heading.startswith("^"):  # a heading inside
        href += "#" + slug(heading)
    shown = label.strip() or target.strip() or heading or file
    return f"[{shown}]({href})"


def link_sections(entries: list[RawEntry]) -> None:
    """``[text](#heading)`` and ``[[#heading|text]]`` to a heading of the same note that
    became another entry (or only groups the headings below it: the first of them):
    a link to that entry. A fragment written Obsidian's way, as the heading's text
    (``#Table%209.1``), becomes its GitHub slug (``#table-91``). Links and headings are
    the document's (none in code, math or HTML); the fragment of a link is replaced in
    place, a wikilink whole."""
    titles: dict[str, str] = {}
    for entry in entries:  # a lecture's "Algorithm — Search state" is "#search-state" too
        shown = title_text(entry.title)  # GitHub slugs the rendered heading
        for heading in (shown, shown.rsplit(" — ", 1)[-1]) if shown else ():
            titles.setdefault(slug(heading), entry.title)
        for heading in entry.headings:  # a grouping heading right above the entry
            titles.setdefault(slug(title_text(heading)), entry.title)
        if may_have_block_ids(entry.body):  # "^1f8d63" leads to the entry holding it
            for block, _line in block_ids(parse(entry.body), entry.body):
                titles.setdefault("^" + block, entry.title)
    for entry in entries:
        if "](#" not in entry.body and "[[#" not in entry.body:
            continue
        doc = parse(entry.body)
        own = {h.slug for h in doc.headings} | {h.custom_id for h in doc.headings if h.custom_id}
        edits: list[tuple[int, int, str]] = []
        for link in doc.links:
            if link.kind not in ("link", "wikilink") or not link.target.startswith("#"):
                continue
            if link.kind == "link":
                fragment, label = link.target[1:], ""
                spelled = slug(unquote(fragment))  # Obsidian's "#Table%209.1": the text
                if fragment not in own and fragment not in titles and spelled in own:
                    edits.append((link.start, link.end, "#" + spelled))
                    continue
                if fragment not in titles and spelled in titles:
                    fragment = spelled
            else:
                _target, heading, label = _place(link.target)
                fragment = heading if heading.startswith("^") else slug(heading)
            target = titles.get(fragment)
            if not fragment or fragment in own or target is None:
                continue  # (a link to the section it stands in leads to its own entry)
            if link.kind == "link":
                edits.append((link.start, link.end, entry_link(target)))
                continue
            start, end = doc.extent(link)
            shown = label.strip() or heading
            if target == entry.title and fragment.startswith("^"):  # its own block: words
                edits.append((start, end, shown))
            else:
                edits.append((start, end, f"[{shown}]({entry_link(target)})"))
        if edits:
            out: list[str] = []
            last = 0
            for start, end, new in sorted(edits):
                out.append(entry.body[last:start])
                out.append(new)
                last = end
            out.append(entry.body[last:])
            entry.body = "".join(out)
