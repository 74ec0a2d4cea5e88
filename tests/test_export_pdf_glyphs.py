"""Characters the PDF's fonts lack are said once, with where the first is.

The sheet uses typst's embedded fonts only (the same output everywhere), and none has
Chinese, Japanese, Korean, Thai or emoji glyphs: typst prints each as an empty box and
says nothing. A public collection of Chinese notes came out as pages of boxes with
"0 warning(s)". The fixture (``tests/fixtures/export/pdf/no-glyphs``) has an entry
with a Chinese term, one with an emoji and one with Greek, Russian and Hebrew, which
print.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "pdf" / "no-glyphs"


def test_one_warning_names_how_many_entries_and_the_first(kb: Kb, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(BASE, notes)
    for _run in range(2):  # the second export reads its pieces from the cache
        code, _out, err = kb("export", "pdf", "--notes", notes, "--out", tmp_path / "kb.pdf")
        assert code == 0, err
        warnings = [line for line in err.splitlines() if line.startswith("warning:")]
        assert warnings == [
            "warning: 2 entries hold characters the PDF's fonts lack (Chinese, Japanese, "
            "Korean, Thai or emoji), first at basics/idempotence.md:16 ('幂'): they print as "
            "empty boxes; the study page and the Anki deck show them"
        ], err
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "kb.pdf").pages)
    assert "Ελληνικά" in text and "русский" in text  # scripts the fonts have


def test_other_formats_do_not_warn(kb: Kb, tmp_path: Path) -> None:
    for fmt in ("html", "anki", "json"):
        code, _out, err = kb("export", fmt, "--notes", BASE, "--out", tmp_path / f"kb.{fmt}")
        assert code == 0 and "warning:" not in err, err
