"""One reading of Markdown: no module outside ``kbtool/markdown/`` keeps a regex for
Markdown structure.

Every regex literal of the package (the pattern given to ``re.compile``, ``re.sub``,
``re.match``, ... as a string or f-string) is checked for the shapes of Markdown
structure: a heading marker (``#{1,6}``, a ``#`` anchored at a line start), a code fence
(a run of three backticks or tildes), a link or image (``](``), a wikilink (``[[``), a
list item marker (``[-*+]``). A module may keep one only with a reason in :data:`ALLOWED`; an entry
there that no longer matches fails too, so the list can only shrink.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kbtool"
READER = PACKAGE / "markdown"
_RE_FUNCTIONS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall"}
_RE_FUNCTIONS |= {"finditer"}

# What a pattern for Markdown structure looks like (read on the pattern's source).
SHAPES = {
    "heading": re.compile(r"#\{1,\d\}|\^\(?(?:\\s\*|\\s\+| \{0,3\}|\[ \\t\]\*)?\(?#|\^\[[^\]]*#"),
    "fence": re.compile(r"```|`\{3|~~~|~\{3"),
    "link": re.compile(r"\]\\\("),  # "]" then an escaped "(": a class then a group is not
    "wikilink": re.compile(r"\\\[\\\["),
    "list item": re.compile(r"\[(?=[^\]]*-)(?=[^\]]*\\?\*)(?=[^\]]*\+)[^\]]*\]"),
}

# module (relative to kbtool/) -> the shapes its regexes may have, and why
ALLOWED: dict[str, tuple[frozenset[str], str]] = {
    "export/typst_source.py": (
        frozenset({"list item"}),
        "nesting() is a cheap upper bound of list and quote depth (the container markers "
        "opening a line, half the columns of blank around them), run on every answer of "
        "every export; only an answer over MAX_NESTING by it is parsed, and the parser "
        "(kbtool.markdown.blocks.container_depth) decides. A parse of every answer costs "
        "an export about 20x the bound's time; tests/test_markdown_blocks.py proves the "
        "bound never below the parser's depth",
    ),
    "importers/general_markdown.py": (
        frozenset({"heading", "list item"}),
        "rst_as_markdown, for .rst/.rest files only: reStructuredText title adornments (a "
        "run of one of = - ~ ^ \" ' ` # * + : .) and '#.' auto-numbered items are not "
        "Markdown; they become Markdown line by line before the parser reads the file",
    ),
    "importers/telegram_markup.py": (
        frozenset({"fence", "link"}),
        "writes Markdown from Telegram's own markup (JSON entities, export HTML), reads "
        "none: _fenced picks a fence run longer than any ``` line in a code entity's raw "
        "text; plain_title unwraps the [text](url) links of the title line (which wrap() "
        "writes for text_link entities)",
    ),
}


def _patterns(path: Path) -> list[tuple[int, str]]:
    """(line, pattern source) of every regex literal in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_FUNCTIONS
            and node.args
        ):
            continue
        pattern = node.args[0]
        if isinstance(pattern, ast.Constant) and isinstance(pattern.value, str):
            found.append((node.lineno, pattern.value))
        elif isinstance(pattern, ast.JoinedStr):
            parts = [v.value for v in pattern.values if isinstance(v, ast.Constant)]
            found.append((node.lineno, "".join(str(p) for p in parts)))
    return found


def structure_regexes() -> dict[str, list[tuple[int, str, str]]]:
    """module -> (line, shape, pattern) of each regex for Markdown structure outside
    the reader."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if READER in path.parents:
            continue
        for line, pattern in _patterns(path):
            for shape, test in SHAPES.items():
                if test.search(pattern):
                    name = path.relative_to(PACKAGE).as_posix()
                    out.setdefault(name, []).append((line, shape, pattern))
    return out


FOUND = structure_regexes()


@pytest.mark.parametrize("module", sorted(set(FOUND) | set(ALLOWED)))
def test_markdown_structure_is_read_in_one_place(module: str) -> None:
    found = FOUND.get(module, [])
    allowed, reason = ALLOWED.get(module, (frozenset(), ""))
    unexplained = [
        f"{module}:{line}: {shape}: {p!r}" for line, shape, p in found if shape not in allowed
    ]
    assert not unexplained, (
        "read Markdown structure with kbtool.markdown (document.parse, items, labels), "
        "or add the module to ALLOWED with a reason:\n" + "\n".join(unexplained)
    )
    stale = allowed - {shape for _line, shape, _p in found}
    assert not stale, f"{module} no longer matches {sorted(stale)}: shrink ALLOWED ({reason})"


@pytest.mark.parametrize(
    ("pattern", "shape"),
    [
        (r"^(#{1,6})[ \t]+(.*?)[ \t#]*$", "heading"),
        (r"^ {0,3}#{1,6}(?:[ \t]|$)", "heading"),
        (r"^#\s+(Lectures|Seminars)\s*$", "heading"),
        (r"^[#>*\-\s]+", "heading"),
        (r"^ {0,3}(`{3,}|~{3,})", "fence"),
        (r"^```", "fence"),
        (r"\[([^\]]*)\]\(([^)]*)\)", "link"),
        (r"\]\(#", "link"),
        (r"^( *)([-*+]|\d{1,9}[.)])( +|$)", "list item"),
        (r"(!?)\[\[([^\[\]|#]*)(?:#([^\[\]|]*))?", "wikilink"),
    ],
)
def test_the_shapes_are_recognised(pattern: str, shape: str) -> None:
    assert SHAPES[shape].search(pattern), (shape, pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\d+[.)]\s|\?\s*$",  # a numbered title, not a list
        r"(?:Q|Question)\s*\d*\s*[:.]",  # a label word
        r"<a\s+(?:id|name)\s*=",  # HTML
        r"^={1,2} ",  # a Typst heading
        r"^\s*(?:\*\*)?(?:A|Answer)\s*[:.](?:\*\*)?",  # a class, then a group
    ],
)
def test_other_patterns_pass(pattern: str) -> None:
    assert not [s for s, test in SHAPES.items() if test.search(pattern)], pattern
