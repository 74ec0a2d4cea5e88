"""Run typst in-process on a cheat sheet: lay it out, read its marks, write it.

typst sees a sheet as two files: the main source (template, show rule, body) and a
one-line file with the height left empty at the foot of the last page (``kbroom``,
see :mod:`kbtool.export.balance`). typst memoizes layout by content for the life of
the process, and the main source stays the same byte for byte, so laying the sheet
out again with another room, then writing the PDF, reuses the layout of every
paragraph: an export pays for one full layout, not one per step.

Typst runs with its embedded fonts only (``ignore_system_fonts``, no font paths) and
the base as its root: ``image("/x.png")`` is ``<base>/x.png``, and nothing above it
can be read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from kbtool.errors import InputError
from kbtool.export import balance

MAIN = "main.typ"
ROOM = "kbtool-room.typ"
ROOM_IMPORT = f'#import "/{ROOM}": kbroom\n'  # the main source's first line
TIMESTAMP = 0  # SOURCE_DATE_EPOCH-style fixed creation date: reproducible bytes
_LOCATION = re.compile(r"\.typ:(\d+):(\d+)")
IMAGE_CALL = re.compile(r'image\("(/[^"\\]*)"\)')  # pandoc's typst writer: image("/rel/path")


def _compiler(source: str | None, base: Path, room: float = 0.0) -> Any:
    import typst

    files = None
    if source is not None:
        files = {MAIN: source.encode("utf-8"), ROOM: f"#let kbroom = {room:.2f}pt\n".encode()}
    return typst.Compiler(
        input=files,  # type: ignore[type-var]  # typst-py takes {name: bytes}; its stub lags
        root=str(base.resolve()),
        font_paths=[],
        ignore_system_fonts=True,
    )


def layout(
    source: str, base: Path, labels: dict[str, str], room: float = 0.0
) -> tuple[balance.Mark, balance.Mark] | None:
    """Lay the sheet out; where its columns start and its text ends (None if unmarked).

    A failure becomes the :class:`InputError` a compile gives (the query reports
    only a message, the compile the line and the entry)."""
    try:
        found = _compiler(source, base, room).query("metadata", field="value")
    except RuntimeError as exc:
        render(source, base, labels, room)  # raises the error with its place
        raise InputError(f"typst could not lay out the PDF: {exc}") from None
    return balance.marks(found)


def render(source: str, base: Path, labels: dict[str, str], room: float = 0.0) -> bytes:
    """The PDF of the sheet; a failure becomes an :class:`InputError` naming the entry."""
    data = _compile(source, base, labels, room, "pdf")
    return data[0]


def pages_png(
    source: str, base: Path, labels: dict[str, str], room: float = 0.0, ppi: float = 144
) -> list[bytes]:
    """Every page as PNG (typst's own renderer, the engine that laid out the PDF)."""
    return _compile(source, base, labels, room, "png", ppi)


def _compile(
    source: str,
    base: Path,
    labels: dict[str, str],
    room: float,
    fmt: Literal["pdf", "png"],
    ppi: float | None = None,
) -> list[bytes]:
    import typst

    try:
        data = _compiler(source, base, room).compile(format=fmt, ppi=ppi, timestamp=TIMESTAMP)
    except typst.TypstError as exc:
        raise compile_error(exc, source, labels) from None
    pages = data if isinstance(data, list) else [data]
    assert all(isinstance(page, bytes) for page in pages)
    return pages


def drop_unreadable_images(
    source: str, base: Path, labels: dict[str, str]
) -> tuple[str, list[str]]:
    """Leave out every image typst cannot decode; one warning per image use.

    Only run after a failed build: a corrupt picture must not cost the whole sheet,
    and trying each image alone is cheap next to guessing from one error at a time.
    """
    import typst

    compiler = _compiler(None, base)
    warnings: list[str] = []
    for call, path in sorted({(m.group(0), m.group(1)) for m in IMAGE_CALL.finditer(source)}):
        try:
            compiler.compile(f"#{call}".encode(), format="pdf", timestamp=TIMESTAMP)
        except typst.TypstError as exc:
            reason = str(getattr(exc, "message", exc)).split("\n")[0]
            lines = source.split("\n")
            for number, text in enumerate(lines, start=1):
                if call in text:
                    entry = _entry_at(lines, number, labels) or "cheat sheet"
                    warnings.append(f"{entry}: image {path} cannot be read ({reason}); left out")
            source = source.replace(call, "[]")  # nothing printed; the warning says why
    return source, warnings


def _entry_at(lines: list[str], line: int, labels: dict[str, str]) -> str | None:
    """The entry whose label comes last before ``line`` of the generated source."""
    for text in reversed(lines[: line - 1]):
        if text.strip() in labels:
            return labels[text.strip()]
    return None


def compile_error(exc: Any, source: str, labels: dict[str, str]) -> InputError:
    """typst's error as the user's: the generated line, the code frame, the entry."""
    message = str(getattr(exc, "message", "") or exc).strip()
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    match = _LOCATION.search(diagnostic)
    line = int(match.group(1)) if match else None
    entry = _entry_at(source.split("\n"), line, labels) if line else None
    # typst's code frame shows the offending generated line; its first line repeats the message
    frame = [
        text.replace(MAIN, "cheatsheet source")
        for text in diagnostic.rstrip().split("\n")[1:]
        if text.strip()
    ]
    where = f" (generated typst line {line})" if line else ""
    return InputError(
        "\n".join([f"typst could not build the PDF{where}: {message}", *frame]),
        path=entry,
        hint="fix the Markdown of this entry (math, tables, images), then export again",
    )
