"""The one placeholder list: lint (KB201) and import agree on what is no answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kbtool.placeholders import SCAFFOLD, is_placeholder, is_unanswered

CASES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "placeholders" / "cases.yml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("text", CASES["placeholder"])
def test_placeholder(text: str) -> None:
    assert is_placeholder(text)
    assert is_unanswered(f"## Details\n\n{text}\n")


@pytest.mark.parametrize("text", CASES["answer"])
def test_answer(text: str) -> None:
    assert not is_placeholder(text)
    assert not is_unanswered(text)


def test_scaffold_answer_is_a_placeholder() -> None:
    assert is_placeholder(SCAFFOLD)


def test_long_body_is_an_answer() -> None:
    assert not is_unanswered("TODO\n\n" + "word " * 100)
