"""Pictures of formulas are exported as the formulas: notes written for GitHub draw TeX
with a web service (``render/math?math=``, CodeCogs, Google Charts), which the PDF
never fetches (each was dropped with a warning, leaving holes in the sentence) and
Anki and the study page showed as dead or remote pictures. Cases in
``fixtures/export/formula-images/``; the exports are read back with pypdf, a real Anki
collection and the JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from pypdf import PdfReader

from kbtool.export.formula_images import as_math
from kbtool.model import schema_files as schemas
from tests.conftest import FIXTURES

CASES_DIR = FIXTURES / "export" / "formula-images"
CASES: dict[str, dict[str, str]] = yaml.safe_load((CASES_DIR / "cases.yaml").read_text("utf-8"))
BASE = CASES_DIR / "base"
Kb = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("name", list(CASES))
def test_formula_picture_case(name: str) -> None:
    case = CASES[name]
    assert as_math(case["body"]) == case.get("math", case["body"])


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The base exported with ``export all`` (PDF, Anki, JSON) into one folder."""
    from kbtool.cli import run

    out = tmp_path_factory.mktemp("formula-images")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(out)
        code = run(["export", "all", "--notes", str(BASE), "--out-dir", str(out)])
    assert code == 0
    yield out


def test_the_pdf_prints_the_formulas_and_warns_only_of_the_photo(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("export", "pdf", "--notes", BASE, "--out", tmp_path / "kb.pdf")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "residuals.png" in warnings[0]
    assert "stats/least-squares.md:18:" in warnings[0]  # file and line of the photo
    text = " ".join((PdfReader(tmp_path / "kb.pdf").pages[0].extract_text() or "").split())
    assert "give 𝜃 = (𝑋" in text  # the formula where the picture was, in the sentence
    assert "The loss is 𝐿 = ∑" in text
    assert "render" not in text and "codecogs" not in text


def test_anki_shows_mathjax_not_pictures(exported: Path, tmp_path: Path) -> None:
    out = exported
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(out / "kb.apkg"), options=options)
        )
        (note_id,) = col.find_notes("")
        back = col.get_note(note_id).fields[1]
    finally:
        col.close()
    assert "\\(\\theta = (X^{T}X)^{-1}X^{T}y\\)" in back
    assert "\\(L = \\sum_{i}(y_i - \\hat{y}_i)^2\\)" in back
    assert "render/math" not in back and "codecogs" not in back
    assert 'src="https://example.org/plots/residuals.png"' in back  # a photo stays one


def test_json_answer_has_the_formulas_and_validates(exported: Path) -> None:
    out = exported
    data: dict[str, Any] = json.loads((out / "kb.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schemas.load_schema("export")).validate(data)
    (entry,) = data["entries"]
    assert "$\\theta = (X^{T}X)^{-1}X^{T}y$" in entry["answer_markdown"]
    assert "\\(\\theta = (X^{T}X)^{-1}X^{T}y\\)" in entry["answer_html"]
    assert "codecogs" not in entry["answer_html"]
