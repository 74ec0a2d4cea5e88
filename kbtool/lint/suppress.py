"""Suppression in one place: inline comments and per-file ignores from the config.

``<!-- kbtool: disable-next-line=missing-answer,KB101 -->`` silences those rules on
the next line (no list: every rule); ``<!-- kbtool: disable=rule -->`` anywhere in a
file silences the rule in the whole file. Rules never look at these; the linter
drops the problems they cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import PurePosixPath

from kbtool.lint.facts import Facts
from kbtool.lint.problem import Problem


def _covers(names: Iterable[str], problem: Problem) -> bool:
    """Whether a list of rules names ``problem``'s rule: ``*``, its code, its name, or a
    code prefix of three characters or more (``KB1``: the links family)."""
    return any(
        n == "*"
        or n.lower() == problem.name
        or (len(n) >= 3 and n.upper().startswith("KB") and problem.code.startswith(n.upper()))
        for n in names
    )


def suppressed(problem: Problem, facts: Facts | None, file_ignores: tuple[str, ...]) -> bool:
    """True when a comment in the file or a per-file ignore covers ``problem``."""
    if file_ignores and _covers(file_ignores, problem):
        return True
    if facts is None:
        return False
    if facts.suppress_file is not None and _covers(facts.suppress_file, problem):
        return True
    return any(
        line == problem.line and _covers(names, problem) for line, names in facts.suppress_lines
    )


def matches(relative: str, pattern: str) -> bool:
    """Glob match of a root-relative posix path; ``**`` spans folders, a folder matches inside."""
    path = PurePosixPath(relative)
    pattern = pattern.rstrip("/")
    if fnmatch(relative, pattern) or path.match(pattern):
        return True
    return relative.startswith(pattern + "/")
