"""Split an entry file into its YAML front matter and its Markdown body.

Kept apart from YAML parsing so that the linter can read plain Markdown documents
(no front matter at all) with the same code that reads entries.
"""

from __future__ import annotations

from typing import NamedTuple

_OPEN = "---"
_CLOSE = ("---", "...")


class SplitDocument(NamedTuple):
    """``yaml`` is None when the document has no front matter.

    ``body_line`` is the 1-based line of the file on which ``body`` starts, so
    positions found in the body can be reported as file lines.
    """

    yaml: str | None
    body: str
    body_line: int
    unterminated: bool = False


def split(text: str) -> SplitDocument:
    """Split decoded text (LF newlines) into front matter and body."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != _OPEN:
        return SplitDocument(None, text, 1)
    pos = first_end + 1 if first_end >= 0 else len(text)
    line_no = 2
    while pos < len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if line.rstrip() in _CLOSE:
            yaml_text = text[first_end + 1 : pos]
            body_start = len(text) if end < 0 else end + 1
            return SplitDocument(yaml_text, text[body_start:], line_no + 1)
        pos = len(text) if end < 0 else end + 1
        line_no += 1
    return SplitDocument(
        text[first_end + 1 :] if first_end >= 0 else "", "", line_no, unterminated=True
    )
