"""One question per file (``kbtool.importers.question_file``): a folder of notes, each a
question (its file name, H1 or ``title:``) and its answer, imports as one question per
file on auto-detect, in English and in Russian.

Cases: ``tests/fixtures/import/question-file/cases.yaml``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kbtool.importers import detect
from kbtool.model import schema_files as schemas
from kbtool.store import entry_file
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "import" / "question-file"
CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load((FOLDER / "cases.yaml").read_text("utf-8"))
Runner = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str, kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = kb("import", FOLDER / name, "--notes", "notes", "--report", "r.json")
    assert code == 0, err
    report = json.loads(Path("r.json").read_text("utf-8"))
    jsonschema.validate(report, schemas.load_schema("import-report"))
    sources = report["sources"]
    assert [Path(s["file"]).name for s in sources] == [c["file"] for c in CASES[name]]
    for source, case in zip(sources, CASES[name], strict=True):
        assert source["format"] == "question-file"
        assert case["detection"] in source["detection"], source["detection"]
        units = [u for e in source["entries"] for u in e["units"]]
        units += [u for d in source["dropped"] for u in d["units"]]
        assert sorted(units) == list(range(1, source["total_units"] + 1))
        dropped: dict[str, list[int]] = {}
        for d in source["dropped"]:
            dropped.setdefault(d["reason"], []).extend(d["units"])
        assert dropped == case["dropped"]
        (kept,) = source["entries"]
        doc = entry_file.read(Path(kept["path"]))  # validates against the schema
        data = doc.entry.front_matter(mode="json")
        data["topic"] = doc.entry.topic
        assert {k: data.get(k) for k in case["entry"]} == case["entry"]
        for part in case.get("body", []):
            assert part in doc.body, (part, doc.body)
        for part in case.get("absent", []):
            assert part not in doc.body


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("markdown/card-en.md", "markdown"),  # Q:/A: labels: the general importer's card
        ("realworld/card.md", "markdown"),
        ("markdown/subsections-en.md", "markdown"),  # several questions in one file
        ("lecture/obsidian.md", "lecture"),
        ("checklist/questions.txt", "checklist"),
    ],
)
def test_other_shapes_stay_with_their_importer(path: str, fmt: str) -> None:
    source = FIXTURES / "import" / path
    importer, why = detect.choose(source.read_text("utf-8"), source, path)
    assert importer.name == fmt, why
