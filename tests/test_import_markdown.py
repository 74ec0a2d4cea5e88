"""Markdown importers (qa-markdown, lecture, checklist, mixed files) against fixture files.

Each ``tests/fixtures/import/<kind>/<case>.md|.txt`` has a ``<case>.expected.yaml``
with the format detection must pick, the entries (title, kind, status, topic) in
source order, every dropped line by reason, and optionally ``body``: text each titled
entry's written body must hold, ``tags`` and ``aliases``: those of titled entries. The case runs
through the real CLI into a temporary knowledge base; the written entries must validate
and the report must account for every line exactly once. The seeds get their own checks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kbtool.importers import registry
from kbtool.importers.base import ImportOptions
from kbtool.importers.markdown_sections import source_lines
from kbtool.model import schema_files as schemas
from kbtool.store import entry_file
from tests.conftest import FIXTURES, RAW
from tests.test_markdown_differential import PIECES, assemble

KINDS = ("markdown", "qa-markdown", "lecture", "checklist", "mixed", "pdf-text")
CASES = sorted(
    path
    for kind in KINDS
    for path in (FIXTURES / "import" / kind).iterdir()
    if path.suffix in {".md", ".txt", ".rst"}
)
Runner = Callable[..., tuple[int, str, str]]


def run_import(kb: Runner, tmp_path: Path, *sources: Path) -> dict[str, Any]:
    notes = tmp_path / "notes"
    report = tmp_path / "report.json"
    code, out, err = kb("import", *sources, "--notes", notes, "--report", report)
    assert code == 0, err
    assert "created" in out
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(data, schemas.load_schema("import-report"))
    return data


def check_coverage(source: dict[str, Any]) -> None:
    """Kept plus dropped units are all the units, each exactly once."""
    units = [u for e in source["entries"] for u in e["units"]]
    units += [u for d in source["dropped"] for u in d["units"]]
    assert sorted(units) == list(range(1, source["total_units"] + 1))
    assert not [w for w in source["warnings"] if "accounting" in w]


def _difficulty(path: Path) -> dict[str, str]:
    """``{"difficulty": ...}`` when the written entry has one (the source named it)."""
    difficulty = entry_file.read(path).entry.difficulty
    return {"difficulty": str(difficulty)} if difficulty else {}


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(case: Path, kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = yaml.safe_load(case.with_name(case.stem + ".expected.yaml").read_text("utf-8"))
    report = run_import(kb, tmp_path, case)
    (source,) = report["sources"]
    assert source["format"] == expected["format"]
    got = [
        {
            "title": e["title"],
            "kind": e["kind"],
            "status": e["status"],
            "topic": Path(e["path"]).parent.name,
            **_difficulty(tmp_path / e["path"]),
        }
        for e in source["entries"]
    ]
    assert got == expected["entries"]
    dropped: dict[str, list[int]] = {}
    for d in source["dropped"]:
        dropped.setdefault(d["reason"], []).extend(d["units"])
    assert {k: sorted(v) for k, v in dropped.items()} == expected["dropped"]
    check_coverage(source)
    assert source["warnings"] == expected.get("warnings", [])
    bodies: dict[str, str] = {}
    for kept in source["entries"]:
        doc = entry_file.read(tmp_path / kept["path"])  # validates against the schema
        assert doc.entry.id == kept["id"]
        assert doc.entry.source.kind == expected["format"]
        bodies[kept["title"]] = doc.body
    for title, parts in expected.get("body", {}).items():
        for part in parts:
            assert part in bodies[title], (title, part, bodies[title])
    tags = {k["title"]: entry_file.read(tmp_path / k["path"]).entry.tags for k in source["entries"]}
    for title, want in expected.get("tags", {}).items():
        assert tags[title] == want, title
    aliases = {
        k["title"]: entry_file.read(tmp_path / k["path"]).entry.aliases for k in source["entries"]
    }
    for title, want in expected.get("aliases", {}).items():
        assert aliases[title] == want, title


def entries_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for s in report["sources"] for e in s["entries"]]


def test_seed_002_every_toc_question(kb: Runner, tmp_path: Path) -> None:
    report = run_import(kb, tmp_path, next(RAW.glob("002_*.txt")))
    (source,) = report["sources"]
    check_coverage(source)
    entries = source["entries"]
    assert len(entries) == 31  # 34 TOC lines minus 3 category lines
    assert sum(e["status"] == "answered" for e in entries) == 8
    assert all(e["kind"] == "question" for e in entries)
    topics = {Path(e["path"]).parent.name for e in entries}
    assert {
        "rabota-s-tekstom-v-nlp",
        "obuchenie-i-optimizatsiia",
        "otsenka-i-interpretatsiia",
    } <= topics
    titles = {e["title"] for e in entries}
    assert "Работа с текстом в NLP" not in titles
    first = entry_file.read(tmp_path / entries[0]["path"])
    assert "Машинное обучение" in first.body  # answer of anchor 1 despite the broken TOC


def test_seed_000_mixed(kb: Runner, tmp_path: Path) -> None:
    report = run_import(kb, tmp_path, next(RAW.glob("000_*.txt")))
    (source,) = report["sources"]
    check_coverage(source)
    questions = [e for e in source["entries"] if e["kind"] == "question"]
    notes = [e for e in source["entries"] if e["kind"] == "note"]
    assert len(questions) == 5 and all(e["status"] == "draft" for e in questions)
    assert {"Multilayer perceptron", "Convolution NN", "RNN"} <= {e["title"] for e in notes}
    private = [u for d in source["dropped"] if d["reason"] == "private" for u in d["units"]]
    assert private == [87]
    written = "".join(p.read_text("utf-8") for p in (tmp_path / "notes").rglob("*.md"))
    assert "150/160к" not in written


@pytest.mark.parametrize(("seed", "sections"), [("003", 13), ("004", 5)])
def test_seed_lectures(kb: Runner, tmp_path: Path, seed: str, sections: int) -> None:
    report = run_import(kb, tmp_path, next(RAW.glob(f"{seed}_*.txt")))
    (source,) = report["sources"]
    check_coverage(source)
    assert [e["kind"] for e in source["entries"]] == ["note"] * sections
    bodies = "".join(p.read_text("utf-8") for p in (tmp_path / "notes").rglob("*.md"))
    assert "![[" not in bodies and "$ argmin" not in bodies
    missing = [w for w in source["warnings"] if "not found" in w]
    assert len(missing) == (1 if seed == "003" else 0)  # the embed of a missing picture
    assert len(source["warnings"]) == len(missing)


STRUCTURE_PIECES = [
    *PIECES,
    "---\ntitle: x\n---",
    "# Q?\n\n- [Q?](#q)\n  - [R?](#r)",
    "**Q:**\nWhat?\n**A:** yes",
    "1. <a id=1>What?</a>",
    "<details><summary>Why?</summary>\n\nBecause\n</details>",
    "1. ## Nested?\n\n   body",
    "2. two?\n3. three?",
    "- [ ] task?",
]


@st.composite
def structured_notes(draw: st.DrawFn) -> str:
    return assemble(draw, STRUCTURE_PIECES, ["\n", "\n\n", "\n\n\n"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured_notes(), st.sampled_from(["qa-markdown", "checklist", "lecture"]))
@example(
    "> - [Group](#group)\n>   - [Item?](#item)\n\n# Q?\n\n   ---\n   t: x\n   ---\n", "qa-markdown"
)
@example("1. **Q:**\n1. What?\n", "qa-markdown")
@example("> Title\n> ===\n\n- 2. two?\n", "checklist")
def test_every_line_once_on_nasty_markdown(text: str, fmt: str) -> None:
    """qa-markdown, checklist and lecture account for each line exactly once, whatever the
    structure (the examples are overlaps and gaps generated documents found)."""
    result = registry.get(fmt).parse(text, Path("notes.md"), ImportOptions())
    units = sorted(u for e in result.entries for u in e.units)
    units += [u for d in result.dropped for u in d.units]
    assert sorted(units) == list(range(1, len(source_lines(text)) + 1))
