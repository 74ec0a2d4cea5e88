"""On the study page, a link to an answer's heading lands in its own entry.

Many answers have a "Formulas" or "References" heading; the page holds them all, and
each had the id ``formulas``, so every entry's ``[below](#formulas)`` jumped to the
first entry's (a public vault's page had ``references`` 1,247 times, and 282 of its
links led to a repeated id). Heading ids are scoped by entry, ``loss-2--formulas``,
as the PDF's labels are. The fixture is the PDF's
(``tests/fixtures/export/pdf/same-headings``), read in Chromium.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser import Browser
from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "pdf" / "same-headings"


@pytest.mark.parametrize("entry", ["loss-1", "loss-2"])
def test_a_heading_link_lands_in_its_own_entry(
    kb: Kb, tmp_path: Path, chromium: Browser, entry: str
) -> None:
    out = tmp_path / "kb.html"
    code, _out, err = kb("export", "html", "--notes", BASE, "--out", out)
    assert code == 0, err
    chromium.open("about:blank")
    chromium.open(out.as_uri())
    ids = chromium.js("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(ids)
    chromium.js(f"document.querySelector('#{entry} .answer a[href]').click()")
    landed = chromium.js(
        "document.getElementById(decodeURIComponent(location.hash.slice(1))).closest('article').id"
    )
    assert landed == entry
