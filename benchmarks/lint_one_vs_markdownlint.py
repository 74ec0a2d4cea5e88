"""``kbtool lint FILE`` against ``markdownlint-cli2 FILE`` on one base, rounds alternating.

The one-file (pre-commit) comparison of ``lint_bench.py`` repeated, so that a load
change hits both: each round appends a line to FILE, then runs both commands (order
alternating), timing wall clock and CPU (user + system of the child from ``os.wait4``;
node's own threads count too). BASE must hold a warm ``.kbtool-cache/`` (run
``kbtool lint`` there first); markdownlint-cli2 runs with the rules ``lint_bench.py``
gives it. Prints medians, minimums, the ratios and the load average.

``--tree DIR`` (repeatable) times kbtool from source trees instead of the installed
one (a folder holding ``kbtool/``, e.g. ``git archive REV kbtool schema | tar -x -C
DIR``; compiled first, as an installed package is): each tree lints its own copy of
BASE (so the caches, which name the code that wrote them, never invalidate each
other), warmed by a full run, and every round runs each tree and markdownlint-cli2.
The trees' outputs must be the same in every round.

Run: ``.venv/bin/python benchmarks/lint_one_vs_markdownlint.py BASE FILE [--rounds 9]
[--tree MAIN_DIR --tree NEW_DIR]``.
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
from lint_bench import KBTOOL, MARKDOWNLINT_CONFIG, markdownlint

ML = "markdownlint-cli2"


def _run(cmd: list[str], cwd: Path, tree: str | None = None) -> tuple[float, float, bytes]:
    """Wall seconds, CPU seconds and stdout of ``cmd`` run in ``cwd`` (kbtool from
    ``tree`` when given)."""
    env = {**os.environ, "PYTHONPATH": tree} if tree else None
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("file", help="a Markdown file of the base, relative to it")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--tree", action="append", default=[], help="a kbtool source tree (repeatable)"
    )
    args = parser.parse_args(argv)
    (args.base / ".markdownlint-cli2.jsonc").write_text(MARKDOWNLINT_CONFIG, encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="lint-one-") as tmp:
        # name -> (command, base it runs in, source tree or None for the installed kbtool)
        runs: dict[str, tuple[list[str], Path, str | None]] = {}
        if not args.tree:
            runs["kbtool"] = ([str(KBTOOL), "lint", args.file], args.base, None)
        for n, tree in enumerate(args.tree):
            folder = str(Path(tree).resolve())
            compileall.compile_dir(Path(folder) / "kbtool", quiet=1)
            copy = Path(tmp) / f"base-{n}"
            shutil.copytree(args.base, copy, ignore=shutil.ignore_patterns(".kbtool-cache"))
            _run([str(KBTOOL), "lint"], copy, folder)  # cold
            _run([str(KBTOOL), "lint"], copy, folder)  # warm
            runs[f"kbtool {tree}"] = ([str(KBTOOL), "lint", args.file], copy, folder)
        runs[ML] = ([str(markdownlint()), args.file], args.base, None)
        found: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        load = os.getloadavg()[0]
        for r in range(args.rounds):
            for base in {base for _cmd, base, _tree in runs.values()}:
                with (base / args.file).open("a", encoding="utf-8") as out:
                    out.write(f"\nДобавлено {r}.\n")
            names = list(runs) if r % 2 == 0 else list(reversed(runs))
            outputs = set()
            for name in names:
                cmd, base, tree = runs[name]
                wall, cpu, out = _run(cmd, base, tree)
                found[name].append((wall, cpu))
                if name != ML and args.tree:
                    outputs.add(out)
            if len(outputs) > 1:
                print(f"round {r}: the trees' findings differ")
                return 1
    print(
        f"{args.rounds} rounds; load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    medians = {}
    for name, timed in found.items():
        walls, cpus = [w for w, _ in timed], [c for _, c in timed]
        medians[name] = (statistics.median(walls), statistics.median(cpus))
        print(
            f"{name}: wall median {medians[name][0]:.3f} s, min {min(walls):.3f} s; "
            f"CPU median {medians[name][1]:.3f} s, min {min(cpus):.3f} s"
        )
    ml = medians[ML]
    for name, kb in medians.items():
        if name != ML:
            print(f"{name} / {ML}: wall {kb[0] / ml[0]:.2f}x, CPU {kb[1] / ml[1]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
