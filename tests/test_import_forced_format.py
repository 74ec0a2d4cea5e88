"""A source that is not the format forced with ``--format`` says so, and how to fix it.

Cases: ``tests/fixtures/import/forced-format/cases.yaml`` (see the README there).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
FOLDER = FIXTURES / "import" / "forced-format"
CASES: list[dict[str, Any]] = yaml.safe_load((FOLDER / "cases.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['source']}-as-{c['format']}")
def test_forced_format_that_does_not_fit_is_named(
    case: dict[str, Any], kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(FOLDER / case["source"], tmp_path / case["source"])
    code, out, err = kb("import", case["source"], "--format", case["format"], "--notes", "kb")
    assert code == 2, err
    assert f"error: {case['error']}\n  hint: {case['hint']}" in err
    assert "ends early" not in err and "1 failed" in out
    assert not list(tmp_path.glob("kb/**/*.md"))  # no entry written
