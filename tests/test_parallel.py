"""split_map: the same results as a plain map, whether the forked child works, fails
or cannot send; and a Telegram export parses to the same result on one or two cores."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kbtool import parallel
from kbtool.importers import registry
from kbtool.importers.base import ImportOptions
from kbtool.store.text import read_text
from tests.conftest import FIXTURES

PARENT = os.getpid()


def _square(n: int) -> int:
    return n * n


def _fails_in_child(n: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only the child fails")
    return n + 1


def _unpicklable_in_child(n: int) -> Any:
    return (lambda: n) if os.getpid() != PARENT else n


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)


def test_results_in_order(small_threshold: None) -> None:
    assert parallel.split_map(_square, range(5001)) == [n * n for n in range(5001)]


@pytest.mark.parametrize("func", [_fails_in_child, _unpicklable_in_child])
def test_a_failing_child_means_the_parent_does_the_work(small_threshold: None, func: Any) -> None:
    """Whatever goes wrong in the child, the result is the plain map's (computed here)."""
    assert parallel.split_map(func, list(range(100))) == [func(n) for n in range(100)]


def test_errors_of_the_function_still_reach_the_caller(small_threshold: None) -> None:
    def boom(n: int) -> int:
        if n == 70:
            raise ValueError("bad item")
        return n

    with pytest.raises(ValueError, match="bad item"):
        parallel.split_map(boom, list(range(100)))


@pytest.mark.parametrize(
    "source",
    sorted((FIXTURES / "import" / "telegram-json").glob("*.json")),
    ids=lambda p: p.name,
)
def test_telegram_json_parses_the_same_on_two_cores(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    importer = registry.get("telegram-json")
    text = read_text(source)

    def parse() -> Any:
        try:
            result = importer.parse(text, source, ImportOptions(is_private=lambda _l: False))
        except Exception as exc:  # error fixtures: the same error either way
            return repr(exc)
        return (result.entries, result.dropped, result.warnings, result.total_units)

    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    serial = parse()
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    assert parse() == serial
