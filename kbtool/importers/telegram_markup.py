"""Telegram formatting -> Markdown, shared by the JSON and HTML importers.

Telegram Desktop writes the same entity kinds to both exports (``"bold"``,
``"text_link"`` with ``"href"``, ``"pre"`` with ``"language"``, ...; in HTML as
``<strong>``, ``<a href>``, ``<pre>``), so one function turns a kind plus its
already-rendered inner text into Markdown. Plain text is kept verbatim (not
escaped): channel posts are prose, and escaping every ``*`` would hurt more
than the rare accidental emphasis. Headings are the exception: Telegram has none,
so a line the parser reads as one (``# Stay focused``, a line of ``---`` right under
text) is text the post shows as written, and its marker is escaped
(:func:`literal_headings`); as a heading it would split the answer into sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kbtool.importers import telegram_chat as chat
from kbtool.importers.base import Dropped, DropReason, RawEntry
from kbtool.importers.telegram_polls import Poll

HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
HASHTAG_LINE_RE = re.compile(r"^\s*(?:#\w+[\s,;]*)+$")
LINK_ONLY_RE = re.compile(r"^\s*(?:https?://|t\.me/|www\.)\S+\s*$")

# Kinds whose text stays as it is: Markdown has no spoiler, underline or
# mention, and custom emoji are exported with their fallback emoji as text.
PLAIN_KINDS = frozenset(
    {
        "plain",
        "mention",
        "mention_name",
        "hashtag",
        "cashtag",
        "bot_command",
        "email",
        "phone",
        "bank_card",
        "custom_emoji",
        "spoiler",
        "underline",
        "unknown",
    }
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_EMPHASIS = {"bold": "**", "italic": "*", "strikethrough": "~~"}


def hashtags(text: str) -> list[str]:
    """Hashtags in ``text`` without ``#``, first occurrence order, no repeats."""
    seen: dict[str, None] = {}
    for match in HASHTAG_RE.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def _emphasize(text: str, marker: str) -> str:
    """Wrap each line's non-blank core: ``** x **`` is not bold in CommonMark."""
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            out.append(line)
            continue
        start = line.index(core[0])
        out.append(f"{line[:start]}{marker}{core}{marker}{line[start + len(core) :]}")
    return "\n".join(out)


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fenced(text: str, language: str) -> str:
    longest = max((len(run) for run in re.findall(r"^`{3,}", text, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"\n\n{fence}{language}\n{text.strip(chr(10))}\n{fence}\n\n"


def _quote(text: str) -> str:
    lines = text.strip("\n").split("\n")
    return "\n\n" + "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


def wrap(kind: str, text: str, *, href: str = "", language: str = "") -> str:
    """Markdown for ``text`` formatted as Telegram entity ``kind``.

    Unknown kinds render as plain text, so a newer exporter never loses words.
    """
    if not text.strip() or kind in PLAIN_KINDS:
        return text
    if kind in _EMPHASIS:
        return _emphasize(text, _EMPHASIS[kind])
    if kind == "code":
        return _code_span(text) if "\n" not in text else _fenced(text, "")
    if kind == "pre":
        return _fenced(text, language)
    if kind == "text_link" and href and href != text:
        label = text.replace("[", "\\[").replace("]", "\\]")
        return f"[{label}]({href.replace(' ', '%20')})"
    if kind in {"blockquote", "expandable_blockquote"}:
        return _quote(text)
    return text  # link, text_link without href, and kinds added later


def literal_headings(markdown: str) -> str:
    """``markdown`` with each heading's marker escaped, so it reads as the text it is.

    Telegram shows ``# transportation`` and a ``---`` line under a sentence as they
    are typed; Markdown would make a heading of each. The parser (blocks only) finds
    them, so a ``#`` line in code stays; an ATX heading's ``#`` run and a setext
    underline get a backslash.
    """
    lines = markdown.split("\n")
    underline = any(core and not core.strip("=-") for core in (x.strip(" \t>") for x in lines))
    if "#" not in markdown and not underline:
        return markdown  # no line could be a heading: spare the parse
    from kbtool.markdown.parser import block_parser

    for token in block_parser().parse(markdown):
        if token.type != "heading_open" or token.map is None:
            continue
        if token.markup.startswith("#"):  # ATX: containers write no "#" before it
            number = token.map[0]
            at = lines[number].find("#")
        else:  # setext: the underline, after any quote markers
            number = token.map[1] - 1
            at = len(lines[number]) - len(lines[number].lstrip(" \t>"))
        lines[number] = f"{lines[number][:at]}\\{lines[number][at:]}"
    return "\n".join(lines)


def tidy(markdown: str) -> str:
    """Collapse the blank-line runs that fenced blocks and quotes leave behind.

    Control characters (exporter faults) go too: page breaks become spaces.
    """
    text = markdown.replace("\x0b", " ").replace("\x0c", " ")
    text = _CONTROL_RE.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def split_post(markdown_lines: list[str]) -> tuple[str, list[str], list[str]]:
    """(title, body lines, tags) of a post: first line asks, hashtag lines become tags."""
    tags: list[str] = []
    kept: list[str] = []
    in_fence = False
    for line in markdown_lines:
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if in_fence or line.lstrip().startswith("```"):
            kept.append(line)  # "#include" in code is not a tag
        elif "#" not in line:
            kept.append(line)
        elif HASHTAG_LINE_RE.match(line):
            tags.extend(hashtags(line))
        else:
            tags.extend(hashtags(line))
            kept.append(line)
    while kept and not kept[0].strip():
        kept.pop(0)
    title = kept[0].strip() if kept else ""
    return title, kept[1:], list(dict.fromkeys(tags))


def plain_title(title: str) -> str:
    """A title without the emphasis markers a channel puts on its question line."""
    text = re.sub(r"(\*\*|~~|(?<!\w)\*|\*(?!\w))", "", title)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.strip().strip("`").strip() or title.strip()


def without_private(text: str, is_private: Callable[[str], bool]) -> tuple[str, int]:
    """``text`` without the lines the privacy config flags, and how many there were."""
    lines = text.split("\n")
    kept = [line for line in lines if not (line.strip() and is_private(line))]
    return "\n".join(kept), len(lines) - len(kept)


def post(
    body: str,
    unit: int,
    msg_id: str,
    ref: str,
    is_private: Callable[[str], bool],
    media: str | None = None,
    poll: Poll | None = None,
    picture: str | None = None,
) -> RawEntry | Dropped:
    """A message rendered to Markdown as an entry (first line the question, hashtags
    the tags), or why it is left out: only private lines, a sticker, only emoji or
    thanks (noise), nothing but media (``media`` names it; ``None`` when the message
    has none), empty, or only hashtags or a link. A poll is a question with its
    options. ``picture``: the photo of the message as the export wrote it (a path
    relative to the export's folder), shown after the text: a channel's diagram or
    formula is often the answer. The same for every Telegram export format."""
    refs = (msg_id,)
    if poll is not None:
        return _poll_entry(poll, body, unit, ref, is_private)
    if media == "sticker":
        return Dropped((unit,), DropReason.NOISE, refs, "sticker")
    body, private = without_private(body, is_private)
    if private and not body.strip():
        return Dropped((unit,), DropReason.PRIVATE, refs, _lines_note(private), private)
    if not body.strip():
        reason = DropReason.MEDIA if media is not None else DropReason.EMPTY
        return Dropped((unit,), reason, refs, media or "")
    why = chat.noise(body)
    if why is not None:
        return Dropped((unit,), DropReason.NOISE, refs, why)
    if HASHTAG_LINE_RE.match(body) or LINK_ONLY_RE.match(body):
        return Dropped((unit,), DropReason.BOILERPLATE, refs, "only hashtags or a link")
    lines, greeting = chat.strip_greeting(literal_headings(body).split("\n"))
    title, rest, tags = split_post(lines)
    left_out = [f"message {msg_id}: {private} private line(s) left out"] if private else []
    if greeting:
        left_out.append(f'message {msg_id}: greeting "{greeting}" left out of the title')
    body = tidy("\n".join(rest))
    if picture:
        body = "\n\n".join(part for part in (body, _picture(picture)) if part)
    return RawEntry(
        title=plain_title(title),
        body=body,
        tags=tags,
        units=(unit,),
        ref=ref,
        left_out=left_out,
        private_lines=private,
    )


def _picture(path: str) -> str:
    """``![](path)``: Markdown of a photo the export saved beside its messages."""
    from kbtool.importers.assets import destination

    return f"![]({destination(path)})"


def photo_path(value: object) -> str | None:
    """The ``photo`` an export saved, or None: absent, or a note in its place ("(File not
    included. Change data exporting settings to download.)")."""
    if not isinstance(value, str) or not value.strip() or value.lstrip().startswith("("):
        return None
    return value.strip()


def _lines_note(count: int) -> str:
    return f"{count} private line(s)"


def _poll_entry(
    poll: Poll, text: str, unit: int, ref: str, is_private: Callable[[str], bool]
) -> RawEntry:
    """A poll or quiz as a question: its options, the marked answer, the message text."""
    parts = (poll.more, poll.markdown(), text.strip())
    joined = literal_headings("\n\n".join(part for part in parts if part))
    body, private = without_private(joined, is_private)
    return RawEntry(
        title=poll.title,
        body=tidy(body),
        tags=hashtags(text),
        units=(unit,),
        ref=ref,
        answered=bool(poll.answers),
        private_lines=private,
        left_out=[f"{private} private line(s) left out"] if private else [],
    )
