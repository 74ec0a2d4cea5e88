"""Formulas written for MathJax: chemistry (mhchem), ``aligned``, macros pandoc lacks.

pandoc (the PDF) and latex2mathml (the study page) do not know mhchem's ``\\ce`` and
``\\pu``: the sheet printed ``$\\ce{…}$`` as text and the page showed an identifier
``\\ce``, with no warning; the page also set an ``aligned`` block's rows on one line,
with their ``&``. Anki's MathJax loads mhchem, so the deck keeps the TeX. The fixture
(``tests/fixtures/export/math/``) has reactions, a hydrate, an isotope, a quantity, an
``aligned`` block with ``\\ce`` inside, a reaction wider than a column, ``\\textcolor``
and ``\\textup``, a macro of the note's own and a ``\\ce`` the rewriting cannot read (both
warned with file and line), and code with ``{{…}}`` (Anki's cloze syntax) and ``<``: each
is checked in the real readers (pypdf with positions, anki, the page's HTML).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from kbtool.export.mathml import MathError, to_mathml
from kbtool.export.mhchem import rewrite
from tests.conftest import FIXTURES
from tests.test_export_pdf_layout import SIDE, runs_of

BASE = FIXTURES / "export" / "math" / "notes"
UNREADABLE_CE = r"\ce{A ->[a][b][c] B}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    import contextlib
    import io

    from kbtool.cli import run

    root = tmp_path_factory.mktemp("math")
    shutil.copytree(BASE, root / "notes")
    said: dict[str, list[str]] = {}
    for fmt, name in (("pdf", "kb.pdf"), ("anki", "kb.apkg"), ("html", "kb.html")):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = run(["export", fmt, "--notes", str(root / "notes"), "--out", str(root / name)])
        assert code == 0
        said[fmt] = [line for line in err.getvalue().splitlines() if line.startswith("warning:")]
    return root, said


def test_pdf_prints_chemistry_and_names_what_it_cannot_set(
    exported: tuple[Path, dict[str, list[str]]],
) -> None:
    root, said = exported
    text = "".join(page.extract_text() for page in PdfReader(root / "kb.pdf").pages)
    assert "\\ce" not in text.split("$\\ce{A")[0]  # only the unreadable one stays TeX
    assert "\\pu" not in text and "require" not in text
    flat = "".join(text.split())  # pypdf guesses the spaces between math glyphs
    for chemistry in ("NH3", "⇌", "OH−", "CuSO4⋅5H2O", "−57kJ/mol", "log10"):
        assert chemistry in flat
    assert "textcolor" not in text and "textup" not in text and "pK" in flat
    assert "$\\RR^n$" in text  # as TeX, with a warning
    assert said["pdf"] == [
        "warning: chemistry/buffers.md:31: formula '\\\\RR^n': pandoc cannot set it as "
        "math (a TeX command it does not know (a macro defined elsewhere), or TeX it cannot "
        "read); the PDF prints its TeX",
        "warning: chemistry/buffers.md:32: formula '\\\\ce{A ->[a][b][c] B}': pandoc cannot "
        "set it as math (mhchem's \\ce or \\pu written in a way kbtool cannot rewrite); the "
        "PDF prints its TeX",
    ]


def test_a_display_formula_wider_than_its_column_is_scaled_to_fit(
    exported: tuple[Path, dict[str, list[str]]],
) -> None:
    root, _said = exported
    runs = runs_of(root / "kb.pdf", 2)
    above = next(n for n, run in enumerate(runs) if run.text.startswith("Every soluble salt"))
    line = runs[above + 1].y  # the wide reaction of ionic-equations.md, glyph by glyph
    reaction = [run for run in runs if abs(run.y - line) < 4 and run.page == 1]
    assert len(reaction) > 60
    width = float(PdfReader(root / "kb.pdf").pages[0].mediabox.width)
    for run in reaction:  # centred and too wide, it began left of the page's margin
        assert SIDE - 0.5 <= run.x < width - SIDE


def test_study_page_sets_chemistry_and_aligned_rows(
    exported: tuple[Path, dict[str, list[str]]],
) -> None:
    root, said = exported
    soup = BeautifulSoup((root / "kb.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article", id="buffers")
    assert article is not None
    markup = str(article)
    assert "<mi>\\ce</mi>" not in markup and "<mi>\\pu</mi>" not in markup
    assert '<mi mathvariant="normal">N</mi>' in markup and "⇌" in markup  # upright
    assert "<mtext>H</mtext>" in markup  # one letter: upright too
    aligned = [m for m in article.find_all("math") if "pH" in m.get_text()]
    assert len(aligned) == 1 and len(aligned[0].find_all("mtr")) == 2  # two rows, no `&`
    assert "&amp;" not in str(aligned[0])
    tex = [code.get_text() for code in article.find_all(class_="math-tex")]
    assert tex == ["\\RR^n", UNREADABLE_CE]
    assert said["html"] == [
        "warning: chemistry/buffers.md:31: formula '\\\\RR^n': not converted to MathML "
        "(\\RR is not a command it knows); shown as TeX",
        "warning: chemistry/buffers.md:32: formula '\\\\ce{A ->[a][b][c] B}': not converted "
        "to MathML (mhchem written in a way kbtool cannot rewrite); shown as TeX",
    ]


def test_anki_keeps_mhchem_for_its_mathjax_and_cloze_braces_as_text(
    exported: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    root, said = exported
    assert said["anki"] == []
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(root / "kb.apkg"), options=options)
        )
        cards = {}
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            cards[card.note()["Id"]] = (card.question(), card.answer())
    finally:
        col.close()
    question, answer = cards["buffers"]
    assert r"\(\ce{NH4+}\)" in question
    assert r"\[\ce{2H2 + O2 -&gt;[\Delta] 2H2O}\]" in answer
    _question, answer = cards["templates"]
    assert "{{ user.name }}" in answer and "{{c1::hidden}}" in answer  # shown, not a cloze
    assert "Text {{c1::secret}} and" in answer
    assert "if (a &lt; b)" in answer and "<code>List&lt;String&gt;</code>" in answer


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        (r"\ce{CO2 + H2O <=> H2CO3}",
         r"{\mathrm{CO}_{2} + \mathrm{H}_{2}\mathrm{O} \rightleftharpoons "
         r"\mathrm{H}_{2}\mathrm{CO}_{3}}"),
        (r"\ce{HCO3- + H+}", r"{\mathrm{HCO}_{3}^{-} + \mathrm{H}^{+}}"),
        (r"\ce{[Fe(CN)6]^3-}", r"{[\mathrm{Fe(CN)}_{6}]^{3-}}"),
        (r"\ce{^{14}_{6}C}", r"{{}^{14}_{6}\mathrm{C}}"),
        (r"\ce{CuSO4*5H2O}", r"{\mathrm{CuSO}_{4}\cdot 5\,\mathrm{H}_{2}\mathrm{O}}"),
        (r"\ce{1/2 O2 ->[\Delta][{heat}] BaSO4 v}",
         r"{\frac{1}{2} \mathrm{O}_{2} \xrightarrow[\text{heat}]{\Delta } "
         r"\mathrm{BaSO}_{4} \downarrow}"),
        (r"\ce{CH2=CH2} (g)", r"{\mathrm{CH}_{2}{=}\mathrm{CH}_{2}} (g)"),
        (r"\Delta H = \pu{1.2e3 kJ/mol}", r"\Delta H = {1.2\cdot 10^{3}\,\mathrm{kJ/mol}}"),
        (r"\require{mhchem}x", "x"),
        (r"\ce {NH4+ (aq) + Ag+(aq), Cl-}",
         r"{\mathrm{NH}_{4}^{+} \mathrm{(aq)} + \mathrm{Ag}^{+}\mathrm{(aq)}, \mathrm{Cl}^{-}}"),
        (r"\ce{C_nH_{2n-2} + NaCl_(s) + C4H10{(g)}}",
         r"{\mathrm{C}_{n}\mathrm{H}_{2n-2} + \mathrm{NaCl}_{(s)} + "
         r"\mathrm{C}_{4}\mathrm{H}_{10}\mathrm{(g)}}"),
        (UNREADABLE_CE, None),
        (r"\ce{x%}", None),
        (r"\ce{H2O", None),
    ],
)  # fmt: skip
def test_mhchem_rewritten_as_plain_tex(tex: str, plain: str | None) -> None:
    assert rewrite(tex) == plain


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        (r"\arg\min_w L(w)", "<mo>arg</mo>"),  # latex2mathml lacks \arg
        (r"x \label{eq:1}", "<mi>x</mi>"),
        (r"\sum\nolimits_i x_i", "<mo>∑</mo>"),
        (r"\mathrm{d}x", "<mtext>d</mtext>"),  # upright, not an italic lone <mi>
    ],
)
def test_study_page_sets_standard_tex_latex2mathml_lacks(tex: str, shown: str) -> None:
    assert shown in to_mathml(tex, False)


@pytest.mark.parametrize(
    ("tex", "error"),
    [(r"\foo{x}", r"\foo is not a command it knows"), ("a & b", "an & outside")],
)
def test_study_page_refuses_what_it_would_show_wrongly(tex: str, error: str) -> None:
    with pytest.raises(MathError, match=error.replace("\\", "\\\\")):
        to_mathml(tex, False)
