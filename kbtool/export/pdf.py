"""PDF cheat sheet: entries -> Markdown -> pandoc -> typst -> PDF, all in-process.

Options (``ExportRequest.options``, passed by ``kbtool export pdf``):

- ``columns``: 2 or 3 (default 2)
- ``paper``: ``"a4"`` (default) or ``"us-letter"`` (``"letter"`` is accepted too)
- ``answers``: bool, default True; False prints a question-only drill sheet
- ``title``: heading of the sheet (default "Cheat sheet")

Typst compiles with its embedded fonts (Libertinus Serif, New Computer Modern and its
math font, DejaVu Sans Mono; all cover Cyrillic) and Noto Sans CJK, a pinned dependency,
the base as its root (so nothing outside the base can be read) and a fixed timestamp,
so the same entries give the same bytes on every machine. No TeX, no network, no
system fonts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from kbtool.errors import UsageError
from kbtool.export import balance, typst_fallback, typst_run
from kbtool.export.base import ExportRequest, ExportResult, StudySettings
from kbtool.export.cache import ExportCache
from kbtool.store.entry_file import EntryDocument

# A topic heading as pandoc writes it in typst: its title, then its label.
_TOPIC = re.compile(r"^= (.+)\n<([^>\n]+)>$", re.MULTILINE)
# A topic of more typst than this (about two pages of the sheet) starts on a new page:
# it begins a part of the sheet, a run of pages typst lays out on its own core. The
# topics after it go on where it ends, on its last page: a cheat sheet is read compact,
# and that page held a few lines of it and nothing else. Short topics share pages.
LONG_TOPIC = 16_000
PAPERS = {"a4": "a4", "us-letter": "us-letter", "letter": "us-letter"}
DEFAULT_LANG = "ru"  # of a sheet with no entry (hyphenation and quotes follow it)
_LANG = re.compile(r"[a-z]{2,3}")  # an ISO 639 code typst knows the form of
COLUMNS = (2, 3)


class PdfSettings(StudySettings):
    """Layout of the sheet; ``include_drafts`` adds a "still to answer" list at the end."""

    columns: Literal[2, 3] = 2
    paper: Literal["a4", "us-letter", "letter"] = "a4"
    answers: bool = True
    title: str = "Cheat sheet"


def settings(options: dict[str, Any]) -> dict[str, Any]:
    """Validated layout settings from the request options."""
    given = {key: value for key, value in options.items() if value is not None}
    if isinstance(given.get("columns"), str) and given["columns"].isdigit():
        given["columns"] = int(given["columns"])
    if isinstance(given.get("paper"), str):
        given["paper"] = given["paper"].lower()
    try:
        parsed = PdfSettings.model_validate(given)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise UsageError(
            f"pdf option {field}: {error['msg']}",
            hint="--columns 2|3, --paper a4|us-letter",
        ) from None
    return {
        "columns": parsed.columns,
        "paper": PAPERS[parsed.paper],
        "answers": parsed.answers,
        "title": parsed.title,
        "include_drafts": parsed.include_drafts,
    }


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def template() -> str:
    return resources.files("kbtool.export").joinpath("templates/cheatsheet.typ").read_text("utf-8")


def document(body: str, layout: dict[str, Any], entries: int) -> str:
    """Complete typst source: our template, the show rule that applies it, the body.

    The contents list the body's topics (level 1 headings) by their labels; their
    pages come from the facts of the previous layout (``kbpages``). Long topics start
    on a new page (:data:`LONG_TOPIC`)."""
    found = list(_TOPIC.finditer(body))
    topics = "".join(f"({_typst_string(m[2])}, [{m[1]}]), " for m in found)
    breaks = "".join(f"{_typst_string(name)}, " for name in page_breaks(body, found))
    show = (
        f"#show: cheatsheet.with(title: {_typst_string(layout['title'])}, "
        f"paper: {_typst_string(layout['paper'])}, ncols: {layout['columns']}, "
        f"answers: {'true' if layout['answers'] else 'false'}, entries: {entries}, "
        f"lang: {_typst_string(layout.get('lang', DEFAULT_LANG))}, "
        f"breaks: ({breaks}), topics: ({topics}), pages: kbpages)\n\n"
    )
    return typst_run.ROOM_IMPORT + template() + "\n" + show + body + "\n"


def sheet_lang(documents: Sequence[EntryDocument]) -> str:
    """The language most entries are in: typst hyphenates (and quotes) by it, and Russian
    patterns never break an English word, which then ran out of a narrow table cell."""
    counted = Counter(str(doc.entry.lang).lower() for doc in documents)
    for lang, _count in sorted(counted.items(), key=lambda item: (-item[1], item[0])):
        if _LANG.fullmatch(lang):
            return lang
    return DEFAULT_LANG


def page_breaks(body: str, topics: list[re.Match[str]]) -> list[str]:
    """Labels of the topics that start a new page: each long topic, never the first
    (the sheet's first page holds the contents above it)."""
    ends = [m.start() for m in topics[1:]] + [len(body)] if topics else []
    return [
        m[2]
        for n, (m, end) in enumerate(zip(topics, ends, strict=True))
        if n and end - m.start() > LONG_TOPIC
    ]


def compile_source(
    source: str, base: Path, labels: dict[str, str], fmt: Literal["pdf", "png"] = "pdf"
) -> bytes:
    """The PDF (or the first page as PNG) of ``source`` as it stands, not balanced."""
    if fmt == "png":
        return typst_run.pages_png(source, base, labels)[0]
    return typst_run.render(source, base, labels)


def build_pdf(sheet: typst_fallback.Sheet, columns: int = 2) -> tuple[bytes, list[str]]:
    """PDF bytes and warnings; the last page's columns are balanced (see
    :mod:`kbtool.export.balance`). What typst refuses is left out, not fatal: images
    it cannot decode, then entries one at a time (:mod:`kbtool.export.typst_fallback`)."""
    images_checked = False
    while True:
        source = sheet.source()
        try:
            return balanced(source, sheet.base, sheet.labels, columns)[0], sheet.warnings()
        except typst_run.TypstFailed as failure:
            if not images_checked:
                images_checked = True
                sheet.dropped = typst_run.unreadable_images(source, sheet.base, sheet.labels)
                if sheet.dropped:
                    continue
            typst_fallback.leave_out(sheet, failure)


def balanced(
    source: str, base: Path, labels: dict[str, str], columns: int
) -> tuple[bytes, typst_run.Facts]:
    """The PDF with the columns of each part's last page balanced, and the facts it was
    laid out with.

    One full layout measures the sheet (where each part's text ends, the topics'
    pages); the PDF is then written straight from a layout with the rooms that balance
    those pages, which typst makes from the first one by laying out again only what
    changed. The rooms are kept when the PDF has as many pages as the first layout: the
    shorter columns still held the text. Otherwise the parts whose text no longer ends
    on its page (read from that same layout: typst lays nothing out again) try less
    room, down to none."""
    laid = typst_run.layout(source, base, labels)
    if laid is None:
        return typst_run.render(source, base, labels), typst_run.NO_FACTS
    tries = [balance.attempts(start, end, columns) for start, end in laid.parts]
    step = [0] * len(tries)
    while True:
        rooms = tuple(
            tried[k] if k < len(tried) else 0.0 for tried, k in zip(tries, step, strict=True)
        )
        facts = typst_run.Facts(rooms, laid.pages)
        pdf = typst_run.render(source, base, labels, facts)
        if not any(rooms) or typst_run.page_count(pdf) == laid.last_page:
            return pdf, facts
        again = typst_run.layout(source, base, labels, facts)
        grew = [
            n
            for n, (before, after) in enumerate(
                zip(laid.parts, again.parts if again else [], strict=False)
            )
            if rooms[n] and not balance.holds(before, after)
        ]
        if not grew:  # no part is to blame: every room is given up
            step = [len(tried) for tried in tries]
        for n in grew:
            step[n] += 1


def source_key(source: str, base: Path) -> str:
    """What a compiled sheet depends on: its typst source and the pictures it shows."""
    import hashlib

    digest = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16)
    root = base.resolve()
    for path in sorted({m.group(1) for m in typst_run.IMAGE_CALL.finditer(source)}):
        try:
            stat = (root / path.lstrip("/")).stat()
            digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
        except OSError:
            digest.update(f"{path}\0missing\0".encode())
    return digest.hexdigest()


class PdfExporter:
    """Printable cheat sheet: topics, bold questions, answers, contents, page numbers."""

    name = "pdf"
    default_file = "kb.pdf"
    render_mode = "typst"
    records_exports = False
    settings_model = PdfSettings

    def export(self, request: ExportRequest) -> ExportResult:
        from kbtool.export import typst_source
        from kbtool.store import atomic

        layout = {**settings(request.options), "lang": sheet_lang(request.documents)}
        cache = request.options.get("render_cache")
        cache = cache if isinstance(cache, ExportCache) else None
        pieces = cache.typst_pieces() if cache is not None else None
        built = typst_source.build(
            request.base,
            request.documents,
            layout["answers"],
            pieces,
            request.options.get("base_entries"),
        )
        request.progress(len(request.documents) // 2)
        entries = len(request.documents)
        source = document(built.body, layout, entries)
        key = source_key(source, request.base)
        again = cache.last_pdf(key) if cache is not None else None
        if again is not None:  # the same source and pictures: typst gives the same bytes
            pdf, dropped = again
        else:
            sheet = typst_fallback.Sheet.of(
                built, lambda body: document(body, layout, entries), request.base
            )
            pdf, dropped = build_pdf(sheet, layout["columns"])
        if cache is not None:
            cache.keep_typst_pieces(built.pieces)
            if again is None:
                cache.put_pdf(key, pdf, dropped)
        warnings = [*built.warnings, *dropped]
        request.progress(len(request.documents))
        atomic.write_bytes(request.out, pdf)
        return ExportResult(
            out=request.out,
            entries=len(request.documents),
            warnings=warnings,
            details={**layout, "bytes": len(pdf)},
        )
