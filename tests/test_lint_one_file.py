"""Pre-commit mode reads the cache's columns and searchable texts instead of every
record of the base; it must find what a whole-base run finds, for the files it lints.

On a generated base (planted broken links, anchors and missing answers) with edits a
pre-commit run meets — a renamed heading other files link to, a title copied from
another entry, an id taken from another entry, a body edit, a new file — each file
linted alone with the cache must report exactly the whole-base findings for that
file, plus only whole-base findings of the files linking into it; the same without a
cache; and a damaged records file only costs reading files again.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kbtool import config as kb_config
from kbtool.lint.cache import CACHE_DIR
from kbtool.lint.linter import lint
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_corpus import generate

Found = set[tuple[str, int, int, str, str]]


def _found(problems: list[object]) -> Found:
    return {(p.path, p.line, p.column, p.name, p.message) for p in problems}  # type: ignore[attr-defined]


def _edit(base: Path) -> list[Path]:
    """Edits of a working day; the files they touch."""
    notes = sorted((base / "notes").rglob("*.md"))
    texts = {p: p.read_text(encoding="utf-8") for p in notes}
    # a heading that other files link to, renamed
    target, linked = next(
        (p, heading)
        for p in notes
        for heading in ["Определение", "Пример", "Формулы"]
        if any(f"{p.name}#{heading.lower()}" in t for q, t in texts.items() if q != p)
        and f"## {heading}\n" in texts[p]
    )
    target.write_text(texts[target].replace(f"## {linked}\n", f"## {linked} (new)\n", 1))
    # a title copied from another entry, nearly (a duplicate question)
    first, second = notes[3], notes[4]
    title = re.search(r"^title: (.*)$", texts[first], re.M)
    assert title is not None
    second.write_text(
        re.sub(r"^title: .*$", f"title: {title.group(1)[:-2]}'", texts[second], count=1, flags=re.M)
    )
    # an id taken from another entry
    third = notes[5]
    other_id = re.search(r"^id: (.*)$", texts[notes[6]], re.M)
    assert other_id is not None
    third.write_text(
        re.sub(r"^id: .*$", f"id: {other_id.group(1)}", texts[third], count=1, flags=re.M)
    )
    # a body edit, and a new file linking into the renamed heading's file
    notes[7].write_text(texts[notes[7]] + "\nДобавлено.\n")
    new = target.with_name("new-note.md")
    new.write_text(
        texts[notes[8]].replace("\nid: ", "\nid: new-", 1)
        + f"\n[see]({target.name}#{linked.lower()})\n",
        encoding="utf-8",
    )
    return [target, second, third, notes[6], notes[7], new]


@pytest.mark.parametrize("seed", [3])
def test_one_file_runs_find_what_the_whole_base_run_finds(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path, 80, seed=seed)
    monkeypatch.chdir(tmp_path)
    config = kb_config.load(tmp_path)
    lint(config)  # the cache every later run starts from
    planted = sorted({tmp_path / path for path, _, _ in corpus.planted})
    touched = _edit(tmp_path)
    whole = _found(lint(config, use_cache=False).problems)
    assert {name for *_, name, _ in whole} >= {"duplicate-id", "duplicate-question"}
    for path in [*touched, *planted[:6]]:
        shown = path.relative_to(tmp_path).as_posix()
        alone = _found(lint(config, [path]).problems)
        assert alone == _found(lint(config, [path], use_cache=False).problems), shown
        assert {p for p in alone if p[0] == shown} == {p for p in whole if p[0] == shown}, shown
        assert alone <= whole, shown
    renamed = touched[0].relative_to(tmp_path).as_posix()
    incoming = _found(lint(config, [touched[0]]).problems) - {p for p in whole if p[0] == renamed}
    assert any(p[0].endswith("new-note.md") for p in incoming), "a link into the renamed heading"
    assert _found(lint(config).problems) == whole


def test_a_damaged_records_file_means_reading_the_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path, 40, seed=1)
    monkeypatch.chdir(tmp_path)
    config = kb_config.load(tmp_path)
    want = _found(lint(config).problems)
    records = tmp_path / CACHE_DIR / "lint.records"
    data = bytearray(records.read_bytes())
    for at in range(100, len(data), 997):  # a byte in many records
        data[at] ^= 0xFF
    records.write_bytes(bytes(data))
    for path, _, _ in corpus.planted[:3]:
        alone = _found(lint(config, [tmp_path / path]).problems)
        assert alone == {p for p in want if p[0] == path}
    assert _found(lint(config).problems) == want


@pytest.mark.parametrize("threshold", [0.0, 60.0, 90.0, 95.0, 100.0])
def test_titles_left_unscored_could_not_reach_the_threshold(threshold: float) -> None:
    """The exhaustive matcher (a few files linted) scores with rapidfuzz only the keys
    that pass its length and letter-count bounds; it must find what scoring every key
    finds, on titles and their near variants (a letter dropped, added or changed), once
    both are judged by :func:`same_question`."""
    import random

    from rapidfuzz import fuzz, process

    from kbtool.lint.facts import question_key
    from kbtool.lint.similar import SimilarQuestions, same_question

    rng = random.Random(11)
    words = [
        "что",
        "такое",
        "bert",
        "attention",
        "градиент",
        "спуск",
        "ёлка",
        "ошибка",
        "loss",
        "the",
        "of",
        "a",
    ]
    titles = [" ".join(rng.choices(words, k=rng.randint(1, 7))) + "?" for _ in range(300)]
    variants: list[str] = []
    for title in titles[:100]:
        at = rng.randrange(len(title))
        variants += [title[:at] + title[at + 1 :], title[:at] + "ы" + title[at:]]
    keys = [k for k in dict.fromkeys(question_key(t) for t in titles + variants) if k]
    matcher = SimilarQuestions(keys, threshold, exhaustive=True)
    for key in keys[:150]:
        every = process.extract(
            key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
        )
        want = [m[0] for m in every if m[0] != key and same_question(key, m[0])]
        assert sorted(matcher.similar(key)) == sorted(want)


@pytest.mark.parametrize("threshold", [0.0, 60.0, 90.0, 95.0, 100.0])
def test_the_letters_signatures_keep_every_key_that_could_reach_the_threshold(
    threshold: float,
) -> None:
    """A pre-commit run offers rapidfuzz only the stored keys that pass the length and
    letters-signature bounds (``may_reach_signed``); on titles, near variants, repeated
    letters (counts past the cap) and characters of other scripts that share a class,
    the matches are those of every key."""
    import random

    from kbtool.lint.cache import _join
    from kbtool.lint.facts import question_key
    from kbtool.lint.similar import (
        _may_reach,
        letters_signature,
        may_reach_signed,
        similar_among,
    )

    rng = random.Random(7)
    # "ё" is U+0451 and "Q" U+0051: one class (mod 64), so a count can stand for both
    words = ["что", "такое", "bert", "ёлка", "Qёq", "loss", "the", "a", "12", "тест", "ааааах"]
    titles = [" ".join(rng.choices(words, k=rng.randint(1, 6))) + "?" for _ in range(300)]
    for title in titles[:100]:
        at = rng.randrange(len(title))
        titles += [title[:at] + title[at + 1 :], title[:at] + "ы" + title[at:]]
    keys = [question_key(t) for t in titles] + [""]
    joined = _join([k] for k in keys)
    assert joined is not None
    text, starts = joined[0], joined[1].tolist()
    signatures = [letters_signature(k) for k in keys]
    every = [k for k in dict.fromkeys(keys) if k]
    for key in every[:150]:
        near = may_reach_signed(key, signatures, starts, threshold)
        assert [text[starts[i] : starts[i + 1] - 1] for i in near] == [keys[i] for i in near]
        offered = {keys[i] for i in near}
        assert set(_may_reach(key, every, threshold)) <= offered
        shortlist = [k for k in dict.fromkeys(keys[i] for i in near) if k]
        assert sorted(similar_among(key, shortlist, threshold)) == sorted(
            similar_among(key, every, threshold)
        )
