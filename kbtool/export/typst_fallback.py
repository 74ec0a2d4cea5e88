"""One entry typst refuses must not cost the whole PDF: it prints as a stand-in.

pandoc writes typst that typst may still refuse: ``\\frac{a}{}`` becomes ``frac(a, )``
("missing argument: denom"), emphasis nested a few hundred levels deep exceeds
typst's parser. typst stops at the first error of the sheet's source, so when that
error points into an entry's piece of the source, the piece is replaced by a stand-in
(the entry's heading, so links to it still work, and a note), the entry is named in a
warning with typst's message, and the sheet is built again: at most
:data:`MAX_LEFT_OUT` entries, then the error stands as it is. An error in the
template, a topic heading or the drafts list stays an error, and so does a sheet
whose every entry was left out: a PDF of notes only is not worth writing.

typst's line is one of the generated source. To name the line of the entry's
Markdown, the entry's formulas and top-level blocks are converted (one pandoc run)
and compiled side by side (one typst compile, formulas first): the one typst
refuses on its own is the one named. This runs only for an entry already refused.

A stand-in is never cached as the entry's typst: the pieces cache keeps what pandoc
wrote for the entry, which typst refuses again, and is stood in again, until the
entry is fixed; the PDF cache keeps the sheet with its warnings under the key of the
source as pandoc wrote it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kbtool.errors import InputError
from kbtool.export import sheet_pandoc, typst_run
from kbtool.export.typst_source import Part, TypstSource
from kbtool.markdown.document import parse

MAX_LEFT_OUT = 20  # entries stood in before the error stands: beyond that, something is amiss
NOTE = "(left out of the PDF: typst could not print it)"
_DISPLAY = frozenset({"math_block", "math_block_label"})
_SHOWN_TEX = 60  # characters of a formula quoted in a warning


class LeftOut(NamedTuple):
    """An entry typst refused: as messages name it, the line of its file when known,
    what typst refused ("this entry", "the formula ...") and typst's message."""

    named: str
    line: int | None
    what: str
    reason: str

    def where(self) -> str:
        return self.named if self.line is None else f"{self.named}:{self.line}"

    def warning(self) -> str:
        return (
            f"{self.where()}: typst could not print {self.what} ({self.reason}); "
            "the entry is left out of the PDF"
        )


@dataclass
class Sheet:
    """A cheat sheet's typst source piece by piece, so one piece can be replaced."""

    wrap: Callable[[str], str]  # body -> the complete source (template, show rule, body)
    parts: list[Part]
    labels: dict[str, str]  # "<id>" -> the entry as messages name it
    facts: dict[str, Any]  # the pandoc filter's, to convert parts of an entry again
    base: Path
    dropped: dict[str, list[str]] = field(default_factory=dict)  # image call -> its warnings
    left_out: dict[int, LeftOut] = field(default_factory=dict)  # by part index

    @classmethod
    def of(cls, built: TypstSource, wrap: Callable[[str], str], base: Path) -> Sheet:
        return cls(wrap, list(built.parts), built.entry_labels, built.facts, base)

    def text(self, index: int) -> str:
        """The typst of part ``index`` as the sheet prints it."""
        if index in self.left_out:
            return stand_in(self.parts[index])
        return self._without_dropped(self.parts[index].typst)

    def _without_dropped(self, text: str) -> str:
        for call in self.dropped:
            text = text.replace(call, "[]")  # nothing printed; the warning says why
        return text

    def body(self) -> str:
        return "\n".join(self.text(index) for index in range(len(self.parts)))

    def source(self) -> str:
        return self.wrap(self.body())

    def part_at(self, line: int) -> int | None:
        """The part holding ``line`` of :meth:`source` (None: the template's lines)."""
        source, body = self.source(), self.body()
        if not source.endswith(body + "\n"):
            return None
        start = source[: len(source) - len(body) - 1].count("\n") + 1
        for index in range(len(self.parts)):
            lines = self.text(index).count("\n")  # each part ends with a newline
            if start <= line < start + lines:
                return index
            start += lines + 1  # the blank line between parts
        return None

    def warnings(self) -> list[str]:
        """What was left out and why, images first, then entries in sheet order."""
        said = [warning for warnings in self.dropped.values() for warning in warnings]
        return [*said, *(self.left_out[index].warning() for index in sorted(self.left_out))]


def leave_out(sheet: Sheet, failure: typst_run.TypstFailed) -> None:
    """Stand in the entry ``failure`` points into; raise ``failure`` when it points
    elsewhere, at an entry already stood in, or past :data:`MAX_LEFT_OUT` entries, and
    an error naming each entry when none is left to print."""
    index = None if failure.source_line is None else sheet.part_at(failure.source_line)
    part = None if index is None else sheet.parts[index]
    if index is None or part is None or part.doc is None or index in sheet.left_out:
        raise failure
    if len(sheet.left_out) >= MAX_LEFT_OUT:
        named = ", ".join(gone.where() for _index, gone in sorted(sheet.left_out.items()))
        failure.hint = (
            f"{len(sheet.left_out)} entries typst could not print were left out before this "
            f"one ({named}); fix their Markdown (math, tables), then export again"
        )
        raise failure
    sheet.left_out[index] = _left_out(sheet, part, failure.reason)
    printed = [
        i
        for i, other in enumerate(sheet.parts)
        if other.doc is not None
        and i not in sheet.left_out
        and sheet_pandoc.left_out(other.typst) is None
    ]
    if printed:
        return
    hint = "fix the Markdown there (math, tables), then export again"
    if len(sheet.left_out) == 1:
        alone = sheet.left_out[index]
        raise InputError(
            f"typst could not print {alone.what} ({alone.reason}); no entry is left to print",
            path=alone.named,
            line=alone.line,
            hint=hint,
        )
    raise InputError(
        f"typst could not print any of the {len(sheet.left_out)} entries of the sheet:\n"
        + "\n".join(
            f"  {gone.where()}: {gone.what} ({gone.reason})"
            for _index, gone in sorted(sheet.left_out.items())
        ),
        hint=hint,
    )


def stand_in(part: Part) -> str:
    """The entry's heading as pandoc wrote it, with its label, then the note."""
    assert part.doc is not None
    label = f"<{part.doc.entry.id}>"
    lines = part.typst.split("\n")
    for number, line in enumerate(lines[:8]):
        if line.strip() == label:
            heading = "\n".join(lines[: number + 1])
            break
    else:  # not as pandoc writes headings: the title as a string, which cannot fail
        heading = f"#heading(level: 2, {_typst_string(part.doc.entry.title)}) {label}"
    return f"{heading}\n#emph[{NOTE}]\n"


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _left_out(sheet: Sheet, part: Part, reason: str) -> LeftOut:
    assert part.doc is not None
    named = sheet.labels.get(f"<{part.doc.entry.id}>", part.doc.entry.id)
    line, formula = locate(sheet, part)
    what = "this entry"
    if formula is not None:
        shown = " ".join(formula.split())
        shown = shown if len(shown) <= _SHOWN_TEX else shown[: _SHOWN_TEX - 1] + "…"
        what = f"the formula {shown}"
    return LeftOut(named, None if line is None else part.doc.body_line + line - 1, what, reason)


def locate(sheet: Sheet, part: Part) -> tuple[int | None, str | None]:
    """The line of the entry's body (1-based) that typst refuses on its own, and the
    formula's TeX when it is one; (None, None) when nothing fails alone."""
    assert part.doc is not None
    _heading, _, body = part.markdown.partition("\n\n")
    parsed = parse(body)
    lines = body.split("\n")
    units: list[tuple[int, str | None, str]] = []  # (line, formula or None, Markdown)
    for span in parsed.math_spans():
        tex = span.content.strip()
        if not tex:
            continue
        fence = "$$" if span.kind != "math_inline" else "$"
        markdown = f"$$\n{tex}\n$$" if span.kind in _DISPLAY else f"{fence}{tex}{fence}"
        units.append((span.line, tex, markdown))
    for block in parsed.blocks:
        if block.depth == 0:
            units.append((block.line, None, "\n".join(lines[block.line - 1 : block.end_line])))
    if not units:
        return None, None
    heading = f"## probe {{#{part.doc.entry.id} .kb-entry}}\n\n"
    given = {"images": dict(part.images), "links": dict(part.links)}
    try:
        converted = sheet_pandoc.convert(
            [heading + markdown + "\n" for _line, _tex, markdown in units],
            sheet.facts,
            dict.fromkeys(range(len(units)), given),
        )
    except InputError:
        return None, None
    label = f"<{part.doc.entry.id}>"
    chunks = []
    for text, _ids, _images, _links in converted:
        lines_out = text.split("\n")
        cut = next((n + 1 for n, line in enumerate(lines_out[:8]) if line.strip() == label), 0)
        chunks.append(sheet._without_dropped("\n".join(lines_out[cut:])).rstrip("\n") + "\n")
    probe = Sheet(sheet.wrap, [Part(chunk, None, "") for chunk in chunks], {}, {}, sheet.base)
    try:
        typst_run.render(probe.source(), sheet.base, {})
    except typst_run.TypstFailed as failure:
        found = None if failure.source_line is None else probe.part_at(failure.source_line)
        if found is not None:
            return units[found][0], units[found][1]
    except InputError:
        pass
    return None, None
