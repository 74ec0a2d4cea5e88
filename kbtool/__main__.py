"""The ``kbtool`` command (and ``python -m kbtool``): start the CLI.

What must begin before the CLI's imports begins here: a lint run forks the child
that stats the base's files meanwhile (:mod:`kbtool.lint.prestat`), so that work
overlaps importing click, markdown-it-py and the rules instead of following it.
"""

from __future__ import annotations

import sys

# Python's cyclic collector runs every 700 new container objects: a lint run's start-up
# (its imports, then the cache's 10,000 records) spent 2-3% of its instructions
# on collections that free nothing. Every 10,000 saves most of that, memory bounded.
GC_THRESHOLD = (10_000, 20, 20)


def main() -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLD)
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
