"""How long markdown-it-py alone takes to read a base: the floor of a cold lint.

A cold ``kbtool lint`` reads every file with the shared parser configuration
(:func:`kbtool.markdown.parser.facts_parser`: CommonMark, tables, math, positions;
inline parsing only where facts can be) before any rule runs. This times that parse
alone, on both cores as lint's workers do, with nothing else: no front matter, no
facts, no rules, no cache. ``lint_bench.py`` reports it beside markdownlint-cli2's full
run, so the ratio shows how close to the parser a cold run is, and which cold targets
no lint built on markdown-it-py can reach on this machine.

Run: ``.venv/bin/python benchmarks/parse_floor.py BASE`` (a folder of Markdown files).
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _parse(paths: list[str]) -> int:
    from kbtool.markdown.parser import facts_parser

    parser = facts_parser()
    tokens = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            tokens += len(parser.parse(handle.read()))
    return tokens


def parse_seconds(base: Path) -> tuple[float, int]:
    """Wall seconds to parse every ``*.md`` under ``base`` on two processes, and the
    number of tokens made (so the work cannot be skipped)."""
    files = sorted(str(p) for p in base.rglob("*.md"))
    half = (len(files) + 1) // 2
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        tokens = sum(pool.map(_parse, [files[:half], files[half:]]))
    return time.perf_counter() - start, tokens


def main() -> int:
    seconds, tokens = parse_seconds(Path(sys.argv[1]))
    print(f"parse alone, 2 processes: {seconds:.2f} s ({tokens:,} tokens)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
