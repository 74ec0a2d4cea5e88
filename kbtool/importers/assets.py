"""Local images referenced by imported notes: copied into the base, or flagged when missing.

A note's ``![x](pic.png)`` is relative to the source file; in the base it must be
relative to the entry. Found images are copied to ``<notes>/assets/`` (content
unchanged, same name) and relinked; missing ones (a screenshot that never left the
laptop) become a visible ``(image not found: pic.png)`` remark and a warning, so
the entry renders and lints clean and nobody loses track of the picture.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from kbtool.store import atomic

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass
class AssetPlan:
    """Copies to make (source -> target) and warnings, applied only when writing."""

    copies: dict[Path, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # targets of the warnings, in order

    def apply(self) -> None:
        for source, target in self.copies.items():
            data = source.read_bytes()
            if not target.exists() or target.read_bytes() != data:
                atomic.write_bytes(target, data)


def relink(body: str, source: Path, entry_path: Path, notes: Path, plan: AssetPlan) -> str:
    """``body`` with its local images pointing into ``<notes>/assets/`` (or marked missing)."""

    def replace(match: re.Match[str]) -> str:
        alt, target = match.groups()
        if _REMOTE.match(target) or target.startswith(("#", "/")):
            return match.group(0)
        found = (source.parent / unquote(target)).resolve()
        name = Path(unquote(target)).name
        if not found.is_file():
            shown = f'"{alt}" ' if alt.strip() and alt.strip() != target else ""
            plan.warnings.append(
                f"image {shown}{target} not found next to the source; kept as a remark"
            )
            plan.missing.append(target)
            return f"*(image not found: {name})*"
        copy = notes / "assets" / name
        plan.copies[found] = copy
        rel = Path(os.path.relpath(copy, entry_path.parent)).as_posix()
        return f"![{alt}]({rel})"

    return _IMAGE.sub(replace, body)
