"""Untrusted notes stay contained: import reads pictures only from the imported folder,
writes only inside the base, a repository's config cannot move the base out of it,
lint never reads headings of files outside the base, and one import writes at a time.

The inputs are the attack corpus in ``tests/fixtures/attack/`` (see its README); the
symbolic links each case needs are made here, in a temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.store import lock
from tests.conftest import FIXTURES, ROOT

Runner = Callable[..., tuple[int, str, str]]
ATTACK = FIXTURES / "attack"
SECRET = b"\x89PNG\r\n\x1a\n secret picture outside the imported folder"


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp/secret.png`` (outside), ``tmp/work/raw/`` (the imported folder)."""
    (tmp_path / "secret.png").write_bytes(SECRET)
    work = tmp_path / "work"
    raw = work / "raw"
    (raw / "img").mkdir(parents=True)
    shutil.copy(ATTACK / "import" / "escape.md", raw / "escape.md")
    shutil.copy(ATTACK / "pictures" / "dot.png", raw / "img" / "diagram.png")
    (raw / "notes.png").write_text("just text", "utf-8")
    (raw / "inside-link.png").symlink_to(tmp_path / "secret.png")
    monkeypatch.chdir(work)
    return work


def _all_bytes(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in folder.rglob("*") if p.is_file()]


def test_import_copies_only_pictures_from_inside_the_imported_folder(
    kb: Runner, layout: Path
) -> None:
    code, _out, err = kb("import", "raw/escape.md", "--notes", "notes")
    assert code == 0, err
    copied = _all_bytes(layout / "notes" / "assets")
    assert copied == [(ATTACK / "pictures" / "dot.png").read_bytes()]
    assert SECRET not in b"".join(_all_bytes(layout / "notes"))
    assert err.count("outside the imported folder; not copied") == 3
    assert "notes.png is not a picture file; not copied" in err


def test_two_pictures_with_one_name_do_not_collide(kb: Runner, tmp_path: Path) -> None:
    questions = {"a": "What does a red pixel mean?", "b": "Why is the sky blue?"}
    for name, picture in (("a", "dot.png"), ("b", "other-dot.png")):
        folder = tmp_path / name
        (folder / "img").mkdir(parents=True)
        shutil.copy(ATTACK / "pictures" / picture, folder / "img" / "diagram.png")
        (folder / "q.md").write_text(
            f"## {questions[name]}\n\nSee ![d](img/diagram.png).\n", "utf-8"
        )
    code, _out, err = kb(
        "import",
        tmp_path / "a",
        tmp_path / "b",
        "--notes",
        tmp_path / "kb",
        "--format",
        "qa-markdown",
    )
    assert code == 0, err
    stored = sorted(_all_bytes(tmp_path / "kb" / "assets"))
    expected = sorted((ATTACK / "pictures" / p).read_bytes() for p in ("dot.png", "other-dot.png"))
    assert stored == expected


def test_import_never_writes_through_a_symlinked_folder_of_the_base(
    kb: Runner, layout: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (layout / "notes").mkdir()
    (layout / "notes" / "assets").symlink_to(victim)
    code, _out, err = kb("import", "raw/escape.md", "--notes", "notes")
    assert code == 2
    assert "leads outside the base" in err and "Traceback" not in err
    assert list(victim.iterdir()) == []


def test_repository_config_cannot_move_the_base_outside_it(kb: Runner, tmp_path: Path) -> None:
    repo = tmp_path / "cloned"
    (repo / ".git").mkdir(parents=True)
    (repo / "kbtool.toml").write_text('notes = "../.."\n', "utf-8")
    os.chdir(repo)
    code, _out, err = kb("lint")
    assert code == 2
    assert "points outside the repository" in err and "--notes" in err
    inside = tmp_path / "kb"
    inside.mkdir()
    code, _out, err = kb("lint", "--notes", inside)  # named on the command line: allowed
    assert code == 0, err


def test_lint_never_reads_headings_of_files_outside_the_base(kb: Runner, tmp_path: Path) -> None:
    (tmp_path / "private.md").write_text("# Secret plans of someone else\n", "utf-8")
    base = tmp_path / "kb"
    (base / "t").mkdir(parents=True)
    entry = (FIXTURES / "attack" / "lint" / "peek.md").read_text("utf-8")
    (base / "t" / "peek.md").write_text(entry, "utf-8")
    _code, out, err = kb("lint", "--notes", base)
    assert "Secret" not in out + err
    assert "secret-plans" not in out + err


def test_a_second_import_waits_for_the_first(layout: Path) -> None:
    notes = layout / "notes"
    command = [sys.executable, "-m", "kbtool", "import", "raw/escape.md", "--notes", "notes"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with lock.exclusive(notes):
        child = subprocess.Popen(
            command, cwd=layout, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert child.stderr is not None
        waiting = child.stderr.readline()  # blocks until the child finds the lock taken
        assert b"waiting: another kbtool import is writing to" in waiting, waiting
        time.sleep(0.5)  # time enough to write, were it not waiting
        assert child.poll() is None, "the second import did not wait for the lock"
        assert not list(notes.rglob("*.md"))
    _out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert list(notes.rglob("*.md"))


def test_image_runs_without_end_import_in_bounded_time(tmp_path: Path) -> None:
    """``![a](b`` repeated 50,000 times: each start fails at once (was quadratic, 77 s)."""
    source = tmp_path / "runs.md"
    source.write_text("## What is this?\n\n" + "![a](b" * 50_000 + "\n", "utf-8")
    command = [sys.executable, "-m", "kbtool", "import", str(source), "--notes", "kb"]
    result = subprocess.run(
        [*command, "--format", "qa-markdown", "--report", "r.json"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "r.json").read_text("utf-8"))["summary"]
    assert summary["created"] == 1
