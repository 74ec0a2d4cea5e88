"""Export benchmark: a generated N-entry base (default 10,000) to JSON and to Anki.

Side by side in one run: ``benchmarks/baseline_export.py`` (a minimal two-process
script that reads, renders with markdown-it-py and writes the same entries as JSON),
then kbtool. Targets (issue 13): a first JSON export within 1.2x of the baseline, a
cached export <= 0.25x of the first. Each format runs as the real CLI
(``kbtool export FORMAT``) in a child process, so the time includes start-up,
reading and parsing the base, rendering, sanitizing and writing; peak memory is
that child's ``ru_maxrss`` (from ``os.wait4``). Each format runs twice: with no
export cache (``cold``: every file parsed and rendered) and again (``warm``: the
``.kbtool-cache/export.marshal`` of the first run is used, as after any export).

On a shared machine a single run's ratio moves by a fifth from one minute to the
next. ``--rounds R`` first alternates the baseline and kbtool's first JSON export R
times, each pair back to back, and reports each round's ratio and their median (the
figure the 1.2x target is checked against); the baseline time shown is that of the
median round.

Usage: ``.venv/bin/python benchmarks/export_bench.py [N] [--keep DIR] [--rounds R]``.
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

TARGETS = ("json", "anki")


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
    parser.add_argument("--rounds", type=int, default=1, help="baseline/JSON pairs to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kbtool-export-bench-") as tmp:
        project = args.keep or Path(tmp)
        started = time.perf_counter()
        generate(project, args.n, seed=0)
        print(f"generated {args.n} entries in {time.perf_counter() - started:.1f} s")
        base_s, base_peak, first_json = _rounds(project, max(args.rounds, 1))
        print(f"{'what':<22} {'seconds':>8} {'ratio':>22} {'peak MiB':>9} {'MiB out':>8}")
        print(f"{'baseline (2 procs)':<22} {base_s:>8.2f} {'1.00x baseline':>22} {base_peak:>9.0f}")
        worst = 0
        for fmt in TARGETS:
            first = 0.0
            for cache in ("cold", "warm"):
                if cache == "cold" and fmt == "json" and first_json is not None:
                    seconds, peak, size = first_json  # the median round's
                else:
                    if cache == "cold":
                        _forget(project)
                    seconds, peak, size = run_export(project, fmt)
                if cache == "cold":
                    first = seconds
                    ratio = f"{seconds / base_s:.2f}x baseline"
                    worst |= fmt == "json" and seconds > 1.2 * base_s
                else:
                    ratio = f"{seconds / first:.2f}x first"
                    worst |= seconds > 0.25 * first
                print(
                    f"{'kbtool ' + fmt + ' ' + cache:<22} {seconds:>8.2f} {ratio:>22} "
                    f"{peak:>9.0f} {size / 2**20:>8.1f}"
                )
    return int(worst)


def _forget(project: Path) -> None:
    (project / ".kbtool-cache" / "export.marshal").unlink(missing_ok=True)


def _rounds(project: Path, rounds: int) -> tuple[float, float, tuple[float, float, int] | None]:
    """The baseline's seconds and peak, and with several rounds kbtool's first JSON
    export (seconds, peak, size), both of the round whose ratio is the median."""
    if rounds == 1:
        return (*run_baseline(project), None)
    timed = []
    for number in range(1, rounds + 1):
        base_s, base_peak = run_baseline(project)
        _forget(project)
        first = run_export(project, "json")
        timed.append((first[0] / base_s, base_s, base_peak, first))
        print(
            f"round {number}: baseline {base_s:.2f} s, kbtool json first {first[0]:.2f} s, "
            f"{first[0] / base_s:.2f}x"
        )
    timed.sort(key=lambda row: row[0])
    ratio, base_s, base_peak, first = timed[len(timed) // 2]
    print(f"median of {rounds} rounds: {ratio:.2f}x")
    return base_s, base_peak, first


def run_baseline(project: Path) -> tuple[float, float]:
    """Seconds and peak MiB (largest process) of ``baseline_export.py``."""
    script = Path(__file__).with_name("baseline_export.py")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(script), str(project / "notes"), str(project / "baseline.json")]
    )
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("baseline_export.py failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


if __name__ == "__main__":
    raise SystemExit(main())
