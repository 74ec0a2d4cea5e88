"""Output formats of ``kbtool lint``: each checked against its real consumer's rules.

The problems come from really linting a small project (paths with a comma and
Cyrillic letters, messages with ``%``), so the formatters see what users will.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from kbtool import config as kb_config
from kbtool.lint.formatters import FORMATTERS, doc_sections
from kbtool.lint.linter import lint
from kbtool.lint.problem import Problem
from kbtool.lint.rules import RULES
from tests.conftest import FIXTURES, ROOT

SARIF_SCHEMA = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA = ROOT / "schema" / "lint-report.schema.json"

DOC = """\
## Заметки, черновик

Предложили 250к; формула $\\frac{1}{2$ и всё.
"""


@pytest.fixture
def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    (tmp_path / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    folder = tmp_path / "черновики, 2024"
    folder.mkdir()
    (folder / "a:b.md").write_text(DOC, encoding="utf-8")
    (folder / "empty.md").write_text("# Готово на 50%\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found = lint(kb_config.load(tmp_path), [folder]).problems
    assert {p.name for p in found} >= {"private-content", "math-syntax", "empty-section"}
    return found


def test_text_format(problems: list[Problem]) -> None:
    lines = FORMATTERS["text"](problems).splitlines()
    assert len(lines) == len(problems)
    for line, p in zip(lines, problems, strict=True):
        assert line == (
            f"{p.path}:{p.line}:{p.column}: {p.severity.value} {p.code} {p.name} {p.message}"
        )


def test_json_matches_schema(problems: list[Problem]) -> None:
    data = json.loads(FORMATTERS["json"](problems))
    jsonschema.validate(data, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    assert [(d["path"], d["line"], d["column"], d["code"]) for d in data] == [
        (p.path, p.line, p.column, p.code) for p in problems
    ]
    assert {"path", "line", "column", "code", "name", "severity", "message"} <= set(data[0])


def test_sarif_validates_against_official_schema(problems: list[Problem]) -> None:
    log = json.loads(FORMATTERS["sarif"](problems))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])

    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for rule in rules:
        module = RULES[rule["id"]]
        assert rule["name"] == module.NAME
        assert rule["shortDescription"]["text"]
        first = doc_sections(module)["What it does"].split()[:5]
        assert rule["fullDescription"]["text"].startswith(" ".join(first))
        assert "## Why is this bad?" in rule["help"]["markdown"]
    assert len(run["results"]) == len(problems)
    for result, p in zip(run["results"], problems, strict=True):
        assert result["ruleId"] == p.code
        assert rules[result["ruleIndex"]]["id"] == p.code
        assert result["level"] == p.severity.value
        assert result["message"]["text"] == p.message
        location = result["locations"][0]["physicalLocation"]
        assert location["region"] == {"startLine": p.line, "startColumn": p.column}
        assert " " not in location["artifactLocation"]["uri"]


def _unescape(value: str) -> str:
    codes = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: codes[m.group(0)], value)


def test_github_annotations_escape_per_workflow_command_rules(problems: list[Problem]) -> None:
    lines = FORMATTERS["github"](problems).splitlines()
    assert len(lines) == len(problems)
    command = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")
    for line, p in zip(lines, problems, strict=True):
        match = command.match(line)
        assert match, line
        assert match.group(1) == p.severity.value
        props = dict(item.split("=", 1) for item in match.group(2).split(","))
        assert set(props) == {"file", "line", "col", "title"}
        assert _unescape(props["file"]) == p.path
        assert (props["line"], props["col"]) == (str(p.line), str(p.column))
        assert _unescape(props["title"]) == f"{p.code} {p.name}"
        assert _unescape(match.group(3)) == p.message
    assert any("%2C" in line and "%3A" in line for line in lines), "path escapes"
    assert any("50%25" in line for line in lines), "message escapes %"


def test_github_escapes_newlines_in_messages() -> None:
    from kbtool.lint.problem import Severity

    p = Problem("a.md", 1, 1, "KB201", "missing-answer", Severity.WARNING, "x\r\ny")
    assert FORMATTERS["github"]([p]).endswith("::x%0D%0Ay\n")


@pytest.mark.parametrize("name", sorted(FORMATTERS))
def test_cli_prints_each_format(
    name: str,
    problems: list[Problem],
    kb: Callable[..., tuple[int, str, str]],
) -> None:
    code, out, _ = kb("lint", "--format", name, "черновики, 2024")
    assert code == 1  # math-syntax found an error
    assert out == FORMATTERS[name](problems)
