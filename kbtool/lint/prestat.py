"""The base's changed files found, and analyzed, by a forked child while a lint run starts.

A pre-commit run (one changed file in a base of 10,000) must learn which files of the
base changed since the cache was written (10,000 ``stat`` calls, about a sixth of the
run) and analyze those (markdown-it-py imported, the file parsed, its per-file rules
run: another sixth). Neither needs what the run imports first (click, the rules'
engine, the CLI), so on Linux :func:`start`, called before those imports, forks a
child that does both meanwhile, on the other core, and answers twice:

1. :func:`collect`: the files whose stat differs from the cache's main file, as soon
   as they are stat-ed (the run needs them first);
2. :func:`analyzed`: the records of the few of those the run will analyze (the same
   choice :func:`kbtool.lint.incremental.records` makes, made by that very function),
   each with the job it answers, so that the run takes a record only for the same
   file, the same kind of file and the same cached front matter, still at the stat it
   was read at.

Both answers are tied to the cache's main file by its token, which each rewrite of that
file draws anew, and the child computes the cache's key as the run does (settings, code
version) before analyzing: an answer about another main file or other settings is not
used, never wrong. Anything that goes wrong in the child (no cache, no config, a
signal) means no answer, and the run stats and analyzes itself as before. A stat taken
a tenth of a second earlier is what the run would have seen had the file been saved just
after it: lint reads every file whose stat differs, so nothing is missed that an earlier
start would not miss too.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
from array import array
from typing import Any, BinaryIO

AHEAD_MOST = 16  # files the child analyzes at most; more is a run for the worker pool

# the child of this process, if any: [pid, read end of its pipe, first answer read?]
_pending: list[list[Any]] = []


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
            with os.fdopen(write, "wb") as out:
                _serve(out)
        except BaseException:  # no answer: the run does the work itself
            pass
        os._exit(0)
    os.close(write)
    _pending.append([pid, os.fdopen(read, "rb"), None])


# ----------------------------------------------------------------------------- the child


def _send(out: BinaryIO, value: Any) -> None:
    data = marshal.dumps(value)
    out.write(len(data).to_bytes(8, "little") + data)
    out.flush()


def _serve(out: BinaryIO) -> None:
    """The child's two answers: the changed stats, then the analyses."""
    from kbtool import config as kb_config
    from kbtool.lint.cache import changed_stats

    config = kb_config.load()
    found = changed_stats(config.root)
    if found is None:
        return
    main, changed = found
    _send(out, (main[1], changed.tobytes()))
    if changed:
        from kbtool.lint.incremental import analyze_ahead

        done = analyze_ahead(config, main, changed, AHEAD_MOST)
        if done:
            _send(out, (main[1], done))


# ----------------------------------------------------------------------------- the run


def _receive(pipe: BinaryIO) -> Any:
    """The next answer on ``pipe``; None at its end or when damaged."""
    head = pipe.read(8)
    if len(head) < 8:
        return None
    data = pipe.read(int.from_bytes(head, "little"))
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


def _first(token: str) -> bytes | None:
    """The child's first answer (the changed stats) if it is for ``token``; the child is
    discarded when it is not."""
    if not _pending:
        return None
    child = _pending[0]
    if child[2] is None:
        try:
            answer = _receive(child[1])
        except OSError:
            answer = None
        child[2] = answer if isinstance(answer, tuple) and len(answer) == 2 else ()
    if not child[2] or child[2][0] != token or not isinstance(child[2][1], bytes):
        discard()
        return None
    changed: bytes = child[2][1]
    return changed


def collect(token: str, stored: list[int]) -> list[int] | None:
    """The stat of each file ``lint.marshal`` lists (mtime_ns, size; -1, -1 for a file
    that could not be stat-ed), in its order, if the child answered for the main file
    whose token is ``token`` and whose stored stats are ``stored``; None otherwise (then
    the caller stats)."""
    changed = _first(token)
    if changed is None:
        return None
    from kbtool.lint.cache import patched

    found = array("q")
    found.frombytes(changed)
    return patched(stored, found)


def analyzed(token: str) -> dict[str, tuple[Any, ...]]:
    """The child's analyses, by absolute file name: (must be an entry, the cached front
    matter it was analyzed with, mtime_ns, size, plain record); empty when it has none
    for the main file whose token is ``token``. Waits for the child to finish."""
    if _first(token) is None:
        return {}
    pid, pipe, _answer = _pending.pop()
    try:
        answer = _receive(pipe)
    except OSError:
        answer = None
    _reap(pid, pipe)
    if not (isinstance(answer, tuple) and len(answer) == 2 and answer[0] == token):
        return {}
    done = answer[1]
    return {item[0]: item[1:] for item in done} if isinstance(done, list) else {}


def discard() -> None:
    """Stop the child, if any, without its answers (the run needs none)."""
    if _pending:
        pid, pipe, _answer = _pending.pop()
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        _reap(pid, pipe)


def _reap(pid: int, pipe: BinaryIO) -> None:
    with contextlib.suppress(OSError):
        pipe.close()
        os.waitpid(pid, 0)
