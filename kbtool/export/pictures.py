"""Cheap checks that a picture file is what its name says, before typst sees it.

typst aborts the whole build on an image it cannot decode. Checking signatures (and a
PNG's chunk checksums) up front catches truncated downloads, HTML saved as .png and
damaged files without a failed compile; anything subtler is still caught by the
exporter's retry, which tries each image alone.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

_PNG = b"\x89PNG\r\n\x1a\n"


def media_name(path: Path, data: bytes) -> str:
    """An image's name in an Anki deck: a hash of its bytes, so equal pictures are
    stored once and a changed picture never keeps a stale name."""
    return "kb-" + hashlib.sha256(data).hexdigest()[:20] + path.suffix.lower()


def problem(path: Path) -> str | None:
    """Why ``path`` cannot be a picture of its type, or None when it looks fine."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    suffix = path.suffix.lower()
    if suffix == ".png":
        return _png_problem(data)
    if suffix in {".jpg", ".jpeg"} and not data.startswith(b"\xff\xd8\xff"):
        return "not a JPEG file"
    if suffix == ".gif" and not data.startswith((b"GIF87a", b"GIF89a")):
        return "not a GIF file"
    if suffix == ".webp" and not (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        return "not a WebP file"
    if suffix == ".svg" and b"<svg" not in data[:4096]:
        return "not an SVG file"
    return None


def _png_problem(data: bytes) -> str | None:
    if not data.startswith(_PNG):
        return "not a PNG file"
    pos = len(_PNG)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return "PNG file is truncated"
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[pos + 4 : end - 4]) != crc:
            return f"PNG chunk {kind.decode('latin-1')} is damaged (checksum mismatch)"
        if kind == b"IEND":
            return None
        pos = end
    return "PNG file is truncated"
