"""The one markdown-it configuration used by lint and export.

CommonMark plus GFM tables and strikethrough, raw HTML allowed (notes contain
``<a id=...>`` anchors and ``<details>``), and ``$…$`` / ``$$…$$`` math as tokens of
their own so that nothing inside math is read as emphasis or links.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    return md
