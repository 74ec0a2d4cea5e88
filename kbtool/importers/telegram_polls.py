"""Telegram polls and quizzes -> questions with their options.

What the exports hold (Telegram Desktop's writers, ``export_output_json.cpp`` and
``export_output_html.cpp``):

- JSON: ``"poll": {"question", "closed", "total_voters", "answers": [{"text",
  "voters", "chosen"}]}``. ``chosen`` is the exporting account's own vote; there is
  no quiz flag and no correct option. Some other exporters add ``"correct": true``
  to an answer, and ``question`` may be a list of text parts like ``text``.
- HTML: ``div.media_poll`` with ``div.question``, ``div.details`` ("Anonymous poll",
  "Final results"; "Quiz" in some exports) and one ``div.answer`` per option,
  ``"- Option <span class="details">8 votes, chosen vote</span>"``.

A question may run over several lines (Telegram allows line breaks in it; HTML
``<br>``): its first line is the entry's title, the others open the body before the
options, where a channel's repeated "Join us @channel" line is a signature like any
post's (:func:`kbtool.importers.telegram_chat.drop_repeated_lines`).

The right option is the one the export marks: ``correct`` where present, else the
exporter's own vote (in a quiz channel the owner answers their own quiz). A poll
with no marked option is a draft with its options kept under a clear label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bs4.element import Tag

OPTIONS_LABEL = "**Options:**"
_BREAK = "\u2028"  # stands for an HTML <br> while the question's text is read
_VOTES_RE = re.compile(r"(\d+)\s+votes?|no votes", re.I)


@dataclass(frozen=True)
class PollOption:
    text: str
    voters: int | None = None
    marked: bool = False  # the export marks it: correct, or the exporter's own vote


@dataclass(frozen=True)
class Poll:
    question: str  # its lines as written, spacing within each line collapsed
    options: tuple[PollOption, ...]
    quiz: bool = False

    @property
    def title(self) -> str:
        """The question's first line."""
        return self.question.split("\n", 1)[0]

    @property
    def more(self) -> str:
        """The question's lines after the first (blank runs kept to one)."""
        return self.question.split("\n", 1)[1] if "\n" in self.question else ""

    @property
    def answers(self) -> list[str]:
        return [option.text for option in self.options if option.marked]

    def markdown(self) -> str:
        """The entry body: the options under a label, then the marked answer(s)."""
        if not self.options:
            return ""
        lines = [OPTIONS_LABEL, ""]
        for option in self.options:
            votes = "" if option.voters is None else f" ({_votes(option.voters)})"
            lines.append(f"- {option.text}{votes}")
        answers = self.answers
        if len(answers) == 1:
            lines += ["", f"**Answer:** {answers[0]}"]
        elif answers:
            lines += ["", "**Answers:**", ""] + [f"- {answer}" for answer in answers]
        return "\n".join(lines)


def _votes(count: int) -> str:
    return f"{count} vote" if count == 1 else f"{count} votes"


def _plain(value: object) -> str:
    """Text of a JSON string or a list of strings and ``{"text": ...}`` parts."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in value
            if isinstance(part, str | dict)
        )
    if isinstance(value, dict):
        return _plain(value.get("text", ""))
    return ""


def _lines(text: str) -> str:
    """``text`` with each line's spacing collapsed, blank runs to one, no blank ends."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def from_json(poll: Any) -> Poll | None:
    """The poll of a JSON message, or None when it has no question."""
    if not isinstance(poll, dict):
        return None
    question = _lines(_plain(poll.get("question")))
    if not question:
        return None
    answers = [a for a in poll.get("answers") or [] if isinstance(a, dict)]
    has_correct = any("correct" in a for a in answers)
    options = []
    for answer in answers:
        text = " ".join(_plain(answer.get("text")).split())
        if not text:
            continue
        voters = answer.get("voters")
        mark = answer.get("correct") if has_correct else answer.get("chosen")
        options.append(PollOption(text, voters if isinstance(voters, int) else None, mark is True))
    quiz = poll.get("quiz") is True or poll.get("type") == "quiz" or has_correct
    return Poll(question, tuple(options), quiz)


def from_html(node: Tag) -> Poll | None:
    """The poll of an HTML ``div.media_poll``, or None when it has no question."""
    question_node = node.select_one(".question")
    question = ""
    if question_node is not None:
        for br in question_node.find_all("br"):
            br.replace_with(_BREAK)  # a line break; other newlines are the page's layout
        question = _lines(question_node.get_text().replace("\n", " ").replace(_BREAK, "\n"))
    if not question:
        return None
    details = node.select_one(".details")
    quiz = details is not None and "quiz" in details.get_text(" ", strip=True).casefold()
    options = []
    for answer in node.select(".answer"):
        detail = answer.select_one(".details")
        note = detail.get_text(" ", strip=True) if detail else ""
        if detail is not None:
            detail.extract()
        text = " ".join(answer.get_text(" ", strip=True).split()).removeprefix("- ").strip()
        if not text or text == "-":
            continue
        match = _VOTES_RE.search(note)
        voters = None if match is None else int(match.group(1) or 0)
        marked = "chosen" in note.casefold() or "correct" in note.casefold()
        options.append(PollOption(text, voters, marked))
    return Poll(question, tuple(options), quiz)
