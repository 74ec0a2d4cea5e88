"""split_map: the same results as a plain map, whether the forked child works, fails
or cannot send; and a Telegram export parses to the same result on one or two cores."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kbtool import parallel
from kbtool.importers import registry
from kbtool.importers.base import ImportOptions
from kbtool.store.text import read_text
from tests.conftest import FIXTURES, RAW

PARENT = os.getpid()


def _square(n: int) -> int:
    return n * n


def _fails_in_child(n: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only the child fails")
    return n + 1


def _unpicklable_in_child(n: int) -> Any:
    return (lambda: n) if os.getpid() != PARENT else n


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)


def test_results_in_order(small_threshold: None) -> None:
    assert parallel.split_map(_square, range(5001)) == [n * n for n in range(5001)]


@pytest.mark.parametrize("func", [_fails_in_child, _unpicklable_in_child])
def test_a_failing_child_means_the_parent_does_the_work(small_threshold: None, func: Any) -> None:
    """Whatever goes wrong in the child, the result is the plain map's (computed here)."""
    assert parallel.split_map(func, list(range(100))) == [func(n) for n in range(100)]


def test_errors_of_the_function_still_reach_the_caller(small_threshold: None) -> None:
    def boom(n: int) -> int:
        if n == 70:
            raise ValueError("bad item")
        return n

    with pytest.raises(ValueError, match="bad item"):
        parallel.split_map(boom, list(range(100)))


@pytest.mark.parametrize(
    "source",
    sorted((FIXTURES / "import" / "telegram-json").glob("*.json")),
    ids=lambda p: p.name,
)
def test_telegram_json_parses_the_same_on_two_cores(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    importer = registry.get("telegram-json")
    text = read_text(source)

    def parse() -> Any:
        try:
            result = importer.parse(text, source, ImportOptions(is_private=lambda _l: False))
        except Exception as exc:  # error fixtures: the same error either way
            return repr(exc)
        return (result.entries, result.dropped, result.warnings, result.total_units)

    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    serial = parse()
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    assert parse() == serial


def test_import_writes_the_same_on_one_or_two_cores(
    kb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every import fixture and seed in one run (duplicates across sources, colliding
    ids, private titles, images, bad files), then again (every entry matched and
    checked): the same entries and the same reports whether entries are prepared here
    or partly in the forked child, and the base read on one core or two."""
    results = []
    for run, threshold in enumerate((10**9, 2)):
        monkeypatch.setattr(parallel, "MIN_ITEMS", threshold)
        monkeypatch.chdir(tmp_path)
        notes = f"notes-{run}"
        sources = [FIXTURES / "import", RAW]
        for again in (0, 1):
            report = f"report-{run}-{again}.json"
            code, _out, _err = kb("import", *sources, "--notes", notes, "--report", report)
            files = {
                p.relative_to(tmp_path / notes).as_posix(): p.read_bytes()
                for p in sorted((tmp_path / notes).rglob("*"))
                if p.is_file()
            }
            text = (tmp_path / report).read_text("utf-8").replace(notes, "NOTES")
            results.append((again, code, files, text))
    assert results[0][2], "the fixtures import into entries"
    assert '"unchanged": 0' not in results[1][3], "the second import matched entries"
    assert results[2:] == results[:2]


@pytest.mark.parametrize("share", [0.0, 0.35, 1.0])
def test_imap_yields_in_order_for_any_share(small_threshold: None, share: float) -> None:
    items = list(range(3001))
    assert list(parallel.split_imap(_square, items, first_share=share)) == [n * n for n in items]


def _fails_late_in_child(n: int) -> int:
    if os.getpid() != PARENT and n >= 3000:
        raise RuntimeError("the child stops after a few chunks")
    return n * 3


def _unpicklable_late_in_child(n: int) -> Any:
    return (lambda: n) if os.getpid() != PARENT and n >= 3000 else n


@pytest.mark.parametrize("func", [_fails_late_in_child, _unpicklable_late_in_child])
def test_a_child_failing_midway_is_taken_over_where_it_stopped(
    small_threshold: None, func: Any
) -> None:
    """Chunks already sent are used; the parent computes from the first missing item."""
    items = list(range(4000))
    got = list(parallel.split_imap(func, items, first_share=0.25))
    assert got == [func(n) for n in items]


def test_closing_imap_early_stops_the_child(small_threshold: None) -> None:
    """A caller that stops (an error in its ordered part) leaves no child running: the
    child here would take hours, so only a kill ends it (the alarm turns a hang into a
    failure)."""
    import multiprocessing
    import signal

    def hang(_signum: int, _frame: Any) -> None:
        raise AssertionError("closing waited for the child instead of stopping it")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(30)
    try:
        results = parallel.split_imap(_slow_in_child, list(range(400)), first_share=0.5)
        assert next(results) == 0
        assert multiprocessing.active_children()
        results.close()
        assert not multiprocessing.active_children()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _slow_in_child(n: int) -> int:
    if os.getpid() != PARENT:
        import time

        time.sleep(60)
    return n * n


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "thread"])
def test_in_background_answers_with_what_it_saw_at_start(
    monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    """The child sees the memory as it was when it started; the parent changing it
    afterwards changes nothing in the answer."""
    monkeypatch.setattr(parallel, "fork_available", lambda: fork)
    seen = [1, 2, 3]
    copy = list(seen)
    wait = parallel.in_background(lambda: (os.getpid(), sum(seen if fork else copy)))
    seen.append(100)
    answer = wait()
    assert answer is not None
    pid, total = answer
    assert total == 6
    assert (pid != os.getpid()) == fork


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "thread"])
def test_in_background_failure_is_none(monkeypatch: pytest.MonkeyPatch, fork: bool) -> None:
    monkeypatch.setattr(parallel, "fork_available", lambda: fork)

    def fails() -> int:
        raise RuntimeError("no answer")

    assert parallel.in_background(fails)() is None


@pytest.mark.skipif(not parallel.fork_available(), reason="a thread needs no pickling")
def test_in_background_unpicklable_answer_is_none() -> None:
    assert parallel.in_background(lambda: lambda: 1)() is None


_GROUP_SIGNAL = """
import os, signal, sys, time
from kbtool import parallel

wait = parallel.in_background(lambda: (time.sleep(0.5), "done")[1])
signal.signal(signal.SIGTERM, lambda *_: None)  # this process goes on to wait
time.sleep(0.1)
os.killpg(0, signal.SIGTERM)  # as a runner stopping the job signals every process
print(wait())
"""


@pytest.mark.skipif(not parallel.fork_available(), reason="no child process to signal")
def test_in_background_child_outlives_a_signal_to_the_group() -> None:
    """SIGTERM to the process group reaches the child too: it finishes its work, and the
    process that started it decides what to keep."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _GROUP_SIGNAL],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
        start_new_session=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout.strip() == "done", done.stderr
