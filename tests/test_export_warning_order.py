"""Export warnings come by file, then line: a user fixes a note top to bottom.

The fixture (``tests/fixtures/export/warning-order/``) has two entries whose warnings
the exporters gather out of order: the study page checked pictures and links before
formulas (a formula on line 16 was named after a picture on line 22), and the PDF said
them in sheet order, where ``variance.md`` comes before ``bias.md``. A display
formula's warning names its own line (an empty one was named at the answer's first).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.export.run import in_line_order
from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "warning-order"
_WHERE = re.compile(r"warning: ([^:]+):(\d+): (\w+)")

# (file, line, what) each format warns about, in the order a user fixes them
EXPECTED = {
    "html": [
        ("stats/bias.md", 16, "image"),
        ("stats/variance.md", 16, "formula"),
        ("stats/variance.md", 18, "image"),
        ("stats/variance.md", 20, "link"),
        ("stats/variance.md", 22, "image"),
        ("stats/variance.md", 24, "formula"),  # an empty display formula: on its own line
    ],
    "pdf": [
        ("stats/bias.md", 16, "image"),
        ("stats/variance.md", 16, "formula"),  # pandoc prints `\sqrt[` as its TeX
        ("stats/variance.md", 18, "image"),
        ("stats/variance.md", 20, "link"),
        ("stats/variance.md", 22, "image"),
    ],
    "json": [
        ("stats/bias.md", 16, "image"),
        ("stats/variance.md", 18, "image"),
        ("stats/variance.md", 22, "image"),
    ],
}


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_warnings_by_file_then_line(fmt: str, kb: Kb, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(BASE, notes)
    code, _out, err = kb("export", fmt, "--notes", notes, "--out", tmp_path / f"kb.{fmt}")
    assert code == 0, err
    said = [
        (found[1], int(found[2]), found[3])
        for line in err.splitlines()
        if (found := _WHERE.match(line))
    ]
    assert said == EXPECTED[fmt]


def test_order_of_warning_shapes() -> None:
    """A whole-entry warning first in its file, a column ignored, same-line order kept,
    lines compared as numbers; text that names no file first."""
    warnings = [
        "b.md:10: ten",
        "a.md:30: thirty",
        "a.md: the whole entry, written at 12:30: still whole",
        "a.md:4:2: four, column two",
        "a.md:4: four again",
        "b.md:9: nine",
        "no file named",
    ]
    assert in_line_order(warnings) == [
        "no file named",
        "a.md: the whole entry, written at 12:30: still whole",
        "a.md:4:2: four, column two",
        "a.md:4: four again",
        "a.md:30: thirty",
        "b.md:9: nine",
        "b.md:10: ten",
    ]
