"""Files of an Obsidian vault that are not notes: its templates and Excalidraw drawings.

A vault keeps note templates in the folder its settings name (the Templates core
plugin: ``folder`` in ``.obsidian/templates.json``; Templater: ``templates_folder`` in
its ``data.json``). They hold placeholders such as ``{{title}}`` or ``<% tp.date.now()
%>``, whose front matter is no YAML until the template is used, and headings with
nothing under them: a blank form, not a note. The Excalidraw plugin stores each
drawing as a Markdown file whose front matter says ``excalidraw-plugin:`` and whose
body is the drawing's text labels (``Scale ^sUaZlkwT``) and compressed JSON: a picture
in Obsidian, noise as text. Importing a folder leaves both out, each named in the
report with the reason; a template named on the command line is imported as asked.
An embed of a drawing left out (``![[stackframe]]``) becomes a visible remark
(:mod:`kbtool.importers.entry_links`), as a missing picture does.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from kbtool.importers.line_breaks import obsidian_vault
from kbtool.store.front_matter import split

TEMPLATE = "a template of the Obsidian vault (its templates folder {folder}/); name it to import it"
DRAWING = "a drawing of Obsidian's Excalidraw plugin, not a note"
_DRAWING_KEY = "excalidraw-plugin"
# where a vault's settings name its templates folder: (settings file, key)
_TEMPLATE_SETTINGS = (
    (("templates.json",), "folder"),
    (("plugins", "templater-obsidian", "data.json"), "templates_folder"),
)


def left_out(path: Path, text: str, *, named: bool) -> str | None:
    """Why the vault file ``path`` (holding ``text``) is no note to import, or None.

    ``named``: the file was named on the command line (a template is then imported).
    """
    if is_drawing(text):
        return DRAWING
    if named:
        return None
    vault = obsidian_vault(path.resolve().parent)
    if vault is None:
        return None
    real = os.path.realpath(path)
    for folder in templates_folders(vault):
        if real.startswith(os.path.realpath(vault / folder) + os.sep):
            return TEMPLATE.format(folder=folder)
    return None


def is_drawing(text: str) -> bool:
    """Whether ``text`` is an Excalidraw drawing: its front matter has the plugin's key."""
    if _DRAWING_KEY not in text[:4096]:
        return False
    yaml = split(text).yaml
    return yaml is not None and any(
        line.split(":", 1)[0].strip() == _DRAWING_KEY for line in yaml.splitlines()
    )


def drawing_names(path: Path) -> tuple[str, ...]:
    """The names an embed gives the drawing file ``path``: ``Stack.excalidraw.md`` is
    ``![[Stack.excalidraw]]`` and ``![[Stack.excalidraw.md]]``; ``stackframe.md`` is
    ``![[stackframe]]``."""
    return (path.name, path.stem)


@lru_cache(maxsize=64)
def templates_folders(vault: Path) -> tuple[str, ...]:
    """The folders (relative to ``vault``) its settings keep templates in."""
    found: list[str] = []
    for parts, key in _TEMPLATE_SETTINGS:
        try:
            settings = json.loads((vault / ".obsidian").joinpath(*parts).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        folder = settings.get(key) if isinstance(settings, dict) else None
        if isinstance(folder, str) and folder.strip("/ "):
            found.append(folder.strip("/ "))
    return tuple(dict.fromkeys(found))
