"""The parse cache keeps recent texts up to a number of characters, the newest always."""

from __future__ import annotations

from kbtool.markdown import document
from kbtool.markdown.cache import SMALLEST, ByContent


def test_the_oldest_texts_go_once_the_budget_is_spent() -> None:
    calls: list[str] = []
    cached = ByContent(lambda text: calls.append(text) or len(text), chars=3 * SMALLEST)
    texts = ["a" * SMALLEST, "b" * SMALLEST, "c" * SMALLEST]
    for text in texts:
        cached(text)
    cached(texts[0])  # still held: the budget holds three
    assert calls == texts
    cached("d" * SMALLEST)  # pushes out the least recently used: "b"
    cached(texts[0])
    cached(texts[1])
    assert calls == [*texts, "d" * SMALLEST, texts[1]]
    assert cached.cache_info().currsize <= 3 * SMALLEST


def test_a_text_over_the_budget_is_kept_until_the_next_one() -> None:
    calls: list[str] = []
    cached = ByContent(lambda text: calls.append(text) or len(text), chars=SMALLEST)
    big = "x" * (10 * SMALLEST)
    assert cached(big) == cached(big) == len(big)
    assert calls == [big] and cached.cache_info().hits == 1
    cached("small")
    assert len(calls) == 2 and cached.cache_info().currsize == SMALLEST


def test_a_file_outlives_the_headings_parsed_after_it() -> None:
    """What lru_cache(16) lost: a file's parse, after the parses of its headings."""
    document.parse.cache_clear()
    text = "".join(f"## Part {n}\n\nText {n}.\n\n" for n in range(40))
    first = document.parse(text)
    for n in range(40):
        document.parse(f"Part {n}")
    assert document.parse(text) is first
