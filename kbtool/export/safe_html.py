"""Sanitized HTML straight from markdown-it's tokens, for bodies nh3 would only reformat.

Sanitizing parses the rendered HTML again and writes it anew: about 0.2 ms an entry, a
tenth of a first export. A body without raw HTML holds only markdown-it's own elements
and attributes, all on the sanitizer's allow-list (:mod:`kbtool.export.sanitize`), so
nh3 changes only their form: void elements lose their ``/``, every link gains
``rel="noopener noreferrer"``, table cells lose ``style``, and text and attributes
are escaped as html5ever escapes them. :func:`safe_html` writes that form directly and
puts each ``href`` and ``src`` through the same URL check, in document order, as nh3's
attribute filter does. It declines (returns None) whenever nh3 might do more: raw
HTML, a token or attribute not listed here, a URL whose scheme nh3 would judge by
itself; the caller then sanitizes with nh3. ``tests/test_export_safe_html.py`` proves
the two give the same HTML and the same URL checks on the CommonMark spec's examples,
generated documents and every Markdown fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, cast

from markdown_it.common.utils import MD_TRIM_RE, mdTrim, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict, OptionsType

from kbtool.export.sanitize import UrlCheck  # the check nh3's attribute filter makes

RuleFn = Callable[[Sequence[Token], int, OptionsDict, EnvType], str]

# token type -> attributes it may carry; every element these make is on nh3's list
_NO_ATTRIBUTES = """inline paragraph_open paragraph_close heading_close blockquote_open
blockquote_close bullet_list_open bullet_list_close ordered_list_close list_item_open
list_item_close code_block fence hr table_open table_close thead_open thead_close
tbody_open tbody_close tr_open tr_close th_close td_close math_block math_block_label
text softbreak hardbreak code_inline em_open em_close strong_open strong_close s_open
s_close link_close math_inline"""
# (not math_inline_double: its rule writes a <p> inside the paragraph, which nh3 splits)
_ATTRIBUTES: dict[str, frozenset[str]] = {name: frozenset() for name in _NO_ATTRIBUTES.split()}
_ATTRIBUTES |= {
    "heading_open": frozenset({"id"}),
    "ordered_list_open": frozenset({"start"}),
    "th_open": frozenset({"style"}),  # text-align, which nh3 removes
    "td_open": frozenset({"style"}),
    "link_open": frozenset({"href", "title"}),
    "image": frozenset({"src", "alt", "title"}),
}
_URL_ATTRIBUTE = {"link_open": "href", "image": "src"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# an http(s) authority the URL parser nh3 uses cannot refuse: ASCII labels, no IDNA
# ("xn--"), no address, a port of at most five digits (checked against 65535 below)
_AUTHORITY = re.compile(r"//([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?)(?::([0-9]{1,5}))?(?=[/?#]|$)")
_NUMBER = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
_REL = ' rel="noopener noreferrer"'


def safe_html(
    renderer: SafeRenderer,
    tokens: Sequence[Token],
    options: OptionsDict,
    env: EnvType,
    check_url: UrlCheck,
) -> str | None:
    """What nh3 would make of markdown-it's HTML of ``tokens``, or None when only nh3
    can say. ``check_url`` is called as nh3's attribute filter would call it."""
    found: list[tuple[Token, str]] = []
    if not _plain(tokens, found):
        return None
    urls: dict[int, str | None] = {}
    for token, attribute in found:
        tag = "a" if token.type == "link_open" else "img"
        urls[id(token)] = check_url(tag, attribute, str(token.attrs[attribute]))
    return renderer.render_safe(tokens, options, env, urls)


def _plain(tokens: Sequence[Token], found: list[tuple[Token, str]]) -> bool:
    """Every token is one markdown-it writes safely and every URL one nh3 passes to its
    attribute filter as it is; ``found`` gets the URL-carrying tokens in order."""
    for token in tokens:
        allowed = _ATTRIBUTES.get(token.type)
        if allowed is None or token.meta:
            return False
        if token.attrs:
            if not allowed.issuperset(token.attrs):
                return False
            attribute = _URL_ATTRIBUTE.get(token.type)
            if attribute is not None and attribute in token.attrs:
                if not _plain_url(str(token.attrs[attribute])):
                    return False
                found.append((token, attribute))
        # an image's children are its alt text, written as an attribute value
        if token.children and token.type != "image" and not _plain(token.children, found):
            return False
    return True


def _plain_url(url: str) -> bool:
    """nh3 keeps ``url`` for the filter to judge: relative (its policy passes those
    through), ``mailto:``, or ``http(s)`` with an authority that parses."""
    if not url or url[0] <= " " or url[-1] <= " " or "\t" in url or "\n" in url or "\r" in url:
        return False  # the URL parser strips or drops these first
    scheme = _SCHEME.match(url)
    if scheme is None:
        return True
    name = scheme.group()[:-1].lower()
    if name == "mailto":  # an opaque path, unless "//" starts an authority to parse
        return not url.startswith("//", scheme.end())
    if name not in ("http", "https"):
        return False
    authority = _AUTHORITY.match(url, scheme.end())
    if authority is None:
        return False
    host, port = authority.group(1), authority.group(2)
    labels = host.rstrip(".").split(".")
    if any(label[:4].lower() == "xn--" for label in labels) or _NUMBER.fullmatch(labels[-1]):
        return False
    return port is None or int(port) <= 65535


def text(value: str) -> str:
    """``value`` escaped as text the way the sanitizer's serializer (html5ever) does."""
    escaped = value.replace("&", "&amp;").replace("\xa0", "&nbsp;")
    return escaped.replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """``value`` escaped as an attribute value the way html5ever does."""
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


class SafeRenderer(RendererHTML):
    """markdown-it's HTML renderer writing nh3's form (see the module docstring);
    ``rules`` add or replace token rules (math), which must escape with :func:`text`."""

    def __init__(self, rules: dict[str, RuleFn] | None = None) -> None:
        super().__init__()
        own: dict[str, Any] = self.rules  # markdown-it types them as bound methods
        own.update(rules or {})
        self._urls: dict[int, str | None] = {}
        self._options: tuple[OptionsDict, OptionsDict] | None = None  # given, used

    def render_safe(
        self,
        tokens: Sequence[Token],
        options: OptionsDict,
        env: EnvType,
        urls: dict[int, str | None],
    ) -> str:
        """HTML of ``tokens``, each URL replaced as ``urls`` (by token id) says."""
        self._urls = urls
        if self._options is None or self._options[0] is not options:
            html_options = OptionsDict(cast("OptionsType", {**options, "xhtmlOut": False}))
            self._options = (options, html_options)
        return self.render(tokens, self._options[1], env)

    def renderAttrs(self, token: Token) -> str:  # type: ignore[override]  # noqa: N802
        if not token.attrs:  # most tokens: called for every tag written
            return _REL if token.tag == "a" and token.nesting == 1 else ""
        out = []
        for key, value in token.attrItems():
            if key == "style":  # a table cell's alignment: nh3 removes it
                continue
            if key == _URL_ATTRIBUTE.get(token.type):
                checked = self._urls.get(id(token))
                if checked is None:
                    continue
                out.append(f' {key}="{_attribute(checked)}"')
            else:
                out.append(f' {key}="{_attribute(str(value))}"')
        if token.tag == "a" and token.nesting == 1:
            out.append(_REL)
        return "".join(out)

    def text(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return text(tokens[idx].content)

    def code_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "<code>" + text(tokens[idx].content) + "</code>"

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "<pre><code>" + text(tokens[idx].content) + "</code></pre>\n"

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # markdown-it's fence without a highlighter: the info string's first word as a class
        token = tokens[idx]
        info = mdTrim(unescapeAll(token.info)) if token.info else ""
        name = MD_TRIM_RE.split(info, maxsplit=1)[0] if info else ""
        attributes = f' class="{_attribute(options.langPrefix + name)}"' if info else ""
        return f"<pre><code{attributes}>{text(token.content)}</code></pre>\n"
