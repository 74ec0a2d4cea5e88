"""Stopping a command: nothing is left running and nothing half-written is left behind.

- ``kbtool export pdf`` killed with SIGKILL or SIGTERM while pandoc runs leaves no
  pandoc (each pandoc has a parent-death signal), and SIGTERM during the in-process
  work (typst) still ends it cleanly: exit 143, staging folder gone.
- Ctrl-C (SIGINT to the process, or to its whole process group as a terminal sends
  it) while ``import``, ``lint --fix`` or ``export`` write ends the command with exit
  130 and a one-line message, and leaves no temporary file (``*.tmp``, export staging
  folders) in the base or the output folder, and no process.

Every case runs the real command in its own session (``start_new_session``), so
every process it starts is found by session id, as in ``tests/test_orphans.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.generate_corpus import generate as generate_base
from benchmarks.import_bench import generate as generate_export
from tests.test_kill import fixable_entry
from tests.test_orphans import _alive_in_session

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
KBTOOL = [sys.executable, "-m", "kbtool"]
GRACE = 2.0  # seconds; a pandoc left to finish its part would run for several more
# A paragraph of 1,500 links: several seconds of pandoc's time, so a pandoc that
# outlived the command would still be found running.
LINKS = (
    "---\nid: many-links\nkind: note\ntitle: Many links\ntopic: aa\nlang: en\n"
    "status: answered\nsource: {kind: manual}\ncreated: 2024-01-01\nupdated: 2024-01-01\n"
    "---\n\n" + " ".join(f"[x{i}](#many-links)" for i in range(1500)) + "\n"
)


def _pdf_base(work: Path, entries: int, slow_pandoc: bool) -> None:
    generate_base(work, entries, seed=5)
    if slow_pandoc:
        (work / "notes" / "aa").mkdir()  # first on the sheet: in pandoc's first batch
        (work / "notes" / "aa" / "many-links.md").write_text(LINKS, "utf-8")


def _pandocs(session: int) -> list[int]:
    found = []
    for pid in _alive_in_session(session):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "pandoc":
                found.append(pid)
        except OSError:
            continue
    return found


def _start(work: Path, args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*KBTOOL, *args],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its session id is its pid: every process it starts
    )


def _wait_for(process: subprocess.Popen[str], ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 90
    while not ready():
        assert process.poll() is None, f"the command ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within 90 s"
        time.sleep(0.01)


def _ends_alone(process: subprocess.Popen[str], seconds: float = 60) -> str:
    """Wait for the command, then at most :data:`GRACE` seconds for every process of its
    session (a child killed with it goes at once); return its stderr."""
    try:
        _out, err = process.communicate(timeout=seconds)
        deadline = time.monotonic() + GRACE
        while left := _alive_in_session(process.pid):
            assert time.monotonic() < deadline, f"running {GRACE} s after the command: {left}"
            time.sleep(0.05)
        return err
    finally:
        for pid in _alive_in_session(process.pid):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()


def _leftovers(folder: Path) -> list[str]:
    """Temporary files of atomic writes and export staging folders under ``folder``."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith(".tmp") or p.name.startswith(".kbtool-export-")
    )


@pytest.mark.parametrize(
    ("sig", "moment"),
    [(signal.SIGKILL, "pandoc"), (signal.SIGTERM, "pandoc"), (signal.SIGTERM, "in-process")],
    ids=["SIGKILL-pandoc", "SIGTERM-pandoc", "SIGTERM-in-process"],
)
def test_a_killed_pdf_export_leaves_no_process(tmp_path: Path, sig: int, moment: str) -> None:
    _pdf_base(tmp_path, 300 if moment == "in-process" else 150, moment == "pandoc")
    process = _start(tmp_path, ["export", "pdf"])
    _wait_for(process, lambda: bool(_pandocs(process.pid)), "pandoc running")
    time.sleep(0.5)  # pandoc has its whole input: left alone, it would convert all of it
    if moment == "in-process":  # pandoc has done its part: the rest is typst, in-process
        quiet = [time.monotonic()]

        def settled() -> bool:
            if _pandocs(process.pid):
                quiet[0] = time.monotonic()
            return time.monotonic() - quiet[0] > 1.5

        _wait_for(process, settled, "the end of pandoc's part")
    process.send_signal(sig)
    err = _ends_alone(process)
    assert not _leftovers(tmp_path) or sig == signal.SIGKILL, _leftovers(tmp_path)
    assert not (tmp_path / "build" / "kb.pdf").exists()
    if sig == signal.SIGTERM:
        assert process.returncode == 143, err
        assert err.strip().endswith("kbtool: terminated") and "Traceback" not in err, err


# A case prepares its folder and returns the command and when, given the command's pid,
# it is writing.
Case = Callable[[Path], tuple[list[str], Callable[[int], bool]]]


def _import_case(work: Path) -> tuple[list[str], Callable[[int], bool]]:
    (work / "raw").mkdir()
    (work / "raw" / "result.json").write_text(json.dumps(generate_export(3000)), "utf-8")
    notes = work / "notes"

    def writing(_pid: int) -> bool:
        return notes.is_dir() and sum(1 for _ in notes.rglob("*.md")) > 100

    return ["import", "raw/result.json", "--notes", "notes"], writing


def _fix_case(work: Path) -> tuple[list[str], Callable[[int], bool]]:
    topic = work / "notes" / "t"
    topic.mkdir(parents=True)
    for index in range(1500):
        (topic / f"e{index}.md").write_text(fixable_entry(index), "utf-8")
    before = {p: p.stat().st_mtime_ns for p in topic.iterdir()}

    def writing(_pid: int) -> bool:
        return any(p.stat().st_mtime_ns != mtime for p, mtime in before.items())

    return ["lint", "--fix", "--no-cache", "--notes", "notes"], writing


def _export_case(work: Path) -> tuple[list[str], Callable[[int], bool]]:
    _pdf_base(work, 150, slow_pandoc=True)

    def staging(pid: int) -> bool:  # the output is staged beside its target while pandoc runs
        return any((work / "build").glob(".kbtool-export-*")) and bool(_pandocs(pid))

    return ["export", "pdf"], staging


@pytest.mark.parametrize(
    ("case", "to_group"),
    [(_import_case, False), (_import_case, True), (_fix_case, False), (_export_case, False)],
    ids=["import", "import-group", "lint-fix", "export-pdf"],
)
def test_ctrl_c_while_writing_leaves_no_temporary_file(
    tmp_path: Path, case: Case, to_group: bool
) -> None:
    args, writing = case(tmp_path)
    before = set(tmp_path.rglob("*"))
    process = _start(tmp_path, args)
    _wait_for(process, lambda: writing(process.pid), "writing")
    if to_group:  # what a terminal's Ctrl-C does: every process of the group gets it
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    err = _ends_alone(process)
    assert process.returncode == 130, err
    assert err.strip().endswith("kbtool: interrupted"), err
    assert "Traceback" not in err, err
    assert not _leftovers(tmp_path), _leftovers(tmp_path)
    new = {p for p in set(tmp_path.rglob("*")) - before if not p.is_dir()}
    if case is _export_case:
        assert not new, sorted(map(str, new))  # nothing written: the export is all or none
