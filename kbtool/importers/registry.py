"""Importer registry: format name -> implementing class, imported on first use."""

from __future__ import annotations

from functools import cache

from kbtool.importers.base import Importer
from kbtool.lazy import instantiate

IMPORTERS: dict[str, str] = {
    "telegram-json": "kbtool.importers.telegram_json:TelegramJsonImporter",
    "telegram-html": "kbtool.importers.telegram_html:TelegramHtmlImporter",
    "telegram-text": "kbtool.importers.telegram_text:TelegramTextImporter",
    "qa-markdown": "kbtool.importers.qa_markdown:QaMarkdownImporter",
    "question-file": "kbtool.importers.question_file:QuestionFileImporter",
    "lecture": "kbtool.importers.lecture:LectureImporter",
    "pdf-text": "kbtool.importers.pdf_text:PdfTextImporter",
    "checklist": "kbtool.importers.checklist:ChecklistImporter",
    "markdown": "kbtool.importers.general_markdown:GeneralMarkdownImporter",
}


@cache
def get(name: str) -> Importer:
    """The importer called ``name``; a clear usage error for an unknown one."""
    found: Importer = instantiate(IMPORTERS, name, "format")
    return found


def available() -> list[Importer]:
    """Every importer, in registry order (detection tries them all)."""
    return [get(name) for name in IMPORTERS]
