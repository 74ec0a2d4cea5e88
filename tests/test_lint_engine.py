"""The lint engine: whole-base index in pre-commit mode, the facts cache, suppression,
per-file ignores, ``--fix``, exit codes, output format choice and parallel analysis.

Every test copies ``tests/fixtures/lint/engine/base`` (a clean three-entry base whose
``notes/ml/legacy.md`` has a dead link silenced by ``per-file-ignores``) into a temp
folder and changes it the way the test needs.
"""

from __future__ import annotations

import marshal
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtool import config as kb_config
from kbtool.lint.cache import CACHE_DIR
from kbtool.lint.linter import lint
from kbtool.store import signed_cache
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
LINK_RULES = ["broken-link", "broken-anchor", "missing-asset", "duplicate-id"]


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "lint" / "engine" / "base", root)
    monkeypatch.chdir(root)
    return root


def _names(result_problems: list[object]) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.name) for p in result_problems]  # type: ignore[attr-defined]


def test_clean_base_passes(base: Path, kb: Runner) -> None:
    code, out, err = kb("lint", "--select", ",".join(LINK_RULES))
    assert (code, out) == (0, "")
    assert "3 file(s) checked: 0 error(s)" in err


def test_single_file_is_checked_against_the_whole_base(base: Path, kb: Runner) -> None:
    """Pre-commit passes only bleu.md; its link into unchanged rouge.md still resolves,
    and breaks as soon as rouge.md's heading is renamed (cache or not)."""
    assert kb("lint", "notes/nlp/bleu.md")[0] == 0
    rouge = base / "notes" / "nlp" / "rouge.md"
    rouge.write_text(
        rouge.read_text(encoding="utf-8").replace("## Метрика ROUGE", "## Метрика ROUGE-L")
    )
    code, out, _ = kb("lint", "notes/nlp/bleu.md")
    assert code == 1
    assert out.startswith("notes/nlp/bleu.md:13:31: error KB102 broken-link")
    assert 'has no heading or anchor "#метрика-rouge"; did you mean "#метрика-rouge-l"?' in out
    assert "rouge.md:" not in out  # only the given file is reported


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
@pytest.mark.parametrize(
    ("link", "column", "message"),
    [
        (
            "[ROUGE](rouge.md#метрика-rouge)",
            31,
            'has no heading or anchor "#метрика-rouge"; did you mean "#метрика-rouge-l"?',
        ),
        ("[[rouge#Метрика ROUGE]]", 31, 'has no heading "Метрика ROUGE"'),
    ],
    ids=["link", "wikilink"],
)
def test_renamed_heading_breaks_links_from_unchanged_files(
    base: Path, link: str, column: int, message: str, cache: bool
) -> None:
    """Pre-commit passes only the changed rouge.md: renaming its heading breaks the link
    in unchanged bleu.md, and that is reported there (its other links are not checked)."""
    config = kb_config.load(base)
    bleu = base / "notes" / "nlp" / "bleu.md"
    rouge = base / "notes" / "nlp" / "rouge.md"
    bleu.write_text(
        bleu.read_text(encoding="utf-8")
        .replace("[ROUGE](rouge.md#метрика-rouge)", link)
        .replace("[[rouge]]", "[[rouge]] [нет](missing.md)")
    )
    assert _names(lint(config, [rouge], use_cache=cache).problems) == []
    rouge.write_text(
        rouge.read_text(encoding="utf-8").replace("## Метрика ROUGE", "## Метрика ROUGE-L")
    )
    found = lint(config, [rouge], use_cache=cache).problems
    assert _names(found) == [("notes/nlp/bleu.md", 13, "broken-link")]
    assert found[0].column == column
    assert message in found[0].message
    rouge.write_text(
        rouge.read_text(encoding="utf-8").replace("## Метрика ROUGE-L", "## Метрика ROUGE")
    )
    assert lint(config, [rouge], use_cache=cache).problems == []


def test_cache_is_used_invalidated_and_safe_to_delete(base: Path) -> None:
    config = kb_config.load(base)
    first = lint(config)
    cache_file = base / CACHE_DIR / "lint.marshal"
    assert cache_file.is_file()
    assert (base / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    stamp = cache_file.stat().st_mtime_ns
    assert lint(config).problems == first.problems
    assert cache_file.stat().st_mtime_ns == stamp  # nothing changed, nothing rewritten
    bleu = base / "notes" / "nlp" / "bleu.md"
    bleu.write_text(bleu.read_text(encoding="utf-8") + "\n[x](#nowhere)\n", encoding="utf-8")
    assert [p.name for p in lint(config).problems] == ["broken-anchor"]
    shutil.rmtree(base / CACHE_DIR)
    assert [p.name for p in lint(config).problems] == ["broken-anchor"]


def test_config_change_invalidates_the_cache(base: Path) -> None:
    assert lint(kb_config.load(base)).problems == []
    (base / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    found = lint(kb_config.load(base)).problems
    assert _names(found) == [("notes/ml/legacy.md", 13, "broken-link")]


def test_new_and_deleted_files_are_seen_with_a_warm_cache(base: Path) -> None:
    config = kb_config.load(base)
    assert lint(config).files == 3
    (base / "notes" / "nlp" / "rouge.md").unlink()
    found = lint(config)
    assert found.files == 2
    assert {p.name for p in found.problems} == {"broken-link"}


@pytest.mark.parametrize(
    ("comment", "reported"),
    [
        ("<!-- kbtool: disable-next-line -->", False),
        ("<!-- kbtool: disable-next-line=KB101 -->", False),
        ("<!-- kbtool: disable-next-line=broken-anchor, missing-answer -->", False),
        ("<!-- kbtool: disable-next-line=missing-answer -->", True),
        ("<!-- kbtool: disable=broken-anchor -->", False),
    ],
)
def test_inline_suppression(base: Path, comment: str, reported: bool) -> None:
    bleu = base / "notes" / "nlp" / "bleu.md"
    bleu.write_text(
        bleu.read_text(encoding="utf-8") + f"\n{comment}\n[x](#nowhere)\n", encoding="utf-8"
    )
    found = lint(kb_config.load(base), select=["broken-anchor"]).problems
    assert bool(found) is reported


def test_fix_is_atomic_idempotent_and_keeps_the_rest(base: Path, kb: Runner) -> None:
    doc = base / "notes" / "nlp" / "bleu.md"
    original = doc.read_bytes().replace(b"\n", b"\r\n")
    broken = original.replace("## Формула".encode(), "## Формула\r\n\r\n[f](#Формула)".encode())
    doc.write_bytes(broken)
    code, out, err = kb("lint", "--fix", "notes/nlp/bleu.md")
    assert (code, out) == (0, "")
    assert "fixed 1 problem(s)" in err
    fixed = doc.read_bytes()
    assert fixed == broken.replace("(#Формула)".encode(), "(#формула)".encode())  # CRLF kept
    assert not list(doc.parent.glob(".*.tmp"))
    assert kb("lint", "--fix", "notes/nlp/bleu.md")[0] == 0
    assert doc.read_bytes() == fixed


def test_exit_codes_and_strict(base: Path, kb: Runner) -> None:
    doc = base / "notes" / "nlp" / "bleu.md"
    doc.write_text(
        doc.read_text(encoding="utf-8") + "\n- [Формула](#метрика)\n\n<a id=метрика>Другое</a>\n",
        encoding="utf-8",
    )
    assert kb("lint", "--select", "toc-mismatch")[0] == 0  # warnings only
    assert kb("lint", "--select", "toc-mismatch", "--strict")[0] == 1
    assert kb("lint", "--select", "no-such-rule")[0] == 2
    shutil.copy(FIXTURES / "bad" / "invalid-utf8.md", base / "notes" / "nlp" / "bad.md")
    code, _out, err = kb("lint")
    assert code == 2
    assert "bad.md" in err


def test_github_format_is_picked_on_github_actions(
    base: Path, kb: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (base / "kbtool.toml").write_text('notes = "notes"\n', encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = kb("lint", "--select", "broken-link")
    assert code == 1
    assert out.startswith("::error ")
    code, out, _ = kb("lint", "--select", "broken-link", "--format", "text")
    assert out.startswith("notes/ml/legacy.md:13:")


def test_parallel_analysis_matches_serial(base: Path) -> None:
    topic = base / "notes" / "gen"
    topic.mkdir()
    template = (base / "notes" / "nlp" / "rouge.md").read_text(encoding="utf-8")
    for n in range(220):
        text = template.replace("id: rouge", f"id: gen-{n}").replace("ROUGE?", f"ROUGE {n}?")
        text = text.replace("bleu.md#формула", "../nlp/bleu.md#формула")
        if n % 50 == 0:
            text += "\n[broken](../nlp/bleu.md#нет-такого)\n"
        (topic / f"gen-{n}.md").write_text(text, encoding="utf-8")
    config = kb_config.load(base)
    serial = lint(config, use_cache=False, jobs=1)
    parallel = lint(config, use_cache=False, jobs=2)
    assert parallel.problems == serial.problems
    assert [p.line for p in serial.problems] == [17] * 5


def test_warm_result_follows_files_outside_the_index(base: Path) -> None:
    """An unchanged base re-uses the last findings, unless a probed path changed: here
    a missing picture and a missing document outside the base appear."""
    bleu = base / "notes" / "nlp" / "bleu.md"
    bleu.write_text(
        bleu.read_text(encoding="utf-8") + "\n![new](../assets/new.png) [doc](../../docs/x.md)\n",
        encoding="utf-8",
    )
    config = kb_config.load(base)
    assert [p.name for p in lint(config).problems] == ["missing-asset", "broken-link"]
    assert [p.name for p in lint(config).problems] == ["missing-asset", "broken-link"]
    (base / "notes" / "assets" / "new.png").write_bytes(b"png")
    assert [p.name for p in lint(config).problems] == ["broken-link"]
    (base / "docs").mkdir()
    (base / "docs" / "x.md").write_text("# X\n", encoding="utf-8")
    assert lint(config).problems == []


def _save_by_rename(path: Path, text: str) -> None:
    """Save the way editors, git and ``sed -i`` do: a new file renamed over the old."""
    tmp = path.with_name(path.name + ".swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_cache_delta_keeps_every_change(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few changed files go to the delta file, not a rewrite of the whole cache; every
    run sees the latest state, a broken delta is ignored, and a big delta is folded in."""
    config = kb_config.load(base)
    assert lint(config).problems == []
    main = base / CACHE_DIR / "lint.marshal"
    delta = base / CACHE_DIR / "lint.delta.marshal"
    stamp = main.stat().st_mtime_ns
    bleu = base / "notes" / "nlp" / "bleu.md"
    text = bleu.read_text(encoding="utf-8")
    _save_by_rename(bleu, text + "\n[x](#nowhere)\n")
    assert [p.name for p in lint(config).problems] == ["broken-anchor"]
    assert delta.is_file() and main.stat().st_mtime_ns == stamp
    assert [p.name for p in lint(config, [bleu]).problems] == ["broken-anchor"]
    _save_by_rename(bleu, text)
    assert lint(config).problems == []
    delta.write_bytes(b"not marshal")
    assert lint(config).problems == []
    monkeypatch.setattr("kbtool.lint.cache._DELTA_MAX", 0)
    _save_by_rename(bleu, text + "\n[y](#elsewhere)\n")
    assert [p.name for p in lint(config).problems] == ["broken-anchor"]
    assert not delta.exists() and main.stat().st_mtime_ns != stamp
    assert [p.name for p in lint(config).problems] == ["broken-anchor"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("status: answered", "status: maybe", ["schema-error"]),
        ("title: ", "title: Renamed — ", []),
        ("id: bleu", "id: rouge", ["duplicate-id", "duplicate-id"]),
    ],
)
def test_front_matter_edits_are_checked_after_body_edits(
    base: Path, old: str, new: str, expected: list[str]
) -> None:
    """Body edits re-use the front matter validated before (same text, same result);
    any change to the front matter itself is validated again."""
    config = kb_config.load(base)
    bleu = base / "notes" / "nlp" / "bleu.md"
    text = bleu.read_text(encoding="utf-8")
    assert old in text
    assert lint(config).problems == []
    _save_by_rename(bleu, text + "\nМожно добавить пример.\n")
    assert lint(config, [bleu]).problems == []
    _save_by_rename(bleu, text.replace(old, new, 1))
    assert sorted(p.name for p in lint(config).problems) == expected


def test_file_list_follows_files_added_renamed_and_removed(base: Path) -> None:
    """The cached file list is refreshed in the folders whose mtime changed."""
    config = kb_config.load(base)
    assert lint(config).files == 3
    nlp = base / "notes" / "nlp"
    (nlp / "meteor.md").write_text(
        (nlp / "rouge.md").read_text(encoding="utf-8").replace("id: rouge", "id: meteor"),
        encoding="utf-8",
    )
    assert lint(config).files == 4
    os.rename(nlp / "meteor.md", nlp / "meteor-2.md")
    found = lint(config)
    assert found.files == 4
    assert {(p.path, p.name) for p in found.problems} == {
        ("notes/nlp/meteor-2.md", "duplicate-question"),  # the same title as rouge.md
        ("notes/nlp/rouge.md", "duplicate-question"),
    }
    (base / "notes" / "cv").mkdir()
    (base / "notes" / "cv" / "draft.md").write_text("no front matter\n", encoding="utf-8")
    assert ("notes/cv/draft.md", "schema-error") in {
        (p.path, p.name) for p in lint(config).problems
    }
    (base / "notes" / "cv" / "draft.md").unlink()
    (nlp / "meteor-2.md").unlink()
    assert lint(config).files == 3


def test_fix_leaves_a_file_edited_meanwhile_alone(
    base: Path, kb: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person saves the file between lint's read and the fixing: its fix offsets no
    longer point where they did, so the file is left as the person wrote it (exit 2)."""
    from kbtool.lint import incremental

    doc = base / "notes" / "nlp" / "bleu.md"
    broken = doc.read_text("utf-8").replace("## Формула", "## Формула\n\n[f](#Формула)")
    doc.write_text(broken, "utf-8")
    edited = broken.replace("## Формула", "A paragraph the person added.\n\n## Формула", 1)
    real_records = incremental.records

    def records_then_edit(*args: object, **kwargs: object) -> object:
        found = real_records(*args, **kwargs)  # type: ignore[arg-type]
        doc.write_text(edited, "utf-8")  # the person's save, after lint has read the file
        return found

    monkeypatch.setattr(incremental, "records", records_then_edit)
    code, _out, err = kb("lint", "--fix", "--no-cache", "notes/nlp/bleu.md")
    assert code == 2
    assert "changed while kbtool was linting it" in err and "bleu.md" in err
    assert doc.read_text("utf-8") == edited


@pytest.mark.parametrize("forge", ["unsigned", "wrong-mac", "junk"])
def test_a_lint_cache_not_written_by_this_user_is_ignored(base: Path, forge: str) -> None:
    """A ``.kbtool-cache/`` that came with a clone cannot hide findings: here it says
    the base is clean, for exactly the current state, but is not signed by this user."""
    config = kb_config.load(base)
    bleu = base / "notes" / "nlp" / "bleu.md"
    bleu.write_text(bleu.read_text(encoding="utf-8") + "\n[x](#nowhere)\n", encoding="utf-8")
    assert [p.name for p in lint(config).problems] == ["broken-anchor"]
    cache_file = base / CACHE_DIR / "lint.marshal"
    stored = signed_cache.load(cache_file)
    assert stored is not None  # what lint wrote is signed
    key, token, entries, listing, (state, _problems, probes) = stored
    clean = marshal.dumps((key, token, entries, listing, (state, [], probes)))
    forged = {
        "unsigned": clean,
        "wrong-mac": b"KBC2" + b"\0" * 32 + clean,
        "junk": b"\x00\xff" * 64,
    }[forge]
    cache_file.write_bytes(forged)
    (base / CACHE_DIR / "lint.delta.marshal").unlink(missing_ok=True)
    assert [p.name for p in lint(config).problems] == ["broken-anchor"]
    assert signed_cache.load(cache_file) is not None  # rewritten, signed


def test_an_unchanged_rerun_uses_the_stored_findings_after_a_probed_folder_changed(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the findings depended on changed (a file was added to the project
    folder, whose names the letter-case check reads) but the findings did not: the run
    after that stores the new stamp, so later unchanged runs take the stored findings
    instead of linting the base every time."""
    from kbtool.lint.cache import LISTING

    config = kb_config.load(base)
    first = lint(config).problems
    stored = signed_cache.load(base / CACHE_DIR / "lint.marshal")
    assert stored is not None
    assert LISTING + str(base) in stored[-1][2]  # the project folder's names are probed
    (base / "README.md").write_text("# Notes\n", encoding="utf-8")
    assert lint(config).problems == first  # linted again: a probed folder changed

    _forbid_linting(monkeypatch)
    assert lint(config).problems == first


def test_the_first_rerun_after_a_cold_run_uses_the_stored_findings(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cold run makes ``.kbtool-cache/`` in the project folder before it probes that
    folder, so the run right after it finds nothing changed."""
    assert not (base / CACHE_DIR).exists()
    config = kb_config.load(base)
    first = lint(config).problems

    _forbid_linting(monkeypatch)
    assert lint(config).problems == first


def test_a_file_made_and_removed_beside_the_notes_changes_nothing(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor's swap file made and removed in the project folder changes the
    folder's mtime, not its names: the stored findings still stand."""
    config = kb_config.load(base)
    first = lint(config).problems
    swap = base / ".README.md.swp"
    swap.write_text("x", encoding="utf-8")
    swap.unlink()
    os.utime(base, ns=(1_000_000_000, 1_000_000_000))

    _forbid_linting(monkeypatch)
    assert lint(config).problems == first


def _forbid_linting(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on a lint run must take the stored findings."""
    from kbtool.lint import linter

    def no_rules(*args: object, **kwargs: object) -> None:
        raise AssertionError("the base was linted again")

    monkeypatch.setattr(linter, "_run_rules", no_rules)
