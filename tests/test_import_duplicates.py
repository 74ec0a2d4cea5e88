"""Duplicates across sources, as data: each folder under ``fixtures/import/duplicates/``
with an ``expected.yaml`` is imported whole, and the titles each file keeps and the
duplicates it drops are compared with that file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
CASES = sorted(p.parent for p in (FIXTURES / "import" / "duplicates").glob("*/expected.yaml"))


@pytest.mark.parametrize("folder", CASES, ids=lambda p: p.name)
def test_duplicates_across_files(
    kb: Runner, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    code, _out, err = kb("import", str(folder), "--notes", "notes", "--report", "r.json")
    assert code == 0, err
    report = json.loads(Path("r.json").read_text("utf-8"))
    kept, dropped = {}, {}
    for source in report["sources"]:
        name = Path(source["file"]).name
        kept[name] = [e["title"] for e in source["entries"]]
        notes = [d["note"] for d in source["dropped"] if d["reason"] == "duplicate"]
        if notes:
            dropped[name] = notes
    assert kept == expected["kept"]
    assert dropped == expected.get("duplicates", {})
