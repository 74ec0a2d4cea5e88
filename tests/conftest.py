"""Shared test helpers: fixture paths and a CLI runner that returns (code, out, err)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool.cli import run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RAW = ROOT / "examples" / "raw"


@pytest.fixture
def kb(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``kbtool ARGS`` in-process: (exit code, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        code = run([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke
