"""``kbtool lint FILE`` against ``markdownlint-cli2 FILE`` on one base, rounds alternating.

The one-file (pre-commit) comparison of ``lint_bench.py`` repeated, so that a load
change hits both: each round appends a line to FILE, then runs both commands (order
alternating), timing wall clock and CPU (user + system of the child from ``os.wait4``;
node's own threads count too). BASE must hold a warm ``.kbtool-cache/`` (run
``kbtool lint`` there first); markdownlint-cli2 runs with the rules ``lint_bench.py``
gives it. Prints medians, minimums, the ratios and the load average.

Run: ``.venv/bin/python benchmarks/lint_one_vs_markdownlint.py BASE FILE [--rounds 9]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lint_bench import KBTOOL, MARKDOWNLINT_CONFIG, markdownlint


def _run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("file", help="a Markdown file of the base, relative to it")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    (args.base / ".markdownlint-cli2.jsonc").write_text(MARKDOWNLINT_CONFIG, encoding="utf-8")
    commands = {
        "kbtool": [str(KBTOOL), "lint", args.file],
        "markdownlint-cli2": [str(markdownlint()), args.file],
    }
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    load = os.getloadavg()[0]
    for r in range(args.rounds):
        with (args.base / args.file).open("a", encoding="utf-8") as out:
            out.write(f"\nДобавлено {r}.\n")
        names = list(commands) if r % 2 == 0 else list(reversed(commands))
        for name in names:
            found[name].append(_run(commands[name], args.base))
    print(
        f"{args.rounds} rounds; load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    medians = {}
    for name, runs in found.items():
        wall, cpu = [w for w, _ in runs], [c for _, c in runs]
        medians[name] = (statistics.median(wall), statistics.median(cpu))
        print(
            f"{name}: wall median {medians[name][0]:.3f} s, min {min(wall):.3f} s; "
            f"CPU median {medians[name][1]:.3f} s, min {min(cpu):.3f} s"
        )
    kb, ml = medians["kbtool"], medians["markdownlint-cli2"]
    print(f"kbtool / markdownlint-cli2: wall {kb[0] / ml[0]:.2f}x, CPU {kb[1] / ml[1]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
