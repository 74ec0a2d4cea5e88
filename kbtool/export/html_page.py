"""Assemble the study page: one HTML file, its style and script inline.

A Content-Security-Policy in the page allows exactly the inline style and script
written here (by hash), images only as ``data:`` URIs, and nothing else: even a note
that slipped past the sanitizer could neither run a script nor make a request.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources


@dataclass(frozen=True)
class PageEntry:
    id: str
    title: str
    topic: str
    tags: Sequence[str]
    status: str
    difficulty: str
    source: str
    kind: str
    lang: str
    answer_html: str
    near_duplicate: bool = False  # its question is (nearly) another entry's
    title_html: str = ""  # the title with its formulas as MathML; empty: the title as text


@dataclass(frozen=True)
class Filter:
    key: str  # data-<key> on each article
    label: str  # "all topics"
    values: Sequence[str]
    labels: Mapping[str, str] = field(default_factory=dict)  # value -> shown text


def page(title: str, entries: Sequence[PageEntry], filters: Iterable[Filter], top: str) -> str:
    """The whole page; ``top`` is HTML shown above the entries (the dashboard)."""
    css = _asset("kb.css")
    js = _asset("kb.js")
    policy = (
        "default-src 'none'; img-src data:; "
        f"style-src '{_hash(css)}'; script-src '{_hash(js)}'; "
        "base-uri 'none'; form-action 'none'"
    )
    selects = "".join(_select(f) for f in filters)
    articles = "".join(_article(entry) for entry in entries)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style></head>\n<body>\n"
        f'<header class="bar"><h1>{escape(title)}</h1>'
        '<input id="q" type="search" placeholder="Search titles and answers" '
        'aria-label="Search titles and answers" autocomplete="off">'
        # on a phone the filters and buttons fold behind this button (kb.css)
        '<button id="tools-toggle" type="button" aria-expanded="false" '
        'aria-controls="tools">Filters</button>'
        f'<div id="tools">{selects}'
        '<button id="reset" type="button">Clear</button>'
        '<button id="drill" type="button" title="One entry at a time; Space reveals, '
        'arrows move, Esc leaves">Drill</button>'
        '<button id="shuffle" type="button">Shuffle drill</button>'
        '<button id="theme" type="button" aria-label="Light or dark">◐</button></div>'
        f'<span id="count" aria-live="polite">{len(entries)} of {len(entries)} shown</span>'
        '<div id="drillbar" hidden><button id="prev" type="button">← Previous</button>'
        '<button id="reveal" type="button">Show answer<span class="key"> (Space)</span></button>'
        '<button id="next" type="button">Next →</button>'
        '<span id="left"></span><button id="stop" type="button">Leave drill'
        '<span class="key"> (Esc)</span></button>'
        "</div></header>\n"
        f"{top}\n<script>{js}</script>\n"  # before the entries: it works while they load
        f'<main id="entries">\n{articles}</main>\n</body></html>\n'
    )


def _article(entry: PageEntry) -> str:
    meta = " · ".join(
        part
        for part in (
            escape(entry.topic),
            f'<span class="status-{escape(entry.status)}">{escape(entry.status)}</span>',
            escape(entry.difficulty) if entry.difficulty != "unset" else "",
            " ".join(f"#{escape(tag)}" for tag in entry.tags),
        )
        if part
    )
    return (
        f'<article class="entry" id="{escape(entry.id)}" lang="{escape(entry.lang)}" '
        f'data-topic="{escape(entry.topic)}" data-tags="{escape(" ".join(entry.tags))}" '
        f'data-status="{escape(entry.status)}" data-difficulty="{escape(entry.difficulty)}" '
        f'data-source="{escape(entry.source)}" data-kind="{escape(entry.kind)}" '
        f'data-dup="{"yes" if entry.near_duplicate else "no"}">'
        f'<h2><a href="#{escape(entry.id)}">{entry.title_html or escape(entry.title)}</a></h2>'
        f'<p class="meta">{meta}</p>'
        f'<div class="answer">{entry.answer_html}</div></article>\n'
    )


def _select(spec: Filter) -> str:
    options = "".join(
        f'<option value="{escape(value)}">{escape(spec.labels.get(value, value))}</option>'
        for value in spec.values
    )
    return (
        f'<select id="f-{spec.key}" data-key="{spec.key}" aria-label="{escape(spec.label)}">'
        f'<option value="">{escape(spec.label)}</option>{options}</select>'
    )


def _asset(name: str) -> str:
    return resources.files("kbtool.export").joinpath("page", name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
