"""Property tests: the store round-trips any valid entry; ids are always valid slugs."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtool.model.entry import Entry
from kbtool.model.slugs import is_slug, make_id, make_slug
from kbtool.store import entry_file

slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() != "")
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    return Entry.model_validate(
        {
            "id": draw(slugs),
            "kind": draw(st.sampled_from(["question", "note"])),
            "title": draw(text),
            "topic": draw(slugs),
            "tags": draw(st.lists(slugs, max_size=4, unique=True)),
            "aliases": draw(st.lists(text, max_size=2)),
            "lang": draw(st.sampled_from(["ru", "en", "de"])),
            "status": draw(st.sampled_from(["answered", "draft"])),
            "source": {
                "kind": draw(st.sampled_from(["manual", "telegram-json", "qa-markdown"])),
                "ref": draw(st.none() | text),
                "file": draw(st.none() | text),
                "date": draw(st.none() | dates),
            },
            "created": draw(dates),
            "updated": draw(dates),
        }
    )


bodies = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00\u2028\u2029\x85"),
    max_size=300,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries(), bodies)
def test_render_then_parse_gives_the_same_entry(entry: Entry, body: str) -> None:
    text_out = entry_file.render(entry, body)
    doc = entry_file.parse(text_out, "prop.md")
    assert doc.entry == entry
    assert doc.body == body.strip("\n")
    assert entry_file.render(doc.entry, doc.body) == text_out  # byte-stable


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.sets(slugs, max_size=5))
def test_ids_are_slugs_and_avoid_taken(title: str, taken: set[str]) -> None:
    new_id = make_id(title, taken)
    assert is_slug(new_id)
    assert new_id not in taken
    assert make_id(title, taken) == new_id  # deterministic
    assert is_slug(make_slug(title))
