"""PDF cheat-sheet benchmark: N entries (default 300) to PDF, side by side with plain
pandoc -> typst.

The baseline is what a user would otherwise run: the same entries as one Markdown
file (title as a heading, then the answer), ``pandoc -s -t typst -V columns=2`` and a
typst compile, each as a child process. Then ``kbtool export pdf`` runs as a child
with no export cache (first) and once more (cached: each entry's typst source and
the compiled sheet are reused). Target (issue 13): a first export no slower than the
baseline. ``--rounds K`` alternates baseline and first export K times: on a shared
machine the load moves between runs, and the median ratio is steadier than one.

Usage: ``python benchmarks/pdf_bench.py [N] [--columns 2|3] [--own-corpus] [--rounds K]``.
Uses ``benchmarks/generate_corpus.py`` ``generate(base, n)`` when it exists, else writes
its own Russian/English entries with math, tables, code and an image. Prints one
table: time per stage in this process (pandoc with the sheet filter, typst's layout,
the balanced PDF: the last page laid out again and the PDF written), pages, size, and
peak memory (this process, where typst runs, and the pandoc child processes;
ru_maxrss), then the
export through ``kbtool export pdf`` as a child process (wall time and peak RSS via
``os.wait4``) beside the baseline, with the CPU time of each (children and their
pandoc processes, both cores counted), and the load average.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from kbtool.export import typst_run, typst_source  # noqa: E402
from kbtool.export.cache import CACHE_DIR  # noqa: E402
from kbtool.export.pdf import balanced, document, settings  # noqa: E402
from kbtool.store import entry_file  # noqa: E402

IMAGE = ROOT / "tests" / "fixtures" / "export" / "pdf" / "notes" / "ml" / "img" / "curve.png"
TOPICS = ["ml", "nlp", "python", "statistics", "deep-learning", "sql"]
BODY = """Ответ на вопрос {i}: модель минимизирует $\\boxed{{L = -\\frac{{1}}{{N}}\\sum^N y_i
\\log \\hat{{y}}_i}}$, а регуляризация добавляет $\\lambda \\sum w_i^2$.

- первый пункт про **градиент** и шаг $\\gamma_i$;
- second point in English about `batch_size={i}`.

| Метод | Сложность |
|-------|-----------|
| SGD   | $O(n)$    |

```python
def step(x, grad, lr=0.1):
    return x - lr * grad
```
"""


def own_corpus(base: Path, count: int) -> None:
    (base / "img").mkdir(parents=True)  # base is the notes folder
    (base / "img" / "curve.png").write_bytes(IMAGE.read_bytes())
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        folder = base / topic
        folder.mkdir(exist_ok=True)
        body = BODY.format(i=i) + ("\n![curve](../img/curve.png)\n" if i % 25 == 0 else "")
        (folder / f"q-{i:04d}.md").write_text(
            f"---\nid: q-{i:04d}\nkind: question\ntitle: Вопрос номер {i} — как работает "
            f"метод {topic}?\ntopic: {topic}\nlang: ru\nstatus: answered\nsource:\n"
            f"  kind: manual\ncreated: 2024-05-01\nupdated: 2024-05-01\n---\n\n{body}",
            encoding="utf-8",
        )


def make_corpus(root: Path, count: int, own: bool) -> tuple[str, Path, Path]:
    """(origin, export base, notes folder). The shared generator keeps images in
    ``assets/`` beside ``notes/``, so its export base is the project folder."""
    if not own and (ROOT / "benchmarks" / "generate_corpus.py").exists():
        generate = importlib.import_module("benchmarks.generate_corpus").generate
        generate(root, count)
        return "benchmarks/generate_corpus.py", root, root / "notes"
    own_corpus(root / "notes", count)
    return "pdf_bench own corpus", root / "notes", root / "notes"


def children_cpu() -> float:
    """CPU seconds of this process's finished children and their children (pandoc)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(base: Path, out: Path, columns: int) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of the real command, as a user runs it."""
    command = [sys.executable, "-m", "kbtool", "export", "pdf", "--notes", str(base)]
    command += ["--out", str(out), "--columns", str(columns)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=base)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"kbtool export pdf failed with exit code {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def run_baseline(base: Path, notes: Path, docs: list[Any], out: Path, columns: int) -> float:
    """Wall time of pandoc -> typst as child processes on the same entries."""
    import pypandoc

    folder = notes / "_baseline"  # as deep as an entry: its relative picture paths hold
    folder.mkdir()
    markdown = folder / "baseline.md"
    # in-document anchors the corpus breaks on purpose would stop typst: plain URLs here
    text = "\n\n".join(f"## {d.entry.title}\n\n{d.body}" for d in docs)
    markdown.write_text(re.sub(r"\]\(#[^)]*\)", "](https://example.invalid)", text), "utf-8")
    typ = folder / "baseline.typ"
    start = time.perf_counter()
    subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            "-s",
            "-f",
            "commonmark_x",
            "-t",
            "typst",
            "-V",
            f"columns={columns}",
            str(markdown),
            "-o",
            str(typ),
        ],
        check=True,
        cwd=base,
    )
    compile_ = (
        "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3], "
        "font_paths=[], ignore_system_fonts=True)"
    )
    done = subprocess.run(
        [sys.executable, "-c", compile_, str(typ), str(out), str(base)], cwd=base, check=False
    )
    elapsed = time.perf_counter() - start
    shutil.rmtree(folder)  # not an entry of the base kbtool exports next
    if done.returncode != 0:
        raise SystemExit("the pandoc -> typst baseline failed")
    return elapsed


def in_process(base: Path, docs: list[Any], columns: int) -> list[tuple[str, str]]:
    """The export's stages timed one by one in this process (cold: nothing cached)."""
    layout = settings({"columns": columns})
    start = time.perf_counter()
    built = typst_source.build(base, docs, answers=True)
    source = document(built.body, layout, len(docs))
    pandoc_done = time.perf_counter()
    typst_run.layout(source, base, built.entry_labels)
    laid_out = time.perf_counter()
    pdf, facts = balanced(source, base, built.entry_labels, columns)
    written = time.perf_counter()
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return [
        ("markdown + pandoc (s)", f"{pandoc_done - start:.2f}"),
        ("typst layout (s)", f"{laid_out - pandoc_done:.2f}"),
        (
            "balanced PDF: last pages laid out again, written (s)",
            f"{written - laid_out:.2f}  (rooms {' '.join(f'{r:.0f}' for r in facts.rooms)} pt)",
        ),
        ("total in process (s)", f"{written - start:.2f}"),
        ("pieces converted twice", f"{built.again}  (a filter guess the checks corrected)"),
        ("pages", str(len(PdfReader(io.BytesIO(pdf)).pages))),
        ("PDF size (KiB)", f"{len(pdf) / 1024:.0f}"),
        ("peak RSS python+typst (MiB)", f"{me:.0f}"),
        ("peak RSS pandoc (MiB)", f"{kids:.0f}"),
        ("warnings", str(len(built.warnings))),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=300)
    parser.add_argument("--columns", type=int, default=2)
    parser.add_argument("--own-corpus", action="store_true", help="skip generate_corpus.py")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the baseline and a first export this many times, alternating; "
        "on a shared machine the median of the rounds' ratios is the steadier figure",
    )
    args = parser.parse_args()
    rounds: list[tuple[float, float, float]] = []  # baseline, first export, peak RSS
    cpu: list[tuple[float, float]] = []  # CPU seconds of baseline and first export
    with tempfile.TemporaryDirectory() as tmp:
        origin, base, notes = make_corpus(Path(tmp) / "project", args.count, args.own_corpus)
        docs = [entry_file.read(p) for p in sorted(notes.rglob("*.md"))]
        rows = [("corpus", origin), ("entries", str(len(docs))), ("columns", str(args.columns))]
        rows += in_process(base, docs, args.columns)
        for _ in range(args.rounds):
            shutil.rmtree(base / CACHE_DIR, ignore_errors=True)  # a first export: no cache
            before = children_cpu()
            baseline = run_baseline(base, notes, docs, Path(tmp) / "baseline.pdf", args.columns)
            between = children_cpu()
            first, rss = run_command(base, Path(tmp) / "cli.pdf", args.columns)
            rounds.append((baseline, first, rss))
            cpu.append((between - before, children_cpu() - between))
        warm_time, _warm_rss = run_command(base, Path(tmp) / "cli.pdf", args.columns)
    ratios = [first / baseline for baseline, first, _rss in rounds]
    for number, ((baseline, first, rss), (base_cpu, first_cpu)) in enumerate(
        zip(rounds, cpu, strict=True), start=1
    ):
        rows += [
            (
                f"round {number}: baseline pandoc -> typst (s, CPU s)",
                f"{baseline:.2f}, {base_cpu:.2f}",
            ),
            (
                f"round {number}: `kbtool export pdf` first (s, CPU s)",
                f"{first:.2f}, {first_cpu:.2f}  ({rss:.0f} MiB)",
            ),
            (f"round {number}: first / baseline", f"{first / baseline:.2f}x"),
        ]
    cpu_ratio = statistics.median(first / baseline for baseline, first in cpu)
    rows += [
        ("kbtool first / baseline, median", f"{statistics.median(ratios):.2f}x  (target <= 1.0)"),
        ("kbtool first / baseline CPU time, median", f"{cpu_ratio:.2f}x  (both cores counted)"),
        ("kbtool cached (s)", f"{warm_time:.2f}"),
        ("kbtool cached / baseline", f"{warm_time / rounds[-1][0]:.2f}x"),
        ("load average (1, 5, 15 min) at the end", " ".join(f"{x:.2f}" for x in os.getloadavg())),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'metric'.ljust(width)} | value")
    print(f"|-{'-' * width}-|------")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value}")


if __name__ == "__main__":
    main()
