"""``kbtool rules``: list the lint rules, one line each."""

from __future__ import annotations

import click

from kbtool.commands.help import epilog
from kbtool.errors import ExitCode

EXAMPLES = ("kbtool rules", "kbtool rules | grep warning")


@click.command("rules", epilog=epilog(EXAMPLES))
def command() -> int:
    """List the lint rules: code, name, severity and what each finds."""
    from kbtool.lint.rules import RULES

    for code, module in RULES.items():
        summary = (module.__doc__ or "").strip().splitlines()[0]
        click.echo(
            f"{code}  {module.NAME:<22} {module.SEVERITY.value:<8} "
            f"{summary.split(':', 1)[-1].strip()}"
        )
    return ExitCode.OK
