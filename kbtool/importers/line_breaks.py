"""Line breaks as the source's app shows them: Obsidian's, or CommonMark's.

Obsidian renders a single newline inside a paragraph as a line break ("Strict line
breaks" is off by default), so lecture notes are written one fact per line with no
blank line between; CommonMark (GitHub, markdown-it, pandoc) joins such lines into
one. ``obsidian`` mode writes a hard break (a ``\\`` at the line end: CommonMark, so
markdown-it and pandoc both honour it) at every soft break the parser finds in a
paragraph (:mod:`kbtool.markdown.breaks`), never inside code, math, tables, HTML or
headings; ``commonmark`` leaves the text as it is. The setting is ``line_breaks`` in
``[tool.kbtool.import]`` or ``--line-breaks``; ``auto`` (the default) picks Obsidian's
for lecture notes, Telegram posts (Telegram shows each newline too) and Obsidian notes
(an ``.obsidian`` folder above the source, unless its ``app.json`` turns "Strict line
breaks" on; or a note in the same folder as one that links with ``[[wikilinks]]``),
CommonMark for the rest. The exports then need no rule of their own: every one reads
the body as CommonMark, so an entry looks the same in the PDF, the deck and the page.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kbtool.markdown.breaks import soft_breaks
from kbtool.markdown.document import parse
from kbtool.markdown.parser import parser
from kbtool.normalize.pipeline import MAX_CHECKED
from kbtool.normalize.safety import Skipped, reading

OBSIDIAN = "obsidian"
COMMONMARK = "commonmark"
STEP = "obsidian_line_breaks"  # as the report names the step when it is skipped
# formats whose app shows every single newline, and how the report names them
_OBSIDIAN_FORMATS = {
    "lecture": "lecture notes (Obsidian shows every newline)",
    "telegram-json": "a Telegram export (Telegram shows every newline)",
    "telegram-html": "a Telegram export (Telegram shows every newline)",
    "telegram-text": "Telegram posts (Telegram shows every newline)",
}
_BLANKS_BEFORE_NEWLINE = re.compile(r"[ \t]+\n")
_MARKDOWN_FORMATS = frozenset({"markdown", "lecture", "question-file"})


class Choice(NamedTuple):
    """How one source's single newlines are read, and why."""

    mode: str  # obsidian | commonmark
    why: str

    def shown(self) -> str:
        return f"{self.mode}: {self.why}"


def choose(setting: str, fmt: str, path: Path, *, wikilinks: bool, in_vault: bool) -> Choice:
    """The mode for one source: ``setting`` when it is not ``auto``, else Obsidian's for
    lecture notes and Obsidian notes, CommonMark for everything else.

    ``wikilinks``: the source links with them; ``in_vault``: a note in its folder does.
    """
    if setting != "auto":
        return Choice(setting, "set by line_breaks / --line-breaks")
    if fmt in _OBSIDIAN_FORMATS:
        return Choice(OBSIDIAN, _OBSIDIAN_FORMATS[fmt])
    if fmt in _MARKDOWN_FORMATS:
        vault = obsidian_vault(path.resolve().parent)
        if vault is not None and strict_line_breaks(vault):
            return Choice(COMMONMARK, f"the Obsidian vault {vault.name}/ has strict line breaks")
        if vault is not None:
            return Choice(OBSIDIAN, f"in an Obsidian vault ({vault.name}/.obsidian)")
        if in_vault or wikilinks:
            return Choice(OBSIDIAN, "an Obsidian note ([[wikilinks]])")
    return Choice(COMMONMARK, "a single newline joins lines, as in CommonMark")


@lru_cache(maxsize=256)
def obsidian_vault(folder: Path) -> Path | None:
    """The folder at or above ``folder`` that holds Obsidian's ``.obsidian`` settings."""
    for candidate in (folder, *folder.parents):
        try:
            if (candidate / ".obsidian").is_dir():
                return candidate
        except OSError:
            return None
    return None


def strict_line_breaks(vault: Path) -> bool:
    """Whether the vault's settings (``.obsidian/app.json``) turn "Strict line breaks"
    on, so Obsidian itself joins single newlines as CommonMark does."""
    try:
        settings = json.loads((vault / ".obsidian" / "app.json").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(settings, dict) and settings.get("strictLineBreaks") is True


def has_wikilinks(text: str) -> bool:
    """Whether ``text`` links with ``[[wikilinks]]`` or ``![[embeds]]`` as the parser
    reads it (not ``df[['a']]`` in code, not a matrix in math)."""
    if "[[" not in text:
        return False
    return any(link.kind in {"wikilink", "embed"} for link in parse(text).links)


def note_has_wikilinks(text: str) -> bool:
    """:func:`has_wikilinks` of a whole source note, read from the parse its importers
    share (:func:`~kbtool.importers.markdown_sections.read_markdown`: the Markdown after
    the front matter) rather than from a parse of its own, and from its front matter's
    lines, where a property may link (``up: "[[Index]]"``)."""
    if "[[" not in text:
        return False
    from kbtool.importers.markdown_sections import read_markdown, source_lines

    doc, front = read_markdown(text)
    if any(link.kind in {"wikilink", "embed"} for link in doc.links):
        return True
    lines = source_lines(text)
    return has_wikilinks("\n".join(lines[n - 1] for n in front.lines if n <= len(lines)))


def keep_breaks(body: str) -> tuple[str, int, Skipped | None]:
    """``body`` with each soft break of its paragraphs written as a hard break: the text,
    how many, and why nothing was changed when the change would alter anything else."""
    if len(body) > MAX_CHECKED:
        return body, 0, None  # kept as written, as normalize keeps it (and reports it)
    lines = [b.line for b in soft_breaks(body) if not b.where]
    if not lines:
        return body, 0, None
    rows = body.split("\n")
    for line in lines:
        row = rows[line - 1]
        kept = row.rstrip(" \t")
        # a backslash the blanks kept from the line end stays apart from the new one
        rows[line - 1] = (row if kept.endswith("\\") else kept) + "\\"
    after = "\n".join(rows)
    problem = _changed(body, after, len(lines))
    if problem is not None:
        return body, 0, Skipped(STEP, problem)
    return after, len(lines), None


def _changed(before: str, after: str, breaks: int) -> str | None:
    """Why ``after`` says more than ``before`` with ``breaks`` hard breaks, or None when
    it does not: the same blocks on the same lines, the same text, and rendered, the
    same HTML with one ``<br />`` more per break (``~~$\\`` closes no strikethrough
    that ``~~$`` closed: the pairing of delimiters can move)."""
    old, new = parse(before).blocks, parse(after).blocks
    if [(b.kind, b.line, b.end_line) for b in old] != [(b.kind, b.line, b.end_line) for b in new]:
        return "a hard break would change the blocks of the document"
    allowed = frozenset({"backslashes"})
    if reading(before, allowed) != reading(after, allowed):
        return "a hard break would change what the document says"
    md = parser()
    old_html, new_html = md.render(before), md.render(after)
    if (
        _breaks_aside(new_html) != _breaks_aside(old_html)
        or new_html.count("<br />") != old_html.count("<br />") + breaks
    ):
        return "a hard break would change how the document renders"
    return None


def _breaks_aside(html: str) -> str:
    """Rendered HTML without its line breaks (and the blanks markdown-it leaves before a
    soft break)."""
    return _BLANKS_BEFORE_NEWLINE.sub("\n", html.replace("<br />\n", "\n"))
