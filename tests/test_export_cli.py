"""``kbtool export``: formats, default paths, filters, broken entries, refusals."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES

BASE = FIXTURES / "export" / "base"
BROKEN = FIXTURES / "export" / "broken"
Kb = Callable[..., tuple[int, str, str]]


def ids(path: Path) -> list[str]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return [e["front_matter"]["id"] for e in data["entries"]]


def test_default_output_is_under_build_of_the_config_root(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BASE, tmp_path / "kb")
    (tmp_path / "kbtool.toml").write_text('notes = "kb"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # config found by walking up; paths from its folder
    code, out, err = kb("export", "json")
    assert code == 0, err
    assert (tmp_path / "build" / "kb.json").is_file()
    assert out == ""
    assert "json: 6 entries -> " in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--topic", "nlp"], {"what-is-bleu", "attention-mechanism"}),
        (
            ["--topic", "nlp,python"],
            {"what-is-bleu", "attention-mechanism", "what-is-gil", "asyncio-vs-threads"},
        ),
        (["--tag", "metrics", "--tag", "xss"], {"what-is-bleu", "hostile-html"}),
        (["--status", "draft"], {"asyncio-vs-threads"}),
        (["--topic", "python", "--status", "answered"], {"what-is-gil"}),
    ],
)
def test_filters_select_entries(
    kb: Kb, tmp_path: Path, args: list[str], expected: set[str]
) -> None:
    out = tmp_path / "kb.json"
    code, _, err = kb("export", "json", "--notes", BASE, "--out", out, *args)
    assert code == 0, err
    assert set(ids(out)) == expected


def test_broken_entry_is_skipped_with_file_and_line(kb: Kb, tmp_path: Path) -> None:
    out = tmp_path / "kb.json"
    code, _, err = kb("export", "json", "--notes", BROKEN, "--out", out)
    assert code == 0, err
    assert "warning: skipped misc/bad-status.md:7: status:" in err
    assert "1 file(s) skipped" in err
    assert ids(out) == ["what-is-gil"]


def test_links_out_of_the_base_are_refused_with_a_warning(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("export", "json", "--notes", BASE, "--out", tmp_path / "kb.json")
    assert code == 0
    for url in ("../../etc/passwd", "/etc/passwd", "file:///etc/passwd", "javascript:alert(4)"):
        assert f"={url!r}" in err, url
    assert "nlp/attention.md:31: refused img src='../../etc/passwd'" in err
    assert "image 'img/missing.png' not found" in err


def test_all_writes_the_three_defaults_into_the_out_folder(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("export", "all", "--notes", BASE, "--out-dir", tmp_path / "dist")
    assert code == 0, err
    for name in ("kb.pdf", "kb.apkg", "kb.json"):
        assert (tmp_path / "dist" / name).stat().st_size > 0, name


USAGE_ERRORS = json.loads((FIXTURES / "export" / "usage-errors.json").read_text("utf-8"))


@pytest.mark.parametrize("case", USAGE_ERRORS, ids=[case["why"] for case in USAGE_ERRORS])
def test_usage_errors_write_nothing(kb: Kb, tmp_path: Path, case: dict[str, Any]) -> None:
    """Exit 2 with a message that names the problem; the previous output stays as it was."""
    previous = tmp_path / "kb.pdf"
    previous.write_bytes(b"the good PDF of yesterday")
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in case["args"]]
    if "--out" not in args and "--out-dir" not in args:
        args += ["--out", str(previous)]
    before = sorted(tmp_path.rglob("*"))
    code, _, err = kb("export", *args, "--notes", BASE)
    assert code == 2, err
    for needle in case["says"]:
        assert needle in err, needle
    assert "Traceback" not in err and "internal error" not in err
    assert previous.read_bytes() == b"the good PDF of yesterday"
    assert sorted(tmp_path.rglob("*")) == before  # no half output, no staging folder left


def test_a_failing_format_in_all_writes_no_format(kb: Kb, tmp_path: Path) -> None:
    """The PDF fails (its only entry is one typst refuses): the deck and JSON, which
    would have been written, are not either."""
    base = tmp_path / "notes"
    failing = FIXTURES / "export" / "pdf" / "bad" / "empty-math-argument" / "misc"
    shutil.copytree(failing, base / "misc")
    code, _, err = kb("export", "all", "--notes", base, "--out-dir", tmp_path / "dist")
    assert code == 2, err
    assert "misc/raw.md:14: typst could not print the formula" in err
    assert list((tmp_path / "dist").iterdir()) == []  # json and anki were not written either


def test_drafts_stay_out_of_study_formats_unless_asked(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("export", "all", "--notes", BASE, "--out-dir", tmp_path)
    assert code == 0, err
    assert "pdf: 5 entries" in err and "anki: 5 entries" in err and "json: 6 entries" in err
    assert "1 draft(s) left out (--include-drafts)" in err
    assert "asyncio-vs-threads" in ids(tmp_path / "kb.json")
    code, _, err = kb("export", "anki", "--notes", BASE, "--out-dir", tmp_path, "--include-drafts")
    assert code == 0, err
    assert "anki: 6 entries" in err


def test_bad_anki_root_is_a_config_error(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BASE, tmp_path / "notes")
    (tmp_path / "kbtool.toml").write_text("[export]\nanki_root = 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = kb("export", "anki")
    assert code == 2
    assert "kbtool.toml" in err and "anki_root" in err


def test_progress_is_reported_per_entry(tmp_path: Path) -> None:
    from kbtool.export.base import ExportRequest, Selection
    from kbtool.export.json_export import JsonExporter
    from kbtool.export.loader import load

    documents = load(BASE, Selection()).documents
    seen: list[int] = []
    request = ExportRequest(BASE, tmp_path / "kb.json", documents, progress=seen.append)
    JsonExporter().export(request)
    assert seen == list(range(1, len(documents) + 1))


def test_progress_bar_on_large_exports(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kbtool.commands.export.PROGRESS_FROM", 1)
    code, _, err = kb("export", "json", "--notes", BASE, "--out", tmp_path / "kb.json")
    assert code == 0
    assert err.index("json") < err.index("json: 6 entries")  # the bar's label came first


def test_duplicate_id_is_exported_once(kb: Kb, tmp_path: Path) -> None:
    base = tmp_path / "notes"
    shutil.copytree(BASE, base)
    shutil.copy(base / "python" / "gil.md", base / "python" / "gil-copy.md")
    code, _, err = kb("export", "json", "--notes", base, "--out", tmp_path / "kb.json")
    assert code == 0
    assert "skipped python/gil.md:2: id: 'what-is-gil' is already used by python/gil-copy.md" in err
    assert ids(tmp_path / "kb.json").count("what-is-gil") == 1
