"""The shape every command's ``--help`` shares: a one-line purpose, then examples.

Examples are kept as data (``EXAMPLES`` of each command module) so a test can parse
each one against the command it documents; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence

HEADING = "Examples:"


def epilog(examples: Sequence[str]) -> str:
    r"""``--help``'s closing section: the examples, one a line.

    ``\b`` stops click from re-wrapping the example lines into one paragraph.
    """
    lines = "\n".join(f"  {example}" for example in examples)
    return f"{HEADING}\n\n\b\n{lines}"
