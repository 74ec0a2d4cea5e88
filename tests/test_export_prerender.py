"""A first export renders and sanitizes on every core, and the result is the same bytes."""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool import parallel
from kbtool.export import prerender
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_corpus import generate

Kb = Callable[..., tuple[int, str, str]]


def _contents(out: Path) -> dict[str, bytes]:
    """A JSON file's bytes, or every member of an .apkg (its zip dates aside)."""
    if out.suffix != ".apkg":
        return {"json": out.read_bytes()}
    with zipfile.ZipFile(out) as deck:
        return {name: deck.read(name) for name in sorted(deck.namelist())}


@pytest.mark.parametrize("fmt", ["json", "anki"])
def test_parallel_first_export_equals_serial(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Files parsed in a forked child, HTML made and sanitized in workers: the same
    export and the same warnings (a broken file, a duplicate id, missing images) as
    one process doing everything."""
    corpus = generate(tmp_path / "kb", 40, seed=3)
    notes = tmp_path / "kb" / "notes"
    (notes / "nlp" / "broken.md").write_text("---\nid: [oops\n---\nbody\n", "utf-8")
    (notes / "nlp" / "again.md").write_bytes(corpus.entries[0].read_bytes())
    (notes / "assets" / "fig-03.png").unlink()  # some entries' image is now missing
    monkeypatch.chdir(tmp_path / "kb")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    suffix = "json" if fmt == "json" else "apkg"
    results = []
    for run, (render_from, parse_from) in enumerate(((10, 2), (10**9, 10**9))):
        for child in (tmp_path / "kb" / ".kbtool-cache").glob("*"):
            child.unlink()
        monkeypatch.setattr(prerender, "PRERENDER_FROM", render_from)
        monkeypatch.setattr(parallel, "MIN_ITEMS", parse_from)
        out = tmp_path / f"out-{run}.{suffix}"
        code, _out, err = kb("export", fmt, "--out", out)
        assert code == 0, err
        results.append((_contents(out), err.replace(out.name, "OUT")))
    assert "broken.md" in results[0][1] and "already used" in results[0][1]
    assert "not found" in results[0][1]
    assert results[0] == results[1]
