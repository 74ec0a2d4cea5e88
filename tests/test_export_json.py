"""JSON export: schema-valid, deterministic, math intact, anchors resolve, nothing active."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from kbtool.export.render import render_markdown
from kbtool.model import schema_files as schemas
from kbtool.store import entry_file
from tests.conftest import FIXTURES

BASE = FIXTURES / "export" / "base"
ENTRY_FILES = sorted(BASE.rglob("*.md"))
Kb = Callable[..., tuple[int, str, str]]


@pytest.fixture
def exported(kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")
    out = tmp_path / "kb.json"
    code, _, err = kb("export", "json", "--notes", BASE, "--out", out)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_output_validates_against_checked_in_schema(exported: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schemas.load_schema("export")).validate(exported)
    assert len(exported["entries"]) == len(ENTRY_FILES)


def test_reproducible_with_source_date_epoch(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert kb("export", "json", "--notes", BASE, "--out", first)[0] == 0
    assert kb("export", "json", "--notes", BASE, "--out", second)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8"))["generated"] == "2024-05-01T00:00:00Z"


def test_sorted_by_topic_then_id(exported: dict[str, Any]) -> None:
    keys = [(e["front_matter"]["topic"], e["front_matter"]["id"]) for e in exported["entries"]]
    assert keys == sorted(keys)


@pytest.mark.parametrize("path", ENTRY_FILES, ids=lambda p: p.stem)
def test_front_matter_and_markdown_round_trip(exported: dict[str, Any], path: Path) -> None:
    doc = entry_file.read(path)
    (item,) = [e for e in exported["entries"] if e["front_matter"]["id"] == doc.entry.id]
    assert item["front_matter"] == doc.entry.model_dump(mode="json", exclude_none=True)
    assert item["answer_markdown"] == doc.body
    assert item["path"] == path.relative_to(BASE).as_posix()


def test_math_is_kept_intact_and_never_emphasis(exported: dict[str, Any]) -> None:
    by_id = {e["front_matter"]["id"]: e for e in exported["entries"]}
    html = by_id["what-is-bleu"]["answer_html"]
    assert r"\(a_1 * b_2 * c_3\)" in html  # `*` inside math is not emphasis
    assert r"\(BLEU = BP \cdot \exp\left(\sum_n w_n \log p_n\right)\)" in html
    assert r"\[ROUGE\text{-}N = \frac{" in html
    for math in re.findall(r"\\\((.*?)\\\)", html):
        assert "<em>" not in math


def test_every_fragment_link_resolves_to_a_heading_id(exported: dict[str, Any]) -> None:
    """Anchors use the linter's slugger: every #fragment in the base lands on an id."""
    by_path = {e["path"]: e for e in exported["entries"]}
    checked = 0
    for item in exported["entries"]:
        for link in item["links"]:
            parts = urlsplit(link)
            if parts.scheme or not parts.fragment:
                continue
            folder = Path(item["path"]).parent
            target = item["path"]
            if parts.path:
                target = os.path.normpath(folder / unquote(parts.path)).replace(os.sep, "/")
            ids = re.findall(r'id="([^"]+)"', by_path[target]["answer_html"])
            assert unquote(parts.fragment) in ids, (item["path"], link)
            checked += 1
    assert checked >= 3


def test_repeated_headings_get_github_suffixes(exported: dict[str, Any]) -> None:
    by_id = {e["front_matter"]["id"]: e for e in exported["entries"]}
    ids = re.findall(r'<h2 id="([^"]+)"', by_id["attention-mechanism"]["answer_html"])
    assert ids == ["формула", "формула-1"]


@pytest.mark.parametrize(
    "needle",
    [
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<object",
        "<embed",
        "<style",
        "file://",
        "etc/passwd",
    ],
)
def test_no_active_content_or_escape_in_any_html(exported: dict[str, Any], needle: str) -> None:
    for item in exported["entries"]:
        assert needle not in item["answer_html"].lower(), item["path"]


def test_images_inside_the_base_are_listed_relative_to_it(exported: dict[str, Any]) -> None:
    by_id = {e["front_matter"]["id"]: e for e in exported["entries"]}
    assert by_id["what-is-bleu"]["images"] == ["nlp/img/bleu-diagram.png"]
    assert 'src="nlp/img/bleu-diagram.png"' in by_id["what-is-bleu"]["answer_html"]
    assert by_id["attention-mechanism"]["images"] == []  # missing and outside: left out


def test_symlink_out_of_the_base_is_refused(tmp_path: Path) -> None:
    base = tmp_path / "base"
    (base / "t").mkdir(parents=True)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG secret")
    (base / "t" / "pic.png").symlink_to(secret)
    rendered = render_markdown("![x](pic.png)", base=base, folder=base / "t", display="t/e.md")
    assert rendered.images == []
    assert "secret" not in rendered.html
    assert "outside the knowledge base" in rendered.warnings[0]


def test_bad_source_date_epoch_is_a_usage_error(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = kb("export", "json", "--notes", BASE, "--out", tmp_path / "kb.json")
    assert code == 2
    assert "SOURCE_DATE_EPOCH" in err
    assert not (tmp_path / "kb.json").exists()


def test_base_copy_keeps_output_stable(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export depends on content, not on where the base lives."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    copy = tmp_path / "copy"
    shutil.copytree(BASE, copy)
    kb("export", "json", "--notes", BASE, "--out", tmp_path / "a.json")
    kb("export", "json", "--notes", copy, "--out", tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_cached_export_follows_files_around_the_entry(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second export (warm cache) equals a fresh one, and notices a removed image."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    shutil.copytree(BASE, tmp_path / "notes")
    (tmp_path / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    kb("export", "json", "--out", "cold.json")
    assert (tmp_path / ".kbtool-cache" / "export.marshal").is_file()
    kb("export", "json", "--out", "warm.json")
    assert (tmp_path / "cold.json").read_bytes() == (tmp_path / "warm.json").read_bytes()

    (tmp_path / "notes" / "nlp" / "img" / "bleu-diagram.png").unlink()
    code, _, err = kb("export", "json", "--out", "after.json")
    assert code == 0
    assert "what-is-bleu.md:31: image 'img/bleu-diagram.png' not found" in err
    bleu = next(
        e
        for e in json.loads((tmp_path / "after.json").read_text())["entries"]
        if e["front_matter"]["id"] == "what-is-bleu"
    )
    assert (
        bleu["images"] == [] and "<img" in bleu["answer_html"] and "src=" not in bleu["answer_html"]
    )
