"""Obsidian ``[[wikilinks]]`` and ``![[embeds]]`` as portable Markdown links and images."""

from __future__ import annotations

import re
from urllib.parse import quote

from kbtool.markdown.slugger import slug

_WIKI = re.compile(r"(!?)\[\[([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")
_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif")


def convert_wikilinks(text: str) -> str:
    """``[[note#heading|alias]]`` -> ``[alias](note.md#heading)``; ``![[a.webp]]`` -> image.

    Targets keep their names (URL-quoted); a note without an extension gets ``.md``,
    so the link works in any Markdown viewer and the linter can check it.
    """
    return _WIKI.sub(_replace, text)


def _replace(match: re.Match[str]) -> str:
    embed, target, heading, alias = match.groups()
    target = target.strip()
    heading = (heading or "").strip()
    label = (alias or "").strip() or (
        f"{target} › {heading}" if target and heading else target or heading
    )
    is_image = target.lower().endswith(_IMAGE_EXT)
    href = (
        quote(target)
        if is_image or "." in target.rsplit("/", 1)[-1]
        else (quote(target) + ".md" if target else "")
    )
    if heading:
        href += "#" + slug(heading)
    if embed and is_image:
        return f"![{(alias or '').strip() or target}]({href})"
    return f"[{label}]({href})"
