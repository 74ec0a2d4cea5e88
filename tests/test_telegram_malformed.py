"""Telegram exports whose fields hold values of a wrong type: never a crash.

Data-driven over ``tests/fixtures/attack/telegram/cases.yaml``: each export has one
good message and one whose ``href``, ``date_unixtime``, ``date``, text entities, id
or reply is of a wrong type (or an HTML date like 31.02.2024). Each is imported with
a warning naming the file and the message; the good message always is. A property
test puts any JSON value into any field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtool.importers import pipeline
from kbtool.importers import settings as import_settings
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
CASES_DIR = FIXTURES / "attack" / "telegram"
CASES: list[dict[str, Any]] = yaml.safe_load((CASES_DIR / "cases.yaml").read_text("utf-8"))
TRUNCATED = FIXTURES / "bad" / "telegram-truncated.json"


def no_crash(code: int, out: str, err: str) -> None:
    assert code != 3, err
    assert "Traceback" not in out + err and "internal error" not in err


def test_every_fixture_has_a_case() -> None:
    listed = {case["file"] for case in CASES}
    present = {p.name for p in CASES_DIR.iterdir() if p.suffix in {".json", ".html"}}
    assert listed == present


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_field_of_a_wrong_type_is_a_warning(
    case: dict[str, Any], kb: Runner, tmp_path: Path
) -> None:
    source = tmp_path / case["file"]
    shutil.copy(CASES_DIR / case["file"], source)
    report = tmp_path / "report.json"
    code, out, err = kb(
        "import", str(source), "--notes", str(tmp_path / "notes"), "--report", str(report)
    )
    no_crash(code, out, err)
    assert code == 0, err
    assert f"warning: {source}: {case['warning']}\n" in err, err
    assert len(list((tmp_path / "notes").rglob("*.md"))) == case["entries"]
    dropped = json.loads(report.read_text("utf-8"))["sources"][0]["dropped"]
    malformed = [d for d in dropped if d["reason"] == "malformed"]
    if case.get("left_out"):
        assert len(malformed) == 1 and malformed[0]["refs"] == ["2"]
        assert f"message 2: {malformed[0]['note']}; left out" == case["warning"]
    else:
        assert not malformed


def test_bad_sources_never_stop_the_batch(kb: Runner, tmp_path: Path) -> None:
    """Every malformed export, plus one cut off mid-string, in one import: the cut-off
    one is the only failure (exit 2, named), every other source is imported."""
    raw = tmp_path / "raw"
    shutil.copytree(CASES_DIR, raw)
    (raw / "cases.yaml").unlink()
    shutil.copy(TRUNCATED, raw / TRUNCATED.name)
    report = tmp_path / "report.json"
    code, out, err = kb("import", str(raw), "--notes", str(tmp_path / "notes"), "--report", report)
    no_crash(code, out, err)
    assert code == 2
    assert re.findall(r"^error: (\S+?):", err, re.M) == [str(raw / TRUNCATED.name)]
    data = json.loads(report.read_text("utf-8"))
    assert data["summary"]["failed"] == 1
    assert len(data["sources"]) == len(CASES)
    titles = {
        p.read_text("utf-8").split("title: ")[1].split("\n")[0]
        for p in (tmp_path / "notes").rglob("*.md")
    }
    assert {"Что такое градиент?", "What is dropout?", "What is batch normalization?"} <= titles


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "0", "1715612711", "100000000000000000000", "31.02.2024"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
MESSAGE_FIELDS = [
    "id",
    "type",
    "date",
    "date_unixtime",
    "text",
    "text_entities",
    "reply_to_message_id",
    "poll",
    "action",
    "media_type",
    "photo",
]
PART_FIELDS = ["type", "text", "href", "language", "collapsed"]


@st.composite
def broken_export(draw: st.DrawFn) -> str:
    good = {
        "id": 1,
        "type": "message",
        "date_unixtime": "1715612711",
        "text_entities": [{"type": "plain", "text": "Что такое градиент?\nВектор."}],
    }
    bad: dict[str, Any] = {
        "id": 2,
        "type": "message",
        "date_unixtime": "1715680800",
        "text_entities": [{"type": "text_link", "text": "What is dropout?", "href": "https://x"}],
    }
    for name in draw(st.lists(st.sampled_from(MESSAGE_FIELDS), min_size=1, max_size=3)):
        bad[name] = draw(JSON_VALUES)
    entities = bad.get("text_entities")
    if isinstance(entities, list) and entities and isinstance(entities[0], dict):
        for name in draw(st.lists(st.sampled_from(PART_FIELDS), max_size=2)):
            entities[0][name] = draw(JSON_VALUES)
    chat_id = draw(st.one_of(st.just(1001), JSON_VALUES))
    return json.dumps(
        {"name": "c", "type": "public_channel", "id": chat_id, "messages": [good, bad]}
    )


@settings(max_examples=150, deadline=None)
@given(data=broken_export())
def test_any_value_in_any_field_never_crashes(data: str) -> None:
    """Whatever a field holds, the export is imported with no error, and the good
    message is an entry unless the chat itself is broken."""
    with tempfile.TemporaryDirectory() as name:
        _import_and_check(data, Path(name))


def _import_and_check(data: str, folder: Path) -> None:
    source = folder / "result.json"
    source.write_text(data, "utf-8")
    request = pipeline.ImportRequest(
        sources=[source],
        notes=folder / "notes",
        settings=import_settings.load({}),
        cwd=folder,
        fmt="telegram-json",
        today=dt.date(2024, 1, 1),
    )
    report = pipeline.run(request)
    assert not report.errors
    chat_id = json.loads(data)["id"]
    if isinstance(chat_id, int | str) and not isinstance(chat_id, bool):
        titles = [p.read_text("utf-8") for p in (folder / "notes").rglob("*.md")]
        assert any("Что такое градиент?" in text for text in titles)
