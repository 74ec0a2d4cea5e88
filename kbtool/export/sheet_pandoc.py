"""Pieces of a cheat sheet's Markdown -> typst: one pandoc run per core, no round trip.

pandoc reads the pieces (each starts with its heading), the filter
``templates/sheet.lua`` makes each ready for typst in the same run (heading ids,
pictures, links, line breaks in cells, tables: see its header) and pandoc writes typst. The
filter reports, per piece, the labels it left and its picture and link decisions;
those are guesses from paths, which :mod:`kbtool.export.typst_source` checks on
the file system and, where one was wrong, has the piece converted again with the
right decisions as ``overrides``. pandoc runs bounded (memory and CPU time): when it
gives up on a batch, each piece is converted alone, and a piece it gives up on by itself
prints as its heading and a note.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any

from kbtool.errors import InputError
from kbtool.export import pandoc_run

# CommonMark like the linter's markdown-it (and ~3x faster than pandoc's own markdown
# reader); commonmark_x brings $math$, pipe tables, {#id .class} and GitHub heading ids;
# a lone image gets its caption. A `---` in an answer is a rule, not metadata; ~ and ^
# stay plain text. Raw blocks (```{=typst}) are off: notes come from other people, and
# raw typst is a program (it can read files and loop for minutes); it prints as code.
MARKDOWN = (
    "commonmark_x+gfm_auto_identifiers+implicit_figures"
    "-yaml_metadata_block-subscript-superscript-raw_attribute"
)
# pandoc's memory is capped: some notes (tens of thousands of links to one anchor) make
# it grow past gigabytes; over the cap (or its CPU limit) the entry is left out with a
# warning that names it (see kbtool/export/pandoc_run.py)
PANDOC_HEAP = "1024m"
# A 32 MB allocation area (GHC's default is 4 MB) means fewer minor collections: the
# two pandoc processes of a 300-entry sheet finish about 5% sooner for ~40 MB more each.
PANDOC_NURSERY = "32m"
PANDOC_ARGS = [
    "--sandbox",
    "--quiet",
    "--wrap=preserve",
    "+RTS",
    f"-M{PANDOC_HEAP}",
    f"-A{PANDOC_NURSERY}",
    "-RTS",
]
PARALLEL_FROM = 60  # pieces; fewer are converted by one pandoc process
_CALL_THEN_DOT = re.compile(r"[*_~)\]>]\.[^\W\d]")  # see _may_dot_a_call
# an inline tag the filter sets as what it means (<sub>, <b>…): a cheap superset, the
# filter finds the tags among the parsed inlines; other pieces are not walked for them
_MARK = re.compile(r"<(?:sub|sup|b|strong|i|em|u|ins|s|del)\s*>", re.IGNORECASE)
_BOXED = "#box(stroke: black, inset: 3pt, "  # pandoc's `\boxed{`; the template's is lighter
_BOXED_OURS = "#kbboxed("
FACTS = "kbtool-facts"  # the HTML comment that opens the filter's input
# A piece pandoc gives up on alone prints as its heading and a note; this typst comment
# in its text carries the reason to the warning (and keeps it out of the cache).
LEFT_OUT = "// kbtool-left-out-7f3a9c: "
LEFT_OUT_TEXT = "(left out of the PDF: too large to convert)"

Decision = tuple[str, str | None]  # (src or URL as written, target; None: left out)
# A converted piece: its typst, the labels it defines, its picture and link decisions.
Converted = tuple[str, list[str], list[Decision], list[Decision]]
# What the filter must decide for a piece: {"images": {src: target}, "links": {url: target}}
Overrides = Mapping[str, Mapping[str, str | None]]


def _filter() -> Any:
    return resources.files("kbtool.export").joinpath("templates/sheet.lua")


@functools.cache
def filter_digest() -> str:
    """A hash of the filter: cached pieces made by another filter are not reused."""
    return hashlib.blake2b(_filter().read_bytes(), digest_size=8).hexdigest()


def convert(
    markdowns: Sequence[str],
    facts: Mapping[str, Any],
    overrides: Mapping[int, Overrides] | None = None,
) -> list[Converted]:
    """Each Markdown piece converted; ``facts`` tell the filter the base, the entries'
    folders and files and the labels known in advance; ``overrides`` (by index into
    ``markdowns``) are decisions the filter must take as given."""
    given = overrides or {}
    indices = list(range(len(markdowns)))

    def run(chunk: list[int]) -> list[Converted]:
        mine = {str(n): _for_lua(given[i]) for n, i in enumerate(chunk) if i in given}
        dotted = {str(n): True for n, i in enumerate(chunk) if _may_dot_a_call(markdowns[i])}
        marked = {str(n): True for n, i in enumerate(chunk) if _MARK.search(markdowns[i])}
        extra = {"overrides": mine, "dotted": dotted, "marked": marked}
        return _run([markdowns[i] for i in chunk], {**facts, **extra})

    def stand_in(index: int, error: pandoc_run.PandocTooBig) -> Converted:
        """The piece's heading (links to it still work) and a note, instead of it."""
        heading = markdowns[index].split("\n", 1)[0]
        text, ids, _images, _links = _run(
            [f"{heading}\n\n*{LEFT_OUT_TEXT}*"], {**facts, "overrides": {}}
        )[0]
        return (f"{text}{LEFT_OUT}{error.message}\n", ids, [], [])

    def bounded(chunk: list[int]) -> list[Converted]:
        return pandoc_run.each_alone(run, chunk, stand_in, lambda i: len(markdowns[i]))

    return _parallel(bounded, _chunks(indices))


def _may_dot_a_call(markdown: str) -> bool:
    """Whether a piece may hold emphasis, a link or a note right before ``.`` and a
    letter (``**it**.In``), which pandoc writes as a typst call the letters continue:
    a cheap superset, the filter checks the parsed inlines."""
    return _CALL_THEN_DOT.search(markdown) is not None


def left_out(text: str) -> str | None:
    """Why a piece's typst is a stand-in (pandoc gave up on it), or None."""
    for line in text.split("\n"):
        if line.startswith(LEFT_OUT):
            return line[len(LEFT_OUT) :]
    return None


def _for_lua(overrides: Overrides) -> dict[str, dict[str, str]]:
    """JSON has no tuples and the filter no None: a left-out target is ``""``."""
    return {
        kind: {written: target or "" for written, target in decided.items()}
        for kind, decided in overrides.items()
    }


def _run(markdowns: list[str], facts: dict[str, Any]) -> list[Converted]:
    """One pandoc process: the pieces in, their typst and the filter's report out."""
    split = f"// kbtool-split-{secrets.token_hex(8)}"  # a line no note can print by chance
    manifest = "// kbtool-manifest "
    # The facts travel first in the input, as an HTML comment the filter reads and
    # removes: no file to clean up if kbtool is killed. In JSON, ">" can only be in a
    # string, where \u003e means the same, so no "-->" can end the comment early.
    given = json.dumps({**facts, "split": split}, ensure_ascii=False).replace(">", "\\u003e")
    text = "\n\n".join([f"<!-- {FACTS} {given} -->", *markdowns])
    with resources.as_file(_filter()) as lua:
        out = _pandoc(text, ["--lua-filter", str(lua)])
    *parts, tail = out.split(split + "\n")
    if len(parts) != len(markdowns) or not tail.strip().startswith(manifest):
        raise InputError(
            "an entry's Markdown split the sheet into the wrong number of pieces",
            hint="look for an unclosed HTML comment or code fence in an entry",
        )
    report = json.loads(tail.strip()[len(manifest) :])
    return [
        (
            part.strip("\n").replace(_BOXED, _BOXED_OURS) + "\n",
            list(made["ids"] or []),
            [(src, target or None) for src, target in made["images"] or []],
            [(url, target or None) for url, target in made["links"] or []],
        )
        for part, made in zip(parts, report, strict=True)
    ]


def _pandoc(text: str, extra: list[str]) -> str:
    """Markdown -> typst by pandoc, bounded (see :mod:`kbtool.export.pandoc_run`)."""
    return pandoc_run.convert(text, "typst", MARKDOWN, [*extra, *PANDOC_ARGS])


def _chunks(items: list[int]) -> list[list[int]]:
    if len(items) < PARALLEL_FROM:
        return [items] if items else []
    half = (len(items) + 1) // 2
    return [items[:half], items[half:]]


def _parallel(
    convert: Callable[[list[int]], list[Converted]], chunks: list[list[int]]
) -> list[Converted]:
    """Run ``convert`` over ``chunks`` (a pandoc process each, so on both cores)."""
    if len(chunks) <= 1:
        return [item for chunk in chunks for item in convert(chunk)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        return [item for part in pool.map(convert, chunks) for item in part]
