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
from tests.conftest import FIXTURES, ROOT

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


def test_records_used_after_the_early_write_are_kept(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON export starts writing its cache before the exporter runs; HTML the
    exporter then takes from an earlier run's cache must still be in the file."""
    import os
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_corpus import generate

    corpus = generate(tmp_path, 30, seed=5)
    monkeypatch.chdir(tmp_path)
    code, _, err = kb("export", "json")
    assert code == 0, err
    assert len(ExportCache(tmp_path).rendered) == 30
    for path in corpus.entries:  # read again (new times), rendered as before (same text)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    code, _, err = kb("export", "json")
    assert code == 0, err
    assert len(ExportCache(tmp_path).rendered) == 30
    for path in corpus.entries[:20]:  # most texts new: this run renders them first
        doc = entry_file.read(path)
        entry_file.write(path, doc.entry, doc.body + "\n\nA sentence added later.")
    code, _, err = kb("export", "json")
    assert code == 0, err
    cache = ExportCache(tmp_path)
    assert len(cache.rendered) == 30  # the 10 unchanged entries' HTML too
    assert sum("A sentence added later." in html for html, *_ in cache.rendered.values()) == 20


@pytest.mark.parametrize("wanted", [True, False])
def test_an_early_write_is_put_in_place_or_leaves_nothing(tmp_path: Path, wanted: bool) -> None:
    """The cache written while exporters run becomes the cache file when the export
    succeeds; when it fails, no file is left (not even a temporary one)."""
    cache = ExportCache(tmp_path)
    cache.put_file("/a.md", (1, 2, {"id": "a"}, "body", 5))
    cache.put_rendered("k", ("<p>x</p>", [], [], [], [], [], []))
    cache.save_started()
    if wanted:
        cache.save()
        again = ExportCache(tmp_path)
        assert again.files == cache.files and again.rendered == cache.rendered
    else:
        cache.discard_started()
        assert not any((tmp_path / ".kbtool-cache").iterdir())
