"""The one markdown-it configuration used by lint, normalize, import and export.

CommonMark plus GFM tables and strikethrough, raw HTML allowed (notes contain
``<a id=...>`` anchors and ``<details>``), and ``$…$`` / ``$$…$$`` math as tokens of
their own so that nothing inside math is read as emphasis or links.

:func:`document_parser` is the same configuration plus :mod:`kbtool.markdown.positions`,
which records where inline tokens start and end (markdown-it keeps only block lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

# Token levels the parser nests before it stops reading (a list and its item are a
# level each). The CommonMark preset's 20 drops everything below ten nested lists, which
# GitHub and pandoc show: lint missed the links there and the exports lost the text.
# markdown-it's default preset allows 100 (about fifty lists), still a bound on the
# parser's recursion for hostile input.
MAX_NESTING = 100


def _configured() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # "$5 a month … $10 a year" is text, as pandoc (the PDF) and Obsidian print it: a "$"
    # right after a digit opens no formula and one right before a digit closes none. A
    # formula with blanks inside its dollars (`$ a^2 $`) is still one: notes write them,
    # and the PDF export tightens them for pandoc (typst_source.fix_spaced_math).
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    rule = _nothing_before_the_start(_inline_rule(md, "math_inline"))
    md.inline.ruler.at("math_inline", _kramdown_inline(_tex_after_a_number(rule)))
    return md


InlineRule = Callable[[StateInline, bool], bool]


def _inline_rule(md: MarkdownIt, name: str) -> InlineRule:
    rule: InlineRule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
    return rule


def _nothing_before_the_start(rule: InlineRule) -> InlineRule:
    """The dollar rule with no character before a paragraph's first.

    It looks at ``src[pos - 1]`` for the character before the opening ``$`` (a digit
    opens no formula, a backslash escapes it), and at the start of a paragraph Python
    reads that as the paragraph's last character: ``$n$ choose 2`` and ``$a_1$ … 3``
    were text, where GitHub, Obsidian and pandoc show a formula. There the rule is run
    on the text with a newline after it, which is neither.
    """

    def rule_at_start(state: StateInline, silent: bool) -> bool:
        src = state.src
        if state.pos != 0 or not src or not (src[-1].isdigit() or src[-1] == "\\"):
            return rule(state, silent)
        state.src = src + "\n"
        try:
            return rule(state, silent)
        finally:
            state.src = src

    return rule_at_start


# what only TeX writes right after an opening dollar: a superscript, a subscript, a
# command or a group; no price or unit starts so ("5$ a month", "10$/GB")
_TEX_START = frozenset("^_\\{")


def _tex_after_a_number(rule: InlineRule) -> InlineRule:
    """The dollar rule, letting a ``$`` right after a digit open a formula that starts
    as only TeX does: ``10$^{14}$``, ``2$\\times$ 3``.

    With ``allow_digits=False`` a digit before the ``$`` opens nothing, which keeps
    "5$ a month … 10$ a year" text; but then ``10$^{14}$ to 10$^{15}$`` was read as
    the formula `` to 10`` and text, where pandoc (an opening ``$`` needs only a
    non-blank after it) and Obsidian show two powers of ten, and lint reported the
    first dollar as unclosed math. There the rule is run with a
    blank for the digit (the rule reads the character before the ``$`` and nothing
    else of the text before it).
    """

    def rule_after_digit(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if not (0 < pos < len(src) - 1 and src[pos - 1].isdigit() and src[pos + 1] in _TEX_START):
            return rule(state, silent)
        if src[pos] != "$":
            return False
        state.src = src[: pos - 1] + " " + src[pos:]
        try:
            return rule(state, silent)
        finally:
            state.src = src

    return rule_after_digit


def _kramdown_inline(rule: InlineRule) -> InlineRule:
    """The dollar rule, reading kramdown's ``\\$$ x $$`` as inline math.

    kramdown (Jekyll, GitHub Pages) writes all math as ``$$ x $$`` and escapes the
    first dollar, ``\\$$ x $$``, for a formula that would otherwise stand as a display
    block; its documentation recommends it. Read by CommonMark, the escape leaves
    ``$`` and the rule paired the next dollars wrongly (`` x `` and then the text up to
    the next formula's escape), so lint reported a ``$$`` as unclosed. An escaped
    ``$$`` opens a formula only when the next ``$$`` in its paragraph is unescaped and
    something but blanks stands between: ``\\$$5 or \\$$10`` stays text.
    """

    def rule_kramdown(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if src[pos] != "\\" or not src.startswith("$$", pos + 1) or src[pos + 3 : pos + 4] == "$":
            return rule(state, silent)
        end = src.find("$$", pos + 3, state.posMax)
        content = src[pos + 3 : end]
        if end < 0 or _escaped(src, end) or not content.strip():
            return rule(state, silent)
        if not silent:
            token = state.push("math_inline", "math", 0)
            token.content = content
            token.markup = "$"
        state.pos = end + 2
        return True

    return rule_kramdown


def _escaped(src: str, at: int) -> bool:
    """Whether an odd run of backslashes stands before ``src[at]``."""
    count = 0
    while at - count - 1 >= 0 and src[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared parser, for rendering."""
    return _configured()


@lru_cache(maxsize=1)
def document_parser() -> MarkdownIt:
    """The shared parser that also records inline token and reference positions."""
    from kbtool.markdown.positions import position_plugin

    md = _configured()
    md.use(position_plugin)
    return md


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The shared configuration reading blocks only: inline tokens keep their source
    ``content`` and get no children. For readers of block structure alone (a short
    answer's list, quote and heading markers), at about half the cost of a full parse;
    the tests compare its tokens with the full parse's."""
    md = _configured()
    md.core.ruler.disable("inline")
    return md


@lru_cache(maxsize=4)
def nesting_block_parser(max_nesting: int) -> MarkdownIt:
    """:func:`block_parser` that nests up to ``max_nesting`` token levels. The shared
    configuration stops at :data:`MAX_NESTING` and leaves deeper content unread; a reader
    of nesting depth needs to see past whatever bound it checks."""
    md = _configured()
    md.core.ruler.disable("inline")
    md.options["maxNesting"] = max_nesting
    return md


# An inline fact (code span, math, link, image, autolink, inline HTML, wikilink)
# starts with one of these characters; content without any can only be text.
_FACT_STARTS = re.compile(r"[`$<\[]")


def _inline_where_facts_can_be(state: StateCore) -> None:
    """markdown-it's ``inline`` core rule, run only on headings (their text is needed
    for slugs) and on content holding a character a fact starts with."""
    md, env, tokens = state.md, state.env, state.tokens
    search = _FACT_STARTS.search
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if search(token.content) or (index and tokens[index - 1].type == "heading_open"):
            md.inline.parse(token.content, md, env, token.children)


@lru_cache(maxsize=1)
def facts_parser() -> MarkdownIt:
    """:func:`document_parser` that skips inline parsing where no fact can be, and
    leaves link destinations as written (the facts read them from the source, so
    percent-encoding them is wasted work; which links are valid is unchanged)."""
    md = _configured()
    from kbtool.markdown.positions import position_plugin

    md.use(position_plugin)
    md.core.ruler.at("inline", _inline_where_facts_can_be)
    md.normalizeLink = _as_written  # type: ignore[method-assign]
    return md


_PLAIN_URL = re.compile(r"[!-~]*")  # printable ASCII, no blanks
# The parser's validity check reads only the start of a destination: a scheme it
# refuses (``javascript:``) or a ``data:image/…;`` it allows, at most this long.
_CHECKED_PREFIX = len("data:image/jpeg;")


def _as_written(url: str) -> str:
    """``url`` itself when percent-encoding could not change what the parser's
    validity check reads (its first characters, when they are printable ASCII:
    encoding leaves letters, ``:``, ``/`` and ``;`` alone and the check is anchored at
    the start), else markdown-it's normalized form. Links into notes with Cyrillic
    headings (``other.md#формулы``) then skip percent-encoding, about a tenth of a
    cold lint run's parse."""
    return url if _PLAIN_URL.fullmatch(url, 0, _CHECKED_PREFIX) else normalized_link(url)


# What mdurl leaves unencoded besides ASCII letters and digits (``ENCODE_DEFAULT_CHARS``);
# ``quote`` adds its own always-safe ``_.-~``, all of them in this set.
_URL_SAFE = ";/?:@&=+$,-_.!~*'()#"


@lru_cache(maxsize=8192)
def normalized_link(url: str) -> str:
    """markdown-it's ``normalizeLink(url)``, once per URL and faster for a destination
    with no scheme, host or ``%`` (a link to a note and its heading): that is mdurl's
    encoding alone, which ``quote`` does in C where mdurl joins one character at a time
    (encoding ``other.md#формулы`` was ~5% of rendering an entry). A base links to
    the same notes over and over, hence the cache. The tests compare it with
    ``normalizeLink`` on generated destinations."""
    if ":" not in url and "%" not in url and not url.startswith("//") and url == url.strip():
        try:
            return quote(url, safe=_URL_SAFE)
        except UnicodeEncodeError:  # a lone surrogate: mdurl writes U+FFFD
            pass
    return normalizeLink(url)
