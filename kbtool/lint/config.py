"""``[tool.kbtool.lint]``: which rules run where, and each rule's options.

```toml
[tool.kbtool.lint]
select = ["KB1", "missing-answer"]    # default: all rules
ignore = ["duplicate-question"]
per-file-ignores = {"notes/drafts/**" = ["missing-answer"]}

[tool.kbtool.lint.private-content]    # options of one rule, by name
patterns = ["зарплат"]
```
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from kbtool.config import Config
from kbtool.errors import ConfigError

_KEYS = {"select", "ignore", "per-file-ignores"}


@dataclass(frozen=True)
class LintSettings:
    """``options``: each configured rule's ``Options`` (checked), by rule name."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Stable hash of everything that can change a rule's findings (for the cache)."""
        if not self.per_file_ignores and not self.options:
            data = "[[], {}]"  # what json.dumps gives below, without importing json each run
        else:
            import json

            options = {name: asdict(value) for name, value in self.options.items()}
            data = json.dumps(
                [self.per_file_ignores, options], sort_keys=True, default=str, ensure_ascii=False
            )
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def _shown(source: str | None) -> str | None:
    """The config file as messages name it (relative to the working folder when inside)."""
    if source is None:
        return None
    shown = os.path.relpath(source)
    return source if shown.startswith("..") else shown


def table_name(config: Config, *keys: str) -> str:
    """``[tool.kbtool.lint.x]`` in pyproject.toml, ``[lint.x]`` in kbtool.toml."""
    prefix = (
        "tool.kbtool."
        if config.source is not None and config.source.name == "pyproject.toml"
        else ""
    )
    return "[" + prefix + ".".join(("lint", *keys)) + "]"


def _names(value: Any, where: str, source: str | None) -> tuple[str, ...]:
    """A list of rule codes or names; each must name a rule."""
    from kbtool.lint.rules import did_you_mean, matching

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        from kbtool.lint.options import found

        raise ConfigError(
            f"{where}: expected a list of rule codes or names, {found(value)}",
            path=source,
            hint='for example: ignore = ["KB202", "missing-answer"]',
        )
    for name in value:
        if not matching(name):
            raise ConfigError(
                f'{where}: unknown rule "{name}"', path=source, hint=did_you_mean(name)
            )
    return tuple(value)


def settings(config: Config) -> LintSettings:
    """Read the lint table and check it against the rules: unknown rules, unknown
    options and wrong types are configuration errors naming the file and the key."""
    from kbtool.lint.options import parse
    from kbtool.lint.rules import did_you_mean, find

    table = config.section("lint")
    source = _shown(str(config.source)) if config.source else None
    lint_table = table_name(config)
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(
            f"{lint_table} per-file-ignores: expected a table of glob = [rules]",
            path=source,
            hint='per-file-ignores = {"notes/drafts/**" = ["missing-answer"]}',
        )
    options: dict[str, Any] = {}
    for key, value in table.items():
        if key in _KEYS:
            continue
        rule = find(key)
        if rule is None:
            raise ConfigError(
                f"{lint_table} {key}: unknown key, and no rule has that name",
                path=source,
                hint="known keys: select, ignore, per-file-ignores, and one table per rule; "
                + did_you_mean(key),
            )
        where = table_name(config, key)
        if not isinstance(value, dict):
            raise ConfigError(
                f"{lint_table} {key}: expected a table of the rule's options, found a value",
                path=source,
                hint=f"write it as {table_name(config, rule.NAME)} with the options under it",
            )
        options[rule.NAME] = parse(rule.Options, value, rule=rule.NAME, where=where, source=source)
    return LintSettings(
        select=_names(table.get("select", []), f"{lint_table} select", source),
        ignore=_names(table.get("ignore", []), f"{lint_table} ignore", source),
        per_file_ignores=tuple(
            (glob, _names(rules, f'{lint_table} per-file-ignores."{glob}"', source))
            for glob, rules in sorted(per_file.items())
        ),
        options=options,
    )
