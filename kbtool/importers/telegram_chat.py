"""What a chat export holds besides posts: noise, greetings, threads, signatures.

Shared by the JSON and HTML Telegram importers. A group chat is a conversation: a
question, replies that answer it, thanks, emoji and stickers. So:

- noise — a message of only emoji, only thanks ("Спасибо!", "thx", "+1") or a
  sticker is dropped (reason ``noise``);
- greetings — "Привет всем!", "Hi all," before the question are not its title;
- threads — a message and the replies to it (``reply_to_message_id``, in HTML the
  ``reply_to`` link) become one question and its answer;
- boilerplate — a line that ends many posts (a signature, an advert) is left out
  of each, with one warning that names it.
"""

from __future__ import annotations

import re
from collections import Counter

from kbtool.importers.base import Dropped, DropReason, ParseResult, RawEntry

_GREETING = (
    r"(?:hi|hello|hey|hiya|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|привет(?:ствую)?|здравствуйте|здрасьте|добрый\s+(?:день|вечер)|доброе\s+утро|доброго\s+времени\s+суток"
    r"|хай|салют|всем\s+привет|всем\s+добрый\s+(?:день|вечер)|всем\s+доброе\s+утро)"
)
_ADDRESSEE = (
    r"(?:all|everyone|everybody|guys|folks|team|there|friends|colleagues|people"
    r"|всем|все|ребята|друзья|коллеги|народ|чат)"
)
GREETING_RE = re.compile(
    rf"^\s*(?:(?:коллеги|ребята|друзья|народ),?\s+)?{_GREETING}(?!\w)"
    rf"(?:\s*,?\s*{_ADDRESSEE}(?!\w))?[\s!,.:;)]*",
    re.I,
)
_THANKS_RE = re.compile(
    r"^(?:(?:большое|огромное|many)\s+)?(?:спасибо|спс|благодарю|пасиб[оа]?|thanks?|thank\s+you|thx|ty|tnx"
    r"|merci|\+\s*1|\+)(?:\s+(?:большое|огромное|a\s+lot|so\s+much|very\s+much|all|everyone"
    r"|всем|за\s+ответ|за\s+помощь|for\s+the\s+answer|for\s+the\s+help))*$",
    re.I,
)
MIN_REPEATS = 3  # posts a trailing line must end before it counts as a signature
_TAIL = 2  # last non-blank lines of a post that may be a signature or an advert


_WORD = re.compile(r"[^\W_]+|\+")  # letters and digits (no emoji, no punctuation), and +
NOISE_MAX = 80  # characters: longer messages are never only emoji or thanks


def noise(text: str) -> str | None:
    """Why a message's text is noise ("emoji only", "thanks only"), or None."""
    if len(text) > NOISE_MAX:
        return None
    words = " ".join(_WORD.findall(text))
    if not words:
        return "emoji only" if text.strip() else None
    if _THANKS_RE.match(words):
        return "thanks only"
    return None


def strip_greeting(lines: list[str]) -> tuple[list[str], str]:
    """``lines`` without the greeting that opens them, and the greeting left out."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    if not lines:
        return lines, ""
    match = GREETING_RE.match(lines[0])
    if match is None:
        return lines, ""
    rest = lines[0][match.end() :].strip()
    greeting = lines[0][: match.end()].strip()
    if rest:
        return [rest[0].upper() + rest[1:], *lines[1:]], greeting
    if not any(line.strip() for line in lines[1:]):
        return lines, ""  # a greeting alone is the whole message: noise judges it
    return lines[1:], greeting


def join_replies(result: ParseResult, reply_to: dict[int, int]) -> None:
    """Fold each reply into the entry it answers (``reply_to``: unit -> unit replied to).

    A reply to a reply joins the first message of the thread; a reply to a message
    that is not an entry (dropped, or not in this export) stays its own entry.
    """
    if not reply_to:
        return
    root_of: dict[int, RawEntry] = {}
    kept: list[RawEntry] = []
    for entry in result.entries:
        unit = entry.units[0] if entry.units else -1
        target = reply_to.get(unit)
        root = root_of.get(target) if target is not None else None
        if root is None:
            root_of[unit] = entry
            kept.append(entry)
            continue
        reply = "\n".join(part for part in (entry.title, entry.body) if part.strip())
        root.body = f"{root.body}\n\n{reply}".strip("\n") if root.body.strip() else reply
        root.units = (*root.units, *entry.units)
        root.tags = list(dict.fromkeys([*root.tags, *entry.tags]))
        root.warnings.extend(entry.warnings)
        root.left_out.extend(entry.left_out)
        root.private_lines += entry.private_lines
        root.answered = True
        root_of[unit] = root
    result.entries = kept


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _tail(entry: RawEntry) -> list[str]:
    """The last lines of a post, its title included (a post may be one line)."""
    lines = [line for line in (entry.title, *entry.body.split("\n")) if line.strip()]
    return lines[-_TAIL:]


_HASHTAG = re.compile(r"(?<![\w#])#\w")


def _may_be_signature(line: str) -> bool:
    """Code fences and lines with hashtags (they carry the post's tags) never are."""
    return not line.lstrip().startswith("```") and _HASHTAG.search(line) is None


def drop_repeated_lines(result: ParseResult) -> None:
    """Leave out trailing lines (signatures, adverts) repeated at the end of many posts."""
    if len(result.entries) < MIN_REPEATS:
        return
    counts: Counter[str] = Counter()
    for entry in result.entries:
        counts.update({_norm(line) for line in _tail(entry) if _may_be_signature(line)})
    repeated = {line for line, count in counts.items() if count >= MIN_REPEATS and len(line) >= 4}
    if not repeated:
        return
    hits: Counter[str] = Counter()
    shown: dict[str, str] = {}
    kept: list[RawEntry] = []
    for entry in result.entries:
        lines = entry.body.split("\n")
        while lines and (not lines[-1].strip() or _norm(lines[-1]) in repeated):
            if lines[-1].strip():
                hits[_norm(lines[-1])] += 1
                shown.setdefault(_norm(lines[-1]), lines[-1].strip())
            lines.pop()
        entry.body = "\n".join(lines)
        if _norm(entry.title) in repeated and not entry.body.strip():
            note = "a signature or advert repeated across posts"
            ref = (entry.ref or "").rsplit("/post-", 1)[-1]
            result.add(Dropped(entry.units, DropReason.BOILERPLATE, (ref,) if ref else (), note))
            continue
        kept.append(entry)
    result.entries = kept
    for line, count in hits.most_common():
        result.warnings.append(
            f'"{shown[line][:60]}" ends {count} posts: left out of each as boilerplate '
            "(a signature or advert)"
        )
