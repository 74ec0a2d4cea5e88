"""The study page in a real headless Chromium, opened from ``file://``.

Search, filters, a dashboard bar, drill mode by keys, theme and print are driven with
real input events; screenshots go to pytest's tmp dir (``screens/``); after every test
the network log must hold only the page itself and ``data:`` pictures, and the page
must have raised no error, dialog or CSP violation. ``make test`` installs Chromium.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kbtool.store import entry_file
from tests.browser import Browser
from tests.conftest import FIXTURES
from tests.test_export_html import study_base
from tests.test_stats import near_duplicates

SEARCHES: list[str] = yaml.safe_load((FIXTURES / "export" / "searches.yaml").read_text("utf-8"))
VISIBLE = "document.querySelectorAll('article.entry:not([hidden])').length"
SHOWN = "document.querySelectorAll('article.entry').length"


class Site:
    def __init__(self, root: Path) -> None:
        self.base = study_base(root / "notes")
        self.page = root / "kb.html"
        self.url = self.page.as_uri()
        self.screens = root / "screens"
        self.docs = [entry_file.read(path) for path in sorted(self.base.rglob("*.md"))]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from kbtool.cli import run

    made = Site(tmp_path_factory.mktemp("page"))
    assert run(["export", "html", "--notes", str(made.base), "--out", str(made.page)]) == 0
    return made


@pytest.fixture
def page(chromium: Browser, site: Site) -> Iterator[Browser]:
    """The page freshly opened; afterwards: no request left the file, nothing failed."""
    chromium.events.clear()
    chromium.open(site.url)
    yield chromium
    requests = chromium.requests()
    assert requests and requests[0] == site.url
    leaving = [url for url in requests if url != site.url and not url.startswith("data:")]
    assert not leaving, leaving
    problems = [
        e["params"]
        for e in chromium.events
        if e["method"] in {"Runtime.exceptionThrown", "Page.javascriptDialogOpening"}
        or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
        or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
    ]
    assert not problems, problems


def shot(browser: Browser, site: Site, name: str) -> None:
    """A screenshot into the test artifacts (pytest's tmp dir), checked to be a picture."""
    path = browser.screenshot(site.screens / f"{name}.png")
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and path.stat().st_size > 2000


def norm(text: str) -> str:
    return text.lower().replace("ё", "е")


def visible_ids(browser: Browser) -> list[str]:
    ids: list[str] = browser.js(
        "[...document.querySelectorAll('article.entry')]"
        ".filter(a => getComputedStyle(a).display !== 'none').map(a => a.id)"
    )
    return ids


def test_opens_with_every_entry_and_the_dashboard(page: Browser, site: Site) -> None:
    assert page.js(SHOWN) == len(site.docs) == page.js(VISIBLE)
    assert page.js("document.getElementById('count').textContent") == (
        f"{len(site.docs)} of {len(site.docs)} shown"
    )
    assert page.js("document.querySelectorAll('#dashboard svg').length") == 4
    assert page.js("document.querySelectorAll('math').length") > 0
    shot(page, site, "opened")


def test_search(page: Browser, site: Site) -> None:
    """Each query of searches.yaml finds the entries whose title or answer has its words."""
    for query in SEARCHES:
        page.js("document.getElementById('q').value = ''")
        page.click("#q")
        page.type(query)
        words = norm(query).split()
        expected = sorted(
            doc.entry.id
            for doc in site.docs
            if all(word in norm(doc.entry.title + "\n" + doc.body) for word in words)
        )
        assert sorted(visible_ids(page)) == expected, query
        shown = page.js("document.getElementById('count').getAttribute('data-shown')")
        assert shown == str(len(expected))
    shot(page, site, "search")


def test_topic_filter_and_dashboard_bar(page: Browser, site: Site) -> None:
    def in_topic(topic: str) -> list[str]:
        return sorted(doc.entry.id for doc in site.docs if doc.entry.topic == topic)

    page.click('#dashboard [data-filter="topic"][data-value="databases"]')
    assert sorted(visible_ids(page)) == in_topic("databases")
    assert page.js("document.getElementById('f-topic').value") == "databases"
    page.js(
        "const s = document.getElementById('f-topic'); s.value = 'nlp';"
        "s.dispatchEvent(new Event('change'))"
    )
    assert sorted(visible_ids(page)) == in_topic("nlp")
    page.click('#dashboard [data-filter="status"][data-value="draft"]')  # topic and status
    assert sorted(visible_ids(page)) == sorted(
        doc.entry.id
        for doc in site.docs
        if doc.entry.topic == "nlp" and doc.entry.status == "draft"
    )
    page.click("#reset")
    assert page.js(VISIBLE) == len(site.docs)
    page.click('#dashboard [data-filter="dup"]')  # the near-duplicate questions' bar
    front_matters = [doc.entry.model_dump(mode="json") for doc in site.docs]
    assert sorted(visible_ids(page)) == sorted(near_duplicates(front_matters))
    page.click("#reset")


def test_drill_by_keys(page: Browser, site: Site) -> None:
    page.click('#dashboard [data-filter="topic"][data-value="stats"]')
    stats = sorted(doc.entry.id for doc in site.docs if doc.entry.topic == "stats")
    page.click("#drill")
    answer_shown = (
        "getComputedStyle(document.querySelector('article.current .answer')).display !== 'none'"
    )
    first = visible_ids(page)
    assert len(first) == 1 and first[0] in stats
    assert page.js(answer_shown) is False
    shot(page, site, "drill-question")
    page.press(" ")
    assert page.js(answer_shown) is True
    shot(page, site, "drill-answer")
    left = int(page.js("document.getElementById('left').getAttribute('data-left')"))
    assert left == len(stats) - 1
    page.press("ArrowRight")
    second = visible_ids(page)
    assert len(second) == 1 and second != first
    assert page.js(answer_shown) is False
    assert page.js("document.getElementById('left').getAttribute('data-left')") == str(left - 1)
    page.press("ArrowLeft")
    assert visible_ids(page) == first
    page.click("article.current")  # a click reveals too
    assert page.js(answer_shown) is True
    page.click("#shuffle")
    order = page.js("kb.drill.order.map(a => a.id)")
    assert sorted(order) == stats
    page.press("Escape")
    assert sorted(visible_ids(page)) == stats


def test_theme_toggle_and_print(page: Browser, site: Site) -> None:
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.js(background)
    page.click("#theme")
    dark = page.js(background)
    assert dark != light
    shot(page, site, "dark")
    page.click("#theme")
    assert page.js(background) == light
    page.click("#drill")
    page.call("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        assert page.js("getComputedStyle(document.querySelector('header')).display") == "none"
        assert page.js("getComputedStyle(document.getElementById('dashboard')).display") == ("none")
        assert len(visible_ids(page)) == len(site.docs)  # drill mode or not, all print
        hidden_answers = page.js(
            "[...document.querySelectorAll('.answer')]"
            ".filter(a => getComputedStyle(a).display === 'none').length"
        )
        assert hidden_answers == 0
    finally:
        page.call("Emulation.setEmulatedMedia", session=True, media="")


# three frames drawn: the entries near the window have their heights, and the page
# has made the jump again if the browser's left the target under the bar
AFTER_DRAWING = (
    "new Promise(done => { let n = 3;"
    " const f = () => --n ? requestAnimationFrame(f) : done(); requestAnimationFrame(f); })"
)
BELOW_THE_BAR = (
    "(id => [document.querySelector('header.bar').getBoundingClientRect().bottom,"
    " document.getElementById(id).getBoundingClientRect().top, innerHeight])"
)


@pytest.mark.parametrize("width", [1200, 390])
def test_anchor_and_links_open_the_entry_below_the_bar(
    chromium: Browser, site: Site, width: int
) -> None:
    """An address with #id, and a link from one entry to another, show the entry with
    its title below the bar that stays at the top (it stopped under it: at 0 px, the
    bar 96 px tall on a wide screen and 277 px on a phone)."""
    chromium.resize(width)
    try:
        chromium.open("about:blank")  # a fresh page: earlier tests filtered this one's list
        chromium.open(site.url + "#kak-rabotayut-indeksy")
        for target, go in [
            ("kak-rabotayut-indeksy", None),
            ("pereobuchenie", "document.querySelector('#yomkost-modeli .answer a[href]').click()"),
        ]:
            if go:
                chromium.js(go)
            chromium.js(AFTER_DRAWING)
            bar, top, height = chromium.js(f"{BELOW_THE_BAR}({target!r})")
            assert bar <= top < height - 40, (target, bar, top)  # in view, not under the bar
    finally:
        chromium.call("Emulation.clearDeviceMetricsOverride", session=True)


def test_no_script_from_a_note_ran(page: Browser) -> None:
    """The hostile notes' handlers would set globals or open dialogs; none did."""
    assert page.js("typeof window.pwned") == "undefined"
    found = page.js(
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
        ".filter(a => /^on/i.test(a.name)).map(a => a.name)"
    )
    assert found == []
    assert json.dumps(page.js("document.scripts.length")) == "1"
    assert re.fullmatch(r"file://.*kb\.html", page.js("location.href"))


PHONE = """(() => {
  const bar = document.querySelector('header.bar').getBoundingClientRect();
  const first = document.querySelector('article.entry h2').getBoundingClientRect();
  const shown = el => el.checkVisibility();  // false under display: none and a shut <details>
  return {bar: bar.height, title: [first.top, first.bottom], height: innerHeight,
    filters: shown(document.getElementById('f-topic')),
    figures: shown(document.getElementById('dashboard')),
    button: document.getElementById('tools-toggle').textContent};
})()"""


def test_a_phone_shows_the_first_entry_under_a_compact_bar(chromium: Browser, site: Site) -> None:
    """At 360 x 640 the bar is the title, the count, search and a Filters button, and
    the first entry's title is on the first screen; the bar took 277 px and the figures
    the rest, and the first entry started at 656 px, below the screen. The filters and
    the figures are a tap away; a wide window shows everything as before."""
    chromium.resize(360, 640)
    try:
        chromium.open("about:blank")
        chromium.open(site.url)
        page = chromium.js(PHONE)
        assert page["bar"] <= 90, page
        assert page["bar"] <= page["title"][0] and page["title"][1] <= page["height"], page
        assert not page["filters"] and not page["figures"], page
        shot(chromium, site, "phone")
        chromium.click("#tools-toggle")
        assert chromium.js(PHONE)["filters"]
        assert chromium.js("document.getElementById('tools-toggle').ariaExpanded") == "true"
        chromium.js(
            "const s = document.getElementById('f-topic'); s.value = 'stats';"
            "s.dispatchEvent(new Event('change'))"
        )
        chromium.click("#tools-toggle")
        page = chromium.js(PHONE)
        assert not page["filters"] and page["button"] == "Filters (1)", page  # still said
        assert page["bar"] <= 90, page
        chromium.click("#coverage summary")
        assert chromium.js(PHONE)["figures"]
        shot(chromium, site, "phone-figures")
        chromium.resize(1200, 900)
        chromium.open("about:blank")
        chromium.open(site.url)
        page = chromium.js(PHONE)
        assert page["filters"] and page["figures"], page
        assert chromium.js("getComputedStyle(document.getElementById('tools-toggle')).display") == (
            "none"
        )
    finally:
        chromium.call("Emulation.clearDeviceMetricsOverride", session=True)
