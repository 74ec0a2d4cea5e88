"""Property tests over generated notes: import and lint never crash, --fix edits only its
spans, re-import and re-fix change nothing, and the heading slugger is idempotent."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kbtool import config as kb_config
from kbtool.errors import KbError
from kbtool.importers import pipeline
from kbtool.importers import settings as import_settings
from kbtool.importers.registry import IMPORTERS
from kbtool.lint.fixer import apply
from kbtool.lint.linter import lint
from kbtool.markdown.slugger import slug

# every importer of text (the other two read Telegram's JSON and HTML exports): one added
# to the registry is tried here without a change
FORMATS = [name for name in IMPORTERS if name not in {"telegram-json", "telegram-html"}]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
words = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)
inline = st.one_of(
    words,
    words.map(lambda w: f"**{w}**"),
    words.map(lambda w: f"`{w}`"),
    words.map(lambda w: f"${w}$"),
    words.map(lambda w: f"[{w}](#{w})"),
    words.map(lambda w: f"![{w}](../{w}.png)"),
    st.sampled_from(["<b>", "</i>", "$$", "```", "---", "\\", "|", "*", "_", "#", ">", "- "]),
)
lines = st.one_of(
    st.lists(inline, max_size=6).map(" ".join),
    st.tuples(st.sampled_from(["# ", "## ", "- ", "1. ", "> ", "Q: ", "A: ", "    "]), words).map(
        "".join
    ),
    st.text(chars, max_size=40),
    st.integers(1, 9).map(lambda n: f"Question {n}"),  # a PDF's question label
)
markdown = st.lists(lines, max_size=25).map("\n".join)
yaml_values = st.one_of(
    words,
    st.sampled_from(["[a, b]", "{x: 1}", "2024-01-01", "null", "&a x", "*a", "!!str x", "'", "|"]),
)
front_matter = st.dictionaries(
    st.sampled_from(["id", "kind", "title", "topic", "tags", "lang", "status", "source", "x"]),
    yaml_values,
    max_size=9,
).map(lambda d: "---\n" + "".join(f"{k}: {v}\n" for k, v in d.items()) + "---\n")


@st.composite
def telegram_export(draw: st.DrawFn) -> str:
    messages = []
    for number in range(draw(st.integers(0, 8))):
        text = draw(
            st.one_of(
                st.text(chars, max_size=60),
                st.lists(
                    st.one_of(
                        st.text(chars, max_size=20),
                        st.fixed_dictionaries(
                            {
                                "type": st.sampled_from(["bold", "code", "link", "hashtag", "pre"]),
                                "text": st.text(chars, max_size=20),
                            }
                        ),
                    ),
                    max_size=4,
                ),
            )
        )
        messages.append(
            {
                "id": number + 1,
                "type": draw(st.sampled_from(["message", "service"])),
                "date": f"2024-01-0{draw(st.integers(1, 9))}T10:00:00",
                "text": text,
            }
        )
    return json.dumps({"name": "chan", "type": "public_channel", "messages": messages})


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def import_once(root: Path, source: Path, fmt: str) -> pipeline.ImportReport:
    request = pipeline.ImportRequest(
        sources=[source],
        notes=root / "notes",
        settings=import_settings.load({}),
        cwd=root,
        fmt=fmt,
        today=dt.date(2024, 1, 1),
    )
    return pipeline.run(request)


@SETTINGS
@given(text=markdown, fmt=st.sampled_from(FORMATS))
@example(text="Q:0\n# 0\n0", fmt="qa-markdown")  # two same-titled questions: re-import order
@example(text="[0](#0)", fmt="telegram-text")  # a title's link moved into an empty body: a draft
def test_import_never_crashes_and_reimport_is_idempotent(text: str, fmt: str) -> None:
    with folder() as root:
        source = root / "raw.md"
        source.write_text(text, "utf-8")
        first = import_once(root, source, fmt)
        if first.errors:  # a typed message instead of entries is fine; a crash is not
            assert all("raw.md" in error for error in first.errors)
            return
        before = {p: p.read_bytes() for p in (root / "notes").rglob("*.md")}
        second = import_once(root, source, fmt)
        assert second.summary.created == second.summary.updated == 0
        assert {p: p.read_bytes() for p in (root / "notes").rglob("*.md")} == before


@SETTINGS
@given(data=telegram_export())
def test_telegram_json_import_never_crashes(data: str) -> None:
    with folder() as root:
        source = root / "result.json"
        source.write_text(data, "utf-8")
        report = import_once(root, source, "telegram-json")
        assert all("result.json" in error for error in report.errors)


@SETTINGS
@given(head=front_matter, body=markdown)
def test_lint_never_crashes(head: str, body: str) -> None:
    with folder() as root:
        (root / "notes" / "t").mkdir(parents=True)
        (root / "notes" / "t" / "a.md").write_text(head + body, "utf-8")
        with suppress(KbError):  # a typed, reportable error is an answer, not a crash
            lint(kb_config.load(root), use_cache=False, jobs=1)


HEADER = (
    "---\nid: a\nkind: note\ntitle: A\ntopic: t\nlang: en\nstatus: answered\n"
    "source:\n  kind: manual\ncreated: 2024-01-01\nupdated: 2024-01-01\n---\n"
)
titles = st.lists(
    st.sampled_from(["Gradient", "Descent", "Градиент", "Спуск", "Big", "O"]),
    min_size=1,
    max_size=3,
)
filler = st.text(st.characters(categories=("L", "N", "Zs"), exclude_characters="#"), max_size=30)


@st.composite
def fixable(draw: st.DrawFn) -> str:
    """Headings, links to them in the wrong case or with spaces (fixable), random text."""
    heads = draw(st.lists(titles.map(" ".join), min_size=1, max_size=3, unique=True))
    parts = [f"# {h}\n\n{draw(filler)}\n" for h in heads]
    for _ in range(draw(st.integers(1, 4))):
        h = draw(st.sampled_from(heads))
        link = draw(st.sampled_from([f"<#{h}>", f"#{h.replace(' ', '-')}", f"#{slug(h)}"]))
        parts.append(f"{draw(filler)} [see]({link}) {draw(filler)}\n")
    return HEADER + "\n".join(parts)


@SETTINGS
@given(text=fixable())
def test_fix_changes_only_its_spans_and_is_idempotent(text: str) -> None:
    with folder() as root:
        path = root / "notes" / "t" / "a.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, "utf-8")
        config = kb_config.load(root)
        found = lint(config, use_cache=False, jobs=1).problems
        fixes = [p.fix for p in found if p.fix is not None]
        expected, _count = apply(text, fixes)
        lint(config, fix=True, use_cache=False, jobs=1)
        assert path.read_text("utf-8") == expected  # outside the fix spans: byte for byte
        again = lint(config, fix=True, use_cache=False, jobs=1)
        assert again.fixed == 0 and path.read_text("utf-8") == expected
        assert all(p.fix is None for p in again.problems)


@settings(max_examples=200)
@given(text=st.text(chars, max_size=40))
def test_slug_is_idempotent(text: str) -> None:
    """GitHub's slug (lower-case, drop punctuation, spaces to '-') is a fixed point."""
    once = slug(text)
    assert slug(once) == once
