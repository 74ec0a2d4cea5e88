"""Telegram Desktop HTML export (``messages.html``, ``messages2.html``, ...) -> entries.

Classes follow Telegram Desktop's HTML writer (``export_output_html.cpp``):
``div.message.default`` (plus ``joined`` when the sender repeats),
``div.message.service``, ``.from_name``, ``.pull_right.date.details`` whose
``title`` is ``"13.05.2024 18:05:11 UTC+03:00"`` (older exports: no offset),
``.text`` and ``.media_wrap``.

Multi-page exports: the importer is given one file. ``messages.html`` reads its
siblings ``messages2.html``, ``messages3.html``, ... from the same folder in
numeric order; a later page next to its first page returns nothing but a warning,
because it was read with the first one. A first page saved under another name
(``index.html``, to publish the export as a web page) is known by its link to the
next page (``<a class="pagination block_link" href="messages2.html">``) and is read
the same. Units are messages numbered across all pages.

In a forum, a message that replies to the service message "X created topic «T»"
(or to a message that does) is filed under the topic "T".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kbtool.errors import InputError
from kbtool.importers import telegram_chat as chat
from kbtool.importers import telegram_markup as markup
from kbtool.importers import telegram_polls as polls
from kbtool.importers.base import Dropped, DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.model.slugs import make_slug
from kbtool.store.text import read_text

if TYPE_CHECKING:  # bs4 is imported when HTML is parsed, not when formats are detected
    from bs4 import BeautifulSoup
    from bs4.element import Tag

_PAGE_RE = re.compile(r"^messages(\d*)\.html$")
# the first page's link to the second, as the HTML writer puts it at the page's end
_TO_SECOND_PAGE = re.compile(r'<a class="pagination[^"]*" href="messages2\.html"')
# the HTML writer's sentence for a forum topic's start: 'Ann created topic «Datasets»'
_TOPIC_CREATED_RE = re.compile(r"\bcreated topic «(.+)»\s*$")
_GO_TO_RE = re.compile(r"go_to_message(\d+)|GoToMessage\((\d+)\)")
_DATE_RE = re.compile(
    r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?"
)
_TAGS = {
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}


def page_number(path: Path) -> int | None:
    """1 for ``messages.html``, N for ``messagesN.html``, None for other names."""
    match = _PAGE_RE.match(path.name)
    if not match:
        return None
    return int(match.group(1) or 1)


def is_first_page(path: Path, text: str) -> bool:
    """``messages.html``, or a page of another name that links to ``messages2.html``
    (a first page renamed; a later page is always ``messagesN.html``)."""
    number = page_number(path)
    return number == 1 or (number is None and _TO_SECOND_PAGE.search(text) is not None)


def first_page(folder: Path) -> Path | None:
    """The first page of the export in ``folder``: ``messages.html``, else the page of
    another name that links to ``messages2.html``; None when there is neither."""
    standard = folder / "messages.html"
    if standard.is_file():
        return standard
    for candidate in sorted(folder.glob("*.htm*")):
        if page_number(candidate) is not None or not candidate.is_file():
            continue
        try:
            text = read_text(candidate)
        except InputError:
            continue  # an unreadable neighbour is no first page; its own import says why
        if is_first_page(candidate, text):
            return candidate
    return None


def pages(path: Path, text: str = "") -> list[Path]:
    """``path`` and, when it is the first page (``text`` is its content), its later
    siblings in numeric order."""
    if not is_first_page(path, text) or not path.parent.is_dir():
        return [path]
    siblings = [p for p in path.parent.glob("messages*.html") if (page_number(p) or 0) > 1]
    return [path, *sorted(siblings, key=lambda p: page_number(p) or 0)]


def parse_date(title: str) -> dt.datetime | dt.date | None:
    """UTC datetime from ``"13.05.2024 18:05:11 UTC+03:00"``; the day when there is no offset.

    None when the title is no such date, or names one that does not exist
    (``31.02.2024``, hour 25, an offset of 30 hours): the caller warns.
    """
    match = _DATE_RE.search(title)
    if not match:
        return None
    day, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
    try:
        local = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        if sign is None:
            return local.date()  # local time of an unknown zone: only the day is certain
        offset = dt.timedelta(hours=int(off_h), minutes=int(off_m)) * (1 if sign == "+" else -1)
        return local.replace(tzinfo=dt.timezone(offset)).astimezone(dt.UTC)
    except (ValueError, OverflowError):  # no such day or time, or an offset over 24 h
        return None


def render(node: Tag) -> str:
    """Markdown of a ``.text`` element's children."""
    from bs4.element import NavigableString, Tag

    out: list[str] = []
    for child in node.children:
        if isinstance(child, NavigableString):
            out.append(str(child).replace("\n", " ") if child.strip() else str(child).strip("\n"))
        elif isinstance(child, Tag):
            out.append(_element(child))
    return "".join(out)


def _element(tag: Tag) -> str:
    from bs4.element import Tag

    if tag.name == "br":
        return "\n"
    if tag.name == "img":
        return str(tag.get("alt") or "")
    if tag.name == "pre":
        code = tag.find("code")
        classes = code.get_attribute_list("class") if isinstance(code, Tag) else []
        language = next((c[9:] for c in classes if c and c.startswith("language-")), "")
        language = language or str(tag.get("data-language") or "")
        return markup.wrap("pre", tag.get_text(), language=language)
    inner = render(tag)
    if tag.name == "a":
        href = str(tag.get("href") or "")
        kind = "text_link" if href.startswith(("http://", "https://", "mailto:", "tg:")) else "link"
        return markup.wrap(kind, inner, href=href)
    kind = _TAGS.get(tag.name or "", "plain")
    if "spoiler" in tag.get_attribute_list("class"):
        kind = "spoiler"
    return markup.wrap(kind, inner)


def _dedent(markdown: str) -> str:
    """Drop the indentation HTML source layout leaves at line starts (outside code)."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line.lstrip())
        else:
            out.append(line if fenced else line.lstrip())
    return "\n".join(out).strip("\n")


def _ref_prefix(soup: BeautifulSoup) -> str:
    header = soup.select_one(".page_header .text")
    name = header.get_text(" ", strip=True) if header else ""
    return f"channel-{make_slug(name) or 'unknown'}" if name else "channel-unknown"


def _reply_target(message: Tag) -> str | None:
    """Id of the message this one replies to (``div.reply_to`` link), if any."""
    link = message.select_one(".reply_to a")
    if link is None:
        return None
    found = _GO_TO_RE.search(f"{link.get('href') or ''} {link.get('onclick') or ''}")
    return (found.group(1) or found.group(2)) if found else None


def _is_sticker(message: Tag) -> bool:
    if message.select_one(".media_wrap .sticker, .media_wrap .sticker_wrap") is not None:
        return True
    title = message.select_one(".media_wrap .media .title")
    return title is not None and title.get_text(strip=True) == "Sticker"


def _service(message: Tag, unit: int, msg_id: str, topics: chat.ForumTopics) -> Dropped:
    """A service message left out (a date, "X joined"), noting a forum topic it starts."""
    said = message.get_text(" ", strip=True)
    created = _TOPIC_CREATED_RE.search(said)
    if created is not None:
        topics.created(msg_id, created.group(1))
    return Dropped((unit,), DropReason.SERVICE, (msg_id,), said[:80])


class TelegramHtmlImporter:
    """Telegram Desktop's HTML export, one entry per text message."""

    name = "telegram-html"
    description = "Telegram Desktop HTML export (messages.html, messages2.html, ...)"

    def detect(self, text: str, path: Path) -> float:
        head = text[:20000]
        if "<" not in head:
            return 0.0
        page = 'class="page_wrap"' in head or 'class="history"' in head
        messages = re.search(r'class="message (?:default|service)', head) is not None
        if page and messages:
            return 0.95
        return 0.6 if messages else 0.2 if page else 0.0

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        if self.detect(text, path) == 0.0:  # only when chosen with --format
            why = "it has no HTML tags" if "<" not in text[:20000] else "no Telegram messages"
            raise InputError(
                f"not a Telegram HTML export ({why})",
                path=str(path),
                hint="drop --format to detect the format, or give the export's messages.html",
            )
        result = ParseResult(unit="message")
        number = page_number(path)
        first = first_page(path.parent) if number is not None and number > 1 else None
        if first is not None:
            result.warnings.append(f"read together with {first.name}; skipped")
            return result
        unit = 0
        units: dict[str, int] = {}
        replies: dict[int, int] = {}
        topics = chat.ForumTopics()
        for index, page in enumerate(pages(path, text)):
            from bs4 import BeautifulSoup

            soup = BeautifulSoup(text if index == 0 else read_text(page), "html.parser")
            prefix = _ref_prefix(soup)
            for message in soup.select("div.message"):
                unit += 1
                classes = message.get_attribute_list("class")
                msg_id = str(message.get("id") or "").removeprefix("message") or str(unit)
                if "service" in classes:
                    result.dropped.append(_service(message, unit, msg_id, topics))
                    continue
                units[msg_id] = unit
                target = _reply_target(message)
                if target is not None and target in units:
                    replies[unit] = units[target]
                if target is not None:
                    topics.reply(msg_id, target, unit)
                result.add(self._message(message, unit, msg_id, prefix, options))
        result.total_units = unit
        chat.drop_repeated_lines(result)
        chat.join_replies(result, replies)
        topics.file(result)
        return result

    @staticmethod
    def _message(
        message: Tag, unit: int, msg_id: str, prefix: str, options: ImportOptions
    ) -> RawEntry | Dropped:
        node = message.select_one("div.text")
        body = _dedent(markup.tidy(render(node))) if node is not None else ""
        media = "" if message.select_one(".media_wrap") is not None else None
        if _is_sticker(message):
            media = "sticker"
        poll_node = message.select_one(".media_poll")
        poll = polls.from_html(poll_node) if poll_node is not None else None
        ref = f"{prefix}/post-{msg_id}"
        photo = message.select_one(".media_wrap a.photo_wrap[href]")
        picture = markup.photo_path(photo.get("href")) if photo is not None else None
        entry = markup.post(body, unit, msg_id, ref, options.is_private, media, poll, picture)
        if isinstance(entry, Dropped):
            return entry
        stamp = message.select_one(".date.details")
        title_attr = str(stamp.get("title") or "") if stamp else ""
        entry.date = parse_date(title_attr)
        if stamp is not None and entry.date is None:
            entry.warnings.append(
                f'message {msg_id}: date "{title_attr[:60]}" is not a date like '
                '"13.05.2024 18:05:11 UTC+03:00"; the entry has no date'
            )
        return entry
