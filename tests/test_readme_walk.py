"""A new user's first hour, from a fresh clone: the README's steps work as written.

The clone is made with ``git clone`` of this repository, so only committed work is
walked. Installing is simulated: the clone's ``.venv`` is this checkout's virtualenv
(a symlink) and ``PYTHONPATH`` points at the clone, so the clone's code runs without
a second install. Then the README's "Running kbtool" commands, every console example
(see ``tests/readme_examples.py``) and the pre-commit snippet run as written, the
snippet with real pre-commit, its ``repo:`` pointed at the clone.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests import readme_examples
from tests.conftest import ROOT
from tests.test_precommit import ENTRY, GIT_ENV, PRE_COMMIT, _git


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "GITHUB_ACTIONS")}
    full.update(GIT_ENV)
    full.update(env)
    return subprocess.run(
        args, cwd=cwd, env=full, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("fresh") / "kbtool"
    done = _run(["git", "clone", "-q", str(ROOT), str(where)], ROOT)
    assert done.returncode == 0, done.stderr
    (where / ".venv").symlink_to(ROOT / ".venv")  # `make install`, without reinstalling
    return where


def _running_kbtool_commands(readme: Path) -> list[str]:
    """The shell lines of the README's "Running kbtool" block (comments dropped)."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("## Running kbtool", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_fresh_clone_runs_as_the_readme_says(clone: Path, tmp_path: Path) -> None:
    readme = clone / "README.md"
    commands = _running_kbtool_commands(readme)
    assert any(c.startswith(".venv/bin/kbtool") for c in commands), commands
    assert any(c.startswith("source .venv/bin/activate") for c in commands), commands
    assert any(c.startswith("pipx install") for c in commands), commands
    for command in commands:
        if command.startswith("pipx"):  # installs from the network: not in tests
            continue
        script = command + " && kbtool --help" if command.startswith("source") else command
        done = _run(["bash", "-c", script], clone, PYTHONPATH=str(clone))
        assert done.returncode == 0, f"{script}: {done.stdout}{done.stderr}"
        assert "Commands:" in done.stdout, script
    # a bare `kbtool` is what the README warns about: without the venv it is not found
    bare = _run(["bash", "-c", "command -v kbtool || echo missing"], clone, PATH="/usr/bin:/bin")
    assert "missing" in bare.stdout

    examples = readme_examples.console_examples(readme)
    assert examples
    for number, example in enumerate(examples):
        readme_examples.check(
            example, clone, tmp_path / f"example-{number}", clone / ".venv" / "bin", clone
        )


def test_readme_pre_commit_snippet_works_as_written(clone: Path, tmp_path: Path) -> None:
    snippet = readme_examples.pre_commit_snippet(clone / "README.md")
    config = yaml.safe_load(snippet)
    (repo,) = config["repos"]
    rev, hook_ids = repo["rev"], [hook["id"] for hook in repo["hooks"]]
    # the rev exists in the repository, and the hooks the snippet names exist at that rev
    assert _run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], clone).returncode == 0, rev
    shown = _run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], clone)
    assert shown.returncode == 0, shown.stderr
    defined = {hook["id"] for hook in yaml.safe_load(shown.stdout)}
    assert set(hook_ids) <= defined, (hook_ids, defined)

    notes_repo = tmp_path / "my-notes"
    folder = notes_repo / "notes" / "nlp"
    folder.mkdir(parents=True)
    (notes_repo / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    # exactly the README's text, with `repo:` pointed at the clone
    lines = snippet.splitlines()
    index = next(i for i, line in enumerate(lines) if line.lstrip().startswith("- repo:"))
    lines[index] = lines[index].split("- repo:")[0] + f"- repo: {clone}"
    (notes_repo / ".pre-commit-config.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    body = "Похожа на [формулу](#formula).\n\n## Формула\n\nСреднее точностей."
    entry = folder / "bleu.md"
    entry.write_text(ENTRY.format(id="bleu", title="Что такое BLEU?", body=body), "utf-8")
    _git(notes_repo, "init", "-q")
    _git(notes_repo, "add", "-A")

    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    blocked = _run([str(PRE_COMMIT), "run", "--all-files"], notes_repo, **env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "broken-anchor" in output and "bleu.md:14" in output, output

    entry.write_text(
        ENTRY.format(id="bleu", title="Что такое BLEU?", body=body.replace("formula", "формула")),
        "utf-8",
    )
    _git(notes_repo, "add", "-A")
    passed = _run([str(PRE_COMMIT), "run", "--all-files"], notes_repo, **env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
