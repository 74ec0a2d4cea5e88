"""What a lint run compiles before it reads a file.

A pre-commit run lints one file, so its start-up is most of its time. ``re`` compiles a
character class of a wide range (Han, Hangul) by walking every letter in it, 2-3 ms
each: such a pattern belongs in a function compiled on first use (see
``kbtool/lint/rules/toc_mismatch.py``), not at module level, where every run pays it.
"""

from __future__ import annotations

import json
import subprocess
import sys

WIDEST = 1_000  # letters in one range of a class compiled at import

# Every module a lint run imports, then the patterns compiled meanwhile: re keeps each
# in its cache with the pattern's text.
PROBE = """
import json, re, sys
from re import _constants as c, _parser as p
import kbtool.cli, kbtool.commands.lint, kbtool.lint.linter, kbtool.lint.rules

def widest(items):
    most = 0
    for op, av in items:
        if op is c.IN:
            most = max([most] + [hi - lo for kind, (lo, hi) in
                       ((k, v) for k, v in av if k is c.RANGE)])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            most = max(most, widest(av[2]))
        elif op is c.SUBPATTERN:
            most = max(most, widest(av[3]))
        elif op is c.BRANCH:
            most = max([most] + [widest(branch) for branch in av[1]])
        elif op in (c.ASSERT, c.ASSERT_NOT):
            most = max(most, widest(av[1]))
    return most

found = {}
for kind, pattern, flags in list(re._cache):
    if isinstance(pattern, str):
        found[pattern] = widest(p.parse(pattern, flags))
json.dump(found, sys.stdout)
"""


def test_no_wide_character_class_is_compiled_at_import() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert found, "the probe saw no pattern: re's cache is not where it looks"
    wide = {pattern: width for pattern, width in found.items() if width > WIDEST}
    assert not wide, (
        "compiled at import with a range of more than 1,000 letters (compile these on "
        f"first use): {wide}"
    )
