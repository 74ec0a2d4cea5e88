"""The ``kbtool`` command stats the base in a forked child while it starts
(:mod:`kbtool.lint.prestat`); its findings must be those of a run that stats the files
itself, after the edits of a working day, a removed file and a touched one, and the
child's answer must be used only for the cache's main file it read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from array import array
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool import config as kb_config
from kbtool.config import Config
from kbtool.lint import prestat
from kbtool.lint.cache import CACHE_DIR, FactsCache, fingerprint
from kbtool.lint.config import settings
from kbtool.lint.document import digest_of
from kbtool.lint.formatters import text
from kbtool.lint.incremental import Analyzed, Job, _analyze_all, records
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


def _changed_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Config, Path]:
    """A linted base with one body edited since: (its config, the edited file)."""
    generate(tmp_path, 12, seed=2)
    monkeypatch.chdir(tmp_path)
    config = kb_config.load(tmp_path)
    lint(config)
    first = sorted((tmp_path / "notes").rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")
    return config, first


def _loaded(config: Config) -> FactsCache:
    cache = FactsCache(config.root, fingerprint(config, settings(config)))
    cache.load()  # takes the child's first answer, the stats
    return cache


def test_the_first_answer_is_the_files_stat_and_only_for_its_main_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _first = _changed_base(tmp_path, monkeypatch)
    prestat.start()
    main = FactsCache(config.root, "")._read("lint.marshal")  # its token and file list
    token, keys = main[1], main[2][0]
    answer = prestat.collect(token, _stored_stats(main))
    assert answer is not None
    now = []
    for key in keys:
        found = os.stat(key[2:])
        now += [found.st_mtime_ns, found.st_size]
    assert answer == now
    assert answer != _stored_stats(main)  # the edited file's stat is the new one
    prestat.discard()
    prestat.start()
    assert prestat.collect("another main file", _stored_stats(main)) is None
    assert prestat.analyzed(token) == {}  # the child was dropped with its answers
    (tmp_path / CACHE_DIR / "lint.marshal").unlink()
    prestat.start()
    assert prestat.collect(token, _stored_stats(main)) is None  # no cache: the run stats


def _stored_stats(main: tuple[object, ...]) -> list[int]:
    found = array("q")
    found.frombytes(main[2][1])  # type: ignore[index]
    return found.tolist()


def _spy(config: Config, asked: list[list[str]]) -> Callable[[list[Job]], list[Analyzed]]:
    def analyze(jobs: list[Job]) -> list[Analyzed]:
        asked.append([job.name for job in jobs])
        return _analyze_all(jobs, config=config, lint_settings=settings(config), workers=1)

    return analyze


def test_the_changed_file_is_analyzed_by_the_child_as_the_run_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, first = _changed_base(tmp_path, monkeypatch)
    files = {str(p): True for p in sorted((tmp_path / "notes").rglob("*.md"))}
    prestat.start()
    asked: list[list[str]] = []
    found = records(
        _loaded(config), files, config, settings(config), workers=1, analyze=_spy(config, asked)
    )
    assert asked == [[]]  # the run analyzed nothing itself
    [own] = _analyze_all(
        [Job(str(first), True, None)], config=config, lint_settings=settings(config), workers=1
    )
    assert found.get(str(first)) == own.record


def test_an_analysis_of_a_file_saved_again_since_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, first = _changed_base(tmp_path, monkeypatch)
    files = {str(p): True for p in sorted((tmp_path / "notes").rglob("*.md"))}
    prestat.start()
    cache = _loaded(config)
    assert prestat.analyzed(cache.token)  # the child analyzed the edited file …
    prestat.start()
    cache = _loaded(config)
    # the child has analyzed (and exited, still to be reaped) before the file is saved again
    os.waitid(os.P_PID, prestat._pending[0][0], os.WEXITED | os.WNOWAIT)
    first.write_text(first.read_text(encoding="utf-8") + "\nand more\n", encoding="utf-8")
    asked: list[list[str]] = []
    found = records(cache, files, config, settings(config), workers=1, analyze=_spy(config, asked))
    assert asked == [[str(first)]]  # … but it was saved again: the run reads it itself
    record = found.get(str(first))
    assert record is not None
    assert record.digest == digest_of(first.read_bytes())
