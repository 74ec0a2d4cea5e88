"""One writer at a time per base: two imports at once would overwrite each other.

The lock is an advisory ``flock`` on the base folder itself (a directory can be
locked on POSIX), so no lock file is left behind for the user to commit or delete,
and the kernel releases it when the process dies, however it dies.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive(folder: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the base's lock for the block; call ``on_wait`` once if another holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks; carry on unlocked
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock
