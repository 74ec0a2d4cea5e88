"""Cache files that only this user's kbtool can have written, for this code.

A cache lives in the project (``.kbtool-cache/``), so it can arrive with a clone or a
pull. Two things keep such a file from changing what kbtool outputs:

* every file carries a keyed hash (HMAC-SHA-256 with a per-user secret kept in the user's
  cache folder, never in the project); a file without a valid one is ignored, and
  :mod:`marshal` (unsafe on crafted data) only ever reads verified bytes;
* the key of what is stored names the code that made it: the kbtool and Python
  versions and a hash of the package's sources, so an edited exporter or template
  starts afresh even when the version number did not move.

Lint's and export's caches can both store through :func:`load` and :func:`save`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from kbtool import __version__
from kbtool.store import atomic

_MAGIC = b"KBC2"  # 2: HMAC-SHA-256 (about twice as fast as BLAKE2b on CPUs with SHA extensions)
_MAC_SIZE = 32
_SOURCE_SUFFIXES = (".py", ".typ")


def user_folder() -> Path:
    """``$XDG_CACHE_HOME/kbtool`` (or ``~/.cache/kbtool``): outside every project."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "kbtool"


@cache
def secret() -> bytes | None:
    """This user's cache key, made on first use; None when it cannot be kept (then
    nothing is cached, which is always correct)."""
    path = user_folder() / "cache.key"
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    data = os.urandom(32)  # what secrets.token_bytes does, without importing it (9 ms)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another kbtool made it meanwhile
        with contextlib.suppress(OSError):
            found = path.read_bytes()
            return found if len(found) == 32 else None
        return None
    except OSError:
        return None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return data


@cache
def code_version() -> str:
    """kbtool and Python versions plus a hash of every source file of the package."""
    digest = hashlib.blake2b(digest_size=12)
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
    return f"{__version__}:{sys.version_info[:2]}:{digest.hexdigest()}"


def _mac(key: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.digest(key, payload, "sha256")


def load(path: Path) -> Any | None:
    """What :func:`save` stored at ``path``, or None when absent, foreign or damaged."""
    key = secret()
    if key is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _MAC_SIZE
    if not data.startswith(_MAGIC) or len(data) < head:
        return None
    payload = memoryview(data)[head:]  # not a copy: a lint cache's main file is 5 MB
    if not hmac.compare_digest(data[len(_MAGIC) : head], _mac(key, payload)):
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def save(path: Path, value: Any) -> None:
    """Store ``value`` (marshal-able) at ``path`` atomically; silently skipped when the
    folder is read-only or there is no key: a cache is never worth failing for."""
    signed = _signed(value)
    if signed is not None:
        with contextlib.suppress(OSError):
            atomic.write_bytes(path, signed, durable=False)


def save_aside(path: Path, value: Any, umask: int) -> Path | None:
    """:func:`save` into a temporary file beside ``path`` (see
    :func:`kbtool.store.atomic.write_aside`); None when skipped or it failed."""
    signed = _signed(value)
    if signed is None:
        return None
    try:
        return atomic.write_aside(path, signed, umask)
    except OSError:
        return None


def _signed(value: Any) -> tuple[bytes, bytes] | None:
    """The file's two pieces (header with the MAC, marshalled ``value``), or None
    without a key."""
    key = secret()
    if key is None:
        return None
    payload = marshal.dumps(value)
    return _MAGIC + _mac(key, payload), payload
