"""Which titles ask a question on their own: the test import's duplicate check,
lint's duplicate-question and stats share (cases in ``fixtures/titles/``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kbtool.importers.existing import fold_title
from kbtool.lint.facts import duplicate_key, question_key
from kbtool.titles import same_numbers, stands_alone

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


@pytest.mark.parametrize("pair", CASES["different numbers"])
def test_titles_with_other_numbers_are_other_questions(pair: list[str]) -> None:
    """Alike enough to pass the similarity threshold, and still two questions."""
    from kbtool.lint.similar import SimilarQuestions

    one, other = (question_key(title) for title in pair)
    assert not same_numbers(*pair)
    for exhaustive in (True, False):
        assert SimilarQuestions([one, other], 90, exhaustive).similar(one) == []


@pytest.mark.parametrize("pair", CASES["same numbers"])
def test_titles_with_the_same_numbers_in_any_order(pair: list[str]) -> None:
    assert same_numbers(*pair)


LINKS = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "titles" / "links.yml").read_text("utf-8")
)


@pytest.mark.parametrize("case", LINKS, ids=lambda case: case["markdown"])
def test_a_titles_links_are_cut_or_named_never_lost(case: dict[str, object]) -> None:
    """A link that only cites a source at a title's end is no part of the title, the
    words of another stay in it; the body keeps both (``entry_decisions``)."""
    from kbtool.importers.entry_decisions import with_title_links
    from kbtool.titles import title_links, title_text

    found = title_links(str(case["markdown"]))
    assert title_text(found.markdown) == case["title"]
    assert list(found.cited) == case["cited"]
    assert list(found.named) == case["named"]
    body = with_title_links("The answer.", found)
    for link in [*found.cited, *found.named]:
        assert link in body
