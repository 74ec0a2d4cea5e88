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

import contextlib
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from kbtool.errors import InputError, UsageError
from kbtool.export.base import ExportRequest, ExportResult, StudySettings
from kbtool.export.cache import ExportCache

PAPERS = {"a4": "a4", "us-letter": "us-letter", "letter": "us-letter"}
COLUMNS = (2, 3)
TIMESTAMP = 0  # SOURCE_DATE_EPOCH-style fixed creation date: reproducible bytes
_LOCATION = re.compile(r"\.typ:(\d+):(\d+)")
_IMAGE_CALL = re.compile(r'image\("(/[^"\\]*)"\)')  # pandoc's typst writer: image("/rel/path")


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
    """Complete typst source: our template, the show rule that applies it, the body."""
    show = (
        f"#show: cheatsheet.with(title: {_typst_string(layout['title'])}, "
        f"paper: {_typst_string(layout['paper'])}, ncols: {layout['columns']}, "
        f"answers: {'true' if layout['answers'] else 'false'}, entries: {entries})\n\n"
    )
    return template() + "\n" + show + body + "\n\n#kbend\n"


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


def build_pdf(
    source: str, base: Path, labels: dict[str, str], columns: int = 2
) -> tuple[bytes, list[str]]:
    """PDF bytes and warnings; images typst cannot decode are left out, not fatal.
    The last page's columns are balanced (see :mod:`kbtool.export.balance`)."""
    from kbtool.export.balance import balance_last_page

    dropped: list[str] = []
    try:
        balanced = balance_last_page(source, base, columns)
    except Exception:  # typst fails on this source: the compile below says why
        balanced = source
    try:
        return compile_source(balanced, base, labels), []
    except InputError:
        if balanced != source:  # a break typst refuses (inside a container): unbalanced
            with contextlib.suppress(InputError):
                return compile_source(source, base, labels), []
        source, dropped = drop_unreadable_images(source, base, labels)
        if not dropped:
            raise
    with contextlib.suppress(Exception):
        source = balance_last_page(source, base, columns)
    return compile_source(source, base, labels), dropped


def drop_unreadable_images(
    source: str, base: Path, labels: dict[str, str]
) -> tuple[str, list[str]]:
    """Leave out every image typst cannot decode; one warning per image use.

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
            source = source.replace(call, "[]")  # nothing printed; the warning says why
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


def source_key(source: str, base: Path) -> str:
    """What a compiled sheet depends on: its typst source and the pictures it shows."""
    import hashlib

    digest = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16)
    root = base.resolve()
    for path in sorted({m.group(1) for m in _IMAGE_CALL.finditer(source)}):
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
    settings_model = PdfSettings

    def export(self, request: ExportRequest) -> ExportResult:
        from kbtool.export import typst_source
        from kbtool.store import atomic

        layout = settings(request.options)
        cache = request.options.get("render_cache")
        cache = cache if isinstance(cache, ExportCache) else None
        pieces = cache.typst_pieces() if cache is not None else None
        built = typst_source.build(request.base, request.documents, layout["answers"], pieces)
        request.progress(len(request.documents) // 2)
        source = document(built.body, layout, len(request.documents))
        key = source_key(source, request.base)
        again = cache.last_pdf(key) if cache is not None else None
        if again is not None:  # the same source and pictures: typst gives the same bytes
            pdf, dropped = again
        else:
            pdf, dropped = build_pdf(source, request.base, built.entry_labels, layout["columns"])
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
