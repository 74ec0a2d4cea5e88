"""A/B of ``kbtool lint`` between two source trees, interleaved on one loaded machine.

Each tree (a folder holding ``kbtool/`` and ``schema/``, e.g. ``git archive REV kbtool
schema | tar -x -C DIR``) runs as the real CLI with that folder first on
``PYTHONPATH``, on its own copy of one generated base (``generate_corpus.py``), so the
two caches never invalidate each other. After a cold run and one warm-up:

- ``warm``: ``kbtool lint`` with nothing changed, ROUNDS times per tree;
- ``one``: a line appended to one entry, then ``kbtool lint <that file>`` (pre-commit
  mode), ROUNDS times per tree.

Runs alternate A, B, B, A, ... so a load change hits both; the two trees' findings
must be the same. Prints medians and minimums.

Run: ``.venv/bin/python benchmarks/lint_ab.py A_DIR B_DIR [--size 10000] [--rounds 9]``.
"""

from __future__ import annotations

import argparse
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


def _run(tree: str, base: Path, args: list[str]) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": tree}
    start = time.perf_counter()
    proc = subprocess.run(
        [str(KBTOOL), *args], cwd=base, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"{tree}: kbtool {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}"
        )
    return wall, proc.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="source tree A (holds kbtool/)")
    parser.add_argument("b", help="source tree B")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    trees = {"A": str(Path(args.a).resolve()), "B": str(Path(args.b).resolve())}
    with tempfile.TemporaryDirectory(prefix="lint-ab-") as tmp:
        corpus = generate(Path(tmp) / "corpus", args.size)
        victim = corpus.entries[5].relative_to(corpus.base).as_posix()
        bases = {}
        for name, tree in trees.items():
            bases[name] = Path(tmp) / name
            shutil.copytree(corpus.base, bases[name])
            _run(tree, bases[name], ["lint"])  # cold
            _run(tree, bases[name], ["lint"])  # warm-up
        times: dict[tuple[str, str], list[float]] = {}
        found: dict[tuple[str, str], str] = {}
        for kind in ("warm", "one"):
            for r in range(args.rounds):
                for name in trees if r % 2 == 0 else reversed(trees):
                    cmd = ["lint"]
                    if kind == "one":
                        path = bases[name] / victim
                        with path.open("a", encoding="utf-8") as out:
                            out.write(f"\nДобавлено {r}.\n")
                        cmd.append(victim)
                    wall, out_text = _run(trees[name], bases[name], cmd)
                    times.setdefault((name, kind), []).append(wall)
                    found[(name, kind)] = out_text
    print(f"kbtool lint A/B, {args.size:,} entries, {args.rounds} rounds, {os.cpu_count()} CPU(s)")
    print(f"A = {trees['A']}\nB = {trees['B']}\n")
    print("| run | A median | A min | B median | B min |")
    print("|---|---:|---:|---:|---:|")
    for kind in ("warm", "one"):
        a, b = times[("A", kind)], times[("B", kind)]
        print(
            f"| {kind} | {statistics.median(a):.3f} s | {min(a):.3f} s "
            f"| {statistics.median(b):.3f} s | {min(b):.3f} s |"
        )
    for kind in ("warm", "one"):
        if found[("A", kind)] != found[("B", kind)]:
            print(f"\nfindings differ in the {kind} run")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
