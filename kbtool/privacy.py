"""What counts as private in interview notes: one set of patterns for import and lint.

Import keeps matching lines out of entries; lint (``KB204 private-content``) reports
them. Both must agree, and both must be precise: "10k samples", "100k pairs", a Unix
timestamp, a version number or a number inside a URL is not a salary or a phone
number. So each pattern is followed by a check of what it found, URLs are blanked
before matching, and cheap substring tests skip the patterns a line cannot match.
Cases: ``tests/fixtures/privacy/`` (private and not-private lines, English and Russian).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_MONEY_AFTER = (
    r"[ \t]*(?:[$€£₽]|руб|р\.|rub|usd|eur|долл|бакс|gross|net|на\s+руки|в\s+мес|/\s?мес"
    r"|в\s+месяц|per\s+month|a\s+month|/\s?mo(?!\w)|в\s+год|per\s+year|a\s+year|/\s?y(?:ea)?r)"
)
_AMOUNT = r"(?<![\w/.,])\d{2,3}(?:[.,]\d)?(?:\s*[/-]\s*\d{2,3})?"
PATTERNS: tuple[tuple[str, str], ...] = (
    ("salary talk", r"(?<!\w)(?:зп|з/п|зарплат\w*|оклад\w*|оффер\w*|salar(?:y|ies))(?!\w)"),
    (
        "salary amount",
        # 250к (Russian slang for thousands of roubles) ending a clause; any amount
        # with a currency or "на руки"/"per month" after it; $150k; never "10k samples"
        rf"{_AMOUNT}\s?(?:к|тыс\.?|тысяч[аи]?)(?=[ \t]*(?:$|[.,;:!?)]))"
        rf"|{_AMOUNT}\s?(?:к|k|тыс\.?|тысяч[аи]?)(?={_MONEY_AFTER})"
        r"|[$€£₽]\s?\d{2,3}(?:[.,]\d)?\s?[kк](?!\w)",
    ),
    ("phone number", r"(?<![\w.+:/-])\+?\d(?:[ ()-]{0,2}\d){9,13}(?![\w.:/])"),
    # the domain as DNS spells it: labels of letters, digits and inner hyphens, a
    # TLD of letters; so a Telegram photo "photo_2@02-03-2024_10-05-00.jpg" is none
    (
        "e-mail address",
        r"(?<![\w.+-])[\w.+-]+@(?:[^\W_](?:[^\W_]|-)*\.)+[^\W\d_]{2,}(?![\w-])",
    ),
)
_URL = re.compile(r"(?:https?://|ftp://|www\.|t\.me/)[^\s<>()\[\]]+", re.I)
_SALARY_WORDS = ("зп", "з/п", "зарплат", "оклад", "оффер", "salar")
_AMOUNT_HINT = re.compile(r"\d\s?[кkт]", re.I)
_PHONE_HINT = re.compile(r"\d(?:[ ()-]{0,2}\d){9}")
_TRIGGERS: dict[str, Callable[[str], bool]] = {
    "salary talk": lambda lower: any(word in lower for word in _SALARY_WORDS),
    "salary amount": lambda lower: _AMOUNT_HINT.search(lower) is not None,
    "phone number": lambda lower: _PHONE_HINT.search(lower) is not None,
    "e-mail address": lambda lower: "@" in lower,
}
COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.I | re.M)) for label, pattern in PATTERNS
)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    label: str
    text: str


def _phone(found: str) -> bool:
    """A run of plain digits is a phone only as a Russian 11-digit mobile (8/7...);
    10 or 13 bare digits are timestamps and ids."""
    digits = re.sub(r"\D", "", found)
    if found.startswith("+") or re.search(r"[ ()-]", found):
        return True
    return len(digits) == 11 and digits[0] in "78"


def _email(found: str) -> bool:
    return not found.casefold().startswith("git@")  # ssh remotes: git@github.com:me/repo


CHECKS: dict[str, Callable[[str], bool]] = {"phone number": _phone, "e-mail address": _email}


def without_urls(text: str) -> str:
    """``text`` with every URL blanked (same length, so offsets still hold)."""
    if "://" not in text and "www." not in text and "t.me/" not in text:
        return text
    return _URL.sub(lambda m: " " * len(m.group()), text)


def find(
    text: str, extra: Iterable[tuple[str, re.Pattern[str]]] = (), *, defaults: bool = True
) -> list[Finding]:
    """Private things in ``text`` in order of position (one per start offset)."""
    text = without_urls(text)
    lower = text.lower()
    hits: dict[int, Finding] = {}
    patterns = [*(COMPILED if defaults else ()), *extra]
    for label, pattern in patterns:
        trigger = _TRIGGERS.get(label)
        if trigger is not None and not trigger(lower):
            continue
        check = CHECKS.get(label)
        for match in pattern.finditer(text):
            found = match.group(0)
            if match.start() in hits or (check is not None and not check(found)):
                continue
            hits[match.start()] = Finding(match.start(), match.end(), label, found)
    return [hits[start] for start in sorted(hits)]


def is_private(line: str) -> bool:
    """True when ``line`` holds something private by the default patterns."""
    lower = line.lower()
    if not any(trigger(lower) for trigger in _TRIGGERS.values()):
        return False
    return bool(find(line))
