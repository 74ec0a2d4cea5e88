"""The CLI contract: version, new, exit codes, one clean message per user error."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool import __version__
from kbtool.store import entry_file
from tests.conftest import FIXTURES, ROOT

Kb = Callable[..., tuple[int, str, str]]


def test_version(kb: Kb) -> None:
    code, out, _ = kb("--version")
    assert code == 0 and __version__ in out


def test_python_dash_m_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kbtool", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_new_scaffolds_a_valid_draft(kb: Kb, tmp_path: Path) -> None:
    code, out, _ = kb(
        "new", "Что такое BLEU и ROUGE?", "--topic", "nlp", "--tag", "metrics", "--notes", tmp_path
    )
    assert code == 0
    path = tmp_path / "nlp" / "chto-takoe-bleu-i-rouge.md"
    assert str(path) in out
    doc = entry_file.read(path)
    assert doc.entry.kind == "question" and doc.entry.status == "draft"
    assert doc.entry.lang == "ru" and doc.entry.tags == ["metrics"]
    assert doc.entry.created == dt.date.today()
    # the same title again gets a distinct, deterministic id
    assert kb("new", "Что такое BLEU и ROUGE?", "--topic", "nlp", "--notes", tmp_path)[0] == 0
    assert (tmp_path / "nlp" / "chto-takoe-bleu-i-rouge-2.md").exists()
    assert kb("lint", "--notes", tmp_path)[0] == 0


def test_new_refuses_a_bad_tag(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("new", "X", "--topic", "nlp", "--tag", "NLP tasks", "--notes", tmp_path)
    assert code == 2
    assert 'tag "NLP tasks" is not a slug' in err and "nlp-tasks" in err


def test_lint_reports_schema_errors_with_exit_1(kb: Kb, tmp_path: Path) -> None:
    (tmp_path / "nlp").mkdir()
    bad = (FIXTURES / "front_matter" / "bad" / "bad-slug.md").read_bytes()
    (tmp_path / "nlp" / "bert.md").write_bytes(bad)
    code, out, _ = kb("lint", "--notes", tmp_path)
    assert code == 1
    assert (
        'nlp/bert.md:6:1: error KB001 schema-error tags[1]: expected a slug like "nlp", '
        'found "NLP tasks"' in out
    )


def test_lint_json_output(kb: Kb, tmp_path: Path) -> None:
    (tmp_path / "x.md").write_bytes(
        (FIXTURES / "front_matter" / "bad" / "missing-id.md").read_bytes()
    )
    code, out, _ = kb("lint", "--notes", tmp_path, "--format", "json")
    assert code == 1 and '"code": "KB001"' in out


def test_missing_notes_folder_is_a_usage_error(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("lint", "--notes", tmp_path / "nope")
    assert code == 2 and "does not exist" in err and "Traceback" not in err


def test_unknown_option_and_rule_exit_2(kb: Kb) -> None:
    assert kb("lint", "--bogus")[0] == 2
    code, _, err = kb("rule", "schema-eror")
    assert code == 2 and 'did you mean "schema-error"' in err


def test_rule_prints_its_documentation(kb: Kb) -> None:
    code, out, _ = kb("rule", "KB001")
    assert code == 0 and "## What it does" in out and "## Use instead" in out


def test_unreadable_file_is_exit_2_not_a_traceback(kb: Kb, tmp_path: Path) -> None:
    (tmp_path / "bin.md").write_bytes(b"\x00\x01binary")
    (tmp_path / "latin.md").write_bytes("caf\xe9".encode("latin-1"))
    code, _, err = kb("lint", "--notes", tmp_path)
    assert code == 2
    assert "bin.md:1: file contains NUL bytes" in err
    assert "latin.md:1: invalid UTF-8 byte 0xe9" in err


def test_internal_error_is_exit_3_with_a_log(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = (
        "import sys, kbtool.cli as c, kbtool.lint.linter as linter\n"
        "def boom(*a, **k): raise RuntimeError('bug')\n"
        "linter.lint = boom\n"
        "sys.exit(c.run(['lint']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False, cwd=ROOT
    )
    assert proc.returncode == 3
    assert "internal error (RuntimeError)" in proc.stderr and "Traceback" not in proc.stderr
    assert "RuntimeError: bug" in (tmp_path / "kbtool" / "crash.log").read_text()


@pytest.mark.parametrize("config_name", ["kbtool.toml", "pyproject.toml"])
def test_notes_default_comes_from_config(
    config_name: str, kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = 'notes = "kb"\n' if config_name == "kbtool.toml" else '[tool.kbtool]\nnotes = "kb"\n'
    (tmp_path / config_name).write_text(table)
    monkeypatch.chdir(tmp_path)
    assert kb("new", "Hello", "--topic", "misc")[0] == 0
    assert (tmp_path / "kb" / "misc" / "hello.md").exists()


def test_config_errors_are_clean(kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kbtool.toml").write_text("notes = [\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = kb("lint")
    assert code == 2 and "kbtool.toml" in err and "invalid TOML" in err


def test_discovery_honours_excludes(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kbtool.toml").write_text('exclude = ["drafts/", "*.tmp.md"]\n')
    notes = tmp_path / "notes"
    for rel in ("drafts/a.md", "x.tmp.md", ".hidden/b.md"):
        (notes / rel).parent.mkdir(parents=True, exist_ok=True)
        (notes / rel).write_text("not an entry\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = kb("lint")
    assert code == 0, err
    assert "0 file(s) checked" in err


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("import", "src.md", "--notes", "kb", "--report", "file.txt/report.json"), "file.txt"),
        (("export", "json", "--notes", "kb", "--out", "folder"), "folder"),
        (("export", "json", "--notes", "kb", "--out", "file.txt/kb.json"), "file.txt"),
        (("new", "What is BLEU?", "--topic", "nlp", "--notes", "file.txt/kb"), "file.txt"),
        (("schema", "--out", "file.txt/schema"), "file.txt"),
    ],
)
def test_an_output_path_the_system_refuses_is_a_message_not_a_crash(
    kb: Callable[..., tuple[int, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    named: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "src.md").write_text("**Q:** What is BLEU?\n**A:** A metric.\n", "utf-8")
    assert kb("new", "What is ROUGE?", "--topic", "nlp", "--notes", "kb")[0] == 0
    code, _, err = kb(*args)
    assert code == 2, err
    first = err.splitlines()[0]
    assert first.startswith("kbtool: ") and named in first and "hint:" in err, err
    assert "internal error" not in err
