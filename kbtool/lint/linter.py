"""Run the rules over files and collect problems; the core of ``kbtool lint``.

Two kinds of rules: ``check(doc, context)`` sees one document (findings cached by
content), ``check_base(context)`` sees the index of the whole base (links between
files, duplicates) and runs once. The index always covers the whole base, even when
only a few files are linted (pre-commit passes just the changed ones), and files that
link into those are checked too. This is the engine: rules, suppression (in one
place) and fixes; which files need analysis, the cache and the worker processes are
:mod:`kbtool.lint.incremental`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbtool.config import Config
from kbtool.errors import InputError, UsageError
from kbtool.lint import incremental
from kbtool.lint.cache import FactsCache
from kbtool.lint.config import LintSettings
from kbtool.lint.config import settings as read_settings
from kbtool.lint.context import LintContext
from kbtool.lint.document import PlainProblem
from kbtool.lint.index import BaseIndex, FileRecord, StoredFiles
from kbtool.lint.problem import Fix, Problem, Severity
from kbtool.lint.rule import Rule
from kbtool.lint.rules import BASE_RULES, RULES
from kbtool.lint.rules import select as select_names
from kbtool.lint.suppress import matches, suppressed
from kbtool.paths import is_inside, shown
from kbtool.store.discover import discover


@dataclass(eq=False, repr=False)  # mutable: compared by identity
class LintResult:
    problems: list[Problem] = field(default_factory=list)
    input_errors: list[InputError] = field(default_factory=list)
    files: int = 0
    fixed: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    chosen = [rule for s in select for rule in select_names(s)] if select else list(RULES.values())
    ignored = {rule.CODE for i in ignore for rule in select_names(i)}
    return [rule for rule in chosen if rule.CODE not in ignored]


def targets(config: Config, paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to lint, each with whether it must be an entry (it lies in the base)."""
    base = config.notes.resolve()
    given = list(paths)
    if not given:
        if not config.notes.is_dir():
            raise UsageError(
                f"notes folder {shown(config.notes)} does not exist",
                hint="pass --notes DIR or create it with `kbtool new`",
            )
        return [(p, True) for p in discover(config.notes, config.exclude)]
    out: list[tuple[Path, bool]] = []
    for path in given:
        if path.is_dir():
            out.extend((p, is_inside(p, base)) for p in discover(path, config.exclude))
        elif path.exists():
            out.append((path, is_inside(path, base) and path.suffix == ".md"))
        else:
            raise UsageError(f"{path}: {_not_there(path)}")
    return out


def _not_there(path: Path) -> str:
    """Why a path given to lint names nothing: a symbolic link that leads nowhere is
    said so (``exists()`` is False for it, as for a path never made)."""
    import errno

    if not path.is_symlink():
        return "no such file or folder"
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link in a loop (it leads back to itself); fix or remove it"
    return "a symbolic link to nothing (what it points to is missing); fix or remove it"


# ----------------------------------------------------------------------------- records


def _problem(display: str, plain: tuple[Any, ...]) -> Problem:
    p = PlainProblem._make(plain)
    return Problem(
        display,
        p.line,
        p.column,
        p.code,
        p.name,
        Severity(p.severity),
        p.message,
        Fix(*p.fix) if p.fix else None,
    )


# ----------------------------------------------------------------------------- the run


def lint(
    config: Config,
    paths: Iterable[Path] = (),
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    fix: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
) -> LintResult:
    """Lint ``paths`` (default: the whole base) against the index of the whole base."""
    lint_settings = read_settings(config)
    rules = select_rules(
        list(select) or list(lint_settings.select), [*lint_settings.ignore, *ignore]
    )
    codes = {rule.CODE for rule in rules}
    for _glob, names in lint_settings.per_file_ignores:
        for name in names:
            select_names(name)
    paths = list(paths)
    cache = None
    if use_cache:
        cache = FactsCache(
            config.root, f"{lint_settings.fingerprint()}:{config.notes}:{config.exclude}"
        )
        cache.load()
    cwd = os.getcwd()
    base_files = incremental.base_files(config, cache, paths)
    files: dict[str, bool] = dict.fromkeys(base_files, True)
    target_names: dict[str, str] = {}
    prefix = cwd.rstrip(os.sep) + os.sep
    if not paths:  # the whole base: no per-file path objects (10,000 files)
        for name in base_files:
            target_names[name] = name[len(prefix) :] if name.startswith(prefix) else name
    for path, expect_entry in targets(config, paths) if paths else []:
        name = os.path.abspath(path)
        files[name] = files.get(name, False) or expect_entry
        target_names[name] = shown(path, cwd)
    few = cache is not None and len(target_names) <= _FEW
    records = incremental.records(
        cache,
        files,
        config,
        lint_settings,
        workers=jobs or incremental.cpus(),
        wanted=target_names if few else (),
    )

    result = LintResult(files=len(target_names))
    roots = tuple(os.path.normpath(os.path.abspath(p)) for p in paths if p.is_dir())
    state = (
        incremental.state(records, target_names, codes, cache, cwd, roots)
        if cache is not None
        else ""
    )
    cached = cache.cached_result(state) if cache is not None else None
    if cached is not None and not fix:
        result.problems = [_problem(p[0], p[1:]) for p in cached]
        # a file that could not be read was analyzed in this run (never cached)
        for name, record in records.fresh.items():
            if record.read_error and name in target_names:
                result.input_errors.append(InputError(record.read_error))
        if cache is not None:
            cache.save()
        return result
    context = _run_rules(
        records, target_names, codes, rules, config, lint_settings, result, few, roots
    )
    result.problems = _once_per_heading(_unsuppressed(result.problems, context, config))
    result.problems.sort()
    if cache is not None:
        if not result.input_errors:
            cache.set_result(state, [_plain_problem(p) for p in result.problems], context.probes)
        cache.save()
    if fix:
        fixed = _apply_fixes(result.problems, context, records)
        if fixed:
            again = lint(
                config, paths, select=select, ignore=ignore, use_cache=use_cache, jobs=jobs
            )
            again.fixed = fixed
            return again
    return result


# Up to this many files linked (a pre-commit run), the index reads the cache's main file
# where a rule looks instead of decoding every record of the base.
_FEW = 50


def _run_rules(
    records: incremental.Records,
    target_names: dict[str, str],
    codes: set[str],
    rules: list[Rule],
    config: Config,
    lint_settings: LintSettings,
    result: LintResult,
    few: bool,
    roots: tuple[str, ...] = (),
) -> LintContext:
    """Cached per-file findings of the targets, then the cross-file rules on the index."""
    base = os.path.abspath(config.notes)
    snapshot = records.cache.snapshot if records.cache is not None else None
    index = BaseIndex(root=Path(base))
    if few and snapshot is not None and snapshot.searchable:
        index.stored = StoredFiles(records, snapshot, base)
        # in memory: what changed since the main file was written
        found = {n: r for n, r in records.fresh.items() if n not in index.stored}
    else:
        found = records.materialize()
    context = LintContext(config, lint_settings, index, roots=roots)
    for name in target_names:
        if name not in found:
            record = records.get(name)
            if record is not None:
                found[name] = record
    for name, record in found.items():
        display = target_names.get(name)
        if record.read_error is not None:
            if name in target_names:
                result.input_errors.append(InputError(record.read_error))
            continue
        file_record = None
        if index.stored is not None and name in index.stored:
            file_record = index.stored.get(name)
            if file_record is not None:
                file_record._display = display
        if file_record is None:
            file_record = FileRecord.of(name, display, record)
        if name in target_names:
            context.targets[name] = file_record
            result.problems.extend(
                _problem(file_record.display, p) for p in record.problems if p[2] in codes
            )
        if _in_base_name(name, base) and (index.stored is None or name not in index.stored):
            index.add(file_record)
    index.order = records.files
    if len(context.targets) < len(index):
        context.incoming = linking_into(context)
    chosen = {rule.CODE for rule in rules}
    for base_rule in BASE_RULES:
        if base_rule.CODE in chosen:
            result.problems.extend(base_rule.check_base(context))
    return context


def _plain_problem(p: Problem) -> tuple[Any, ...]:
    fix = (p.fix.start, p.fix.end, p.fix.replacement, p.fix.description) if p.fix else None
    return (p.path, p.line, p.column, p.code, p.name, p.severity.value, p.message, fix)


def _in_base_name(name: str, base: str) -> bool:
    return name.startswith(base + os.sep)


# A question heading with nothing under it is both a question without answer and an
# empty section; the first says more (and is what to fix), so it is reported alone.
_SAID_BY = {"KB203": "KB201"}  # empty-section: missing-answer


def _once_per_heading(problems: list[Problem]) -> list[Problem]:
    """The findings less an empty-section one where missing-answer reports the same
    heading (same file and line). Applied after selection and suppression: with
    missing-answer ignored or suppressed there, the empty section is reported."""
    said = {(p.path, p.line, p.code) for p in problems if p.code in _SAID_BY.values()}
    return [
        p
        for p in problems
        if p.code not in _SAID_BY or (p.path, p.line, _SAID_BY[p.code]) not in said
    ]


def _unsuppressed(problems: list[Problem], context: LintContext, config: Config) -> list[Problem]:
    by_display = {r.display: r for r in (*context.targets.values(), *context.incoming.values())}
    root = config.root.resolve()
    out = []
    for problem in problems:
        record = by_display.get(problem.path)
        ignores: tuple[str, ...] = ()
        if record is not None and context.settings.per_file_ignores:
            try:
                relative = record.path.relative_to(root).as_posix()
            except ValueError:
                relative = record.path.as_posix()
            ignores = tuple(
                name
                for glob, names in context.settings.per_file_ignores
                if matches(relative, glob)
                for name in names
            )
        if not suppressed(problem, record.facts if record else None, ignores):
            out.append(problem)
    return out


def _apply_fixes(
    problems: list[Problem], context: LintContext, records: incremental.Records
) -> int:
    """Apply each file's fixes; a file edited since it was read is left alone, and named
    in an :class:`InputError` once the other files are fixed."""
    from kbtool.lint.fixer import StaleFile, fix_file

    by_display = {r.display: r for r in context.targets.values()}
    grouped: dict[str, list[Fix]] = {}
    for problem in problems:
        if problem.fix is not None and problem.path in by_display:
            grouped.setdefault(problem.path, []).append(problem.fix)
    fixed, stale = 0, []
    for display, fixes in grouped.items():
        path = by_display[display].path
        record = records.get(os.path.abspath(path))
        try:
            fixed += fix_file(path, display, fixes, record.digest if record else None)
        except StaleFile:
            stale.append(display)
    if stale:
        raise InputError(
            f"changed while kbtool was linting it; --fix left it alone ({fixed} fix(es) "
            "applied to other files)",
            path=", ".join(stale),
            hint="run kbtool lint --fix again",
        )
    return fixed


def linking_into(context: LintContext) -> dict[str, FileRecord]:
    """Indexed files, not linted themselves, that link with a ``#fragment`` into a target:
    a heading renamed or removed in a changed file breaks their links (pre-commit
    passes only the changed file). The cache keeps each file's outgoing fragment links
    (``Record.links_into``); this is their reverse."""
    from kbtool.lint.index import wikilink_names

    wanted: set[str] = set()
    for record in context.targets.values():
        wanted.add(record.file)
        wanted.update("[[" + n for n in wikilink_names(record.file, record.id, record.aliases))
    return {r.file: r for r in context.index.linking_into(wanted) if r.file not in context.targets}
