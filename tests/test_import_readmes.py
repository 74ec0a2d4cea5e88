"""READMEs of a folder: many interview repositories keep their questions in them, others
use them to describe the folder (fixture: ``tests/fixtures/import/readme-folders/``). A
folder's other text files may be notes or anything else: requirements, test data
(``tests/fixtures/import/text-folders/``). A site's folder holds settings, data and built
pages beside the notes (``tests/fixtures/import/site-folders/``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
FOLDER = FIXTURES / "import" / "readme-folders"
TEXTS = FIXTURES / "import" / "text-folders"
SITE = FIXTURES / "import" / "site-folders"


def _written(notes: Path) -> list[str]:
    return sorted(p.relative_to(notes).as_posix() for p in notes.rglob("*.md"))


def test_a_readme_that_asks_is_imported_and_one_that_describes_is_skipped_with_why(
    kb: Runner, tmp_path: Path
) -> None:
    code, out, err = kb(
        "import", FOLDER, "--notes", tmp_path / "kb", "--report", tmp_path / "r.json"
    )
    assert code == 0, err
    assert _written(tmp_path / "kb") == [
        "sql/what-does-group-by-do.md",
        "statistike/chem-oshibka-i-roda-otlichaetsia-ot-oshibki-ii-roda.md",
        "statistike/chto-takoe-p-value.md",
    ]
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [Path(s["file"]).name for s in report["sources"]] == ["notes.md", "README.md"]
    [skipped] = report["skipped"]
    assert skipped.endswith(
        "python/README.md: a README that is mostly not questions (the folder's "
        "description); name it to import it"
    )
    assert f"skipped: {skipped}" in err
    assert "imported 2 source(s): 3 created" in out


def test_a_readme_named_on_the_command_line_is_always_read(kb: Runner, tmp_path: Path) -> None:
    code, _out, err = kb("import", FOLDER / "python" / "README.md", "--notes", tmp_path / "kb")
    assert code == 0, err
    assert _written(tmp_path / "kb") == ["general/voprosy-po-iazyku-python.md"]  # a note


def test_a_folder_with_nothing_to_read_says_so(kb: Runner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    code, out, err = kb("import", tmp_path / "empty", "--notes", tmp_path / "kb")
    assert code == 0, err
    assert "imported 0 source(s)" in out
    assert "note: no source found: folders are read for .txt, .md" in err


def test_a_folders_text_files_that_are_not_notes_are_skipped_with_why(
    kb: Runner, tmp_path: Path
) -> None:
    """Plain-text Q&A is imported (filed under the folder it sits in); ``requirements.txt``
    and an algorithm's test inputs fit no format of notes and ask nothing: skipped, each
    named with why."""
    code, out, err = kb(
        "import", TEXTS, "--notes", tmp_path / "kb", "--report", tmp_path / "r.json"
    )
    assert code == 0, err
    assert _written(tmp_path / "kb") == [
        "interview/what-is-a-p-value.md",
        "interview/why-is-accuracy-a-poor-metric-on-imbalanced-classes.md",
    ]
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    skipped = sorted(
        Path(line.split(": ")[0]).relative_to(TEXTS).as_posix() for line in report["skipped"]
    )
    assert skipped == ["algo/tests/case_01.txt", "algo/tests/case_02.txt", "requirements.txt"]
    assert all(
        line.endswith(
            "fits no format of notes and asks no question (requirements, "
            "test data, a licence); name it to import it"
        )
        for line in report["skipped"]
    )
    assert "imported 1 source(s): 2 created" in out


def test_a_text_file_named_on_the_command_line_is_always_read(kb: Runner, tmp_path: Path) -> None:
    code, _out, err = kb("import", TEXTS / "requirements.txt", "--notes", tmp_path / "kb")
    assert code == 0, err
    assert _written(tmp_path / "kb") == ["general/requirements.md"]


def test_a_folders_json_and_html_files_that_are_no_notes_are_skipped_with_why(
    kb: Runner, tmp_path: Path
) -> None:
    """A docs site's ``package.json``, a ``_category_.json`` beside each chapter and a
    built page fit no format of notes: the folder's notes are imported and these are
    named as skipped, not failures (the whole import used to exit 2 on them)."""
    code, out, err = kb("import", SITE, "--notes", tmp_path / "kb", "--report", tmp_path / "r.json")
    assert code == 0, err
    assert _written(tmp_path / "kb") == [
        "metrics/what-does-precision-measure.md",
        "metrics/when-is-recall-more-important-than-precision.md",
    ]
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert report["errors"] == []
    skipped = {
        Path(line.split(": ")[0]).relative_to(SITE).as_posix(): line.split(": ", 1)[1]
        for line in report["skipped"]
    }
    left_out = "not notes; left out of the folder's import"
    assert sorted(skipped) == ["build/index.html", "docs/basics/_category_.json", "package.json"]
    assert skipped["package.json"].startswith(f"JSON data, {left_out}")
    assert skipped["build/index.html"].startswith(
        f"an HTML page that is not a Telegram export, {left_out}"
    )
    assert "imported 1 source(s): 2 created" in out


def test_a_json_file_named_on_the_command_line_that_is_no_notes_fails(
    kb: Runner, tmp_path: Path
) -> None:
    code, _out, err = kb("import", SITE / "package.json", "--notes", tmp_path / "kb")
    assert code == 2
    assert "package.json: not notes kbtool can read: this looks like JSON data" in err
    assert not (tmp_path / "kb").exists() or _written(tmp_path / "kb") == []
