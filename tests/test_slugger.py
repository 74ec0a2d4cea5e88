"""Golden tests of heading slugs: GitHub's behaviour, via github-slugger's fixtures and
a table of Markdown headings (Cyrillic, ё, emoji, punctuation, inline markup, repeats)."""

from __future__ import annotations

import json

import pytest

from kbtool.lint.facts import extract
from kbtool.markdown.document import parse
from kbtool.markdown.slugger import Slugger, normalize_fragment, slug
from tests.conftest import FIXTURES

SLUGGER = FIXTURES / "slugger"


def test_github_slugger_fixtures_in_order() -> None:
    data = json.loads((SLUGGER / "github-slugger.json").read_text(encoding="utf-8"))
    slugger = Slugger()
    got = [(case["name"], slugger.slug(case["input"])) for case in data["cases"]]
    assert got == [(case["name"], case["expected"]) for case in data["cases"]]


def test_heading_table() -> None:
    text = (SLUGGER / "headings.md").read_text(encoding="utf-8")
    expected = (SLUGGER / "headings.expected").read_text(encoding="utf-8").split()
    facts = extract(parse(text), 1, 0)
    assert [h.slug for h in facts.headings] == expected


@pytest.mark.parametrize(
    ("fragment", "heading"),
    [
        ("%D0%B3%D1%80%D0%B0%D0%B4%D0%B8%D0%B5%D0%BD%D1%82", "Градиент"),
        ("градиент", "Градиент"),
        ("%C3%A9t%C3%A9", "Été"),
    ],
)
def test_raw_and_percent_encoded_fragments_are_equal(fragment: str, heading: str) -> None:
    assert normalize_fragment(fragment) == slug(heading)


def test_headings_inside_code_are_not_headings() -> None:
    text = "```\n# not a heading\n```\n\n    # indented code\n\n# Real\n"
    facts = extract(parse(text), 1, 0)
    assert [(h.text, h.line) for h in facts.headings] == [("Real", 7)]
