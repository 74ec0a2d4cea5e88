"""A file as the rules see it: parsed once, shared by every rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbtool.errors import FrontMatterIssue, InputError
from kbtool.model.entry import Entry
from kbtool.store.entry_file import load_front_matter
from kbtool.store.front_matter import split
from kbtool.store.text import read_text


@dataclass
class LintDocument:
    """``entry`` is set when the front matter is a valid entry; ``is_entry`` when the
    file is meant to be one (it has front matter or lies in the base)."""

    path: Path
    display: str
    text: str
    body: str
    body_line: int
    is_entry: bool
    front_matter: Any = None
    entry: Entry | None = None
    front_matter_issues: list[FrontMatterIssue] = field(default_factory=list)
    read_error: InputError | None = None


def load(path: Path, display: str, *, expect_entry: bool) -> LintDocument:
    """Read and split ``path``; never raises for bad content (it becomes issues)."""
    try:
        text = read_text(path, display)
    except InputError as exc:
        return LintDocument(path, display, "", "", 1, expect_entry, read_error=exc)
    doc = split(text)
    result = LintDocument(
        path, display, text, doc.body, doc.body_line, expect_entry or doc.yaml is not None
    )
    if not result.is_entry:
        return result
    if not text.strip():
        result.front_matter_issues.append(
            FrontMatterIssue(1, "", "file is empty; an entry starts with a front matter block")
        )
    elif doc.yaml is None:
        result.front_matter_issues.append(
            FrontMatterIssue(
                1, "", "no front matter; an entry starts with a line '---', its keys, and '---'"
            )
        )
    elif doc.unterminated:
        result.front_matter_issues.append(
            FrontMatterIssue(
                1, "", "front matter is not closed; add a line '---' after its last key"
            )
        )
    else:
        data, issues = load_front_matter(doc.yaml)
        result.front_matter = data
        result.front_matter_issues.extend(issues)
        if not issues:
            result.entry = Entry.model_validate(data)
    return result
