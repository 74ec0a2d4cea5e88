"""Pieces of a cheat sheet's Markdown -> typst: one pandoc run per core, no round trip.

pandoc reads the pieces (each starts with its heading), the filter
``templates/sheet.lua`` makes each ready for typst in the same run (heading ids,
pictures, links, line breaks, tables: see its header) and pandoc writes typst. The
filter reports, per piece, the labels it left and its picture and link decisions;
those are guesses from paths, which :mod:`kbtool.export.typst_source` checks on
the file system and, where one was wrong, has the piece converted again with the
right decisions as ``overrides``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from kbtool.errors import InputError

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
# it grow past gigabytes; over the cap it stops with "Heap exhausted", reported below
PANDOC_HEAP = "1024m"
PANDOC_ARGS = ["--sandbox", "--quiet", "--wrap=preserve", "+RTS", f"-M{PANDOC_HEAP}", "-RTS"]
PARALLEL_FROM = 60  # pieces; fewer are converted by one pandoc process
_BOXED = "#box(stroke: black, inset: 3pt, "  # pandoc's `\boxed{`; the template's is lighter
_BOXED_OURS = "#kbboxed("

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
        return _run([markdowns[i] for i in chunk], {**facts, "overrides": mine})

    return _parallel(run, _chunks(indices))


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
    text = "\n\n".join(markdowns)
    with tempfile.TemporaryDirectory(prefix="kbtool-sheet-") as folder:
        facts_file = Path(folder) / "facts.json"
        facts_file.write_text(
            json.dumps({**facts, "split": split}, ensure_ascii=False),
            "utf-8",
        )
        with resources.as_file(_filter()) as lua:
            out = _pandoc(text, ["--lua-filter", str(lua), f"--metadata=kbtool-facts:{facts_file}"])
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
    import pypandoc

    command = [pypandoc.get_pandoc_path(), "-f", MARKDOWN, "-t", "typst", *extra, *PANDOC_ARGS]
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, check=False)
    except OSError as exc:  # pandoc missing: not the user's notes
        raise InputError(
            f"pandoc could not be run: {exc}", hint="reinstall pypandoc-binary (it ships pandoc)"
        ) from None
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip()
        if "Heap exhausted" in error:
            raise InputError(
                "pandoc needs more than 1 GB of memory for these entries",
                hint="an entry is too large to print (e.g. tens of thousands of links); "
                "split it, or leave it out with --topic or --tag",
            )
        raise InputError(
            f"pandoc could not convert the entries to typst: {error}",
            hint="reinstall pypandoc-binary (it ships pandoc)",
        )
    return done.stdout.decode("utf-8")


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
