"""Shared test helpers: fixture paths and a CLI runner that returns (code, out, err)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from kbtool.cli import run

if TYPE_CHECKING:
    from tests.browser import Browser

# CI runs the property tests on a fixed sequence of examples, so a run is repeatable
# and a clean clone cannot fail on a rare input nobody has seen; locally they explore.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

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


@pytest.fixture(autouse=True)
def _isolated_from_the_project_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run every test from an empty folder, so this repository's own ``[tool.kbtool]``
    settings (made for its notes/) never leak into what a test observes."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A real headless Chromium (Debian's package) for what a browser shows: the study
    page and Anki's cards."""
    from tests.browser import CHROMIUM, Browser

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed; `make test` installs it (apt-get install chromium)")
    browser = Browser.start(tmp_path_factory.mktemp("profile"))
    yield browser
    browser.close()
