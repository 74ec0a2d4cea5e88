"""The rule registry: code -> rule module. Explicit, no discovery magic.

Every rule module defines ``CODE``, ``NAME``, ``SEVERITY``, a docstring in the
sections *What it does / Why is this bad? / Example / Use instead / Options*, and
``check(doc, context) -> Iterator[Problem]`` (one document; cached by content) or
``check_base(context) -> Iterator[Problem]`` (cross-file; see ``kbtool.lint.context``).
"""

from __future__ import annotations

import difflib
from types import ModuleType

from kbtool.errors import UsageError
from kbtool.lint.rules import (
    broken_anchor,
    broken_link,
    duplicate_id,
    duplicate_question,
    empty_section,
    math_syntax,
    missing_answer,
    missing_asset,
    private_content,
    schema_error,
    toc_mismatch,
)

RULES: dict[str, ModuleType] = {
    module.CODE: module
    for module in (
        schema_error,
        duplicate_id,
        broken_anchor,
        broken_link,
        toc_mismatch,
        missing_answer,
        duplicate_question,
        empty_section,
        private_content,
        missing_asset,
        math_syntax,
    )
}


def lookup(code_or_name: str) -> ModuleType:
    """A rule by code (``KB001``) or name (``schema-error``); a clear error otherwise."""
    wanted = code_or_name.strip()
    for module in RULES.values():
        if wanted.upper() == module.CODE or wanted.lower() == module.NAME:
            return module
    names = [m.NAME for m in RULES.values()] + list(RULES)
    close = difflib.get_close_matches(wanted, names, n=1)
    hint = f'did you mean "{close[0]}"?' if close else "`kbtool rules` lists them"
    raise UsageError(f'unknown rule "{wanted}"', hint=hint)
