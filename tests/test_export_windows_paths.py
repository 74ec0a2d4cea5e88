"""A picture pasted from the author's computer (``C:\\Users\\…``, ``H:/notes/…``) is an
absolute path: every format leaves it out and says so, with the file and line.

``urlsplit`` reads ``H:`` as a URL scheme: the PDF said such a picture "is not a local
file" and that the build uses no network, and the study page, the deck and the JSON
dropped it unsaid (nh3 removes a URL of a scheme it does not know). A public Chinese
collection holds three. The fixture (``tests/fixtures/export/windows-paths``) has a
Markdown picture with backslashes, one with a slash, an ``<img>`` and a link to a
spreadsheet; the deck is read back from a real Anki collection, the PDF with pypdf.
Lint reports the same four places (KB301 for the pictures, KB102 for the link): lint
read ``C:`` as a URL scheme and said nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.conftest import FIXTURES
from tests.test_export_fits_browser import cards

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "windows-paths"
WHERE = [
    "ml/loss-curve.md:16:",
    "ml/loss-curve.md:20:",
    "ml/loss-curve.md:20:",
    "ml/loss-curve.md:22:",
]


@pytest.mark.parametrize("fmt", ["pdf", "html", "anki", "json"])
def test_every_format_says_each_is_an_absolute_path(kb: Kb, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"kb.{fmt}"
    code, _out, err = kb("export", fmt, "--notes", BASE, "--out", out)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert [line.split()[1] for line in warnings] == WHERE, err
    assert all("absolute path" in line and "network" not in line for line in warnings), err
    if fmt == "pdf":
        assert not PdfReader(out).pages[0].images
    if fmt == "anki":
        (back,) = cards(out, tmp_path / "anki")  # as a real Anki collection shows it
        assert "src=" not in back and "How the loss falls" in back


def test_lint_reports_the_places_the_exports_warn_about(kb: Kb) -> None:
    code, out, err = kb("lint", "--notes", BASE, BASE)
    assert code == 1, out + err
    found = [line for line in out.splitlines() if " error KB" in line]
    assert [line.split("/windows-paths/")[1].split()[0] for line in found] == [
        "ml/loss-curve.md:16:1:",
        "ml/loss-curve.md:20:1:",
        "ml/loss-curve.md:20:55:",
        "ml/loss-curve.md:22:23:",
    ], out
    assert [line.split()[2] for line in found] == ["KB301", "KB301", "KB301", "KB102"], out
    assert all("a file on the computer the note was written on" in line for line in found), out


DRIVE_PARTS = ["C", "h", "ж", ":", "%3A", "%3a", "\\", "%5C", "/", "%2F", "%", "%D1", "%84"]
DRIVE_PARTS += ["%D1%84", "Users", "x.png", "#", "%E2%82"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DRIVE_PARTS), min_size=1, max_size=7).map("".join))
@example("C%3A%5CUsers%5Cme%5Cx.png")
@example("H:/notes/a.png")
def test_drive_paths_are_told_from_the_first_characters(url: str) -> None:
    """Decoding only the start of a URL says what decoding all of it says."""
    from urllib.parse import unquote

    from kbtool.paths import _DRIVE, is_drive_path

    assert is_drive_path(url) == (_DRIVE.match(unquote(url)) is not None)
