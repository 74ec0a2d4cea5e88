"""Normalization steps against fixture pairs: ``<case>.in.md`` must become ``<case>.out.md``.

Also checked for every case: normalizing twice changes nothing, the output has no
indented code block the input did not mean (four-space nested lists), and every
step is documented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.importers.settings import load
from kbtool.markdown.parser import parser
from kbtool.normalize.language import detect_language
from kbtool.normalize.pipeline import STEPS, normalize_body, normalize_title
from tests.conftest import FIXTURES, RAW

CASES = sorted((FIXTURES / "normalize").glob("*.in.md"))


def expected_of(case: Path) -> str:
    return case.with_name(case.name.replace(".in.md", ".out.md")).read_text("utf-8").rstrip("\n")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".in.md"))
def test_case(case: Path) -> None:
    out = normalize_body(case.read_text("utf-8"))
    assert out == expected_of(case)
    assert normalize_body(out) == out


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".in.md"))
def test_no_accidental_code_blocks(case: Path) -> None:
    tokens = parser().parse(normalize_body(case.read_text("utf-8")))
    assert not [t for t in tokens if t.type == "code_block"]


def test_seed_002_nested_lists_stay_lists() -> None:
    text = next(RAW.glob("002_*.txt")).read_text("utf-8")
    tokens = parser().parse(normalize_body(text))
    assert not [t for t in tokens if t.type == "code_block"]
    depth = max(t.level for t in tokens if t.type == "bullet_list_open")
    assert depth >= 4  # three levels of nesting survive


def test_every_step_is_documented() -> None:
    for step in STEPS:
        assert step.__doc__ and step.__doc__.strip(), step.__name__


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("1. <a id=1>Глубокое обучение</a>", "1. Глубокое обучение"),
        ("**What is BLEU?**", "What is BLEU?"),
        ("Transformers (Статьи: <u>оригинал хабр</u>)", "Transformers (Статьи: оригинал хабр)"),
        ("RNN $ h_{t-1} $", "RNN $h_{t-1}$"),
    ],
)
def test_title(raw: str, title: str) -> None:
    assert normalize_title(raw) == title


@pytest.mark.parametrize(
    ("line", "private"),
    [
        ("если снова спросят про зп - скажи что от 100к", True),
        ("Зарплатная вилка обсуждалась", True),
        ("my salary expectations", True),
        ("звоните +7 (912) 345-67-89", True),
        ("mail me: someone@corpmail.ru", True),
        ("mail me: someone@example.com", False),
        ("Свертка 128х128х128 -> 64х64х256", False),
        ("train 70% / dev 20% / test 10%", False),
        ("Adam: $\\beta_1 = 0.9$", False),
    ],
)
def test_default_privacy_patterns(line: str, private: bool) -> None:
    assert load({}).is_private(line) is private


LANGUAGE_CASES = yaml.safe_load((FIXTURES / "language" / "cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", LANGUAGE_CASES, ids=lambda c: f"{c['lang']}:{c['text'][:24]}")
def test_language(case: dict[str, str]) -> None:
    assert detect_language(case["text"]) == case["lang"]


PIECES = st.sampled_from(
    [
        *("- item", "    - nested", "1. one", "# H", "#### h4", "text", "", "   ", "$ x^2 $"),
        *("\\(a\\)", "line \\", "```", "| a | b |", "<a id=1>T</a>", "[[x#y|z]]", "  - two"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12))
def test_normalizing_twice_changes_nothing(parts: list[str]) -> None:
    once = normalize_body("\n".join(parts))
    assert normalize_body(once) == once
