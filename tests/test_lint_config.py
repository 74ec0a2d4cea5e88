"""``[tool.kbtool.lint]`` is checked against the rules' typed options.

Each ``tests/fixtures/lint/config/<case>.<file name>`` is written as that file
(``pyproject.toml`` or ``kbtool.toml``) into a fresh project with one valid entry;
``# expect:`` lines are what ``kbtool lint`` must say on stderr, with exit code 2
(a configuration error, never an internal error). A case without them must lint
cleanly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool import config as kb_config
from kbtool.lint.config import settings
from kbtool.lint.rules import (
    RULES,
    duplicate_question,
    missing_answer,
    private_content,
    toc_mismatch,
)
from tests.conftest import FIXTURES

CASES = sorted((FIXTURES / "lint" / "config").glob("*.toml"))
ENTRY = """\
---
id: bleu
kind: question
title: Что такое BLEU?
topic: nlp
lang: ru
status: answered
source: {kind: manual}
created: 2024-05-01
updated: 2024-05-01
---

Метрика перевода.
"""


def _project(root: Path, case: Path) -> list[str]:
    """Write the case's config file and a one-entry base; return its expected messages."""
    name = case.name.split(".", 1)[1]
    text = case.read_text(encoding="utf-8")
    (root / name).write_text(text, encoding="utf-8")
    (root / "notes" / "nlp").mkdir(parents=True)
    (root / "notes" / "nlp" / "bleu.md").write_text(ENTRY, encoding="utf-8")
    prefix = "# expect: "
    return [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_config_case(
    case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kb: Callable[..., tuple[int, str, str]],
) -> None:
    expected = _project(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    code, out, err = kb("lint", "--no-cache")
    if not expected:
        assert (code, out) == (0, ""), err
        return
    assert code == 2, err
    assert err.startswith("kbtool: "), err
    for message in expected:
        assert message in err
    assert "Traceback" not in err and "internal error" not in err


def test_valid_config_becomes_typed_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, FIXTURES / "lint" / "config" / "valid-by-name-and-code.pyproject.toml")
    monkeypatch.chdir(tmp_path)
    got = settings(kb_config.load(tmp_path))
    assert got.options == {
        "toc-mismatch": toc_mismatch.Options(threshold=80.0),
        "missing-answer": missing_answer.Options(placeholders=("напишу позже",)),
        "private-content": private_content.Options(patterns=("NDA",), severity="error"),
    }
    assert got.ignore == ("duplicate-question",)
    assert duplicate_question.Options().threshold == 95.0  # defaults when absent


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_command_shows_typed_options(
    code: str, kb: Callable[..., tuple[int, str, str]]
) -> None:
    import dataclasses

    rule = RULES[code]
    status, out, _ = kb("rule", code)
    assert status == 0
    fields = dataclasses.fields(rule.Options)
    if not fields:
        assert "## Option types" not in out
    for field in fields:
        default = field.default
        shown = list(default) if isinstance(default, tuple) else default
        import json

        assert f"{field.name}: " in out
        assert f"default {json.dumps(shown)}" in out
    if code == "KB103":
        assert "threshold: a number from 0 to 100, default 70.0" in out


def test_the_fingerprint_of_default_settings_is_the_json_one() -> None:
    # default settings skip importing json (start-up); the cache key must not move
    import hashlib
    import json

    from kbtool.lint.config import LintSettings

    data = json.dumps([(), {}], sort_keys=True, default=str, ensure_ascii=False)
    assert LintSettings().fingerprint() == hashlib.sha256(data.encode()).hexdigest()[:16]
    configured = LintSettings(options={"duplicate-question": duplicate_question.Options(90)})
    assert configured.fingerprint() != LintSettings().fingerprint()
