"""A child process that writes a batch's files, so the kernel's work overlaps ours.

Creating a file costs 0.05-0.5 ms of kernel time on the machines we measured; an
import creates thousands. A thread could overlap that with parsing, but every one of
its system calls hands the GIL back and forth with the busy main thread (that cost
more than it saved). A forked child has its own interpreter: the parent pickles
``(path, bytes)`` into a pipe (which also bounds what is waiting) and carries on.

The child writes in the order given, each file atomically (the batch's own write function),
stops writing at the first failure and reports it; the parent raises it at its next
write or at the end. A parent killed mid-batch closes the pipe: the child writes
what it already received (each file still old or new) and exits.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

WriteFile = Callable[[Path, bytes], None]


class WriterProcess:
    def __init__(self, write_file: WriteFile) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(os.getpid(), child_end, self._conn, write_file),
            name="kbtool-writer",
            daemon=True,
        )
        self._process.start()
        child_end.close()
        self._error: OSError | None = None

    def write(self, path: Path, data: bytes) -> None:
        self.raise_error()
        self._conn.send((os.fspath(path), data))

    def raise_error(self) -> None:
        """Raise the child's first failed write, if it has reported one."""
        if self._error is None and not self._conn.closed and self._conn.poll():
            self._error = _as_error(self._conn.recv())
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> list[str]:
        """Wait until every file is written; return the folders written to."""
        self._conn.send(None)
        folders: list[str] = []
        while True:
            message = self._conn.recv()
            if message[0] == "done":
                folders = message[1]
                break
            self._error = self._error or _as_error(message)
        self._conn.close()
        self._process.join()
        return folders


def _serve(parent: int, conn: Connection, parent_end: Connection, write_file: WriteFile) -> None:
    # Ctrl-C or SIGTERM to the process group: the parent decides, we drain (a dead
    # parent is noticed below); dying mid-write would leave a temporary file behind
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    parent_end.close()  # else this process holds the pipe open and never sees EOF
    folders: set[str] = set()
    failed = False
    while True:
        try:
            # a dead parent shows as EOF, unless a process forked from it later holds
            # the pipe too: then its pid tells, and what is waiting is still written
            while not conn.poll(0.5):
                if os.getppid() != parent:
                    return
            item = conn.recv()
        except EOFError:  # the parent is gone: what was received is written; stop
            return
        if item is None:
            break
        if failed:
            continue
        name, data = item
        try:
            write_file(Path(name), data)
            folders.add(os.path.dirname(name))
        except OSError as exc:
            failed = True
            conn.send(("error", exc.errno, exc.strerror or str(exc), exc.filename))
    with contextlib.suppress(OSError):
        conn.send(("done", sorted(folders)))


def _as_error(message: tuple[object, ...]) -> OSError:
    _kind, errno, text, filename = message
    return OSError(errno, text, filename)
