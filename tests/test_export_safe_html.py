"""Differential tests: HTML written safe from the tokens equals markdown-it's HTML
sanitized by nh3, with the same URL checks in the same order.

:mod:`kbtool.export.safe_html` skips nh3 for bodies it can write in nh3's form itself;
on the CommonMark spec's examples, generated documents and every Markdown fixture,
whatever it writes must be byte for byte what nh3 makes, and its URL checks must be
the calls nh3's attribute filter makes. On a disagreement nh3 wins.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from kbtool.export import render
from kbtool.export.safe_html import _plain_url, safe_html
from kbtool.export.sanitize import _ATTRIBUTES, _SEEN_SCHEMES, _TAGS, UrlCheck, sanitize
from tests.conftest import FIXTURES
from tests.test_markdown_differential import documents

SPEC = json.loads((FIXTURES / "commonmark" / "spec-0.31.2.json").read_text(encoding="utf-8"))
MARKDOWN_FILES = sorted(FIXTURES.rglob("*.md"))
Calls = list[tuple[str, str, str]]


def _checker(calls: Calls) -> UrlCheck:
    """A URL check like render.py's: it drops some URLs, rewrites pictures, keeps the
    rest; every call is recorded."""

    def check(tag: str, attribute: str, url: str) -> str | None:
        calls.append((tag, attribute, url))
        if "drop" in url or url.startswith("javascript"):
            return None
        if tag == "img":
            return f"media/{len(calls)}.png"
        return url

    return check


def both(text: str, math: bool = False) -> tuple[str | None, str, Calls, Calls]:
    """(safe HTML or None, nh3's HTML, the URL checks of each); with ``math``, formulas
    as placeholders, collected alike by both."""
    md = render._markdown()
    tokens: Sequence[Token] = render.parsed(text)
    fast_calls: Calls = []
    slow_calls: Calls = []
    fast_env: dict[str, Any] = {"math_slots": ("kbmath0", [])} if math else {}
    slow_env: dict[str, Any] = {"math_slots": ("kbmath0", [])} if math else {}
    fast = safe_html(render._MARKDOWN[1], tokens, md.options, fast_env, _checker(fast_calls))
    slow = sanitize(md.renderer.render(tokens, md.options, slow_env), _checker(slow_calls))
    if fast is not None:
        assert fast_env == slow_env  # the same formulas collected, in order
    return fast, slow, fast_calls, slow_calls


def check(text: str, math: bool = False) -> bool:
    """The safe path agrees with nh3 where it answers; True when it answered."""
    fast, slow, fast_calls, slow_calls = both(text, math)
    if fast is None:
        assert not fast_calls  # a declined body left no trace
        return False
    assert fast == slow
    assert fast_calls == slow_calls
    return True


@pytest.mark.parametrize("case", SPEC, ids=lambda c: f"example-{c['example']}")
def test_spec_examples(case: dict[str, str]) -> None:
    check(case["markdown"])


def test_most_spec_examples_take_the_safe_path() -> None:
    """The comparison above means something only if the safe path answers: it declines
    raw HTML and little else."""
    answered = [check(case["markdown"]) for case in SPEC]
    with_html = [case for case in SPEC if "HTML" in case["section"] or "<" in case["markdown"]]
    assert sum(answered) >= len(SPEC) - len(with_html) - 10


@settings(max_examples=150, deadline=None)
@given(documents(), st.booleans())
def test_generated_documents(text: str, math: bool) -> None:
    check(text, math)


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixtures(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    check(text)
    check(text, math=True)


@pytest.mark.parametrize(
    "text",
    [
        "<b>raw</b> HTML",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "[x](tg://resolve?domain=a)",
        "[x](http://999.1.1.1/)",
        "[x](https://xn--80ak6aa92e.com/)",
        "![x](C:\\pictures\\a.png)",
        "inline $$x^2$$ display",
    ],
)
def test_declines_what_only_nh3_can_judge(text: str) -> None:
    fast, slow, _, _ = both(text)
    assert fast is None
    assert "script" not in slow


URL_PIECES = st.sampled_from(
    ["http:", "https:", "HTTP:", "mailto:", "javascript:", "ftp:", "c:", "a.b:", "tg:", ""]
)
HOSTS = st.sampled_from(
    ["//example.org", "//Example.ORG.", "//a-b.c", "//xn--abc", "//127.0.0.1", "//1.2.3",
     "//0x10", "//ex%41", "//a..b", "//", "//ex ample", "//user@host", "//[::1]", "//ex_ample",
     "example.org", ""]
)  # fmt: skip
PORTS = st.sampled_from(["", ":80", ":65535", ":65536", ":99999", ":", ":8x"])
TAILS = st.sampled_from(["", "/p", "/a b", "?q=1", "#f", "\\x", "/ж", " ", "\t/x"])
LEADS = st.sampled_from(["", "", " ", "\x01"])


@settings(max_examples=500, deadline=None)
@given(LEADS, URL_PIECES, HOSTS, PORTS, TAILS)
def test_plain_urls_reach_nh3s_filter_as_written(
    lead: str, scheme: str, host: str, port: str, tail: str
) -> None:
    """A URL the safe path calls plain is one nh3 keeps and hands to its attribute
    filter unchanged: so both paths let the same check judge it."""
    url = lead + scheme + host + port + tail
    if not _plain_url(url):
        return
    seen: list[str] = []

    def keep(tag: str, attribute: str, value: str) -> str:
        if attribute == "href":
            seen.append(value)
        return value

    nh3.clean(
        f'<a href="{url.replace("&", "&amp;").replace(chr(34), "&quot;")}">x</a>',
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=set(nh3.ALLOWED_URL_SCHEMES) | _SEEN_SCHEMES,
    )
    assert seen == [url]
