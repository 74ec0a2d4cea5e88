"""Present problems; kept apart from the rules, which only yield values.

``FORMATTERS`` maps a ``--format`` name to ``(problems) -> str``:

- ``text``: ``path:line:col: severity code name message``, one per line;
- ``json``: a list of objects (schema ``schema/lint-report.schema.json``);
- ``github``: GitHub Actions workflow commands, shown as annotations on the diff;
- ``sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kbtool.lint.problem import Problem, Severity

if TYPE_CHECKING:
    from kbtool.lint.rule import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def text(problems: list[Problem]) -> str:
    return "".join(
        f"{p.path}:{p.line}:{p.column}: {p.severity.value} {p.code} {p.name} {p.message}\n"
        for p in problems
    )


def as_json(problems: list[Problem]) -> str:
    import json  # here, not at the top: the text output of a pre-commit run does without it

    from kbtool.lint.report import LintReport

    data = LintReport.from_problems(problems).model_dump(mode="json", exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    """Escape a workflow-command message (as ``escapeData`` in @actions/core)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """Escape a workflow-command property value (as ``escapeProperty`` in @actions/core)."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem]) -> str:
    """``::error file=…,line=…,col=…,title=CODE name::message`` per problem."""
    lines = []
    for p in problems:
        props = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", p.path.replace("\\", "/")),
                ("line", str(p.line)),
                ("col", str(p.column)),
                ("title", f"{p.code} {p.name}"),
            )
        )
        lines.append(f"::{p.severity.value} {props}::{_escape_data(p.message)}\n")
    return "".join(lines)


def doc_sections(module: Rule) -> dict[str, str]:
    """A rule docstring split into its ``## Section`` bodies; ``""`` holds the summary.

    The docstring is Markdown, so the parser finds the sections: a ``## `` line inside
    an example's code fence is part of the example, not a section of its own.
    """
    from itertools import pairwise

    from kbtool.markdown.document import parse

    doc = parse((module.__doc__ or "").strip())
    starts = [*doc.line_starts, len(doc.text) + 1]
    lines = [doc.text[a : b - 1].rstrip("\r") for a, b in pairwise(starts)]
    names = {
        h.line: (h.end_line, doc.text[h.start : h.end].strip())
        for h in doc.headings
        if h.level == 2 and h.depth == 0
    }
    sections: dict[str, list[str]] = {"": []}
    current = ""
    number = 1
    while number <= len(lines):
        if number in names:
            number, current = names[number]
            sections[current] = []
        else:
            sections[current].append(lines[number - 1])
        number += 1
    return {name: "\n".join(body).strip() for name, body in sections.items()}


def summary(module: Rule) -> str:
    """The text after ``name (CODE):`` on the docstring's first line."""
    first = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else module.NAME
    return first.split(":", 1)[1].strip() if ":" in first else first


def _sarif_rule(module: Rule) -> dict[str, Any]:
    sections = doc_sections(module)
    what = sections.get("What it does") or summary(module)
    level = "error" if module.SEVERITY is Severity.ERROR else "warning"
    return {
        "id": module.CODE,
        "name": module.NAME,
        "shortDescription": {"text": summary(module)},
        "fullDescription": {"text": " ".join(what.split())},
        "help": {
            "text": (module.__doc__ or "").strip(),
            "markdown": (module.__doc__ or "").strip(),
        },
        "defaultConfiguration": {"level": level},
    }


def sarif(problems: list[Problem]) -> str:
    """A SARIF 2.1.0 log with one run; every registered rule is described."""
    from kbtool import __version__
    from kbtool.lint.rules import RULES

    index = {code: i for i, code in enumerate(RULES)}
    results = []
    for p in problems:
        result: dict[str, Any] = {
            "ruleId": p.code,
            "level": "error" if p.severity is Severity.ERROR else "warning",
            "message": {"text": p.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(p.path.replace("\\", "/"))},
                        "region": {"startLine": p.line, "startColumn": p.column},
                    }
                }
            ],
        }
        if p.code in index:
            result["ruleIndex"] = index[p.code]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kbtool",
                        "version": __version__,
                        "rules": [_sarif_rule(module) for module in RULES.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    import json

    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


FORMATTERS: dict[str, Callable[[list[Problem]], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "sarif": sarif,
}
