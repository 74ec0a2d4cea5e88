"""The normalize safety check (``kbtool.normalize.safety``) on the cases of
``tests/fixtures/normalize/safety.yml``, and its report through the pipeline."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kbtool.normalize.pipeline import normalize_checked, normalize_title
from kbtool.normalize.safety import check
from tests.conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "normalize" / "safety.yml").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_safety_case(case: dict[str, Any]) -> None:
    skipped = check(case["step"], case["before"], case["after"])
    assert (skipped is None) == case["kept"], skipped
    if skipped is not None:
        assert skipped.step == case["step"] and "would change" in skipped.reason


def test_pipeline_reports_nothing_for_a_clean_body() -> None:
    text, skipped = normalize_checked("## Why C#\n\nSee [[Note]] and $ x^2 $.\n")
    assert skipped == []
    assert text == "## Why C#\n\nSee [Note](Note.md) and $x^2$."


@pytest.mark.parametrize(
    ("raw", "title"), [("## Why C#", "Why C#"), ("# Title ##", "Title"), ("C# basics", "C# basics")]
)
def test_title_keeps_its_hash(raw: str, title: str) -> None:
    assert normalize_title(raw) == title
