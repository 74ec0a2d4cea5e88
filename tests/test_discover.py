"""Discovery: the fast walk (folder patterns pruned on the way down, files checked
only against patterns that can match a file) finds exactly what the plain walk finds
(every folder and every file matched against the whole spec), in the same order; and
a folder can be re-read on its own (what the lint cache does after a save)."""

from __future__ import annotations

import os
from pathlib import Path

import pathspec
import pytest

from kbtool.store.discover import ALWAYS_EXCLUDED, discover, scan_folder

TREE = (
    "a.md",
    "b.txt",
    "x.tmp.md",
    "drafts/a.md",
    "drafts/keep.md",
    "drafts/deep/c.md",
    "nlp/bleu.md",
    "nlp/rouge.md",
    "nlp/old/x.tmp.md",
    "nlp/old/y.md",
    "nlp-extra/z.md",
    ".hidden/h.md",
    "node_modules/n.md",
    "Ünïcode/ё.md",
)

EXCLUDES = [
    [],
    ["drafts/"],
    ["*.tmp.md"],
    ["drafts/", "*.tmp.md", "old"],
    ["/a.md", "nlp/rouge.md"],
    ["drafts/*", "!drafts/keep.md"],
    ["*.md", "!nlp/**"],
    ["**/deep/"],
]


def _plain_walk(base: Path, exclude: list[str]) -> list[Path]:
    """The reference: os.walk, every folder and file matched against the full spec."""
    spec = pathspec.PathSpec.from_lines("gitignore", [*ALWAYS_EXCLUDED, *exclude])
    root = base.resolve()
    out = []
    for folder, dirs, files in os.walk(base):
        rel = os.path.relpath(folder, base)
        rel = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        dirs[:] = [d for d in dirs if not spec.match_file(f"{rel}{d}/")]
        for name in files:
            path = Path(folder) / name
            if not name.endswith(".md") or spec.match_file(f"{rel}{name}"):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                continue
            out.append(path)
    return sorted(out)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    base = tmp_path / "notes"
    for rel in TREE:
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text("x\n", encoding="utf-8")
    outside = tmp_path / "outside.md"
    outside.write_text("secret\n", encoding="utf-8")
    (base / "nlp" / "out.md").symlink_to(outside)
    (base / "nlp" / "in.md").symlink_to(base / "a.md")
    (base / "linked").symlink_to(base / "nlp", target_is_directory=True)
    return base


@pytest.mark.parametrize("exclude", EXCLUDES, ids=lambda e: ",".join(e) or "none")
def test_discover_matches_the_plain_walk(tree: Path, exclude: list[str]) -> None:
    found = discover(tree, exclude)
    assert found == _plain_walk(tree, exclude)
    assert all(p.is_relative_to(tree) for p in found)
    assert tree / "nlp" / "out.md" not in found  # a symlink out of the base
    assert not any("linked" in p.parts for p in found)  # symlinked folders not followed


def test_folders_receive_mtimes_and_scan_folder_agrees(tree: Path) -> None:
    folders: dict[str, int] = {}
    found = [str(p) for p in discover(tree, ["drafts/"], folders=folders)]
    assert str(tree / "drafts") not in folders and str(tree / "nlp" / "old") in folders
    for folder, mtime in folders.items():
        assert os.stat(folder).st_mtime_ns == mtime
        files, subfolders = scan_folder(tree, folder, ["drafts/"])
        assert sorted(files) == sorted(f for f in found if os.path.dirname(f) == folder)
        assert sorted(subfolders) == sorted(f for f in folders if os.path.dirname(f) == folder)
