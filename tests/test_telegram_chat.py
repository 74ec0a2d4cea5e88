"""Chat noise and greetings, from ``tests/fixtures/import/telegram-chat/noise.yml``."""

from __future__ import annotations

import pytest
import yaml

from kbtool.importers import telegram_chat as chat
from kbtool.importers.base import ParseResult, RawEntry
from tests.conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "import" / "telegram-chat" / "noise.yml").read_text("utf-8"))


@pytest.mark.parametrize(("text", "why"), sorted(CASES["noise"].items()))
def test_noise(text: str, why: str) -> None:
    assert chat.noise(text) == why


@pytest.mark.parametrize("text", CASES["content"])
def test_content_is_not_noise(text: str) -> None:
    assert chat.noise(text) is None


@pytest.mark.parametrize(("first", "title", "greeting"), CASES["greetings"])
def test_greeting(first: str, title: str, greeting: str) -> None:
    lines, left_out = chat.strip_greeting([first, "Next line"])
    assert (lines[0], left_out) == (title, greeting)


def test_lines_with_hashtags_are_never_signatures() -> None:
    """A repeated line that carries hashtags ("#python (обновлено)") is the post's, not
    a signature: it stays, and so does a later edit of it."""
    result = ParseResult(unit="message", total_units=4)
    for unit in range(1, 5):
        result.add(
            RawEntry(f"Вопрос {unit}?", f"Ответ {unit}.\n#python (обновлено)", units=(unit,))
        )
    chat.drop_repeated_lines(result)
    assert [e.body for e in result.entries] == [
        f"Ответ {unit}.\n#python (обновлено)" for unit in range(1, 5)
    ]
    assert result.warnings == []
