"""Nothing lost: ``kbtool import`` and ``kbtool lint --fix`` killed with SIGKILL at random
moments leave every entry either its old or its new version, never half of one.

The new versions come from an uninterrupted run in a copy of the same folder; stray
``.*.tmp`` files of an interrupted atomic write are allowed, any other new file is not.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.import_bench import generate

RUNS = 10
MAX_RUNS = 40
KBTOOL = [sys.executable, "-m", "kbtool"]
Snapshot = dict[str, bytes]


def snapshot(notes: Path) -> Snapshot:
    return {
        p.relative_to(notes).as_posix(): p.read_bytes()
        for p in notes.rglob("*")
        if p.is_file() and not p.name.endswith(".tmp")
    }


def run_to_end(work: Path, args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [*KBTOOL, *args], cwd=work, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return time.perf_counter() - started


def kill_at_random(
    prepared: Path, tmp_path: Path, args: list[str], old: Snapshot, new: Snapshot, seconds: float
) -> int:
    """Run ``args`` in fresh copies of ``prepared``, kill each at a random moment, check files.

    At least ``RUNS`` runs, and more (up to ``MAX_RUNS``) until one was killed while
    writing. On a fast disk the writing is a small part of a run, so the moments close
    in on it: a run killed before it wrote anything moves the earliest moment up, one
    killed after it wrote everything moves the latest down. Returns how many runs were
    killed while they had written part of their output.
    """
    rng = random.Random(20240501)
    partial = 0
    earliest, latest = 0.3, seconds
    to_change = sum(1 for name in new if new[name] != old.get(name))
    for attempt in range(MAX_RUNS):
        if attempt >= RUNS and partial:
            break
        if earliest >= latest:  # start-up times vary: widen again
            earliest, latest = 0.3, seconds
        moment = rng.uniform(earliest, latest)
        work = tmp_path / f"run{attempt}"
        shutil.copytree(prepared, work, symlinks=True)
        child = subprocess.Popen(
            [*KBTOOL, *args], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(moment)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        now = snapshot(work / "notes")
        assert set(old) <= set(now), "a file of the base disappeared"
        for name, data in now.items():
            allowed = {old.get(name), new.get(name)} - {None}
            assert allowed, f"run {attempt}: unexpected file {name}"
            assert data in allowed, f"run {attempt}: {name} is neither its old nor its new text"
        changed = sum(1 for name in new if now.get(name) == new[name] != old.get(name))
        partial += 0 < changed < to_change
        if changed == 0:
            earliest = moment
        elif changed == to_change:
            latest = moment
        stray = [p for p in (work / "notes").rglob("*") if p.name.endswith(".tmp")]
        assert all(p.name.startswith(".") for p in stray)
        shutil.rmtree(work)
    return partial


@pytest.fixture
def import_case(tmp_path: Path) -> tuple[Path, list[str]]:
    """A base imported from a 600-post export, and a changed export with new posts."""
    prepared = tmp_path / "prepared"
    (prepared / "raw").mkdir(parents=True)
    first = generate(600, seed=3)
    export = prepared / "raw" / "result.json"
    export.write_text(json.dumps(first, ensure_ascii=False), "utf-8")
    run_to_end(prepared, ["import", "raw/result.json", "--notes", "notes"])
    changed = generate(750, seed=3)
    for message in changed["messages"][::3]:
        if isinstance(message.get("text"), list) and message["text"]:
            message["text"].append({"type": "plain", "text": " (обновлено)"})
            message["text_entities"] = message["text"]
    export.write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
    return prepared, ["import", "raw/result.json", "--notes", "notes"]


def fixable_entry(index: int) -> str:
    return (
        f"---\nid: e{index}\nkind: note\ntitle: Entry {index}\ntopic: t\nlang: en\n"
        "status: answered\nsource:\n  kind: manual\ncreated: 2024-01-01\nupdated: 2024-01-01\n"
        "---\n"
        + "".join(
            f"# Gradient Step {k}\n\nText {index}, see [it](<#Gradient Step {k}>) "
            f"and [that](#Gradient-Step-{k}).\n\n"
            for k in range(8)
        )
    )


@pytest.fixture
def fix_case(tmp_path: Path) -> tuple[Path, list[str]]:
    """A base of 400 entries, each with sixteen fixable links."""
    prepared = tmp_path / "prepared"
    topic = prepared / "notes" / "t"
    topic.mkdir(parents=True)
    for index in range(400):
        (topic / f"e{index}.md").write_text(fixable_entry(index), "utf-8")
    return prepared, ["lint", "--fix", "--no-cache", "--notes", "notes"]


@pytest.mark.parametrize("case", ["import_case", "fix_case"])
def test_sigkill_leaves_old_or_new_never_half(
    case: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    prepared, args = request.getfixturevalue(case)
    old = snapshot(prepared / "notes")
    finished = tmp_path / "finished"
    shutil.copytree(prepared, finished, symlinks=True)
    seconds = run_to_end(finished, args)
    new = snapshot(finished / "notes")
    assert sum(1 for name in new if new[name] != old.get(name)) > 200, "too little to interrupt"
    partial = kill_at_random(prepared, tmp_path, args, old, new, seconds)
    assert partial >= 1, "no run was killed mid-way: the test proved nothing"


def test_fixable_entry_is_fixed(tmp_path: Path, kb: Callable[..., tuple[int, str, str]]) -> None:
    """The --fix base really has fixes to apply (else the kill test proves nothing)."""
    path = tmp_path / "notes" / "t" / "e1.md"
    path.parent.mkdir(parents=True)
    path.write_text(fixable_entry(1), "utf-8")
    code, _out, err = kb("lint", "--fix", "--no-cache", "--notes", str(tmp_path / "notes"))
    assert "fixed 16 problem(s)" in err
    assert "(#gradient-step-0)" in path.read_text("utf-8") and code == 0
