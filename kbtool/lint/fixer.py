"""Apply safe fixes: non-overlapping ``Fix(start, end, replacement)`` edits, atomically.

Everything outside the edited spans stays byte for byte; overlapping fixes are left
for the next run (the linter re-lints after fixing, so they show up again).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kbtool.lint.problem import Fix
from kbtool.store import atomic
from kbtool.store.text import read_text


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """``text`` with every fix that does not overlap an earlier one; and how many applied."""
    chosen: list[Fix] = []
    last_end = -1
    for fix in sorted(set(fixes), key=lambda f: (f.start, f.end)):
        if fix.start < last_end or fix.end > len(text) or fix.start > fix.end:
            continue
        chosen.append(fix)
        last_end = fix.end
    out: list[str] = []
    pos = 0
    for fix in chosen:
        out.append(text[pos : fix.start])
        out.append(fix.replacement)
        pos = fix.end
    out.append(text[pos:])
    return "".join(out), len(chosen)


def fix_file(path: Path, display: str, fixes: list[Fix]) -> int:
    """Rewrite ``path`` with its fixes applied (only when something changes)."""
    text = read_text(path, display)
    new, count = apply(text, fixes)
    if new == text:
        return 0
    raw = path.read_bytes()
    data = new.replace("\n", "\r\n") if b"\r\n" in raw else new
    prefix = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    atomic.write_text(path, prefix + data)
    return count
