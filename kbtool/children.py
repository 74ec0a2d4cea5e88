"""Programs kbtool runs (pandoc): they never outlive it, and Ctrl-C stops them at once.

A child started with :func:`start` gets, between fork and exec:

- a parent-death signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux): when kbtool
  dies, however it dies (``kill -9``, the OOM killer, a CI timeout's SIGTERM), the
  kernel kills the child too. Without it a killed ``kbtool export pdf`` left pandoc
  converting for a minute, holding a gigabyte;
- a CPU-time limit (``RLIMIT_CPU``), when the caller gives one: a conversion that
  goes on far longer than its input could need is stopped by the kernel.

The signal is tied to the *thread* that started the child: callers wait for their
child in that thread (as ``subprocess.run`` and ``communicate`` do).

While it runs, the child is listed here, and :func:`install` makes Ctrl-C (SIGINT)
and SIGTERM kill the listed children before the interrupt unwinds the command, so
every ``finally`` runs (temporary files and staging folders are removed) without
waiting for a conversion nobody wants any more. SIGTERM ends the command with exit
143 (128 + 15), Ctrl-C with 130.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a child is started: lint's start-up stays short
    import subprocess

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_running: dict[int, subprocess.Popen[bytes]] = {}  # pid -> child, of this process


@dataclass(eq=False, repr=False)  # mutable: compared by identity
class _State:
    owner: int  # the process that installed the handlers (forks inherit them)
    stopping: bool = False  # set by stop_all: the command is being interrupted


_STATE = _State(os.getpid())


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwind like Ctrl-C (every ``finally`` runs), then exit 143."""


class Stopped(Exception):
    """No child is started once the command is interrupted (a worker thread may try)."""


@cache
def _linux_prctl() -> Any:
    """libc's ``prctl``, looked up before any fork (nothing is loaded in the child)."""
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


def _preexec(cpu_seconds: int | None) -> Callable[[], None] | None:
    """What the child runs before exec: the parent-death signal and the CPU limit."""
    if not sys.platform.startswith("linux"):
        return None
    import resource

    prctl = _linux_prctl()
    parent = os.getpid()
    limit = None
    if cpu_seconds is not None:  # never above a limit kbtool itself runs under
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        top = hard if hard != resource.RLIM_INFINITY else cpu_seconds + 2
        limit = (min(cpu_seconds, top), min(cpu_seconds + 2, top))

    def setup() -> None:  # in the forked child: no imports, no allocations to speak of
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_CPU, limit)  # SIGXCPU, then SIGKILL

    return setup


@contextlib.contextmanager
def start(
    args: Sequence[str], *, cpu_seconds: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``Popen(args)`` with pipes for stdin, stdout and stderr, bound to this process;
    waited for (killed first if still running) when the block ends."""
    import subprocess

    if stopping():
        raise Stopped("interrupted: no new child process")
    process = subprocess.Popen(
        list(args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_preexec(cpu_seconds),  # noqa: PLW1509 - see the module docstring
    )
    _running[process.pid] = process
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        _running.pop(process.pid, None)


def stopping() -> bool:
    """Whether :func:`stop_all` ran: a child that died now was killed by it."""
    return _STATE.stopping and os.getpid() == _STATE.owner


def stop_all() -> None:
    """Kill every child this process started that still runs, and start no more (from
    a signal handler: no locks, no waiting; each child's own thread reaps it)."""
    if os.getpid() != _STATE.owner:
        return  # a forked worker inherited the table: those are not its children
    _STATE.stopping = True
    for pid, process in list(_running.items()):
        if process.returncode is None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _STATE.owner:  # a forked worker: what it did before these handlers
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    stop_all()
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def install() -> None:
    """Route Ctrl-C and SIGTERM through :func:`stop_all` (the command line's entry
    point calls this; the library leaves the caller's signal handling alone)."""
    _STATE.owner = os.getpid()
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
