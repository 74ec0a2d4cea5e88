"""The default privacy patterns are written for speed (literal first, lookbehind after
it); they must find exactly the lines the plain patterns below find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.importers.settings import DEFAULT_PRIVATE

READABLE = (
    r"(?<!\w)зп(?!\w)",
    r"зарплат",
    r"(?<!\w)оклад",
    r"(?<![\w.])\d{2,3}(?:[.,]\d)?\s?(?:к|k|тыс\.?|тысяч)(?!\w)",
    r"(?<!\w)salar(?:y|ies)(?!\w)",
    r"(?<!\w)(?:\+7|8|\+\d{1,3})[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\w)",
    r"[\w.+-]+@[\w-]+\.[\w.-]+",
)
PAIRS = [
    (re.compile(fast, re.I), re.compile(plain, re.I))
    for fast, plain in zip(DEFAULT_PRIVATE, READABLE, strict=True)
]
PIECES = st.sampled_from(
    [
        *"зпЗПaxь8+7.,-@()_ 1234567890к",
        "тыс",
        "тысяч",
        "salary",
        "Salaries",
        "оклад",
        "зарплата",
        "ex.com",
        "999 123 45 67",
        "\t",
    ]
)
LINES = st.lists(PIECES, max_size=14).map("".join)


@settings(max_examples=2000)
@given(LINES)
def test_fast_patterns_agree_with_the_plain_ones(line: str) -> None:
    for fast, plain in PAIRS:
        assert bool(fast.search(line)) == bool(plain.search(line)), (fast.pattern, line)


@pytest.mark.parametrize(
    ("line", "private"),
    [
        ("моя зп 300к", True),
        ("азп и доклад", False),
        ("Оклад 150 тыс", True),
        ("цена 1.50к", False),
        ("Salaries are discussed", True),
        ("+7 (999) 123-45-67", True),
        ("x+7 999 123 45 67", False),
        ("пишите на a.b+c@ex-ample.com", True),
        ("@channel.name", False),
    ],
)
def test_examples(line: str, private: bool) -> None:
    assert any(fast.search(line) for fast, _ in PAIRS) is private
