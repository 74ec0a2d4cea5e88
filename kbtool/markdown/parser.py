"""The one markdown-it configuration used by lint, normalize, import and export.

CommonMark plus GFM tables and strikethrough, raw HTML allowed (notes contain
``<a id=...>`` anchors and ``<details>``), and ``$…$`` / ``$$…$$`` math as tokens of
their own so that nothing inside math is read as emphasis or links.

:func:`document_parser` is the same configuration plus :mod:`kbtool.markdown.positions`,
which records where inline tokens start and end (markdown-it keeps only block lines).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin


def _configured() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    return md


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared parser, for rendering."""
    return _configured()


@lru_cache(maxsize=1)
def document_parser() -> MarkdownIt:
    """The shared parser that also records inline token and reference positions."""
    from kbtool.markdown.positions import position_plugin

    md = _configured()
    md.use(position_plugin)
    return md
