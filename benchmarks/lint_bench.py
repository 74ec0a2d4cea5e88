"""Time ``kbtool lint`` on generated bases of 1k / 10k (/ 50k) entries.

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

Run: ``.venv/bin/python benchmarks/lint_bench.py [--sizes 1000,10000] [--big]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import Corpus, generate

HERE = Path(__file__).resolve().parent
KBTOOL = Path(sys.executable).with_name("kbtool")


def _run(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stdout of ``kbtool ARGS``."""
    out_path = cwd / ".bench-out.txt"
    err_path = cwd / ".bench-err.txt"
    with out_path.open("w") as out, err_path.open("w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(KBTOOL), *args], cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"kbtool {' '.join(args)} failed with exit code {proc.returncode}:\n"
            + err_path.read_text(encoding="utf-8")[-3000:]
        )
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


def bench(n: int, out: Path, seed: int = 0) -> dict[str, float]:
    base = out / f"corpus-{n}"
    if base.exists():
        shutil.rmtree(base)
    start = time.perf_counter()
    corpus = generate(base, n, seed)
    generated = time.perf_counter() - start
    size_mb = sum(p.stat().st_size for p in corpus.entries) / 1e6
    cold, rss_cold, found = _run(["lint"], base)
    _check(found, corpus)
    warm, rss_warm, found = _run(["lint"], base)
    _check(found, corpus)
    planted_paths = {p[0] for p in corpus.planted}
    victim = next(p for p in corpus.entries if p.relative_to(base).as_posix() not in planted_paths)
    rel = victim.relative_to(base).as_posix()
    victim.write_text(victim.read_text(encoding="utf-8") + "\nДобавлено.\n", encoding="utf-8")
    one, rss_one, found = _run(["lint", rel], base)
    _check(found, corpus, only=rel)
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
        "warm": warm,
        "one": one,
        "front": front,
        "rss": max(rss_cold, rss_warm, rss_one, rss_front),
        "planted": len(corpus.planted),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated entry counts")
    parser.add_argument("--big", action="store_true", help="also 50,000 entries (~200 MB)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--keep", action="store_true", help="keep the generated bases")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.big:
        sizes.append(50_000)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sizes:
        row = bench(n, args.out)
        rows.append(row)
        print(f"{n}: done", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(args.out / f"corpus-{n}")
    print(f"kbtool lint on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}\n")
    print(
        "| entries | size | cold | warm (unchanged) | one changed file: body "
        "| one changed file: front matter, saved by rename | peak RSS |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['mb']:.0f} MB | {r['cold']:.2f} s | {r['warm']:.2f} s "
            f"| {r['one']:.2f} s | {r['front']:.2f} s | {r['rss']:.0f} MB |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
