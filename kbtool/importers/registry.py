"""Importer registry: format name -> implementing class, imported on first use."""

from __future__ import annotations

import importlib
from functools import cache

from kbtool.errors import UsageError
from kbtool.importers.base import Importer

IMPORTERS: dict[str, str] = {
    "telegram-json": "kbtool.importers.telegram_json:TelegramJsonImporter",
    "telegram-html": "kbtool.importers.telegram_html:TelegramHtmlImporter",
    "telegram-text": "kbtool.importers.telegram_text:TelegramTextImporter",
    "qa-markdown": "kbtool.importers.qa_markdown:QaMarkdownImporter",
    "lecture": "kbtool.importers.lecture:LectureImporter",
    "checklist": "kbtool.importers.checklist:ChecklistImporter",
}


@cache
def get(name: str) -> Importer:
    """The importer called ``name``; a clear usage error for an unknown one."""
    try:
        target = IMPORTERS[name]
    except KeyError:
        known = ", ".join(IMPORTERS)
        raise UsageError(f'unknown format "{name}"', hint=f"known formats: {known}") from None
    module_name, _, attr = target.partition(":")
    importer: Importer = getattr(importlib.import_module(module_name), attr)()
    return importer


def available() -> list[Importer]:
    """Every importer whose module exists (all of them once the stage is complete)."""
    out = []
    for name in IMPORTERS:
        try:
            out.append(get(name))
        except ModuleNotFoundError:
            continue
    return out
