"""Files of the notes' repository that notes link to (code, data) are copied into the
base's ``assets/`` and relinked, as pictures are; cases in
``tests/fixtures/import/attachments/cases.yaml``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kbtool.store import entry_file
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
HERE = FIXTURES / "import" / "attachments"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_linked_files_are_copied(name: str, kb: Runner, tmp_path: Path) -> None:
    case = CASES[name]
    raw = tmp_path / "raw"
    shutil.copytree(HERE / case["source"], raw)
    notes = tmp_path / "kb"
    code, _out, err = kb("import", raw, "--notes", notes)
    assert code == 0, err
    assets = {path.name: path for path in (notes / "assets").iterdir()}
    copied = {name.rsplit("-", 1)[0] + Path(name).suffix: name for name in assets}
    for wanted in case["copied"]:
        stem, suffix = wanted.rsplit(".", 1)[0], Path(wanted).suffix
        assert f"{stem}{suffix}" in copied, (wanted, sorted(assets))
    bodies = {d.entry.id: d.body for d in map(entry_file.read, notes.rglob("*.md"))}
    for entry_id, links in case["links"].items():
        for written in links:
            link = written
            for wanted in case["copied"]:
                stem, suffix = wanted.rsplit(".", 1)[0], Path(wanted).suffix
                link = link.replace(f"{{asset:{wanted}}}", f"../assets/{copied[stem + suffix]}")
            assert link in bodies[entry_id], (link, bodies[entry_id])
    code, out, _err = kb("lint", "--notes", notes, "--format", "json")
    errors = [p for p in json.loads(out) if p["severity"] == "error"]
    assert sorted(p["message"].split('"')[1] for p in errors) == sorted(case["missing"]), errors
