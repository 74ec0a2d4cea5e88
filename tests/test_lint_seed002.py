"""Seed 002 (Q&A Markdown with a TOC): every finding of the link rules, line by line.

The TOC's first eight links are right; every later one points at ``#1`` ("Глубокое
обучение") whatever it names; ``img/tri.jpg`` is not there. Expected findings live in
``tests/fixtures/lint/engine/seed002.expected``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.config import Config
from kbtool.lint.linter import lint
from tests.conftest import FIXTURES, RAW

SEED = RAW / "002_5108b72a579f50fe.txt"
RULES = ["broken-anchor", "broken-link", "toc-mismatch", "missing-asset"]


def _expected() -> list[tuple[int, str, str]]:
    rows = (FIXTURES / "lint" / "engine" / "seed002.expected").read_text(encoding="utf-8")
    out = []
    for row in rows.splitlines():
        if row and not row.startswith("#"):
            line, rule, contains = row.split("\t")
            out.append((int(line), rule, contains))
    return out


def test_seed_002_findings_line_by_line(tmp_path: Path) -> None:
    config = Config(root=tmp_path, notes=tmp_path / "notes")
    result = lint(config, [SEED], select=RULES, use_cache=False)
    assert not result.input_errors
    got = [(p.line, p.name) for p in result.problems]
    assert got == [(line, rule) for line, rule, _ in _expected()]
    for problem, (_line, _rule, contains) in zip(result.problems, _expected(), strict=True):
        assert contains in problem.message
        if problem.name == "toc-mismatch":
            assert 'links to "#1", which is "Глубокое обучение (Deep Learning)"' in problem.message


def test_seed_002_correct_toc_links_are_not_reported(tmp_path: Path) -> None:
    config = Config(root=tmp_path, notes=tmp_path / "notes")
    result = lint(config, [SEED], select=["toc-mismatch"], use_cache=False)
    assert {p.line for p in result.problems}.isdisjoint(range(7, 15))  # #1..#8, all right


def test_seed_002_via_cli_any_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: Callable[..., tuple[int, str, str]]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _err = kb("lint", "--no-cache", "--select", ",".join(RULES), str(SEED))
    assert code == 1  # the missing image is an error
    assert f"{SEED}:3:10: error KB301 missing-asset" in out
    assert f"{SEED}:38:3: warning KB103 toc-mismatch" in out


def test_seed_002_toc_questions_without_an_answer(tmp_path: Path) -> None:
    """34 TOC entries: 8 with a section (lines 7-14), 3 group labels ("Работа с текстом в
    NLP", "Обучение и оптимизация", "Оценка и интерпретация": lines 23, 30, 37), and 23
    questions whose link lands on "#1" with no section of their own."""
    config = Config(root=tmp_path, notes=tmp_path / "notes")
    result = lint(config, [SEED], select=["missing-answer"], use_cache=False)
    lines = [p.line for p in result.problems]
    assert lines == [n for n in range(15, 41) if n not in (23, 30, 37)]
    assert len(lines) == 23
    assert all(p.message.startswith('TOC question "') for p in result.problems)
    assert all('lands on "Глубокое обучение (Deep Learning)"' in p.message for p in result.problems)
