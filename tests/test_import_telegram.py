"""Telegram importers against fixture exports: each ``<case>.expected.yaml`` says what to get.

Cases live in ``tests/fixtures/import/telegram-<format>/``; a case is a source file
(or the ``source:`` named in its expected file) plus the expected titles, bodies,
tags, refs, dates, drop counts and warnings. Every case also checks that each
unit is accounted for exactly once and that detection picks the right format.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.errors import InputError
from kbtool.importers import registry
from kbtool.importers.base import ImportOptions, ParseResult, RawEntry
from kbtool.store.text import read_text
from tests.conftest import FIXTURES, RAW, ROOT

FORMATS = ("telegram-text", "telegram-json", "telegram-html")
SOURCE_SUFFIXES = {".txt", ".json", ".html"}


def _cases() -> list[Any]:
    cases = []
    for fmt in FORMATS:
        folder = FIXTURES / "import" / fmt
        for expected_path in sorted(folder.glob("*.expected.yaml")):
            case = expected_path.name.removesuffix(".expected.yaml")
            expected = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
            if "source" in expected:
                named = folder / expected["source"]
                source = named if named.exists() else ROOT / expected["source"]
            else:
                source = next(p for p in folder.glob(f"{case}.*") if p.suffix in SOURCE_SUFFIXES)
            cases.append(pytest.param(fmt, source, expected, id=f"{fmt}/{case}"))
    return cases


def _options(expected: dict[str, Any]) -> ImportOptions:
    pattern = expected.get("private")
    if not pattern:
        return ImportOptions()
    return ImportOptions(is_private=lambda line: re.search(pattern, line) is not None)


def _check_entry(entry: RawEntry, want: dict[str, Any]) -> None:
    assert entry.title == want["title"]
    if "body" in want:
        assert entry.body == want["body"]
    if "body_startswith" in want:
        assert entry.body.startswith(want["body_startswith"])
    if "tags" in want:
        assert entry.tags == want["tags"]
    for key in ("ref", "lines", "topic"):
        if key in want:
            value = getattr(entry, key)
            assert (list(value) if isinstance(value, tuple) else value) == want[key]
    if "date" in want:
        assert entry.date is not None and entry.date.isoformat() == want["date"]
    if "answered" in want:
        assert bool(entry.answered) is want["answered"]
    if "left_out" in want:
        assert entry.left_out == want["left_out"]


def _check_coverage(result: ParseResult) -> None:
    units = [u for entry in result.entries for u in entry.units]
    units += [u for drop in result.dropped for u in drop.units]
    assert Counter(units) == Counter(range(1, result.total_units + 1)), "each unit exactly once"


@pytest.mark.parametrize(("fmt", "source", "expected"), _cases())
def test_fixture(fmt: str, source: Path, expected: dict[str, Any]) -> None:
    text = read_text(source)
    importer = registry.get(fmt)
    scores = {other: registry.get(other).detect(text, source) for other in FORMATS}
    assert scores[fmt] > 0 and scores[fmt] == max(scores.values()), scores
    if "error" in expected:
        with pytest.raises(InputError) as caught:
            importer.parse(text, source, _options(expected))
        message = str(caught.value)
        assert str(source) in message and caught.value.hint
        assert caught.value.line == expected["error"].get("line")
        for part in expected["error"]["contains"]:
            assert part in message
        return
    result = importer.parse(text, source, _options(expected))
    assert result.total_units == expected["total_units"]
    assert len(result.entries) == len(expected["entries"])
    for entry, want in zip(result.entries, expected["entries"], strict=True):
        _check_entry(entry, want)
    dropped: Counter[str] = Counter()
    for drop in result.dropped:
        dropped[drop.reason.value] += len(drop.units)
    assert dict(dropped) == expected["dropped"]
    if "dropped_refs" in expected:
        assert sorted(r for d in result.dropped for r in d.refs) == sorted(expected["dropped_refs"])
    assert len(result.warnings) == expected["warnings"], result.warnings
    for part in expected.get("warnings_contain", []):
        assert any(part in warning for warning in result.warnings), (part, result.warnings)
    for word in expected.get("body_excludes", []):
        assert all(word not in f"{e.title}\n{e.body}" for e in result.entries), word
    _check_coverage(result)


@pytest.mark.parametrize("seed", sorted(p.name for p in RAW.glob("00[02-9]_*.txt")))
def test_other_seed_notes_are_not_telegram(seed: str) -> None:
    """The Markdown seeds (outline, Q&A, lectures) must not be claimed by a Telegram importer."""
    text = read_text(RAW / seed)
    assert [registry.get(fmt).detect(text, RAW / seed) for fmt in FORMATS] == [0, 0, 0]


@pytest.mark.parametrize("name", ["single_chat.json", "entities.json"])
def test_json_detect_ignores_the_file_name(name: str, tmp_path: Path) -> None:
    """Detection reads content: a renamed export is still found, a .json that is not one is not."""
    text = read_text(FIXTURES / "import" / "telegram-json" / name)
    json_importer = registry.get("telegram-json")
    assert json_importer.detect(text, tmp_path / "export.txt") > 0.5
    assert json_importer.detect('{"messages_count": 3}', tmp_path / "result.json") == 0


def test_private_lines_leave_json_messages(tmp_path: Path) -> None:
    """A flagged line is cut from a message; a message of only such lines is dropped as private."""
    source = FIXTURES / "import" / "telegram-json" / "full_export.json"
    options = ImportOptions(is_private=lambda line: "шум" in line or "bias" in line)
    result = registry.get("telegram-json").parse(read_text(source), source, options)
    assert [e.title for e in result.entries] == [
        "Что такое переобучение?",
        "Зачем нужна нормализация батча?",
    ]
    assert result.entries[0].body == "" and result.entries[0].private_lines == 1
    assert result.entries[0].left_out == ["message 10: 1 private line(s) left out"]
    assert [d.refs for d in result.dropped if d.reason == "private"] == [("3",)]
    _check_coverage(result)


# Lines that look like every kind of thing a channel page has, shuffled at random.
PAGE_LINES = st.sampled_from(
    [
        "",
        "Канал",
        "4.26K subscribers",
        "Download Telegram",
        "Что такое дропаут?",
        "Случайное отключение нейронов.",
        "#глубокое_обучение",
        "#NLP #ml",
        "👍11",
        "7👍1",
        "1.2K views",
        "10:45",
        "Forwarded from Канал",
        "https://t.me/x/1",
        "зарплата 300к",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PAGE_LINES, max_size=40))
def test_text_accounts_for_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    options = ImportOptions(is_private=lambda line: "зарплат" in line)
    result = registry.get("telegram-text").parse(text, Path("page.txt"), options)
    _check_coverage(result)
    assert all(e.title.strip() and "зарплат" not in e.title + e.body for e in result.entries)


ENTITY = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["plain", "bold", "italic", "code", "pre", "hashtag", "blockquote"]
        ),
        "text": st.text(st.sampled_from("аб #\n*`x"), max_size=12),
    }
)
MESSAGE = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["message", "message", "service"]),
        "text_entities": st.lists(ENTITY, max_size=6),
    },
    optional={"photo": st.just("photo.jpg")},
)


@settings(max_examples=150, deadline=None)
@given(st.lists(MESSAGE, max_size=12))
def test_json_accounts_for_every_message(messages: list[dict[str, Any]]) -> None:
    for number, message in enumerate(messages, start=1):
        message["id"] = number
    text = json.dumps({"name": "c", "type": "public_channel", "id": 1, "messages": messages})
    result = registry.get("telegram-json").parse(text, Path("r.json"), ImportOptions())
    assert result.total_units == len(messages)
    _check_coverage(result)
    assert all(e.title.strip() for e in result.entries)


def test_html_pages_follow_numeric_order(tmp_path: Path) -> None:
    """messages10.html comes after messages9.html, not after messages1x by name."""
    from kbtool.importers.telegram_html import pages

    for name in ["messages10.html", "messages.html", "messages9.html", "messages2.html", "x.html"]:
        (tmp_path / name).write_text("", encoding="utf-8")
    names = [p.name for p in pages(tmp_path / "messages.html")]
    assert names == ["messages.html", "messages2.html", "messages9.html", "messages10.html"]
    assert pages(tmp_path / "messages9.html") == [tmp_path / "messages9.html"]


def test_a_later_page_next_to_an_unreadable_html_is_read_alone(tmp_path: Path) -> None:
    """Looking for a renamed first page reads the folder's other HTML files: one that
    cannot be decoded is no first page, and the later page is imported, not refused."""
    page = FIXTURES / "import" / "telegram-html" / "renamed" / "messages3.html"
    (tmp_path / "messages3.html").write_bytes(page.read_bytes())
    (tmp_path / "broken.html").write_bytes(b"\x00\x01<html>\xff\xfe\x00")
    source = tmp_path / "messages3.html"
    result = registry.get("telegram-html").parse(read_text(source), source, ImportOptions())
    assert [e.title for e in result.entries] == ["What is the coefficient of uniformity?"]
    assert result.warnings == []
