"""Nothing a note holds runs out of the study page or an Anki card on a phone's width.

The fixture (``tests/fixtures/export/fits/``) has what public collections hold and
narrow screens cannot: a bare URL of 140 characters, a file path as inline code, a
six-column table with URLs in its cells, a picture 1,400 pixels wide, a long
CamelCase class name and a topic named in 42 characters. The study page and each card
of the deck (imported into a real Anki collection, shown with the note type's CSS) are
opened in headless Chromium at 390 and 1,000 CSS pixels; screenshots go to pytest's
tmp dir (``fits/``). Before: the dashboard and the topic list ran 106 px past a
phone's screen, and both cards ran out of their width (a card 955 px wide on a
390 px phone, and a URL in a table cell past a 1,000 px window).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from kbtool.cli import run
from tests.browser import Browser
from tests.conftest import FIXTURES

BASE = FIXTURES / "export" / "fits"
WIDTHS = (390, 1000)

# Elements that reach past their box's right edge, or whose content does (a word that
# cannot break), unless a scrolling ancestor inside the box holds them.
OVERFLOWING = """(selector => {
  const out = [];
  for (const box of document.querySelectorAll(selector)) {
    const edge = box.getBoundingClientRect().right + 1;
    const scrolls = el => {
      for (let a = el.parentElement; a && a !== box; a = a.parentElement) {
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true;
      }
      return false;
    };
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || getComputedStyle(el).overflowX !== 'visible' || scrolls(el)) continue;
      if (r.right > edge || r.left + el.scrollWidth > edge) {
        const what = el.textContent || el.getAttribute('src') || '';
        out.push(el.tagName + ': ' + what.trim().slice(0, 60));
      }
    }
  }
  return out;
})"""


def overflowing(browser: Browser, selector: str) -> list[str]:
    assert browser.js(f"document.querySelectorAll({selector!r}).length") > 0
    found: list[str] = browser.js(f"{OVERFLOWING}({selector!r})")
    page = browser.js(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if page[0] > page[1]:
        found.append(f"the page: {page[0]} px wide in a {page[1]} px window")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_study_page_fits_the_screen(
    chromium: Browser, width: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("page")
    assert run(["export", "html", "--notes", str(BASE), "--out", str(folder / "kb.html")]) == 0
    chromium.resize(width)
    chromium.open((folder / "kb.html").as_uri())
    assert chromium.js("document.querySelectorAll('#dashboard svg').length") == 4
    # a phone opens with the figures and the filters folded: unfold both to measure them
    chromium.js(
        "document.getElementById('coverage').open = true;"
        "document.querySelector('header.bar').classList.add('tools')"
    )
    assert chromium.js("document.getElementById('dashboard').checkVisibility()")
    assert chromium.js("document.getElementById('f-topic').checkVisibility()")
    assert overflowing(chromium, "article.entry .answer") == []
    assert overflowing(chromium, "#dashboard") == []
    assert overflowing(chromium, "header.bar") == []
    shots = tmp_path_factory.getbasetemp() / "fits"
    chromium.screenshot(shots / f"study-page-{width}.png")


def cards(deck: Path, folder: Path) -> list[str]:
    """Each card's back as Anki shows it: the answer's HTML inside ``.card``, styled by
    the note type's CSS, pictures from the collection's media folder."""
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(deck), options=ImportAnkiPackageOptions())
        )
        media = Path(col.media.dir()).as_uri()
        pages = []
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            pages.append(
                f"<!doctype html><meta charset=utf-8><base href='{media}/'>"
                f"<style>{card.note_type()['css']}</style>"
                f"<body><div class=card>{card.answer()}</div></body>"
            )
        return pages
    finally:
        col.close()


def test_anki_cards_fit_the_screen(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("deck")
    assert run(["export", "anki", "--notes", str(BASE), "--out", str(folder / "kb.apkg")]) == 0
    backs = cards(folder / "kb.apkg", folder / "anki")
    assert len(backs) == 2
    shots = tmp_path_factory.getbasetemp() / "fits"
    for number, back in enumerate(backs):
        page = folder / f"card{number}.html"
        page.write_text(back, "utf-8")
        for width in WIDTHS:
            chromium.resize(width)
            chromium.open(page.as_uri())
            assert chromium.js("document.querySelectorAll('.answer').length") == 1
            assert overflowing(chromium, ".card") == [], f"card {number} at {width} px"
            chromium.screenshot(shots / f"card{number}-{width}.png")
    assert any("<img" in back for back in backs) and any("<table" in back for back in backs)
