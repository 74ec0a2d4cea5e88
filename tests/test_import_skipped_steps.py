"""Normalize's skipped steps reach the import report: each with the entry's id and title,
the step and the reason (``skipped_steps``), counted in the summary and shown on stderr.

Cases: ``tests/fixtures/import/skipped/cases.yaml``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kbtool.model import schema_files as schemas
from kbtool.store import entry_file
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "import" / "skipped"
CASES = yaml.safe_load((FOLDER / "cases.yaml").read_text("utf-8"))["cases"]
Runner = Callable[..., tuple[int, str, str]]


def _source(case: dict[str, Any], tmp_path: Path) -> Path:
    """The case's source; with ``repeat``, a copy with one line written many times."""
    source = FOLDER / case["source"]
    repeat = case.get("repeat")
    if repeat is None:
        return source
    lines = source.read_text("utf-8").split("\n")
    n = repeat["line"] - 1
    lines[n:n] = [lines[n]] * repeat["times"]
    copy = tmp_path / source.name
    copy.write_text("\n".join(lines), "utf-8")
    return copy


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_skipped_steps_are_reported(
    case: dict[str, Any], kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = _source(case, tmp_path)
    code, out, err = kb("import", source, "--notes", "notes", "--report", "r.json")
    assert code == 0, err
    report = json.loads(Path("r.json").read_text("utf-8"))
    jsonschema.validate(report, schemas.load_schema("import-report"))
    (found,) = report["sources"]
    got = [{k: s[k] for k in ("id", "step", "reason")} for s in found["skipped_steps"]]
    assert got == case["skipped"]
    titles = {e["id"]: e["title"] for e in found["entries"]}
    assert all(s["title"] == titles[s["id"]] for s in found["skipped_steps"])
    count = len(case["skipped"])
    assert report["summary"]["skipped_steps"] == count
    assert f", {count} normalize step(s) skipped" in out
    for skipped in case["skipped"]:
        shown = f"entry {skipped['id']}: {skipped['step']} not applied: {skipped['reason']}"
        assert shown in err
        entry = entry_file.read(
            Path(next(e["path"] for e in found["entries"] if e["id"] == skipped["id"]))
        )
        assert entry.body  # the entry is written all the same


def test_a_clean_import_reports_no_skipped_step(kb: Runner, tmp_path: Path) -> None:
    code, out, err = kb(
        "import",
        FIXTURES / "import" / "lecture" / "obsidian.md",
        "--notes",
        tmp_path / "n",
        "--report",
        tmp_path / "r.json",
    )
    assert code == 0, err
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert report["summary"]["skipped_steps"] == 0
    assert "skipped" not in out and "not applied" not in err
