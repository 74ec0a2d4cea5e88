"""Generate a realistic knowledge base with a known set of planted lint problems.

``generate(base, n, seed)`` writes a self-contained project into ``base``:

- ``base/kbtool.toml`` (``notes = "notes"``);
- ``base/notes/<topic>/<id>.md``: ``n`` valid entries of about 4 KB each — Russian
  text, ``$…$`` and ``$$…$$`` math, lists, sometimes a table, ``##`` headings, three
  cross-file links ``[..](../topic/other-id.md#heading-slug)`` and a ``[[wikilink]]``,
  and an image that exists in ``base/notes/assets/`` (inside the base, so exports take it);
  what line scanners misread: stray backticks, headings in quotes and list items,
  setext headings, each with links to it;
- planted problems, about 1% each: broken links (target file missing, or the
  target file lacks the linked heading — both are ``broken-link``), broken anchors
  (an in-document ``[..](#fragment)`` with no such heading: ``broken-anchor``) and
  missing answers (an ``answered`` entry whose body is only a placeholder).

Every planted problem is recorded in ``Corpus.planted`` as
``(path relative to base, 1-based line, rule name)``; everything else is clean for
every lint rule, so a linter run must report exactly the planted set.

Run: ``.venv/bin/python benchmarks/generate_corpus.py OUT N [--seed S]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from kbtool.markdown.slugger import slug
from kbtool.model.entry import Entry
from kbtool.store import atomic
from kbtool.store.entry_file import render

TOPICS = ["nlp", "deep-learning", "statistics", "sql", "classic-ml", "python", "recsys", "cv"]
HEADINGS = ["Определение", "Как это работает", "Формулы", "Пример", "Подводные камни"]
PLACEHOLDERS = ["TODO", "TBD", "Ответ", "…", "<answer>", "{{answer}}"]
ASSETS = 12
_WORD_TEXT = (
    "модель данные обучение признак выборка градиент функция потерь метрика точность "
    "полнота регуляризация переобучение валидация кросс-валидация дерево ансамбль бустинг "
    "бэггинг случайный лес нейросеть слой активация нормализация внимание трансформер "
    "эмбеддинг токен словарь контекст последовательность свёртка пулинг оптимизатор шаг "
    "скорость сходимость минимум максимум распределение среднее дисперсия медиана квантиль "
    "гипотеза критерий значимость интервал оценка смещение разброс запрос таблица индекс "
    "соединение группировка агрегат окно ранжирование рекомендация пользователь объект "
    "рейтинг матрица разложение вектор пространство расстояние сходство кластер центроид "
    "граница решение вероятность логит сигмоида энтропия информация сигнал шум изображение "
    "пиксель канал ядро фильтр генератор итератор декоратор список словарь кортеж множество"
)
WORDS = _WORD_TEXT.split()
CONNECT = ["и", "но", "поэтому", "а также", "при этом", "то есть", "однако", "например"]
FORMULAS_INLINE = [
    r"$a_{i} + b^{2}$",
    r"$\frac{1}{n}\sum_{i=1}^{n} x_{i}$",
    r"$\sigma(z) = \frac{1}{1 + e^{-z}}$",
    r"$\hat{y} = w^{T} x + b$",
    r"$\left( x + y \right)^{2}$",
    r"$p(y \mid x)$",
]
FORMULAS_DISPLAY = [
    [r"$$", r"L = -\sum_{i=1}^{n} y_{i} \log p_{i}", r"$$"],
    [r"$$", r"\begin{aligned}", r"a &= b + c \\", r"d &= e", r"\end{aligned}", r"$$"],
    [r"$$\mathrm{softmax}(z)_{j} = \frac{e^{z_{j}}}{\sum_{k} e^{z_{k}}}$$"],
]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")


# A valid 1x1 grey PNG (checksums computed, so every decoder accepts it).
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0]))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    + _png_chunk(b"IEND", b"")
)


@dataclass
class Corpus:
    """What was written: ``planted`` holds ``(path relative to base, line, rule)``."""

    base: Path
    entries: list[Path] = field(default_factory=list)
    planted: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass
class _Spec:
    id: str
    topic: str
    title: str
    missing_answer: bool = False
    broken: str | None = None  # "broken-link", "broken-heading" or "broken-anchor"

    @property
    def rel(self) -> str:
        return f"notes/{self.topic}/{self.id}.md"


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.3:
        chosen.insert(rng.randrange(1, words), rng.choice(CONNECT))
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(6, 12)) for _ in range(sentences))


def _title(rng: random.Random, index: int) -> str:
    # Distinct word sequences keep fuzzy duplicate detection quiet; the index makes
    # titles unique even when the random words repeat.
    words = " ".join(rng.sample(WORDS, 4))
    return f"Вопрос {index}: {words} — {rng.choice(WORDS)} {rng.choice(WORDS)}?"


def _plan(n: int, rng: random.Random) -> list[_Spec]:
    specs = []
    for i in range(n):
        ident = f"q-{i:06d}-{rng.choice(['a', 'b', 'c', 'd'])}{zlib.crc32(str(i).encode()) % 997}"
        specs.append(_Spec(ident, TOPICS[i % len(TOPICS)], _title(rng, i + 1)))
    k = max(1, n // 100)
    picks = rng.sample(range(n), min(n, 3 * k))
    for index in picks[:k]:
        specs[index].missing_answer = True
    for j, index in enumerate(picks[k:]):
        specs[index].broken = ("broken-link", "broken-heading", "broken-anchor")[j % 3]
    return specs


def _body(spec: _Spec, specs: list[_Spec], rng: random.Random) -> tuple[list[str], int | None]:
    """Body lines and, for a planted broken link, the body index of its line."""
    targets = [s for s in specs if not s.missing_answer and s is not spec]
    lines: list[str] = []
    anchor = slug(rng.choice(HEADINGS[1:]))
    broken_at = None
    if spec.broken == "broken-anchor":
        anchor, broken_at = "net-takogo-razdela", 0
    lines.append(_paragraph(rng, 3) + f" Подробнее — [ниже](#{anchor}).")
    for h, heading in enumerate(HEADINGS):
        lines += ["", f"## {heading}", ""]
        if h == 0:
            lines.append(_paragraph(rng, 4) + " " + rng.choice(FORMULAS_INLINE) + ".")
            lines += ["", f"![Схема](../assets/fig-{rng.randrange(ASSETS):02d}.png)"]
        elif h == 1:
            lines += [f"{k + 1}. {_sentence(rng, rng.randint(5, 9))}" for k in range(4)]
            lines += ["", _paragraph(rng, 3)]
        elif h == 2:
            lines.append(_paragraph(rng, 2))
            lines += ["", *rng.choice(FORMULAS_DISPLAY), ""]
            lines.append("Здесь " + rng.choice(FORMULAS_INLINE) + " — " + _sentence(rng, 6))
        elif h == 3:
            lines.append(_paragraph(rng, 3))
            if rng.random() < 0.4:
                lines += ["", "| Метрика | Значение |", "|---|---|"]
                lines += [f"| {rng.choice(WORDS)} | 0.{rng.randint(10, 99)} |" for _ in range(3)]
        else:
            lines += [f"- {_sentence(rng, rng.randint(6, 10))}" for _ in range(3)]
            lines += ["", _paragraph(rng, 3)]
    lines += _containers(rng)
    lines += ["", "## Ссылки", ""]
    for k in range(3):
        other = rng.choice(targets)
        heading = slug(rng.choice(HEADINGS))
        target = f"../{other.topic}/{other.id}.md#{heading}"
        if spec.broken == "broken-link" and k == 1:
            broken_at = len(lines)
            target = f"../{other.topic}/net-takogo-{other.id}.md#{heading}"
        elif spec.broken == "broken-heading" and k == 1:
            broken_at = len(lines)
            target = f"../{other.topic}/{other.id}.md#net-takogo-razdela"
        lines.append(f"- [{_sentence(rng, 3)[:-1]}]({target})")
    lines += ["", f"См. также [[{rng.choice(targets).id}]]."]
    return lines, broken_at


def _containers(rng: random.Random) -> list[str]:
    """What line scanners misread: a stray backtick in a list item before real code
    spans, a heading in a quote and one in a list item, a setext heading; with links
    to those headings (all clean: a linter must find them)."""
    return [
        "",
        f"- {_sentence(rng, 4)[:-1]} с ` одиночной обратной кавычкой.",
        f"- {_sentence(rng, 5)}",
        "",
        f"Код: `x = {rng.randint(1, 9)}` и `{rng.choice(WORDS)}`, ещё ``a ` b``.",
        "",
        "> #### Заметка",
        ">",
        f"> {_sentence(rng, 7)}",
        "",
        "- ### Пункт с заголовком",
        "",
        f"  {_sentence(rng, 6)}",
        "",
        "Итоги",
        "-----",
        "",
        _paragraph(rng, 2) + " См. [заметку](#заметка), [пункт](#пункт-с-заголовком)"
        " и [итоги](#итоги).",
    ]


def generate(base: Path, n: int, seed: int = 0) -> Corpus:
    """Write the project into ``base`` and return what was planted."""
    rng = random.Random(seed)
    specs = _plan(n, rng)
    corpus = Corpus(base)
    atomic.write_text(base / "kbtool.toml", 'notes = "notes"\n')
    (base / "notes" / "assets").mkdir(parents=True, exist_ok=True)
    for a in range(ASSETS):
        (base / "notes" / "assets" / f"fig-{a:02d}.png").write_bytes(PNG)
    for topic in TOPICS:
        (base / "notes" / topic).mkdir(parents=True, exist_ok=True)
    day = dt.date(2024, 5, 1)
    for spec in specs:
        entry = Entry.model_validate(
            {
                "id": spec.id,
                "kind": "question",
                "title": spec.title,
                "topic": spec.topic,
                "tags": [spec.topic],
                "lang": "ru",
                "status": "answered",
                "source": {"kind": "manual"},
                "created": day,
                "updated": day,
            }
        )
        if spec.missing_answer:
            body_lines, broken_at = [rng.choice(PLACEHOLDERS)], None
        else:
            body_lines, broken_at = _body(spec, specs, rng)
        text = render(entry, "\n".join(body_lines))
        body_line = text.count("\n", 0, text.index("\n---\n") + 5) + 2
        if spec.missing_answer:
            corpus.planted.append((spec.rel, body_line, "missing-answer"))
        if spec.broken and broken_at is not None:
            rule = "broken-link" if spec.broken == "broken-heading" else spec.broken
            corpus.planted.append((spec.rel, body_line + broken_at, rule))
        path = base / spec.rel
        path.write_text(text, encoding="utf-8")
        corpus.entries.append(path)
    corpus.planted.sort()
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the project into")
    parser.add_argument("n", type=int, help="number of entries")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = generate(args.out, args.n, args.seed)
    size = sum(p.stat().st_size for p in corpus.entries)
    print(
        f"{len(corpus.entries)} entries ({size / len(corpus.entries) / 1024:.1f} KB avg) "
        f"in {args.out}; planted {len(corpus.planted)} problems:",
        file=sys.stderr,
    )
    for path, line, rule in corpus.planted:
        print(f"{path}:{line}: {rule}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
