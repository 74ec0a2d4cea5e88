"""The export core: check the request against the base, then write every output or none.

``kbtool export`` only parses its options into an :class:`ExportJob` and prints the
:class:`ExportReport`. Everything that can be wrong is found before anything is
written: options that do not apply to the format, an ``--out`` that cannot be a file,
filter values the base does not have, a selection with no entry. Each output is
written into a staging folder beside its target and moved into place only when every
format succeeded, so a failed or empty export never replaces a good file.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kbtool.errors import UsageError
from kbtool.export import registry
from kbtool.export import settings as export_settings
from kbtool.export.base import (
    Exporter,
    ExportRequest,
    ExportResult,
    Selection,
    Settings,
    StudySettings,
)
from kbtool.export.cache import ExportCache
from kbtool.export.loader import LoadedBase, load
from kbtool.model.entry import EntryStatus
from kbtool.store.entry_file import EntryDocument

ALL = "all"
# A context manager per format that yields "entries done so far" callbacks (a progress bar).
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


@dataclass(frozen=True)
class ExportJob:
    """One ``kbtool export`` request, as the user gave it."""

    format: str  # a registered format or "all"
    notes: Path
    root: Path  # default outputs go to <root>/build/
    out: Path | None = None
    out_dir: Path | None = None
    selection: Selection = field(default_factory=Selection)
    given: Mapping[str, Any] = field(default_factory=dict)  # settings from the command line
    config: Mapping[str, Any] = field(default_factory=dict)  # [tool.kbtool.export]
    config_source: str | None = None
    exclude: tuple[str, ...] = ()
    use_cache: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)  # options from other config sections


@dataclass
class Written:
    format: str
    result: ExportResult
    left_out_drafts: int = 0


@dataclass
class ExportReport:
    skipped: list[str]  # files that could not be read, one warning each
    written: list[Written]


@dataclass
class _Plan:
    name: str
    exporter: Exporter
    settings: Settings
    target: Path
    documents: list[EntryDocument] = field(default_factory=list)
    drafts: list[EntryDocument] = field(default_factory=list)
    left_out_drafts: int = 0


def formats() -> tuple[str, ...]:
    """What ``kbtool export`` accepts: every registered format, then ``all``."""
    return (*registry.names(), ALL)


def run(job: ExportJob, progress: Progress | None = None) -> ExportReport:
    """Export ``job``; raises :class:`~kbtool.errors.KbError` before writing anything
    when the request cannot give the user what they asked for."""
    names = registry.all_names() if job.format == ALL else (job.format,)
    exporters = [registry.get(name) for name in names]
    _check_options_apply(job, exporters)
    export_settings.check(job.config, job.config_source)  # every key, whatever is exported
    plans = [
        _Plan(exporter.name, exporter, _settings(job, exporter), _target(job, exporter))
        for exporter in exporters
    ]
    cache = ExportCache(job.root if job.use_cache else None)
    modes = sorted({plan.exporter.render_mode for plan in plans} & {"path", "media"})
    loaded = load(job.notes, job.selection, job.exclude, cache, modes)
    _check_filters(job.selection, loaded)
    for plan in plans:
        _choose_documents(plan, loaded.documents, job.selection)
    stages: list[Path] = []  # filled as each is made: a Ctrl-C meanwhile still removes it
    try:
        _make_stages(plans, stages)
        documents = loaded.documents
        if modes and cache.mostly_cold(len(documents)):
            from kbtool.export.prerender import prerender

            prerender(cache, documents, job.notes, modes)
        if not any(plan.exporter.records_exports for plan in plans):
            cache.save_started()  # complete now: written while the exporters run
        written = [
            _export(plan, stage, job, loaded, cache, progress)
            for plan, stage in zip(plans, stages, strict=True)
        ]
        for plan, stage in zip(plans, stages, strict=True):
            _move_into_place(stage, plan.target.parent)
        cache.save()
    finally:
        for stage in stages:
            shutil.rmtree(stage, ignore_errors=True)
        cache.discard_started()  # an export that failed writes nothing, not even its cache
    return ExportReport(skipped=in_line_order(loaded.skipped), written=written)


def _check_options_apply(job: ExportJob, exporters: Sequence[Exporter]) -> None:
    for key in job.given:
        takers = [e.name for e in exporters if key in e.settings_model.model_fields]
        if takers:
            continue
        owners = [
            name
            for name in registry.names()
            if key in registry.get(name).settings_model.model_fields
        ]
        flag = "--" + key.replace("_", "-")
        raise UsageError(
            f"{flag} does not apply to `export {job.format}`",
            hint=f"it is an option of {' and '.join(owners)}" if owners else None,
        )
    if job.format == ALL and job.out is not None:
        raise UsageError(
            "`export all` writes one file per format into a folder: use --out-dir, not --out",
            hint=f"e.g. kbtool export all --out-dir {job.out.with_suffix('')}",
        )
    if job.out is not None and job.out_dir is not None:
        raise UsageError("give --out (a file) or --out-dir (a folder), not both")


def _settings(job: ExportJob, exporter: Exporter) -> Settings:
    """The format's settings: the export table (already checked), then the command line."""
    fields = exporter.settings_model.model_fields
    values = {key: value for key, value in job.config.items() if key in fields}
    values.update({key: value for key, value in job.given.items() if key in fields})
    try:
        return exporter.settings_model.model_validate(values)
    except ValidationError as exc:
        raise UsageError(f"bad option for {exporter.name}: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"


def _target(job: ExportJob, exporter: Exporter) -> Path:
    """The output file of ``exporter``; a usage error when it cannot be written there."""
    if job.out is not None:
        if job.out.is_dir():
            raise UsageError(
                f"--out {job.out} is a folder; give the file to write",
                hint=f"e.g. --out {job.out / exporter.default_file}, or --out-dir {job.out}",
            )
        _check_folder(job.out.parent, f"--out {job.out}")
        return job.out
    folder = job.out_dir if job.out_dir is not None else job.root / "build"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out-dir {folder} is a file, not a folder", hint="give a folder")
    _check_folder(folder, f"--out-dir {folder}")
    return folder / exporter.default_file


def _check_folder(folder: Path, what: str) -> None:
    """``folder`` exists or can be made: no file on the way, writable where it starts."""
    probe = folder.absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(
            f"{what}: {probe} is a file, so nothing can be written under it",
            hint="choose another path",
        )
    if not os.access(probe, os.W_OK | os.X_OK):
        reason = "permission denied"
        with contextlib.suppress(OSError):
            if os.statvfs(probe).f_flag & os.ST_RDONLY:
                reason = "the file system is read-only"
        raise UsageError(
            f"{what}: cannot write in {probe} ({reason})",
            hint="choose a folder you can write to",
        )


def _check_filters(selection: Selection, loaded: LoadedBase) -> None:
    """A filter value nothing in the base has is a typo until proven otherwise."""
    for flag, wanted, known in (
        ("--topic", selection.topics, loaded.topics),
        ("--tag", selection.tags, loaded.tags),
    ):
        for value in sorted(wanted - known):
            close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
            shown = close or sorted(known)[:8]
            label = "did you mean" if close else "the base has"
            raise UsageError(
                f'{flag} "{value}" matches no entry in the base',
                hint=f"{label}: {', '.join(shown)}" if shown else f"the base has no {flag[2:]}s",
            )


def _choose_documents(plan: _Plan, selected: list[EntryDocument], selection: Selection) -> None:
    """Drafts stay out of study formats unless asked for (``--include-drafts`` or
    ``--status draft``); the PDF prints asked-for drafts as a list of questions."""
    include = isinstance(plan.settings, StudySettings) and (
        plan.settings.include_drafts or EntryStatus.DRAFT in selection.statuses
    )
    if not isinstance(plan.settings, StudySettings) or include:
        plan.documents = list(selected)
    else:
        plan.documents = [d for d in selected if d.entry.status != EntryStatus.DRAFT]
        plan.left_out_drafts = len(selected) - len(plan.documents)
    if not plan.documents:
        hint = "loosen --topic/--tag/--status"
        if plan.left_out_drafts:
            hint = (
                f"the {plan.left_out_drafts} selected entries are drafts, which {plan.name} "
                "leaves out; add --include-drafts to export them"
            )
        raise UsageError(f"{plan.name}: no entry selected; nothing written", hint=hint)


def _make_stages(plans: Iterable[_Plan], stages: list[Path]) -> None:
    """A staging folder beside each target (``.kbtool-export-<pid>-<n>``), listed in
    ``stages`` before it is made, so the caller removes it however the run ends."""
    for plan in plans:
        folder = plan.target.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for number in itertools.count():
                stages.append(folder / f".kbtool-export-{os.getpid()}-{number}")
                try:
                    stages[-1].mkdir(mode=0o700)
                    break
                except FileExistsError:  # a leftover of a killed run: not ours to remove
                    stages.pop()
        except OSError as exc:
            raise UsageError(
                f"cannot write {plan.target}: {exc.strerror or exc}",
                hint="choose another --out or --out-dir",
            ) from None


def _export(
    plan: _Plan,
    stage: Path,
    job: ExportJob,
    loaded: LoadedBase,
    cache: ExportCache,
    progress: Progress | None,
) -> Written:
    options: dict[str, Any] = {
        "settings": plan.settings,
        "base_ids": sorted(loaded.all_ids),
        "base_entries": loaded.entries,
        "render_cache": cache,
        **job.extra,
        **plan.settings.model_dump(),
    }
    request = ExportRequest(job.notes, stage / plan.target.name, plan.documents, options)
    with _progress(progress, plan.name, len(plan.documents)) as advance:
        request.progress = advance
        result = plan.exporter.export(request)
    result.out = plan.target
    result.warnings = in_line_order(result.warnings)
    return Written(plan.name, result, plan.left_out_drafts)


# "path:line: ...", "path:line:column: ..." or "path: ..." (an entry as a whole)
_WHERE = re.compile(r"(?P<file>[^:\n]+):(?P<line>\d+)(?::\d+)?: |(?P<whole>[^:\n]+): ")


def in_line_order(warnings: Iterable[str]) -> list[str]:
    """Warnings by file, then line, as a user fixes them top to bottom; an exporter
    gathers them by kind (pictures, then formulas) or by stage (size checks, pandoc,
    typst). A warning about a whole entry comes first in its file; the order of
    warnings about one line is kept."""

    def key(warning: str) -> tuple[str, int]:
        found = _WHERE.match(warning)
        if found is None:
            return ("", 0)
        if found["file"] is not None:
            return (found["file"], int(found["line"]))
        return (found["whole"], 0)

    return sorted(warnings, key=key)


@contextlib.contextmanager
def _progress(progress: Progress | None, name: str, total: int) -> Iterator[Callable[[int], None]]:
    if progress is None:
        yield lambda _done: None
        return
    with progress(name, total) as advance:
        yield advance


def _move_into_place(stage: Path, folder: Path) -> None:
    for item in sorted(stage.iterdir()):
        os.replace(item, folder / item.name)
