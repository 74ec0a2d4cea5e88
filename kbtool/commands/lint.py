"""``kbtool lint``: check the base or the given files."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kbtool.commands.help import epilog
from kbtool.commands.options import load_config, notes_option, split_list
from kbtool.errors import ExitCode

EXAMPLES = (
    "kbtool lint",
    "kbtool lint notes/nlp/bleu.md --format github",
    "kbtool lint --select KB1,missing-answer --strict",
    "kbtool lint --fix",
    "kbtool lint --format sarif --notes notes",
)


@click.command("lint", epilog=epilog(EXAMPLES))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Only these rules (codes or names; repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rules (codes or names; repeatable).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default=None,
    help="Output format (default: text; github when GITHUB_ACTIONS=true).",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what is left.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write .kbtool-cache/.")
@notes_option
def command(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str | None,
    fix: bool,
    strict: bool,
    no_cache: bool,
    notes: Path | None,
) -> int:
    """Check the base, or the files and folders given, against the rules.

    Exit 0: no errors (warnings are listed); 1: errors, or warnings with --strict;
    2: a file could not be read.
    """
    from kbtool.lint.formatters import FORMATTERS
    from kbtool.lint.linter import lint as run_lint

    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    cfg = load_config(notes)
    scope = None
    if paths and notes is None:
        from kbtool.config import lint_scope

        cfg, scope = lint_scope(cfg, paths)
    result = run_lint(
        cfg,
        paths,
        select=split_list(select),
        ignore=split_list(ignore),
        fix=fix,
        use_cache=not no_cache,
    )
    click.echo(FORMATTERS[output_format](result.problems), nl=False)
    if result.fixed:
        click.echo(f"fixed {result.fixed} problem(s)", err=True)
    for error in result.input_errors:
        click.echo(f"error: {error}", err=True)
    if scope is not None:
        click.echo(scope, err=True)
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
