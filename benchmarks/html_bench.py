"""Study page benchmark: a generated N-entry base (default 10,000) as ``kb.html`` in Chromium.

Measured in one run: ``kbtool export html`` (the real CLI in a child process: wall
time and peak memory), then the page opened from ``file://`` in headless Chromium
(driven as the browser tests drive it), from the page's own Performance API: first
contentful paint, when search and filters work (the script runs before the entries,
while they are still being read), when every entry is read, and the load event; then
searches timed in the page from the input event to the second animation frame after
it (the list re-filtered and painted), once the idle-time search index is built.
Side by side, ``grep -ril`` over the base's files, what a user would otherwise run
to find an entry.

Usage: ``.venv/bin/python benchmarks/html_bench.py [N] [--base DIR]`` (``--base``:
reuse a base ``generate_corpus.py`` made).
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
from tests.browser import Browser  # noqa: E402

KBTOOL = ROOT / ".venv" / "bin" / "kbtool"
QUERIES = ("градиент", "transformer attention", "емкость модели", "zzzz-nothing")
SEARCH_JS = """new Promise(done => {
  const q = document.getElementById('q');
  const t0 = performance.now();
  q.value = %s;
  q.dispatchEvent(new Event('input'));
  requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - t0,
    Number(document.getElementById('count').getAttribute('data-shown'))])));
})"""


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("n", nargs="?", type=int, default=10_000)
    args.add_argument("--base", type=Path, default=None)
    opts = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = opts.base or Path(tmp)
        if opts.base is None:
            generate(root, opts.n)
        page = Path(tmp) / "kb.html"
        export_s, rss = timed(
            [str(KBTOOL), "export", "html", "--notes", "notes", "--out", str(page)], root
        )
        size = page.stat().st_size / 1e6
        print(f"export html: {export_s:.1f} s, peak {rss:.0f} MB, {size:.1f} MB")
        browser = Browser(Path(tmp) / "profile")
        try:
            browser.open(page.as_uri())
            paint = browser.js(
                "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
            )
            ready = browser.js("performance.getEntriesByName('kb-ready')[0].startTime")
            read = browser.js("performance.getEntriesByType('navigation')[0].domInteractive")
            load = browser.js("performance.getEntriesByType('navigation')[0].loadEventEnd")
            print(
                f"first contentful paint {paint:.0f} ms, search and filters ready {ready:.0f} ms, "
                f"every entry read {read:.0f} ms, load event {load:.0f} ms"
            )
            browser.js("new Promise(done => setTimeout(done, 3000))")  # idle: index built
            for query in QUERIES:
                ms, shown = browser.js(SEARCH_JS % repr(query))
                start = time.perf_counter()
                subprocess.run(
                    ["grep", "-ril", query.split()[0], "notes"],
                    cwd=root,
                    stdout=subprocess.DEVNULL,
                    check=False,
                )
                grep_ms = (time.perf_counter() - start) * 1000
                print(
                    f"search {query!r}: {ms:.0f} ms in the page ({shown} shown); "
                    f"grep -ril {query.split()[0]!r}: {grep_ms:.0f} ms"
                )
        finally:
            browser.close()


if __name__ == "__main__":
    main()
