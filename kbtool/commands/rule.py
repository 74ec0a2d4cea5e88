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
    from kbtool.lint.options import describe
    from kbtool.lint.rules import lookup

    rule = lookup(code_or_name)
    click.echo((rule.__doc__ or "").strip())
    settings = describe(rule.Options, f"[tool.kbtool.lint.{rule.NAME}]")
    if settings:
        click.echo("\n" + settings)
    return ExitCode.OK
