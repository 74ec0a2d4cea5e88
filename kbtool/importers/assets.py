"""Local images referenced by imported notes: copied into the base, or flagged when missing.

A note's ``![x](pic.png)`` (or ``<img src="pic.png">``) is relative to the source file;
in the base it must be relative to the entry. Found images are copied to
``<notes>/assets/`` (content unchanged) and relinked; missing ones (a screenshot that
never left the laptop) become a visible ``(image not found: pic.png)`` remark and a
warning, so the entry renders and lints clean and nobody loses track of the picture.

Notes may come from someone else, so what is copied is confined: only a picture
(by extension and by its first bytes) whose real path lies inside the folder that
was imported (the source file's folder, or the folder named on the command line).
``![d](../../../../etc/passwd)``, ``%2F`` spellings and symlinks that lead out are
refused with a warning. Copies are named by content (``diagram-1a2b3c4d.png``), so two
different pictures with one name never overwrite each other.

A picture named by its file name alone that is not next to the note is looked for by
name in the imported folder, the way Obsidian finds ``![[Pasted image 2024….png]]``
in the vault's ``attachments/`` folders: of several, the one nearest the note.

A file of the notes' repository that a note links to (``[the code](./functions/debounce.js)``,
``[data](train.csv)``, a notebook, a PDF) is copied the same way and relinked, with the
same confinement (inside the imported folder, no symlink leading out) and up to
:data:`MAX_ATTACHMENT` bytes: import does not read it as notes, and the link would lead
nowhere in the base. A link to another note (``.md``), to a folder or to a file that is
not there stays as written (import's links between entries, or lint's report).

A picture linked by the GitHub address of the repository the notes are a clone of
(``https://github.com/OWNER/REPO/blob/main/img/arch.png``) is that clone's file, copied
like a relative one when it lies in the imported folder (:mod:`git_clone`); any other
address is a picture on the web and stays as written.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from kbtool.importers.git_clone import Clone, github_file
from kbtool.markdown.document import Link, parse
from kbtool.paths import is_real_inside
from kbtool.store import atomic

# the target stops at brackets and parentheses, so a run of ``![a](b`` without a closing
# parenthesis is rejected at once at each start (linear, not quadratic, in its length)
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_IMG_TAG = re.compile(r"<img", re.I)  # every picture the parser finds holds it or "!["
_PICTURES = frozenset({"image", "html-img"})  # Markdown images and HTML <img src>
MAX_ATTACHMENT = 20 * 1024 * 1024  # a linked file copied into assets/: a dataset may be more
_NOT_ATTACHED = frozenset({"", ".md", ".markdown", ".mdx"})  # notes (entries) and folders
_BLANK = re.compile(r"[\s\"'<>=`]")  # what an unquoted attribute value cannot hold

# what a picture file starts with, by extension
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".bmp": (b"BM",),
    ".avif": (b"\x00\x00\x00",),
}
_SVG_HEAD = 1024
_PICTURE_SUFFIXES = frozenset({*_MAGIC, ".svg"})


def is_picture(path: Path) -> bool:
    """Whether ``path`` is a picture file: a known extension and matching first bytes."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(_SVG_HEAD)
    except OSError:
        return False
    if suffix == ".svg":
        return b"<svg" in head.lower()
    magic = _MAGIC.get(suffix)
    if magic is None:
        return False
    if suffix == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    if suffix == ".avif":
        return head[4:8] == b"ftyp"
    return head.startswith(magic)


@dataclass
class AssetPlan:
    """Copies to make (source -> target) and warnings, applied only when writing."""

    copies: dict[Path, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # the image each warning is about, in order

    def apply(self) -> None:
        for source, target in self.copies.items():
            data = source.read_bytes()
            if not target.exists() or target.read_bytes() != data:
                atomic.write_bytes(target, data)


def relink(
    body: str,
    source: Path,
    entry_path: Path,
    notes: Path,
    plan: AssetPlan,
    root: Path | None = None,
    pictures: Callable[[], Mapping[str, Sequence[Path]]] | None = None,
    clone: Callable[[], Clone | None] | None = None,
) -> str:
    """``body`` with its local images pointing into ``<notes>/assets/`` (or marked missing).

    Images are those the parser sees (never in code or math; titles and ``<…>``
    destinations included), and the ``src`` of HTML ``<img>`` tags: a picture found is
    copied and its ``src`` relinked; a missing one is a warning and stays as written,
    so lint reports it (the tag around it is HTML the note's author chose). ``root``: the
    folder images may come from (default: the source file's folder); ``pictures``: the
    pictures under it by file name (:func:`pictures_by_name`), asked only when a picture
    named alone is not next to the source; ``clone``: the git clone the source lies in,
    asked only for a picture linked by a GitHub address (:mod:`git_clone`): one of the
    clone's own files inside ``root`` is copied like a relative picture, any other
    address stays as written.
    """
    if "![" not in body and not _IMG_TAG.search(body) and not _file_link(body):
        return body  # no picture or file can be there: a big body is not parsed for nothing
    allowed = os.path.realpath(root if root is not None else source.parent)
    out: list[str] = []
    last = 0
    doc = parse(body)
    for image in doc.links:
        if image.kind == "link" and image.start >= last:
            copied = _attachment(image.target, source, entry_path, notes, plan, allowed)
            if copied is not None:
                out.append(body[last : image.start])
                angled = body[image.start - 1 : image.start] == "<"
                out.append(destination(copied, angled=angled))
                last = image.end
            continue
        if image.kind not in _PICTURES or image.start < last:
            continue
        target = image.target
        local = None
        if target and _REMOTE.match(target):
            local = _cloned(target, clone, allowed)
            if local is None:
                continue  # a picture on the web, as written
        elif not target or target.startswith(("#", "/")):
            continue
        kept = "kept as written" if image.kind == "html-img" else "kept as a remark"
        new_target, remark = _place(
            image.text, target, source, entry_path, notes, plan, allowed, kept, pictures, local
        )
        if image.kind == "html-img":  # <img src="…">: the value is replaced, the tag kept
            if remark is None and (_quoted(body, image) or not _BLANK.search(new_target)):
                out.append(body[last : image.start])
                out.append(html.escape(new_target))
                last = image.end
            continue
        if remark is not None:
            begin = doc.line_starts[image.line - 1] + image.column - 1
            out.append(body[last:begin])
            out.append(remark)
            last = _image_end(body, image.end)
        else:
            out.append(body[last : image.start])
            out.append(destination(new_target, angled=body[image.start - 1 : image.start] == "<"))
            last = image.end
    out.append(body[last:])
    return "".join(out)


def _place(
    alt: str,
    target: str,
    source: Path,
    entry_path: Path,
    notes: Path,
    plan: AssetPlan,
    allowed: str,
    kept: str,
    pictures: Callable[[], Mapping[str, Sequence[Path]]] | None = None,
    local: Path | None = None,
) -> tuple[str, str | None]:
    """The new destination of one image, or the remark that replaces it; ``local``: the
    file a GitHub address names in the clone, when the target is one."""
    name = Path(unquote(target)).name if local is None else local.name
    found = Path(os.path.realpath(local or source.parent / unquote(target)))
    if pictures is not None and unquote(target) == name and not found.is_file():
        found = _nearest(pictures().get(name, ()), source.parent) or found
    if not is_real_inside(str(found), allowed):
        plan.warnings.append(f"image {target} lies outside the imported folder; not copied")
        plan.missing.append(target)
        return target, f"*(image not imported: {name})*"
    if not found.is_file():
        shown = f'"{alt}" ' if alt.strip() and alt.strip() != target else ""
        plan.warnings.append(f"image {shown}{target} not found next to the source; {kept}")
        plan.missing.append(target)
        return target, f"*(image not found: {name})*"
    if not is_picture(found):
        plan.warnings.append(f"{target} is not a picture file; not copied")
        plan.missing.append(target)
        return target, f"*(image not imported: {name})*"
    copy = _asset_path(notes, found)
    plan.copies[found] = copy
    return Path(os.path.relpath(copy, entry_path.parent)).as_posix(), None


def _file_link(body: str) -> bool:
    """Whether some ``](`` of ``body`` opens a relative target with a file extension
    (cheap: no parse; :func:`relink` reads the links exactly)."""
    at = body.find("](")
    while at >= 0:
        # the target up to its ")" or a blank, looked for in a bounded window: a run of
        # "](" without one costs no walk to the end of the body at each (not quadratic)
        target = _TARGET_END.split(body[at + 2 : at + 2 + _TARGET_WINDOW], maxsplit=1)[0]
        if "." in target and not _REMOTE.match(target) and not target.startswith(("#", "/")):
            return True
        at = body.find("](", at + 2)
    return False


_TARGET_WINDOW = 1024
_TARGET_END = re.compile(r"[)\s]")


def _attachment(
    target: str, source: Path, entry_path: Path, notes: Path, plan: AssetPlan, allowed: str
) -> str | None:
    """The new destination of a link to a file of the notes' repository that is no note
    (a ``.js``, a ``.csv``, a notebook), copied into ``assets/``; None to leave the link
    as written (a web address, a note, a folder, a file that is not there or lies outside
    the imported folder)."""
    if not target or _REMOTE.match(target) or target.startswith(("#", "/", "\\")):
        return None
    place, _, fragment = target.partition("#")
    place = unquote(place.split("?", 1)[0])
    if Path(place).suffix.lower() in _NOT_ATTACHED:
        return None
    found = Path(os.path.realpath(source.parent / place))
    if not is_real_inside(str(found), allowed) or not found.is_file():
        return None
    if found.stat().st_size > MAX_ATTACHMENT:
        plan.warnings.append(f"{target} is over {MAX_ATTACHMENT // 2**20} MB; not copied")
        plan.missing.append(target)
        return None
    copy = _asset_path(notes, found)
    plan.copies[found] = copy
    new = Path(os.path.relpath(copy, entry_path.parent)).as_posix()
    return f"{new}#{fragment}" if fragment else new


def _cloned(target: str, clone: Callable[[], Clone | None] | None, allowed: str) -> Path | None:
    """The picture a GitHub address names in the clone the notes come from, when it lies
    in the imported folder and is a picture; else None (the address is left alone)."""
    if clone is None or not target.lower().startswith(("http://", "https://")):
        return None
    found = github_file(target)
    repository = clone() if found is not None else None
    local = repository.local_file(target) if repository is not None else None
    if local is None:
        return None
    real = os.path.realpath(local)
    if not is_real_inside(real, allowed) or not is_picture(Path(real)):
        return None
    return Path(real)


def pictures_by_name(root: Path) -> dict[str, list[Path]]:
    """Every picture file under ``root`` (by extension; hidden folders such as
    ``.git`` and ``.trash`` left out), by file name."""
    found: dict[str, list[Path]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if os.path.splitext(file)[1].lower() in _PICTURE_SUFFIXES:
                found.setdefault(file, []).append(Path(folder, file))
    return found


def _nearest(candidates: Sequence[Path], folder: Path) -> Path | None:
    """Of the pictures named alike, the one sharing the most folders with ``folder``
    (then the shallowest, then the first by name), as Obsidian picks among them."""
    if not candidates:
        return None
    here = folder.resolve().parts

    def distance(path: Path) -> tuple[int, int, str]:
        parts = path.resolve().parent.parts
        shared = 0
        for mine, theirs in zip(here, parts, strict=False):
            if mine != theirs:
                break
            shared += 1
        return (-shared, len(parts), path.as_posix())

    nearest: Path = min(candidates, key=distance)
    return Path(os.path.realpath(nearest))


def _quoted(body: str, image: Link) -> bool:
    """Whether an ``<img src>`` value is quoted (so a new path may hold blanks)."""
    return body[image.start - 1 : image.start] in {'"', "'"}


def destination(path: str, angled: bool = False) -> str:
    """``path`` as a link destination: blanks or parentheses need ``<…>``."""
    if angled or not any(c in path for c in " \t()<>"):
        return path
    return f"<{path}>"


def _image_end(body: str, target_end: int) -> int:
    """Offset after the ``)`` that closes an image whose destination ends at
    ``target_end`` (the parser found it, so the rest is an optional title)."""
    from markdown_it.helpers import parseLinkTitle

    pos = target_end + (1 if body[target_end : target_end + 1] == ">" else 0)
    limit = len(body)
    while pos < limit and body[pos] in " \t\r\n":
        pos += 1
    if pos < limit and body[pos] in "\"'(":
        title = parseLinkTitle(body, pos, limit)
        if title.ok:
            pos = title.pos
        while pos < limit and body[pos] in " \t\r\n":
            pos += 1
    return pos + 1 if body[pos : pos + 1] == ")" else pos


def _asset_path(notes: Path, found: Path) -> Path:
    """``assets/<stem>-<hash><ext>``: named by content, so the same picture is stored once
    and two pictures with one name (``img/diagram.png`` of two sources) never collide,
    whichever process prepares the entry."""
    digest = hashlib.blake2b(found.read_bytes(), digest_size=4).hexdigest()
    return notes / "assets" / f"{found.stem}-{digest}{found.suffix.lower()}"
