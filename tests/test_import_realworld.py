"""Every real-world shape imports on auto-detect as a reader expects, and lints clean.

Cases are the files (and the vault folder) of ``tests/fixtures/import/realworld/``;
``cases.yaml`` there says what a reader expects of each. Each case runs through the
real CLI with no ``--format`` into a fresh base; the report must validate and account
for every line, the written entries must validate, and ``kbtool lint`` on the new base
may report only the errors the source itself has.
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

REALWORLD = FIXTURES / "import" / "realworld"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((REALWORLD / "cases.yaml").read_text("utf-8"))
Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_realworld_case(
    name: str, kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    case = CASES[name]
    code, _out, err = kb("import", REALWORLD / name, "--notes", "notes", "--report", "report.json")
    assert code == 0, err
    report = json.loads(Path("report.json").read_text("utf-8"))
    jsonschema.validate(report, schemas.load_schema("import-report"))
    got: list[dict[str, Any]] = []
    bodies: dict[str, str] = {}
    for source in report["sources"]:
        assert source["detection"], "the report says why this importer was chosen"
        units = [u for e in source["entries"] for u in e["units"]]
        units += [u for d in source["dropped"] for u in d["units"]]
        assert sorted(units) == list(range(1, source["total_units"] + 1))
        for kept in source["entries"]:
            doc = entry_file.read(Path(kept["path"]))  # validates against the schema
            data = doc.entry.front_matter(mode="json")
            data["topic"] = doc.entry.topic
            got.append(data)
            bodies[doc.entry.id] = doc.body
    expected = case["entries"]
    assert [{k: e.get(k) for k in want} for e, want in zip(got, expected, strict=False)] == expected
    assert len(got) == len(expected)
    notes = " | ".join(d["note"] for s in report["sources"] for d in s["dropped"])
    for reason in case.get("dropped", []):
        assert reason in notes
    for entry_id, parts in case.get("body", {}).items():
        for part in parts:
            assert part in bodies[entry_id], (entry_id, part, bodies[entry_id])
    everything = "\n".join(bodies.values()) + "\n".join(str(e["title"]) for e in got)
    for part in case.get("absent", []):
        assert part not in everything
    assert "[[" not in " ".join(str(e["title"]) for e in got)
    warnings = " ".join(w for s in report["sources"] for w in s["warnings"])
    for part in case.get("warnings", []):
        assert part in warnings
    lint_code, lint_out, lint_err = kb("lint", "--notes", "notes", "--format", "json", "--no-cache")
    assert lint_code in (0, 1), lint_err
    errors = {p["code"] for p in json.loads(lint_out) if p["severity"] == "error"}
    assert errors <= set(case.get("lint", [])), lint_out
