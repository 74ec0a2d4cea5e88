"""Read and write entry files: front matter checked against the schema, canonical output.

Canonical form: ``---``, the keys in model order, ``---``, a blank line, the body,
one trailing newline; UTF-8 and LF. Reading a canonical file and writing it back
gives the same bytes, so a rewrite shows up in ``git diff`` only when something
really changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kbtool.errors import EntryError, FrontMatterIssue
from kbtool.model.entry import Entry
from kbtool.store import atomic, safe_yaml
from kbtool.store.front_matter import split
from kbtool.store.text import read_text


@dataclass(frozen=True)
class EntryDocument:
    """An entry as stored: its front matter model and its Markdown body.

    ``body_line`` is the file line on which the body starts (for lint positions).
    """

    entry: Entry
    body: str
    body_line: int = 1
    path: Path | None = None


def parse(text: str, display: str) -> EntryDocument:
    """Parse decoded text; raise :class:`EntryError` listing every front matter issue."""
    if not text.strip():
        raise EntryError(
            display,
            [
                FrontMatterIssue(
                    1,
                    "",
                    "file is empty; an entry starts with a front matter block between --- lines",
                )
            ],
        )
    doc = split(text)
    if doc.yaml is None:
        raise EntryError(
            display,
            [
                FrontMatterIssue(
                    1, "", "no front matter; an entry starts with a line '---', its keys, and '---'"
                )
            ],
        )
    if doc.unterminated:
        raise EntryError(
            display,
            [
                FrontMatterIssue(
                    1, "", "front matter is not closed; add a line '---' after its last key"
                )
            ],
        )
    _data, issues, entry = load_entry(doc.yaml)
    if entry is None:
        raise EntryError(display, issues)
    leading = len(doc.body) - len(doc.body.lstrip("\n"))
    return EntryDocument(entry, _clean_body(doc.body), doc.body_line + leading)


def load_entry(yaml_text: str) -> tuple[Any, list[FrontMatterIssue], Entry | None]:
    """Front matter data, every issue in it (YAML, then the schema, then the model) and
    the entry when there is none. Lint and every reader of entries decide alike.

    Quick path: the model accepts no value the schema refuses (``Entry``'s validators;
    ``tests/test_model_schema.py``), so front matter the model accepts skips the JSON
    Schema pass (~0.2 ms a file). Anything else gets that pass for exact messages.
    """
    try:
        loaded = safe_yaml.load(yaml_text, first_line=2)
    except safe_yaml.YamlProblem:
        loaded = None
    if loaded is not None and not loaded.problems and isinstance(loaded.data, dict):
        try:
            return loaded.data, [], Entry.model_validate(loaded.data)
        except ValidationError:
            pass
    data, issues = load_front_matter(yaml_text)
    if issues:
        return data, issues, None
    try:
        return data, [], Entry.model_validate(data)
    except ValidationError as exc:  # the schema passed but the model did not
        issues = [
            FrontMatterIssue(2, ".".join(map(str, err["loc"])), err["msg"]) for err in exc.errors()
        ]
        return data, issues, None


def load_front_matter(yaml_text: str) -> tuple[Any, list[FrontMatterIssue]]:
    """Front matter data and every issue in it; lines are file lines (YAML starts on line 2)."""
    try:
        loaded = safe_yaml.load(yaml_text, first_line=2)
    except safe_yaml.YamlProblem as exc:
        return None, [FrontMatterIssue(exc.line, exc.key_path, exc.message)]
    issues = [FrontMatterIssue(p.line, p.key_path, p.message) for p in loaded.problems]
    if not isinstance(loaded.data, dict):
        found = "nothing" if loaded.data is None else f"a {type(loaded.data).__name__}"
        issues.append(
            FrontMatterIssue(
                2,
                "",
                f"front matter must be a mapping of keys (id: ..., title: ...), found {found}",
            )
        )
        return loaded.data, issues
    from kbtool.store import validate  # here: only front matter the model refused

    issues.extend(validate.check(loaded.data, loaded.lines))
    issues.sort(key=lambda issue: issue.line)
    return loaded.data, issues


def read(path: Path, display: str | None = None) -> EntryDocument:
    shown = display or str(path)
    doc = parse(read_text(path, shown), shown)
    return EntryDocument(doc.entry, doc.body, doc.body_line, path)


def _clean_body(body: str) -> str:
    return body.strip("\n")


def render(entry: Entry, body: str) -> str:
    """Canonical text of an entry file."""
    data = entry.front_matter()
    return _assemble([_render_key(key, value, 0) for key, value in data.items()], body)


def _assemble(parts: list[list[str]], body: str) -> str:
    lines = ["---"]
    for part in parts:
        lines.extend(part)
    lines.append("---")
    text = "\n".join(lines) + "\n"
    body = _clean_body(body.replace("\r\n", "\n"))
    if body:
        text += "\n" + body + "\n"
    return text


def _render_key(key: str, value: object, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        out = [f"{pad}{key}:"]
        for sub_key, sub_value in value.items():
            out.extend(_render_key(sub_key, sub_value, indent + 2))
        return out
    return [f"{pad}{key}: {safe_yaml.dump_scalar(value)}"]


def digest(entry: Entry, body: str) -> str:
    """Content hash of an entry, ignoring the stored digest itself and ``updated``.

    Import stores it in ``source.digest``; when the file's current digest differs, a
    person has edited the entry since, and re-import must not overwrite it.
    """
    return _digest(_unsealed_parts(entry.front_matter()), body)


def sealed(entry: Entry, body: str) -> tuple[Entry, str]:
    """``entry`` with ``source.digest`` set to its own :func:`digest`, and its canonical text.

    Renders each key once for both the hash and the file (import calls this for
    every entry it creates): ``render(result, body)`` gives the same text.
    """
    data = entry.front_matter()
    parts = _unsealed_parts(data)
    value = _digest(parts, body)
    keys = list(data)
    parts[keys.index("source")].append(f"  digest: {safe_yaml.dump_scalar(value)}")
    parts[keys.index("updated")] = _render_key("updated", data["updated"], 0)
    source = entry.source.model_copy(update={"digest": value})
    return entry.model_copy(update={"source": source}), _assemble(parts, body)


def _unsealed_parts(data: dict[str, object]) -> list[list[str]]:
    """Rendered keys of ``data`` as :func:`digest` hashes them: no digest, ``updated = created``.

    ``source.digest`` is the last field of ``Source``, so the sealed text is this plus
    one line at the end of ``source``.
    """
    parts: list[list[str]] = []
    for key, value in data.items():
        shown = value
        if key == "source" and isinstance(value, dict):
            shown = {k: v for k, v in value.items() if k != "digest"}
        elif key == "updated":
            shown = data["created"]
        parts.append(_render_key(key, shown, 0))
    return parts


def _digest(parts: list[list[str]], body: str) -> str:
    return "sha256:" + hashlib.sha256(_assemble(parts, body).encode("utf-8")).hexdigest()


def write(path: Path, entry: Entry, body: str) -> bool:
    """Write atomically in canonical form; return False when the bytes were already there."""
    return write_canonical(path, render(entry, body))


def write_canonical(path: Path, text: str) -> bool:
    """:func:`write` for a caller that has the canonical text already (:func:`sealed`)."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic.write_bytes(path, data)
    return True
