"""A rule's documentation as ``kbtool rule CODE`` prints it and as SARIF describes it,
compared with the recorded output of every rule (``tests/fixtures/rule_docs/rules.json``).

Reading the docstring's ``## `` sections moved from a line regex to the Markdown parser;
this keeps both readers honest: ``kbtool rule`` prints byte for byte what it printed, and
the sections are the five of the rule contract, with their whole bodies (a ``## `` line
inside an example's code fence is code, not a section: the regex took two examples'
code for sections of their own).

After a deliberate change to a rule's docstring, record the output again with
``.venv/bin/python -m tests.test_rule_docs`` and review the diff.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import pytest

from kbtool.lint.formatters import doc_sections
from kbtool.lint.rules import RULES
from tests.conftest import FIXTURES

RECORDED = FIXTURES / "rule_docs" / "rules.json"
SECTIONS = ["", "What it does", "Why is this bad?", "Example", "Use instead", "Options"]


def _recorded() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(RECORDED.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("code", sorted(RULES))
def test_kbtool_rule_prints_what_it_printed(
    code: str, kb: Callable[..., tuple[int, str, str]]
) -> None:
    exit_code, out, err = kb("rule", code)
    assert (exit_code, err) == (0, "")
    assert out == _recorded()[code]["rule"]


@pytest.mark.parametrize("code", sorted(RULES))
def test_doc_sections_are_the_rule_contract(code: str) -> None:
    sections = doc_sections(RULES[code])
    assert list(sections) == SECTIONS
    assert sections == _recorded()[code]["sections"]


@pytest.mark.parametrize("code", sorted(RULES))
def test_the_sections_hold_the_whole_docstring(code: str) -> None:
    """Nothing of a docstring is lost between its sections (true without a record)."""
    sections = doc_sections(RULES[code])
    parts = [sections[""], *(f"## {name}\n{body}" for name, body in sections.items() if name)]
    assert "\n\n".join(parts) == (RULES[code].__doc__ or "").strip()


def test_a_heading_in_a_code_fence_is_not_a_section() -> None:
    class Rule:
        """name (KB999): summary.

        ## Example
        ```markdown
        ## Not a section
        ```

        ## Options
        None.
        """

    Rule.__doc__ = "\n".join(line.strip() for line in (Rule.__doc__ or "").splitlines())
    sections = doc_sections(Rule)  # type: ignore[arg-type]
    assert list(sections) == ["", "Example", "Options"]
    assert sections["Example"] == "```markdown\n## Not a section\n```"


def record() -> None:
    """Write the current output of every rule (run as a module)."""
    import io
    from contextlib import redirect_stdout

    from kbtool.cli import run

    data: dict[str, dict[str, object]] = {}
    for code in sorted(RULES):
        out = io.StringIO()
        with redirect_stdout(out):
            assert run(["rule", code]) == 0
        data[code] = {"rule": out.getvalue(), "sections": doc_sections(RULES[code])}
    RECORDED.parent.mkdir(exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    RECORDED.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    record()
    sys.exit(0)
