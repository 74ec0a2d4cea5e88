"""The rule contract: what a module in ``kbtool.lint.rules`` must define.

A rule is a module (no classes to instantiate): ``CODE``, ``NAME``, ``SEVERITY``,
``Options`` (a frozen dataclass, :mod:`kbtool.lint.options`; ``NoOptions`` when it has
none), a docstring in the sections *What it does / Why is this bad? / Example / Use
instead / Options*, and one of

- ``check(doc, context)``: one document; its findings are cached by content, so it may
  depend only on the document and the rule's options;
- ``check_base(context)``: the whole-base index, once per run; it reports problems
  only for ``context.targets`` (and the files linking into them, ``context.incoming``).

mypy checks every module of the registry against these protocols.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kbtool.lint.context import LintContext
    from kbtool.lint.document import LintDocument
    from kbtool.lint.problem import Problem, Severity


class Rule(Protocol):
    CODE: str
    NAME: str
    SEVERITY: Severity
    Options: type[Any]


class FileRule(Rule, Protocol):
    def check(self, doc: LintDocument, context: LintContext) -> Iterator[Problem]: ...


class BaseRule(Rule, Protocol):
    def check_base(self, context: LintContext) -> Iterator[Problem]: ...
