"""Anki export, checked with the official ``anki`` package as a real client.

Import into a fresh collection, answer a card, edit an entry, export and import
again: no new notes, the edited note updated, its review history kept.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportResponse
from anki.scheduler.v3 import CardAnswer

from kbtool.export.anki import CSS, FIELDS, anki_tag, stable_id
from kbtool.store import entry_file
from tests.conftest import FIXTURES

BASE = FIXTURES / "export" / "base"
# drafts stay out of the deck unless --include-drafts
ENTRY_FILES = sorted(p for p in BASE.rglob("*.md") if "\nstatus: draft\n" not in p.read_text())
Kb = Callable[..., tuple[int, str, str]]


@pytest.fixture
def base(tmp_path: Path) -> Path:
    copy = tmp_path / "notes"
    shutil.copytree(BASE, copy)
    return copy


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    folder = tmp_path / "anki"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


def export(kb: Kb, base: Path, out: Path) -> str:
    code, _, err = kb("export", "anki", "--notes", base, "--out", out)
    assert code == 0, err
    return err


def import_deck(col: Collection, deck: Path) -> ImportResponse:
    options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
    request = ImportAnkiPackageRequest(package_path=str(deck), options=options)
    response: ImportResponse = col.import_anki_package(request)
    return response


def test_fresh_import_has_every_entry_with_fields_tags_and_decks(
    kb: Kb, base: Path, col: Collection, tmp_path: Path
) -> None:
    deck = tmp_path / "kb.apkg"
    export(kb, base, deck)
    result = import_deck(col, deck)
    assert len(result.log.new) == len(ENTRY_FILES)
    assert col.note_count() == len(ENTRY_FILES)
    deck_names = {d.name for d in col.decks.all_names_and_ids()}
    for path in ENTRY_FILES:
        entry = entry_file.read(path).entry
        (note_id,) = col.find_notes(f'"Id:{entry.id}"')
        note = col.get_note(note_id)
        assert note.keys() == list(FIELDS)
        assert note["Topic"] == entry.topic
        assert note.guid == genanki.guid_for(entry.id)
        assert sorted(note.tags) == sorted(anki_tag(t) for t in entry.tags)
        assert f"kbtool::{entry.topic}" in deck_names
        (card,) = note.cards()
        assert col.decks.name(card.did) == f"kbtool::{entry.topic}"
    assert ".nightMode" in CSS and ".night_mode" in CSS


def test_math_is_anki_mathjax_and_image_is_bundled_by_content_hash(
    kb: Kb, base: Path, col: Collection, tmp_path: Path
) -> None:
    deck = tmp_path / "kb.apkg"
    export(kb, base, deck)
    import_deck(col, deck)
    note = col.get_note(col.find_notes('"Id:what-is-bleu"')[0])
    assert r"\(a_1 * b_2 * c_3\)" in note["Answer"]
    assert r"\[ROUGE\text{-}N" in note["Answer"]
    assert "$" not in note["Answer"]
    media = os.listdir(col.media.dir())
    assert len(media) == 1 and media[0].startswith("kb-") and media[0].endswith(".png")
    assert f'src="{media[0]}"' in note["Answer"]
    image = base / "nlp" / "img" / "bleu-diagram.png"
    assert (Path(col.media.dir()) / media[0]).read_bytes() == image.read_bytes()
    with zipfile.ZipFile(deck) as package:  # nothing from outside the base was packed
        assert len([n for n in package.namelist() if n.isdigit()]) == 1


@pytest.mark.parametrize(
    "needle",
    [
        "<script",
        "alert",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<object",
        "<embed",
        "<style",
    ],
)
def test_hostile_note_is_inert_in_a_real_collection(
    kb: Kb, base: Path, col: Collection, tmp_path: Path, needle: str
) -> None:
    deck = tmp_path / "kb.apkg"
    export(kb, base, deck)
    import_deck(col, deck)
    note = col.get_note(col.find_notes('"Id:hostile-html"')[0])
    assert "Text after the script." in note["Answer"]
    for value in note.fields:
        assert needle not in value.lower()


def test_reimport_after_edit_updates_in_place_and_keeps_history(
    kb: Kb, base: Path, col: Collection, tmp_path: Path
) -> None:
    deck = tmp_path / "kb.apkg"
    export(kb, base, deck)
    import_deck(col, deck)
    col.decks.select(col.decks.id_for_name("kbtool::python"))
    queued = col.sched.get_queued_cards().cards[0]
    card = col.get_card(queued.card.id)
    card.start_timer()
    answered_note = card.note()
    col.sched.answer_card(
        col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD)
    )
    assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1

    # edit the answered entry's answer and rename its file
    path = next(p for p in base.rglob("*.md") if f"id: {answered_note['Id']}\n" in p.read_text())
    doc = entry_file.read(path)
    entry_file.write(path.with_name("renamed.md"), doc.entry, doc.body + "\n\nEdited answer.")
    path.unlink()
    export(kb, base, deck)
    result = import_deck(col, deck)

    assert len(result.log.new) == 0
    assert [n.id.nid for n in result.log.updated] == [answered_note.id]
    assert col.note_count() == len(ENTRY_FILES)
    assert "Edited answer." in col.get_note(answered_note.id)["Answer"]
    assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1
    assert col.get_card(card.id).reps == 1


def test_unchanged_reexport_is_a_duplicate_not_an_update(
    kb: Kb, base: Path, col: Collection, tmp_path: Path
) -> None:
    deck = tmp_path / "kb.apkg"
    export(kb, base, deck)
    import_deck(col, deck)
    export(kb, base, deck)
    result = import_deck(col, deck)
    assert (len(result.log.new), len(result.log.updated)) == (0, 0)


def test_root_deck_name_from_config(
    kb: Kb, base: Path, col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kbtool.toml").write_text(
        'notes = "notes"\n[export]\nanki_root = "Interview"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = kb("export", "anki")
    assert code == 0, err
    import_deck(col, tmp_path / "build" / "kb.apkg")
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Interview::nlp", "Interview::ml", "Interview::python"} <= names
    assert not any(name.startswith("kbtool") for name in names)


def test_removed_entries_are_reported_once(kb: Kb, base: Path, tmp_path: Path) -> None:
    deck = tmp_path / "kb.apkg"
    export(kb, base, deck)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kb.apkg",
        "notes",
    ]  # no file beside the deck
    (base / "python" / "gil.md").unlink()
    err = export(kb, base, tmp_path / "elsewhere.apkg")  # known from the project, not the path
    assert "what-is-gil is no longer in the base" in err
    assert "what-is-bleu is no longer" not in err
    assert "no longer" not in export(kb, base, deck)


def test_a_second_base_of_the_project_does_not_remove_the_first_ones_notes(
    kb: Kb, base: Path, tmp_path: Path
) -> None:
    """Two bases exported from one project folder (``make demo`` makes a second one):
    the second's export said that each of the first's notes was "no longer in the base;
    delete its note in Anki" (a public Chinese collection, then a Korean one: 847
    such lines), and following it would have deleted a deck's notes and their reviews."""
    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "export" / "study", other)
    export(kb, base, tmp_path / "kb.apkg")
    assert "no longer" not in export(kb, other, tmp_path / "other.apkg")
    assert "no longer" not in export(kb, base, tmp_path / "kb.apkg")
    (base / "python" / "gil.md").unlink()
    err = export(kb, base, tmp_path / "kb.apkg")
    assert [line for line in err.splitlines() if "no longer" in line] == [
        "note: what-is-gil is no longer in the base; delete its note in Anki "
        '(search "Id:what-is-gil")'
    ]


def _edit(base: Path, entry_id: str, text: str) -> None:
    path = next(p for p in base.rglob("*.md") if f"id: {entry_id}\n" in p.read_text())
    doc = entry_file.read(path)
    entry_file.write(path, doc.entry, doc.body + f"\n\n{text}")


def test_an_edit_reaches_anki_whatever_folder_the_deck_is_written_to(
    kb: Kb, base: Path, col: Collection, tmp_path: Path
) -> None:
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    folder_a.mkdir()
    folder_b.mkdir()
    export(kb, base, folder_a / "kb.apkg")
    import_deck(col, folder_a / "kb.apkg")
    note_id = col.find_notes('"Id:what-is-gil"')[0]

    _edit(base, "what-is-gil", "First edit.")
    export(kb, base, folder_a / "kb.apkg")
    result = import_deck(col, folder_a / "kb.apkg")
    assert [n.id.nid for n in result.log.updated] == [note_id]
    assert "First edit." in col.get_note(note_id)["Answer"]

    _edit(base, "what-is-gil", "Second edit.")
    export(kb, base, folder_b / "kb.apkg")
    result = import_deck(col, folder_b / "kb.apkg")
    assert [n.id.nid for n in result.log.updated] == [note_id]
    assert len(result.log.duplicate) == len(ENTRY_FILES) - 1  # the others did not change
    assert "Second edit." in col.get_note(note_id)["Answer"]
    assert not list(folder_a.glob("*.json")) and not list(folder_b.glob("*.json"))


def test_ids_are_stable_hashes_of_names() -> None:
    assert stable_id("kbtool::nlp") == stable_id("kbtool::nlp")
    assert stable_id("kbtool::nlp") != stable_id("kbtool::ml")
    assert 1 << 30 <= stable_id("x") < 1 << 31


def test_changed_image_gets_a_new_media_name(
    kb: Kb, base: Path, col: Collection, tmp_path: Path
) -> None:
    deck = tmp_path / "kb.apkg"
    image = base / "nlp" / "img" / "bleu-diagram.png"
    export(kb, base, deck)
    import_deck(col, deck)
    before = set(os.listdir(col.media.dir()))
    image.write_bytes(image.read_bytes() + b"changed")
    export(kb, base, deck)
    import_deck(col, deck)
    (new,) = set(os.listdir(col.media.dir())) - before
    assert f'src="{new}"' in col.get_note(col.find_notes('"Id:what-is-bleu"')[0])["Answer"]


LIVE = FIXTURES / "export" / "anki-live"


def test_audio_tags_and_active_mathjax_stay_plain_text_in_a_real_collection(
    kb: Kb, col: Collection, tmp_path: Path
) -> None:
    """``[sound:…]`` would play a media file and MathJax's ``\\href``, ``\\style``,
    ``\\cssId``, ``\\class``, ``\\unicode``, ``\\require`` would act; in the imported note
    they are text, and the formula itself still renders."""
    deck = tmp_path / "kb.apkg"
    export(kb, LIVE, deck)
    import_deck(col, deck)
    note = col.get_note(col.find_notes('"Id:anki-live"')[0])
    for value in note.fields:
        assert "[sound:" not in value.lower()
        for macro in ("href", "style", "cssId", "class", "unicode", "require"):
            assert f"\\{macro}" not in value.replace("\\href stays", "")
    assert "&#91;sound:alarm.mp3]" in note["Question"]
    assert "\\frac{a}{b}" in note["Answer"] and "\\text{href}" in note["Answer"]
    assert "\\href stays as written" in note["Answer"]
    assert not col.media.check().missing  # no audio tag asks for a file
