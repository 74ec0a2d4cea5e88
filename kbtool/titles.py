"""Whether a title asks something on its own: the test import, lint and stats share
before they call two entries the same question.

"Why?", "How", "Parameters" head a section of a note and mean something only under
that note's name; two notes each with a "Why?" section ask two different things. So
a title counts as the same question as another only when it can stand alone: two
words or more, one of them more than a question word, pronoun or particle ("Why
OWL?", "Explain PCA", "Что такое BERT?"). A real vault lost three such sections to
import's duplicate check, and lint called them duplicates.

Titles are compared by similarity, which cannot tell that "React 18" and "React 19"
differ in what matters: two titles whose numbers differ are never the same question.
Nor can it tell that "What is MAE?" and "What is MSE?" (90 of 100), or "... when the
prediction is sure and wrong" and "... sure and correct", ask two things: two titles
where each puts a word of its own in place of one of the other's are not the same
question either, unless the two words are one word spelt or inflected differently
("regularisation", "regularization"; "model", "models").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from markdown_it.token import Token

# Words that say what kind of question is asked, not what it is about (en, ru).
FUNCTION_WORDS = frozenset(
    """
    a about an and are as be can could did do does for how i if in is it its not of on
    or should so than that the then these this those to was we were what when where
    which who whom whose why will with would you
    а бы в во где для же и или как какая какие каким каков какой когда кто ли на не
    нет о об почему про с со так то чем что это эта этот эти зачем
    """.split()  # noqa: SIM905  (a list literal would take a line per word)
)


def stands_alone(words: str) -> bool:
    """Whether a title folded to ``words`` (its words joined by spaces, lower case)
    names a question by itself."""
    split = words.split()
    return len(split) >= 2 and any(w not in FUNCTION_WORDS and not w.isdigit() for w in split)


_NUMBER = re.compile(r"\d+")


def same_numbers(one: str, other: str) -> bool:
    """Whether two titles hold the same numbers (in any order): "features of React 18"
    is not "features of React 19", however alike the rest."""
    return sorted(_NUMBER.findall(one)) == sorted(_NUMBER.findall(other))


def same_terms(one: str, other: str) -> bool:
    """Whether two folded titles (words joined by spaces, lower case) name the same
    things: not when each has a word the other lacks, other than a question word or
    particle, that is no spelling of one of the other's ("MAE" and "MSE", "wrong" and
    "correct", "Huber" and "MAE"). A word only one of them adds ("... work exactly?")
    leaves them alike: it asks the same with more words."""
    mine = {w for w in one.split() if w not in FUNCTION_WORDS}
    theirs = {w for w in other.split() if w not in FUNCTION_WORDS}
    only_mine, only_theirs = mine - theirs, theirs - mine
    if not only_mine or not only_theirs:
        return True
    return all(any(_spelling(w, v) for v in only_theirs) for w in only_mine) or all(
        any(_spelling(v, w) for w in only_mine) for v in only_theirs
    )


def _spelling(one: str, other: str) -> bool:
    """Whether two different words are one word spelt or inflected differently: both
    of five letters or more, the same first three (inflections and typos change the
    end or the middle, "encoder" and "decoder" are two words) and at most a quarter of
    the longer one's letters apart. Short words (acronyms: MAE, MSE; L1) must match."""
    if min(len(one), len(other)) < 5 or one[:3] != other[:3]:
        return False
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(one, other) <= max(len(one), len(other)) // 4


# Characters that may make a title's text read as markup: with none of them, the text
# is what a reader sees (the parser is not asked).
_MARKUP = re.compile(r"[\\`*_\[\]<>&!$~#]")
_ESCAPED = {c: f"&#{ord(c)};" for c in "\\`*_[]<>&!$~#"}


def title_text(markdown: str) -> str:
    """The text a reader sees of a title written in Markdown (a heading's text, a bold
    question): ``What is a \\[tuple\\]?`` is ``What is a [tuple]?``, ``Why \\*args?`` is
    ``Why *args?``; emphasis, links and HTML tags give their text, entities their
    character, ``\\(x\\)`` is math (``\\[x\\]`` stays brackets). Code spans and math
    keep their delimiters, as titles always have (``What does `yield` do?``). One line;
    the parser's reading (:mod:`kbtool.markdown`), so titles, ids and the slugs GitHub
    makes of the rendered heading agree."""
    if not _MARKUP.search(markdown):
        return " ".join(markdown.split())
    from kbtool.markdown.document import tokens
    from kbtool.markdown.parser import parser
    from kbtool.normalize.steps import normalize_math

    # ``\[`` in a title is an escaped bracket, as CommonMark reads it, never display math
    text = _ESCAPED_BRACKET.sub(_bracket, " ".join(markdown.split()))
    text = normalize_math(text)
    children = None
    if text.startswith("#"):  # "## Why C#": a heading's text, without its markers
        found = tokens(text)
        if len(found) == 3 and found[0].type == "heading_open":
            children = found[1].children
    if children is None:
        children = parser().parseInline(text)[0].children
    return " ".join(_reader_text(children or []).split())


# A link at a title's end that cites where the question or its answer comes from
# ("What is X? [[src](https://…)]", "… [[Answer]](https://…)") rather than being part
# of the question: its text is such a word, or the link is set in brackets.
_CITATION = re.compile(
    r"\W*(?:src|source|sources|ref|refs|reference|link|answer|solution|paper|video|"
    r"article|post|\d{1,3}|источник|ссылка|ответ|решение)\W*",
    re.I,
)
_BETWEEN_CITATIONS = re.compile(r"[\s\[\](),;|]*")


class TitleLinks(NamedTuple):
    """A title's Markdown as a title (without the links that only cite a source at its
    end) and the links of the title as written: ``cited`` (those cut) and ``named``
    (those whose text stays in the title), which the entry's body keeps."""

    markdown: str
    cited: tuple[str, ...]
    named: tuple[str, ...]


def title_links(markdown: str) -> TitleLinks:
    """Split a title written in Markdown into the title and its links (see
    :class:`TitleLinks`): a title is text, and nothing its author linked is lost."""
    if "](" not in markdown and "<" not in markdown:
        return TitleLinks(markdown, (), ())
    from kbtool.markdown.document import parse

    doc = parse(markdown)
    found = [
        (*doc.extent(link), link)
        for link in doc.links
        if link.kind in ("link", "autolink", "reference") and doc.extent(link)[0] >= 0
    ]
    if not found:
        return TitleLinks(markdown, (), ())
    text = doc.text
    cut = len(text)
    for start, end, link in reversed(found):
        bracketed = text[:start].rstrip().endswith("[") or link.text.startswith("[")
        if not _BETWEEN_CITATIONS.fullmatch(text[end:cut]):
            break
        if not (bracketed or _CITATION.fullmatch(link.text)):
            break
        cut = start
    head = text[:cut].rstrip(" \t[(,;|")
    if cut == len(text) or not any(c.isalnum() for c in title_text(head)):
        head, cut = text, len(text)
    written = [(start, text[start:end]) for start, end, _link in found]
    cited = tuple(w for start, w in written if start >= cut)
    named = tuple(w for start, w in written if start < cut)
    return TitleLinks(head, cited, named)


_ESCAPED_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\\([\[\]])")  # a backslash not itself escaped


def _bracket(match: re.Match[str]) -> str:
    return f"{match.group(1)}&#{ord(match.group(2))};"


def _reader_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "text_special"):
            parts.append(child.content)
        elif kind == "code_inline":
            pad = " " if child.content[:1] == "`" or child.content[-1:] == "`" else ""
            parts.append(f"{child.markup}{pad}{child.content}{pad}{child.markup}")
        elif kind in ("math_inline", "math_inline_double"):
            fence = child.markup or ("$$" if kind == "math_inline_double" else "$")
            parts.append(f"{fence}{child.content}{fence}")
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def markdown_escaped(text: str) -> str:
    """``text`` as Markdown that :func:`title_text` reads back as ``text`` (spacing
    aside): for a title a source gives as plain text (a file name, a front matter
    ``title:``) where the importers hand the pipeline Markdown. Character references,
    not backslashes, so that no ``\\(`` or ``\\[`` reads as math."""
    return "".join(_ESCAPED.get(c, c) for c in text) if _MARKUP.search(text) else text
