"""A/B of ``kbtool lint`` between two source trees, rounds alternating.

Each tree (a folder holding ``kbtool/`` and ``schema/``, e.g. ``git archive REV kbtool
schema | tar -x -C DIR``) runs as the real CLI with that folder first on ``PYTHONPATH``,
on its own copy of one generated base, so the two caches never invalidate each other.
It counts CPU time (user + system seconds of the child from ``os.wait4``, which another
job on the machine inflates much less than the wall clock) and wall time. Both trees
are compiled first (as an installed package is). After a cold run and a warm-up per
tree:

- ``one``: a line appended to one entry, then ``kbtool lint <that file>`` (pre-commit);
- ``warm``: ``kbtool lint`` with nothing changed;
- ``cold`` (``--cold``): ``kbtool lint`` with ``.kbtool-cache/`` deleted first.

Rounds alternate A, B, B, A, ... so a load change hits both; the trees' findings must
be the same. Prints CPU medians and minimums, wall medians, and the load average at the
start and the end.

Run: ``.venv/bin/python benchmarks/lint_ab.py A_DIR B_DIR [--size 10000] [--rounds 9]``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import generate

KBTOOL = Path(sys.executable).with_name("kbtool")


def _run(tree: str, base: Path, args: list[str]) -> tuple[float, float, str]:
    """CPU seconds (user + system, the child and what it reaped), wall seconds, stdout."""
    env = {**os.environ, "PYTHONPATH": tree}
    out_path = base / ".ab-out.txt"
    start = time.perf_counter()
    with out_path.open("w") as out:
        proc = subprocess.Popen(
            [str(KBTOOL), *args], cwd=base, env=env, stdout=out, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{tree}: kbtool {' '.join(args)} exited {code}")
    text = out_path.read_text(encoding="utf-8")
    out_path.unlink()
    return usage.ru_utime + usage.ru_stime, wall, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="source tree A (holds kbtool/)")
    parser.add_argument("b", help="source tree B")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--cold", action="store_true", help="also time cold runs")
    args = parser.parse_args(argv)
    trees = {"A": str(Path(args.a).resolve()), "B": str(Path(args.b).resolve())}
    for tree in trees.values():
        compileall.compile_dir(Path(tree) / "kbtool", quiet=1)
    load_start = os.getloadavg()
    kinds = ["one", "warm", *(["cold"] if args.cold else [])]
    times: dict[tuple[str, str], list[float]] = {}
    walls: dict[tuple[str, str], list[float]] = {}
    found: dict[tuple[str, str], str] = {}
    with tempfile.TemporaryDirectory(prefix="lint-cpu-ab-") as tmp:
        corpus = generate(Path(tmp) / "corpus", args.size)
        victim = corpus.entries[5].relative_to(corpus.base).as_posix()
        bases = {}
        for name, tree in trees.items():
            bases[name] = Path(tmp) / name
            shutil.copytree(corpus.base, bases[name])
            _run(tree, bases[name], ["lint"])  # cold
            _run(tree, bases[name], ["lint"])  # warm-up
        for kind in kinds:
            for r in range(args.rounds if kind != "cold" else max(1, args.rounds // 3)):
                for name in trees if r % 2 == 0 else reversed(trees):
                    cmd = ["lint"]
                    if kind == "one":
                        with (bases[name] / victim).open("a", encoding="utf-8") as out:
                            out.write(f"\nДобавлено {r}.\n")
                        cmd.append(victim)
                    elif kind == "cold":
                        shutil.rmtree(bases[name] / ".kbtool-cache", ignore_errors=True)
                    cpu, wall, out_text = _run(trees[name], bases[name], cmd)
                    times.setdefault((name, kind), []).append(cpu)
                    walls.setdefault((name, kind), []).append(wall)
                    found[(name, kind)] = out_text
    load_end = os.getloadavg()
    print(
        f"kbtool lint A/B, {args.size:,} entries, {args.rounds} rounds, "
        f"{os.cpu_count()} CPU(s); load average {load_start[0]:.1f} at the start, "
        f"{load_end[0]:.1f} at the end"
    )
    print(f"A = {trees['A']}\nB = {trees['B']}\n")
    print(
        "| run | A CPU median | A CPU min | B CPU median | B CPU min | B / A (CPU) "
        "| A / B wall medians |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in kinds:
        a, b = times[("A", kind)], times[("B", kind)]
        wall_a, wall_b = (
            statistics.median(walls[("A", kind)]),
            statistics.median(walls[("B", kind)]),
        )
        print(
            f"| {kind} | {statistics.median(a):.3f} s | {min(a):.3f} s "
            f"| {statistics.median(b):.3f} s | {min(b):.3f} s "
            f"| {statistics.median(b) / statistics.median(a):.2f} "
            f"| {wall_a:.3f} s / {wall_b:.3f} s |"
        )
    for kind in kinds:
        if found[("A", kind)] != found[("B", kind)]:
            print(f"\nfindings differ in the {kind} run")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
