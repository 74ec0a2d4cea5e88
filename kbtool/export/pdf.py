"""PDF cheat sheet: entries -> Markdown -> pandoc -> typst -> PDF, all in-process.

Options (``ExportRequest.options``, passed by ``kbtool export pdf``):

- ``columns``: 2 or 3 (default 2)
- ``paper``: ``"a4"`` (default) or ``"us-letter"`` (``"letter"`` is accepted too)
- ``answers``: bool, default True; False prints a question-only drill sheet
- ``title``: heading of the sheet (default "Cheat sheet")

Typst compiles with its embedded fonts only (Libertinus Serif, New Computer Modern
and its math font, DejaVu Sans Mono; all cover Cyrillic), the base as its root (so
nothing outside the base can be read) and a fixed timestamp, so the same entries
give the same bytes on every machine. No TeX, no network, no system fonts.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from kbtool.errors import InputError, UsageError
from kbtool.export.base import ExportRequest, ExportResult

PAPERS = {"a4": "a4", "us-letter": "us-letter", "letter": "us-letter"}
COLUMNS = (2, 3)
TIMESTAMP = 0  # SOURCE_DATE_EPOCH-style fixed creation date: reproducible bytes
_LOCATION = re.compile(r"\.typ:(\d+):(\d+)")
_IMAGE_CALL = re.compile(r'image\("(/[^"\\]*)"\)')  # pandoc's typst writer: image("/rel/path")


def settings(options: dict[str, Any]) -> dict[str, Any]:
    """Validated layout settings from the request options."""
    raw_columns = options.get("columns", 2)
    try:
        columns = int(raw_columns if raw_columns is not None else 2)
    except (TypeError, ValueError):
        columns = 0
    if columns not in COLUMNS:
        raise UsageError(f"--columns must be 2 or 3, not {raw_columns!r}")
    paper_name = str(options.get("paper") or "a4").lower()
    if paper_name not in PAPERS:
        raise UsageError(f'unknown paper "{paper_name}"', hint="use a4 or us-letter")
    answers = options.get("answers", True)
    title = str(options.get("title") or "Cheat sheet")
    return {
        "columns": columns,
        "paper": PAPERS[paper_name],
        "answers": True if answers is None else bool(answers),
        "title": title,
    }


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def template() -> str:
    return resources.files("kbtool.export").joinpath("templates/cheatsheet.typ").read_text("utf-8")


def document(body: str, layout: dict[str, Any], entries: int) -> str:
    """Complete typst source: our template, the show rule that applies it, the body."""
    show = (
        f"#show: cheatsheet.with(title: {_typst_string(layout['title'])}, "
        f"paper: {_typst_string(layout['paper'])}, ncols: {layout['columns']}, "
        f"answers: {'true' if layout['answers'] else 'false'}, entries: {entries})\n\n"
    )
    return template() + "\n" + show + body


def compile_source(
    source: str, base: Path, labels: dict[str, str], fmt: Literal["pdf", "png"] = "pdf"
) -> bytes:
    """Compile with typst; a failure becomes an :class:`InputError` naming the entry.

    Embedded fonts only (``ignore_system_fonts``, no font paths) and the base as the
    root: ``image("/x.png")`` is ``<base>/x.png``, and nothing above it can be read.
    """
    import typst

    compiler = typst.Compiler(root=str(base.resolve()), font_paths=[], ignore_system_fonts=True)
    try:
        data = compiler.compile(source.encode("utf-8"), format=fmt, timestamp=TIMESTAMP)
    except typst.TypstError as exc:
        raise _compile_error(exc, source, labels) from None
    if isinstance(data, list):  # png: one image per page; callers want the first
        data = data[0]
    assert isinstance(data, bytes)
    return data


def build_pdf(source: str, base: Path, labels: dict[str, str]) -> tuple[bytes, list[str]]:
    """PDF bytes and warnings; images typst cannot decode are left out, not fatal."""
    try:
        return compile_source(source, base, labels), []
    except InputError:
        source, dropped = drop_unreadable_images(source, base, labels)
        if not dropped:
            raise
    return compile_source(source, base, labels), dropped


def drop_unreadable_images(
    source: str, base: Path, labels: dict[str, str]
) -> tuple[str, list[str]]:
    """Replace every image typst cannot decode by a note; one warning per image use.

    Only run after a failed build: a corrupt picture must not cost the whole sheet,
    and trying each image alone is cheap next to guessing from one error at a time.
    """
    import typst

    compiler = typst.Compiler(root=str(base.resolve()), font_paths=[], ignore_system_fonts=True)
    warnings: list[str] = []
    for call, path in sorted({(m.group(0), m.group(1)) for m in _IMAGE_CALL.finditer(source)}):
        try:
            compiler.compile(f"#{call}".encode(), format="pdf", timestamp=TIMESTAMP)
        except typst.TypstError as exc:
            reason = str(getattr(exc, "message", exc)).split("\n")[0]
            lines = source.split("\n")
            for number, text in enumerate(lines, start=1):
                if call in text:
                    entry = _entry_at(lines, number, labels) or "cheat sheet"
                    warnings.append(f"{entry}: image {path} cannot be read ({reason}); left out")
            source = source.replace(call, f'emph("[image left out: {path}]")')
    return source, warnings


def _entry_at(lines: list[str], line: int, labels: dict[str, str]) -> str | None:
    """The entry whose label comes last before ``line`` of the generated source."""
    for text in reversed(lines[: line - 1]):
        if text.strip() in labels:
            return labels[text.strip()]
    return None


def _compile_error(exc: Any, source: str, labels: dict[str, str]) -> InputError:
    message = str(getattr(exc, "message", "") or exc).strip()
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    match = _LOCATION.search(diagnostic)
    line = int(match.group(1)) if match else None
    entry = _entry_at(source.split("\n"), line, labels) if line else None
    # typst's code frame shows the offending generated line; its first line repeats the message
    frame = [
        text.replace("__typst_py_bytes__.typ", "cheatsheet source")
        for text in diagnostic.rstrip().split("\n")[1:]
        if text.strip()
    ]
    where = f" (generated typst line {line})" if line else ""
    return InputError(
        "\n".join([f"typst could not build the PDF{where}: {message}", *frame]),
        path=entry,
        hint="fix the Markdown of this entry (math, tables, images), then export again",
    )


class PdfExporter:
    """Printable cheat sheet: topics, bold questions, answers, contents, page numbers."""

    name = "pdf"
    default_file = "kb.pdf"

    def export(self, request: ExportRequest) -> ExportResult:
        from kbtool.export import typst_source
        from kbtool.store import atomic

        layout = settings(request.options)
        built = typst_source.build(request.base, request.documents, layout["answers"])
        source = document(built.body, layout, len(request.documents))
        pdf, dropped = build_pdf(source, request.base, built.entry_labels)
        warnings = [*built.warnings, *dropped]
        request.progress(len(request.documents))
        atomic.write_bytes(request.out, pdf)
        return ExportResult(
            out=request.out,
            entries=len(request.documents),
            warnings=warnings,
            details={**layout, "bytes": len(pdf)},
        )
