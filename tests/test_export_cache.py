"""The export cache: reused only when it came from this user's kbtool and still holds.

Real exports into a project with a config file (so the cache lives in its
``.kbtool-cache/``): a second PDF export reuses each entry's typst and the compiled
sheet, an edit or a removed picture is seen anyway, and a cache file that was not
written by this user's kbtool (as one arriving with a clone) is ignored.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from kbtool.export.cache import ExportCache
from kbtool.store import entry_file, signed_cache
from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
PDF_NOTES = FIXTURES / "export" / "pdf" / "notes"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PDF_NOTES, tmp_path / "notes")
    (tmp_path / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_cached_pdf_export_sees_edits_and_missing_pictures(kb: Kb, project: Path) -> None:
    code, _, first_err = kb("export", "pdf")
    assert code == 0, first_err
    first = (project / "build" / "kb.pdf").read_bytes()
    assert ExportCache(project).typst_pieces()  # each piece's typst was kept
    code, _, err = kb("export", "pdf")
    assert code == 0 and err == first_err
    assert (project / "build" / "kb.pdf").read_bytes() == first

    path = project / "notes" / "python" / "gil.md"
    doc = entry_file.read(path)
    entry_file.write(path, doc.entry, doc.body + "\n\nA sentence added later.")
    (project / "notes" / "ml" / "img" / "curve.png").unlink()
    code, _, err = kb("export", "pdf")
    assert code == 0, err
    assert "Asentenceaddedlater." in "".join(text(project / "build" / "kb.pdf").split())
    assert "ml/gradient-descent.md" in err and "img/curve.png not found" in err


@pytest.mark.parametrize("forged", [b"", b"KBC2" + b"\0" * 32 + b"junk", b"\xff" * 100])
def test_a_cache_not_signed_by_this_user_is_ignored(kb: Kb, project: Path, forged: bytes) -> None:
    cache = project / ".kbtool-cache"
    cache.mkdir()
    for name in ("export.marshal", "export-typst.marshal", "export-pdf.marshal"):
        (cache / name).write_bytes(forged)
    code, _, err = kb("export", "json")
    assert code == 0, err
    assert signed_cache.load(cache / "export.marshal") is not None  # rewritten, signed


def test_a_signed_cache_of_other_code_is_ignored(tmp_path: Path) -> None:
    signed_cache.save(tmp_path / "export.marshal", ("6:old-code", {}, {}, {}))
    cache = ExportCache(tmp_path.parent)
    cache.path = tmp_path / "export.marshal"
    cache.files = {}
    cache._load()
    assert cache.files == {}  # key mismatch: nothing taken
    assert "6:" + signed_cache.code_version() == cache.key
