"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never half.

Write to a temporary file in the same folder, fsync it, then ``os.replace`` it over
the target (atomic on POSIX and Windows), and fsync the folder so the rename itself
survives a power cut.

Inside :func:`batch` (import writes thousands of files) each file still goes through
a temporary file and ``os.replace``, so a killed process leaves every file old or
new; what changes is durability against a power cut. The per-file fsync is skipped
(it made up a third of an import's time) and each touched folder is fsynced once when
the batch ends. A power cut during or right after a batch may therefore leave a new
file empty or missing; a batch's writes are ones that can simply be redone (import
is re-runnable), which is why only batch callers accept that.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from kbtool.store import confine

if TYPE_CHECKING:
    from kbtool.store.writer import WriterProcess


class _Batch:
    """The folders one batch wrote to (fsynced once at its end) and the caller's umask.

    After the first few files, the rest are written by a child process (see
    :mod:`kbtool.store.writer`), in the order given, overlapping the kernel's file
    creation with the caller's work. A failed write is raised at the caller's next
    write or when the batch ends.
    """

    _INLINE = 64  # files written in this process before a writer process is worth it

    def __init__(self) -> None:
        self.folders: set[Path] = set()
        self.umask = _umask()
        self._written = 0
        self._writer: WriterProcess | None = None

    def write(self, path: Path, data: bytes) -> None:
        confine.check_folder(path.parent)
        if self._writer is not None:
            self._writer.write(path, data)
            return
        self._write_file(path, data)
        self._written += 1
        if self._written == self._INLINE:
            # here, not at module level: lint imports this module on every pre-commit run
            from kbtool.parallel import fork_available
            from kbtool.store.writer import WriterProcess

            if fork_available():
                self._writer = WriterProcess(self._write_file)

    def _write_file(self, path: Path, data: bytes) -> None:
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        _replace(path, data, durable=False, umask=self.umask)

    def finish(self, *, raise_error: bool = True) -> None:
        """Wait for every file to be written, fsync the folders, report a failed write."""
        writer, self._writer = self._writer, None
        if writer is not None:
            self.folders.update(Path(folder) for folder in writer.close())
        for folder in sorted(self.folders):
            _fsync_dir(folder)
        if writer is not None and raise_error:
            writer.raise_error()


# The current batch, or None outside any batch.
_BATCH: ContextVar[_Batch | None] = ContextVar("atomic_batch", default=None)


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Write many files fast: no per-file fsync, each folder fsynced once at the end.

    Nested batches join the outer one. Folders are fsynced even when the block
    raises, so whatever was written is as durable as it can be.
    """
    if _BATCH.get() is not None:
        yield
        return
    state = _Batch()
    token = _BATCH.set(state)
    try:
        yield
    except BaseException:
        _BATCH.reset(token)
        state.finish(raise_error=False)  # the block's own error is the one to see
        raise
    _BATCH.reset(token)
    state.finish()


def write_bytes(path: Path, data: bytes | Sequence[bytes], *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically, creating parent folders. ``data`` may
    be pieces written one after another: a header and a 100 MB payload are not copied
    into one bytes object first.

    ``durable=False`` skips the fsyncs, for files that are safe to lose (caches): still
    old or new after a kill, but possibly empty after a power cut.
    """
    state = _BATCH.get()
    if state is not None:
        state.write(path, data if isinstance(data, bytes) else b"".join(data))
        return
    confine.check_folder(path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, data, durable=durable, umask=_umask())
    if durable:
        _fsync_dir(path.parent)


def write_aside(path: Path, data: bytes | Sequence[bytes], umask: int) -> Path:
    """Write ``data`` into a new temporary file beside ``path`` without replacing it
    (no fsync), for a write begun before it is known to be wanted: a cache written
    while the command still runs. :func:`put_in_place` makes it ``path``,
    :func:`discard` removes it. ``umask`` is taken by the caller (reading it sets it,
    which is not safe on a second thread)."""
    confine.check_folder(path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    return Path(_replace(path, data, durable=False, umask=umask, commit=False))


def put_in_place(temporary: Path, path: Path) -> None:
    """Replace ``path`` with a file :func:`write_aside` wrote (removed if that fails)."""
    try:
        os.replace(temporary, path)
    except OSError:
        discard(temporary)
        raise


def discard(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def current_umask() -> int:
    return _umask()


def _replace(
    path: Path, data: bytes | Sequence[bytes], *, durable: bool, umask: int, commit: bool = True
) -> str:
    """Write ``data`` into a temporary file beside ``path`` and, with ``commit``, move it
    over ``path``; the temporary file's name."""
    folder, name = os.path.split(path)
    trying: list[str] = []  # the name being created, known even if its creation is cut short
    try:
        fd, tmp_name = _create_temporary(folder, name, trying)
    except BaseException as exc:
        if not isinstance(exc, OSError) and trying:  # Ctrl-C right after the file was made
            with contextlib.suppress(OSError):
                os.unlink(trying[0])
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, os.fspath(path)) from exc  # name the target
        raise
    try:
        try:
            for piece in (data,) if isinstance(data, bytes) else data:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        mode = _mode_for(path, umask)
        if mode != _NEW_FILE_MODE & ~umask:  # made with the new-file mode; keep the old one
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, mode)
        if commit:
            os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError) and exc.filename in (None, tmp_name):
            raise OSError(exc.errno, exc.strerror, os.fspath(path)) from exc  # name the target
        raise
    return tmp_name


_NEW_FILE_MODE = 0o666  # what open() gives a new file, less the umask
_TEMPORARY_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL  # never an existing file, nor a symlink planted under the name
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_serial = itertools.count()


def _create_temporary(folder: str, name: str, trying: list[str]) -> tuple[int, str]:
    """A new file next to the target, named after it (``.name.<pid>.<n>.tmp``).

    Cheaper than ``tempfile.mkstemp`` (no random names, no ``chmod`` afterwards):
    import creates thousands. ``O_EXCL`` makes a name that exists (a leftover of a
    killed run) fail, and the next number is tried. ``trying`` holds the name being
    created: a Ctrl-C that arrives as ``os.open`` returns is raised before the name
    reaches the caller, which must still remove the file (only this process can have
    made a file of that name).
    """
    for _attempt in range(1000):
        tmp_name = os.path.join(folder, f".{name}.{os.getpid()}.{next(_serial)}.tmp")
        trying[:] = [tmp_name]
        try:
            return os.open(tmp_name, _TEMPORARY_FLAGS, _NEW_FILE_MODE), tmp_name
        except FileExistsError:
            trying.clear()  # not ours: a leftover of a killed run
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)


def write_text(path: Path, text: str) -> None:
    """Atomically write ``text`` as UTF-8 with the newlines given (no translation)."""
    write_bytes(path, text.encode("utf-8"))


def _mode_for(path: Path, umask: int) -> int:
    """The permissions the file has now, or a new file's."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return _NEW_FILE_MODE & ~umask


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
