"""What makes front matter outside the base an entry's (``kbtool.lint.document``):
lint keeps its own list of entry kinds so that it need not import the model."""

from __future__ import annotations

from kbtool.lint.document import ENTRY_KINDS
from kbtool.model.entry import EntryKind


def test_lint_knows_every_entry_kind() -> None:
    assert set(ENTRY_KINDS) == {kind.value for kind in EntryKind}
