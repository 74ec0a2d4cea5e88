"""What a chat export holds besides posts: noise, greetings, threads, signatures.

Shared by the JSON and HTML Telegram importers. A group chat is a conversation: a
question, replies that answer it, thanks, emoji and stickers. So:

- noise — a message of only emoji, only thanks ("Спасибо!", "thx", "+1") or a
  sticker is dropped (reason ``noise``);
- greetings — "Привет всем!", "Hi all,", "Dear students," before the question are
  not its title;
- threads — a message and the replies to it (``reply_to_message_id``, in HTML the
  ``reply_to`` link) become one question and its answer;
- boilerplate — a line that ends many posts (a signature, an advert) is left out
  of each, with one warning that names it;
- forum topics — a message in a topic of a forum supergroup is filed under the
  topic's title, as the group shows it.
"""

from __future__ import annotations

import re
from collections import Counter

from kbtool.importers.base import Dropped, DropReason, ParseResult, RawEntry
from kbtool.importers.telegram_polls import OPTIONS_LABEL

_GREETING = (
    r"(?:hi|hello|hey|hiya|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|привет(?:ствую)?|здравствуйте|здрасьте|добрый\s+(?:день|вечер)|доброе\s+утро|доброго\s+времени\s+суток"
    r"|хай|салют|всем\s+привет|всем\s+добрый\s+(?:день|вечер)|всем\s+доброе\s+утро"
    # a salutation to the group ("Dear students,"), never to one person ("Dear Anna")
    r"|dear\s+(?:all|everyone|students|colleagues|friends|members|participants|team)"
    r"|уважаемые\s+(?:студенты|коллеги|участники|подписчики))"
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


class ForumTopics:
    """The forum topic of each message, read in export order.

    A forum writes a topic's start as a service message; a message in the topic
    replies to that start, or to a message that does. Keys are whatever names a
    message in its export (a chat and message id, or the HTML id).
    """

    def __init__(self) -> None:
        self._titles: dict[object, str] = {}  # topic start -> its (last) title
        self._start_of: dict[object, object] = {}  # message -> its topic's start
        self._units: dict[int, object] = {}  # unit of a message in a topic -> start

    def created(self, key: object, title: str) -> None:
        """``key`` starts a topic named ``title``."""
        if title.strip():
            self._titles[key] = " ".join(title.split())

    def reply(self, key: object, target: object, unit: int | None = None) -> object | None:
        """Message ``key`` (a message of unit ``unit``, None for a service message)
        replies to ``target``: the start of the topic it is in, or None."""
        start = target if target in self._titles else self._start_of.get(target)
        if start is not None:
            self._start_of[key] = start
            if unit is not None:
                self._units[unit] = start
        return start

    def renamed(self, start: object, title: str) -> None:
        """The topic that ``start`` began is now called ``title``."""
        if start in self._titles and title.strip():
            self._titles[start] = " ".join(title.split())

    def file(self, result: ParseResult) -> None:
        """Give each entry the topic of its first message, unless it has one."""
        for entry in result.entries:
            start = self._units.get(entry.units[0]) if entry.units else None
            if start is not None and entry.topic is None:
                entry.topic = self._titles[start]


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _text_and_poll(entry: RawEntry) -> tuple[list[str], list[str]]:
    """The body's lines split where a poll's options begin: a post's own text ends
    there, and a poll's options ("None of the above") are never its signature."""
    lines = entry.body.split("\n")
    if OPTIONS_LABEL in lines:
        at = lines.index(OPTIONS_LABEL)
        return lines[:at], lines[at:]
    return lines, []


def _tail(entry: RawEntry) -> list[str]:
    """The last lines of a post's text, its title included (a post may be one line)."""
    text, _poll = _text_and_poll(entry)
    lines = [line for line in (entry.title, *text) if line.strip()]
    return lines[-_TAIL:]


_HASHTAG = re.compile(r"(?<![\w#])#\w")


def _may_be_signature(line: str) -> bool:
    """Code fences and lines with hashtags (they carry the post's tags) never are."""
    return not line.lstrip().startswith("```") and _HASHTAG.search(line) is None


def _cut(entry: RawEntry, repeated: set[str]) -> tuple[list[str], list[str], bool]:
    """(text lines kept, repeated lines cut from the text's end, whether the post is
    only a repeated line) of one post; its poll, if any, is kept whole."""
    text, poll = _text_and_poll(entry)
    cut: list[str] = []
    while text and (not text[-1].strip() or _norm(text[-1]) in repeated):
        if text[-1].strip():
            cut.append(text[-1])
        text = text[:-1]
    only = _norm(entry.title) in repeated and not any(line.strip() for line in text + poll)
    return text, cut, only


def drop_repeated_lines(result: ParseResult) -> None:
    """Leave out trailing lines (signatures, adverts) repeated at the end of many posts.

    A line counts when it ends at least ``MIN_REPEATS`` posts as they are cut: one that
    is among the last lines of many posts but ends fewer (an option above a poll's last
    one, a line before the real signature) stays where it is.
    """
    if len(result.entries) < MIN_REPEATS:
        return
    counts: Counter[str] = Counter()
    for entry in result.entries:
        counts.update({_norm(line) for line in _tail(entry) if _may_be_signature(line)})
    repeated = {line for line, count in counts.items() if count >= MIN_REPEATS and len(line) >= 4}
    hits: Counter[str] = Counter()
    while repeated:
        hits.clear()
        for entry in result.entries:
            _text, cut, only = _cut(entry, repeated)
            hits.update(_norm(line) for line in cut)
            if only:
                hits[_norm(entry.title)] += 1
        ending = {line for line in repeated if hits[line] >= MIN_REPEATS}
        if ending == repeated:
            break
        repeated = ending
    if not repeated:
        return
    shown: dict[str, str] = {}
    cuts: Counter[str] = Counter()  # posts kept that lose the line (warned about)
    kept: list[RawEntry] = []
    for entry in result.entries:
        text, cut, only = _cut(entry, repeated)
        for line in cut:
            shown.setdefault(_norm(line), line.strip())
            cuts[_norm(line)] += 1
        _old, poll = _text_and_poll(entry)
        entry.body = "\n".join([*text, "", *poll] if text and poll else [*text, *poll])
        if only:
            note = "a signature or advert repeated across posts"
            ref = (entry.ref or "").rsplit("/post-", 1)[-1]
            result.add(Dropped(entry.units, DropReason.BOILERPLATE, (ref,) if ref else (), note))
            continue
        kept.append(entry)
    result.entries = kept
    for line, count in cuts.most_common():
        if line in shown:
            result.warnings.append(
                f'"{shown[line][:60]}" ends {count} posts: left out of each as boilerplate '
                "(a signature or advert)"
            )
