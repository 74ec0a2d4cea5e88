"""A link that leads nowhere in an export keeps its text, and each format says why in
the same words, with file and line.

The fixture (``tests/fixtures/export/dead-links/``), exported with ``--topic guides``:
``guides/study-plan.md`` links an entry that is exported, a draft, an entry of a topic
left out, a note that does not exist, a file that is not an entry and a folder. The
PDF kept the text of each but said nothing; the deck kept every link, and each led
Anki to an error page; the study page said "leads nowhere here; left out" of them
all (the text stayed) and warned about the topic it was asked to leave out. Each
format is read back by its real reader: pypdf, a real Anki collection, Chromium.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from tests.browser import Browser
from tests.conftest import FIXTURES
from tests.test_export_fits_browser import cards

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "dead-links"
TEXTS = [
    "the overview",
    "ranking metrics",
    "gradient descent",
    "the old plan",
    "the spreadsheet",
    "the drawings folder",
]
KEPT = "; its text is kept"
DRAFT = (
    "warning: guides/study-plan.md:15: link 'ranking-metrics.md' goes to the draft "
    "'ranking-metrics', which the {shown} leaves out (--include-drafts puts drafts in)" + KEPT
)
ALWAYS = [
    "warning: guides/study-plan.md:18: link 'old-plan.md' leads to no file "
    "(kbtool lint: KB102 broken-link)" + KEPT,
    "warning: guides/study-plan.md:20: link 'data/scores.csv' goes to a file that is not an "
    "entry" + KEPT,
    "warning: guides/study-plan.md:21: link '../ml/' goes to a folder, not an entry" + KEPT,
]
# the study page keeps drafts, so a link to one jumps there
EXPECTED = {
    "pdf": [DRAFT.format(shown="PDF"), *ALWAYS],
    "anki": [DRAFT.format(shown="deck"), *ALWAYS],
    "html": ALWAYS,
}


def export(kb: Kb, fmt: str, tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    shutil.copytree(BASE, notes)
    out = tmp_path / f"kb.{fmt}"
    code, _out, err = kb("export", fmt, "--notes", notes, "--topic", "guides", "--out", out)
    assert code == 0, err
    assert [line for line in err.splitlines() if line.startswith("warning:")] == EXPECTED[fmt]
    return out


def test_the_pdf_keeps_the_text_and_jumps_only_to_the_exported_entry(
    kb: Kb, tmp_path: Path
) -> None:
    reader = PdfReader(export(kb, "pdf", tmp_path))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for shown in TEXTS:
        assert shown in text
    links = [ref.get_object() for page in reader.pages for ref in page.get("/Annots", [])]
    jumps = {str(link["/Dest"]) for link in links if "/Dest" in link}
    assert jumps - {"topic-guides"} == {"overview"}
    assert not [link for link in links if "/A" in link]  # no web or file link


def test_the_deck_keeps_the_text_of_links_it_cannot_follow(
    kb: Kb, tmp_path: Path, chromium: Browser
) -> None:
    backs = cards(export(kb, "anki", tmp_path), tmp_path / "anki")
    (back,) = [back for back in backs if "the spreadsheet" in back]
    answer = back[back.index('<div class="answer">') :]
    assert "href" not in answer  # a card cannot follow a link to another note or a file
    page = tmp_path / "card.html"
    page.write_text(back, "utf-8")
    chromium.open(page.as_uri())
    assert_text_only(chromium, ".answer", [])


def test_the_study_page_jumps_to_entries_it_holds(
    kb: Kb, tmp_path: Path, chromium: Browser
) -> None:
    chromium.open(export(kb, "html", tmp_path).as_uri())
    assert_text_only(chromium, "#study-plan .answer", ["#overview", "#ranking-metrics"])


def assert_text_only(browser: Browser, answer: str, jumps: list[str]) -> None:
    """Every link text is shown; only ``jumps`` are links, and what is no link is not
    coloured as one (an ``<a>`` without ``href`` was blue and did nothing)."""
    shown = browser.js(f"document.querySelector({answer!r}).textContent")
    for link_text in TEXTS:
        assert link_text in " ".join(shown.split())
    found = browser.js(
        f"[...document.querySelectorAll({answer!r} + ' a')].map(a => [a.getAttribute('href'),"
        " getComputedStyle(a).color, getComputedStyle(a.parentElement).color])"
    )
    assert [href for href, _color, _around in found if href] == jumps
    for href, color, around in found:
        assert (color != around) == bool(href), (href, color, around)
