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

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
# What is not prose, each with the character that must be there for it to match: a
# pattern is only run on text that has its character (one alternation of all of them
# costs more than the language guess itself).
_NOT_PROSE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("`", re.compile(r"`+[^`\n]*`+"), " "),  # inline code
    ("$", re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S), " "),  # math
    ("\\", re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S), " "),  # \( \) and \[ \] math
    ("<", re.compile(r"<!--.*?-->|<[^<>\n]+>", re.S), " "),  # HTML comments and tags
    ("](", re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r" \1 "),  # links: keep the text
    (".", re.compile(r"(?:https?://|ftp://|www\.)\S+"), " "),  # bare URLs
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")
_LETTER = re.compile(r"[^\W\d_]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’-]*")
SAMPLE = 300  # characters of prose: enough to tell the language, cheap to read
SHORT = 24  # fewer letters than this: the script decides where it can
MIXED_SHARE = 30  # percent of letters in another script that outweigh English terms


def prose(text: str) -> str:
    """``text`` without code, math, URLs and HTML, whitespace collapsed, capped."""
    text = text[: SAMPLE * 4]  # enough to leave SAMPLE characters of prose
    text = _FENCE.sub(" ", text) if "```" in text or "~~~" in text else text
    for needed, pattern, replacement in _NOT_PROSE:
        if needed in text:
            text = pattern.sub(replacement, text)
    return " ".join(_CONTROL.sub(" ", text).split())[:SAMPLE]


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
