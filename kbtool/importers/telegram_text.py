"""Text copied from a public Telegram channel page -> one entry per post.

A copy of ``t.me/<channel>`` or its web preview ``t.me/s/<channel>`` is plain
lines: a channel header (name, "4.26K subscribers", "468 photos", description,
ad contacts, "Download Telegram"), then posts. A post is a question line, an
answer, hashtag lines and a tail of meta lines (reactions ``👍11``, views
``1.2K views``, time ``10:45``, ``edited``). The tail closes a post, so the next
content line opens the following one; a "Forwarded from" line also opens one.
Posts with no tail at all between them cannot be told apart and stay merged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kbtool.importers import telegram_markup as markup
from kbtool.importers.base import Dropped, DropReason, ImportOptions, ParseResult, RawEntry

_COUNT_RE = re.compile(
    r"^[\d.,\s]+[KkMmКкМм]?\s+(?:subscribers?|members?|photos?|videos?|files?|links?|"
    r"audio|voices?|gifs?|online|подписчик\w*|участник\w*|фото\w*|видео|файл\w*|"
    r"ссыл\w*|аудио\w*)\s*$",
    re.IGNORECASE,
)
_BOILERPLATE_RE = re.compile(
    r"^(?:download telegram|скачать telegram|view in telegram|open in telegram|"
    r"preview channel|join channel|view channel|context menu|show more|"
    r"please open telegram to view this post|открыть в telegram|"
    r"you can view and join @\S+ right away\.?|вы можете посмотреть.*|if you have telegram.*)$",
    re.IGNORECASE,
)
_HEADER_END_RE = re.compile(
    r"^(?:preview channel|view in telegram|open in telegram|join channel|view channel|"
    r"открыть в telegram|показать канал)$",
    re.IGNORECASE,
)
_VIEWS_RE = re.compile(r"^[\d.,]+\s*[KkMmКкМм]?\s*(?:views?|просмотр\w*)\b.*$", re.IGNORECASE)
_TIME_RE = re.compile(
    r"^(?:(?:edited|изменено)\s*)?(?:\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s*)?"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)?$"
)
_VIEWS_TIME_RE = re.compile(
    r"^[\d.,]+[KkMmКкМм]?\s*(?:views?|просмотр\w*)?\s*(?:edited|изменено)?\s*"
    r"\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?$",
    re.IGNORECASE,
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_DAY_RE = re.compile(
    rf"^(?:\d{{1,2}}\s+)?(?:{_MONTHS})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?$", re.IGNORECASE
)
_EDITED_RE = re.compile(r"^(?:edited|изменено)$", re.IGNORECASE)
_FORWARDED_RE = re.compile(r"^(?:forwarded from|переслано (?:от|из))\b", re.IGNORECASE)
HEADER_SCAN = 40  # header lines are never further down than this


def is_reaction(line: str) -> bool:
    """``👍11``, ``7👍1``, ``❤️5 🔥2``, ``👍 11``: emoji and counts, nothing else."""
    text = line.strip()
    if not text or not any(ch.isdigit() for ch in text):
        return False
    symbol = False
    for ch in text:
        if ch.isdigit() or ch in " .,KkMm\u200d\ufe0f":
            continue
        if unicodedata.category(ch) in {"So", "Sk", "Sm", "Mn", "Cf"} and ord(ch) > 0x2000:
            symbol = True
            continue
        return False
    return symbol


def _is_meta(line: str) -> bool:
    text = line.strip()
    return bool(
        _VIEWS_RE.match(text)
        or _VIEWS_TIME_RE.match(text)
        or _EDITED_RE.match(text)
        or _DAY_RE.match(text)
        or (text and _TIME_RE.match(text))
    )


def header_end(lines: list[str]) -> int:
    """Number of leading lines that are the channel header (0 when there is none)."""
    scan = [line.strip() for line in lines[:HEADER_SCAN]]
    counts = [i for i, text in enumerate(scan) if _COUNT_RE.match(text)]
    has_counts = bool(counts) and counts[0] <= 2
    for index, text in enumerate(scan):
        closing = text.lower() in {"download telegram", "скачать telegram"}
        if closing or (has_counts and _HEADER_END_RE.match(text)):
            return index + 1
    return counts[-1] + 1 if has_counts else 0


@dataclass
class _Post:
    lines: list[tuple[int, str]] = field(default_factory=list)  # content, with inner blanks
    tag_lines: list[tuple[int, str]] = field(default_factory=list)
    tail: bool = False  # reactions, views or time seen: the post is over
    tagged: bool = False  # hashtag lines after the text: a new text line starts a new post

    def has_content(self) -> bool:
        return any(text.strip() for _, text in self.lines)


class TelegramTextImporter:
    """A Telegram channel page copied as text."""

    name = "telegram-text"
    description = "text copied from a public Telegram channel page (t.me or t.me/s)"

    def detect(self, text: str, path: Path) -> float:
        head = text.lstrip("\ufeff \n")
        if head.startswith(("{", "[", "<", "---")):
            return 0.0
        lines = text.split("\n")
        if header_end(lines):
            return 0.9
        reactions = sum(1 for line in lines if is_reaction(line))
        tag_lines = sum(1 for line in lines if markup.HASHTAG_LINE_RE.match(line))
        views = sum(1 for line in lines if _VIEWS_RE.match(line.strip()))
        if (reactions or views) and tag_lines:
            return 0.75
        if reactions >= 2 or views >= 2:
            return 0.5
        return 0.1 if tag_lines else 0.0

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # the final newline ends a line, it is not one
        result = ParseResult(total_units=len(lines), unit="line")
        end = header_end(lines)
        channel = lines[0].strip() if end else ""
        self._drop(result, range(1, end + 1), DropReason.BOILERPLATE, "channel header")
        post = _Post()
        for number, line in enumerate(lines[end:], start=end + 1):
            stripped = line.strip()
            if not stripped and post.has_content():
                post.lines.append((number, line))  # maybe inside the answer; settled on close
            elif not stripped:
                self._empty(result, number)
            elif options.is_private(line):
                result.dropped.append(Dropped((number,), DropReason.PRIVATE))
            elif is_reaction(stripped):
                result.dropped.append(Dropped((number,), DropReason.REACTION))
                post.tail = post.has_content()  # meta above a post opens nothing
            elif _is_meta(stripped):
                result.dropped.append(Dropped((number,), DropReason.BOILERPLATE, note="meta"))
                post.tail = post.has_content()  # meta above a post opens nothing
            elif _BOILERPLATE_RE.match(stripped) or (channel and stripped == channel):
                result.dropped.append(Dropped((number,), DropReason.BOILERPLATE))
                post = self._close(result, post) if stripped == channel else post
            elif _FORWARDED_RE.match(stripped):
                result.dropped.append(Dropped((number,), DropReason.BOILERPLATE, note="forward"))
                post = self._close(result, post)
            elif markup.HASHTAG_LINE_RE.match(stripped):
                if post.tail and post.has_content():
                    post = self._close(result, post)  # tags above the next question
                post.tag_lines.append((number, line))
                post.tagged = post.has_content()
            else:
                if (post.tail or post.tagged) and post.has_content():
                    post = self._close(result, post)
                post.lines.append((number, line))
        self._close(result, post)
        result.dropped.sort(key=lambda drop: drop.units)
        return result

    @staticmethod
    def _drop(result: ParseResult, units: range, reason: DropReason, note: str = "") -> None:
        if units:
            result.dropped.append(Dropped(tuple(units), reason, note=note))

    @staticmethod
    def _empty(result: ParseResult, number: int) -> None:
        result.dropped.append(Dropped((number,), DropReason.EMPTY))

    def _close(self, result: ParseResult, post: _Post) -> _Post:
        """Turn ``post`` into an entry (or drops) and start a new one."""
        while post.lines and not post.lines[-1][1].strip():
            self._empty(result, post.lines.pop()[0])
        content = "\n".join(text for _, text in post.lines)
        if not post.has_content() or markup.LINK_ONLY_RE.match(content):
            for number, _ in post.lines + post.tag_lines:
                result.dropped.append(Dropped((number,), DropReason.BOILERPLATE, note="no post"))
            return _Post()
        title, body, tags = markup.split_post([text for _, text in post.lines])
        for _, line in post.tag_lines:
            tags.extend(markup.hashtags(line))
        units = tuple(sorted(number for number, _ in post.lines + post.tag_lines))
        result.entries.append(
            RawEntry(
                title=title,
                body=markup.tidy("\n".join(body)),
                tags=list(dict.fromkeys(tags)),
                units=units,
                lines=(units[0], units[-1]),
            )
        )
        return _Post()
