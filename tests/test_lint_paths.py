"""A path given to ``kbtool lint`` that names nothing is a usage error (exit 2) that says
what is there: nothing, a symbolic link to a missing file, or links in a loop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., tuple[int, str, str]]


def make_nothing(folder: Path) -> str:
    return "gone.md"


def make_dangling(folder: Path) -> str:
    (folder / "link.md").symlink_to(folder / "gone.md")
    return "link.md"


def make_loop(folder: Path) -> str:
    (folder / "a.md").symlink_to(folder / "b.md")
    (folder / "b.md").symlink_to(folder / "a.md")
    return "a.md"


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (make_nothing, "gone.md: no such file or folder"),
        (make_dangling, "link.md: a symbolic link to nothing"),
        (make_loop, "a.md: a symbolic link in a loop"),
    ],
)
def test_a_path_that_names_nothing_says_what_is_there(
    make: Callable[[Path], str],
    said: str,
    kb: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = kb("lint", make(tmp_path))
    assert code == 2
    assert out == ""
    assert said in err
    assert "Traceback" not in err
