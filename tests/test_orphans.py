"""A command killed with SIGKILL leaves no process behind.

Import forks a child that prepares entries and a writer; lint and export run pools of
workers. Killed hard (the OOM killer, ``kill -9``, a CI timeout), the parent cannot
tell them to stop, and a worker blocked on a pipe another process still holds would
wait forever: each must notice that its parent is gone and exit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate_corpus import generate as generate_base
from benchmarks.import_bench import generate as generate_export
from tests.test_kill import fixable_entry

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
KBTOOL = [sys.executable, "-m", "kbtool"]


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields after "pid (comm)"


def _alive_in_session(session: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and fields[0] != "Z" and int(fields[3]) == session:
                pids.append(int(entry))
    return pids


def _children(pid: int) -> list[int]:
    return [p for p in _alive_in_session(pid) if (f := _stat(p)) and int(f[1]) == pid]


def _import_case(work: Path) -> list[str]:
    (work / "result.json").write_text(json.dumps(generate_export(3000)), "utf-8")
    return ["import", "result.json", "--notes", "notes"]


def _lint_case(work: Path) -> list[str]:
    topic = work / "notes" / "t"
    topic.mkdir(parents=True)
    for index in range(1500):
        (topic / f"e{index}.md").write_text(fixable_entry(index), "utf-8")
    return ["lint", "--fix", "--no-cache", "--notes", "notes"]


def _export_case(work: Path) -> list[str]:
    generate_base(work, 1500, seed=5)
    return ["export", "json"]


@pytest.mark.parametrize("case", [_import_case, _lint_case, _export_case], ids=lambda c: c.__name__)
def test_killed_command_leaves_no_process(tmp_path: Path, case: object) -> None:
    cpus = min(os.cpu_count() or 1, len(os.sched_getaffinity(0)))
    if case is not _import_case and cpus < 2:  # import forks its two children anyway
        pytest.skip("lint and export start worker pools only with two or more CPUs")
    args = case(tmp_path)  # type: ignore[operator]
    parent = subprocess.Popen(
        [*KBTOOL, *args],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its session id is its pid: every process it starts
    )
    try:
        deadline = time.monotonic() + 60
        while len(_children(parent.pid)) < 2:
            assert parent.poll() is None, "the command ended before it started two workers"
            assert time.monotonic() < deadline, "no two workers within a minute"
            time.sleep(0.01)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while left := _alive_in_session(parent.pid):
            assert time.monotonic() < deadline, f"still running 20 s after the kill: {left}"
            time.sleep(0.1)
    finally:
        for pid in _alive_in_session(parent.pid):
            os.kill(pid, signal.SIGKILL)


def test_a_worker_whose_parent_is_already_gone_exits() -> None:
    """The parent's pid is taken in the parent: a worker that starts after its parent
    died (and was adopted) must not take its new parent for the one to watch."""
    code = "from kbtool.parallel import exit_with_parent; import time\n"
    code += "exit_with_parent(2**22 + 7)  # not our parent\ntime.sleep(60)\n"
    worker = subprocess.run([sys.executable, "-c", code], timeout=20, check=False)
    assert worker.returncode == 1
