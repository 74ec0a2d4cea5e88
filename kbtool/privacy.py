"""What counts as private in interview notes: one set of patterns for import and lint.

Import keeps matching lines out of entries; lint (``KB204 private-content``) reports
them. Both must agree, and both must be precise: "10k samples", "100k pairs", a Unix
timestamp, a version number or a number inside a URL is not a salary or a phone
number, and "the second highest salary" is an SQL exercise, not someone's pay. So each
pattern is followed by a check of what it found, URLs are blanked
before matching, and cheap substring tests skip the patterns a line cannot match.
Cases: ``tests/fixtures/privacy/`` (private and not-private lines, English and Russian).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple


class _Lazy:
    """A regular expression compiled on its first use. Compiling the patterns here costs
    about 20 ms, and lint's pre-commit run imports this module for every changed file,
    most of which hold nothing a pattern's cheap trigger lets through."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self.compiled.search(text, pos, len(text) if endpos is None else endpos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self.compiled.fullmatch(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def sub(self, repl: Any, text: str) -> str:
        return self.compiled.sub(repl, text)


_MONEY_AFTER = (
    r"[ \t]*(?:[$€£₽]|руб|р\.|rub|usd|eur|долл|бакс|gross|net|на\s+руки|в\s+мес|/\s?мес"
    r"|в\s+месяц|per\s+month|a\s+month|/\s?mo(?!\w)|в\s+год|per\s+year|a\s+year|/\s?y(?:ea)?r)"
)
_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"  # kana, Han, Hangul
_AMOUNT = r"(?<![\w/.,$])\d{2,3}(?:[.,]\d)?(?:\s*[/-]\s*\d{2,3})?"
PATTERNS: tuple[tuple[str, str], ...] = (
    ("salary talk", r"(?<!\w)(?:зп|з/п|зарплат\w*|оклад\w*|оффер\w*|salar(?:y|ies))(?!\w)"),
    (
        "salary amount",
        # 250к (Russian slang for thousands of roubles) ending a clause; any amount
        # with a currency or "на руки"/"per month" after it; $150k; never "10k samples"
        rf"{_AMOUNT}\s?(?:к|тыс\.?|тысяч[аи]?)(?=[ \t]*(?:$|[.,;:!?)]))"
        rf"|{_AMOUNT}\s?(?:к|k|тыс\.?|тысяч[аи]?)(?={_MONEY_AFTER})"
        # (a "$" right before or after the amount: "$200K$ users" is a TeX formula)
        r"|[$€£₽]\s?\d{2,3}(?:[.,]\d)?\s?[kк](?![\w$])"
        # 200k ending a clause: pay only where pay is talked about (checked in accepts)
        rf"|{_AMOUNT}\s?k(?=[ \t]*(?:$|[.,;:!?)]))",
    ),
    # (a full stop may end the sentence after it, not continue a version: 1.2.3)
    # (nor a hyphen and more of an id: the groups of a UUID, "62324847-9550-42c9-…")
    ("phone number", r"(?<![\w.+:/-])\+?\d(?:[ ()-]{0,2}\d){9,13}(?![\w:/]|[.-]\w)"),
    # the domain as DNS spells it: labels of letters, digits and inner hyphens, a
    # TLD of letters; so a Telegram photo "photo_2@02-03-2024_10-05-00.jpg" is none.
    # Chinese, Japanese and Korean text runs into an address without a blank
    # ("抄送至name@host.cn各一份"): no part of it
    (
        "e-mail address",
        rf"(?<![.+-])(?<![^\W{_CJK}])(?:[^\W{_CJK}]|[.+-])+@"
        rf"(?:[^\W_{_CJK}](?:[^\W_{_CJK}]|-)*\.)+[^\W\d_{_CJK}]{{2,}}(?![^\W{_CJK}]|-)",
    ),
)
_URL = _Lazy(r"(?:https?://|ftp://|www\.|t\.me/)[^\s<>()\[\]]+", re.I)
_SALARY_WORDS = ("зп", "з/п", "зарплат", "оклад", "оффер", "salar")
_AMOUNT_HINT = re.compile(r"\d\s?[кkт]", re.I)
_PHONE_HINT = re.compile(r"\d(?:[ ()-]{0,2}\d){9}")
_TRIGGERS: dict[str, Callable[[str], bool]] = {
    "salary talk": lambda lower: any(word in lower for word in _SALARY_WORDS),
    "salary amount": lambda lower: _AMOUNT_HINT.search(lower) is not None,
    "phone number": lambda lower: _PHONE_HINT.search(lower) is not None,
    "e-mail address": lambda lower: "@" in lower,
}
COMPILED: tuple[tuple[str, _Lazy], ...] = tuple(
    (label, _Lazy(pattern, re.I | re.M)) for label, pattern in PATTERNS
)


class Finding(NamedTuple):
    start: int
    end: int
    label: str
    text: str


# YYYYMMDD then HHMM or HHMMSS: how note ids, file names and logs stamp a moment
_STAMP = re.compile(
    r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?"
)


# a North American number in the 555 exchange: 555-0100 to 555-0199 are reserved for
# fiction, and a tutorial on formatting numbers writes (313) 555-1234; with a "+1" in
# front, any other 555 number is given as someone's contact
_FICTIONAL = _Lazy(r"1?\d{3}555\d{4}$")


# two numbers of at most five digits joined by a dash, the first the smaller: a range
_RANGE = re.compile(r"\d{1,5}-\d{1,5}")


def _phone(found: str) -> bool:
    """A run of plain digits is a phone only as a Russian 11-digit mobile (8/7...);
    10 or 13 bare digits are timestamps and ids."""
    digits = re.sub(r"\D", "", found)
    if set(digits) <= {"0", "1"} or len(re.findall(r"(?<!\d)\d(?!\d)", found)) > 1:
        return False  # bits of an address ("0000 0000 0001"), a matrix's or a path's numbers
    if _RANGE.fullmatch(found):
        low, high = found.split("-")
        if int(low) < int(high):
            return False  # a range: "ports 49152-65535", "pages 10234-10567"
    if _FICTIONAL.match(digits) and (digits[-4:-2] == "01" or found[0] != "+"):
        return False  # (313) 555-1234: the example of films and textbooks
    if found.startswith("+"):
        return True
    if _STAMP.fullmatch(digits):
        return False  # a date and time: 20251110-153149, a note id or a picture's name
    if re.search(r"[ ()-]", found):
        return True
    return len(digits) == 11 and digits[0] in "78"


# the domains reserved for documentation and testing (RFC 2606, RFC 6761): an address
# there (``fake@example.com``, ``user@mail.example``, ``a@b.test``) is nobody's
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def _email(found: str) -> bool:
    address = found.casefold()
    if address.startswith("git@"):
        return False  # ssh remotes: git@github.com:me/repo
    domain = address.rpartition("@")[2]
    if domain.rpartition(".")[2] in _RESERVED_TLDS:
        return False
    return not any(domain == d or domain.endswith("." + d) for d in _RESERVED_DOMAINS)


CHECKS: dict[str, Callable[[str], bool]] = {"phone number": _phone, "e-mail address": _email}

# "salary" as data, the subject of SQL exercises ("the second highest salary", "salary >
# 100000", "employees whose salary is above the average", "вторая по величине зарплата"):
# a word of ranking, aggregating or a table right before it, or a comparison, a ranking or
# the table's rows right after it
_DATA_BEFORE = _Lazy(
    r"(?:highest|lowest|largest|smallest|max(?:imum)?|min(?:imum)?|average|avg|median|mean"
    r"|total|sum|top|nth|n-th|second|third|\d+(?:st|nd|rd|th)|cumulative|running|employees?'?s?"
    r"|department|dept|column|table|by|descending|ascending|наибольш\w*|наименьш\w*"
    r"|максимальн\w*|минимальн\w*|средн\w*|суммарн\w*|втор\w*|треть\w*|величине"
    r"|сотрудник\w*|отдел\w*|столб\w*)[\s(`'\".,]*$",
    re.IGNORECASE,
)
_DATA_AFTER = _Lazy(
    r"^[\s)`'\".,]*(?:[<>=!]|column|field|table|values?|rank\w*|ties|tied|desc|asc"
    # a column's type in a table's definition (``salary DECIMAL(9,2)``), the Chinese
    # and Japanese words for a column or a field (``salary 列``, ``salary 字段``)
    r"|(?:decimal|numeric|int|integer|bigint|smallint|float|double|real|number|money"
    r"|varchar\w*|char)\b|列|字段|カラム|フィールド"
    r"|of\s+(?:each|all|the"
    r"\s+employees?|employees?)|for\s+each|per\s+(?:employee|department)|above|below|greater"
    r"|less|higher\s+than|lower\s+than|is\s+(?:above|below|greater|higher|lower)|сотрудник\w*"
    r"|выше\s+средн\w*|ниже\s+средн\w*|больше|меньше|по\s+отдел\w*)",
    re.IGNORECASE,
)
# ... or the subject of a study (a dataset, a prediction, a survey, a distribution, "the
# range of salaries", "salaries between 50000 and …", "the same salary"): words people
# also use of their own pay, so only when nobody's own pay is in the clause ("my salary
# is between 150 and 180k", "they offered me the same salary", "I got a higher salary")
# A model's reading of its coefficients is one too: "one year of education results in
# 1 500 € higher salary", "workers without education get a salary of 20 000 €" (a group
# of people earlier in the clause, a comparison right before the word)
_STUDY_BEFORE = _Lazy(
    r"(?:(?:order\s+of|range\s+of|same|higher|lower)[\s(`'\".,]*"
    r"|\b(?:workers|people|graduates|работник\w*|люд(?:и|ей))\b[^.;!?\n]*)$",
    re.IGNORECASE,
)
_STUDY_AFTER = _Lazy(
    r"^[\s)`'\".,]*(?:(?:lies\s+|is\s+)?between\s+\d|of\s+workers|predict\w*|dataset"
    r"|distribution|survey\w*|trends?\b|comparisons?\b|by\s+\d+(?:[.,]\d+)?\s?%"
    # a topic: "Salary negotiation", "Salary discussions" (a heading, a chapter)
    r"|negotiat\w*|discussions?\b|conversations?\b)",
    re.IGNORECASE,
)
_SOMEONES = _Lazy(
    r"(?:\b(?:my|our|your|his|her|their|i|me|we|offer\w*|asked|expect\w*|negotiat\w*)\b"
    r"|(?<!\w)(?:мо[йяеёию]\w*|мне|я|наш\w*|ваш\w*|его|её|их|предлож\w*)(?!\w))[^.;!?\n]*$",
    re.IGNORECASE,
)
# whose pay a title names: a person ("## My salary at the bank", "## The salary they
# offered me"); "## Salary negotiation" names a topic
_WHOSE = _Lazy(
    r"\b(?:my|our|your|his|her|their|i|me|we|us)\b"
    r"|(?<!\w)(?:мо[йяеёию]\w*|мне|меня|я|наш\w*|ваш\w*|его|её|их|нам)(?!\w)",
    re.IGNORECASE,
)
_CONTEXT = 40  # characters read on each side of the word


# a word alone on its line, but for the marks around it (a list item, a heading, bold)
_MARKS_ONLY = _Lazy(r"[^\w\n]*$")
_MARKS_AFTER = _Lazy(r"[ \t*_`~]*(?:\n|$)")


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` is all its line says: a column in a list
    of columns (``- salary``, ``- department_id``), a heading, a table's field; such a
    name says nothing of anyone's pay (an amount after it is found on its own)."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_MARKS_ONLY.match(text[line_start:start])) and bool(_MARKS_AFTER.match(text, end))


# a heading's marks, or an unclosed "[" of a link's text, before the word on its line
_HEADING_BEFORE = _Lazy(r"[ \t]{0,3}#{1,6}[ \t]")
_LINK_TEXT_AFTER = _Lazy(r"[^\[\]\n]*\]\(")
_FRAGMENT_BEFORE = _Lazy(r"\]\(#[^\s()]*$")


def _in_title(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` is in a title: a heading (``## 627. Swap
    Salary``, a problem of an SQL collection) or the text of a link (the contents entry
    pointing at it, and the fragment of that link). A title names a topic; it tells
    nobody's pay unless it says whose (``## My salary at the bank``)."""
    line_start = text.rfind("\n", 0, start) + 1
    if _HEADING_BEFORE.match(text, line_start) or _FRAGMENT_BEFORE.search(text, line_start, start):
        return True
    opened = text.rfind("[", line_start, start)
    return opened >= 0 and "]" not in text[opened:start] and bool(_LINK_TEXT_AFTER.match(text, end))


# "offers" of a shop or an app store (Play Billing's subscription offers, a catalogue's
# offers): a word of selling around the word
_PRODUCT = _Lazy(
    r"(?<!\w)(?:каталог\w*|подписк\w*|скидк\w*|промо\w*|товар\w*|покупк\w*|billing"
    r"|subscriptions?|trials?|discounts?|catalog(?:ue)?s?|products?|in-app)(?!\w)",
    re.IGNORECASE,
)
# a count of salaries is a cost ("eight salaries plus the infrastructure")
_COUNT_BEFORE = _Lazy(
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozen|several|many|few)\s+$",
    re.IGNORECASE,
)


# a clause about the rows of a table, as SQL lessons on ranking and window functions
# word their examples ("Ramesh and Suresh (both $50k) tie for rank 1", "the department
# total ($120k) alongside the individual salary", "multiplies the salary by 1.10 for each
# matching row", a table's header "|Name|Department|Salary|"); never with "my", "I" or
# "me" in it ("they offered me more than anyone in the department")
_TABLE_WORDS = _Lazy(
    r"\b(?:rank\w*|dense_rank|row_number|rows?|partition\w*|ties|tied|tie|department\w*"
    r"|dept|employees?|columns?|tables?)\b|(?<!\w)(?:сотрудник\w*|отдел(?:[аеуы]|ом|ов|ам|ами|ах)?|таблиц\w*|строк[аеиу]?)(?!\w)",
    re.IGNORECASE,
)
_OWN = _Lazy(r"\b(?:my|mine|i|me)\b|(?<!\w)(?:мо[йяеёию]\w*|мне|меня|я)(?!\w)", re.IGNORECASE)
_CLAUSE_END = _Lazy(r"[.;!?](?=\s|$)|\n")  # not the point of "1.05"
_CLAUSE_REACH = 160  # characters read on each side for the clause


def _about_table_rows(text: str, start: int, end: int) -> bool:
    """Whether the word or amount at ``text[start:end]`` is in a clause about a table's
    rows, and nobody's own."""
    low = max(0, start - _CLAUSE_REACH)
    before = text[low:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    after = text[end : end + _CLAUSE_REACH]
    stop = _CLAUSE_END.search(after)
    clause = before[cut:] + text[start:end] + (after[: stop.start()] if stop else after)
    return bool(_TABLE_WORDS.search(clause)) and not _OWN.search(clause)


def _salary_as_data(text: str, start: int, end: int) -> bool:
    """Whether the salary word at ``text[start:end]`` names data, not someone's pay."""
    if _alone(text, start, end) or _about_table_rows(text, start, end):
        return True
    if _in_title(text, start, end):  # unless the title says whose: anywhere on its line
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        return not _WHOSE.search(text, line_start, len(text) if line_end < 0 else line_end)
    word = text[start:end].casefold()
    if word.startswith("оффер") or word == "salaries":
        before, after = text[max(0, start - _CONTEXT) : start], text[end : end + _CONTEXT]
        if word == "salaries" and _COUNT_BEFORE.search(before):
            return True
        if word.startswith("оффер") and (_PRODUCT.search(before) or _PRODUCT.search(after)):
            return not _SOMEONES.search(before)
    before = text[max(0, start - _CONTEXT) : start]
    after = text[end : end + _CONTEXT]
    if _DATA_BEFORE.search(before) or _DATA_AFTER.match(after):
        return True
    studied = _STUDY_BEFORE.search(before) or _STUDY_AFTER.match(after)
    return bool(studied) and not _SOMEONES.search(before)


# An amount of money that is a cost, not someone's pay ("a fine-tune costs about $50K
# on rented GPUs", "обучение обошлось в $20k"): a word of cost earlier in its clause, or
# what the money buys right after it; never when pay is talked about around it
_COST_BEFORE = _Lazy(
    r"(?:\bcost(?:s|ing)?|\bpric(?:e|es|ed|ing)|\bbudget\w*|\bspen[dt]\w*|\bbill(?:s|ed)?"
    r"|\brevenue|\bprizes?|\bfunding|\braised|\bvalued|\bworth|\bsav(?:e|es|ed|ing)|\bfine[sd]?"
    r"|\bloss(?:es)?|стои\w*|стоимост\w*|обош[её]л\w*|цен[аыу]|бюджет\w*|потрат\w*"
    r"|выручк\w*|расход\w*|сэконом\w*)[^.;!?\n]*$",
    re.IGNORECASE,
)
_COST_AFTER = _Lazy(
    r"^\s*(?:of|in|on|for|на|в)\s+(?:\w+\s+){0,2}(?:compute|gpus?|cloud|credits?|hardware"
    r"|servers?|ads|advertising|infrastructure|licen[cs]es?|видеокарт\w*|облак\w*|сервер\w*"
    r"|реклам\w*|железо|лицензи\w*)(?!\w)",
    re.IGNORECASE,
)
_PAY = _Lazy(
    r"salar|offer|\bbase\b|\bcomp\b|compensation|\btc\b|\bpaid\b|\bearn|\bpays?\b|\bgross"
    r"|зп|з/п|зарплат|оклад|оффер|плат[яи]т|получа|на\s+руки",
    re.IGNORECASE,
)


def _amount_as_cost(text: str, start: int, end: int) -> bool:
    """Whether the amount at ``text[start:end]`` is a cost, not someone's pay."""
    before = text[max(0, start - _CONTEXT - 20) : start]
    after = text[end : end + _CONTEXT]
    if _PAY.search(before) or _PAY.search(after):
        return False
    return bool(_COST_BEFORE.search(before) or _COST_AFTER.match(after))


_CLAUSE_BEFORE = _Lazy(r"[^.;!?\n]*$")


def _bare_k(text: str, match: re.Match[str]) -> bool:
    """Whether the amount is a bare ``200k`` ending a clause (no currency, no "на
    руки"): a count ("it creates 100k.") unless pay is talked about earlier in the
    clause ("they offered me 200k", "my salary is 150k")."""
    found = match.group(0)
    if found[-1:] not in "kK" or found[:1] in "$€£₽":
        return False
    return _MONEY_AFTER_RE.match(text, match.end()) is None


_MONEY_AFTER_RE = _Lazy(_MONEY_AFTER, re.IGNORECASE)


# two-digit groups, six or more of them or one more byte in hexadecimal right before or
# after them: a frame of a bus or a memory dump ("Data=2F 00 16 00 00 00 00 00",
# "23 00 16 02 20 00 GH EF"), where a French number ("06 12 34 56 78") has five
_BYTE_PAIRS = _Lazy(r"\d\d(?: \d\d)+")
# a byte as dumps write it: a digit and a digit or a capital A-F, or two capitals ("FF")
_BYTE = r"(?:\d[\dA-F]|[A-F]\d|[A-F]{2})"
_HEX_BEFORE = _Lazy(rf"(?<![\w.]){_BYTE} $")
_HEX_AFTER = _Lazy(rf" {_BYTE}(?![\w.])")


def _in_byte_dump(text: str, start: int, end: int) -> bool:
    """Whether the digits at ``text[start:end]`` are bytes of a longer run of them."""
    if not _BYTE_PAIRS.fullmatch(text, start, end):
        return False
    if end - start >= 6 * 3 - 1:
        return True
    return bool(_HEX_BEFORE.search(text, max(0, start - 4), start)) or bool(
        _HEX_AFTER.match(text, end)
    )


def accepts(label: str, text: str, match: re.Match[str]) -> bool:
    """Whether what ``label``'s pattern found in ``text`` is private after all: the
    check of what it found, and for salary talk and amounts the words around them."""
    check = CHECKS.get(label)
    if check is not None and not check(match.group(0)):
        return False
    if label == "phone number" and _in_byte_dump(text, match.start(), match.end()):
        return False
    if label == "salary amount" and _about_table_rows(text, match.start(), match.end()):
        return False
    if label == "salary amount" and _bare_k(text, match):
        clause = _CLAUSE_BEFORE.search(text, max(0, match.start() - _CONTEXT - 20), match.start())
        return clause is not None and _PAY.search(clause.group(0)) is not None
    if label == "salary amount":
        return not _amount_as_cost(text, match.start(), match.end())
    return label != "salary talk" or not _salary_as_data(text, match.start(), match.end())


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
    patterns: list[tuple[str, _Lazy | re.Pattern[str]]] = [*(COMPILED if defaults else ()), *extra]
    for label, pattern in patterns:
        trigger = _TRIGGERS.get(label)
        if trigger is not None and not trigger(lower):
            continue
        for match in pattern.finditer(text):
            if match.start() in hits or not accepts(label, text, match):
                continue
            hits[match.start()] = Finding(match.start(), match.end(), label, match.group(0))
    return [hits[start] for start in sorted(hits)]


def is_private(line: str) -> bool:
    """True when ``line`` holds something private by the default patterns."""
    lower = line.lower()
    if not any(trigger(lower) for trigger in _TRIGGERS.values()):
        return False
    return bool(find(line))
