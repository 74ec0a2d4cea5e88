"""Each source file is parsed once: every importer's detection, the chosen importer's
reading and the pipeline's wikilink check ask for the same text (the Markdown after the
front matter, blank lines where it was), so a big vault is not parsed three times over.
Smaller parses (a heading, a line, an entry's body) are not counted: only those of
texts as long as the file's Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtool.importers import detect, line_breaks
from kbtool.importers.base import ImportOptions
from kbtool.markdown import document

FIXTURES = Path(__file__).parent / "fixtures" / "import"
CASES = [
    "question-file/bilingual/q-inline-functions.md",  # a card with front matter
    "question-file/bilingual/q-union-find.md",
    "markdown/fm-obsidian-ru.md",  # front matter, read by the general importer
    "markdown/fm-jekyll-en.md",
    "markdown/card-named-en.md",  # no front matter
    "lecture/Week 7 - Neural networks.md",  # lecture notes, no front matter
    "obsidian-vault/course/Lectures/Decision trees.md",  # a vault's note with [[wikilinks]]
    "obsidian-vault/course/Lectures/Ensembles.md",  # the same with front matter
    "realworld/huber.md",
]


@pytest.mark.parametrize("case", CASES)
def test_a_source_is_parsed_once(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / case
    text = path.read_text("utf-8")
    parsed: list[str] = []
    inner = document._tokens._func

    def recorded(source: str) -> tuple[object, ...]:
        parsed.append(source)
        return inner(source)

    monkeypatch.setattr(document._tokens, "_func", recorded)
    document._tokens.cache_clear()
    document.parse.cache_clear()
    importer, _why = detect.choose(text, path, case)
    importer.parse(text, path, ImportOptions())
    line_breaks.note_has_wikilinks(text)
    markdown = text.split("\n---\n", 1)[-1] if text.startswith("---\n") else text
    whole = [source for source in parsed if len(source.strip()) >= len(markdown.strip())]
    assert len(whole) == 1, f"{importer.name} parsed the file {len(whole)} times"
