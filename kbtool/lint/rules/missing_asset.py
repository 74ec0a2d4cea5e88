"""missing-asset (KB301): an image or embed whose file is not there.

## What it does
Checks Markdown images (``![alt](img/x.png)``), HTML images (``<img src=...>``) and
Obsidian embeds of files (``![[picture.webp]]``). Relative paths resolve from the
document's folder; embeds also resolve by file name anywhere in the base and, for a
note outside the base, in its vault, as Obsidian does: the nearest folder above the note that holds
``.obsidian/``, else the folder given to ``kbtool lint`` that holds it (``![[Pasted
image 2023….png]]`` in ``ml/vision/`` finds ``Static/Pasted image 2023….png``). A
folder named as a picture is missing too: every export reports exactly these
pictures as not found; one written with backslashes (``.\\images\\tri.png``, which
only Windows reads as folders), or from a site's root (``/img/logo.png``, which Hugo
and Docusaurus serve from ``static/img/logo.png``), is reported with the path to write
relative to the note; ``--fix`` writes slashes for backslashes. A picture at a Windows
drive (``C:\\Users\\me\\Desktop\\x.png``, ``H:/notes/x.png``) is on the computer the note was
written on: every export refuses it, and so does this rule. A picture named only
up to letter case (``Images/Tree.PNG`` for ``images/tree.png``) is missing on GitHub
whatever the author's system finds, and is reported with the name it has. Remote images
(``http:``, ``https:``, ``data:``) are not checked.

## Why is this bad?
A missing picture leaves an empty box in the PDF and a broken card in Anki, and
the answer that depended on the diagram no longer makes sense.

## Example
```markdown
<img src='img/tri.jpg' width=500>
```

## Use instead
```markdown
<img src='assets/tri.jpg' width=500>   (and commit assets/tri.jpg)
```

## Options
None.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from kbtool.lint import vault
from kbtool.lint.context import LintContext
from kbtool.lint.options import NoOptions
from kbtool.lint.problem import Problem, Severity
from kbtool.lint.rules.broken_link import is_external, local_path, written_elsewhere

CODE = "KB301"
NAME = "missing-asset"
SEVERITY = Severity.ERROR
Options = NoOptions


def check_base(context: LintContext) -> Iterator[Problem]:
    for record in context.target_records():
        for link in record.facts.links:
            if link.kind in {"image", "html-img"}:
                if not link.target or is_external(link.target):
                    continue
                path, _fragment = local_path(record, link.target, context)
                if context.exists(path) and not os.path.isdir(path):  # a folder is no picture
                    continue
                found = written_elsewhere(record, link, context, "image")
                if found is not None:
                    yield Problem(
                        record.display, link.line, link.column, CODE, NAME, SEVERITY, *found
                    )
                    continue
                from kbtool.lint.letter_case import hint

                shown = link.target
                also = hint(context, record.folder, link.target, path)
            elif link.kind == "embed":
                name = link.target.split("|", 1)[0].split("#", 1)[0].strip()
                if Path(name).suffix in {"", ".md"}:
                    continue  # a note embed: broken-link checks it
                if (record.path.parent / name).exists():
                    continue
                if Path(name).name.lower() in context.index.asset_names:
                    continue
                if record.file not in context.index and vault.has(
                    context, record.folder, Path(name).name
                ):
                    continue  # a raw note of a vault (an entry's picture is in the base)
                shown, also = name, ""
            else:
                continue
            yield Problem(
                record.display,
                link.line,
                link.column,
                CODE,
                NAME,
                SEVERITY,
                f'image "{shown}" does not exist{also}',
            )
