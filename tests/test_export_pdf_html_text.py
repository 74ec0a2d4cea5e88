"""Text inside an HTML block prints in the PDF, as every other export shows it.

Notes published on GitHub start answers with a `` <br />`` line and the paragraph
under it (an HTML block to CommonMark, up to the next blank line), or wrap a part in
``<div>``. typst's writer drops raw HTML, so the sheet printed 11 of a real
collection's 17 answers without their first paragraph, some with nothing at all. The
fixture (``tests/fixtures/export/pdf/html-text/``) has both shapes, a link to another
entry and a missing picture inside the ``<div>`` (whose id is another entry's), a
script, an inline SVG and a comment, which stay out.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASE = FIXTURES / "export" / "pdf" / "html-text"
SHOWN = [
    "A moving average replaces each point by the mean",
    "It smooths *noise* away.",  # Markdown inside an HTML block is text (CommonMark)
    "Window size",
    "A wider window smooths more; see the window entry.",
    "The plot of a smoothed series.",
    "The last paragraph is Markdown.",
]
HIDDEN = ["never printed", "alert", "drawn words", "note to self"]


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "notes")
    return tmp_path


def _pdf(kb: Kb, root: Path) -> tuple[PdfReader, str]:
    code, _out, err = kb("export", "pdf", "--notes", root / "notes", "--out", root / "kb.pdf")
    assert code == 0, err
    return PdfReader(root / "kb.pdf"), err


def test_pdf_prints_the_text_of_html_blocks(kb: Kb, exported: Path) -> None:
    reader, _err = _pdf(kb, exported)
    lines = [
        " ".join(line.split()) for page in reader.pages for line in page.extract_text().splitlines()
    ]
    text = " ".join(lines)
    for shown in SHOWN:
        assert shown in text
    for hidden in HIDDEN:
        assert hidden not in text
    # a paragraph of its own: the heading's line holds nothing else, nor does the caption's
    assert "Window size" in lines and "The plot of a smoothed series." in lines
    # the <br /> before the first paragraph is spacing, not an empty line under the title
    title = lines.index("What is a moving average?")
    assert lines[title + 1].startswith("A moving average replaces")


def test_link_in_an_html_block_jumps_to_its_entry(kb: Kb, exported: Path) -> None:
    reader, _err = _pdf(kb, exported)
    jumps = [
        str(ref.get_object()["/Dest"])
        for page in reader.pages
        for ref in page.get("/Annots", [])
        if "/Dest" in ref.get_object()
    ]
    assert "window-size" in jumps  # the entry, although a <div> carried its id too
    assert set(jumps) <= set(reader.named_destinations)


def test_missing_picture_in_an_html_block_is_a_warning_as_lint_says(kb: Kb, exported: Path) -> None:
    _reader, err = _pdf(kb, exported)
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: stats/moving-average.md:21: image img/smoothing.png not found; "
        "left out of the PDF (add the file or fix the path)"
    ]
    code, out, _ = kb("lint", "--notes", exported / "notes")
    assert code == 1
    assert "stats/moving-average.md:21:10: error KB301 missing-asset" in out


def test_study_page_shows_the_same_text(kb: Kb, exported: Path) -> None:
    code, _out, err = kb(
        "export", "html", "--notes", exported / "notes", "--out", exported / "kb.html"
    )
    assert code == 0, err
    soup = BeautifulSoup((exported / "kb.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article", id="moving-average")
    assert article is not None
    text = " ".join(article.get_text(" ").split()).replace(" .", ".")
    for shown in SHOWN:
        assert shown in text
    for hidden in HIDDEN:
        assert hidden not in text


def test_an_iframe_in_an_html_block_fetches_nothing(kb: Kb, tmp_path: Path) -> None:
    """pandoc's HTML reader fetches an ``<iframe>``'s page, and ``--sandbox`` does not bound
    a filter: the block is read sandboxed with no file, so no request leaves the export."""
    import http.server
    import threading

    requests: list[str] = []

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b"<p>FETCHED-FROM-THE-NETWORK</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        notes = tmp_path / "notes"
        shutil.copytree(BASE, notes)
        entry = notes / "stats" / "window.md"
        url = f"http://127.0.0.1:{server.server_address[1]}/page.html"
        entry.write_text(
            entry.read_text(encoding="utf-8")
            + f'\n<div>\nThe window, shown live:\n<iframe src="{url}"></iframe>\n</div>\n',
            encoding="utf-8",
        )
        code, _out, err = kb("export", "pdf", "--notes", notes, "--out", tmp_path / "kb.pdf")
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "kb.pdf").pages)
    assert "The window, shown live:" in text
    assert "FETCHED" not in text
    assert requests == []
