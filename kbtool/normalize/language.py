"""The language of an entry, from Google's Compact Language Detector 2 (``pycld2``).

CLD2 tells 80+ languages apart (Russian, English, Arabic, Persian, Korean, ...) and its
model is compiled into the package: nothing is downloaded at run time, and a call
costs tens of microseconds, so a 10,000-post import stays fast. It reads prose only:
URLs, code, math and HTML tags are taken out first (an image URL is not English).

Rules on top, for how interview notes are written: English terms inside prose of a
language with another script do not make it English ("Зачем нужен learning rate
scheduler?" is Russian: the prose is judged without them); a text too short to judge
("ReLU", "Что такое dropout?") goes by its script; Cyrillic text CLD2 calls Serbian
or Bulgarian but which has none of their own letters is Russian.
"""

from __future__ import annotations

import re

import pycld2

from kbtool.markdown.document import CODE_KINDS, MATH_KINDS, parse
from kbtool.normalize.pipeline import MAX_CHECKED

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")
_LETTER = re.compile(r"[^\W\d_]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’-]*")
SAMPLE = 300  # characters of prose: enough to tell the language, cheap to read
SHORT = 24  # fewer letters than this: the script decides where it can
MIXED_SHARE = 30  # percent of letters in another script that outweigh English terms


def prose(text: str) -> str:
    """``text`` (a title line, then a Markdown body) without code, math, HTML, link
    targets and URLs, whitespace collapsed, capped.

    What is code, math, HTML or a link is the parser's reading, of the title and of the
    body apart; the body's is cached already when import asks (normalize has just read
    it), and a text in whose first ``SAMPLE * 4`` characters no code, math, HTML or link
    can start is not parsed at all (the tests compare the two).
    """
    head = text[: SAMPLE * 4]
    if not plain_head(text, SAMPLE * 4):
        title, newline, body = text.partition("\n")
        head = _markdown_prose(title, SAMPLE * 4)
        if newline:
            head += "\n" + _markdown_prose(body, SAMPLE * 4 - len(title) - 1)
    for needed, pattern, replacement in _NOT_MARKDOWN:
        if needed in head:
            head = pattern.sub(replacement, head)
    return " ".join(_CONTROL.sub(" ", head).split())[:SAMPLE]


# A character code, math, HTML or a link starts with (the facts parser skips inline
# content without one the same way); an indented line may be code.
_FACT_CHAR = re.compile(r"[`$<\[~\t]")
_DROPPED = CODE_KINDS | MATH_KINDS | {"html_inline", "html_block", "comment"}
_NOT_MARKDOWN: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("\\", re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S), " "),  # \( \) and \[ \] math
    (".", re.compile(r"(?:https?://|ftp://|www\.)\S+"), " "),  # bare URLs
)


def plain_head(text: str, limit: int) -> bool:
    """No code, math, HTML or link can start in ``text[:limit]``: none on its lines, the
    last read to its end (a block's span starts where its line does, before the fence
    or tag that makes it)."""
    end = text.find("\n", limit)
    head = text[: len(text) if end < 0 else end]
    return "    " not in head and _FACT_CHAR.search(head) is None


def _markdown_prose(text: str, limit: int) -> str:
    """About ``limit`` characters of ``text``'s source with code, math and HTML left out
    and links and images as their labels."""
    limit = max(0, limit)
    if plain_head(text, limit):
        return text[:limit]
    return parsed_prose(text, limit)


def parsed_prose(text: str, limit: int) -> str:
    """:func:`_markdown_prose` read from the parse, whatever ``text`` holds."""
    # normalize has just parsed a body it reads whole (cached); a longer one is read
    # only as far as a sample needs
    doc = parse(text if len(text) <= MAX_CHECKED else text[: limit * 2])
    text = doc.text
    cuts: list[tuple[int, int, str]] = [
        (span.start, span.end, " ") for span in doc.spans if span.kind in _DROPPED
    ]
    for link in doc.links:
        if link.kind in {"link", "image", "reference"}:
            cuts.append((*doc.extent(link), f" {link.text} "))
        elif link.kind == "autolink":
            cuts.append((*doc.extent(link), " "))
    cuts.sort()
    out: list[str] = []
    last = 0
    for start, end, kept in cuts:
        if start >= limit:
            break
        if start < last:  # inside a cut already (code in a link's label)
            continue
        out.append(text[last:start])
        out.append(kept)
        last = end
    if last < limit:
        out.append(text[last:limit])
    return "".join(out)


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` in runs that ``pattern`` matches (C speed, no loop per letter)."""
    return sum(map(len, pattern.findall(text)))


def _by_script(sample: str, letters: int, default: str) -> str | None:
    """``ru`` or ``en`` when the letters are Cyrillic or Latin; None for other scripts."""
    cyrillic = _count(_CYRILLIC, sample)
    latin = _count(_LATIN, sample)
    if cyrillic + latin < letters / 2:
        return None
    if cyrillic == 0 and latin == 0:
        return default
    return "ru" if cyrillic >= latin * 0.5 else "en"


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of ``text``'s language; ``default`` when it has no letters."""
    sample = prose(text)
    letters = _count(_LETTER, sample)
    if not letters:
        return default
    non_latin = letters - _count(_LATIN, sample)
    if non_latin >= letters * MIXED_SHARE / 100 and non_latin < letters:
        # English terms in prose of another script: judge the prose, not the terms
        sample = " ".join(_LATIN_WORD.sub(" ", sample).split())
        letters = _count(_LETTER, sample)
    if letters < SHORT:
        by_script = _by_script(sample, letters, default)
        if by_script is not None:
            return by_script
    try:
        _, _, details = pycld2.detect(sample, bestEffort=True)
    except pycld2.error:
        return _by_script(sample, letters, default) or default
    found = [str(code) for _, code, percent, _ in details if code != "un" and percent > 0]
    if not found:
        return _by_script(sample, letters, default) or default
    return _cyrillic(_short_code(found[0], default), sample)


# Letters each Cyrillic language has and Russian lacks (Bulgarian: a vowel ъ mid-word
# is common there, rare in Russian). CLD2 reads short Russian as one of these.
_OWN_LETTERS = {
    "sr": "ђјљњћџ",
    "mk": "ѓѕјљњќџ",
    "uk": "іїєґ",
    "be": "іў",
    "kk": "әғқңөұүһі",
    "ky": "ңөү",
    "mn": "өү",
    "tg": "ғӣқӯҳҷ",
    "bg": "ъ",
}


def _cyrillic(code: str, sample: str) -> str:
    """``ru`` for Cyrillic text CLD2 gave another language that none of its letters show."""
    own = _OWN_LETTERS.get(code)
    if own is None:
        return code
    lower = sample.lower()
    return code if any(letter in lower for letter in own) else "ru"


_OLD_CODES = {"iw": "he", "in": "id", "jw": "jv", "ji": "yi", "mo": "ro"}


def _short_code(code: str, default: str = "en") -> str:
    """ISO 639 code for what CLD2 writes: ``zh-Hant`` -> ``zh``, ``iw`` -> ``he``."""
    short = code.split("-", maxsplit=1)[0].lower()
    short = _OLD_CODES.get(short, short)
    return short if re.fullmatch("[a-z]{2,3}", short) and short not in {"xx", "xxx"} else default
