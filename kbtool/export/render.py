"""Markdown -> safe HTML, once, for every export that needs HTML (Anki, JSON).

Uses the shared markdown-it configuration, so ``$…$`` is math and never emphasis;
math is written as ``\\(…\\)`` / ``\\[…\\]`` (what Anki and MathJax read). Heading ids
come from the linter's slugger, so an anchor that lints clean resolves here too.
Every URL passes one check: links and images leading out of the base (``../..``,
absolute paths, ``file:``) and active schemes (``javascript:``) are refused with a
warning; images inside the base are collected so exporters can bundle them. The HTML
is sanitized by nh3, or written in nh3's form directly where that is proven the same
(:mod:`kbtool.export.safe_html`).
"""

from __future__ import annotations

import copy
import html
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from kbtool.export.cache import ExportCache, RenderedRecord
from kbtool.export.safe_html import RuleFn, SafeRenderer, safe_html
from kbtool.export.safe_html import text as safe_text
from kbtool.export.sanitize import UrlCheck, sanitize
from kbtool.export.url_lines import url_lines
from kbtool.markdown.document import plain_text
from kbtool.markdown.parser import normalized_link, parser
from kbtool.markdown.slugger import Slugger
from kbtool.paths import is_drive_path
from kbtool.store.entry_file import EntryDocument

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
ImageSrc = Callable[[Path], str]  # image file inside the base -> src written in the HTML
LinkHref = Callable[[Path, str], str | None]  # (file inside the base, href) -> href or None
# placeholder marker, formulas in order: (TeX, display, 0-based line of a display block)
MathSlots = tuple[str, list[tuple[str, bool, int | None]]]
MathHtml = Callable[[str, bool], tuple[str, str | None]]  # (tex, display) -> (html, warning)


class InBase(NamedTuple):
    """A URL's target: a file or folder inside the base, as its real path."""

    real: str


Verdict = InBase | str | None  # the target, why the URL is refused, or None (remote)
Headings = tuple[str, set[str]]  # (scope of the heading ids, slugs of the entry's headings)


@dataclass
class Rendered:
    html: str
    links: list[str] = field(default_factory=list)  # outgoing href values kept
    images: list[str] = field(default_factory=list)  # real paths of image files in the base
    warnings: list[str] = field(default_factory=list)
    # links to files of the base that keep only their text: (file:line, URL, real target),
    # for the exporter to explain (:mod:`kbtool.export.dead_links`)
    dead: list[tuple[str, str, str]] = field(default_factory=list)


def render_entry(
    doc: EntryDocument,
    base: Path,
    image_src: ImageSrc | None = None,
    cache: ExportCache | None = None,
    link_href: LinkHref | None = None,
    math: MathHtml | None = None,
    file_links: bool = True,
    heading_scope: str | None = None,
) -> Rendered:
    """HTML of an entry's body; URLs resolve against the entry's folder."""
    return render_body(
        doc.body,
        doc.path or base / "entry.md",
        doc.body_line,
        base,
        image_src,
        cache,
        link_href=link_href,
        math=math,
        file_links=file_links,
        heading_scope=heading_scope,
    )


def render_body(
    body: str,
    path: Path,
    body_line: int,
    base: Path,
    image_src: ImageSrc | None = None,
    cache: ExportCache | None = None,
    link_href: LinkHref | None = None,
    math: MathHtml | None = None,
    file_links: bool = True,
    heading_scope: str | None = None,
) -> Rendered:
    """HTML of the body of the entry file ``path`` (its first line is ``body_line``)."""
    return render_markdown(
        body,
        base=base,
        folder=path.parent,
        display=relative(path, base),
        first_line=body_line,
        image_src=image_src,
        cache=cache,
        link_href=link_href,
        math=math,
        file_links=file_links,
        heading_scope=heading_scope,
    )


def render_markdown(
    text: str,
    *,
    base: Path,
    folder: Path,
    display: str,
    first_line: int = 1,
    image_src: ImageSrc | None = None,
    cache: ExportCache | None = None,
    link_href: LinkHref | None = None,
    math: MathHtml | None = None,
    file_links: bool = True,
    heading_scope: str | None = None,
) -> Rendered:
    """Safe HTML of ``text``. ``link_href`` rewrites links to files inside the base (a
    one-page export points them at entry anchors); ``math`` turns each formula into
    HTML, put in after sanitizing (its output must be safe: it is the caller's
    allow-list). Callers passing either, or ``heading_scope``, pass no ``cache``: its
    keys know none of them. ``file_links=False`` keeps only the text of links to files
    inside the base (a deck cannot follow them); such a link is listed in
    :attr:`Rendered.dead` for the exporter to explain. ``heading_scope`` (a page of
    many entries, each with its "References") makes heading ids ``<scope>--<slug>``,
    and ``#slug`` links point at them."""
    memo: dict[str, Any] = cache.urls if cache else {}
    root_key = "root\0" + str(base)
    root = memo.get(root_key)
    if root is None:  # once per run: realpath costs an lstat per path part
        root = memo[root_key] = _Root.of(base)
    where_folder = os.path.abspath(folder)
    key = ""
    if cache is not None:
        mode = ("media" if image_src else "path") + ("" if file_links else "-text")
        key = cache.key_of(text, display, str(first_line), where_folder, root.lexical, mode)
        hit = cache.get_rendered(key)
        # made in this run: nothing to recheck, but its pictures are still asked for
        # (an exporter bundles what image_src is called with)
        fresh = hit is not None and image_src is None and cache.is_fresh(key)
        if hit is not None and (fresh or _still_valid(hit, memo, image_src)):
            return _from_record(hit)
    headings: Headings | None = (heading_scope, set()) if heading_scope else None
    tokens = _tokens(text, cache, headings)
    result = Rendered(html="")
    deps: list[tuple[str, str, bool]] = []  # (lexical, real, is file): what the HTML relied on
    srcs: list[str] = []
    where = _line_finder(text, display, first_line)

    def check_url(tag: str, attribute: str, url: str) -> str | None:
        memo_key = where_folder + "\0" + url
        if memo_key not in memo:
            memo[memo_key] = _classify(url, where_folder, root, memo)
        verdict, lexical = memo[memo_key]
        if lexical is not None:
            real = _realpath(lexical, memo)
            deps.append((lexical, real, _is_file(real, memo)))
        if isinstance(verdict, str):
            result.warnings.append(f"{where(url)}: refused {tag} {attribute}={url!r}: {verdict}")
            return None
        if verdict is None:  # remote or a fragment
            if tag == "a":
                url = _scoped(url, headings)
                result.links.append(url)
            return url
        if tag == "img":
            if not _is_file(verdict.real, memo):
                result.warnings.append(f"{where(url)}: image {url!r} not found; left out")
                return None
            result.images.append(verdict.real)
            src = image_src(Path(verdict.real)) if image_src else _under(verdict.real, root.real)
            srcs.append(src)
            return src
        if tag == "a":
            href = url if file_links else None
            href = link_href(Path(verdict.real), url) if link_href else href
            return _file_link(result, (url, verdict.real), href, where)
        return url

    if math is None:
        result.html = _html(tokens, {}, check_url)
    else:  # formulas as placeholders, replaced once the HTML is sanitized
        # the marker hashes the text, so no note can contain its own
        slots: MathSlots = ("kbmath" + ExportCache.raw_key(text)[:16], [])
        result.html = _put_math(
            _html(tokens, {"math_slots": slots}, check_url),
            slots,
            math,
            result.warnings,
            where,
            lambda line: f"{display}:{first_line + line}",  # a display block's 0-based line
        )
    if cache is not None:
        cache.put_rendered(
            key,
            (
                result.html,
                list(result.links),
                list(result.images),
                list(result.warnings),
                deps,
                srcs,
                list(result.dead),
            ),
        )
    return result


def _line_finder(text: str, display: str, first_line: int) -> Callable[[str], str]:
    """``display:line`` of a URL's next use: a URL used on several lines is warned about
    once per use, and each warning names its own line (not the first's)."""
    asked: dict[str, int] = {}
    places: dict[str, list[int]] = {}  # the text is searched once per URL, not per use
    lines: list[str] = []  # split on the first warning: most texts have none

    def where(url: str) -> str:
        seen = asked.get(url, 0)
        asked[url] = seen + 1
        found = places.get(url)
        if found is None:
            lines[:] = lines or text.splitlines()
            found = places[url] = url_lines(lines, url)
        if not found:
            return display
        return f"{display}:{first_line + found[min(seen, len(found) - 1)]}"

    return where


def _file_link(
    result: Rendered, link: tuple[str, str], href: str | None, where: Callable[[str], str]
) -> str | None:
    """A link (URL, its real target) to a file of the base: kept as ``href``, or (None)
    listed as dead."""
    if href is None:
        url, target = link
        result.dead.append((where(url), url, target))
    else:
        result.links.append(href)
    return href


def _from_record(hit: RenderedRecord) -> Rendered:
    html_text, links, images, warnings, _deps, _srcs, dead = hit
    return Rendered(
        html_text,
        list(links),
        list(images),
        list(warnings),
        [(at, url, target) for at, url, target in dead],
    )


def _still_valid(hit: RenderedRecord, memo: dict[str, Any], image_src: ImageSrc | None) -> bool:
    """A cached result stands while every file it looked at is as it was."""
    _html, _links, images, _warnings, deps, srcs, _dead = hit
    for lexical, real, is_file in deps:
        if _realpath(lexical, memo) != real or _is_file(real, memo) != is_file:
            return False
    if image_src is not None:  # media names hash the image bytes: the same bytes?
        return [image_src(Path(image)) for image in images] == srcs
    return True


def _under(path: str, prefix: str) -> str:
    """``path`` relative to the folder ``prefix`` (which ends with a separator), POSIX style."""
    return path[len(prefix) :].replace(os.sep, "/")


def _realpath(lexical: str, memo: dict[str, Any]) -> str:
    """``os.path.realpath``, resolving each folder once per run (one lstat per file)."""
    key = "real\0" + lexical
    if key not in memo:
        folder, name = os.path.split(lexical)
        folder_key = "real\0" + folder
        if folder_key not in memo:
            memo[folder_key] = os.path.realpath(folder)
        joined = os.path.join(memo[folder_key], name)
        try:
            mode = os.lstat(joined).st_mode
        except (OSError, ValueError):
            mode = 0
        if stat.S_ISLNK(mode):
            memo[key] = os.path.realpath(joined)
        else:  # the lstat also says whether it is a file: no second system call
            memo[key] = joined
            memo.setdefault("file\0" + joined, stat.S_ISREG(mode))
    real: str = memo[key]
    return real


def parsed(text: str, headings: Headings | None = None) -> list[Token]:
    """markdown-it's tokens of ``text`` with heading ids set. With ``headings`` (scope,
    set), heading ids are ``<scope>--<slug>`` and each slug is added to the set."""
    tokens = _markdown().parse(text)
    _set_heading_ids(tokens, headings)
    return tokens


def _tokens(text: str, cache: ExportCache | None, headings: Headings | None) -> list[Token]:
    """:func:`parsed`, shared through ``cache`` by the formats of one run."""
    if headings or cache is None:
        return parsed(text, headings)
    tokens: list[Token] = cache.tokens_of(text, parsed)
    return tokens


def _html(tokens: list[Token], env: EnvType, check_url: UrlCheck) -> str:
    """Sanitized HTML of ``tokens``: written safe where :mod:`kbtool.export.safe_html`
    can, else markdown-it's HTML through nh3. Math is written as \\(…\\), or with
    ``env["math_slots"]`` (marker, list) as ``<marker>-<n>-`` placeholders whose
    formulas are appended to the list, to be replaced once the HTML is sanitized."""
    md = _markdown()
    html_text = safe_html(_MARKDOWN[1], tokens, md.options, env, check_url)
    if html_text is None:
        html_text = sanitize(md.renderer.render(tokens, md.options, env), check_url)
    return html_text


def _put_math(
    html_text: str,
    slots: MathSlots,
    math: MathHtml,
    warnings: list[str],
    where: Callable[[str], str],
    at_line: Callable[[int], str],
) -> str:
    marker, formulas = slots
    if not formulas:
        return html_text

    def replace(match: re.Match[str]) -> str:
        tex, display, line = formulas[int(match.group(1))]
        shown, warning = math(tex, display)
        if warning:  # a display block knows its line; an inline formula is searched for
            at = where(tex) if line is None else at_line(line)
            warnings.append(f"{at}: formula {tex!r}: {warning}")
        return shown

    return re.sub(re.escape(marker) + r"-(\d+)-", replace, html_text)


def _is_file(path: str, memo: dict[str, Any]) -> bool:
    key = "file\0" + path
    if key not in memo:
        memo[key] = os.path.isfile(path)
    return bool(memo[key])


def _classify(
    url: str, folder: str, root: _Root, memo: dict[str, Any]
) -> tuple[Verdict, str | None]:
    """(verdict, lexical target or None): ``None`` verdict for remote URLs and fragments,
    the target inside the base, or why it is refused. A lexical target means the verdict
    depends on the file system (symlinks), so cached results recheck it."""
    url = url.strip()
    if not url or url.startswith("#"):
        return None, None
    if is_drive_path(url):
        return "absolute paths point outside the knowledge base", None
    parts = urlsplit(url)
    if parts.scheme:
        if parts.scheme.lower() in SAFE_SCHEMES:
            return None, None
        return f"{parts.scheme}: URLs are not exported", None
    if parts.netloc:
        return "protocol-relative URLs are not exported; write https://", None
    target = unquote(parts.path)
    if target.startswith(("/", "\\")) or (len(target) > 1 and target[1] == ":"):
        return "absolute paths point outside the knowledge base", None
    lexical = os.path.normpath(os.path.join(folder, target))
    if not lexical.startswith(root.lexical):
        return "it points outside the knowledge base", None
    real = _realpath(lexical, memo)
    if not (real + os.sep).startswith(root.real):  # a symlink leading out
        return "it points outside the knowledge base", lexical
    return InBase(real), lexical


@dataclass(frozen=True)
class _Root:
    """The base as path prefixes (with a trailing separator): as written and real."""

    lexical: str
    real: str

    @classmethod
    def of(cls, base: Path) -> _Root:
        return cls(
            os.path.join(os.path.abspath(base), ""), os.path.join(os.path.realpath(base), "")
        )


def _set_heading_ids(tokens: Sequence[Token], headings: Headings | None) -> None:
    slugger = Slugger()
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            inline = tokens[index + 1]
            slug = slugger.slug(plain_text(inline.children or []))
            if headings is not None:
                headings[1].add(slug)
                slug = f"{headings[0]}--{slug}"
            token.attrSet("id", slug)


def _scoped(url: str, headings: Headings | None) -> str:
    """``#slug`` of one of the entry's own headings as its id on a page of many entries."""
    if headings is not None and url.startswith("#") and unquote(url[1:]) in headings[1]:
        return f"#{headings[0]}--{url[1:]}"
    return url


def _slot(env: EnvType, tex: str, display: bool, line: int | None = None) -> str | None:
    slots = env.get("math_slots")
    if not slots:
        return None
    marker, formulas = slots
    formulas.append((tex, display, line))
    return f"{marker}-{len(formulas) - 1}-"


def _math_rules(escape: Callable[[str], str]) -> dict[str, RuleFn]:
    """Rules writing math as \\(…\\) and \\[…\\] (or placeholders), escaped with
    ``escape``."""

    def inline(tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        slot = _slot(env, tokens[idx].content.strip(), False)
        if slot is not None:
            return slot
        return "\\(" + escape(tokens[idx].content.strip()) + "\\)"

    def block(tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        slot = _slot(env, token.content.strip(), True, token.map[0] if token.map else None)
        if slot is not None:
            return f"<p>{slot}</p>\n"
        return "<p>\\[" + escape(tokens[idx].content.strip()) + "\\]</p>\n"

    return {
        "math_inline": inline,
        "math_inline_double": block,
        "math_block": block,
        "math_block_label": block,
    }


# the shared parser with our own renderer, and the renderer of sanitized HTML
_MARKDOWN: list[Any] = []


def _markdown() -> MarkdownIt:
    """The shared parser with our own renderer and no link pre-filter (we check URLs)."""
    if not _MARKDOWN:
        md = copy.copy(parser())
        md.validateLink = _accept_all  # type: ignore[method-assign]
        md.normalizeLink = normalized_link  # type: ignore[method-assign]
        renderer = RendererHTML(md)
        rules: dict[str, Any] = renderer.rules  # markdown-it types them as bound methods
        rules.update(_math_rules(lambda tex: html.escape(tex, quote=False)))
        md.renderer = renderer
        _MARKDOWN.extend((md, SafeRenderer(_math_rules(safe_text))))
    md_: MarkdownIt = _MARKDOWN[0]
    return md_


def _accept_all(url: str) -> bool:
    return True


def relative(path: Path, base: Path) -> str:
    """``path`` inside ``base`` as a POSIX relative path (string work: called per entry)."""
    text, prefix = str(path), os.path.join(str(base), "")
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name
