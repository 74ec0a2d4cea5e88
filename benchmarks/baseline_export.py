"""The minimal export a user could write instead of ``kbtool export json``.

Two processes (one per core) each read half of the base's ``*.md`` files, split off
the YAML front matter (libyaml's safe loader), render the body with markdown-it-py (the
renderer kbtool uses), and send the results back; the parent writes one JSON file.
No validation, sanitizing, link checks, cache or error messages: the floor that
``benchmarks/export_bench.py`` compares kbtool's first export with.

Usage: ``python benchmarks/baseline_export.py NOTES OUT.json``.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, as kbtool reads YAML


def _render(paths: list[str]) -> list[dict[str, Any]]:
    md = MarkdownIt("commonmark").enable("table")
    out = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=LOADER)
        out.append(
            {
                "front_matter": meta,
                "path": path,
                "answer_markdown": body,
                "answer_html": md.render(body),
            }
        )
    return out


def main(notes: Path, out: Path) -> None:
    paths = sorted(str(p) for p in notes.rglob("*.md"))
    halves = [paths[: len(paths) // 2], paths[len(paths) // 2 :]]
    with ProcessPoolExecutor(max_workers=2) as pool:
        entries = [entry for part in pool.map(_render, halves) for entry in part]
    out.write_text(json.dumps({"entries": entries}, ensure_ascii=False, default=str), "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
