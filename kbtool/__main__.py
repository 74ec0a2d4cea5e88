"""The ``kbtool`` command (and ``python -m kbtool``): start the CLI.

What must begin before the CLI's imports begins here: a lint run forks the child
that stats the base's files meanwhile (:mod:`kbtool.lint.prestat`), so that work
overlaps importing click, markdown-it-py and the rules instead of following it.
"""

from __future__ import annotations

import sys


def main() -> None:
    if _lint_with_cache(sys.argv[1:]):
        from kbtool.lint import prestat

        prestat.start()
    from kbtool.cli import main as cli_main

    cli_main()


def _lint_with_cache(args: list[str]) -> bool:
    """``kbtool lint …`` that reads the cache (not its help)."""
    return args[:1] == ["lint"] and not {"--no-cache", "-h", "--help"} & set(args)


if __name__ == "__main__":
    main()
