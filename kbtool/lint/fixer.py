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
    for fix in sorted(set(fixes), key=lambda f: (f.start, f.end, f.replacement)):
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


def fix_file(path: Path, display: str, fixes: list[Fix], expected: str | None = None) -> int:
    """Rewrite ``path`` with its fixes applied (only when something changes).

    Fix offsets count characters of the decoded text (BOM dropped, every CRLF or lone
    CR read as one LF); they are mapped back onto the file as it is, so its BOM and
    each line's own ending, CRLF, CR or LF, stay byte for byte. ``expected`` is the
    digest of the bytes the fixes were computed from: a file edited since then is left
    alone (its offsets no longer point where they did) and :class:`StaleFile` raised.
    """
    from kbtool.lint.document import digest_of

    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if expected is not None and digest_of(data) != expected:
        raise StaleFile(display)
    text = read_text(path, display)
    new, count = apply(text, fixes)
    if new == text:
        return 0
    raw = data.decode("utf-8")  # read_text succeeded: it decodes
    prefix = "\ufeff" if raw.startswith("\ufeff") else ""
    body = raw[len(prefix) :]
    if "\r" not in body:
        atomic.write_text(path, prefix + new)
        return count
    atomic.write_text(path, prefix + _apply_raw(body, text, fixes))
    return count


class StaleFile(Exception):
    """A file changed between the lint run that found its fixes and the fixing."""

    def __init__(self, display: str) -> None:
        super().__init__(display)
        self.display = display


def _apply_raw(raw: str, text: str, fixes: list[Fix]) -> str:
    """:func:`apply` on ``raw`` (the undecoded newlines) with offsets of ``text``."""
    starts = _raw_offsets(raw)
    newline = "\r\n" if raw.count("\r\n") * 2 > raw.count("\n") else "\n"
    moved = [
        Fix(starts[f.start], starts[f.end], f.replacement.replace("\n", newline), f.description)
        for f in fixes
        if 0 <= f.start <= f.end <= len(text)
    ]
    return apply(raw, moved)[0]


def _raw_offsets(raw: str) -> list[int]:
    """For each offset of the decoded text (and its end), the offset in ``raw``."""
    starts: list[int] = []
    i = 0
    while i < len(raw):
        starts.append(i)
        i += 2 if raw.startswith("\r\n", i) else 1
    starts.append(len(raw))
    return starts
