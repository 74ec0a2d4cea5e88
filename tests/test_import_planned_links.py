"""Links between the entries of an import lead where the entries are written.

Import plans each entry's file before it places any (``entry_links.plan_ids``), so that
a link can name a file not written yet. The plan makes the decisions placing makes: an
entry dropped as a duplicate takes no id and leads to the entry it asks again, and
sources of other formats take their ids in order too. Cases:
``tests/fixtures/import/planned-links/cases.yaml``.
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

HERE = FIXTURES / "import" / "planned-links"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text("utf-8"))
Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_links_lead_to_the_written_entries(name: str, kb: Runner, tmp_path: Path) -> None:
    case = CASES[name]
    notes = tmp_path / "kb"
    for sources in case["runs"]:
        code, _out, err = kb("import", *(HERE / s for s in sources), "--notes", notes)
        assert code == 0, err
    bodies = {d.entry.id: d.body for d in map(entry_file.read, notes.rglob("*.md"))}
    if "ids" in case:
        assert sorted(bodies) == case["ids"]
    for entry_id, link in case["links"].items():
        assert link in bodies[entry_id], bodies[entry_id]
    code, out, _err = kb("lint", "--notes", notes, "--format", "json")
    broken = [p for p in json.loads(out) if p["level"] == "error"]
    assert broken == [], broken
