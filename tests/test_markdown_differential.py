"""Differential tests: :func:`kbtool.markdown.document.parse` against a straightforward
walk of markdown-it-py's own tokens, on the CommonMark spec's examples, on generated
documents built from the constructs that broke line scanners, and on every Markdown
fixture. On a disagreement the parser wins: the walk below is the reference.

Compared: headings (level, text, slug, line), links and images (target as the parser
resolves it), code (inline and block), math and inline HTML contents, list items (line,
marker, depth); that the position-recording parser makes exactly the tokens the plain
one makes; and that lint's faster path (:func:`~kbtool.markdown.document.facts_of`,
which inline-parses only content where a fact can be) gives the very same Document.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.token import Token

from kbtool.markdown.document import Document, Link, facts_of, parse
from kbtool.markdown.parser import _configured, document_parser, parser
from kbtool.markdown.slugger import Slugger
from tests.conftest import FIXTURES

SPEC = json.loads((FIXTURES / "commonmark" / "spec-0.31.2.json").read_text(encoding="utf-8"))
MARKDOWN_FILES = sorted(FIXTURES.rglob("*.md"))
Facts = dict[str, list[Any]]


def _tokens(tokens: Sequence[Token]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for token in tokens:
        out.append((token.type, token.content, str(token.map)))
        out.extend(_tokens(token.children or []))
    return out


def _text(children: Sequence[Token]) -> str:
    parts = []
    for child in children:
        if child.type in {
            "text",
            "text_special",
            "code_inline",
            "math_inline",
            "math_inline_double",
        }:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append("\n")
    return "".join(parts).strip()


def reference(text: str) -> Facts:
    """What the token stream of the plain parser says, walked without cleverness."""
    env: dict[str, Any] = {}
    tokens = parser().parse(text, env)
    slugger = Slugger()
    facts: Facts = {"headings": [], "links": [], "code": [], "math": [], "html": [], "comments": []}
    facts["items"] = []
    for index, token in enumerate(tokens):
        if token.type == "list_item_open" and token.map is not None:
            facts["items"].append((token.map[0] + 1, token.info + token.markup, token.level))
        if token.type == "heading_open" and token.map is not None:
            text_ = _text(tokens[index + 1].children or [])
            facts["headings"].append((int(token.tag[1]), slugger.slug(text_), token.map[0] + 1))
        elif token.type in {"fence", "code_block"}:
            facts["code"].append(token.content)
        elif token.type in {"math_block", "math_block_label"}:
            facts["math"].append(token.content)
        elif token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            facts["comments"].append(token.content)
        for child in token.children or []:
            if child.type in {"link_open", "image"} and child.info != "auto":
                facts["links"].append(child.attrs.get("href", child.attrs.get("src")))
            elif child.type == "code_inline":
                facts["code"].append(child.content)
            elif child.type in {"math_inline", "math_inline_double"}:
                facts["math"].append(child.content)
            elif child.type == "html_inline" and child.content.startswith("<!--"):
                facts["comments"].append(child.content)
            elif child.type == "html_inline":
                facts["html"].append(child.content)
    references = env.get("references", {})
    facts["links"].sort()
    facts["code"].sort()
    facts["math"].sort()
    facts["html"].sort()
    facts["comments"].sort()
    facts["references"] = sorted(r["href"] for r in references.values())
    return facts


def ours(doc: Document) -> Facts:
    """The same facts as :func:`kbtool.markdown.document.parse` gives them."""
    refs: dict[str, Any] = {}
    for x in doc.links:
        if x.kind == "ref-def":
            refs.setdefault(normalizeReference(x.text), x)  # the first definition wins
    links = []
    for link in doc.links:
        if link.kind in {"link", "image"}:
            links.append(normalizeLink(unescapeAll(link.target)))
        elif link.kind == "reference":
            links.append(normalizeLink(unescapeAll(refs[normalizeReference(link.target)].target)))
    first = {label: normalizeLink(unescapeAll(x.target)) for label, x in refs.items()}
    return {
        "headings": [(h.level, h.slug, h.line) for h in doc.headings],
        "links": sorted(links),
        "code": sorted(s.content for s in doc.code_spans()),
        "math": sorted(s.content for s in doc.math_spans()),
        "html": sorted(s.content for s in doc.spans if s.kind == "html_inline"),
        "comments": sorted(s.content for s in doc.spans if s.kind == "comment"),
        "references": sorted(first.values()),
        "items": [(i.line, i.marker, i.depth) for i in doc.list_items],
    }


def check(text: str) -> None:
    """The whole comparison for one document."""
    assert _tokens(document_parser().parse(text)) == _tokens(parser().parse(text))
    doc = parse(text)
    want, got = reference(text), ours(doc)
    assert got == want
    assert facts_of(text) == doc  # the faster path: every fact equal
    for link in doc.links:
        assert text[link.start : link.end] == link.target, link
        check_extent(text, doc, link)
    for span in doc.spans:
        if span.kind == "code_inline":
            assert text[span.start] == "`" and text[span.end - 1] == "`", span
        elif span.kind.startswith("math_inline"):
            assert text[span.start] == "$" and text[span.end - 1] == "$", span
    for heading in doc.headings:
        assert doc.position(heading.start)[0] == heading.line, heading
    for item in doc.list_items:
        assert text[item.start : item.start + len(item.marker)] == item.marker, item
        assert doc.position(item.start)[0] == item.line, item


_OPENERS = {
    "link": ("[", ")"),
    "image": ("![", ")"),
    "autolink": ("<", ">"),
    "reference": ("[", "]"),
    "wikilink": ("[[", "]]"),
    "embed": ("![[", "]]"),
}


def check_extent(text: str, doc: Document, link: Link) -> None:
    """The whole construct of a link (:meth:`Document.extent`): it holds the target,
    starts where the link's position says, opens and closes as its kind does, and read
    alone (when on one line) is that one link to the same destination."""
    start, end = doc.extent(link)
    if link.kind not in _OPENERS:
        assert (start, end) == (link.start, link.end), link
        return
    opener, closer = _OPENERS[link.kind]
    assert start <= link.start <= link.end <= end, link
    assert doc.position(start) == (link.line, link.column), link
    whole = text[start:end]
    if link.kind == "reference":  # a reference image too: ``![alt][ref]``
        whole = whole.removeprefix("!")
    assert whole.startswith(opener) and whole.endswith(closer), (link, whole)
    if link.kind not in {"link", "image"} or "\n" in whole or "\r" in whole:
        return
    alone = [
        child
        for token in parser().parse(whole)
        for child in token.children or []
        if child.type in {"link_open", "image"}
    ]
    assert alone, (link, whole)
    found = alone[0].attrs.get("href", alone[0].attrs.get("src"))
    assert found == normalizeLink(unescapeAll(link.target)), (link, whole)


@pytest.mark.parametrize("case", SPEC, ids=lambda c: f"example-{c['example']}")
def test_commonmark_spec_examples(case: dict[str, Any]) -> None:
    check(case["markdown"])


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_files(path: Path) -> None:
    check(path.read_text(encoding="utf-8", errors="surrogateescape"))


PIECES = [
    "Text with a ` stray tick.",
    "``x`` y` and ``` z",
    "``` ```",
    "```\ncode ` tick\n```",
    "~~~~python\n# not a heading\n~~~~",
    "```\nunclosed fence",
    "    ```",
    "    indented code [x](y)",
    "<script>\n# no\n</script>",
    "<!-- comment\n# no -->",
    "<?php echo 1; ?>",
    "<!DOCTYPE html>",
    "<![CDATA[ [x](y) ]]>",
    "<div>\n# not a heading\n</div>",
    "<custom-tag>\n[x](y)",
    "<style>\np { }\n\n# heading after blank\n</style>",
    "Setext one\n===",
    "Setext two\n---",
    "# Heading",
    "## Why C#",
    "### `code` *em* [link](#x) <b>b</b> ![img](p.png)",
    "# Title {#custom}",
    "- a\n  - b\n    > c\n    > ## quoted",
    "> a\nlazy continuation",
    "\t- tab item\n\t\t- deeper",
    "1. one\n2) two",
    "$a_1 + b_{2}$ and $x\\\\y$",
    "$$\n\\frac{a}{b}\n$$",
    "$5 and $6 and \\$7",
    "$3 \\times 3$ maps a $6 \\times 6$ input",
    '[a](b.md) [c](<d e.md> "t") ![i](p.png)',
    "[nested ![img](a.png)](b.md)",
    "[r][ref] [ref] [Ref][]",
    "[ref]: /url 'title'",
    "[ref]:\n  <two line.md>",
    '<a id="x">label</a> <img src=\'a.png\'> <a href="b.md">b</a>',
    "[[Wiki|alias]] ![[embed.png]] `df[['a','b']]` $[[1, 2], [3, 4]]$",
    "| a | [x](y.md) |\n|---|---|\n| `c|d` | $e$ |",
    # the parser gives a cell's \| as |: what follows in the cell is one column further
    "| `x \\| y` then `z` [l](#q) | a \\| b $c$ |\n|---|---|\n| \\|\\| [m](n.md) | `\\|` |",
    "*emph* _under_ **strong** ~~del~~ \\* \\` \\[",
    "&amp; &#35; &copy; <https://example.org> <mail@example.org>",
    "- [Item](#heading)",
    "- [Group](#group)\n  - [Item?](#item)",
    "- - nested on one line\n- > 1) quoted\n\t* tab",
    "* * *\n- - -\n10. ten\n   - under ten",
    "line with trailing spaces  \nhard break",
    "[bad](< javascript:alert(1)>) [ok](<%20x.md>) [sp](<a b.md>) [u](ünï.md)",
    "[r2]: < javascript:x>\n\n[r2] [JS](JAVASCRIPT:x) ![d](data:image/png;base64,AA)",
    "[c](other.md#формулы) [w](https://ru.wikipedia.org/wiki/Градиент) [j](javascript:'ж')",
    "[nb](\u00a0javascript:x) ![dж](data:image/png;base64,Ж) [rc]\n\n[rc]: other.md#раздел",
    "plain words only, *emphasis* and __strong__, nothing else",
    # a closing dollar past a link's text or an emphasis: the math takes the "](" too
    '[a $b](u.md) c$ and *d $e* f$ and ![i $j](p.png) k$ [l](#m "$") $n$',
    "10$^{14}$ to 10$^{15}$ {p}, 2$_{k}$ and 5$ a month, 10$/GB, 3$ or 4$x$",
]
SEPARATORS = ["\n", "\n\n", "\r\n", "\r\n\r\n", "\n\n\n"]
PREFIXES = ["", "", "> ", "- ", "1. ", "  ", "\t", "> - ", "   "]


def assemble(draw: st.DrawFn, pieces: Sequence[str], separators: Sequence[str]) -> str:
    """One to eight of ``pieces``, each maybe inside a container prefix, joined by
    ``separators`` (shared by the generated-document tests of parsing and import)."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        piece = draw(st.sampled_from(pieces))
        prefix = draw(st.sampled_from(PREFIXES))
        if prefix:
            piece = "\n".join(prefix + line for line in piece.split("\n"))
        parts.append(piece)
        parts.append(draw(st.sampled_from(separators)))
    return "".join(parts)


@st.composite
def documents(draw: st.DrawFn) -> str:
    text = assemble(draw, PIECES, SEPARATORS)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example("- Text with a ` stray tick.\n\tText with a ` stray tick.\n")  # a tab in a list item
def test_generated_documents(text: str) -> None:
    check(text)


URL_PARTS = ["javascript:", "JavaScript:", "data:image/png;", "data:text/html;", "file:"]
URL_PARTS += ["vbscript:", "http://ex.org/", "other.md", "#", "ж", "формулы", "\u00a0", " "]
URL_PARTS += ["%", "%2", "^", "İ", "\u212a"]  # "İ" and the Kelvin sign lower to ASCII


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(URL_PARTS), min_size=1, max_size=5).map("".join))
@example("\u00a0javascript:x")  # blank to the check, encoded by the parser
@example("data:image/png;Ж")
@example("other.md#формулы")
def test_destinations_left_as_written_are_judged_as_the_parser_judges_them(url: str) -> None:
    """The facts parser skips percent-encoding a destination whose start is printable
    ASCII: markdown-it's validity check must give the same answer either way."""
    from markdown_it.common.normalize_url import normalizeLink, validateLink

    from kbtool.markdown.parser import _as_written

    assert validateLink(_as_written(url)) == validateLink(normalizeLink(url))


LINK_PARTS = [*URL_PARTS, "//host/", "mailto:a@b", "?q=1", "../topic/x.md", "%41", "%zz"]
LINK_PARTS += ["\ud800", "\U0001f600", "\t", "\n", "<", "[", "\\", '"', "`", "|", "{", "Ж ж"]


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(LINK_PARTS), min_size=1, max_size=6).map("".join),
        st.text(max_size=20),
    )
)
@example("other.md#формулы")
@example("x%4")  # a "%" with one hex digit after it, at the end
@example("a\ud800b")  # a lone surrogate
def test_normalized_link_is_markdown_its(url: str) -> None:
    """The renderer's fast link encoding gives markdown-it's normalizeLink, byte for
    byte, on any destination."""
    from markdown_it.common.normalize_url import normalizeLink

    from kbtool.markdown.parser import normalized_link

    assert normalized_link(url) == normalizeLink(url)


def _blocks(tokens: Sequence[Token]) -> list[tuple[str, str, str, str]]:
    return [(t.type, t.content, str(t.map), t.markup) for t in tokens]


@pytest.mark.parametrize("case", SPEC, ids=lambda c: f"example-{c['example']}")
def test_block_parser_reads_the_same_blocks(case: dict[str, Any]) -> None:
    """The blocks-only parser makes the full parse's tokens, inline children aside."""
    from kbtool.markdown.parser import block_parser

    text = case["markdown"]
    assert _blocks(block_parser().parse(text)) == _blocks(parser().parse(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_block_parser_on_generated_documents(text: str) -> None:
    from kbtool.markdown.parser import block_parser

    assert _blocks(block_parser().parse(text)) == _blocks(parser().parse(text))


def _math_past_its_end(text: str) -> list[str]:
    """Formulas the dollar rule made reaching past the end it was given (``posMax``:
    a link's text, an image's alt) in the shared configuration. The plugin looks for
    the closing ``$`` in the whole paragraph, not up to ``posMax``."""
    md = _configured()
    rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == "math_inline")
    past: list[str] = []

    def watched(state: Any, silent: bool) -> bool:
        ok: bool = rule(state, silent)
        if ok and state.pos > state.posMax:
            past.append(state.src[: state.pos])
        return ok

    md.inline.ruler.at("math_inline", watched)
    md.parse(text)
    return past


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(["[", "]", "(u)", "![", "$", "$$", "*", "`", "x", " ", "1", "\\"]),
        max_size=14,
    ).map("".join)
)
@example("[a $b](u) c$")
@example("![a $b](u) c$")
def test_math_never_reaches_past_a_link_text(text: str) -> None:
    # A link's text is found by skipping tokens with the same rules (the dollar rule
    # among them), so a formula that would close past "](" has already taken it and no
    # link is made: the reading is the parser's, with no formula across a link's end.
    assert _math_past_its_end(text) == []
