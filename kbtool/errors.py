"""Typed errors raised by the core and turned into one message by the CLI.

The core never prints or exits: it raises one of these, and ``kbtool.cli`` maps
it to a message on stderr and an exit code. Keeping the codes here makes the
contract visible in one place.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """Process exit codes shared by every command."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


class KbError(Exception):
    """Base of every error a user can cause and fix; never a bug."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class UsageError(KbError):
    """Bad options or configuration."""


class InputError(KbError):
    """A file the user gave us cannot be read or understood."""


class ConfigError(KbError):
    """``[tool.kbtool]`` or ``kbtool.toml`` is invalid."""


class FrontMatterIssue(NamedTuple):
    """One problem found in an entry's front matter.

    ``key_path`` is rendered like ``tags[1]`` or ``source.date``; empty for the
    document as a whole.
    """

    line: int
    key_path: str
    message: str

    def render(self, path: str) -> str:
        prefix = f"{self.key_path}: " if self.key_path else ""
        return f"{path}:{self.line}: {prefix}{self.message}"


class EntryError(InputError):
    """An entry file whose front matter is invalid; carries every issue found."""

    def __init__(self, path: str, issues: list[FrontMatterIssue]) -> None:
        self.issues = issues
        first = issues[0]
        super().__init__(first.message, path=path, line=first.line)

    def __str__(self) -> str:
        return "\n".join(issue.render(self.path or "") for issue in self.issues)


# What the machine says no to, not a bug: a read-only or full disk, a missing
# permission, a path that names a folder or runs through a file.
_ENVIRONMENT_ERRNOS = {
    "EROFS": "the file system is read-only",
    "ENOSPC": "the disk is full",
    "EDQUOT": "the disk quota is used up",
    "EACCES": "permission denied",
    "EPERM": "operation not permitted",
    "EISDIR": "it is a folder",
    "ENOTDIR": "a part of the path is a file, not a folder",
    "EEXIST": "a file is in the way of a folder that must be made",
    "ENAMETOOLONG": "the name is too long",
    "ELOOP": "too many symbolic links",
    "ENOENT": "no such file or folder",
    "EMFILE": "too many open files",
}


def environment_error(exc: OSError) -> KbError | None:
    """The :class:`KbError` for an ``OSError`` the user's machine caused, else ``None``."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    reason = _ENVIRONMENT_ERRNOS.get(name)
    if reason is None:
        return None
    where = exc.filename if isinstance(exc.filename, str) else None
    if where is not None:  # as the user would type it
        from kbtool.paths import shown

        where = shown(where)
    return UsageError(
        reason if where else f"cannot read or write a file: {reason}",
        path=where,
        hint="free some space, fix the permissions, or choose another place (--notes, --out)",
    )
