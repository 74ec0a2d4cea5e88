"""Every lint rule against its cases in ``tests/fixtures/lint/rules/<rule>.yml``.

A case writes its ``files`` into a fresh project (``kbtool.toml`` with
``notes = "notes"`` and the case's ``config`` as the ``[lint]`` table), lints the
first file (or the files and folders its ``lint`` lists) with only that rule, and
compares the problems in order: ``line``, optional ``column`` and ``severity``, and a
``contains`` message substring; the count must match too. With ``fix:``,
``kbtool lint --fix`` must turn the file into that text, and a second ``--fix`` must
change nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kbtool import config as kb_config
from kbtool.lint.linter import lint
from kbtool.lint.rules import RULES
from tests.conftest import FIXTURES

RULE_FILES = sorted((FIXTURES / "lint" / "rules").glob("*.yml"))
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Options")


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: expected a mapping with rule and cases"
    return data


def _cases() -> list[Any]:
    out = []
    for path in RULE_FILES:
        data = _load(path)
        for case in data["cases"]:
            out.append(pytest.param(data["rule"], case, id=f"{data['rule']}/{case['name']}"))
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def write_project(root: Path, case: dict[str, Any]) -> Path:
    """Write the case's project; return the file to lint."""
    lines = ['notes = "notes"', "", "[lint]"]
    lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in (case.get("config") or {}).items()]
    (root / "kbtool.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "notes").mkdir(exist_ok=True)
    for name, text in case["files"].items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / next(iter(case["files"]))


@pytest.mark.parametrize(("rule", "case"), _cases())
def test_rule_case(
    rule: str,
    case: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kb: Callable[..., tuple[int, str, str]],
) -> None:
    target = write_project(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    paths = [tmp_path / p for p in case.get("lint", [])] or [target]
    result = lint(kb_config.load(tmp_path), paths, select=[rule])
    assert not result.input_errors
    got = [p for p in result.problems if p.name == rule]
    assert got == result.problems, "only the selected rule may report"
    expected = case.get("expect") or []
    shown = "\n".join(f"{p.line}:{p.column} {p.severity.value} {p.message}" for p in got)
    assert len(got) == len(expected), f"expected {len(expected)} problem(s), got:\n{shown}"
    for problem, want in zip(got, expected, strict=True):
        assert problem.line == want["line"], shown
        if "column" in want:
            assert problem.column == want["column"], shown
        if "severity" in want:
            assert problem.severity.value == want["severity"], shown
        assert want["contains"] in problem.message, shown
    if "fix" in case:
        rel = str(target.relative_to(tmp_path))
        kb("lint", "--fix", "--select", rule, rel)
        assert target.read_text(encoding="utf-8") == case["fix"]
        kb("lint", "--fix", "--select", rule, rel)
        assert target.read_text(encoding="utf-8") == case["fix"], "--fix is not idempotent"


def _rules_with_cases() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for path in RULE_FILES:
        data = _load(path)
        found.setdefault(data["rule"], []).extend(data["cases"])
    return found


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented_and_has_cases(code: str) -> None:
    module = RULES[code]
    doc = module.__doc__ or ""
    assert doc.startswith(f"{module.NAME} ({code}): "), "first line: 'name (CODE): summary'"
    positions = [doc.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), f"missing sections: {SECTIONS}"
    assert positions == sorted(positions), "sections out of order"
    cases = _rules_with_cases().get(module.NAME)
    assert cases, f"no tests/fixtures/lint/rules/{module.NAME}.yml"
    assert any(not c.get("expect") for c in cases), "needs a passing case (expect: [])"
    assert any(c.get("expect") for c in cases), "needs a failing case"


def test_rule_files_name_known_rules() -> None:
    names = {module.NAME for module in RULES.values()}
    for path in RULE_FILES:
        assert _load(path)["rule"] in names, f"{path.name}: unknown rule"
        assert path.stem == _load(path)["rule"], f"{path.name}: name the file after the rule"


def test_rules_lists_every_rule(kb: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = kb("rules")
    assert code == 0
    for rule_code, module in RULES.items():
        assert rule_code in out
        assert module.NAME in out


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_command_prints_docstring(code: str, kb: Callable[..., tuple[int, str, str]]) -> None:
    module = RULES[code]
    for key in (code, module.NAME):
        status, out, _ = kb("rule", key)
        assert status == 0
        assert "## Why is this bad?" in out
        assert (module.__doc__ or "").strip() in out
