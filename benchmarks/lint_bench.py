"""Time ``kbtool lint`` on generated bases of 2k / 10k (/ 50k) entries, side by side
with markdownlint-cli2 (the Markdown linter a user would otherwise run).

For each size the base is generated once into ``benchmarks/out/corpus-<n>/`` (see
``generate_corpus.py``; ~4 KB entries with ~3% planted problems), then the real
command runs as a child process, start-up included:

- ``cold``: no ``.kbtool-cache/`` (deleted first);
- ``warm``: the same command again, nothing changed;
- ``one file``: one entry edited, then ``kbtool lint <that file>`` (pre-commit mode):
  once below its front matter (written in place), once in its title (saved by rename,
  as editors and git do).

Peak RSS is the child's ``ru_maxrss`` from ``os.wait4`` (its own and its reaped
worker processes', i.e. its ``RUSAGE_CHILDREN`` view). Each run's findings are
checked against the planted problems, so a fast but wrong linter does not pass.
Prints a Markdown table.

markdownlint-cli2 (pinned below) is installed on demand with ``npm install --prefix``
into ``~/.cache/kbtool-bench/markdownlint`` (outside the repository, never
committed); ``--no-markdownlint`` skips it. It runs on the same base, in the same run,
with only its rules that have a kbtool counterpart (MD042 empty link, MD051 link
fragments, MD052 reference labels): a full run, the same again (it has no cache: an
unchanged re-run costs a full run) and the one changed file, start-up included.
The ratios are kbtool's time over markdownlint-cli2's. The last column is the floor of
a cold run: markdown-it-py's parse of every file alone, on both cores
(``parse_floor.py``), over markdownlint-cli2's full run.

Run: ``.venv/bin/python benchmarks/lint_bench.py [--sizes 2000,10000] [--big]``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import Corpus, generate
from parse_floor import parse_seconds

HERE = Path(__file__).resolve().parent
KBTOOL = Path(sys.executable).with_name("kbtool")
MARKDOWNLINT = "markdownlint-cli2@0.24.1"
MARKDOWNLINT_HOME = Path.home() / ".cache" / "kbtool-bench" / "markdownlint"
MARKDOWNLINT_CONFIG = (
    '{"config": {"default": false, "MD042": true, "MD051": true, "MD052": true}}\n'
)


def markdownlint() -> Path:
    """The markdownlint-cli2 executable, installed into the cache folder when missing."""
    binary = MARKDOWNLINT_HOME / "node_modules" / ".bin" / "markdownlint-cli2"
    if not binary.exists():
        MARKDOWNLINT_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(MARKDOWNLINT_HOME), MARKDOWNLINT, "--no-audit"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return binary


CPU: dict[str, float] = {}  # CPU seconds (user + system) of the last run of each kind


def _run(args: list[str], cwd: Path, program: Path = KBTOOL) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stdout of ``PROGRAM ARGS`` (kbtool by default);
    the run's CPU seconds go to ``CPU["last"]``."""
    out_path = cwd / ".bench-out.txt"
    err_path = cwd / ".bench-err.txt"
    with out_path.open("w") as out, err_path.open("w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(program), *args], cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    CPU["last"] = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"{program.name} {' '.join(args)} failed with exit code {proc.returncode}:\n"
            + err_path.read_text(encoding="utf-8")[-3000:]
        )
    text = out_path.read_text(encoding="utf-8") + err_path.read_text(encoding="utf-8")
    if program == KBTOOL:
        text = out_path.read_text(encoding="utf-8")
    out_path.unlink()
    err_path.unlink()
    return wall, usage.ru_maxrss / 1024, text


def _check(found: str, corpus: Corpus, only: str | None = None) -> None:
    got = sorted(
        (path, int(line), rest.split()[2])
        for path, line, _, rest in (row.split(":", 3) for row in found.splitlines())
    )
    want = sorted(p for p in corpus.planted if only is None or p[0] == only)
    if got != want:
        raise SystemExit(f"findings differ from the planted problems:\n{got[:5]}\n{want[:5]}")


def _markdownlint_side(base: Path, rel: str | None, binary: Path) -> tuple[float, float, float]:
    """markdownlint-cli2 on the whole base (twice: the second run is the unchanged
    re-run, it has no cache) or on ``rel``: (first, second, peak RSS)."""
    (base / ".markdownlint-cli2.jsonc").write_text(MARKDOWNLINT_CONFIG, encoding="utf-8")
    if rel is not None:
        one, rss, _ = _run([rel], base, binary)
        return one, one, rss
    full, rss_full, found = _run(["notes/**/*.md"], base, binary)
    again, rss_again, _ = _run(["notes/**/*.md"], base, binary)
    if "Linting:" not in found:
        raise SystemExit(f"markdownlint-cli2 did not run:\n{found[-2000:]}")
    return full, again, max(rss_full, rss_again)


def bench(n: int, out: Path, seed: int = 0, binary: Path | None = None) -> dict[str, float]:
    base = out / f"corpus-{n}"
    if base.exists():
        shutil.rmtree(base)
    start = time.perf_counter()
    corpus = generate(base, n, seed)
    generated = time.perf_counter() - start
    size_mb = sum(p.stat().st_size for p in corpus.entries) / 1e6
    ml_full = ml_again = ml_one = ml_rss = float("nan")
    if binary is not None:
        ml_full, ml_again, ml_rss = _markdownlint_side(base, None, binary)
    cold, rss_cold, found = _run(["lint"], base)
    _check(found, corpus)
    parse_alone, _tokens = parse_seconds(base)  # the floor of a cold run (parse_floor.py)
    warm, rss_warm, found = _run(["lint"], base)
    _check(found, corpus)
    planted_paths = {p[0] for p in corpus.planted}
    victim = next(p for p in corpus.entries if p.relative_to(base).as_posix() not in planted_paths)
    rel = victim.relative_to(base).as_posix()
    victim.write_text(victim.read_text(encoding="utf-8") + "\nДобавлено.\n", encoding="utf-8")
    one, rss_one, found = _run(["lint", rel], base)
    one_cpu = CPU["last"]
    _check(found, corpus, only=rel)
    if binary is not None:
        ml_one, _, rss = _markdownlint_side(base, rel, binary)
        ml_rss = max(ml_rss, rss)
    # the harder edit: the front matter changes (validated again) and the file is saved
    # by rename, as editors and git do (its folder's file list is read again)
    text = victim.read_text(encoding="utf-8").replace("\ntitle: '", "\ntitle: 'Изменено: ", 1)
    if "Изменено" not in text:
        raise SystemExit(f"{rel}: expected a quoted title to edit")
    swap = victim.with_name(victim.name + ".swp")
    swap.write_text(text, encoding="utf-8")
    os.replace(swap, victim)
    front, rss_front, found = _run(["lint", rel], base)
    _check(found, corpus, only=rel)
    return {
        "n": n,
        "mb": size_mb,
        "generate": generated,
        "cold": cold,
        "parse": parse_alone,
        "warm": warm,
        "one": one,
        "one_cpu": one_cpu,
        "front": front,
        "rss": max(rss_cold, rss_warm, rss_one, rss_front),
        "planted": len(corpus.planted),
        "ml_full": ml_full,
        "ml_again": ml_again,
        "ml_one": ml_one,
        "ml_rss": ml_rss,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000", help="comma-separated entry counts")
    parser.add_argument("--no-markdownlint", action="store_true", help="time kbtool alone")
    parser.add_argument("--big", action="store_true", help="also 50,000 entries (~200 MB)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--keep", action="store_true", help="keep the generated bases")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.big:
        sizes.append(50_000)
    args.out.mkdir(parents=True, exist_ok=True)
    # as a user's installed kbtool has it (pip compiles what it installs): no start-up
    # spent compiling modules, also when PYTHONDONTWRITEBYTECODE is set here
    compileall.compile_dir(HERE.parent / "kbtool", quiet=1)
    binary = None if args.no_markdownlint else markdownlint()
    load_start = os.getloadavg()[0]
    rows = []
    for n in sizes:
        row = bench(n, args.out, binary=binary)
        rows.append(row)
        print(f"{n}: done", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(args.out / f"corpus-{n}")
    print(
        f"kbtool lint on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}; load "
        f"average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n"
    )
    print(
        "| entries | size | cold | warm (unchanged) | one changed file: body "
        "| one changed file: front matter, saved by rename | peak RSS |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['mb']:.0f} MB | {r['cold']:.2f} s | {r['warm']:.2f} s "
            f"| {r['one']:.2f} s ({r['one_cpu']:.2f} s CPU) | {r['front']:.2f} s "
            f"| {r['rss']:.0f} MB |"
        )
    if binary is None:
        return 0
    print(f"\nside by side with {MARKDOWNLINT} (same base, same run; ratio = kbtool / it)\n")
    print(
        "| entries | markdownlint-cli2 full | its re-run | its one file | its peak RSS "
        "| cold ratio | unchanged ratio | one file ratio | markdown-it-py parse alone ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['ml_full']:.2f} s | {r['ml_again']:.2f} s | {r['ml_one']:.2f} s "
            f"| {r['ml_rss']:.0f} MB | {r['cold'] / r['ml_full']:.2f}× "
            f"| {r['warm'] / r['ml_again']:.3f}× | {r['one'] / r['ml_one']:.2f}× "
            f"| {r['parse'] / r['ml_full']:.2f}× ({r['parse']:.2f} s) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
