"""Obsidian ``[[wikilinks]]`` and ``![[embeds]]`` as portable Markdown links and images.

Which ``[[…]]`` is a wikilink is the document's reading (:mod:`kbtool.markdown.document`):
none in code, math (``$[[1, 2], [3, 4]]$`` is a matrix) or HTML.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from kbtool.markdown.document import parse
from kbtool.markdown.slugger import slug

_SIZE = re.compile(r"\d+(?:\s*x\s*\d+)?")  # an embedded picture's width or width x height
_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif")


def convert_wikilinks(text: str) -> str:
    """``[[note#heading|alias]]`` -> ``[alias](note.md#heading)``; ``![[a.webp]]`` -> image.

    Targets keep their names (URL-quoted); a note without an extension gets ``.md``,
    so the link works in any Markdown viewer and the linter can check it.
    """
    if "[[" not in text:
        return text
    out: list[str] = []
    last = 0
    for link in parse(text).links:
        if link.kind not in {"wikilink", "embed"}:
            continue
        opening = link.start - (3 if link.kind == "embed" else 2)  # ``![[`` or ``[[``
        out.append(text[last:opening])
        out.append(_replace(link.kind == "embed", link.target))
        last = link.end + 2  # after ``]]``
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _replace(embed: bool, inner: str) -> str:
    """The Markdown link (or image) for the wikilink ``[[inner]]``."""
    place, _, alias = inner.partition("|")
    target, _, heading = place.partition("#")
    # a heading path (``Note#Part#Heading``) names its last heading, as Obsidian reads it
    target, heading, alias = target.strip(), heading.rsplit("#", 1)[-1].strip(), alias.strip()
    label = alias or (f"{target} › {heading}" if target and heading else target or heading)
    is_image = target.lower().endswith(_IMAGE_EXT)
    href = (
        quote(target)
        if is_image or "." in target.rsplit("/", 1)[-1]
        else (quote(target) + ".md" if target else "")
    )
    if heading and not heading.startswith("^"):  # a block id (``^1f8d63``) is no anchor
        href += "#" + slug(heading)
    if embed and is_image:
        return f"![{_picture_text(alias) or target}]({href})"
    return f"[{label}]({href})"


def _picture_text(alias: str) -> str:
    """The text of an embedded picture: Obsidian reads ``|400`` and ``|640x480`` after
    its name as a size (``![[a.png|a diagram|400]]`` has both), not as words."""
    words = [part.strip() for part in alias.split("|")]
    return " | ".join(w for w in words if w and not _SIZE.fullmatch(w))
