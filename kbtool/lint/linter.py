"""Run the rules over files and collect problems; the core of ``kbtool lint``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from kbtool.config import Config
from kbtool.errors import InputError, UsageError
from kbtool.lint import document
from kbtool.lint.problem import Problem, Severity
from kbtool.lint.rules import RULES, lookup
from kbtool.store.discover import discover


@dataclass
class LintResult:
    problems: list[Problem] = field(default_factory=list)
    input_errors: list[InputError] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[ModuleType]:
    chosen = [lookup(s) for s in select] if select else list(RULES.values())
    ignored = {lookup(i).CODE for i in ignore}
    return [rule for rule in chosen if rule.CODE not in ignored]


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def targets(config: Config, paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to lint, each with whether it must be an entry (it lies in the base)."""
    base = config.notes.resolve()
    given = list(paths)
    if not given:
        if not config.notes.is_dir():
            raise UsageError(
                f"notes folder {config.notes} does not exist",
                hint="pass --notes DIR or create it with `kbtool new`",
            )
        return [(p, True) for p in discover(config.notes, config.exclude)]
    out: list[tuple[Path, bool]] = []
    for path in given:
        if path.is_dir():
            out.extend((p, _in_base(p, base)) for p in discover(path, config.exclude))
        elif path.exists():
            out.append((path, _in_base(path, base) and path.suffix == ".md"))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return out


def _in_base(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base)
    except ValueError:
        return False
    return True


def lint(
    config: Config,
    paths: Iterable[Path] = (),
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> LintResult:
    rules = select_rules(select, ignore)
    result = LintResult()
    for path, expect_entry in targets(config, paths):
        doc = document.load(path, display_path(path), expect_entry=expect_entry)
        result.files += 1
        if doc.read_error is not None:
            result.input_errors.append(doc.read_error)
            continue
        for rule in rules:
            result.problems.extend(rule.check(doc, None))
    result.problems.sort()
    return result
