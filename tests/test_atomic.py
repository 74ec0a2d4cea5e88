"""Atomic writes: a writer killed at any moment leaves the old file or the new one."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbtool.store import atomic

WRITER = """
import sys
from pathlib import Path

from kbtool.store.atomic import write_bytes
target, size = Path(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
for i in range(1000):
    write_bytes(target, (b"B" if i % 2 == 0 else b"C") * size)
"""


def test_write_creates_parents_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c.md"
    atomic.write_text(target, "x\n")
    assert target.read_text() == "x\n"
    target.chmod(0o640)
    atomic.write_text(target, "y\n")
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["c.md"]


def test_new_files_get_the_umask_mode(tmp_path: Path) -> None:
    import os

    old = os.umask(0o027)
    try:
        atomic.write_text(tmp_path / "new.md", "x\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("planted", ["file", "symlink"])
def test_a_name_taken_by_a_leftover_or_a_symlink_is_skipped(tmp_path: Path, planted: str) -> None:
    """Temporary names are predictable, so whatever sits under the next one (a killed
    run's leftover, a planted symlink) must be neither overwritten nor followed."""
    import os

    target, victim = tmp_path / "entry.md", tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    serial = next(atomic._serial)
    for n in range(serial + 1, serial + 4):  # the next three names
        taken = tmp_path / f".entry.md.{os.getpid()}.{n}.tmp"
        if planted == "file":
            taken.write_text("leftover\n")
        else:
            taken.symlink_to(victim)
    atomic.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert victim.read_text() == "keep me\n"
    leftovers = sorted(p for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
    assert len(leftovers) == 3  # untouched


def test_killed_writer_never_leaves_half_a_file(tmp_path: Path) -> None:
    size = 4 * 1024 * 1024
    target = tmp_path / "entry.md"
    old = b"A" * size
    rng = random.Random(7)
    for _ in range(8):
        target.write_bytes(old)
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(size)], stdout=subprocess.PIPE
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        assert len(data) == size
        assert data in (old, b"B" * size, b"C" * size)


BATCH_WRITER = """
import sys
from pathlib import Path

from kbtool.store.atomic import batch, write_bytes
folder, size = Path(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
with batch():
    for i in range(1000):
        write_bytes(folder / f"{i % 4}.md", (b"B" if i % 2 == 0 else b"C") * size)
"""


def test_killed_batch_writer_leaves_old_or_new_files(tmp_path: Path) -> None:
    size = 1024 * 1024
    old = b"A" * size
    names = [f"{i}.md" for i in range(4)]
    rng = random.Random(11)
    for _ in range(6):
        for name in names:
            (tmp_path / name).write_bytes(old)
        proc = subprocess.Popen(
            [sys.executable, "-c", BATCH_WRITER, str(tmp_path), str(size)],
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name in names:
            assert (tmp_path / name).read_bytes() in (old, b"B" * size, b"C" * size)


def test_batch_writes_every_file_and_keeps_modes(tmp_path: Path) -> None:
    kept = tmp_path / "kept.md"
    kept.write_text("old\n")
    kept.chmod(0o640)
    with atomic.batch():
        atomic.write_text(kept, "new\n")
        with atomic.batch():  # nested: joins the outer batch
            for i in range(3):
                atomic.write_text(tmp_path / "topic" / f"{i}.md", f"{i}\n")
    assert kept.read_text() == "new\n"
    assert kept.stat().st_mode & 0o777 == 0o640
    assert [(p.name, p.read_text()) for p in sorted((tmp_path / "topic").iterdir())] == [
        ("0.md", "0\n"),
        ("1.md", "1\n"),
        ("2.md", "2\n"),
    ]
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_failed_batch_write_is_raised_and_stops_the_writer(tmp_path: Path) -> None:
    """Files are written by a background thread; its first failure reaches the caller
    (at the next write or when the batch ends) and nothing after it is written."""
    (tmp_path / "blocker").write_text("a file where a folder should be\n")
    with pytest.raises(OSError), atomic.batch():
        atomic.write_text(tmp_path / "first.md", "1\n")
        atomic.write_text(tmp_path / "blocker" / "x.md", "2\n")
        atomic.write_text(tmp_path / "after.md", "3\n")
    assert (tmp_path / "first.md").read_text() == "1\n"
    assert not (tmp_path / "after.md").exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_blocks_own_error_wins_and_queued_files_are_still_written(tmp_path: Path) -> None:
    with pytest.raises(KeyError), atomic.batch():
        for i in range(300):  # more than the writer's queue holds
            atomic.write_text(tmp_path / f"{i}.md", f"{i}\n")
        raise KeyError("the caller's own error")
    assert len(list(tmp_path.glob("*.md"))) == 300


@pytest.mark.parametrize("in_batch", [False, True])
def test_pieces_are_written_one_after_another(tmp_path: Path, in_batch: bool) -> None:
    """A header and a payload given apart make the same file as joined."""
    target = tmp_path / "out" / "cache.bin"
    pieces = (b"HEAD", b"", b"x" * 300_000, b"\n")
    if in_batch:
        with atomic.batch():
            atomic.write_bytes(target, pieces)
    else:
        atomic.write_bytes(target, pieces)
    assert target.read_bytes() == b"".join(pieces)
    assert [p.name for p in target.parent.iterdir()] == ["cache.bin"]  # no temporary left
