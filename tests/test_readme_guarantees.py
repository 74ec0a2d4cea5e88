"""README's "Guarantees": every promise names the test behind it, and that test exists.

Each item of the section's list must name at least one test as a code span,
``tests/test_x.py`` or ``tests/test_x.py::test_name``; a following ``::test_other``
means the same file as the last one named before it in the item. Every named test
file, test function and fixture path must exist, so a renamed test cannot leave a
promise without its proof.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from kbtool.markdown.document import Block, Span, parse
from tests.conftest import ROOT

README = ROOT / "README.md"


def _items() -> list[tuple[Block, list[str]]]:
    """Each top-level item of the Guarantees list, with the code spans in it."""
    document = parse(README.read_text("utf-8"))
    section = next(s for s in document.sections if s.heading.text == "Guarantees")
    inside = [
        block for block in document.blocks if section.content_line <= block.line <= section.end_line
    ]
    lists = [block for block in inside if block.kind == "bullet_list"]
    assert lists, "the Guarantees section has no list"
    depth = lists[0].depth + 1
    items = [b for b in inside if b.kind == "list_item" and b.depth == depth]
    spans: tuple[Span, ...] = document.code_spans()
    return [
        (item, [s.content for s in spans if item.line <= s.line <= item.end_line]) for item in items
    ]


@cache
def _functions(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))


def _tests_named(spans: list[str]) -> tuple[list[str], list[str]]:
    """(tests named, references that do not exist) among an item's code spans."""
    named: list[str] = []
    missing: list[str] = []
    current: Path | None = None
    for span in spans:
        text = span.strip()
        if text.startswith("tests/"):
            path_text, _, function = text.partition("::")
            path = ROOT / path_text.split(" ")[0]
            if not path.exists() and not list(path.parent.glob(path.name)):
                missing.append(text)
                continue
            if path.suffix != ".py":
                continue  # a fixture: it exists, it is not a test
            current = path
        elif text.startswith("::") and current is not None:
            function = text[2:]
        else:
            continue
        if function and function not in _functions(current):
            missing.append(f"{current.relative_to(ROOT)}::{function}")
        else:
            named.append(f"{current.relative_to(ROOT)}::{function}" if function else text)
    return named, missing


def test_every_guarantee_names_a_test_that_exists() -> None:
    items = _items()
    assert len(items) >= 5
    for item, spans in items:
        named, missing = _tests_named(spans)
        assert named, f"README.md:{item.line}: a guarantee that names no test"
        assert not missing, f"README.md:{item.line}: named but not found: {missing}"
