"""``kbtool export html`` read as a document: self-contained, inert, anchored, MathML.

What the page does when opened is tested in a real browser in
``test_export_html_browser.py``; here the file itself is checked with an HTML parser.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kbtool.markdown.parser import parser
from kbtool.store import entry_file
from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
SOURCES = [FIXTURES / "export" / "base", FIXTURES / "export" / "study"]
HOSTILE_NOTE = FIXTURES / "bad" / "hostile-html.md"
ACTIVE_TAGS = ("script", "iframe", "object", "embed", "link", "base", "form", "frame", "style")


def study_base(root: Path) -> Path:
    """The export base, the study base and the bad corpus's hostile note in one base."""
    for source in SOURCES:
        shutil.copytree(source, root / source.name)
    shutil.copy(HOSTILE_NOTE, root / "hostile-from-bad.md")
    return root


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[BeautifulSoup, str, Path]:
    from kbtool.cli import run

    base = study_base(tmp_path_factory.mktemp("html") / "notes")
    out = base.parent / "kb.html"
    assert run(["export", "html", "--notes", str(base), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    return BeautifulSoup(text, "html.parser"), text, base


def entries(base: Path) -> list[entry_file.EntryDocument]:
    return [entry_file.read(path) for path in sorted(base.rglob("*.md"))]


def test_every_entry_at_its_id(page: tuple[BeautifulSoup, str, Path]) -> None:
    soup, _, base = page
    ids = [a["id"] for a in soup.select("article.entry")]
    assert sorted(ids) == sorted(doc.entry.id for doc in entries(base))
    for doc in entries(base):
        article = soup.find("article", id=doc.entry.id)
        assert article is not None
        assert article.h2 is not None and article.h2.get_text() == doc.entry.title
        assert article["data-topic"] == doc.entry.topic
        assert article["data-status"] == doc.entry.status


def test_self_contained(page: tuple[BeautifulSoup, str, Path]) -> None:
    """Nothing to fetch: one inline script and style, pictures as data: URIs."""
    soup, _, _ = page
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    assert len(soup.find_all("style")) == 1
    assert not soup.find_all("link")
    sources = [img["src"] for img in soup.find_all("img") if img.get("src")]  # refused: none
    assert sources, "the fixture's picture is embedded"
    assert all(src.startswith("data:image/png;base64,") for src in sources)
    assert all(not tag.get("src") for tag in soup.find_all(["iframe", "audio", "video", "source"]))
    assert "url(" not in soup.style.get_text()  # type: ignore[union-attr]


def test_content_security_policy_allows_exactly_the_inline_code(
    page: tuple[BeautifulSoup, str, Path],
) -> None:
    soup, _, _ = page
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["img-src"] == "data:"

    def sha(tag: str) -> str:
        node = soup.find(tag)
        assert node is not None
        digest = hashlib.sha256(node.string.encode("utf-8")).digest()  # type: ignore[union-attr]
        return f"'sha256-{base64.b64encode(digest).decode()}'"

    assert policy["script-src"] == sha("script")
    assert policy["style-src"] == sha("style")


def test_hostile_notes_stay_inert(page: tuple[BeautifulSoup, str, Path]) -> None:
    soup, _, _ = page
    for answer in soup.select("article .answer"):
        assert not answer.find_all(ACTIVE_TAGS), answer
        for tag in answer.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), tag
                assert name != "style", tag
                text = " ".join(value) if isinstance(value, list) else value
                assert not re.match(r"\s*(javascript|vbscript|file):", text, re.I), tag
    hostile = soup.find("article", id="hostile-math")
    assert hostile is not None
    assert "alert" not in hostile.get_text()  # script text inside \text{} is dropped
    assert hostile.find("code", class_="math-tex").get_text() == "\\frac{1}{"  # type: ignore[union-attr]


def test_math_is_mathml(page: tuple[BeautifulSoup, str, Path]) -> None:
    """Every formula of a note is a <math> element (or its TeX, for one that does not parse)."""
    soup, _, base = page
    md = parser()
    for doc in entries(base):
        formulas = [
            t
            for block in md.parse(doc.body)
            for t in [block, *(block.children or [])]
            if t.type.startswith("math_")
        ]
        article = soup.find("article", id=doc.entry.id)
        assert article is not None
        shown = article.find_all("math") + article.find_all(class_="math-tex")
        assert len(shown) == len(formulas), doc.entry.id
        displayed = [m for m in article.find_all("math") if m.get("display") == "block"]
        assert len(displayed) == sum(t.type.startswith("math_block") for t in formulas)
    assert "\\(" not in soup.main.get_text()  # type: ignore[union-attr]


def test_links_to_entries_point_at_their_anchor(page: tuple[BeautifulSoup, str, Path]) -> None:
    soup, _, _ = page
    article = soup.find("article", id="yomkost-modeli")
    assert article is not None
    hrefs = [a["href"] for a in article.select(".answer a")]
    assert hrefs == ["#pereobuchenie"]
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    for link in soup.select(".answer a[href^='#']"):
        assert link["href"][1:] in ids, link


def test_dashboard_bars_are_filters_with_the_stats(page: tuple[BeautifulSoup, str, Path]) -> None:
    soup, _, base = page
    bars = soup.select("#dashboard svg [data-filter]")
    topics = {b["data-value"] for b in bars if b["data-filter"] == "topic"}
    assert topics == {doc.entry.topic for doc in entries(base)}
    values = {b["data-filter"] for b in bars}
    assert values == {"topic", "status", "difficulty", "source", "dup"}
    drafts = next(b for b in bars if b["data-filter"] == "status" and b["data-value"] == "draft")
    assert drafts.get_text().endswith(str(sum(d.entry.status == "draft" for d in entries(base))))


def test_default_path_and_warnings(kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    study_base(tmp_path / "notes")
    monkeypatch.chdir(tmp_path)
    code, _, err = kb("export", "html", "--notes", "notes")
    assert code == 0, err
    assert (tmp_path / "build" / "kb.html").is_file()
    assert "html: 15 entries -> build/kb.html" in err
    assert re.search(r"warning: study/stats/hostile-math\.md:\d+: formula .* shown as TeX", err)
    assert "refused a href='javascript:alert(2)'" in err


MARKDOWN_FILES = sorted((FIXTURES / "export").rglob("*.md")) + sorted(
    (FIXTURES / "lint").rglob("*.md")
)


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_math_slots_change_nothing_but_the_math(path: Path) -> None:
    """With a converter that writes what the plain renderer writes, the page's path
    (placeholders, sanitize, put the math back) gives byte-equal HTML."""
    import html as html_module

    from kbtool.export.render import render_markdown

    def as_plain(tex: str, display: bool) -> tuple[str, None]:
        text = html_module.escape(tex, quote=False)
        return ("\\[" + text + "\\]" if display else "\\(" + text + "\\)"), None

    text = path.read_text(encoding="utf-8", errors="replace")
    where = {"base": path.parent, "folder": path.parent, "display": path.name}
    plain = render_markdown(text, **where)  # type: ignore[arg-type]
    slotted = render_markdown(text, math=as_plain, **where)  # type: ignore[arg-type]
    assert slotted.html == plain.html
    assert slotted.warnings == plain.warnings
