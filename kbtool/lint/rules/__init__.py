"""The rule registry: code -> rule module. Explicit, no discovery magic.

What a rule module defines is the contract in :mod:`kbtool.lint.rule`; the two
tuples below are typed with its protocols, so mypy checks every module against it.
"""

from __future__ import annotations

from kbtool.errors import UsageError
from kbtool.lint.rule import BaseRule, FileRule, Rule
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

# one document at a time (findings cached by content)
FILE_RULES: tuple[FileRule, ...] = (
    schema_error,
    broken_anchor,
    toc_mismatch,
    missing_answer,
    empty_section,
    private_content,
    math_syntax,
)
# the whole base at once
BASE_RULES: tuple[BaseRule, ...] = (duplicate_id, broken_link, duplicate_question, missing_asset)

RULES: dict[str, Rule] = {
    rule.CODE: rule for rule in sorted((*FILE_RULES, *BASE_RULES), key=lambda r: r.CODE)
}


def find(code_or_name: str) -> Rule | None:
    """A rule by code (``KB001``) or name (``schema-error``), or None."""
    wanted = code_or_name.strip()
    for rule in RULES.values():
        if wanted.upper() == rule.CODE or wanted.lower() == rule.NAME:
            return rule
    return None


def matching(code_or_name: str) -> list[Rule]:
    """The rules a selector names: a code, a name, or a code prefix (``KB1``: a family)."""
    rule = find(code_or_name)
    if rule is not None:
        return [rule]
    prefix = code_or_name.strip().upper()
    if len(prefix) < 3 or not prefix.startswith("KB"):
        return []
    return [rule for code, rule in RULES.items() if code.startswith(prefix)]


def did_you_mean(code_or_name: str) -> str:
    """A hint for a name that is no rule."""
    names = [m.NAME for m in RULES.values()] + list(RULES)
    import difflib  # only for a name that is no rule

    close = difflib.get_close_matches(code_or_name.strip(), names, n=1)
    return f'did you mean "{close[0]}"?' if close else "`kbtool rules` lists them"


def select(code_or_name: str) -> list[Rule]:
    """:func:`matching`, with a clear error when it names no rule."""
    found = matching(code_or_name)
    if not found:
        raise UsageError(f'unknown rule "{code_or_name.strip()}"', hint=did_you_mean(code_or_name))
    return found


def lookup(code_or_name: str) -> Rule:
    """A rule by code or name; a clear error otherwise."""
    rule = find(code_or_name)
    if rule is None:
        raise UsageError(f'unknown rule "{code_or_name.strip()}"', hint=did_you_mean(code_or_name))
    return rule
