"""``lint --fix`` writes its edits and nothing else: a file's BOM and each line's own
ending (LF, CRLF or a lone CR, mixed in one file) stay as they were."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kbtool.lint.fixer import apply, fix_file
from kbtool.lint.problem import Fix
from kbtool.store.text import decode

_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
_LINE = st.text(alphabet="ab #[]()ё", max_size=12)


def _endings(data: bytes) -> list[bytes]:
    return re.findall(rb"\r\n|\r|\n", data)


@given(
    lines=st.lists(st.tuples(_LINE, _ENDINGS), min_size=1, max_size=8),
    bom=st.booleans(),
    picks=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 12), st.integers(0, 12))),
    replacement=st.text(alphabet="xyzЖ", max_size=4),
)
@settings(max_examples=300, deadline=None)  # a loaded machine is no bug
def test_fix_keeps_every_line_ending_and_the_bom(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[str, str]],
    bom: bool,
    picks: list[tuple[int, int, int]],
    replacement: str,
) -> None:
    # a lone CR then a line ending in LF: emptying that line would join them into one CRLF,
    # which reads as one line ending; no fix can keep both, so such files are left out
    assume(not any(a[1] == "\r" and b[1] == "\n" for a, b in itertools.pairwise(lines)))
    raw = ("\ufeff" if bom else "") + "".join(text + end for text, end in lines)
    path = tmp_path_factory.mktemp("fix") / "a.md"
    path.write_bytes(raw.encode("utf-8"))
    text = decode(raw.encode("utf-8"), "a.md")
    # spans inside one line of the decoded text (what the rules' fixes are)
    offsets, pos = [], 0
    for line_text, _end in lines:
        offsets.append((pos, len(line_text)))
        pos += len(line_text) + 1
    fixes = []
    for index, a, b in picks:
        start, length = offsets[index % len(offsets)]
        lo, hi = sorted((min(a, length), min(b, length)))
        fixes.append(Fix(start + lo, start + hi, replacement, "test"))
    expected, count = apply(text, fixes)
    assert fix_file(path, "a.md", fixes) == (count if expected != text else 0)
    after = path.read_bytes()
    assert decode(after, "a.md") == expected
    assert _endings(after) == _endings(raw.encode("utf-8"))
    assert after.startswith(b"\xef\xbb\xbf") == bom
