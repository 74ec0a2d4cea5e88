"""Which titles ask a question on their own: the test import's duplicate check,
lint's duplicate-question and stats share (cases in ``fixtures/titles/``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kbtool.importers.existing import fold_title
from kbtool.lint.facts import duplicate_key, question_key
from kbtool.titles import stands_alone

CASES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "titles" / "stands-alone.yml").read_text("utf-8")
)


@pytest.mark.parametrize("title", CASES["alone"])
def test_a_title_that_stands_alone(title: str) -> None:
    assert stands_alone(fold_title(title))
    assert duplicate_key(title) == question_key(title) != ""


@pytest.mark.parametrize("title", CASES["needs its note"])
def test_a_title_that_needs_its_note(title: str) -> None:
    assert not stands_alone(fold_title(title))
    assert duplicate_key(title) == ""
