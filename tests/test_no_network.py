"""Every command works with networking blocked, and none of them tries to use it.

Two fences: the run happens in a fresh network namespace with no interfaces up
(``unshare -n``, when the machine allows it), and an audit hook in every Python
process refuses and records any socket use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, RAW


def _unshare_prefix() -> list[str]:
    tool = shutil.which("unshare")
    if tool and subprocess.run([tool, "-n", "true"], check=False).returncode == 0:
        return [tool, "-n"]
    return []


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict[str, str], Path]:
    log = tmp_path_factory.mktemp("net") / "net.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(FIXTURES / "netblock"),
        "KBTOOL_NET_LOG": str(log),
        "no_proxy": "*",
    }
    return _unshare_prefix(), env, log


def _kbtool(offline: tuple[list[str], dict[str, str], Path], *args: str, cwd: Path) -> str:
    prefix, env, _ = offline
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "kbtool", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=300,
    )
    assert proc.returncode in (0, 1), f"kbtool {' '.join(args)}: {proc.returncode}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    return proc.stdout + proc.stderr


def test_every_command_runs_offline(
    offline: tuple[list[str], dict[str, str], Path], tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    _kbtool(offline, "--version", cwd=tmp_path)
    _kbtool(offline, "import", str(RAW), "--notes", str(notes), cwd=tmp_path)
    _kbtool(
        offline, "new", "Offline question?", "--topic", "misc", "--notes", str(notes), cwd=tmp_path
    )
    _kbtool(offline, "lint", "--notes", str(notes), cwd=tmp_path)
    _kbtool(offline, "lint", "--fix", "--notes", str(notes), cwd=tmp_path)
    for fmt, name in (("json", "kb.json"), ("anki", "kb.apkg"), ("pdf", "kb.pdf")):
        _kbtool(
            offline,
            "export",
            fmt,
            "--notes",
            str(notes),
            "--out",
            str(tmp_path / name),
            cwd=tmp_path,
        )
        assert (tmp_path / name).stat().st_size > 0
    _, _, log = offline
    assert not log.exists() or log.read_text() == "", log.read_text()


def test_the_fence_works(offline: tuple[list[str], dict[str, str], Path], tmp_path: Path) -> None:
    """The test above could not pass by accident: a socket attempt is caught and logged."""
    prefix, env, log = offline
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9))\n"
        "except OSError:\n    pass\n"
    )
    subprocess.run([*prefix, sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    assert "socket." in log.read_text()
    log.write_text("")
