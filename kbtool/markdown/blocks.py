"""Block facts an exporter needs before another CommonMark reader (pandoc) gets a text:
the code fence or HTML block a text leaves open, and how deep its lists and quotes nest.

Both are read from markdown-it's block tokens, never from line patterns, so they are
the blocks pandoc's ``commonmark_x`` reader sees too: ```` ``` ``` ```` is a code span,
not a fence; a ``` ``` ``` indented by four spaces does not close one; a ``> `` line
inside a fence is code, not a quote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.rules_block.html_block import HTML_SEQUENCES

from kbtool.markdown.parser import block_parser, nesting_block_parser

if TYPE_CHECKING:
    from markdown_it.token import Token

_CONTAINERS = frozenset({"bullet_list_open", "ordered_list_open", "blockquote_open"})
_ENDS = frozenset({"bullet_list_close", "ordered_list_close", "blockquote_close"})
# how HTML blocks of kinds 1 to 5 open (lowercased), and the end marker of kinds 2 to 5
_OPENERS = ("<script", "<pre", "<style", "<textarea", "<!", "<?")
_ENDS_OF_KIND = {2: "-->", 3: "?>", 4: ">", 5: "]]>"}


def left_open(text: str) -> str | None:
    """The line that closes the block ``text`` leaves open at its end, outside any
    container, or None: a code fence's opening run (```` ``` ````, ``~~~~``), or the
    end marker of an HTML block that only its marker ends (``</pre>``, ``-->``,
    ``?>``, ``>``, ``]]>``; CommonMark's kinds 1 to 5).

    Such a block swallows whatever is appended after the text, blank lines and
    headings too. One inside a list item or quote ends with its container at the next
    unindented line; the other HTML blocks end at a blank line.
    """
    lowered = text.lower()
    if "```" not in text and "~~~" not in text and not any(o in lowered for o in _OPENERS):
        return None  # no fence run and no opening of an HTML block of kinds 1 to 5
    tokens = block_parser().parse(text)
    last = next((t for t in reversed(tokens) if t.level == 0), None)
    if last is None or last.map is None:
        return None
    if last.type == "fence":
        return last.markup if _open(last) else None
    if last.type == "html_block":
        return _html_end(last.content)
    return None


def _html_end(content: str) -> str | None:
    """The end marker an HTML block of kinds 1 to 5 still lacks, or None (closed, or a
    kind a blank line ends)."""
    first = content.lstrip(" ").split("\n", 1)[0]
    for kind, (opening, closing, _interrupts) in enumerate(HTML_SEQUENCES[:5], start=1):
        found = opening.search(first)
        if found is None:
            continue
        if closing.search(content):
            return None
        return f"</{found.group(1).lower()}>" if kind == 1 else _ENDS_OF_KIND[kind]
    return None


def _open(fence: Token) -> bool:
    """Whether ``fence`` took no closing line: its content holds every line after the
    opening one (markdown-it maps a closed fence's closing line too)."""
    assert fence.map is not None
    content = fence.content
    lines = content.count("\n") + (0 if content.endswith("\n") or not content else 1)
    return lines == fence.map[1] - fence.map[0] - 1


def container_depth(text: str, limit: int) -> int:
    """How many lists and block quotes nest at the deepest point of ``text``, counted
    exactly up to ``limit + 1`` (a deeper text gives ``limit + 1``: more than ``limit``).

    markdown-it stops nesting at its ``maxNesting`` and leaves the rest unread, so a
    thousand levels cost no more than ``limit + 1``; a list counts two token levels
    (the list and its item), so the cap is set to see ``limit + 1`` lists.
    """
    deepest = depth = 0
    for token in nesting_block_parser(2 * (limit + 1)).parse(text):
        if token.type in _CONTAINERS:
            depth += 1
            deepest = max(deepest, depth)
        elif token.type in _ENDS:
            depth -= 1
    return min(deepest, limit + 1)
