"""Import copies the pictures the parser sees in a note, whatever the image's shape:
with a title, in ``<…>`` with blanks, percent-encoded; images shown as code stay as
written, and a missing one becomes a remark (fixture: ``tests/fixtures/import/images/``)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from kbtool.markdown.document import parse
from kbtool.store import entry_file
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
SOURCE = FIXTURES / "import" / "images"


def _imported(kb: Runner, tmp_path: Path, name: str) -> tuple[Path, str, str]:
    """The one entry made from the fixture ``name`` (copied with its pictures): its
    path, its body and import's stderr."""
    raw = tmp_path / "raw"
    shutil.copytree(SOURCE, raw)
    code, _out, err = kb(
        "import", raw / name, "--notes", tmp_path / "kb", "--format", "qa-markdown"
    )
    assert code == 0, err
    [path] = (tmp_path / "kb").rglob("*.md")
    return path, entry_file.read(path).body, err


def test_every_image_the_parser_sees_is_copied_and_relinked(kb: Runner, tmp_path: Path) -> None:
    path, body, err = _imported(kb, tmp_path, "shapes.md")
    images = [link for link in parse(body).links if link.kind == "image"]
    assert len(images) == 3  # the code span and the fence hold none; the missing one is a remark
    for image in images:
        target = (path.parent / image.target).resolve()
        assert target.parent == (tmp_path / "kb" / "assets").resolve(), image
        assert target.is_file(), image
    assert '"A red dot")' in body and "'single-quoted title')" in body  # titles kept
    assert "`![dot](img/dot.png)`" in body and "![dot](img/dot.png) inside a fence" in body
    assert "*(image not found: missing.png)* and the sentence goes on." in body
    assert "img/missing.png not found next to the source" in err
    copies = sorted(p.read_bytes() for p in (tmp_path / "kb" / "assets").iterdir())
    originals = sorted(p.read_bytes() for p in (SOURCE / "img").iterdir())
    assert copies == originals  # my%20pic.png and <my pic.png> are one picture, stored once


def test_html_img_pictures_are_copied_and_a_missing_one_is_left_for_lint(
    kb: Runner, tmp_path: Path
) -> None:
    """``<img src>`` (block and inline, quoted or not) is a picture like ``![](…)``: found,
    it is copied and its ``src`` relinked; missing, it stays as written with a warning, and
    lint reports exactly that one (KB301)."""
    path, body, err = _imported(kb, tmp_path, "html.md")
    pictures = [link for link in parse(body).links if link.kind == "html-img"]
    assert len(pictures) == 4  # the code span holds none
    *found, missing = pictures
    for picture in found:
        target = (path.parent / picture.target).resolve()
        assert target.parent == (tmp_path / "kb" / "assets").resolve(), picture
        assert target.is_file(), picture
    assert missing.target == "img/missing.png"
    assert '`<img src="img/dot.png">`' in body
    assert "img/missing.png not found next to the source; kept as written" in err
    code, out, _err = kb("lint", "--notes", tmp_path / "kb", "--format", "json")
    problems = [(p["code"], p["message"]) for p in json.loads(out)]
    assert problems == [("KB301", 'image "img/missing.png" does not exist')]
    assert code == 1


VAULT = FIXTURES / "import" / "vault-attachments"


def _pictures_of(kb_dir: Path) -> dict[str, bytes]:
    """Each imported entry (by id) and the bytes of the one picture it shows."""
    shown = {}
    for path in kb_dir.rglob("*.md"):
        images = [link for link in parse(entry_file.read(path).body).links if link.kind == "image"]
        if images:
            [image] = images
            assert image.text.strip() and not image.text.strip().isdigit(), image  # no size
            shown[path.stem] = (path.parent / image.target).resolve().read_bytes()
    return shown


def test_a_picture_named_alone_is_found_in_the_vault_nearest_the_note(
    kb: Runner, tmp_path: Path
) -> None:
    """``![[Pasted image ….png|400]]`` names a picture Obsidian keeps in an ``attachments``
    folder: it is found by name in the imported folder, the copy nearest the note when two
    share the name; one in no folder stays a remark with a warning."""
    raw = tmp_path / "raw"
    shutil.copytree(VAULT, raw)
    code, _out, err = kb("import", raw, "--notes", tmp_path / "kb")
    assert code == 0, err
    shown = _pictures_of(tmp_path / "kb")
    name = "Pasted image 20240117172208.png"
    assert shown["week-1-attention"] == (VAULT / "Course A" / "attachments" / name).read_bytes()
    assert shown["week-2-convolution"] == (VAULT / "Course B" / "attachments" / name).read_bytes()
    softmax = VAULT / "attachments" / "Pasted image 20240301120000.png"
    assert shown["week-1-softmax"] == softmax.read_bytes()
    assert "week-1-dropout" not in shown
    [dropout] = (tmp_path / "kb").rglob("week-1-dropout.md")
    assert "*(image not found: Pasted image 20991231000000.png)*" in dropout.read_text("utf-8")
    assert err.count("not found next to the source") == 1


def test_a_note_imported_alone_finds_only_the_pictures_next_to_it(
    kb: Runner, tmp_path: Path
) -> None:
    """A file imported by itself may sit in a big folder: nothing under it is searched."""
    raw = tmp_path / "raw"
    shutil.copytree(VAULT, raw)
    code, _out, err = kb("import", raw / "Course B" / "Week 2.md", "--notes", tmp_path / "kb")
    assert code == 0, err
    assert _pictures_of(tmp_path / "kb") == {}
    assert "Pasted%20image%2020240117172208.png not found next to the source" in err
