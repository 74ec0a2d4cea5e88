"""Run a pure function over a long list on two cores: this process and one fork.

For work that is CPU-bound Python (rendering thousands of Telegram messages, preparing
the entries of an import), where a worker pool would spend its gain on pickling
inputs. The forked child inherits the function and the list (nothing is pickled on
the way in), takes the later items, and pickles back its results; this process takes
the first ones meanwhile. Results come back in order. Where fork is not available, or
the child fails, everything runs here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 2000  # below this, forking and pickling cost more than the second core saves


def fork_available() -> bool:
    """Only on Linux: forking is safe there and a child starts in milliseconds."""
    return sys.platform.startswith("linux")


def split_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(item) for item in items]``, the second half computed by a forked child."""
    return list(split_imap(func, items))


def split_imap(
    func: Callable[[T], R], items: Sequence[T], *, first_share: float = 0.5
) -> Generator[R, None, None]:
    """``func(item)`` for each item, in order, the items after the first ``first_share``
    computed by a forked child meanwhile.

    The first part is yielded as it is computed, so a caller with ordered work of its
    own (deciding ids, handing files to a writer) does it while the child computes;
    such a caller gives itself a smaller share. Closing the iterator early stops the
    child.
    """
    if len(items) < max(MIN_ITEMS, 2) or not fork_available():
        yield from map(func, items)
        return
    import multiprocessing  # here: most callers never get this far

    cut = min(max(int(len(items) * first_share), 1), len(items) - 1)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, func, items[cut:]), daemon=True)
    child.start()
    send.close()
    second: list[Any] | None = None
    try:
        yield from map(func, items[:cut])
        try:
            second = receive.recv()
        except (EOFError, OSError):
            second = None
    finally:
        receive.close()
        if second is None and child.exitcode is None:
            child.kill()  # closed early or failed: its results are not wanted
        child.join()
    if second is None or child.exitcode != 0 or len(second) != len(items) - cut:
        yield from map(func, items[cut:])  # the child failed: do it here
        return
    yield from second


def _child(send: Any, func: Callable[[Any], Any], items: Sequence[Any]) -> None:
    try:
        send.send([func(item) for item in items])
    except BaseException:  # the parent sees no results and does the work itself
        send.close()
        os._exit(1)
    send.close()
