"""``kbtool export html``: the base as one self-contained study page (``build/kb.html``).

Styles and script inline, pictures inside the base embedded as ``data:`` URIs, math
converted to MathML here (no script or CDN needed to read a formula), answers the
same sanitized HTML the Anki and JSON exports use; links to other entries point at
their ``#<id>`` anchors (the anchors lint and the PDF use), and an answer's headings
are ``#<id>--<slug>``, as in the PDF, so a link to one lands in its own entry. The
page opens with the figures of ``kbtool stats`` for the exported entries. The render
cache is not used: its keys know neither the MathML nor the in-page link targets.
"""

from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path

from kbtool.export import title_math
from kbtool.export.base import ExportRequest, ExportResult, Settings
from kbtool.export.dashboard import dashboard
from kbtool.export.dead_links import DeadLinks
from kbtool.export.html_page import Filter, PageEntry, page
from kbtool.export.mathml import MathError, fallback, to_mathml
from kbtool.export.render import render_entry
from kbtool.lint.similar import DEFAULT_THRESHOLD
from kbtool.parallel import split_imap
from kbtool.stats.count import DIFFICULTIES, count, near_duplicate_ids
from kbtool.stats.model import NO_DIFFICULTY
from kbtool.store import atomic
from kbtool.store.entry_file import EntryDocument

MIME = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
DEFAULT_TITLE = "Knowledge base"


class HtmlSettings(Settings):
    """The page's title; like JSON, the page keeps drafts (its dashboard counts them)."""

    title: str = DEFAULT_TITLE


class HtmlExporter:
    name = "html"
    default_file = "kb.html"
    render_mode = "own"  # math and data: pictures of its own: nothing to prerender
    records_exports = False
    settings_model = HtmlSettings

    def export(self, request: ExportRequest) -> ExportResult:
        docs = sorted(request.documents, key=lambda d: (d.entry.topic, d.entry.id))
        anchors = {os.path.realpath(d.path): d.entry.id for d in docs if d.path is not None}
        warnings: list[str] = []
        entries: list[PageEntry] = []

        def link_href(target: Path, url: str) -> str | None:
            entry_id = anchors.get(str(target))
            return f"#{entry_id}" if entry_id else None

        dead = DeadLinks("study page", docs, request.options.get("base_entries", {}))

        def render(doc: EntryDocument) -> tuple[str, list[str]]:
            rendered = render_entry(
                doc,
                request.base,
                image_src=data_uri,
                link_href=link_href,
                math=_math,
                heading_scope=doc.entry.id,  # one page: many answers have "References"
            )
            return rendered.html, [*rendered.warnings, *dead.warnings(rendered.dead)]

        # rendering is most of the work: half the entries go to a forked child
        threshold = float(request.options.get("duplicate_threshold", DEFAULT_THRESHOLD))
        repeated = near_duplicate_ids(docs, threshold)
        results = split_imap(render, docs)
        for done, (doc, (answer, found)) in enumerate(zip(docs, results, strict=True), 1):
            warnings.extend(found)
            entry = doc.entry
            entries.append(
                PageEntry(
                    id=entry.id,
                    title=entry.title,
                    title_html=title_math.written(entry.title, escape, _inline_math),
                    topic=entry.topic,
                    tags=entry.tags,
                    status=str(entry.status),
                    difficulty=str(entry.difficulty or NO_DIFFICULTY),
                    source=entry.source.kind,
                    kind=str(entry.kind),
                    lang=entry.lang,
                    answer_html=answer,
                    near_duplicate=entry.id in repeated,
                )
            )
            request.progress(done)
        report = count(docs, threshold, repeated=repeated)
        filters = [
            Filter("topic", "all topics", [t.topic for t in report.topics]),
            Filter("tag", "all tags", sorted({tag for e in entries for tag in e.tags})),
            Filter("status", "any status", ["answered", "draft"]),
            Filter("difficulty", "any difficulty", list(DIFFICULTIES)),
            Filter("source", "any source", list(report.total.by_source)),
            Filter("dup", "any question", ["yes"], labels={"yes": "near-duplicates"}),
        ]
        title = str(request.options.get("title") or DEFAULT_TITLE)
        text = page(title, entries, filters, dashboard(report))
        atomic.write_text(request.out, text)
        return ExportResult(out=request.out, entries=len(entries), warnings=warnings)


def data_uri(path: Path) -> str:
    """A picture as a ``data:`` URI, so the page needs no file beside it."""
    mime = MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_math(tex: str) -> str:
    """A title's formula as MathML (its TeX as code when it does not convert)."""
    return _math(tex, False)[0]


def _math(tex: str, display: bool) -> tuple[str, str | None]:
    try:
        return to_mathml(tex, display), None
    except MathError as exc:
        return fallback(tex, display), f"not converted to MathML ({exc}); shown as TeX"
