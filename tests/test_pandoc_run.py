"""pandoc as a bounded child: its memory cap and CPU limit name the input that was too
big, and the PDF leaves out only the entry pandoc gave up on.

Real pandoc throughout; the caps are made small here (``-M32m``, a one-second CPU
limit) so that a few kilobytes hit them in a second instead of the real 1 GB in
tens of seconds (the real caps are run by ``tests/test_bad_input.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtool.errors import InputError
from kbtool.export import pandoc_run, sheet_pandoc, typst_source
from kbtool.export.base import Selection
from kbtool.export.loader import load

SMALL_HEAP = ["--sandbox", "--quiet", "+RTS", "-M32m", "-RTS"]
LINKS = " ".join(f"[x{i}](#h)" for i in range(1000))  # pandoc's reader is superlinear here
LIST = "\n".join(f"- item {i} with **bold**, `code` and $x_{{{i}}}$" for i in range(3000))


def entry(entry_id: str, title: str, body: str) -> str:
    return (
        f"---\nid: {entry_id}\nkind: question\ntitle: {title}\ntopic: ml\nlang: en\n"
        "status: answered\nsource: {kind: manual}\ncreated: 2024-05-01\n"
        f"updated: 2024-05-01\n---\n\n{body}\n"
    )


def test_over_the_heap_cap_is_too_big() -> None:
    with pytest.raises(pandoc_run.PandocTooBig, match="more than 32 MB of memory"):
        pandoc_run.convert(LINKS, "json", "commonmark_x", SMALL_HEAP)
    assert '"blocks"' in pandoc_run.convert("# Fine", "json", "commonmark_x", SMALL_HEAP)


def test_over_the_cpu_limit_is_too_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc_run, "CPU_BASE", 1)
    monkeypatch.setattr(pandoc_run, "CPU_PER_MB", 0)
    links = " ".join(f"[x{i}](#h)" for i in range(3000))  # several seconds of CPU
    with pytest.raises(pandoc_run.PandocTooBig, match="more than 1 s of CPU time"):
        pandoc_run.convert(links, "json", "commonmark_x")


def test_any_other_failure_is_an_input_error_not_too_big() -> None:
    with pytest.raises(InputError, match="Unknown output format") as raised:
        pandoc_run.convert("# x", "no-such-format", "commonmark_x")
    assert not isinstance(raised.value, pandoc_run.PandocTooBig)


def test_each_alone_converts_a_failed_batch_item_by_item() -> None:
    calls: list[list[str]] = []

    def batch(items: list[str]) -> list[str]:
        calls.append(items)
        if "big" in items:
            raise pandoc_run.PandocTooBig("pandoc needs more than 1 GB of memory for it")
        return [item.upper() for item in items]

    def stand_in(item: str, error: pandoc_run.PandocTooBig) -> str:
        return f"<{item}: {error.message}>"

    got = pandoc_run.each_alone(batch, ["a", "big", "c"], stand_in)
    assert got == ["A", "<big: pandoc needs more than 1 GB of memory for it>", "C"]
    assert calls == [["a", "big", "c"], ["a"], ["big"], ["c"]]
    assert pandoc_run.each_alone(batch, ["a", "c"], stand_in) == ["A", "C"]  # one call
    calls.clear()
    big = "big" + "x" * pandoc_run.ALONE_FROM  # converted alone from the start: fails once
    got = pandoc_run.each_alone(batch, ["a", big, "c"], stand_in, size=len)
    assert got == ["A", big.upper(), "C"] and calls == [["a", "c"], [big]]
    calls.clear()
    got = pandoc_run.each_alone(batch, ["a", "big", big], stand_in, size=len)
    assert got[1].startswith("<big: ") and calls == [["a", "big"], ["a"], ["big"], [big]]


@pytest.fixture
def small_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_pandoc, "PANDOC_ARGS", SMALL_HEAP)


def _base(tmp_path: Path) -> Path:
    base = tmp_path / "notes"
    (base / "ml").mkdir(parents=True)
    (base / "ml" / "a.md").write_text(entry("a", "What is dropout?", "Zeroing units."), "utf-8")
    (base / "ml" / "big.md").write_text(entry("big", "Big list", LIST), "utf-8")
    (base / "ml" / "c.md").write_text(entry("c", "What is a GAN?", "See [dropout](a.md)."), "utf-8")
    return base


def test_an_entry_pandoc_gives_up_on_is_left_out_by_name(tmp_path: Path, small_heap: None) -> None:
    base = _base(tmp_path)
    documents = load(base, Selection()).documents
    cache: dict[str, typst_source.TypstRecord] = {}
    built = typst_source.build(base, documents, answers=True, cache=cache)
    assert built.warnings == [
        "ml/big.md: pandoc needs more than 32 MB of memory for it; left out of the PDF "
        "(split it into smaller entries, or put fewer links or list items in one paragraph)"
    ]
    assert "Zeroing units." in built.body and "#link(<a>)" in built.body
    assert "Big list" in built.body and "too large to convert" in built.body
    assert "item 2999" not in built.body
    left_out = [key for key, record in built.pieces.items() if "item" in record[0]]
    assert not left_out and len(cache) == len(built.pieces) == 3  # the topic, a and c
    again = typst_source.build(base, documents, answers=True, cache=cache)
    assert again.warnings == built.warnings, "not cached: said again on every export"


def test_an_entry_left_out_keeps_its_heading(tmp_path: Path, small_heap: None) -> None:
    """The entry pandoc gave up on keeps its heading and label, so the table of
    contents and links to it still work, and a note says why it has no answer."""
    base = _base(tmp_path)
    (base / "ml" / "d.md").write_text(entry("d", "See also", "The [big list](big.md)."), "utf-8")
    built = typst_source.build(base, load(base, Selection()).documents, answers=True)
    assert "== Big list\n<big>\n#emph[\\(left out of the PDF: too large to convert)]" in built.body
    assert "#link(<big>)[big list]" in built.body


def test_the_pandoc_pypandoc_binary_ships_is_run() -> None:
    """Found without asking pypandoc (which runs every candidate pandoc to pick one)."""
    import pypandoc

    pandoc_run.pandoc_path.cache_clear()
    found = Path(pandoc_run.pandoc_path())
    assert found == Path(pypandoc.__file__).parent / "files" / "pandoc"
    assert pandoc_run.convert("# Fine", "plain", "commonmark_x").strip() == "Fine"


def test_pypandoc_pandoc_names_another_pandoc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pypandoc's documented override still decides when it is set."""
    import pypandoc

    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    other = tmp_path / "my-pandoc"
    other.symlink_to(bundled)
    monkeypatch.setenv("PYPANDOC_PANDOC", str(other))
    pypandoc.clean_pandocpath_cache()
    pandoc_run.pandoc_path.cache_clear()
    try:
        assert pandoc_run.pandoc_path() == str(other)
    finally:
        monkeypatch.delenv("PYPANDOC_PANDOC")
        pypandoc.clean_pandocpath_cache()
        pandoc_run.pandoc_path.cache_clear()
