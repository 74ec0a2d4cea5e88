"""Finding what to import: the files named, and the text files in the folders named.

Also how the report names a path: relative to the working folder when inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kbtool.errors import InputError
from kbtool.paths import is_real_inside

SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".rst", ".rest", ".json", ".html", ".htm")


def collect_sources(
    paths: Iterable[Path],
    refused: list[InputError] | None = None,
    readmes: set[Path] | None = None,
    texts: set[Path] | None = None,
) -> list[Path]:
    """Files named, and text files in folders named (recursively, sorted).

    In folders, hidden files are skipped; a file named explicitly is always read. A
    ``README*`` of a folder is collected and also put in ``readmes``: it is often only
    the folder's description, but many interview repositories keep their questions in
    their READMEs, so the pipeline reads it and keeps it only when it asks questions.
    A folder's other ``.txt`` files go to ``texts``: notes and Telegram dumps are text,
    but so are ``requirements.txt``, licences and test data, and the pipeline keeps one
    only when a format of notes fits it or it asks questions. A
    file in a folder that is a symbolic link to a file outside that folder is not read
    (a cloned folder's ``notes.md -> ~/.ssh/id_rsa`` would be imported into the base):
    it goes to ``refused`` as an error naming it.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            real = os.path.realpath(path)
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path).parts
                if (
                    found.is_file()
                    and found.suffix.lower() in SOURCE_SUFFIXES
                    and not any(part.startswith(".") for part in rel)
                ):
                    if is_real_inside(os.path.realpath(found), real):
                        out.append(found)
                        if readmes is not None and found.name.upper().startswith("README"):
                            readmes.add(found)
                        elif texts is not None and found.suffix.lower() == ".txt":
                            texts.add(found)
                    elif refused is not None:
                        refused.append(_leads_out(found, path))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _leads_out(found: Path, folder: Path) -> InputError:
    return InputError(
        f"a symbolic link to {os.path.realpath(found)}, outside {folder}; not imported",
        path=str(found),
        hint="a folder's files are read only from inside it; "
        "name the file itself to import it anyway",
    )


def display_path(path: Path, cwd: Path) -> str:
    """``path`` relative to the working folder when inside it (posix), else absolute."""
    absolute = path.resolve() if not path.is_absolute() else path
    try:
        return (
            Path(os.path.relpath(absolute, cwd.resolve())).as_posix()
            if _inside(absolute, cwd)
            else absolute.as_posix()
        )
    except ValueError:
        return absolute.as_posix()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
