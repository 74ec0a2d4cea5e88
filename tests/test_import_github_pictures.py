"""Pictures linked by the GitHub address of the repository the notes are a clone of are
copied from the clone like relative ones; any other address stays as written (fixture:
``tests/fixtures/import/github-pictures/``, whose ``cases.yaml`` says which)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kbtool.markdown.document import parse
from kbtool.store import entry_file
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
SOURCE = FIXTURES / "import" / "github-pictures"
CASES: dict[str, Any] = yaml.safe_load((SOURCE / "cases.yaml").read_text("utf-8"))


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.mark.parametrize(("remote", "whose"), sorted(CASES["remotes"].items(), key=str))
def test_pictures_of_the_clone_are_copied(
    kb: Runner, tmp_path: Path, remote: str | None, whose: str
) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copy(SOURCE / "notes.md", clone)
    shutil.copytree(SOURCE / "img", clone / "img")
    shutil.copy(SOURCE / "img" / "arch.png", tmp_path / "secret.png")  # outside the clone
    if remote is not None:
        _git(clone, "init", "-q")
        _git(clone, "remote", "add", "origin", remote)
    code, _out, err = kb("import", clone / "notes.md", "--notes", tmp_path / "kb")
    assert code == 0, err
    docs = sorted(
        (entry_file.read(p) for p in (tmp_path / "kb").rglob("*.md")),
        key=lambda doc: int((doc.entry.source.lines or "0").split("-")[0]),
    )
    assert len(docs) == 2  # the two questions
    pictures = [
        (doc.path, link)
        for doc in docs
        for link in parse(doc.body).links
        if link.kind in ("image", "html-img")
    ]
    body = "\n".join(doc.body for doc in docs)
    assert len(pictures) == len(CASES["pictures"])
    for (path, picture), case in zip(pictures, CASES["pictures"], strict=True):
        assert path is not None
        if whose == "own" and case["from"] == "clone":
            copy = (path.parent / picture.target).resolve()
            assert copy.parent == (tmp_path / "kb" / "assets").resolve(), picture
            assert copy.read_bytes() == (SOURCE / "img" / "arch.png").read_bytes()
        else:
            assert picture.target == case["target"], picture
    assert "`![arch](https://github.com/example-org/kb-notes/blob/main/img/arch.png)`" in body
    assert "not found" not in err and "not a picture" not in err  # the web's, not ours
    copied = list((tmp_path / "kb" / "assets").glob("*")) if whose == "own" else []
    assert len(copied) == (1 if whose == "own" else 0)
    assert not (tmp_path / "kb" / "assets").exists() or whose == "own"
