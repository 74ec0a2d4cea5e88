"""An Obsidian vault of lecture notes imports as its reader sees it, and lints clean.

Each case of ``tests/fixtures/import/obsidian-vault/cases.yaml`` is a vault folder
imported whole through the real CLI (auto-detect) into a fresh base: the vault's
templates and Excalidraw drawings are left out and named in the report, heading paths
(``[[Note#Part#Heading]]``) and block references (``[[Note#^id]]``) lead to the entries
they name, block ids are not written, an embedded drawing is a visible remark, a
callout that asks is a question, and ``kbtool lint`` finds no error on the new base.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kbtool.store import entry_file
from tests.conftest import FIXTURES

VAULTS = FIXTURES / "import" / "obsidian-vault"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((VAULTS / "cases.yaml").read_text("utf-8"))
Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_vault(name: str, kb: Runner, tmp_path: Path) -> None:
    case = CASES[name]
    vault = VAULTS / name
    report_file = tmp_path / "report.json"
    notes = tmp_path / "notes"
    code, _out, err = kb("import", vault, "--notes", notes, "--report", report_file)
    assert code == 0, err
    report = json.loads(report_file.read_text("utf-8"))
    skipped = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in report["skipped"]}
    want = {str(vault / path): word for path, word in case["skipped"].items()}
    assert sorted(skipped) == sorted(want)
    for path, word in want.items():
        assert word in skipped[path], (path, skipped[path])
    got: list[dict[str, Any]] = []
    bodies: dict[str, str] = {}
    for source in report["sources"]:
        for kept in source["entries"]:
            doc = entry_file.read(Path(kept["path"]))
            got.append(doc.entry.front_matter(mode="json"))
            bodies[doc.entry.id] = doc.body
    expected = case["entries"]
    assert [{k: e.get(k) for k in want} for e, want in zip(got, expected, strict=False)] == expected
    assert len(got) == len(expected)
    for entry_id, parts in case.get("body", {}).items():
        for part in parts:
            assert part in bodies[entry_id], (entry_id, part, bodies[entry_id])
    everything = "\n".join(bodies.values())
    for part in case.get("absent", []):
        assert part not in everything, part
    warnings = " ".join(w for s in report["sources"] for w in s["warnings"])
    for part in case.get("warnings", []):
        assert part in warnings
    lint_code, lint_out, _ = kb("lint", "--notes", notes, "--format", "json", "--no-cache")
    problems = json.loads(lint_out)
    assert lint_code == 0 and not [p for p in problems if p["severity"] == "error"], lint_out
    assert {p["code"] for p in problems} <= set(case.get("lint_warnings", [])), lint_out
