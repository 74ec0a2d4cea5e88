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
import json
from dataclasses import dataclass, field
from typing import Any

from kbtool.config import Config
from kbtool.errors import ConfigError

_KEYS = {"select", "ignore", "per-file-ignores"}


@dataclass(frozen=True)
class LintSettings:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: dict[str, dict[str, Any]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Stable hash of everything that can change a rule's findings (for the cache)."""
        data = json.dumps(
            [self.per_file_ignores, self.options], sort_keys=True, default=str, ensure_ascii=False
        )
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def _names(value: Any, where: str, source: str | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"[tool.kbtool.lint] {where} must be a list of rule codes or names",
            path=source,
            hint='for example: ignore = ["KB202", "missing-answer"]',
        )
    return tuple(value)


def settings(config: Config) -> LintSettings:
    """Read and check the lint table; unknown rule names are reported later by lookup."""
    table = config.section("lint")
    source = str(config.source) if config.source else None
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(
            "[tool.kbtool.lint] per-file-ignores must be a table of glob = [rules]",
            path=source,
            hint='per-file-ignores = {"notes/drafts/**" = ["missing-answer"]}',
        )
    options = {k: v for k, v in table.items() if k not in _KEYS and isinstance(v, dict)}
    unknown = [k for k, v in table.items() if k not in _KEYS and not isinstance(v, dict)]
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(sorted(unknown))} in [tool.kbtool.lint]",
            path=source,
            hint="known keys: select, ignore, per-file-ignores, and one table per rule name",
        )
    return LintSettings(
        select=_names(table.get("select", []), "select", source),
        ignore=_names(table.get("ignore", []), "ignore", source),
        per_file_ignores=tuple(
            (glob, _names(rules, f'per-file-ignores."{glob}"', source))
            for glob, rules in sorted(per_file.items())
        ),
        options=options,
    )
