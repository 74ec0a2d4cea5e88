"""A big source of plain paragraphs (no heading, no question): one note holding every
paragraph, read with one parse per text (the detection prefix shared by the importers
that read it, no parse where no picture can be)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

from kbtool.importers import detect, registry
from kbtool.importers.sniff import PREFIX_CHARS, markdown_prefix
from kbtool.markdown import document
from kbtool.store import entry_file

Runner = Callable[..., tuple[int, str, str]]
WORDS = [
    "the",
    "model",
    "data",
    "value",
    "error",
    "training",
    "feature",
    "weight",
    "loss",
    "gradient",
    "layer",
    "sample",
]


def _paragraphs(chars: int, seed: int = 7) -> str:
    """Plain paragraphs of 4-14 words, one blank line apart, ``chars`` long or a little more."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
        out.append(words.capitalize() + ".")
        size += len(out[-1]) + 2
    return "\n\n".join(out) + "\n"


def test_a_big_file_of_plain_paragraphs_is_one_note_holding_them_all(
    kb: Runner, tmp_path: Path
) -> None:
    text = _paragraphs(PREFIX_CHARS + 65536)  # past the detection prefix
    source = tmp_path / "essay.md"
    source.write_text(text, encoding="utf-8")
    code, _out, err = kb(
        "import", source, "--notes", tmp_path / "kb", "--report", tmp_path / "r.json"
    )
    assert code == 0, err
    [written] = (tmp_path / "kb").rglob("*.md")
    doc = entry_file.read(written)
    assert doc.entry.kind == "note"
    assert doc.body.strip() == text.strip()
    [src] = json.loads((tmp_path / "r.json").read_text("utf-8"))["sources"]
    assert src["format"] == "markdown"
    units = [u for e in src["entries"] for u in e["units"]]
    units += [u for d in src["dropped"] for u in d["units"]]
    assert sorted(units) == list(range(1, text.count("\n") + 1))


def test_importers_that_read_the_detection_prefix_share_its_parse(tmp_path: Path) -> None:
    """A prefix cut between paragraphs ends in one newline, as the lines read back from
    it do: the Q&A and the one-question-per-file detection parse it once."""
    text = _paragraphs(PREFIX_CHARS + 5000, seed=8)
    prefix = markdown_prefix(text)
    assert prefix is not None and prefix.endswith(".\n") and text.startswith(prefix)
    path = tmp_path / "essay.md"
    document._tokens.cache_clear()
    for name in ("qa-markdown", "question-file"):
        detect.fit(registry.get(name), text, path)
    assert document._tokens.cache_info().misses == 1
