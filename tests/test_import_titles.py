"""Imported titles are the text a reader sees, and every export prints them as written.

``## What is a \\[tuple\\]?`` is titled ``What is a [tuple]?`` (the fixtures
``tests/fixtures/import/markdown/escaped-titles-*``); an exporter that writes the title
back into Markdown (the PDF's pandoc input) or HTML (the study page, Anki) escapes it, so
``*args and **kwargs``, ``a_b_c``, ``[x](y)`` or ``<br>`` print literally. Checked with
the real readers: pypdf on the PDF, an HTML parser on the page, the ``anki`` package on
the deck.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
import yaml
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from hypothesis import given
from hypothesis import strategies as st

from kbtool.store import entry_file
from kbtool.titles import markdown_escaped, title_text
from tests.conftest import FIXTURES

SOURCE = FIXTURES / "import" / "markdown" / "escaped-titles-en.md"
EXPECTED = yaml.safe_load(SOURCE.with_suffix(".expected.yaml").read_text("utf-8"))
TITLES = [entry["title"] for entry in EXPECTED["entries"]]
Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def base(kb: Runner, tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    code, _out, err = kb("import", SOURCE, "--notes", notes)
    assert code == 0, err
    return notes


def test_the_pdf_prints_each_title_as_written(kb: Runner, base: Path, tmp_path: Path) -> None:
    out = tmp_path / "kb.pdf"
    code, _out, err = kb("export", "pdf", "--notes", base, "--out", out)
    assert code == 0, err
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    lines = {" ".join(line.split()) for line in text.split("\n")}
    assert [t for t in TITLES if t not in lines] == []


class _Headings(HTMLParser):
    """The text of each ``<h2>`` of the study page."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self.inside = True
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "h2"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.texts[-1] += data


def test_the_study_page_and_json_show_each_title_as_written(
    kb: Runner, base: Path, tmp_path: Path
) -> None:
    page = tmp_path / "kb.html"
    code, _out, err = kb("export", "html", "--notes", base, "--out", page)
    assert code == 0, err
    headings = _Headings()
    headings.feed(page.read_text("utf-8"))
    assert sorted(headings.texts) == sorted(TITLES)
    out = tmp_path / "kb.json"
    code, _out, err = kb("export", "json", "--notes", base, "--out", out)
    assert code == 0, err
    entries = json.loads(out.read_text("utf-8"))["entries"]
    assert sorted(e["front_matter"]["title"] for e in entries) == sorted(TITLES)


def test_anki_shows_each_title_as_written(kb: Runner, base: Path, tmp_path: Path) -> None:
    deck = tmp_path / "kb.apkg"
    code, _out, err = kb("export", "anki", "--notes", base, "--out", deck)
    assert code == 0, err
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(deck), options=options))
        fronts = [html.unescape(col.get_note(n).fields[0]) for n in col.find_notes("")]
    finally:
        col.close()
    assert sorted(fronts) == sorted(TITLES)


@given(st.text(alphabet=st.sampled_from("ab \\`*_[]()<>&!$~#:;{}|x1"), max_size=30))
def test_an_escaped_plain_title_reads_back_as_itself(text: str) -> None:
    """A title a source gives as plain text (a file name, ``title:``) goes through the
    same reading as a Markdown one: escaped first, it comes back unchanged."""
    assert title_text(markdown_escaped(text)) == " ".join(text.split())


def test_a_title_written_before_is_found_again_and_updated(kb: Runner, base: Path) -> None:
    """An entry imported when titles kept their escapes (``What is a \\[tuple\\]?``) or
    lost their tags (``Is \\ a tag?``) is the same entry: re-import updates its title and
    keeps its id, adding no second entry."""
    before = {"What is a [tuple]?": "What is a \\[tuple\\]?", "Is <br> a tag?": "Is \\ a tag?"}
    for path in base.rglob("*.md"):
        doc = entry_file.read(path)
        if doc.entry.title in before:
            old = doc.entry.model_copy(update={"title": before[doc.entry.title]})
            entry_file.write_canonical(path, entry_file.sealed(old, doc.body)[1])
    code, out, err = kb("import", SOURCE, "--notes", base)
    assert code == 0, err
    assert "0 created, 2 updated" in out
    titles = sorted(entry_file.read(p).entry.title for p in base.rglob("*.md"))
    assert titles == sorted(TITLES)
