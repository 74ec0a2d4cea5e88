"""Store: front matter errors with file:line:key path, canonical round trip, BOM/CRLF."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtool.errors import EntryError
from kbtool.store import entry_file
from tests.conftest import FIXTURES

BAD = sorted((FIXTURES / "front_matter" / "bad").glob("*.md"))
GOOD = sorted((FIXTURES / "front_matter" / "good").glob("*.md"))


def _expected(path: Path) -> list[tuple[int, str, str]]:
    out = []
    for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        number, rest = line.split(": ", 1)
        key, _, text = (
            rest.partition(": ")
            if not rest.startswith(("YAML", "file", "front", "no "))
            else ("", "", rest)
        )
        out.append((int(number), key, text))
    return out


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_front_matter_reports_every_issue_with_line_and_key(path: Path) -> None:
    with pytest.raises(EntryError) as caught:
        entry_file.read(path, f"notes/{path.name}")
    rendered = str(caught.value).splitlines()
    for line, key, text in _expected(path):
        prefix = f"notes/{path.name}:{line}: " + (f"{key}: " if key else "")
        assert any(r.startswith(prefix) and text in r for r in rendered), (
            f"missing {prefix}{text!r} in {rendered}"
        )
    assert len(rendered) == len(_expected(path)), rendered


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_files_parse(path: Path) -> None:
    doc = entry_file.read(path)
    assert doc.entry.id
    assert "\r" not in doc.body and "\ufeff" not in doc.body


@pytest.mark.parametrize(
    "path", [p for p in GOOD if p.stem.startswith("canonical")], ids=lambda p: p.stem
)
def test_canonical_round_trip_is_byte_stable(path: Path, tmp_path: Path) -> None:
    doc = entry_file.read(path)
    out = tmp_path / path.name
    assert entry_file.write(out, doc.entry, doc.body)
    assert out.read_bytes() == path.read_bytes()
    assert not entry_file.write(out, doc.entry, doc.body), "unchanged content is not rewritten"


def test_bom_and_crlf_read_as_the_canonical_file(tmp_path: Path) -> None:
    canonical = entry_file.read(FIXTURES / "front_matter" / "good" / "canonical.md")
    for name in ("bom.md", "crlf.md"):
        doc = entry_file.read(FIXTURES / "front_matter" / "good" / name)
        assert doc.entry == canonical.entry
        assert entry_file.render(doc.entry, doc.body) == entry_file.render(
            canonical.entry, canonical.body
        )


def test_body_line_points_at_the_body() -> None:
    doc = entry_file.read(FIXTURES / "front_matter" / "good" / "canonical.md")
    lines = (FIXTURES / "front_matter" / "good" / "canonical.md").read_text().splitlines()
    assert lines[doc.body_line - 1].startswith("BLEU")  # past the blank line after ---
    assert doc.body.startswith("BLEU")


def test_digest_ignores_updated_and_the_digest_itself() -> None:
    doc = entry_file.read(FIXTURES / "front_matter" / "good" / "canonical.md")
    first = entry_file.digest(doc.entry, doc.body)
    moved = doc.entry.model_copy(update={"updated": doc.entry.created.replace(year=2030)})
    assert entry_file.digest(moved, doc.body) == first
    assert entry_file.digest(doc.entry, doc.body + "\nedited") != first
