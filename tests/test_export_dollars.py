"""Dollar signs print as the one reading reads them, in every format.

pandoc (the PDF) read ``9$x$``, ``10$-20$`` and ``$B$7`` as formulas, so the sheet
printed "9𝑥", "10−20" and "𝐵7" where lint, JSON, Anki and the study page have the
text as written: the parser (``kbtool/markdown/``) opens no formula after a digit and
closes none before one. The fixture (``tests/fixtures/export/dollars/``) has those
three, one in a table cell, and two true formulas that must stay formulas.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from kbtool.export.dollars import as_read
from kbtool.markdown.document import parse
from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "dollars"
AS_WRITTEN = ["costs 2$ and", "9$x$ where", "10$-20$ last", "as $B$7 in", "3$y$"]
FORMULAS = ["z^2", r"\sqrt{z}"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kbtool.cli import run

    root = tmp_path_factory.mktemp("dollars")
    shutil.copytree(BASE, root / "notes")
    for fmt, name in (("pdf", "kb"), ("json", "kb"), ("anki", "kb.apkg"), ("html", "kb")):
        out = root / (name if "." in name else f"{name}.{fmt}")
        assert run(["export", fmt, "--notes", str(root / "notes"), "--out", str(out)]) == 0
    return root


def test_the_one_reading_has_two_formulas() -> None:
    body = (BASE / "money" / "prices.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert [span.content for span in parse(body).math_spans()] == FORMULAS


def test_pdf_prints_dollars_as_written_and_formulas_as_math(exported: Path) -> None:
    text = "".join(page.extract_text() for page in PdfReader(exported / "kb.pdf").pages)
    text = text.replace("\u2212", "-")  # typst sets "-2" in text as a minus sign
    for written in AS_WRITTEN:
        assert written in text
    assert "$z" not in text and "sqrt" not in text  # the formulas are set, not their TeX
    assert "\U0001d467" in text  # z in math italic


def test_json_and_anki_keep_the_dollars_and_mark_the_formulas(
    exported: Path, tmp_path: Path
) -> None:
    (entry,) = json.loads((exported / "kb.json").read_text(encoding="utf-8"))["entries"]
    folder = tmp_path / "anki"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(exported / "kb.apkg"), options=options)
        )
        answer = col.get_note(col.find_notes('"Id:prices"')[0])["Answer"]
    finally:
        col.close()
    for html in (entry["answer_html"], answer):
        for written in AS_WRITTEN:
            assert written in html
        for tex in FORMULAS:
            assert rf"\({tex}\)" in html


def test_study_page_keeps_the_dollars_and_sets_the_formulas(exported: Path) -> None:
    soup = BeautifulSoup((exported / "kb.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article", id="prices")
    assert article is not None
    for written in AS_WRITTEN:
        assert written in article.get_text()
    assert len(article.find_all("math")) == len(FORMULAS)


@pytest.mark.parametrize(
    ("markdown", "for_pandoc"),
    [
        ("a pass 9$x$ here", r"a pass 9\$x\$ here"),
        ("from 10$-20$", r"from 10\$-20\$"),
        ("a cell $B$7", r"a cell \$B\$7"),
        ("$a$ and 2 and $b$", "$a$ and 2 and $b$"),  # no digit beside a dollar: as it is
        ("fees 2$ and $x^2$", r"fees 2\$ and $x^2$"),  # the formula stays
        (r"already 2\$x\$", r"already 2\$x\$"),
        ("code `2$x$` and 3$", r"code `2$x$` and 3\$"),
        ("```\n2$x$\n```\n", "```\n2$x$\n```\n"),
        ('<span title="2$x$">4$</span>', r'<span title="2$x$">4\$</span>'),
        ("[2$ off](https://shop.example/2$x$) <https://a.example/1$b$>",
         r"[2\$ off](https://shop.example/2$x$) <https://a.example/1$b$>"),
        ("[[Plan 2$]] costs 5$", r"[[Plan 2$]] costs 5\$"),
        # kramdown's inline formula: one to the parser, text to pandoc
        (r"offsets \$$ \hat{p}_{i} $$ and \$$ p_{i} $$", r"offsets $\hat{p}_{i}$ and $p_{i}$"),
        (r"price \$$ tier", r"price \$$ tier"),
    ],
)  # fmt: skip
def test_dollars_escaped_where_the_parser_reads_no_formula(markdown: str, for_pandoc: str) -> None:
    assert as_read(markdown) == for_pandoc


def test_pandoc_sets_kramdown_formulas_as_math() -> None:
    """pandoc printed ``\\$$ x $$`` as its TeX; written for it, it is a formula."""
    from kbtool.export import pandoc_run

    native = pandoc_run.convert(
        as_read(r"offsets \$$ \hat{p}_{i} $$ here"), "native", "commonmark_x"
    )
    assert r'Math InlineMath "\\hat{p}_{i}"' in native, native
