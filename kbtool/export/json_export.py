"""``kbtool export json``: one document with every entry, its Markdown and its HTML.

Deterministic: entries sorted by (topic, id), keys in model order, and ``generated``
taken from ``SOURCE_DATE_EPOCH`` when set, so two runs give identical bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kbtool.errors import UsageError
from kbtool.export.base import ExportRequest, ExportResult, Settings
from kbtool.export.json_model import ExportDocument, ExportedEntry
from kbtool.export.render import relative, render_entry
from kbtool.store import atomic
from kbtool.store.entry_file import EntryDocument


def generated_at() -> str:
    """Now in UTC, or ``SOURCE_DATE_EPOCH`` (reproducible builds) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except ValueError:
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
                hint="unset it or give an integer like 1714521600",
            ) from None
    else:
        moment = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


class JsonSettings(Settings):
    """JSON is data, not study material: every selected entry, drafts included."""


class JsonExporter:
    name = "json"
    default_file = "kb.json"
    render_mode = "path"
    records_exports = False
    settings_model = JsonSettings

    def export(self, request: ExportRequest) -> ExportResult:
        warnings: list[str] = []
        entries = []
        docs = sorted(request.documents, key=lambda d: (d.entry.topic, d.entry.id))
        prefix = os.path.join(os.path.realpath(request.base), "")
        for done, doc in enumerate(docs, 1):
            rendered = render_entry(doc, request.base, cache=request.options.get("render_cache"))
            warnings.extend(rendered.warnings)
            path = _relative(doc, request.base)
            entries.append(
                ExportedEntry(
                    front_matter=doc.entry,
                    path=path,
                    answer_markdown=doc.body,
                    answer_html=rendered.html,
                    links=rendered.links,
                    images=[image[len(prefix) :].replace(os.sep, "/") for image in rendered.images],
                )
            )
            request.progress(done)
        document = ExportDocument(generated=generated_at(), entries=entries)
        # bytes straight from pydantic-core: no 100 MB str round trip on big bases
        data = ExportDocument.__pydantic_serializer__.to_json(document, exclude_none=True)
        atomic.write_bytes(request.out, (data, b"\n"))
        return ExportResult(out=request.out, entries=len(entries), warnings=warnings)


def _relative(doc: EntryDocument, base: Path) -> str:
    if doc.path is None:
        return ""
    return relative(doc.path, base)
