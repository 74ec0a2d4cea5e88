"""A first export renders Markdown on every core, and the result is the same bytes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.export import render
from kbtool.export.cache import ExportCache
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_corpus import generate

Kb = Callable[..., tuple[int, str, str]]


def test_parallel_first_export_equals_serial(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "kb", 40, seed=3)
    monkeypatch.chdir(tmp_path / "kb")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(render, "PRERENDER_FROM", 10)
    assert kb("export", "json", "--out", tmp_path / "parallel.json")[0] == 0
    cache_dir = tmp_path / "kb" / ".kbtool-cache"
    assert (cache_dir / "export.marshal").exists()
    for child in cache_dir.iterdir():
        child.unlink()
    monkeypatch.setattr(render, "PRERENDER_FROM", 10**9)
    assert kb("export", "json", "--out", tmp_path / "serial.json")[0] == 0
    assert (tmp_path / "parallel.json").read_bytes() == (tmp_path / "serial.json").read_bytes()


def test_prerender_fills_the_cache_only_for_missing_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "PRERENDER_FROM", 3)
    cache = ExportCache(None)
    bodies = [f"## Раздел {i}\n\nТекст $x_{i}$ и *курсив*." for i in range(6)]
    assert render.prerender(cache, bodies, jobs=2) == 6
    assert cache.raw[cache.raw_key(bodies[0])] == render.raw_html(bodies[0])
    assert render.prerender(cache, bodies, jobs=2) == 0  # all cached now
