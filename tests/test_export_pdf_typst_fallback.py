"""An entry typst refuses prints as its question and a note; the rest of the PDF prints.

Cases in ``fixtures/export/pdf/typst-refuses/`` (see its ``cases.yaml``): each bad
entry is exported beside ``good.md`` through the command line, with the real pandoc
and typst, and the PDF is read back with pypdf.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kbtool.export import typst_fallback, typst_run, typst_source
from kbtool.export.base import Selection
from kbtool.export.cache import ExportCache
from kbtool.export.loader import load
from kbtool.export.pdf import build_pdf, document, settings
from kbtool.store import entry_file
from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
CASES = FIXTURES / "export" / "pdf" / "typst-refuses"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((CASES / "cases.yaml").read_text("utf-8"))
NOTE = "(left out of the PDF: typst could not print it)"
GOOD_WORDS = "переводит логит в вероятность"  # in good.md's answer, not in its title


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    return squash(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def base_of(tmp_path: Path, *names: str) -> Path:
    """A base of ``names`` from the cases folder, in topic folder ``cases/``."""
    base = tmp_path / "notes"
    (base / "cases").mkdir(parents=True)
    shutil.copytree(CASES / "img", base / "cases" / "img")
    for name in names:
        shutil.copy(CASES / name, base / "cases" / name)
    return base


def test_every_case_is_listed() -> None:
    files = {path.name for path in CASES.glob("*.md")} - {"good.md"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_entry_typst_refuses_prints_as_its_question_and_a_note(
    kb: Kb, tmp_path: Path, name: str
) -> None:
    base = base_of(tmp_path, "good.md", name)
    out = tmp_path / "kb.pdf"
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", out)
    assert code == 0, err
    line, what = EXPECTED[name]["line"], EXPECTED[name]["what"]
    where = f"cases/{name}" if line is None else f"cases/{name}:{line}"
    warnings = [text for text in err.splitlines() if text.startswith("warning:")]
    assert len(warnings) == 1, err
    assert warnings[0].startswith(f"warning: {where}: typst could not print {what} ("), err
    assert warnings[0].endswith("); the entry is left out of the PDF"), err
    assert "pdf: 2 entries" in err and "1 warning(s)" in err
    text = pdf_text(out)
    title = entry_file.read(CASES / name).entry.title
    assert squash(GOOD_WORDS) in text  # the rest of the sheet printed
    assert squash(title) in text and squash(NOTE) in text  # the stand-in
    assert "Unseenword" not in text  # nothing of the refused answer


def test_a_base_whose_every_entry_typst_refuses_is_an_error(kb: Kb, tmp_path: Path) -> None:
    base = base_of(tmp_path, "frac-empty-denominator.md", "deep-emphasis.md")
    out = tmp_path / "kb.pdf"
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", out)
    assert code == 2, err
    assert "typst could not print any of the 2 entries of the sheet" in err
    assert "cases/frac-empty-denominator.md:16: the formula p = \\frac{1}{}" in err
    assert "cases/deep-emphasis.md:16: this entry (maximum parsing depth exceeded)" in err
    assert not out.exists()


def test_one_entry_typst_refuses_alone_is_an_error_naming_it(kb: Kb, tmp_path: Path) -> None:
    base = base_of(tmp_path, "sqrt-without-argument.md")
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", tmp_path / "kb.pdf")
    assert code == 2, err
    assert err.startswith(
        "kbtool: cases/sqrt-without-argument.md:16: typst could not print the formula \\sqrt "
    ), err


def test_past_the_bound_the_error_stands(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most MAX_LEFT_OUT entries are stood in (20; 2 here, to keep the test short):
    the next refusal is the compile error as it was, naming its entry."""
    monkeypatch.setattr(typst_fallback, "MAX_LEFT_OUT", 2)
    bad = ["binom-empty-in-table.md", "deep-emphasis.md", "frac-empty-denominator.md"]
    base = base_of(tmp_path, "good.md", *bad)
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", tmp_path / "kb.pdf")
    assert code == 2, err
    assert "typst could not build the PDF (generated typst line" in err
    assert "2 entries typst could not print were left out before this one" in err


def test_an_error_in_the_template_stays_an_error(tmp_path: Path) -> None:
    """Only an error inside an entry's piece costs just that entry."""
    base = base_of(tmp_path, "good.md")
    built = typst_source.build(base, load(base, Selection()).documents, answers=True)
    layout = settings({})

    def broken(body: str) -> str:  # the template calls a function nobody defined
        return document(body, layout, 1).replace("#let kbgutter", "#nowhere()\n#let kbgutter")

    sheet = typst_fallback.Sheet.of(built, broken, base)
    with pytest.raises(typst_run.TypstFailed) as caught:
        build_pdf(sheet)
    assert "unknown variable: nowhere" in caught.value.message
    assert caught.value.path is None and not sheet.left_out


def test_a_stand_in_is_not_cached_and_a_fixed_entry_prints(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path
    base = base_of(project, "good.md", "frac-empty-denominator.md")
    (project / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    monkeypatch.chdir(project)
    code, _out, first = kb("export", "pdf")
    assert code == 0 and "frac-empty-denominator.md:16: typst could not print" in first
    pieces = ExportCache(project).typst_pieces()
    assert pieces and not any(NOTE in record[0] for record in pieces.values())
    assert any("frac(1, )" in record[0] for record in pieces.values())  # pandoc's own typst
    code, _out, again = kb("export", "pdf")  # unchanged: the same sheet and warning
    assert code == 0 and again == first

    path = base / "cases" / "frac-empty-denominator.md"
    doc = entry_file.read(path)
    entry_file.write(path, doc.entry, doc.body.replace("\\frac{1}{}", "\\frac{1}{1 + e^{-z}}"))
    code, _out, err = kb("export", "pdf")
    assert code == 0 and "warning:" not in err and "0 warning(s)" in err, err
    text = pdf_text(project / "build" / "kb.pdf")
    assert "Unseenword" in text and squash(NOTE) not in text


def test_unreadable_images_and_a_refused_entry_are_each_left_out(kb: Kb, tmp_path: Path) -> None:
    """A picture typst cannot decode costs only the picture; an entry it refuses, only
    that entry: both in one sheet."""
    base = base_of(tmp_path, "good.md", "frac-empty-denominator.md")
    shutil.copytree(FIXTURES / "export" / "pdf" / "corrupt" / "misc", base / "misc")
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", tmp_path / "kb.pdf")
    assert code == 0, err
    assert "warning: misc/broken.md: image /misc/garbled.png cannot be read" in err
    assert "warning: cases/frac-empty-denominator.md:16: typst could not print the formula" in err
    text = pdf_text(tmp_path / "kb.pdf")
    assert squash(GOOD_WORDS) in text and squash(NOTE) in text
    assert squash(entry_file.read(base / "misc" / "broken.md").entry.title) in text


def test_links_into_a_left_out_entry_lead_to_its_stand_in(kb: Kb, tmp_path: Path) -> None:
    """Another entry's links to the refused entry and to a heading of its answer jump
    to the stand-in's question; no jump of the PDF leads to a name it does not hold."""
    base = tmp_path / "notes"
    shutil.copytree(CASES / "links", base / "cases")
    out = tmp_path / "kb.pdf"
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", out)
    assert code == 0 and "cases/refused.md:18: typst could not print the formula" in err, err
    reader = PdfReader(out)
    names = set(reader.named_destinations)
    jumps = [
        str(annotation.get_object()["/Dest"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/Dest" in annotation.get_object()
    ]
    assert "refused-entry" in names and jumps.count("refused-entry") >= 2
    assert set(jumps) <= names


def test_the_error_is_placed_where_typst_says_it_not_at_a_warning(tmp_path: Path) -> None:
    """typst's diagnostic names the compile's warnings before its error: the first place
    in it was a warning's (a code block's tag in one entry), and that entry was left
    out instead of the one typst refused (a public collection of Chinese notes lost two
    entries that printed)."""
    source = "```c++\nint x;\n```\n\nText.\n\n#strong[step].two\n"
    with pytest.raises(typst_run.TypstFailed) as caught:
        typst_run.render(source, tmp_path, {})
    assert caught.value.source_line == 7
    assert "#strong[step].two" in str(caught.value) and "```c++" not in str(caught.value)
