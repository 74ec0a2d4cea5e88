"""Obsidian's line breaks on import (``kbtool.importers.line_breaks``), from the fixtures
of ``tests/fixtures/import/line-breaks/``:

- ``cases.yaml``: one body before and after, where a single newline becomes a hard
  break and where it must not (code, math, tables, HTML, headings, list markers);
- ``choices.yaml``: which sources get Obsidian's breaks on auto-detect, by setting,
  configuration and option;
- ``lecture.md``: lecture notes imported and exported to JSON, whose HTML has ``<br>``
  where Obsidian shows a break and none in code or math (``lecture.expected.yaml``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.importers.line_breaks import keep_breaks
from kbtool.markdown.breaks import soft_breaks
from kbtool.markdown.parser import parser
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "import" / "line-breaks"
CASES = yaml.safe_load((FOLDER / "cases.yaml").read_text("utf-8"))["cases"]
CHOICES = yaml.safe_load((FOLDER / "choices.yaml").read_text("utf-8"))["cases"]
Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    after, breaks, skipped = keep_breaks(case["before"])
    assert (after, breaks) == (case["after"], case["breaks"])
    assert (skipped.reason if skipped else None) == case.get("skipped")
    if skipped is None:
        assert keep_breaks(after) == (after, 0, None)  # nothing left to break


def _html(text: str) -> str:
    return str(parser().render(text))


def _same_but_breaks(html: str) -> str:
    return re.sub(r"[ \t]+\n", "\n", html.replace("<br />\n", "\n"))


PIECES = (
    *("a", "b c", "`", "``", "$", "$$", "\\", "*", "**", "_", "[", "]", "(", ")", "<span>"),
    *("</span>", "<br>", "<!--", "-->", "|", "- ", "1. ", "> ", "#", "=", "---", "    "),
    *("  ", " ", "\t", "http://x.y", "<http://x>", "&amp;", "!", "[[", "]]", "~~"),
)
pieces = st.sampled_from(PIECES)
documents = st.lists(st.lists(pieces, max_size=6).map("".join), min_size=1, max_size=6).map(
    "\n".join
)


@settings(max_examples=300, deadline=None)
@given(text=documents)
def test_only_breaks_change(text: str) -> None:
    """Rendered, the result is the source with ``<br>`` added, one per break counted;
    or, where a break would change more (``~~\\`` may open a strikethrough that
    ``~~`` at a line end does not), the body as it was, and why."""
    after, breaks, skipped = keep_breaks(text)
    if skipped is not None:
        assert (after, breaks, skipped.step) == (text, 0, "obsidian_line_breaks")
        return
    before_html, after_html = _html(text), _html(after)
    assert _same_but_breaks(after_html) == _same_but_breaks(before_html)
    assert after_html.count("<br />") == before_html.count("<br />") + breaks
    assert breaks == len([b for b in soft_breaks(text) if not b.where])


@pytest.mark.parametrize("case", CHOICES, ids=[c["name"] for c in CHOICES])
def test_choice(
    case: dict[str, Any], kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if "config" in case:
        table = "".join(f'{key} = "{value}"\n' for key, value in case["config"].items())
        (tmp_path / "kbtool.toml").write_text(f"[import]\n{table}", "utf-8")
    source = (FOLDER / case["source"]).resolve()
    code, out, err = kb(
        "import", source, *case.get("args", []), "--notes", "notes", "--report", "r.json"
    )
    assert code == 0, err
    report = json.loads(Path("r.json").read_text("utf-8"))
    shown = [s["line_breaks"] for s in report["sources"]]
    assert len(shown) == len(case["expect"])
    for got, want in zip(shown, case["expect"], strict=True):
        assert got.startswith(want), got
    assert report["summary"]["hard_breaks"] == case["hard_breaks"]
    kept = f", {case['hard_breaks']} line break(s) kept as the notes' app shows them"
    assert (kept in out) == bool(case["hard_breaks"]), out


def test_a_bad_setting_is_a_config_error(
    kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kbtool.toml").write_text('[import]\nline_breaks = "github"\n', "utf-8")
    code, _out, err = kb("import", FOLDER / "lecture.md", "--notes", tmp_path / "notes")
    assert code == 2
    assert "line_breaks must be one of auto, obsidian, commonmark, not 'github'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("mode", ["auto", "commonmark"])
def test_exported_html_breaks_where_obsidian_does(
    mode: str, kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lecture notes in, JSON out: ``<br>`` where Obsidian shows a break, none in code
    or math; with ``--line-breaks commonmark``, no ``<br>`` at all."""
    monkeypatch.chdir(tmp_path)
    expected = yaml.safe_load((FOLDER / "lecture.expected.yaml").read_text("utf-8"))
    code, _out, err = kb("import", FOLDER / "lecture.md", "--line-breaks", mode, "--notes", "notes")
    assert code == 0, err
    code, _out, err = kb("export", "json", "--notes", "notes", "--out", "kb.json")
    assert code == 0, err
    html = {e["front_matter"]["id"]: e["answer_html"] for e in _entries(Path("kb.json"))}
    assert set(html) == set(expected["entries"])
    for entry_id, want in expected["entries"].items():
        if mode == "commonmark":
            assert "<br" not in html[entry_id]
            continue
        assert html[entry_id].count("<br>") == want["breaks"]
        for fragment in want["html"]:
            assert fragment in html[entry_id], (entry_id, fragment, html[entry_id])
        for fragment in want.get("absent", []):
            assert fragment not in html[entry_id]


def _entries(path: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["entries"]
    return entries


def test_option_choices_match_the_setting() -> None:
    from kbtool.commands.import_ import LINE_BREAKS
    from kbtool.importers import settings

    assert LINE_BREAKS == settings.LINE_BREAKS
