"""The ``kbtool`` command stats the base in a forked child while it starts
(:mod:`kbtool.lint.prestat`); its findings must be those of a run that stats the files
itself, after the edits of a working day, a removed file and a touched one, and the
child's answer must be used only for the cache's main file it read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbtool import config as kb_config
from kbtool.lint import prestat
from kbtool.lint.cache import CACHE_DIR, FactsCache
from kbtool.lint.formatters import text
from kbtool.lint.linter import lint
from tests.conftest import ROOT
from tests.test_lint_one_file import _edit

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_corpus import generate

KBTOOL = Path(sys.executable).with_name("kbtool")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux only")


def _command(base: Path, *args: str) -> str:
    done = subprocess.run(
        [str(KBTOOL), "lint", *args], cwd=base, capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_the_command_finds_what_a_run_that_stats_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path, 60, seed=5)
    monkeypatch.chdir(tmp_path)
    config = kb_config.load(tmp_path)
    _command(tmp_path)  # the cache the runs below start from, written by the command
    touched = _edit(tmp_path)
    gone = sorted((tmp_path / "notes").rglob("*.md"))[10]
    gone.unlink()
    same = sorted((tmp_path / "notes").rglob("*.md"))[11]
    os.utime(same, ns=(same.stat().st_atime_ns, same.stat().st_mtime_ns + 10**9))
    planted = sorted({tmp_path / path for path, _, _ in corpus.planted})[:4]
    for path in [*touched, same, *planted]:
        shown = path.relative_to(tmp_path).as_posix()
        want = text(lint(config, [path], use_cache=False).problems)
        assert _command(tmp_path, shown) == want, shown
    assert _command(tmp_path) == text(lint(config, use_cache=False).problems)


def test_the_answer_is_the_files_stat_and_only_for_its_main_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path, 12, seed=2)
    monkeypatch.chdir(tmp_path)
    config = kb_config.load(tmp_path)
    lint(config)
    first = sorted((tmp_path / "notes").rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")

    prestat.start()
    main = FactsCache(config.root, "")._read("lint.marshal")  # its token and file list
    token, keys = main[1], main[2][0]
    answer = prestat.collect(token)
    assert answer is not None
    now = []
    for key in keys:
        found = os.stat(key[2:])
        now += [found.st_mtime_ns, found.st_size]
    assert answer == now
    prestat.start()
    assert prestat.collect("another main file") is None
    assert prestat.collect(token) is None  # one answer per child
    (tmp_path / CACHE_DIR / "lint.marshal").unlink()
    prestat.start()
    assert prestat.collect(token) is None  # no cache: no answer, the run stats
