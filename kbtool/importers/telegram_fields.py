"""The fields of a Telegram JSON message, checked for their types before it is read.

A ``result.json`` often comes from someone else, and JSON lets any field hold any
value: ``"href": 12345``, ``"date_unixtime": "100000000000000000000"``, a number
where a text entity should be. Telegram Desktop's writer never does that, so such a
value is not guessed at:

- a field that only adds to the message (its date, a link's target, a code block's
  language, a reply) is left out, with a warning naming the message and the value;
- a field the message *is* (its id, its text, its text entities) makes the message
  unreadable: it is left out of the import with the reason, and the rest of the
  export is imported as usual.

:func:`check` returns the message with the bad optional fields removed (a copy; the
parsed export is not changed) or the reason it cannot be read, plus the warnings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# 9999-12-31T23:59:59Z, the last second Python's datetime holds; Telegram has none before 1970
MAX_UNIXTIME = 253_402_300_799
_PART_TEXTS = ("href", "language")  # text-entity fields that only add to the text
_TEXT_KEYS = ("text", "text_entities")
SHOWN_CHARS = 40  # of a bad value, in messages


@dataclass
class Checked:
    """A message ready to read (``message``), or why it cannot be (``unreadable``)."""

    message: dict[str, Any] | None
    unreadable: str | None = None
    warnings: list[str] = field(default_factory=list)


def shown(value: object) -> str:
    """A bad value as a message quotes it: its JSON type and a short repr."""
    kind = json_type(value)
    text = repr(value)
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 3] + "..."
    return f"{text} ({kind})"


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, as a person reading the file sees it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def is_id(value: object) -> bool:
    """A message or chat id: a number or text (never true/false, a list or an object)."""
    return isinstance(value, int | str) and not isinstance(value, bool)


def unix_time(value: object) -> dt.datetime | None:
    """UTC time of a ``date_unixtime`` (seconds as text or a number), or None when it is
    not one datetime can hold."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        return None
    seconds = int(value)
    if not 0 <= seconds <= MAX_UNIXTIME:
        return None
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def local_day(value: object) -> dt.date | None:
    """The day of a ``date`` (``2024-05-13T18:05:11``), or None when it is not a date."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def check(message: dict[str, Any], msg_id: str) -> Checked:
    """``message``'s text parts and its optional fields of a right type, or why it is unreadable."""
    if "id" in message and not is_id(message["id"]):
        return Checked(None, f"its id is {shown(message['id'])}, not a number")
    key, source = text_source(message)
    if source is None:
        expected = "text or a list of parts" if key == "text" else "a list of parts"
        return Checked(None, f"its {key} is {shown(message.get(key))}, not {expected}")
    warnings: list[str] = []
    parts: list[dict[str, Any]] = []
    for index, part in enumerate(source):
        if isinstance(part, str):
            parts.append({"type": "plain", "text": part})
            continue
        if not isinstance(part, dict):
            return Checked(None, f"{key}[{index}] is {shown(part)}, not text or an object")
        for name in ("type", "text"):
            if name in part and not isinstance(part[name], str):
                return Checked(None, f"{key}[{index}].{name} is {shown(part[name])}, not text")
        parts.append(_part(part, f"{key}[{index}]", msg_id, warnings))
    cleaned = {name: value for name, value in message.items() if name not in _TEXT_KEYS}
    cleaned["text_entities"] = parts
    _check_date(cleaned, msg_id, warnings)
    reply = cleaned.get("reply_to_message_id")
    if reply is not None and not is_id(reply):
        warnings.append(
            f"message {msg_id}: reply_to_message_id {shown(reply)} is not a message id; "
            "the message is read on its own"
        )
        del cleaned["reply_to_message_id"]
    return Checked(cleaned, None, warnings)


def text_source(message: dict[str, Any]) -> tuple[str, list[Any] | None]:
    """Which field holds the text, and its parts (None when of a wrong type).

    ``text_entities`` first, as newer exporters mean it; ``text`` (a string or a list
    of parts) when it is missing, or empty while ``text`` is not.
    """
    entities = message.get("text_entities")
    text = message.get("text")
    if entities is not None and not isinstance(entities, list):
        return "text_entities", None
    if isinstance(entities, list) and (entities or not text):
        return "text_entities", entities
    if text is None or isinstance(text, str):
        return "text", [text] if text else []
    return "text", text if isinstance(text, list) else None


def _check_date(message: dict[str, Any], msg_id: str, warnings: list[str]) -> None:
    """Leave out a ``date_unixtime`` or ``date`` that is not a time, with one warning."""
    wrong: list[str] = []
    stamp = message.get("date_unixtime")
    if stamp is not None and unix_time(stamp) is None:
        wrong.append(f"date_unixtime {shown(stamp)} is not a time in seconds since 1970")
        del message["date_unixtime"]
    day = message.get("date")
    if message.get("date_unixtime") is None and day is not None and local_day(day) is None:
        wrong.append(f"date {shown(day)} is not a date like 2024-05-13T18:05:11")
        del message["date"]
    if wrong:
        kept = "the day was taken from `date`" if "date" in message else "the entry has no date"
        warnings.append(f"message {msg_id}: {' and '.join(wrong)}; {kept}")


def _part(part: dict[str, Any], where: str, msg_id: str, warnings: list[str]) -> dict[str, Any]:
    """A text part without a link target or language that is not text (its text stays)."""
    bad = [name for name in _PART_TEXTS if part.get(name) is not None]
    bad = [name for name in bad if not isinstance(part[name], str)]
    for name in bad:
        what = "link target" if name == "href" else "code language"
        warnings.append(
            f"message {msg_id}: {where}.{name} {shown(part[name])} is not text; "
            f"the {what} was left out, the text kept"
        )
    return {name: value for name, value in part.items() if name not in bad} if bad else part
