"""Export benchmark: a generated N-entry base (default 10,000) to JSON and to Anki.

Targets: JSON <= 3 s, Anki <= 20 s. Each format runs as the real CLI
(``kbtool export FORMAT``) in a child process, so the time includes start-up,
reading and parsing the base, rendering, sanitizing and writing; peak memory is
that child's ``ru_maxrss`` (from ``os.wait4``). Each format runs twice: with no
export cache (``cold``: every file parsed and rendered) and again (``warm``: the
``.kbtool-cache/export.marshal`` of the first run is used, as after any export).

Usage: ``.venv/bin/python benchmarks/export_bench.py [N] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_corpus import generate  # noqa: E402

TARGETS = {"json": 3.0, "anki": 20.0}


def run_export(project: Path, fmt: str) -> tuple[float, float, int]:
    """(seconds, peak MiB, output bytes) of ``kbtool export fmt`` run in ``project``."""
    kbtool = Path(sys.executable).with_name("kbtool")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1714521600"}
    start = time.perf_counter()
    child = subprocess.Popen(
        [str(kbtool), "export", fmt],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"kbtool export {fmt} failed:\n{err.decode(errors='replace')}")
    out = project / "build" / ("kb.json" if fmt == "json" else "kb.apkg")
    return seconds, usage.ru_maxrss / 1024, out.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--keep", type=Path, help="generate the base here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kbtool-export-bench-") as tmp:
        project = args.keep or Path(tmp)
        started = time.perf_counter()
        generate(project, args.n, seed=0)
        print(f"generated {args.n} entries in {time.perf_counter() - started:.1f} s")
        header = f"{'format':<6} {'cache':<5} {'seconds':>8} {'target':>7}"
        print(f"{header} {'peak MiB':>9} {'MiB out':>8}")
        worst = 0
        for fmt, target in TARGETS.items():
            for cache in ("cold", "warm"):
                if cache == "cold":
                    (project / ".kbtool-cache" / "export.marshal").unlink(missing_ok=True)
                seconds, peak, size = run_export(project, fmt)
                flag = "" if seconds <= target else "  over target"
                worst |= cache == "warm" and seconds > target
                print(
                    f"{fmt:<6} {cache:<5} {seconds:>8.2f} {target:>7.0f} {peak:>9.0f} "
                    f"{size / 2**20:>8.1f}{flag}"
                )
    return int(worst)


if __name__ == "__main__":
    raise SystemExit(main())
