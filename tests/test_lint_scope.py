"""What ``kbtool lint PATH`` judges as the knowledge base: a folder given that holds a
``notes/`` no setting names is linted as plain Markdown unless its files are kbtool
entries, and the run says which; no path, ``--notes`` and files named one by one (the
pre-commit hook) keep ``./notes`` as the base (``tests/fixtures/lint/scope/``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

SCOPE = FIXTURES / "lint" / "scope"
Runner = Callable[..., tuple[int, str, str]]
PLAIN = "notes/ linted as plain Markdown, not as a knowledge base"
NO_FRONT_MATTER = "notes/ml/gradient.md:1:1: error KB001 schema-error no front matter"

CASES = [
    # (name, args, with an entry in notes/, with kbtool.toml, said on stderr, KB001 found)
    ("folder-holding-a-plain-notes-folder", ["."], False, False, PLAIN, False),
    ("pre-commit-names-the-file", ["notes/ml/gradient.md"], False, False, None, True),
    ("no-path-lints-the-base", [], False, False, None, True),
    ("notes-option-names-the-base", [".", "--notes", "notes"], False, False, None, True),
    (
        "notes-holding-kbtool-entries",
        ["."],
        True,
        False,
        "notes/ checked as the knowledge base (its files are kbtool entries)",
        True,
    ),
    (
        "settings-name-the-base",
        ["."],
        False,
        True,
        "notes/ checked as the knowledge base (kbtool.toml names it)",
        True,
    ),
]


@pytest.mark.parametrize(
    ("args", "entry", "settings", "said", "schema_error"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_what_a_lint_run_takes_as_the_base(
    args: list[str],
    entry: bool,
    settings: bool,
    said: str | None,
    schema_error: bool,
    kb: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SCOPE / "repo", repo)
    (repo / ".git").mkdir()
    if entry:
        shutil.copyfile(SCOPE / "entry" / "answered.md", repo / "notes" / "ml" / "momentum.md")
    if settings:
        (repo / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    monkeypatch.chdir(repo)
    code, out, err = kb("lint", "--no-cache", *args)
    assert (NO_FRONT_MATTER in out) is schema_error, out
    assert code == (1 if schema_error else 0), out + err
    if said is None:
        assert "knowledge base" not in err, err
    else:
        assert said in err, err
    if args == ["."]:
        assert f"{4 if entry else 3} file(s) checked" in err, err
        # every other finding is the same either way: the links resolve
        assert "KB101" not in out and "KB102" not in out, out
