"""PDF cheat-sheet benchmark: N entries (default 300) to PDF, side by side with plain
pandoc -> typst.

The baseline is what a user would otherwise run: the same entries as one Markdown
file (title as a heading, then the answer), ``pandoc -s -t typst -V columns=2`` and a
typst compile, each as a child process. Then ``kbtool export pdf`` runs as a child
twice: with no export cache (first) and again (cached: each entry's typst source is
reused). Target (issue 13): kbtool no slower than the baseline.

Usage: ``python benchmarks/pdf_bench.py [N] [--columns 2|3] [--own-corpus]``. Uses
``benchmarks/generate_corpus.py`` ``generate(base, n)`` when it exists, else writes
its own Russian/English entries with math, tables, code and an image. Prints one
table: time per stage (pandoc, typst) and in total, pages, size, and peak memory
(this process, where typst runs, and the pandoc child processes; ru_maxrss), then
the same export through ``kbtool export pdf`` as a child process (wall time and
peak RSS via ``os.wait4``), like the other benchmarks.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from kbtool.export import typst_source  # noqa: E402
from kbtool.export.pdf import build_pdf, document, settings  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=300)
    parser.add_argument("--columns", type=int, default=2)
    parser.add_argument("--own-corpus", action="store_true", help="skip generate_corpus.py")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        origin, base, notes = make_corpus(Path(tmp) / "project", args.count, args.own_corpus)
        docs = [entry_file.read(p) for p in sorted(notes.rglob("*.md"))]
        layout = settings({"columns": args.columns})
        start = time.perf_counter()
        built = typst_source.build(base, docs, answers=True)
        source = document(built.body, layout, len(docs))
        pandoc_done = time.perf_counter()
        pdf, dropped = build_pdf(source, base, built.entry_labels)
        typst_done = time.perf_counter()
        me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        baseline = run_baseline(base, notes, docs, Path(tmp) / "baseline.pdf", args.columns)
        cli_time, cli_rss = run_command(base, Path(tmp) / "cli.pdf", args.columns)
        warm_time, _warm_rss = run_command(base, Path(tmp) / "cli.pdf", args.columns)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    total = typst_done - start
    rows = [
        ("corpus", origin),
        ("entries", str(len(docs))),
        ("columns", str(args.columns)),
        ("markdown + pandoc (s)", f"{pandoc_done - start:.2f}"),
        ("typst compile (s)", f"{typst_done - pandoc_done:.2f}"),
        ("total (s)", f"{total:.2f}  (target <= 20)"),
        ("pages", str(pages)),
        ("PDF size (KiB)", f"{len(pdf) / 1024:.0f}"),
        ("peak RSS python+typst (MiB)", f"{me:.0f}"),
        ("peak RSS pandoc (MiB)", f"{kids:.0f}"),
        ("warnings (images left out)", str(len(built.warnings) + len(dropped))),
        ("`kbtool export pdf` wall (s)", f"{cli_time:.2f}  (child process, start-up included)"),
        ("`kbtool export pdf` peak RSS (MiB)", f"{cli_rss:.0f}  (command + pandoc, largest)"),
        ("baseline pandoc -> typst (s)", f"{baseline:.2f}  (child processes)"),
        ("kbtool first / baseline", f"{cli_time / baseline:.2f}x"),
        ("kbtool cached (s)", f"{warm_time:.2f}"),
        ("kbtool cached / baseline", f"{warm_time / baseline:.2f}x  (target <= 1.0)"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'metric'.ljust(width)} | value")
    print(f"|-{'-' * width}-|------")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value}")
    if warm_time > baseline:
        raise SystemExit(f"slower than pandoc -> typst: {warm_time:.1f} s vs {baseline:.1f} s")


if __name__ == "__main__":
    main()
