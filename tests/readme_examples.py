"""The README's console examples and its pre-commit snippet, as data a test can run.

Convention (the README's source follows it; GitHub does not show the comments):

- A ```` ```console ```` block is an example: each line starting with ``$ `` is a
  command, the lines after it (up to the next ``$ ``) are what it prints, stdout and
  stderr together, in order. A line ``...`` stands for any number of lines.
- The HTML comment right before a block sets it up:
  ``<!-- readme-test: setup=NAME uses=PATH,PATH -->``. ``setup=NAME`` copies the
  contents of ``tests/fixtures/readme/NAME/`` into the example's working folder;
  ``uses=`` copies those paths of the repository there, at the same relative paths.
  A block without a comment runs in an empty folder.
- Dates (``2026-12-01``) and content digests (``sha256:…``) differ from run to run:
  they are masked on both sides before comparing.
- Each block runs in one ``bash`` in a fresh folder, with the ``.venv/bin`` given
  first on ``PATH`` (so ``kbtool`` is the checkout's), no ``GITHUB_ACTIONS`` (which
  would switch lint's output format) and no configuration above the folder.
- The ``yaml`` block after ``<!-- readme-test: pre-commit-snippet -->`` is the
  pre-commit configuration a user copies; tests run it with real pre-commit.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

_SETUP_RE = re.compile(r"<!--\s*readme-test:(.*?)-->", re.S)
_MARKER = "@@readme-example-output@@"
ANY_LINES = "..."


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    line: int  # 1-based line of the block's opening fence in the README
    setup: str | None
    uses: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def name(self) -> str:
        return f"README.md:{self.line}:{self.steps[0].command[:40]}"


def _blocks(readme: Path) -> list[tuple[str, str, int, str]]:
    """(info, content, 1-based line, setup comment text) of every fenced block."""
    tokens = MarkdownIt("commonmark").parse(readme.read_text(encoding="utf-8"))
    out = []
    for index, token in enumerate(tokens):
        if token.type != "fence" or token.map is None:
            continue
        before = tokens[index - 1] if index else None
        comment = ""
        if before is not None and before.type == "html_block":
            found = _SETUP_RE.search(before.content)
            comment = found.group(1).strip() if found else ""
        out.append((token.info.strip(), token.content, token.map[0] + 1, comment))
    return out


def console_examples(readme: Path) -> list[Example]:
    examples = []
    for info, content, line, comment in _blocks(readme):
        if info != "console":
            continue
        steps: list[Step] = []
        command, expected = "", []
        for text in content.splitlines():
            if text.startswith("$ "):
                if command:
                    steps.append(Step(command, tuple(expected)))
                command, expected = text[2:], []
            elif command:
                expected.append(text.rstrip())
        if command:
            steps.append(Step(command, tuple(expected)))
        if not steps:
            continue
        options = dict(part.split("=", 1) for part in shlex.split(comment) if "=" in part)
        uses = tuple(p for p in options.get("uses", "").split(",") if p)
        examples.append(Example(line, options.get("setup"), uses, tuple(steps)))
    return examples


def pre_commit_snippet(readme: Path) -> str:
    """The YAML block the README introduces as the pre-commit configuration."""
    for info, content, _line, comment in _blocks(readme):
        if info == "yaml" and comment == "pre-commit-snippet":
            return content
    raise AssertionError("README.md has no block marked <!-- readme-test: pre-commit-snippet -->")


def prepare(example: Example, root: Path, work: Path) -> None:
    """Fill the working folder ``work`` as the example's comment asks, from ``root``."""
    work.mkdir(parents=True, exist_ok=True)
    if example.setup:
        shutil.copytree(
            root / "tests" / "fixtures" / "readme" / example.setup, work, dirs_exist_ok=True
        )
    for used in example.uses:
        source, target = root / used, work / used
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def run(
    example: Example, work: Path, venv_bin: Path, pythonpath: Path | None = None
) -> list[list[str]]:
    """Run the example's commands in one shell in ``work``; each command's output lines."""
    script = ["exec 2>&1", "__rc=0"]
    for step in example.steps:
        script += [f"printf '%s\\n' '{_MARKER}'", "(exit $__rc)", step.command, "__rc=$?"]
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    proc = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    chunks = proc.stdout.split(_MARKER + "\n")[1:]
    return [chunk.rstrip("\n").split("\n") if chunk.strip("\n") else [] for chunk in chunks]


_VOLATILE = (
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "<date>"),
    (re.compile(r"sha256:[0-9a-f]{64}"), "sha256:<digest>"),
)


def normalized(line: str) -> str:
    """``line`` with what changes from run to run (dates, content digests) masked."""
    for pattern, mask in _VOLATILE:
        line = pattern.sub(mask, line)
    return line.rstrip()


def matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Whether ``actual`` fits ``expected``, where a ``...`` line stands for any lines;
    dates and digests are compared masked (see :func:`normalized`)."""
    expected = tuple(normalized(line) for line in expected)
    actual = [normalized(line) for line in actual]
    if ANY_LINES not in expected:
        return list(expected) == actual
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == ANY_LINES else re.escape(line) + r"\n" for line in expected
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def check(
    example: Example, root: Path, work: Path, venv_bin: Path, pythonpath: Path | None = None
) -> None:
    """Run one example and fail with a readable diff when the README drifted."""
    prepare(example, root, work)
    outputs = run(example, work, venv_bin, pythonpath)
    assert len(outputs) == len(example.steps), outputs
    for step, actual in zip(example.steps, outputs, strict=True):
        if not matches(step.expected, actual):
            shown = "\n".join(actual)
            wanted = "\n".join(step.expected)
            raise AssertionError(
                f"README.md:{example.line}: `$ {step.command}` printed\n{shown}\n"
                f"but the README shows\n{wanted}"
            )
