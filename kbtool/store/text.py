"""Decode user files the same way everywhere: UTF-8, BOM and CRLF tolerated.

Bad bytes are an :class:`~kbtool.errors.InputError` naming the file, the line and
what to do, never a ``UnicodeDecodeError`` traceback.
"""

from __future__ import annotations

from pathlib import Path

from kbtool.errors import InputError

_BOMS = {b"\xff\xfe": "UTF-16 LE", b"\xfe\xff": "UTF-16 BE"}


def _binary_kind(data: bytes, path: str) -> tuple[str, str] | None:
    """What a file that is no text is, by its first bytes, and what to do instead:
    a zipped Telegram export, a Word document or a PDF is what people pass by mistake."""
    stem = Path(path).stem or "notes"
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536]:
            return "a Word document", f"convert it to Markdown first: pandoc {path} -o {stem}.md"
        return "a zip archive", f"unpack it and import the folder: unzip {path} -d {stem}"
    if data.startswith(b"%PDF-"):
        return "a PDF document", f"copy its text out first: pdftotext {path} {stem}.txt"
    for magic, name in ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF")):
        if data.startswith(magic):
            return f"a {name} picture", "pictures go in a note as links: ![](picture.png)"
    return None


def decode(data: bytes, path: str) -> str:
    """UTF-8 text with LF newlines; a UTF-8 BOM is dropped."""
    kind = _binary_kind(data[:65536], path)
    if kind is not None:
        raise InputError(
            f"file is {kind[0]}, not text kbtool can read", path=path, line=1, hint=kind[1]
        )
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            raise InputError(
                f"file is {name} encoded; kbtool reads UTF-8",
                path=path,
                line=1,
                hint="convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE.new",
            )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            "file contains NUL bytes: it looks binary, not Markdown",
            path=path,
            line=line,
            hint="remove the file or the NUL bytes",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"invalid UTF-8 byte 0x{data[exc.start]:02x} at offset {exc.start}",
            path=path,
            line=line,
            hint="save the file as UTF-8 (iconv -f CP1251 -t UTF-8 for Windows-1251)",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_text(path: Path, display: str | None = None) -> str:
    """Read and decode ``path``; unreadable files become an InputError."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=shown) from None
    return decode(data, shown)
