"""Cheap content sniffing shared by the Markdown-like importers' ``detect``.

``detect`` runs for every importer on every source, so a 30 MB Telegram JSON export
must not be scanned line by line by the Markdown importers: structured text (JSON,
HTML, XML) is recognised by its first characters, and other text is judged by a
bounded prefix, which is plenty to tell a checklist from lecture notes.
"""

from __future__ import annotations

import re

PREFIX_CHARS = 1 << 20
# A JSON object or array (of objects or strings), an HTML or XML document; not
# Markdown that starts with a link, ``[[wikilink]]`` or ``{{template}}``.
_STRUCTURED = re.compile(r"\{\s*(?:\"|\}|$)|\[\s*(?:[{\"\]]|$)|<(?:!doctype|html|\?xml)", re.I)


def markdown_prefix(text: str) -> str | None:
    """None for JSON/HTML/XML text, else at most :data:`PREFIX_CHARS`, cut at a line end
    and ending in one newline."""
    start = text[:256].lstrip("\ufeff \t\r\n")
    if _STRUCTURED.match(start):
        return None
    if len(text) <= PREFIX_CHARS:
        return text
    cut = text.rfind("\n", 0, PREFIX_CHARS)
    while cut > 0 and text[cut - 1] == "\n":  # one newline ends it, as a file's last line:
        cut -= 1  # then the importers that read its lines back parse the same text (cached)
    return text[: cut + 1] if cut > 0 else text[:PREFIX_CHARS]
