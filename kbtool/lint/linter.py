"""Run the rules over files and collect problems; the core of ``kbtool lint``.

Two kinds of rules: ``check(doc, context)`` sees one document (findings cached by
content), ``check_base(context)`` sees the index of the whole base (links between
files, duplicates) and runs once. The index always covers the whole base, even when
only a few files are linted (pre-commit passes just the changed ones). Cold
analysis of many files uses every core; suppression is applied here, in one place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from kbtool.config import Config
from kbtool.errors import InputError, UsageError
from kbtool.lint import document
from kbtool.lint.cache import FactsCache
from kbtool.lint.config import LintSettings
from kbtool.lint.config import settings as read_settings
from kbtool.lint.context import LintContext
from kbtool.lint.index import BaseIndex, FileRecord
from kbtool.lint.problem import Fix, Problem, Severity
from kbtool.lint.rules import RULES, lookup
from kbtool.lint.suppress import matches, suppressed
from kbtool.parallel import exit_with_parent
from kbtool.paths import is_inside, shown
from kbtool.store.discover import discover, scan_folder

_PARALLEL_MIN = 200  # below this, starting worker processes costs more than it saves


@dataclass
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


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[ModuleType]:
    chosen = [lookup(s) for s in select] if select else list(RULES.values())
    ignored = {lookup(i).CODE for i in ignore}
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
            raise UsageError(f"{path}: no such file or folder")
    return out


# ----------------------------------------------------------------------------- analysis

_WORKER: dict[str, Any] = {}


def _init_worker(config: Config, lint_settings: LintSettings) -> None:
    _WORKER["context"] = LintContext(config, lint_settings)
    _WORKER["rules"] = [r for r in RULES.values() if hasattr(r, "check")]


def _init_pool_worker(parent: int, config: Config, lint_settings: LintSettings) -> None:
    exit_with_parent(parent)  # a killed lint (a pre-commit run stopped hard) leaves no worker
    _init_worker(config, lint_settings)


def _analyze(item: tuple[str, bool, Any]) -> tuple[str, int, int, tuple[Any, ...]]:
    """Worker: stat, read and analyze one file (plain data in, plain data out)."""
    name, expect_entry, known = item
    path = Path(name)
    try:
        stat = path.stat()
        raw = path.read_bytes()
    except OSError:
        stat, raw = None, b""
    doc = document.load(path, name, expect_entry=expect_entry, known=known)
    record = document.analyze(doc, _WORKER["rules"], _WORKER["context"], document.digest_of(raw))
    return name, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0, record


def _analyze_all(
    items: list[tuple[str, bool, Any]], config: Config, lint_settings: LintSettings, jobs: int
) -> list[tuple[str, int, int, tuple[Any, ...]]]:
    if jobs > 1 and len(items) >= _PARALLEL_MIN:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            jobs, initializer=_init_pool_worker, initargs=(os.getpid(), config, lint_settings)
        ) as pool:
            return list(pool.map(_analyze, items, chunksize=64))
    _init_worker(config, lint_settings)
    return [_analyze(item) for item in items]


def _records(
    cache: FactsCache | None,
    files: dict[str, bool],
    config: Config,
    lint_settings: LintSettings,
    *,
    jobs: int,
) -> dict[str, tuple[Any, ...]]:
    """Plain records of ``files`` (path -> must be an entry), from the cache when valid."""
    out: dict[str, tuple[Any, ...]] = {}
    todo: list[tuple[str, bool, Any]] = []
    for name, expect_entry in files.items():
        key = f"{int(expect_entry)}:{name}"
        hit = cache.get(key) if cache is not None else None
        known = hit[2][10] if hit is not None else None
        if hit is not None:
            try:
                stat = os.stat(name)
            except OSError:
                hit = None
            else:
                if (stat.st_mtime_ns, stat.st_size) != hit[:2]:
                    digest = _digest_file(name)
                    if digest == hit[2][0]:
                        assert cache is not None
                        cache.put(key, (stat.st_mtime_ns, stat.st_size, hit[2]))
                    else:
                        hit = None
        if hit is None:
            todo.append((name, expect_entry, known))
        else:
            out[name] = hit[2]
    for name, mtime, size, record in _analyze_all(todo, config, lint_settings, jobs):
        out[name] = record
        if cache is not None and record[8] is None:
            cache.put(f"{int(files[name])}:{name}", (mtime, size, record))
    if cache is not None:
        cache.prune({f"{int(e)}:{n}" for n, e in files.items()})
    return out


def _digest_file(name: str) -> str:
    try:
        return document.digest_of(Path(name).read_bytes())
    except OSError:
        return ""


def _file_record(name: str, display: str | None, plain: tuple[Any, ...]) -> FileRecord:
    _digest, is_entry, entry_id, title, title_line, aliases, facts, _p, _err, question = plain[:10]
    return FileRecord(
        name, display, is_entry, entry_id, title, tuple(aliases), facts, title_line, question
    )


def _problem(display: str, plain: tuple[Any, ...]) -> Problem:
    line, column, code, name, severity, message, fix = plain
    return Problem(
        display,
        line,
        column,
        code,
        name,
        Severity(severity),
        message,
        Fix(*fix) if fix else None,
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
            lookup(name)
    paths = list(paths)
    cache = None
    if use_cache:
        cache = FactsCache(
            config.root, f"{lint_settings.fingerprint()}:{config.notes}:{config.exclude}"
        )
        cache.load()
    cwd = os.getcwd()
    base_files = _base_files(config, cache, paths)
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
    records = _records(cache, files, config, lint_settings, jobs=jobs or _cpus())

    result = LintResult(files=len(target_names))
    state = _state(records, target_names, codes, cache, cwd) if cache is not None else ""
    cached = cache.cached_result(state) if cache is not None else None
    if cached is not None and not fix:
        result.problems = [_problem(p[0], p[1:]) for p in cached]
        result.input_errors = [
            InputError(plain[8])
            for name, plain in records.items()
            if plain[8] and name in target_names
        ]
        if cache is not None:
            cache.save()
        return result
    context = _run_rules(records, target_names, codes, rules, config, lint_settings, result)
    result.problems = _unsuppressed(result.problems, context, config)
    result.problems.sort()
    if cache is not None:
        if not result.input_errors:
            cache.set_result(state, [_plain_problem(p) for p in result.problems], context.probes)
        cache.save()
    if fix:
        fixed = _apply_fixes(result.problems, context)
        if fixed:
            again = lint(
                config, paths, select=select, ignore=ignore, use_cache=use_cache, jobs=jobs
            )
            again.fixed = fixed
            return again
    return result


def _run_rules(
    records: dict[str, tuple[Any, ...]],
    target_names: dict[str, str],
    codes: set[str],
    rules: list[ModuleType],
    config: Config,
    lint_settings: LintSettings,
    result: LintResult,
) -> LintContext:
    """Cached per-file findings of the targets, then the cross-file rules on the index."""
    base = os.path.abspath(config.notes)
    index = BaseIndex(root=Path(base))
    context = LintContext(config, lint_settings, index)
    for name, plain in records.items():
        display = target_names.get(name)
        if plain[8] is not None:
            if name in target_names:
                result.input_errors.append(InputError(plain[8]))
            continue
        record = _file_record(name, display, plain)
        if name in target_names:
            context.targets[name] = record
            result.problems.extend(_problem(record.display, p) for p in plain[7] if p[2] in codes)
        if _in_base_name(name, base):
            index.add(record)
    for rule in rules:
        check_base = getattr(rule, "check_base", None)
        if check_base is not None:
            result.problems.extend(check_base(context))
    return context


def _state(
    records: dict[str, tuple[Any, ...]],
    target_names: dict[str, str],
    codes: set[str],
    cache: FactsCache,
    cwd: str,
) -> str:
    """Everything a run's findings depend on, hashed: file contents, targets, rules, folders."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for part in (cwd, sorted(codes), sorted(target_names.items()), sorted(cache.folders().items())):
        digest.update(repr(part).encode())
    for name in sorted(records):
        digest.update(f"{name}\0{records[name][0]}\n".encode())
    return digest.hexdigest()


def _plain_problem(p: Problem) -> tuple[Any, ...]:
    fix = (p.fix.start, p.fix.end, p.fix.replacement, p.fix.description) if p.fix else None
    return (p.path, p.line, p.column, p.code, p.name, p.severity.value, p.message, fix)


def _base_files(config: Config, cache: FactsCache | None, paths: list[Path]) -> list[str]:
    """Absolute paths of every file in the base; from the cache when no folder changed."""
    if not config.notes.is_dir():
        if not paths:
            targets(config, paths)  # raises the usage error for a missing base
        return []
    base = Path(os.path.abspath(config.notes))
    if cache is not None:
        cached = cache.files(lambda folder: scan_folder(base, folder, config.exclude))
        if cached is not None:
            return cached
    folders: dict[str, int] = {}
    names = [str(p) for p in discover(base, config.exclude, folders=folders)]
    if cache is not None:
        cache.set_files(folders, names)
    return names


def _cpus() -> int:
    return min(2, len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else 2


def _in_base_name(name: str, base: str) -> bool:
    return name.startswith(base + os.sep)


def _unsuppressed(problems: list[Problem], context: LintContext, config: Config) -> list[Problem]:
    by_display = {r.display: r for r in context.targets.values()}
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


def _apply_fixes(problems: list[Problem], context: LintContext) -> int:
    from kbtool.lint.fixer import fix_file

    by_display = {r.display: r for r in context.targets.values()}
    grouped: dict[str, list[Fix]] = {}
    for problem in problems:
        if problem.fix is not None and problem.path in by_display:
            grouped.setdefault(problem.path, []).append(problem.fix)
    return sum(
        fix_file(by_display[display].path, display, fixes) for display, fixes in grouped.items()
    )
