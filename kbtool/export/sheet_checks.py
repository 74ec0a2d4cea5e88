"""What a cheat sheet may print: each picture and each link, checked on the file system.

A picture is kept (as a path from the base, which is typst's root) only when it is a
file inside the base, of a type typst reads, and not damaged; otherwise it prints
nothing and the warning names the file and line. A link to another entry becomes a
jump inside the PDF; a link to a heading becomes one when that heading has a label
in the sheet; web and mail links stay; anything else keeps only its text (typst
fails on a link to a label that does not exist, and a file link means nothing on
paper), and a link to a file that is not in the sheet, or a refused one, is a
warning with file and line, in the words the other formats use. These checks are
the truth the pandoc filter's guesses are held to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from kbtool.export import pictures
from kbtool.export.dead_links import DeadLinks
from kbtool.export.url_lines import url_lines
from kbtool.paths import is_drive_path, is_inside, shown
from kbtool.store.entry_file import EntryDocument

LINK_SCHEMES = {"http", "https", "mailto", "ftp"}
# Characters none of the sheet's fonts (typst's embedded ones and Noto Sans CJK, see
# kbtool/export/typst_run.py) has, as typst prints them: an empty box each, and a null
# character to a reader who copies the text. Found by printing every character of these
# blocks and reading the PDF back: Thai, emoji and the ideographs newer than the font
# (Unicode 13 and later, and nearly all of those beyond the first 65,536 code points).
_NO_GLYPHS = re.compile(
    "[\u0e01-\u0e5b"  # Thai
    "\u26bf-\u2700\u2705\u270a\u270b\u2727-\u2729\u274c\u274e\u2753-\u2755"
    "\u2757\u2795-\u2797\u27b0\U0001f000-\U0001f0ff\U0001f1e6-\U0001f1ff"
    "\U0001f300-\U0001faff"  # emoji
    "\u31bc-\u31bf\u4db6-\u4dbf\u9ff0-\u9fff\U00020000-\U0003134f]"  # rare ideographs
)
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
Decision = tuple[str, str | None]  # (src or URL as written, target; None: left out)


def scoped(entry_id: str, ident: str) -> str:
    """The sheet-wide id of heading ``ident`` inside entry ``entry_id``: many answers
    have a "Formulas" heading, and typst refuses a label that occurs twice."""
    return f"{entry_id}--{ident}"


class SheetChecks:
    """Decides per picture (a root-relative path, or None with a warning) and per link
    (a target, or None for text only), for the entry in :attr:`current`."""

    def __init__(self, base: Path, documents: Sequence[EntryDocument]) -> None:
        """``documents``: the entries with a place in the sheet (drafts have none)."""
        self.base = base.resolve()
        self.resolved: dict[Path, Path] = {}  # many links name the same file
        self.folders_resolved: dict[Path, Path] = {}  # see resolve
        self.by_id = {doc.entry.id: doc for doc in documents}
        files = {doc.entry.id: self.resolve(Path(doc.path)) for doc in documents if doc.path}
        self.by_path = {path: entry_id for entry_id, path in files.items()}
        self.folders = {
            d.entry.id: files[d.entry.id].parent if d.path else self.base for d in documents
        }
        self.current: EntryDocument | None = None
        self.labels: set[str] = set()  # every label of the sheet
        self.checked: dict[Path, str | None] = {}
        self.warnings: list[str] = []
        self.asked: dict[tuple[str, str], int] = {}  # (entry, needle): warnings said so far
        self.boxed: list[str] = []  # entries holding characters printed as empty boxes
        self.boxed_first = ""  # where the first of those characters is
        self.glyph_warning = -1  # its warning's place in :attr:`warnings`
        self.dead: DeadLinks | None = None  # says why a link to a file leads nowhere
        self.places: dict[tuple[str, str, bool], list[int]] = {}  # see _places
        self.places_of = ""  # the entry whose file :attr:`lines` holds
        self.lines: list[str] = []

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, once per path in an export: a sheet's links and pictures
        name the same few hundred files over and over. The folder is resolved once for
        all the files it holds, so each file costs one ``lstat`` (is it a symbolic
        link?) instead of one per component of its path, which ``resolve`` walks in
        Python: 300 entries' 1,800 paths took a tenth of a second."""
        found = self.resolved.get(path)
        if found is None:
            name = path.name
            if name in ("", ".", ".."):
                found = path.resolve()
            else:
                folder = self.folders_resolved.get(path.parent)
                if folder is None:
                    folder = self.folders_resolved[path.parent] = path.parent.resolve()
                found = folder / name
                if found.is_symlink():
                    found = found.resolve()
            self.resolved[path] = found
        return found

    def decide(
        self, images: Sequence[Decision], links: Sequence[Decision]
    ) -> tuple[list[Decision], list[Decision]]:
        """The right decisions for the pictures and links of one piece (its guesses or
        cached decisions are ignored); each picture left out adds its warning."""
        self._glyphs()
        return (
            [(src, self.picture(src)) for src, _guess in images],
            [(url, self.link(url)) for url, _guess in links],
        )

    def _glyphs(self) -> None:
        """One warning for the sheet: how many entries hold characters its fonts lack
        and where the first is. Thai notes and emoji print as empty boxes, and typst
        says nothing."""
        doc = self.current
        if doc is None or (self.boxed and self.boxed[-1] == doc.entry.id):
            return  # one entry's pieces come one after another
        found = _NO_GLYPHS.search(doc.entry.title) or _NO_GLYPHS.search(doc.body)
        if found is None or doc.entry.id in self.boxed:
            return
        if not self.boxed:
            self.boxed_first = f"{self.where(found[0], whole=False)} ({found[0]!r})"
            self.warnings.append("")
            self.glyph_warning = len(self.warnings) - 1
        self.boxed.append(doc.entry.id)
        count = len(self.boxed)
        self.warnings[self.glyph_warning] = (
            f"{count} {'entry holds' if count == 1 else 'entries hold'} characters the PDF's "
            f"fonts lack (Thai, emoji or rare ideographs), first at "
            f"{self.boxed_first}: they print as empty boxes; the study page and the Anki "
            "deck show them"
        )

    def _folder(self) -> Path:
        return self.base if self.current is None else self.folders[self.current.entry.id]

    def link(self, url: str) -> str | None:
        """Target to keep (``#label`` or an external URL), or None to keep only the text.
        A link to a file that is not a jump target, and a refused one, is a warning as
        in the other formats (:mod:`kbtool.export.dead_links`)."""
        if is_drive_path(url):
            return self._refused(url, "absolute paths point outside the knowledge base")
        parts = urlsplit(url)
        if parts.scheme.lower() in LINK_SCHEMES:
            return url
        if parts.scheme:  # no javascript:
            return self._refused(url, f"{parts.scheme}: URLs are not exported")
        if parts.netloc:
            return self._refused(url, "protocol-relative URLs are not exported; write https://")
        if not parts.path:
            fragment = unquote(parts.fragment)
            if self.current is not None and scoped(self.current.entry.id, fragment) in self.labels:
                return "#" + scoped(self.current.entry.id, fragment)  # a heading of this entry
            return url if fragment in self.labels else None
        raw = unquote(parts.path)
        if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw):
            return self._refused(url, "absolute paths point outside the knowledge base")
        path = self.resolve(self._folder() / raw)
        target = self.by_path.get(path)
        if target:
            return f"#{target}"
        if not is_inside(path, self.base):
            return self._refused(url, "it points outside the knowledge base")
        if self.dead is not None:
            warning = self.dead.warning(self.where(url), url, path)
            if warning is not None:
                self.warnings.append(warning)
        return None

    def _refused(self, url: str, why: str) -> str | None:
        """None (text only), with the warning the other formats give a refused link."""
        self.warnings.append(f"{self.where(url)}: refused a href={url!r}: {why}")
        return None

    def where(self, needle: str | None = None, whole: bool = True) -> str:
        """``topic/file.md`` (plus ``:line`` of ``needle`` in the file) for messages."""
        doc = self.current
        if doc is None:
            return "cheat sheet"
        if doc.path is None:
            return doc.entry.id
        where = shown(self.resolve(Path(doc.path)), self.base)
        if needle:  # warnings only: reading the file again gives the true line
            found = self._places(doc, needle, whole)
            # the n-th warning about a picture used twice names its n-th use, not the first
            seen = self.asked.get((doc.entry.id, needle), 0)
            self.asked[(doc.entry.id, needle)] = seen + 1
            if found:
                return f"{where}:{found[min(seen, len(found) - 1)]}"
        return where

    def _places(self, doc: EntryDocument, needle: str, whole: bool) -> list[int]:
        """Lines of the entry's file that hold ``needle``: the file is read, and searched
        for a needle, once (an answer of thousands of dead links was read per link)."""
        key = (doc.entry.id, needle, whole)
        found = self.places.get(key)
        if found is None:
            if self.places_of != doc.entry.id:
                try:
                    self.lines = Path(doc.path or "").read_text("utf-8").split("\n")
                except (OSError, UnicodeDecodeError):
                    self.lines = []
                self.places_of = doc.entry.id
            body = self.lines[doc.body_line - 1 :]
            found = self.places[key] = url_lines(body, needle, doc.body_line, whole)
        return found

    def named(self, doc: EntryDocument) -> str:
        """How an entry is named in messages: its path inside the base, else its id."""
        saved, self.current = self.current, doc
        try:
            return self.where()
        finally:
            self.current = saved

    def picture(self, src: str) -> str | None:
        """Root-relative typst path of ``src``, or None (and a warning) to drop it. An
        empty path (``![]()``) is nothing to print, and no warning: lint and the other
        formats say nothing of it either (it was "image  not found" with no line)."""
        if not src.strip():
            return None
        parts = urlsplit(src)
        drive = is_drive_path(src)
        if (parts.scheme or parts.netloc) and not drive:
            self.warnings.append(
                f"{self.where(src)}: image {src} is not a local file; left out of the PDF "
                "(the build uses no network; save the image inside the base)"
            )
            return None
        raw = unquote(src if drive else parts.path)
        if drive or PurePosixPath(raw).is_absolute():
            self.warnings.append(
                f"{self.where(src)}: image {src} is an absolute path; refused "
                "(use a path relative to the entry, inside the base)"
            )
            return None
        target = self.resolve(self._folder() / raw)
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
