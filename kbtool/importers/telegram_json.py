"""Telegram Desktop ``result.json`` (single chat or full export) -> raw entries.

Field names follow Telegram Desktop's JSON writer (``export_output_json.cpp``):
messages have ``id``, ``type`` (``"message"``/``"service"``), ``date``,
``date_unixtime``, ``text`` (a string, or a list of strings and
``{"type", "text", ...}`` parts) and, from newer exporters, ``text_entities``.
One message is one entry; its unit number is its 1-based position in the file,
and its id travels in ``RawEntry.ref`` (``channel-<chat id>/post-<id>``) so a
re-import finds the same post.

A forum (a supergroup with topics) writes each topic's start as a service message
(``"action": "topic_created"``, ``"title"``; a rename is ``"topic_edit"`` with
``"new_title"``), and a message in a topic replies to that start, or to a message
that does: the topic's title is the entry's topic (:func:`_forum_topics`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kbtool.errors import InputError
from kbtool.importers import telegram_chat as conversation
from kbtool.importers import telegram_fields as fields
from kbtool.importers import telegram_markup as markup
from kbtool.importers import telegram_polls as polls
from kbtool.importers.base import Dropped, DropReason, ImportOptions, ParseResult, RawEntry
from kbtool.parallel import split_map

MEDIA_KEYS = ("photo", "file", "media_type", "sticker_emoji", "poll", "location_information")
_BAD_ESCAPE_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\x([0-9A-Fa-f]{2})")
_ID_RE = re.compile(r'"id"\s*:\s*(-?\d+)')
_HEAD_RE = re.compile(r'"(?:messages|chats|left_chats)"\s*:')
_MESSAGE_HINT_RE = re.compile(r'"(?:date|date_unixtime|text_entities|from_id)"\s*:')
MAX_LISTED = 10
# a message as an entry or a drop, its id when its date is not exact, warnings
Converted = tuple[RawEntry | Dropped, str, list[str]]


class _Loader:
    """``json.loads`` that survives the exporter's known faults and says where they were."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._pending: list[str] = []

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                self._pending.append(key)
            out[key] = value  # the last value wins, as in every JSON reader
        if self._pending and "id" in out and "type" in out:
            keys = ", ".join(dict.fromkeys(self._pending))
            self.warnings.append(
                f"message {out['id']}: duplicate key(s) {keys}; the last value was used"
            )
            self._pending.clear()
        return out

    def load(self, text: str, path: Path) -> Any:
        if not text.lstrip("\ufeff \t\r\n").startswith("{"):  # chosen with --format
            raise InputError(
                "not a Telegram JSON export (it does not start with '{')",
                path=str(path),
                hint="drop --format to detect the format",
            )
        try:
            return json.loads(text, object_pairs_hook=self._pairs)
        except json.JSONDecodeError as first:
            repaired, spots = _repair(text)
            self.warnings, self._pending = [], []  # forget what the failed pass saw
            try:
                data = json.loads(repaired, object_pairs_hook=self._pairs, strict=False)
            except json.JSONDecodeError:
                raise _input_error(first, path) from None
        ids = [(m.start(), m.group(1)) for m in _ID_RE.finditer(text)] if spots else []
        for offset, what in spots:
            index = bisect.bisect_left(ids, (offset, "")) - 1  # the last "id" before the fault
            where = f"message {ids[index][1]}" if index >= 0 else f"offset {offset}"
            self.warnings.append(f"{where}: {what} (an exporter fault) was read leniently")
        return data


def _repair(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Rewrite ``\\x0C`` escapes as ``\\u000C``; raw control characters pass (strict=False)."""
    spots = [(m.start(), f"invalid escape \\x{m.group(2)}") for m in _BAD_ESCAPE_RE.finditer(text)]
    for m in re.finditer(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        spots.append((m.start(), f"raw control character U+{ord(m.group()):04X}"))
    return _BAD_ESCAPE_RE.sub(r"\1\\u00\2", text), sorted(spots)


def _input_error(error: json.JSONDecodeError, path: Path) -> InputError:
    truncated = not error.doc.rstrip().endswith(("}", "]"))
    hint = (
        "the file ends early: the export was interrupted or cut; export the chat again"
        if truncated
        else "this is not valid JSON; re-export with Telegram Desktop "
        "(Export chat history -> Format: Machine-readable JSON)"
    )
    return InputError(
        f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
        path=str(path),
        line=error.lineno,
        hint=hint,
    )


def _chats(data: Any) -> Iterator[dict[str, Any]]:
    """Every chat: the file itself (single chat) or ``chats.list`` and ``left_chats.list``."""
    if not isinstance(data, dict):
        return
    if isinstance(data.get("messages"), list):
        yield data
    for key in ("chats", "left_chats"):
        group = data.get(key)
        chats = group.get("list") if isinstance(group, dict) else None
        for chat in chats if isinstance(chats, list) else []:
            if isinstance(chat, dict) and isinstance(chat.get("messages"), list):
                yield chat


def render(parts: list[dict[str, Any]]) -> str:
    """Markdown of a message's text parts."""
    out = []
    for part in parts:
        kind = str(part.get("type", "plain"))
        href = part.get("href") or ""
        language = part.get("language") or ""
        if kind == "blockquote" and part.get("collapsed"):
            kind = "expandable_blockquote"
        out.append(markup.wrap(kind, part.get("text", ""), href=href, language=language))
    return markup.tidy("".join(out))


def _date(message: dict[str, Any]) -> tuple[dt.datetime | dt.date | None, bool]:
    """(date, exact): UTC from ``date_unixtime``, else the local day of ``date`` (both
    checked by :func:`telegram_fields.check`)."""
    stamp = fields.unix_time(message.get("date_unixtime"))
    if stamp is not None:
        return stamp, True
    return fields.local_day(message.get("date")), False


def _replies(items: list[tuple[Any, object]]) -> dict[int, int]:
    """Unit -> unit of the message it replies to, within the same chat."""
    units: dict[tuple[object, object], int] = {}
    replies: dict[int, int] = {}
    for number, (message, chat_id) in enumerate(items, start=1):
        if not isinstance(message, dict):
            continue
        if not fields.is_id(chat_id) or not fields.is_id(message.get("id", 0)):
            continue  # left out as malformed
        units[(chat_id, message.get("id"))] = number
        target = message.get("reply_to_message_id")
        if fields.is_id(target) and "reply_to_peer_id" not in message:
            found = units.get((chat_id, target))
            if found is not None:
                replies[number] = found
    return replies


def _forum_topics(items: list[tuple[Any, object]]) -> conversation.ForumTopics:
    """The forum topic of each message (``topic_created`` starts one, ``topic_edit``
    with ``new_title`` renames it)."""
    topics = conversation.ForumTopics()
    for number, (message, chat_id) in enumerate(items, start=1):
        if not isinstance(message, dict) or not fields.is_id(message.get("id", 0)):
            continue
        if not fields.is_id(chat_id):  # an id that is a list names no chat: no topics
            continue
        key = (chat_id, message.get("id"))
        service = message.get("type") == "service"
        action = message.get("action")
        title = message.get("title")
        if service and action == "topic_created" and isinstance(title, str):
            topics.created(key, title)
            continue
        target = message.get("reply_to_message_id")
        if not fields.is_id(target) or "reply_to_peer_id" in message:
            continue
        start = topics.reply(key, (chat_id, target), None if service else number)
        renamed = message.get("new_title")
        if service and action == "topic_edit" and isinstance(renamed, str):
            topics.renamed(start, renamed)
    return topics


class TelegramJsonImporter:
    """Telegram Desktop's machine-readable export, one entry per text message."""

    name = "telegram-json"
    description = "Telegram Desktop export result.json (single chat or full export)"

    def detect(self, text: str, path: Path) -> float:
        head = text[:8192].lstrip("\ufeff \t\n")
        if not head.startswith("{"):
            return 0.0
        if '"personal_information"' in head:
            return 0.9  # full export: contacts and pictures may push "chats" far down
        if not _HEAD_RE.search(head):
            return 0.0
        return 0.95 if _MESSAGE_HINT_RE.search(head) or '"list"' in head else 0.6

    def parse(self, text: str, path: Path, options: ImportOptions) -> ParseResult:
        loader = _Loader()
        data = loader.load(text, path)
        result = ParseResult(unit="message")
        old: list[str] = []
        items = [
            (message, chat.get("id", "unknown"))
            for chat in _chats(data)
            for message in chat["messages"]
        ]
        unit = len(items)

        def convert(numbered: tuple[int, tuple[Any, object]]) -> Converted:
            number, (message, chat_id) = numbered
            if not isinstance(message, dict):
                return Dropped((number,), DropReason.EMPTY, note="not an object"), "", []
            return self._message(message, number, chat_id, options)

        # rendering messages is most of a large export's parse: both cores share it
        malformed: list[str] = []
        for converted, old_id, warnings in split_map(convert, list(enumerate(items, start=1))):
            result.add(converted)
            result.warnings.extend(warnings)
            if isinstance(converted, Dropped) and converted.reason == DropReason.MALFORMED:
                malformed.append(f"message {converted.refs[0]}: {converted.note}")
            if old_id:
                old.append(old_id)
        result.warnings.extend(_listed_malformed(malformed))
        if not any(True for _ in _chats(data)):
            raise InputError(
                "no Telegram messages in this JSON file",
                path=str(path),
                hint='expected Telegram Desktop\'s result.json with "messages" or "chats.list"',
            )
        result.total_units = unit
        conversation.drop_repeated_lines(result)
        conversation.join_replies(result, _replies(items))
        _forum_topics(items).file(result)
        result.warnings.extend(dict.fromkeys(loader.warnings))
        if old:
            listed = ", ".join(old[:MAX_LISTED]) + (" ..." if len(old) > MAX_LISTED else "")
            result.warnings.append(
                f"message {listed}: written by an older exporter (no date_unixtime); "
                "the local date was kept without time"
            )
        return result

    def _message(
        self,
        message: dict[str, Any],
        unit: int,
        chat_id: object,
        options: ImportOptions,
    ) -> Converted:
        """The message as an entry or a drop, its id when its date is not exact (an
        older exporter wrote no ``date_unixtime``), and warnings about its fields."""
        raw_id = message.get("id", unit)
        msg_id = str(raw_id) if fields.is_id(raw_id) else str(unit)
        if not fields.is_id(chat_id):
            why = f"its chat's id is {fields.shown(chat_id)}, not a number"
            return Dropped((unit,), DropReason.MALFORMED, (msg_id,), why), "", []
        checked = fields.check(message, msg_id)
        if checked.message is None:
            reason = checked.unreadable or "unreadable"
            return Dropped((unit,), DropReason.MALFORMED, (msg_id,), reason), "", []
        dates = ("date", "date_unixtime")
        bad_date = any(k in message and k not in checked.message for k in dates)  # warned
        message = checked.message
        if message.get("type") == "service":
            action = str(message.get("action", ""))
            return Dropped((unit,), DropReason.SERVICE, (msg_id,), action), "", []
        media = next((key for key in MEDIA_KEYS if key in message), None)
        if message.get("media_type") == "sticker":
            media = "sticker"
        poll = polls.from_json(message.get("poll"))
        ref = f"channel-{chat_id}/post-{msg_id}"
        text = render(message["text_entities"])
        picture = markup.photo_path(message.get("photo"))
        if picture is None and str(message.get("mime_type", "")).startswith("image/"):
            picture = markup.photo_path(message.get("file"))  # a picture sent as a file
        entry = markup.post(text, unit, msg_id, ref, options.is_private, media, poll, picture)
        if isinstance(entry, Dropped):
            return entry, "", checked.warnings
        entry.date, exact = _date(message)
        return entry, "" if exact or bad_date else msg_id, checked.warnings


def _listed_malformed(lines: list[str]) -> list[str]:
    """One warning per message left out for a field of a wrong type, at most
    :data:`MAX_LISTED` (the report's ``dropped`` list has them all)."""
    warnings = [f"{line}; left out" for line in lines[:MAX_LISTED]]
    if len(lines) > MAX_LISTED:
        warnings.append(
            f"{len(lines) - MAX_LISTED} more message(s) left out for fields of a wrong type "
            "(the import report's `dropped` list names each)"
        )
    return warnings
