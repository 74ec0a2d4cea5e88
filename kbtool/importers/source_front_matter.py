r"""Front matter of a source note (Obsidian, GitBook, Jekyll: YAML; Hugo: YAML or TOML
between ``+++``): read, never pasted.

The keys import uses are ``title``, ``aliases`` (and ``alias``), ``tags`` (and
``tag``, ``keywords``), ``topic``, ``difficulty`` (and ``level``: ``easy``, ``medium``,
``hard``, or the seniority a question is asked at, ``junior`` … ``staff``) and any
key whose value holds ``[[wikilinks]]`` (``parent``, ``up``: kept as a line of the
note, so the link is not lost); the rest are listed so the report can say what was
left out.
YAML that does not load leaves the lines as they are: they are then plain text.

A tool that writes its own front matter above a note's may leave the old one below it
as text, its fences escaped or doubled (``---``, ``---``, ``---\``, then ``id: …``,
``title: …``, then ``---\``); a note may also lose the newline after its opening fence
(``---id: tools-003``). Those key lines are front matter too, not the note's text: they
are read (the first front matter's keys win) and left out with it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from kbtool.errors import InputError
from kbtool.store import safe_yaml
from kbtool.store.front_matter import split

_TITLE = ("title",)
_ALIASES = ("aliases", "alias")
_TAGS = ("tags", "tag", "keywords")
_TOPIC = ("topic",)
_DIFFICULTY = ("difficulty", "level")
# a front matter fence, or one a tool escaped ("---\\")
_FENCE = re.compile(r"---\\?[ \t]*")
# a YAML key line; a fence may have lost its newline ("---id: tools-003")
_KEY = re.compile(r"(?:---)?[A-Za-z_][\w-]*:(?:[ \t]|$)")
# keys that show a block of key lines is a note's front matter
_KNOWN = {"id", "title", "aliases", "tags", "topic", "date", "created", "updated", "difficulty"}
# the words a difficulty is written in, and the seniority a question is asked at
_LEVELS = {
    **dict.fromkeys(("easy", "beginner", "junior", "легко", "лёгкий", "легкий", "джун"), "easy"),
    **dict.fromkeys(("medium", "intermediate", "middle", "mid", "средний", "мидл"), "medium"),
    **dict.fromkeys(
        ("hard", "advanced", "senior", "staff", "principal", "lead", "сложный", "сеньор"), "hard"
    ),
}


@dataclass
class FrontMatter:
    """What a source's front matter says; ``lines`` are its 1-based lines (fences too)."""

    body: str
    body_line: int
    lines: list[int] = field(default_factory=list)
    title: str | None = None
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # "parent: [[Loss functions]]"
    difficulty: str | None = None  # easy, medium or hard
    topic: str | None = None


def body_markdown(body: str, body_line: int) -> str:
    """The Markdown after a source's front matter as its importers parse it: blank
    lines where the front matter was (the document's lines are the file's, and its
    closing ``---`` is no setext underline), ending in a newline as a file does. Every
    importer's detection and reading asks for this one text, so the file is parsed once
    (:mod:`kbtool.markdown.cache`)."""
    text = "\n" * (body_line - 1) + body
    return text if text.endswith("\n") else text + "\n"


def read_front_matter(lines: list[str], display: str = "", *, strict: bool = True) -> FrontMatter:
    """The front matter of a source given as lines (no front matter: the whole text is body).

    YAML that does not load is an :class:`InputError` naming ``display`` and the line
    (``strict``), or is read as body text (``strict=False``, for detection).
    """
    text = "\n".join(lines)
    if lines and lines[0].rstrip() == "+++":  # Hugo's TOML front matter
        return _toml(lines, text, display, strict=strict)
    part = split(text)
    if part.yaml is None or part.unterminated:
        return _left_below(lines, {}, 1) or FrontMatter(text, 1)
    try:
        data = safe_yaml.load(part.yaml, 2).data
    except safe_yaml.YamlProblem as problem:
        if strict:
            raise InputError(
                f"front matter: {problem.message}",
                path=display,
                line=problem.line,
                hint="fix the YAML between the --- lines, or remove them",
            ) from None
        return FrontMatter(text, 1)
    if data is not None and not isinstance(data, dict):
        return FrontMatter(text, 1)
    below = _left_below(lines, data or {}, part.body_line)
    return below or _front_matter(data or {}, part.body, part.body_line)


def _left_below(lines: list[str], data: dict[str, Any], body_line: int) -> FrontMatter | None:
    """The front matter with the key lines a tool left below it (or at the top of a
    note whose opening fence lost its newline), when the body opens with them: lines of
    YAML keys, two or more of them a note's (``title``, ``tags``), up to a fence
    (``---``, ``---\\``), maybe with fences above them. None when the body opens
    otherwise."""
    start = body_line - 1
    at = start
    while at < len(lines) and (not lines[at].strip() or _FENCE.fullmatch(lines[at].rstrip())):
        at += 1
    first = lines[at] if at < len(lines) else ""
    if not _KEY.match(first):
        return None
    end = next((n for n in range(at, len(lines)) if _FENCE.fullmatch(lines[n].rstrip())), None)
    if end is None:
        return None
    block = [first.removeprefix("---"), *lines[at + 1 : end]]
    if not all(not line.strip() or _KEY.match(line) or line[0] in " \t-#" for line in block):
        return None
    try:
        more = safe_yaml.load("\n".join(block), at + 1).data
    except safe_yaml.YamlProblem:
        return None
    if not isinstance(more, dict) or len(_KNOWN & set(map(str, more))) < 2:
        return None
    while end < len(lines) and (not lines[end].strip() or _FENCE.fullmatch(lines[end].rstrip())):
        end += 1
    while end > at and not lines[end - 1].strip():  # the blank lines before the text stay
        end -= 1
    return _front_matter({**more, **data}, "\n".join(lines[end:]), end + 1)


def _toml(lines: list[str], text: str, display: str, *, strict: bool) -> FrontMatter:
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "+++"), None)
    if end is None:
        return FrontMatter(text, 1)
    try:
        data = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        if strict:
            raise InputError(
                f"front matter: TOML error: {error}",
                path=display,
                hint="fix the TOML between the +++ lines, or remove them",
            ) from None
        return FrontMatter(text, 1)
    return _front_matter(data, "\n".join(lines[end + 1 :]), end + 2)


def _front_matter(data: dict[str, Any], body: str, body_line: int) -> FrontMatter:
    """What the keys of loaded front matter say for import."""
    out = FrontMatter(body, body_line, list(range(1, body_line)))
    title = next((data[k] for k in _TITLE if isinstance(data.get(k), str | int | float)), None)
    out.title = str(title).strip() or None if title is not None else None
    out.aliases = _strings(next((data[k] for k in _ALIASES if k in data), []))
    out.tags = [t.lstrip("#") for t in _strings(next((data[k] for k in _TAGS if k in data), []))]
    topic = next((data[k] for k in _TOPIC if isinstance(data.get(k), str)), None)
    out.topic = topic.strip() or None if topic is not None else None
    used = {*_TITLE, *_ALIASES, *_TAGS, *_TOPIC}
    for key in _DIFFICULTY:
        level = _LEVELS.get(str(data.get(key, "")).strip().casefold())
        if level is not None and out.difficulty is None:
            out.difficulty = level
            used.add(key)
    for key, value in data.items():
        targets = [v for v in _strings(value, split=False) if "[[" in v]
        if key not in used and targets:
            out.links.append(f"{key}: {', '.join(targets)}")
            used.add(key)
    out.unused = [str(k) for k in data if k not in used]
    return out


def _strings(value: object, *, split: bool = True) -> list[str]:
    """A YAML list, or a string (``split``: comma or space separated), as non-empty strings."""
    if isinstance(value, str):
        items: list[object] = list(value.replace(",", " ").split()) if split else [value]
    elif isinstance(value, list):
        items = list(value)
    else:
        return []
    return [str(v).strip() for v in items if isinstance(v, str | int | float) and str(v).strip()]
