"""Photos of Telegram posts: a channel's diagram or formula is often the answer, so the
picture the export saved beside its messages goes into the entry, after the text, and is
copied into the base (fixture: ``tests/fixtures/import/telegram-media/``, the same posts
as ``result.json`` and as ``messages.html``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.markdown.document import parse
from kbtool.store import entry_file
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
EXPORT = FIXTURES / "import" / "telegram-media"


@pytest.mark.parametrize("name", ["result.json", "messages.html"])
def test_a_post_photo_is_copied_into_the_entry(name: str, kb: Runner, tmp_path: Path) -> None:
    code, _out, err = kb("import", EXPORT / name, "--notes", tmp_path / "kb")
    assert code == 0, err
    read = {path: entry_file.read(path) for path in (tmp_path / "kb").rglob("*.md")}
    bodies = {entry.entry.title: entry.body for entry in read.values()}
    [folder] = {path.parent for path, e in read.items() if e.entry.title.startswith("Как")}
    with_photo = bodies["Как выглядит матрица ошибок?"]
    [picture] = [link for link in parse(with_photo).links if link.kind == "image"]
    copied = (folder / picture.target).resolve()
    assert copied.parent == (tmp_path / "kb" / "assets").resolve()
    assert (
        copied.read_bytes() == (EXPORT / "photos" / "photo_2@02-03-2024_10-05-00.jpg").read_bytes()
    )
    assert with_photo.index("На картинке.") < with_photo.index("![")  # after the text
    # exported without its photo ("File not included"): the text alone, nothing missing
    assert "![" not in bodies["Что такое PR-кривая?"]
    code, out, _err = kb("lint", "--notes", tmp_path / "kb", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_a_photo_with_no_text_is_left_out_as_media(kb: Runner, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    code, _out, err = kb(
        "import", EXPORT / "result.json", "--notes", tmp_path / "kb", "--report", report
    )
    assert code == 0, err
    [source] = json.loads(report.read_text("utf-8"))["sources"]
    assert [(d["reason"], d["units"]) for d in source["dropped"]] == [("media", [4])]
