"""Present problems; kept apart from the rules, which only yield values."""

from __future__ import annotations

import json

from kbtool.lint.problem import Problem
from kbtool.lint.report import LintReport


def text(problems: list[Problem]) -> str:
    return "".join(
        f"{p.path}:{p.line}:{p.column}: {p.severity.value} {p.code} {p.name} {p.message}\n"
        for p in problems
    )


def as_json(problems: list[Problem]) -> str:
    data = LintReport.from_problems(problems).model_dump(mode="json", exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATTERS = {"text": text, "json": as_json}
