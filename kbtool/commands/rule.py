"""``kbtool rule``: print one lint rule's documentation."""

from __future__ import annotations

import click

from kbtool.commands.help import epilog
from kbtool.errors import ExitCode

EXAMPLES = ("kbtool rule KB103", "kbtool rule missing-answer")


@click.command("rule", epilog=epilog(EXAMPLES))
@click.argument("code_or_name", metavar="CODE|NAME")
def command(code_or_name: str) -> int:
    """Explain one lint rule: what it finds, why, examples and options."""
    from kbtool.lint.rules import lookup

    module = lookup(code_or_name)
    click.echo((module.__doc__ or "").strip())
    return ExitCode.OK
