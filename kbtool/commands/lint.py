"""``kbtool lint``: check the base or the given files."""

from __future__ import annotations

from pathlib import Path

import click

from kbtool.commands.options import load_config, notes_option, split_list
from kbtool.errors import ExitCode


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Only these rules (codes or names; repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rules (codes or names; repeatable).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@notes_option
def command(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    strict: bool,
    notes: Path | None,
) -> int:
    """Check the base (default) or the given files and folders."""
    from kbtool.lint.formatters import FORMATTERS
    from kbtool.lint.linter import lint as run_lint

    cfg = load_config(notes)
    result = run_lint(cfg, paths, select=split_list(select), ignore=split_list(ignore))
    click.echo(FORMATTERS[output_format](result.problems), nl=False)
    for error in result.input_errors:
        click.echo(f"error: {error}", err=True)
    click.echo(
        f"{result.files} file(s) checked: {result.errors} error(s), "
        f"{result.warnings} warning(s), {len(result.input_errors)} unreadable",
        err=True,
    )
    if result.input_errors:
        return ExitCode.USAGE
    if result.errors or (strict and result.warnings):
        return ExitCode.FINDINGS
    return ExitCode.OK
