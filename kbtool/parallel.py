"""Run a pure function over a long list on two cores: this process and one fork.

For work that is CPU-bound Python (rendering thousands of Telegram messages, preparing
the entries of an import), where a worker pool would spend its gain on pickling
inputs. The forked child inherits the function and the list (nothing is pickled on
the way in), takes the later items, and pickles back its results; this process takes
the first ones meanwhile. Results come back in order. Where fork is not available, or
the child fails, everything runs here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 2000  # below this, forking and pickling cost more than the second core saves
CHUNK = 256  # results the child sends at a time: the parent starts on them early


def exit_with_parent(parent: int) -> None:
    """In a worker process: exit as soon as ``parent`` (the pid of the process that
    started it, taken there: it may be gone before the worker runs) is no longer its
    parent.

    A parent killed with SIGKILL (or by the OOM killer) cannot tell its workers to
    stop, and a worker blocked on a pipe that some other process still holds open
    would wait forever; a thread that watches the parent id ends it instead.
    """
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="kbtool-parent-watch", daemon=True).start()


def fork_available() -> bool:
    """Only on Linux: forking is safe there and a child starts in milliseconds."""
    return sys.platform.startswith("linux")


def split_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(item) for item in items]``, the second half computed by a forked child."""
    return list(split_imap(func, items))


def split_imap(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    first_share: float = 0.5,
    min_items: int | None = None,
    chunk: int = CHUNK,
) -> Generator[R, None, None]:
    """``func(item)`` for each item, in order, the items after the first ``first_share``
    computed by a forked child meanwhile.

    Results are yielded as they come: the first part as this process computes it, the
    child's in chunks of ``chunk`` as it sends them. A caller with ordered work of its
    own (deciding ids, handing files to a writer) does it while the child computes, and
    gives itself a smaller share. Closing the iterator early stops the child. Items that
    each take long (whole files) fork from fewer than :data:`MIN_ITEMS`: ``min_items``.
    """
    least = MIN_ITEMS if min_items is None else min_items
    if len(items) < max(least, 2) or not fork_available():
        yield from map(func, items)
        return
    import multiprocessing  # here: most callers never get this far

    cut = min(max(int(len(items) * first_share), 1), len(items) - 1)
    rest = items[cut:]
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(os.getpid(), send, receive, func, rest, chunk), daemon=True
    )
    child.start()
    send.close()
    received = 0  # of the child's items
    try:
        yield from map(func, items[:cut])
        while received < len(rest):
            try:
                results = receive.recv()
            except (EOFError, OSError):  # the child failed: the rest is done here
                break
            received += len(results)
            yield from results
    finally:
        receive.close()
        if received < len(rest) and child.exitcode is None:
            child.kill()  # closed early or failed: its results are not wanted
        child.join()
    yield from map(func, rest[received:])


def _child(
    parent: int,
    send: Any,
    receive: Any,
    func: Callable[[Any], Any],
    items: Sequence[Any],
    chunk: int = CHUNK,
) -> None:
    """Compute ``func``'s results in chunks and send them from a second thread, so the
    work never waits for the parent to read (it reads only after its own share). On
    any failure stop: the parent takes over from the first item it has no result for.
    """
    import queue
    import threading

    receive.close()  # the parent's end: with it closed here, a dead parent means EPIPE
    exit_with_parent(parent)

    chunks: queue.SimpleQueue[list[Any] | None] = queue.SimpleQueue()
    broken = threading.Event()

    def sender() -> None:
        while (chunk := chunks.get()) is not None:
            try:
                send.send(chunk)
            except BaseException:  # e.g. a result that cannot be pickled
                broken.set()
                return

    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    code = 0
    try:
        for start in range(0, len(items), chunk):
            if broken.is_set():
                break
            chunks.put([func(item) for item in items[start : start + chunk]])
    except BaseException:
        code = 1
    chunks.put(None)
    thread.join()
    send.close()
    os._exit(code or int(broken.is_set()))


def in_background(func: Callable[[], R]) -> Callable[[], R | None]:
    """Start ``func()`` in a forked child and return a function that waits for its
    answer (None when it failed). The child sees this process's memory as it is now
    at no cost (copy on write): nothing is copied or pickled on the way in, and it
    runs on the other core, where a thread would hold this process's GIL (marshalling
    a first export's 100 MB cache took ~0.3 s off an export's last, one-core, stretch).
    Ctrl-C and SIGTERM sent to the whole process group (a terminal, a CI runner) are
    left to this process, which waits for the child before it cleans up: a child killed
    halfway would leave a half-written file behind.
    Where fork is not available, a thread runs ``func`` (on what it sees when it runs:
    the caller hands it a copy).
    """
    if not fork_available():
        import threading

        answer: list[R] = []

        def run() -> None:
            with contextlib.suppress(Exception):  # a failure is a None answer
                answer.append(func())

        thread = threading.Thread(target=run, daemon=True)
        thread.start()

        def joined() -> R | None:
            thread.join()
            return answer[0] if answer else None

        return joined
    import pickle
    import signal

    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, never return into the caller
        code = 1
        try:
            os.close(receive)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            data = pickle.dumps(func())
            with os.fdopen(send, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(send)

    def waited() -> R | None:
        with os.fdopen(receive, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return None
        result: R = pickle.loads(data)
        return result

    return waited
