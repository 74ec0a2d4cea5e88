"""Every command on every attack project, under limits: 30 s and 2 GB each.

Each (project, command) is a case of its own, on a fresh copy of the project, so the
cases spread over the test workers.

The projects are laid out from ``tests/fixtures/attack/projects.yaml`` (the attack and
bad-input corpora, inputs generated at test time, symlinks into a victim folder, a
forged cache, hostile settings). Each command runs as a real process with a 2 GB
address-space limit (``RLIMIT_AS``) and 30 s of CPU time per process
(``RLIMIT_CPU``), both set between fork and exec and inherited by pandoc, and a wall
clock limit of 30 s, scaled by the load average when the machine is shared (two
cores, several test runs at once: a command's wall time then grows with the load,
its CPU time does not). It must:

- exit 0, 1 or 2 (never 3, never a signal, never the timeout), without a traceback;
- write only inside the base, the output folder (``build/``), the project's
  ``.kbtool-cache/`` and the user's cache folder: the victim folder, the sources
  (``raw/``) and every other file stay as they were;
- show nothing of the victim folder, of ``/etc/passwd``, of a heading outside the
  base or of the forged cache, in its output or in any file it wrote.
"""

from __future__ import annotations

import fnmatch
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux limits")
PROJECTS: dict[str, dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "attack" / "projects.yaml").read_text("utf-8")
)
SECONDS = 30  # CPU time per process; wall time on an idle machine
ADDRESS_SPACE = 2 * 1024**3
COMMANDS = [
    ["import", "raw", "--report", "build/import-report.json"],
    ["new", "What is a symlink?", "--topic", "evil"],
    ["lint"],
    ["lint", "--fix"],
    ["export", "json", "--out", "build/kb.json"],
    ["export", "anki", "--out", "build/kb.apkg"],
    ["export", "pdf", "--out", "build/kb.pdf"],
    ["export", "html", "--out", "build/kb.html"],
    ["stats"],
]
WRITABLE = ("project/notes/", "project/build/", "project/.kbtool-cache/", "home/")
# Nothing of these may be shown or written: the victim's files, /etc/passwd, the
# heading of a file outside the base (lint's "did you mean"), the forged cache.
SECRETS = ("VICTIM-SECRET", "root:x:0:0", "secret-plans-of-someone-else", "kbtool-forged-cache")


def _lay_out(root: Path, spec: dict[str, Any]) -> Path:
    victim = root / "victim"
    (victim / ".ssh").mkdir(parents=True)
    (victim / ".ssh" / "authorized_keys").write_text("ssh-ed25519 AAAA VICTIM-SECRET\n")
    (victim / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\nVICTIM-SECRET")
    (victim / "secret.md").write_text(
        "# VICTIM-SECRET\n\n## What is the secret?\n\nVICTIM-SECRET\n"
    )
    (root / "home").mkdir()
    project = root / "project"
    (project / ".git").mkdir(parents=True)
    (project / "kbtool.toml").write_text(spec["config"], "utf-8")
    for pattern, target in spec.get("copy", {}).items():
        matches = sorted(FIXTURES.glob(pattern))
        assert matches and (target.endswith("/") or len(matches) == 1), pattern
        folder = project / target if target.endswith("/") else (project / target).parent
        folder.mkdir(parents=True, exist_ok=True)
        for source in matches:
            shutil.copy(source, folder / source.name if target.endswith("/") else project / target)
    for name, text in spec.get("write", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, "utf-8")
    for made in spec.get("generate", []):
        path = project / made["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(made["head"] + made["unit"] * made["times"] + "\n", "utf-8")
    for name, target in spec.get("symlink", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).symlink_to(target.format(victim=victim))
    return project


def _state(root: Path) -> dict[str, bytes | str]:
    """Every path under ``root`` (symlinks not followed): its bytes, or what it is."""
    state: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix() + ("/" if path.is_dir() else "")
        if path.is_symlink():
            state[name] = "-> " + os.readlink(path)
        elif path.is_file():
            state[name] = path.read_bytes()
        else:
            state[name] = "folder"
    return state


def _limits() -> None:  # between fork and exec, in the child
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 1))


def wall_limit() -> float:
    """:data:`SECONDS` on an idle machine, times the load per core when it is busier
    (at most three times)."""
    cores = len(os.sched_getaffinity(0))
    return SECONDS * min(3.0, max(1.0, os.getloadavg()[0] / cores))


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(project: Path, args: list[str]) -> tuple[subprocess.CompletedProcess[str], str]:
    """The finished command, and its wall and CPU time (with its children's) as text."""
    home = project.parent / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    started, cpu, limit = time.monotonic(), _cpu_of_children(), wall_limit()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kbtool", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=limit,
            preexec_fn=_limits,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"kbtool {' '.join(args)}: still running after {limit:.0f} s")
    spent = f"{time.monotonic() - started:.1f} s, {_cpu_of_children() - cpu:.1f} s CPU"
    return done, spent


CASES = [
    pytest.param(
        name,
        args,
        id=f"{name}-{'-'.join(a for a in args[:2] if not a.startswith('build/'))}",
        marks=[pytest.mark.slow] if spec.get("slow") else [],
    )
    for name, spec in PROJECTS.items()
    for args in COMMANDS
]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_a_command_on_an_attack_project_stays_in_bounds(
    name: str, args: list[str], tmp_path: Path
) -> None:
    project = _lay_out(tmp_path, PROJECTS[name])
    before = _state(tmp_path)
    done, spent = _run(project, args)
    where = f"{name}: kbtool {' '.join(args)} ({spent})"
    assert done.returncode in (0, 1, 2), f"{where}: exit {done.returncode}\n{done.stderr}"
    assert "Traceback" not in done.stdout + done.stderr, f"{where}\n{done.stderr}"
    after = _state(tmp_path)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    outside = [p for p in changed if not p.startswith(WRITABLE)]
    assert not outside, f"{where} wrote outside the base and the outputs: {outside}"
    assert not [p for p in changed if fnmatch.fnmatch(p, "*.tmp")], where
    written = b"".join(v for p, v in after.items() if p in changed and isinstance(v, bytes))
    for secret in SECRETS:
        assert secret not in done.stdout + done.stderr, f"{where} showed {secret}"
        assert secret.encode() not in written, f"{where} wrote {secret}"
