"""The base's files stat-ed by a forked child while a lint run starts up.

A pre-commit run (one changed file in a base of 10,000) must learn which files of the
base changed since the cache was written: 10,000 ``stat`` calls, about a sixth of the
run. They need none of what the run imports first (click, markdown-it-py, the rules:
about half of the run), so on Linux :func:`start`, called before those imports, forks
a child that reads the cache's file list and stats the files meanwhile, on the other
core; :func:`collect` hands the run the answer instead.

The answer is tied to the cache's main file by its token, which each rewrite of that
file draws anew: an answer about another main file is not used, never wrong. Anything
that goes wrong in the child (no cache, no config, a signal) means no answer, and the
run stats the files itself as before. A stat taken a tenth of a second earlier is what
the run would have seen had the file been saved just after it: lint reads every file
whose stat differs, so nothing is missed that an earlier start would not miss too.

Tried and dropped: the child also analyzing the few changed files, so that the run
would not import markdown-it-py. The child pays its own imports of the lint code, and
its record came 80-150 ms after the run asked for it: one changed file of 10,000 took
0.42 s instead of 0.39 s (``benchmarks/README.md``).
"""

from __future__ import annotations

import os
from array import array

_pending: list[tuple[int, int]] = []  # (pid, read end of its pipe) of the child, if any


def start() -> None:
    """Fork the child that stats the base (Linux only; at most once per process)."""
    from kbtool.parallel import fork_available

    if _pending or not fork_available():
        return
    try:
        read, write = os.pipe()
    except OSError:
        return
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return
    if pid == 0:  # the child: answer, or say nothing, and leave without any clean-up
        os.close(read)
        try:
            # never hold the run's output open: whoever reads it (pre-commit) waits for
            # its end, which would come only when this child is done
            quiet = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(quiet, fd)
            answer = _answer()
            if answer:
                with os.fdopen(write, "wb") as out:
                    out.write(answer)
        except BaseException:  # no answer: the run stats the files itself
            pass
        os._exit(0)
    os.close(write)
    _pending.append((pid, read))


def _answer() -> bytes:
    """The token of the cache's main file and the stats, marshalled; empty when none."""
    import marshal

    from kbtool import config as kb_config
    from kbtool.lint.cache import listed_stats

    found = listed_stats(kb_config.load().root)
    return marshal.dumps(found) if found is not None else b""


def collect(token: str) -> list[int] | None:
    """The child's stats of the files ``lint.marshal`` lists (mtime_ns, size; -1, -1
    for a file that could not be stat-ed), in its order, if the child answered for the
    main file whose token is ``token``; None otherwise (then the caller stats)."""
    if not _pending:
        return None
    pid, read = _pending.pop()
    chunks = []
    try:
        with os.fdopen(read, "rb") as pipe:
            while chunk := pipe.read(1 << 16):
                chunks.append(chunk)
        os.waitpid(pid, 0)
    except OSError:
        return None
    if not chunks:
        return None
    import marshal

    try:
        answered, data = marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):
        return None
    if answered != token or not isinstance(data, bytes):
        return None
    stats = array("q")
    stats.frombytes(data)
    return stats.tolist()
