"""``kbtool stats``: figures checked against the fixture files, counted here on their own."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from rapidfuzz import fuzz

from kbtool.model import schema_files as schemas
from tests.conftest import FIXTURES

Kb = Callable[..., tuple[int, str, str]]
BASES = [FIXTURES / "export" / "study", FIXTURES / "export" / "base"]
THRESHOLD = 95


def front_matters(base: Path) -> list[dict[str, Any]]:
    """Every entry's front matter, read with PyYAML alone."""
    out = []
    for path in sorted(base.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        out.append(yaml.safe_load(text.split("---\n")[1]))
    return out


def near_duplicates(entries: list[dict[str, Any]]) -> set[str]:
    """Every pair compared (no index): the oracle for the indexed matcher."""

    def key(title: str) -> str:
        return " ".join(sorted(re.findall(r"\w+", title.lower().replace("ё", "е"))))

    found: set[str] = set()
    for a, b in itertools.combinations(entries, 2):
        if fuzz.token_sort_ratio(key(a["title"]), key(b["title"])) >= THRESHOLD:
            found.update({a["id"], b["id"]})
    return found


def expected_counts(entries: list[dict[str, Any]], repeated: set[str]) -> dict[str, Any]:
    answered = sum(e["status"] == "answered" for e in entries)
    difficulty = Counter(e.get("difficulty", "unset") for e in entries)
    return {
        "entries": len(entries),
        "answered": answered,
        "drafts": sum(e["status"] == "draft" for e in entries),
        "answered_share": round(answered / len(entries), 4),
        "by_difficulty": {d: difficulty[d] for d in ("easy", "medium", "hard", "unset")},
        "by_source": dict(sorted(Counter(e["source"]["kind"] for e in entries).items())),
        "near_duplicates": sum(e["id"] in repeated for e in entries),
    }


@pytest.mark.parametrize("base", BASES, ids=lambda p: p.name)
def test_json_counts_the_files(kb: Kb, base: Path) -> None:
    code, out, err = kb("stats", "--notes", base, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    jsonschema.Draft202012Validator(schemas.load_schema("stats")).validate(report)
    entries = front_matters(base)
    repeated = near_duplicates(entries)
    assert report["total"] == expected_counts(entries, repeated)
    topics = sorted({e["topic"] for e in entries})
    assert [t["topic"] for t in report["topics"]] == topics
    for figures in report["topics"]:
        topic = figures.pop("topic")
        assert figures == expected_counts([e for e in entries if e["topic"] == topic], repeated)
    assert report["skipped"] == 0 and report["duplicate_threshold"] == THRESHOLD


def test_near_duplicates_are_what_lint_reports(kb: Kb) -> None:
    base = BASES[0]
    code, out, _ = kb("lint", "--notes", base, "--select", "KB202", "--format", "json")
    flagged = {p["path"] for p in json.loads(out)}
    assert code == 0 and flagged  # the fixture has a near-duplicate pair
    stats = json.loads(kb("stats", "--notes", base, "--format", "json")[1])
    assert stats["total"]["near_duplicates"] == len(flagged)


def test_table_has_a_row_per_topic_and_the_total(kb: Kb) -> None:
    code, out, _ = kb("stats", "--notes", BASES[0])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["topic", "entries", "answered", "drafts"]
    rows = {line.split()[0]: line.split() for line in lines[2:] if not line.startswith("-")}
    entries = front_matters(BASES[0])
    assert set(rows) == {e["topic"] for e in entries} | {"total"}
    assert rows["total"][1] == str(len(entries))


def test_unreadable_files_are_counted_as_skipped(kb: Kb) -> None:
    code, out, err = kb("stats", "--notes", FIXTURES / "export" / "broken", "--format", "json")
    assert code == 0
    assert json.loads(out)["skipped"] == 1
    assert re.search(r"warning: skipped \S+\.md:7: ", err), err


def test_a_bad_threshold_is_a_config_error(
    kb: Kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.kbtool]\nnotes = "notes"\n'
        '[tool.kbtool.lint.duplicate-question]\nthreshold = "high"\n'
    )
    code, _, err = kb("stats")
    assert code == 2
    assert "threshold" in err and "traceback" not in err.lower()


def test_help_has_a_purpose_and_examples(kb: Kb) -> None:
    code, out, _ = kb("stats", "--help")
    assert code == 0
    assert "Count entries, answered share" in out and "Examples:" in out
    assert "kbtool stats --format json" in out
