"""The sheet's one pandoc pass: what its filter makes of pictures, links and headings,
and how the file-system checks hold its guesses to account (real pandoc).

``fixtures/export/pdf/pictures`` has a picture that starts a paragraph, ``<img>`` tags
inline and as a block (one with ``&amp;`` in its path), a folder named like a picture,
an answer heading that a link points at and one that none does, and links to another
entry, to that entry's heading, to the web, to ``javascript:`` and to a file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kbtool.export import typst_source
from kbtool.export.base import Selection
from kbtool.export.loader import load
from kbtool.export.typst_source import TypstSource
from tests.conftest import FIXTURES

PDF = FIXTURES / "export" / "pdf"
PICTURES = PDF / "pictures"


def built(base: Path) -> TypstSource:
    return typst_source.build(base, load(base, Selection()).documents, answers=True)


@pytest.fixture(scope="module")
def pictures() -> TypstSource:
    return built(PICTURES)


@pytest.mark.parametrize(
    "base",
    [PDF / "notes", FIXTURES / "export" / "base", PDF / "layout", PDF / "same-headings"],
    ids=lambda path: path.name,
)
def test_the_filter_guesses_what_the_checks_decide(base: Path) -> None:
    """Every picture and link decision made in pandoc holds on the file system, so no
    piece of these bases is converted twice (missing, absolute and outside pictures
    and broken links included)."""
    assert built(base).again == 0


def test_pictures_in_every_form_are_placed(pictures: TypstSource) -> None:
    body = pictures.body
    assert '#box(image("/ml/img/curve.png")) The text after a picture that starts' in body
    assert 'An inline tag #box(image("/ml/img/curve.png"))' in body
    assert 'one with an entity #box(image("/ml/img/a&b.png"))' in body
    assert '\n#box(image("/ml/img/curve.png"))\n' in body  # the <img> block
    assert "folder.png" not in body


def test_a_wrong_guess_is_corrected_with_a_warning(pictures: TypstSource) -> None:
    """A folder named ``folder.png`` opens like a file to the filter; the checks know
    better: the piece is converted again without it, and the warning names the line."""
    line = next(
        number
        for number, text in enumerate((PICTURES / "ml" / "pictures.md").open(), start=1)
        if "folder.png" in text
    )
    assert pictures.warnings == [
        # refused links are said as the other formats say them
        "ml/links.md:15: refused a href='javascript:alert(1)': javascript: URLs are not exported",
        "ml/links.md:16: refused a href='../../../etc/passwd': it points outside the "
        "knowledge base",
        f"ml/pictures.md:{line}: image img/folder.png not found; left out of the PDF "
        "(add the file or fix the path)",
    ]
    assert "A folder named like a picture: leaves no trace." in pictures.body
    assert pictures.again == 2  # this one, and the link to the other entry's heading


def test_answer_headings_keep_a_label_only_when_a_link_needs_it(pictures: TypstSource) -> None:
    body = pictures.body
    assert "==== Steps\n<pictures--steps>\n" in body
    assert "==== Unlinked\nNo link points here" in body  # no label: nothing links to it
    assert "#link(<pictures--steps>)[the steps]" in body
    assert "#link(<pictures--steps>)[a heading of theirs]" in body  # from the other entry


def test_links_become_jumps_web_links_or_text(pictures: TypstSource) -> None:
    body = pictures.body
    assert "#link(<links>)[the other entry]" in body
    assert "Back to #link(<pictures>)[the pictures]" in body  # a file#heading: the entry
    assert '#link("https://example.org/a?b=1#c")[the web]' in body
    assert "a script and\na file." in body  # javascript: and a file outside: text only
    assert "javascript" not in body and "passwd" not in body


@pytest.mark.parametrize("linked", ["the file", "its folder"])
def test_a_picture_that_leads_out_of_the_base_is_refused(tmp_path: Path, linked: str) -> None:
    """Inside the base by its path, outside by a symlink (the picture, or the folder
    that holds it): the filter cannot see that, the checks do."""
    base = tmp_path / "notes"
    shutil.copytree(PICTURES, base)
    outside = tmp_path / "outside"
    shutil.copytree(PICTURES / "ml" / "img", outside)
    if linked == "the file":
        (base / "ml" / "img" / "curve.png").unlink()
        (base / "ml" / "img" / "curve.png").symlink_to(outside / "curve.png")
    else:
        shutil.rmtree(base / "ml" / "img")
        (base / "ml" / "img").symlink_to(outside)
    result = built(base)
    assert "curve.png" not in result.body
    refused = [w for w in result.warnings if "img/curve.png points outside the base" in w]
    assert len(refused) == 3  # each use: Markdown, <img> inline, <img> block
