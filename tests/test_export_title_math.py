"""A title's formulas are printed as formulas: import keeps ``$…$`` in a title (``Why
scale by $\\sqrt{d_k}$?``), and the PDF, Anki and the study page printed the raw TeX.
Everything else of a title stays as written. Cases in ``fixtures/export/title-math/``;
the exports are read back with pypdf and a real Anki collection."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from pypdf import PdfReader

from kbtool.export.title_math import pieces
from tests.conftest import FIXTURES

CASES_DIR = FIXTURES / "export" / "title-math"
CASES: dict[str, list[list[Any]]] = yaml.safe_load((CASES_DIR / "cases.yaml").read_text("utf-8"))
BASE = CASES_DIR / "base"
PRICES = "Does a plan cost $5 or $10 a month for *args and a_b_c?"
Kb = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("title", list(CASES))
def test_title_pieces(title: str) -> None:
    assert pieces(title) == [(text, is_math) for text, is_math in CASES[title]]


def test_the_pdf_sets_a_titles_formula_as_math(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("export", "pdf", "--notes", BASE, "--out", tmp_path / "kb.pdf")
    assert code == 0, err
    text = " ".join((PdfReader(tmp_path / "kb.pdf").pages[0].extract_text() or "").split())
    assert "$H_0$" not in text and "H_0" not in text
    assert re.search(r"What do 𝐻\s?0 and 𝐻\s?1 stand for\?", text), text
    assert PRICES in text  # prices, code and stars stay as written


def test_anki_asks_the_question_with_mathjax(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("export", "anki", "--notes", BASE, "--out", tmp_path / "kb.apkg")
    assert code == 0, err
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(tmp_path / "kb.apkg"), options=options)
        )
        questions = {
            col.get_note(n).fields[4]: col.get_note(n).fields[0] for n in col.find_notes("")
        }
    finally:
        col.close()
    assert questions["hypotheses"] == "What do \\(H_0\\) and \\(H_1\\) stand for?"
    assert questions["prices"] == PRICES


def test_the_study_page_heading_has_mathml(kb: Kb, tmp_path: Path) -> None:
    code, _, err = kb("export", "html", "--notes", BASE, "--out", tmp_path / "kb.html")
    assert code == 0, err
    page = (tmp_path / "kb.html").read_text("utf-8")
    heading = re.search(r'<h2><a href="#hypotheses">(.*?)</a></h2>', page)
    assert heading is not None
    assert heading.group(1).count("<math") == 2 and "$" not in heading.group(1)
    assert f'<h2><a href="#prices">{PRICES}</a></h2>' in page
