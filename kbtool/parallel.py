"""Run a pure function over a long list on two cores: this process and one fork.

For work that is CPU-bound Python (rendering thousands of Telegram messages), where
a worker pool would spend its gain on pickling inputs. The forked child inherits the
function and the list (nothing is pickled on the way in), takes the second half, and
pickles back its results; this process takes the first half meanwhile. Results come
back in order. Where fork is not available, or the child fails, everything runs here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 2000  # below this, forking and pickling cost more than the second core saves


def fork_available() -> bool:
    """Only on Linux: forking is safe there and a child starts in milliseconds."""
    return sys.platform.startswith("linux")


def split_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(item) for item in items]``, the second half computed by a forked child."""
    if len(items) < max(MIN_ITEMS, 2) or not fork_available():
        return [func(item) for item in items]
    import multiprocessing  # here: most callers never get this far

    half = len(items) // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, func, items[half:]), daemon=True)
    child.start()
    send.close()
    first = [func(item) for item in items[:half]]
    second: list[Any] | None = None
    try:
        second = receive.recv()
    except (EOFError, OSError):
        second = None
    finally:
        receive.close()
        child.join()
    if second is None or child.exitcode != 0 or len(second) != len(items) - half:
        second = [func(item) for item in items[half:]]  # the child failed: do it here
    return first + second


def _child(send: Any, func: Callable[[Any], Any], items: Sequence[Any]) -> None:
    try:
        send.send([func(item) for item in items])
    except BaseException:  # the parent sees no results and does the work itself
        send.close()
        os._exit(1)
    send.close()
