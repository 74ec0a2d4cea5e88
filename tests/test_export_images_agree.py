"""Lint and every export agree on which pictures are missing.

``tests/fixtures/export/images`` has pictures that exist (plain, ``%20``-encoded, with
a query, as ``<img>``) and ones that do not (a missing file, a folder, ``<img>`` block
and inline). ``kbtool lint`` reports KB301 exactly where each export warns "not found",
with the same file and line, and the PDF prints nothing for a missing picture.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES

IMAGES = FIXTURES / "export" / "images"
Kb = Callable[..., tuple[int, str, str]]
_NOT_FOUND = re.compile(r"^warning: (\S+?):(\d+): image '?([^' ]+)'? not found", re.MULTILINE)


def lint_missing(kb: Kb) -> set[tuple[str, int, str]]:
    code, out, _err = kb("lint", "--notes", IMAGES, "--format", "json", "--select", "KB301")
    assert code == 1
    found = set()
    for problem in json.loads(out):
        path = Path(problem["path"]).resolve().relative_to(IMAGES.resolve()).as_posix()
        target = re.search(r'image "([^"]+)"', problem["message"])
        assert target is not None
        found.add((path, problem["line"], target.group(1)))
    return found


@pytest.mark.parametrize("export_format", ["pdf", "json", "anki"])
def test_lint_and_export_agree_on_missing_pictures(
    kb: Kb, tmp_path: Path, export_format: str
) -> None:
    out = tmp_path / f"kb.{export_format}"
    code, _out, err = kb("export", export_format, "--notes", IMAGES, "--out", out)
    assert code == 0, err
    exported = {(m[1], int(m[2]), m[3]) for m in _NOT_FOUND.finditer(err)}
    assert exported == lint_missing(kb)
    assert {line for _path, line, _target in exported} == {17, 19, 25, 29}


def test_pdf_prints_nothing_for_a_missing_picture(kb: Kb, tmp_path: Path) -> None:
    out = tmp_path / "kb.pdf"
    code, _out, err = kb("export", "pdf", "--notes", IMAGES, "--out", out)
    assert code == 0, err
    reader = PdfReader(out)
    text = "".join(page.extract_text() for page in reader.pages)
    for name in ("missing.png", "gone.png", "lost.png", "img/folder", "left out"):
        assert name not in text
    assert "in a sentence." in text
    assert sum(len(page.images) for page in reader.pages) >= 1  # the present ones are in
