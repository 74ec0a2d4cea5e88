"""The README cannot drift: every console example runs and prints what it shows.

How an example is set up (its fixtures, its working folder) is described in
``tests/readme_examples.py``; the fixtures live in ``tests/fixtures/readme/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import readme_examples
from tests.conftest import ROOT

README = ROOT / "README.md"
EXAMPLES = readme_examples.console_examples(README)


def test_the_readme_has_console_examples() -> None:
    commands = [step.command for example in EXAMPLES for step in example.steps]
    for wanted in ("kbtool new", "kbtool lint", "kbtool import", "kbtool export", "kbtool rules"):
        assert any(c.startswith(wanted) for c in commands), f"no `$ {wanted}` example"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_console_example_prints_what_the_readme_shows(
    example: readme_examples.Example, tmp_path: Path
) -> None:
    readme_examples.check(example, ROOT, tmp_path / "work", ROOT / ".venv" / "bin")


@pytest.mark.parametrize(
    ("expected", "actual", "fits"),
    [
        (("a", "...", "z"), ["a", "b", "c", "z"], True),
        (("a", "...", "z"), ["a", "z"], True),
        (("a", "...", "z"), ["a", "b"], False),
        (("a", "b"), ["a", "b", "c"], False),
        (("a",), ["b"], False),
    ],
)
def test_an_ellipsis_line_stands_for_any_lines(
    expected: tuple[str, ...], actual: list[str], fits: bool
) -> None:
    assert readme_examples.matches(expected, actual) is fits
