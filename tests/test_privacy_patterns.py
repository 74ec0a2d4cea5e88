"""The privacy patterns, shared by import and ``KB204 private-content``, are precise as
well as complete: every line of ``tests/fixtures/privacy/private.txt`` is private to both,
no line of ``not_private.txt`` is to either."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool import privacy
from kbtool.importers import settings as import_settings
from kbtool.model import schema_files as schemas
from tests.conftest import FIXTURES

CASES = FIXTURES / "privacy"
IMPORT = import_settings.load({})


def _lines(name: str) -> list[str]:
    text = (CASES / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("line", _lines("private.txt"))
def test_private(line: str) -> None:
    assert IMPORT.is_private(line), "import keeps it"
    assert privacy.find(line), "lint reports it"


@pytest.mark.parametrize("line", _lines("not_private.txt"))
def test_not_private(line: str) -> None:
    assert not IMPORT.is_private(line), privacy.find(line)
    assert privacy.find(line) == []


def test_configured_patterns_replace_the_defaults() -> None:
    own = import_settings.load({"private": ["NDA"]})
    assert own.is_private("под NDA") and not own.is_private("зп 300к")
    assert not own.is_private("https://example.org/NDA")  # URLs are not text


PIECES = st.sampled_from(
    [*"зпЗПaxь8+7.,-@()_ 1234567890кk$", "тыс", "salary", "оклад", "https://x.org/", "\t"]
)


@settings(max_examples=1000)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_the_quick_path_agrees_with_the_patterns(line: str) -> None:
    """``is_private`` skips patterns by substring tests; it must find what they find."""
    text = privacy.without_urls(line)
    plain = any(
        privacy.accepts(label, text, match)
        for label, pattern in privacy.COMPILED
        for match in pattern.finditer(text)
    )
    assert privacy.is_private(line) == plain


def test_lint_reports_every_line_once(tmp_path: Path) -> None:
    text = "\n".join(_lines("private.txt"))
    lines = {text[: f.start].count("\n") for f in privacy.find(text)}
    assert lines == set(range(len(_lines("private.txt"))))


def test_priv_md_keeps_every_line(
    kb: Callable[..., tuple[int, str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``realworld-priv.md`` (from ../shared/realworld): 2 answered questions, no line kept out."""
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "report.json"
    source = CASES / "realworld-priv.md"
    code, out, err = kb(
        "import", source, "--format", "qa-markdown", "--notes", "notes", "--report", report
    )
    assert code == 0, err
    assert "0 private line(s) kept out" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(data, schemas.load_schema("import-report"))
    (found,) = data["sources"]
    assert [e["status"] for e in found["entries"]] == ["answered", "answered"]
    assert {d["reason"] for d in found["dropped"]} == {"empty"}
    bodies = "".join(p.read_text("utf-8") for p in (tmp_path / "notes").rglob("*.md"))
    assert "10k updates per epoch" in bodies and "100k pairs" in bodies


def test_summary_counts_private_lines(
    kb: Callable[..., tuple[int, str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "q.md"
    source.write_text(
        "## What is SGD?\n\nStochastic gradient descent.\nМне предложили 300к на руки.\n"
        "Звоните +7 (999) 123-45-67\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    code, out, err = kb(
        "import", source, "--format", "qa-markdown", "--notes", "notes", "--report", report
    )
    assert code == 0, err
    assert "2 private line(s) kept out" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["private_lines"] == 2
    private = [d for d in data["sources"][0]["dropped"] if d["reason"] == "private"]
    assert sorted(u for d in private for u in d["units"]) == [4, 5]
