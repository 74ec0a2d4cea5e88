"""A markdown-it plugin that records where things are, which markdown-it does not keep.

Block tokens carry ``map`` (their line range) but inline tokens carry nothing, and
reference definitions leave no token at all. Lint needs exact columns (for messages
and fixes), so this plugin wraps the parser's own rules; it never parses anything
itself, so what it records is exactly what the parser found:

- each inline rule that makes a token we report (code span, math, link, image,
  autolink, inline HTML) stores ``token.meta["pos"] = (start, end)``: offsets of the
  whole construct in the inline token's ``content``;
- the ``reference`` block rule appends ``(start, end)`` source offsets of each
  definition to ``env["references_at"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

# inline rule name -> token types it makes that we want positions of
_INLINE_RULES = {
    "backticks": ("code_inline",),
    "math_inline": ("math_inline", "math_inline_double"),
    "link": ("link_open",),
    "image": ("image",),
    "autolink": ("link_open",),
    "html_inline": ("html_inline",),
}

InlineRule = Callable[[StateInline, bool], bool]
BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _recording(rule: InlineRule, types: tuple[str, ...]) -> InlineRule:
    def recorded(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:  # pending text may be pushed first
                if token.type in types:
                    token.meta["pos"] = (start, state.pos)
                    break
        return True

    return recorded


def _recording_reference(rule: BlockRule) -> BlockRule:
    def recorded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if not rule(state, start_line, end_line, silent):
            return False
        if not silent:
            start = state.bMarks[start_line] + state.tShift[start_line]
            end = state.eMarks[state.line - 1]
            state.env.setdefault("references_at", []).append((start, end))
        return True

    return recorded


def position_plugin(md: MarkdownIt) -> None:
    """Wrap the rules named above so that they record positions (see module docstring)."""
    inline: dict[str, Any] = {rule.name: rule for rule in md.inline.ruler.__rules__}
    for name, types in _INLINE_RULES.items():
        if name in inline and inline[name].enabled:
            md.inline.ruler.at(name, _recording(inline[name].fn, types))
    block: dict[str, Any] = {rule.name: rule for rule in md.block.ruler.__rules__}
    reference = block["reference"]
    md.block.ruler.at("reference", _recording_reference(reference.fn), {"alt": reference.alt})
