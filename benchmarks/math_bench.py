"""TeX -> MathML for the study page: latex2mathml against pandoc's ``--mathml``.

Both convert the same formulas, side by side in one run: every ``$…$``/``$$…$$`` of the
notes in ``notes/``, of the test fixtures and of a generated 200-entry base (its math
is the planted kind: ``aligned``, ``\\left…\\right``). Reported: wall time for all
formulas and how many each could not convert (latex2mathml raises; pandoc leaves the
TeX as text, without a ``<math>``). pandoc runs once for the whole batch, its best
case; per-entry calls would add a process start-up each.

Usage: ``.venv/bin/python benchmarks/math_bench.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_corpus import generate  # noqa: E402
from kbtool.markdown.parser import parser  # noqa: E402


def formulas(folders: list[Path]) -> list[tuple[str, bool]]:
    md = parser()
    out: list[tuple[str, bool]] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for block in md.parse(text):
                for token in [block, *(block.children or [])]:
                    if token.type.startswith("math_"):
                        out.append((token.content.strip(), token.type.startswith("math_block")))
    return out


def with_latex2mathml(items: list[tuple[str, bool]]) -> tuple[float, int]:
    from latex2mathml.converter import convert

    failed = 0
    start = time.perf_counter()
    for tex, display in items:
        try:
            convert(tex, display="block" if display else "inline")
        except Exception:
            failed += 1
    return time.perf_counter() - start, failed


def with_pandoc(items: list[tuple[str, bool]]) -> tuple[float, int]:
    import pypandoc

    source = "\n\n".join(
        f"<div>\n\n$${tex}$$\n\n</div>" if display else f"<div>\n\n${tex}$\n\n</div>"
        for tex, display in items
    )
    start = time.perf_counter()
    html = pypandoc.convert_text(source, "html", format="markdown", extra_args=["--mathml"])
    elapsed = time.perf_counter() - start
    converted = sum(1 for part in html.split("<div>")[1:] if "<math" in part)
    return elapsed, len(items) - converted


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), 200)
        items = formulas([ROOT / "notes", ROOT / "tests" / "fixtures", Path(tmp) / "notes"])
    print(f"{len(items)} formulas")
    for name, run in (("latex2mathml", with_latex2mathml), ("pandoc --mathml", with_pandoc)):
        elapsed, failed = run(items)
        print(
            f"{name:16} {elapsed:7.3f} s  {elapsed / len(items) * 1e6:8.0f} µs/formula  "
            f"{failed} not converted"
        )


if __name__ == "__main__":
    main()
