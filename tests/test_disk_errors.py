"""A read-only or full disk is the user's to fix, not a bug: exit 2 with the file that
could not be written and what to do, never exit 3 and a crash log.

Real file systems: a small tmpfs mounted read-only, and one that is full. Mounting needs
root (CI and the development machines run as root); elsewhere these tests skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
SOURCE = FIXTURES / "attack" / "edits" / "source.md"


def _mount(target: Path, options: str) -> None:
    target.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")


@pytest.fixture
def disks(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """``read-only``: an empty read-only file system; ``full``: one with no byte free."""
    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    readonly, full = tmp_path / "ro", tmp_path / "full"
    _mount(readonly, "ro,size=64k")
    try:
        _mount(full, "size=64k")
        try:
            with (full / "filler").open("wb") as handle, pytest.raises(OSError):
                handle.write(b"x" * 200_000)
                handle.flush()
                os.fsync(handle.fileno())
            yield {"read-only": readonly, "full": full}
        finally:
            subprocess.run(["umount", str(full)], check=False)
    finally:
        subprocess.run(["umount", str(readonly)], check=False)


@pytest.fixture
def base(kb: Runner, tmp_path: Path) -> Path:
    shutil.copy(SOURCE, tmp_path / "source.md")
    code, _out, err = kb(
        "import", tmp_path / "source.md", "--notes", tmp_path / "kb", "--format", "qa-markdown"
    )
    assert code == 0, err
    return tmp_path / "kb"


@pytest.mark.parametrize("disk", ["read-only", "full"])
@pytest.mark.parametrize("command", ["import", "export json", "export anki"])
def test_a_disk_that_refuses_writes_is_a_usage_error(
    kb: Runner, disks: dict[str, Path], base: Path, tmp_path: Path, disk: str, command: str
) -> None:
    place = disks[disk]
    if command == "import":
        target = place / "kb"
        args = ["import", tmp_path / "source.md", "--notes", target, "--format", "qa-markdown"]
    else:
        fmt = command.split()[1]
        target = place / f"kb.{'apkg' if fmt == 'anki' else fmt}"
        args = ["export", fmt, "--notes", base, "--out", target]
    code, out, err = kb(*args)
    assert code == 2, out + err
    assert "internal error" not in err and "Traceback" not in err
    reason = "read-only" if disk == "read-only" else "disk is full"
    assert reason in err and str(place) in err and "hint:" in err
