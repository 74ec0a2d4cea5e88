"""The ``kbtool-lint`` hook under real ``pre-commit``: a broken anchor blocks the commit.

``pre-commit try-repo`` only sees committed (or tracked) files of a local repo, so
the test snapshots the working tree's package files (``kbtool/``, ``schema/``,
``pyproject.toml``, ``README.md``, ``.pre-commit-hooks.yaml``) into a temporary
git repository and points ``try-repo`` at that. pre-commit then installs kbtool
from it into its own virtualenv (from PyPI: slow, so ``PRE_COMMIT_HOME`` is one
session-wide folder and the install happens once).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

PRE_COMMIT = ROOT / ".venv" / "bin" / "pre-commit"
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
PACKAGE_PATHS = ("kbtool", "schema", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "kbtool tests",
    "GIT_AUTHOR_EMAIL": "tests@kbtool.invalid",
    "GIT_COMMITTER_NAME": "kbtool tests",
    "GIT_COMMITTER_EMAIL": "tests@kbtool.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

ENTRY = """\
---
id: {id}
kind: question
title: {title}
topic: nlp
lang: ru
status: answered
source:
  kind: manual
created: 2024-05-01
updated: 2024-05-01
---

{body}
"""


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert HOOKS_FILE.is_file(), ".pre-commit-hooks.yaml is missing at the repo root"
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in PACKAGE_PATHS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot")
    return repo


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(notes_repo: Path, hook_repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hook_repo), "kbtool-lint", "--verbose"],
        cwd=notes_repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_hook_rejects_broken_anchor_and_passes_when_fixed(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    notes = tmp_path / "notes" / "nlp"
    notes.mkdir(parents=True)
    (tmp_path / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    (notes / "bleu.md").write_text(
        ENTRY.format(id="bleu", title="Что такое BLEU?", body="## Формула\n\nСреднее точностей."),
        encoding="utf-8",
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "base")

    rouge = notes / "rouge.md"
    broken = "Похожа на [BLEU](bleu.md), [формула](#formula) ниже.\n\n## Формула\n\nПолнота."
    rouge.write_text(
        ENTRY.format(id="rouge", title="Что такое ROUGE?", body=broken), encoding="utf-8"
    )
    _git(tmp_path, "add", "-A")
    rejected = _try_repo(tmp_path, hook_repo, pre_commit_home)
    output = rejected.stdout + rejected.stderr
    assert rejected.returncode != 0, output
    assert "broken-anchor" in output, output
    assert "rouge.md:14" in output, output

    fixed = broken.replace("formula", "формула")
    rouge.write_text(
        ENTRY.format(id="rouge", title="Что такое ROUGE?", body=fixed), encoding="utf-8"
    )
    _git(tmp_path, "add", "-A")
    passed = _try_repo(tmp_path, hook_repo, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_hook_reports_links_broken_by_a_renamed_heading(
    tmp_path: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    """Only the changed file goes to the hook; the link to its old heading from an
    unchanged file is reported in that file."""
    notes = tmp_path / "notes" / "nlp"
    notes.mkdir(parents=True)
    (tmp_path / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    rouge = notes / "rouge.md"
    rouge.write_text(
        ENTRY.format(id="rouge", title="Что такое ROUGE?", body="## Формула\n\nПолнота n-грамм."),
        encoding="utf-8",
    )
    (notes / "bleu.md").write_text(
        ENTRY.format(
            id="bleu", title="Что такое BLEU?", body="Сравните с [ROUGE](rouge.md#формула)."
        ),
        encoding="utf-8",
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "base")

    rouge.write_text(
        rouge.read_text(encoding="utf-8").replace("## Формула", "## Как считается"),
        encoding="utf-8",
    )
    _git(tmp_path, "add", "-A")
    rejected = _try_repo(tmp_path, hook_repo, pre_commit_home)
    output = rejected.stdout + rejected.stderr
    assert rejected.returncode != 0, output
    assert "1 file(s) checked" in output, output  # the hook got rouge.md alone
    assert "notes/nlp/bleu.md:14:" in output and "broken-link" in output, output
    assert '"rouge.md" has no heading or anchor "#формула"' in output, output
