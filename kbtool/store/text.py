"""Decode user files the same way everywhere: UTF-8, BOM and CRLF tolerated.

Bad bytes are an :class:`~kbtool.errors.InputError` naming the file, the line and
what to do, never a ``UnicodeDecodeError`` traceback.
"""

from __future__ import annotations

from pathlib import Path

from kbtool.errors import InputError

_BOMS = {b"\xff\xfe": "UTF-16 LE", b"\xfe\xff": "UTF-16 BE"}


def decode(data: bytes, path: str) -> str:
    """UTF-8 text with LF newlines; a UTF-8 BOM is dropped."""
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
