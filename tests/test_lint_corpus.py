"""The linter on a generated 200-entry base finds exactly the planted problems.

``benchmarks/generate_corpus.py`` writes valid entries (math, tables, images,
cross-file links with anchors, wikilinks) plus ~1% broken links, ~1% broken
anchors and ~1% missing answers, and records where it put them. Every rule runs:
each planted problem must be found at its line, and nothing else may be reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kbtool import config as kb_config
from kbtool.lint.linter import lint
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_corpus import generate


@pytest.mark.parametrize("seed", [0, 7])
def test_linter_finds_exactly_the_planted_problems(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path, 200, seed=seed)
    rules = {rule for _, _, rule in corpus.planted}
    assert rules == {"broken-link", "broken-anchor", "missing-answer"}, "generator plants all"
    monkeypatch.chdir(tmp_path)
    result = lint(kb_config.load(tmp_path))
    assert result.files == 200
    assert not result.input_errors
    found = sorted((Path(p.path).as_posix(), p.line, p.name) for p in result.problems)
    missed = sorted(set(corpus.planted) - set(found))
    extra = [f for f in found if f not in set(corpus.planted)]
    assert not missed, f"planted but not found: {missed}"
    assert not extra, f"false positives: {extra[:10]}"
    assert len(found) == len(corpus.planted)
