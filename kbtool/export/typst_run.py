"""Run typst in-process on a cheat sheet: lay it out, read its marks, write it.

typst sees a sheet as two files: the main source (template, show rule, body) and a
short file of what kbtool learnt from the previous layout (:class:`Facts`): the height
left empty at the foot of each part's last page (``kbroom``, see
:mod:`kbtool.export.balance`) and the page each topic starts on (``kbpages``, for the
contents). typst memoizes
layout by content for the life of the process, and the main source stays the same
byte for byte, so laying the sheet out again with other facts, then writing the PDF,
reuses the layout of every paragraph: an export pays for one full layout, not one
per step.

The sheet asks typst's introspection (which lays a document out again until what it
asked stabilizes) only for things outside the text's flow or of no size: page numbers
in header and footer, and the marks. Everything that would move text between passes
(the contents' page numbers, jumps to labels) comes from the facts or is resolved
in the PDF afterwards (:mod:`kbtool.export.pdf_links`), so typst's second pass
re-lays out almost nothing.

Typst runs with its embedded fonts and Noto Sans CJK (:func:`fonts`), never the
system's, and the base as its root: ``image("/x.png")`` is
``<base>/x.png``, and nothing above it can be read.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NamedTuple

from kbtool.errors import InputError
from kbtool.export import balance, pdf_links

MAIN = "main.typ"
ROOM = "kbtool-room.typ"
ROOM_IMPORT = f'#import "/{ROOM}": kbpages\n'  # the main source's first line
TIMESTAMP = 0  # SOURCE_DATE_EPOCH-style fixed creation date: reproducible bytes
# No accessibility tags (typst writes them by default since 0.14): a printed cheat
# sheet has no use for them, and they made the 300-entry sheet 2.6 times larger (7.0
# MB against 2.7 MB) and its writing a quarter slower. The study page is the
# export to read with a screen reader.
PDF_TAGS = False
_LOCATION = re.compile(r"([\w.-]+\.typ):(\d+):(\d+)")
_ERROR = re.compile(r"^error:", re.MULTILINE)  # where typst's diagnostic says the error
IMAGE_CALL = re.compile(r'image\("(/[^"\\]*)"\)')  # pandoc's typst writer: image("/rel/path")
# A node of the PDF's page tree (typst writes one: ``<</Type/Pages/Count N/Kids[...]>>``)
_PAGES = re.compile(rb"/Type\s*/Pages\b")
_COUNT = re.compile(rb"/Count\s+(\d+)")


class Facts(NamedTuple):
    """What a layout of the sheet takes from the one before it."""

    rooms: tuple[float, ...] = ()  # points left empty at the foot of each part's last page
    pages: tuple[tuple[str, int], ...] = ()  # (topic label, page it starts on)

    def typst(self) -> bytes:
        rooms = "".join(f"{room:.2f}pt, " for room in self.rooms)
        pages = ", ".join(f"{_string(name)}: {page}" for name, page in self.pages)
        return f"#let kbroom = ({rooms})\n#let kbpages = ({pages or ':'})\n".encode()


NO_FACTS = Facts()


def _string(text: str) -> str:
    """A typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Laid(NamedTuple):
    """What one layout of the sheet tells: where each part's columns start and its
    text ends, and the page each topic starts on."""

    parts: list[tuple[balance.Mark, balance.Mark]]
    pages: tuple[tuple[str, int], ...]

    @property
    def last_page(self) -> int:
        return self.parts[-1][1].page


@cache
def fonts() -> Any:
    """The fonts typst sets the sheet in: its embedded ones and Noto Sans CJK, a
    dependency of kbtool (PyPI's ``noto-cjk-sans-otc``, pinned), so every machine
    prints the same; never the system's. The embedded fonts have no Chinese, Japanese
    or Korean letter, and a collection of Chinese notes printed as pages of empty
    boxes. Found once per process (45 ms) and shared by every typst run, which then
    starts in 0.3 ms instead of the 2-7 ms it took to load the embedded fonts alone."""
    import typst

    found = str(resources.files("noto_cjk_sans_otc"))
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[found])


def _compiler(source: str | None, base: Path, facts: Facts = NO_FACTS) -> Any:
    import typst

    files = None
    if source is not None:
        files = {MAIN: source.encode("utf-8"), ROOM: facts.typst()}
    return typst.Compiler(
        input=files,  # typst-py takes {name: bytes}; its stub says one file
        root=str(base.resolve()),
        font_paths=fonts(),
        ignore_system_fonts=True,
    )


def layout(source: str, base: Path, labels: dict[str, str], facts: Facts = NO_FACTS) -> Laid | None:
    """Lay the sheet out: its marks and topic pages (None if unmarked).

    A failure becomes the :class:`InputError` a compile gives (the query reports
    only a message, the compile the line and the entry)."""
    try:
        found = _compiler(source, base, facts).query("metadata", field="value")
    except RuntimeError as exc:
        render(source, base, labels, facts)  # raises the error with its place
        raise InputError(f"typst could not lay out the PDF: {exc}") from None
    marks = balance.marks(found)
    if marks is None:
        return None
    return Laid(marks, topic_pages(found))


def topic_pages(found: str) -> tuple[tuple[str, int], ...]:
    """(label, page) of each topic from a ``metadata`` query's JSON (``kbtopics``)."""
    for item in json.loads(found):
        if isinstance(item, dict) and item.get("kind") == "kbtopics":
            return tuple((str(name), int(page)) for name, page in item.get("pages", []))
    return ()


def render(source: str, base: Path, labels: dict[str, str], facts: Facts = NO_FACTS) -> bytes:
    """The PDF of the sheet; a failure becomes an :class:`InputError` naming the entry."""
    data = _compile(source, base, labels, facts, "pdf")
    return pdf_links.resolve(data[0])


def page_count(pdf: bytes) -> int:
    """How many pages a PDF typst wrote has (its page tree's root counts them all)."""
    counts = []
    for node in _PAGES.finditer(pdf):  # its dictionary: from the "<<" before to the ">>" after
        start, end = pdf.rfind(b"<<", 0, node.start()), pdf.find(b">>", node.end())
        if found := _COUNT.search(pdf, max(start, 0), len(pdf) if end < 0 else end):
            counts.append(int(found.group(1)))
    if not counts:
        raise ValueError("no page tree in the PDF")
    return max(counts)


def pages_png(
    source: str, base: Path, labels: dict[str, str], facts: Facts = NO_FACTS, ppi: float = 144
) -> list[bytes]:
    """Every page as PNG (typst's own renderer, the engine that laid out the PDF)."""
    return _compile(source, base, labels, facts, "png", ppi)


def _compile(
    source: str,
    base: Path,
    labels: dict[str, str],
    facts: Facts,
    fmt: Literal["pdf", "png"],
    ppi: float | None = None,
) -> list[bytes]:
    import typst

    try:
        data = _compiler(source, base, facts).compile(
            format=fmt, ppi=ppi, timestamp=TIMESTAMP, pdf_tags=PDF_TAGS
        )
    except typst.TypstError as exc:
        raise compile_error(exc, source, labels) from None
    pages = data if isinstance(data, list) else [data]
    assert all(isinstance(page, bytes) for page in pages)
    return pages


def unreadable_images(source: str, base: Path, labels: dict[str, str]) -> dict[str, list[str]]:
    """Each image call typst cannot decode, with one warning per use.

    Only run after a failed build: a corrupt picture must not cost the whole sheet,
    and trying each image alone is cheap next to guessing from one error at a time.
    The caller replaces each call with ``[]`` (nothing printed; the warning says why).
    """
    import typst

    compiler = _compiler(None, base)
    found: dict[str, list[str]] = {}
    lines = source.split("\n")
    for call, path in sorted({(m.group(0), m.group(1)) for m in IMAGE_CALL.finditer(source)}):
        try:
            compiler.compile(f"#{call}".encode(), format="pdf", timestamp=TIMESTAMP)
        except typst.TypstError as exc:
            reason = str(getattr(exc, "message", exc)).split("\n")[0]
            said = []
            for number, text in enumerate(lines, start=1):
                if call in text:
                    entry = _entry_at(lines, number, labels) or "cheat sheet"
                    said.append(f"{entry}: image {path} cannot be read ({reason}); left out")
            found[call] = said
    return found


def _entry_at(lines: list[str], line: int, labels: dict[str, str]) -> str | None:
    """The entry whose label comes last before ``line`` of the generated source."""
    for text in reversed(lines[: line - 1]):
        if text.strip() in labels:
            return labels[text.strip()]
    return None


class TypstFailed(InputError):
    """typst refused the sheet; ``source_line`` is the line of the generated source its
    error points at (None when it points elsewhere) and ``reason`` typst's message."""

    def __init__(self, message: str, *, reason: str, source_line: int | None, **where: Any) -> None:
        super().__init__(message, **where)
        self.reason = reason
        self.source_line = source_line


def compile_error(exc: Any, source: str, labels: dict[str, str]) -> TypstFailed:
    """typst's error as the user's: the generated line, the code frame, the entry."""
    message = str(getattr(exc, "message", "") or exc).strip()
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    # the compile's warnings come first: their places named an entry typst had printed
    # (a C++ code block's tag), which was then left out instead of the one refused
    error = _ERROR.search(diagnostic)
    diagnostic = diagnostic[error.start() :] if error else diagnostic
    match = _LOCATION.search(diagnostic)
    line = int(match.group(2)) if match else None
    in_main = match is not None and match.group(1) == MAIN
    entry = _entry_at(source.split("\n"), line, labels) if line and in_main else None
    # typst's code frame shows the offending generated line; its first line repeats the message
    frame = [
        text.replace(MAIN, "cheatsheet source")
        for text in diagnostic.rstrip().split("\n")[1:]
        if text.strip()
    ]
    where = f" (generated typst line {line})" if line else ""
    return TypstFailed(
        "\n".join([f"typst could not build the PDF{where}: {message}", *frame]),
        reason=message,
        source_line=line if in_main else None,
        path=entry,
        hint="fix the Markdown of this entry (math, tables, images), then export again",
    )
