"""Links to a heading of a note that became an entry of its own: lecture notes are split
into one entry per section, so ``[[Note#Heading]]`` and ``[text](#heading)`` must lead
to the entry that heading became, not to the note's first entry (a real vault of 173
notes had 110 such links broken, and 13 anchors)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from kbtool.store import entry_file
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
NOTE = FIXTURES / "import" / "lecture" / "Week 7 - Neural networks.md"


def test_links_to_a_section_lead_to_its_entry_and_lint_is_clean(kb: Runner, tmp_path: Path) -> None:
    code, _out, err = kb("import", NOTE, "--notes", tmp_path / "kb")
    assert code == 0, err
    entries = {e.entry.title: e.body for e in map(entry_file.read, (tmp_path / "kb").rglob("*.md"))}
    body = entries["Linear models"]
    assert re.search(r"\[See below\]\(activation-functions\.md\)", body), body
    assert re.search(r"\[an activation\]\(activation-functions\.md\)", body), body
    below = entries["Activation functions"]  # [[#Linear models|the score]]: a note's own heading
    assert re.search(r"\[the score\]\(linear-models\.md\)", below), below
    code, out, _err = kb("lint", "--notes", tmp_path / "kb", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_links_to_a_grouping_heading_lead_to_the_first_entry_below_it(
    kb: Runner, tmp_path: Path
) -> None:
    """ "## Precision and recall" only groups "### Precision" and "### Recall": it is no
    entry, so ``[[Note#Precision and recall]]`` and ``(#precision-and-recall)`` lead to
    the first entry below it (the real vault had 5 such links broken)."""
    code, _out, err = kb(
        "import", FIXTURES / "import" / "lecture" / "grouping", "--notes", tmp_path / "kb"
    )
    assert code == 0, err
    found = {e.entry.title: e for e in map(entry_file.read, (tmp_path / "kb").rglob("*.md"))}
    precision = Path(str(found["Precision"].path)).name
    assert f"[Precision and recall]({precision})" in found["Exam prep"].body
    assert f"[both measures]({precision})" in found["Recall"].body
    code, out, _err = kb("lint", "--notes", tmp_path / "kb", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
