"""Project configuration: ``kbtool.toml`` or ``[tool.kbtool]`` in ``pyproject.toml``.

Found by walking up from the working folder. Each stage reads its own section
(``[tool.kbtool.lint]``, ``[tool.kbtool.import]``, ``[tool.kbtool.export]``) with its
own model, so adding an option touches one stage only.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbtool.errors import ConfigError

DEFAULT_NOTES = "notes"
_SECTIONS = {"lint", "import", "export"}  # each stage's own table
_KNOWN_KEYS = {"notes", "exclude", *_SECTIONS}


@dataclass(frozen=True)
class Config:
    """Settings in force; ``root`` is the folder relative paths are resolved from."""

    root: Path
    notes: Path
    exclude: tuple[str, ...] = ()
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    def section(self, name: str) -> dict[str, Any]:
        """The raw mapping of ``[tool.kbtool.<name>]`` (empty when absent)."""
        return self.sections.get(name, {})

    def with_notes(self, notes: Path | None) -> Config:
        if notes is None:
            return self
        return Config(self.root, notes, self.exclude, self.sections, self.source)


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``kbtool.toml`` or ``pyproject.toml`` with a kbtool table."""
    for folder in (start, *start.parents):
        own = folder / "kbtool.toml"
        if own.is_file():
            return own, _read_toml(own)
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _read_toml(project).get("tool", {}).get("kbtool")
            if isinstance(table, dict):
                return project, table
        if (folder / ".git").exists():
            break
    return None


def load(start: Path | None = None, notes: Path | None = None) -> Config:
    """Configuration for a run started in ``start`` (default: the working folder).

    ``notes``: the base given on the command line; it overrides the setting, and only
    a base named there may lie outside the repository that holds the config file.
    """
    here = (start or Path.cwd()).resolve()
    found = find_config_file(here)
    if found is None:
        return Config(root=here, notes=here / DEFAULT_NOTES).with_notes(notes)
    path, table = found
    unknown = set(table) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(sorted(unknown))} in kbtool settings",
            path=str(path),
            hint="known keys: " + ", ".join(sorted(_KNOWN_KEYS)),
        )
    setting = table.get("notes", DEFAULT_NOTES)
    exclude = table.get("exclude", [])
    if not isinstance(setting, str):
        raise ConfigError("`notes` must be a folder path (text)", path=str(path))
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise ConfigError('`exclude` must be a list of patterns like ["drafts/"]', path=str(path))
    for name in sorted(_SECTIONS & set(table)):
        if not isinstance(table[name], dict):
            raise ConfigError(
                f"`{name}` must be a table of settings, like [{name}] with keys under it",
                path=str(path),
            )
    sections = {k: v for k, v in table.items() if isinstance(v, dict)}
    if notes is None:
        _check_inside_repository(path, setting)
    return Config(
        root=path.parent,
        notes=path.parent / setting,
        exclude=tuple(exclude),
        sections=sections,
        source=path,
    ).with_notes(notes)


# The base of a run that lints the paths it was given as plain Markdown: a path that
# holds no file, so no file of theirs is judged as an entry of a base
NO_BASE = Path(os.devnull)


def lint_scope(config: Config, paths: Iterable[Path]) -> tuple[Config, str | None]:
    """The base a ``kbtool lint PATH...`` run judges entries by, and a line saying what
    it lints when a folder given holds the base (``kbtool lint .`` at the top of a
    repository). A folder named ``notes`` is only kbtool's guess at the base when no
    setting and no ``--notes`` name one: the run takes it as the base when its files are
    kbtool entries, and otherwise lints it as the plain Markdown it is, as the rest of
    the folder asked for (a repository's own ``notes/`` would give each file a schema
    error). Files named one by one (the pre-commit hook) keep the base as it is.
    """
    from kbtool.paths import is_real_inside, shown

    base = config.notes
    if not base.is_dir():
        return config, None
    real_base = os.path.realpath(base)
    holders = [p for p in paths if p.is_dir() and os.path.realpath(p) != real_base]
    if not any(is_real_inside(real_base, os.path.realpath(p)) for p in holders):
        return config, None
    name = shown(base).rstrip(os.sep) + os.sep
    if config.source is not None:
        return config, f"{name} checked as the knowledge base ({shown(config.source)} names it)"
    if _holds_entries(base, config.exclude):
        return config, f"{name} checked as the knowledge base (its files are kbtool entries)"
    return config.with_notes(NO_BASE), (
        f"{name} linted as plain Markdown, not as a knowledge base: no kbtool.toml or "
        f"[tool.kbtool] names it and none of its files is a kbtool entry "
        f"(`--notes {shown(base)}` checks them as entries)"
    )


def _holds_entries(base: Path, exclude: Iterable[str]) -> bool:
    """Whether a file of ``base`` carries kbtool's marks in its front matter (an entry
    ``kbtool new`` or import wrote); read until the first one."""
    from kbtool.lint.document import claims_entry
    from kbtool.store.discover import discover
    from kbtool.store.front_matter import split

    for path in discover(base, exclude):
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                head = handle.read(_FRONT_MATTER_READ)
        except OSError:
            continue
        yaml = split(head).yaml
        if yaml is not None and claims_entry(yaml):
            return True
    return False


_FRONT_MATTER_READ = 64 * 1024  # front matter longer than this is no entry's


def _check_inside_repository(config_file: Path, notes: str) -> None:
    """A repository's own settings may not point the base outside that repository.

    Notes are often cloned from someone else; a ``notes = "../.."`` in their
    ``pyproject.toml`` would make import write, and lint read, far outside the clone.
    """
    top = repository_of(config_file.parent)
    real = os.path.realpath(config_file.parent / notes)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        raise ConfigError(
            f"`notes = {notes!r}` points outside the repository that holds this file (to {real})",
            path=str(config_file),
            hint=f"a base outside the repository must be named on the command line: --notes {real}",
        )


def repository_of(folder: Path) -> str:
    """Real path of the Git work tree holding ``folder`` (``folder`` itself if none)."""
    real = Path(os.path.realpath(folder))
    for candidate in (real, *real.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return str(real)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from None
