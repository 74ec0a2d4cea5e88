"""Time importing a 10,000-post Telegram JSON export (target: <= 5 s and <= 300 MB).

Generates a Telegram Desktop ``result.json`` (Russian text, entities, hashtags,
some service and media-only messages) in a temporary folder, then measures:

- ``parse``: ``TelegramJsonImporter.parse`` in this process (tracemalloc peak);
- ``kbtool import``: the real command into a fresh base, in a child process
  (wall time; the child's peak RSS from ``os.wait4``, i.e. its ``getrusage``);
- ``re-import``: the same export again into the last base (not a target: every post
  is matched, checked and left unchanged).

Run: ``.venv/bin/python benchmarks/import_bench.py [--posts N] [--runs 3] [--dir DIR]
[--profile]``. Each run imports into a fresh base and first times creating as many
plain files in the same place, so the tool's cost can be told from the disk's.
``--profile`` prints the top cProfile entries of ``kbtool import``.

``--vault N`` times instead a generated Obsidian vault of N interview notes in the shape
of a real one (po4yka/interview_questions: front matter with aliases and related notes,
a question in two languages, answers with lists, code, callouts and ``[[wikilinks]]``,
follow-up questions and links to other notes; generated, never copied): ``kbtool
import`` of the folder, wall and CPU time (this process's children, so both cores and
the writer count) and peak RSS. ``--against DIR`` runs, alternating round by round, the
``kbtool`` package found in DIR (e.g. ``git archive`` of an older commit) and checks
that both wrote the same files, byte for byte.

Nothing is deleted until every run is done. On ext4 without a journal (this
machine's disk), the kernel will not reuse an inode freed in the last 60-300 s and
searches past each one when it creates a file: right after thousands of files were
deleted (a previous run's base, a test suite's temporary folders), creating a file
costs up to ten times more. Leave five minutes after deleting many files before
timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_SECONDS = 5.0
TARGET_MB = 300.0
START = 1_700_000_000
TOPICS = ["глубокое_обучение", "NLP", "статистика", "SQL", "ml", "классический_ml", "python"]
QUESTIONS = [
    "Что такое {}?",
    "Объясните, как работает {}",
    "Чем {} отличается от похожих методов?",
    "Когда стоит применять {}?",
    "Какие недостатки у {}?",
]
TERMS = [
    "градиентный бустинг",
    "механизм внимания",
    "батч-нормализация",
    "кросс-валидация",
    "регуляризация L1",
    "дропаут",
    "ROC AUC",
    "оконные функции",
    "температура в softmax",
    "beam search",
]
SENTENCE = (
    "Модель обучается на выборке и {verb} ошибку на валидации, а затем мы смотрим, "
    "как меняются метрики при изменении гиперпараметров."
)
VERBS = ["минимизирует", "оценивает", "сравнивает", "уменьшает"]


def _message(post_id: int, rng: random.Random) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": post_id,
        "type": "message",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(START + post_id * 600)),
        "date_unixtime": str(START + post_id * 600),
        "from": "Библиотека собеса",
        "from_id": "channel1000",
    }
    roll = rng.random()
    if roll < 0.03:
        return base | {"type": "service", "actor": "Библиотека собеса", "action": "pin_message",
                       "message_id": post_id - 1, "text": "", "text_entities": []}  # fmt: skip
    if roll < 0.06:
        return base | {"photo": "(File not included.)", "text": "", "text_entities": []}
    term = rng.choice(TERMS)
    question = rng.choice(QUESTIONS).format(term) + f" (#{post_id})"
    paragraphs = [SENTENCE.format(verb=rng.choice(VERBS)) for _ in range(rng.randint(2, 5))]
    tags = rng.sample(TOPICS, rng.randint(1, 2))
    entities: list[dict[str, Any]] = [
        {"type": "bold", "text": question},
        {"type": "plain", "text": "\n\n" + paragraphs[0] + " Ключевое слово: "},
        {"type": "italic", "text": term},
        {"type": "plain", "text": ", пример: "},
        {"type": "code", "text": "model.fit(X, y)"},
        {"type": "plain", "text": ".\n\n" + "\n\n".join(paragraphs[1:]) + "\nСм. "},
        {"type": "text_link", "text": "статью", "href": f"https://example.org/{post_id}"},
        {"type": "plain", "text": "\n\n"},
    ]
    for index, tag in enumerate(tags):
        entities.append({"type": "hashtag", "text": f"#{tag}"})
        entities.append({"type": "plain", "text": " " if index < len(tags) - 1 else ""})
    return base | {"text": entities, "text_entities": entities}


def generate(posts: int, seed: int = 1) -> dict[str, Any]:
    """A single-chat export of ``posts`` messages."""
    rng = random.Random(seed)
    messages = [_message(post_id, rng) for post_id in range(1, posts + 1)]
    return {"name": "Библиотека собеса", "type": "public_channel", "id": 1000, "messages": messages}


VAULT_FOLDERS = {"10-Concepts": "cs", "40-Android": "android", "70-Kotlin": "kotlin"}
SUBJECTS = [
    ("корутины", "coroutines"),
    ("sealed-классы", "sealed classes"),
    ("Flow", "Flow"),
    ("ViewModel", "ViewModel"),
    ("сборка мусора", "garbage collection"),
    ("inline-функции", "inline functions"),
    ("делегаты свойств", "property delegates"),
    ("Jetpack Compose", "Jetpack Compose"),
    ("хеш-таблица", "hash table"),
    ("мьютекс", "mutex"),
]
LEVELS = ["easy", "medium", "hard"]
VERBS_RU = ["ускоряет", "упрощает"]
VERBS_EN = ["speeds up", "simplifies"]
RU_PARAGRAPH = (
    "**{ru}** — механизм, который {verb} работу программы: он хранит состояние, "
    "а вызывающий код видит только контракт. См. [[{link}]] и `{code}`."
)
EN_PARAGRAPH = (
    "**{en}** is a mechanism that {verb} the program: it keeps state while the caller "
    "only sees a contract. See [[{link}|the related note]] and `{code}`."
)
CODE = """```kotlin
suspend fun load{n}(id: Int): Result<String> = withContext(Dispatchers.IO) {{
    // [[not a link]] inside code
    runCatching {{ api.fetch(id) }}
}}
```"""


def vault_note(index: int, names: list[str], rng: random.Random) -> str:
    """One generated note of an interview vault (see ``--vault``)."""
    ru, en = SUBJECTS[index % len(SUBJECTS)]
    level = LEVELS[index % 3]
    related = rng.sample(names, 3)
    front = [
        "---",
        f"id: note-{index:05d}",
        f"title: What is {en} ({index}) / Что такое {ru} ({index})",
        "aliases:",
        f"- What is {en} ({index})",
        f"- Что такое {ru} ({index})",
        "topic: kotlin",
        "subtopics:",
        "- " + en.split()[0].lower(),
        f"difficulty: {level}",
        "status: draft",
        "related:",
        *(f"- {name}" for name in related),
        f"created: 2025-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "tags:",
        f"- difficulty/{level}",
        "- kotlin",
        "---",
    ]
    code = f"val x{index} = 1"
    ru_answer = [
        RU_PARAGRAPH.format(ru=ru, verb=rng.choice(VERBS_RU), link=related[0], code=code)
        for _ in range(rng.randint(4, 9))
    ]
    en_answer = [
        EN_PARAGRAPH.format(en=en, verb=rng.choice(VERBS_EN), link=related[1], code=code)
        for _ in range(rng.randint(4, 9))
    ]
    body = [
        "# Вопрос (RU)",
        f"> Что такое {ru} и зачем это нужно ({index})?",
        "",
        "# Question (EN)",
        f"> What is {en} and why is it needed ({index})?",
        "",
        "---",
        "",
        "## Ответ (RU)",
        "",
        "\n\n".join(ru_answer),
        "",
        "**Основные свойства:**",
        "- **Состояние**: хранится внутри",
        "- **Контракт**: виден снаружи",
        "  - вложенный пункт",
        "",
        CODE.format(n=index),
        "",
        "> [!NOTE] Замечание",
        f"> Подробнее в [[{related[2]}]].",
        "",
        "## Дополнительные Вопросы (RU)",
        "",
        f"- Чем {ru} отличается от альтернатив?",
        "- Когда это не стоит применять?",
        "",
        "## Answer (EN)",
        "",
        "\n\n".join(en_answer),
        "",
        "| Aspect | Value |",
        "|---|---|",
        "| state | inside |",
        "| contract | outside |",
        "",
        CODE.format(n=index + 1),
        "",
        "> [!TIP]",
        "> Measure before you optimize.",
        "",
        "## Follow-ups",
        "",
        f"- How does {en} compare with the alternatives?",
        "- When should you not use it?",
        "",
        "## References",
        "",
        f"- [[moc-{VAULT_FOLDERS[list(VAULT_FOLDERS)[index % 3]]}]]",
        "- https://kotlinlang.org/docs/home.html",
        "",
        "## Related Questions",
        "",
        "### Prerequisites (Easier)",
        *(f"- [[{name}]]" for name in related[:2]),
        "",
        "### Advanced (Harder)",
        f"- [[{related[2]}]]",
    ]
    return "\n".join(front + body) + "\n"


def generate_vault(folder: Path, notes: int, seed: int = 1) -> int:
    """``notes`` generated notes in folders of ``folder``; returns their bytes."""
    rng = random.Random(seed)
    folders = list(VAULT_FOLDERS)
    names = [
        f"q-note-{i:05d}--{VAULT_FOLDERS[folders[i % 3]]}--{LEVELS[i % 3]}" for i in range(notes)
    ]
    size = 0
    for index, name in enumerate(names):
        path = folder / folders[index % 3] / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = vault_note(index, names, rng)
        path.write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def _vault(args: argparse.Namespace) -> int:
    """``--vault``: time importing a generated vault, alternating with ``--against``."""
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        vault = folder / "InterviewQuestions"
        size = generate_vault(vault, args.vault)
        sides = [("now", None)] + ([("against", args.against)] if args.against else [])
        rows: list[tuple[str, int, float, float, float, int, int]] = []
        written: dict[str, Path] = {}
        for run in range(max(1, args.runs)):
            for name, code_dir in sides if run % 2 == 0 else sides[::-1]:
                base = folder / f"notes-{name}-{run}"
                env = dict(os.environ)
                if code_dir is not None:
                    env["PYTHONPATH"] = str(Path(code_dir).resolve())
                cmd = ["-m", "kbtool", "import", str(vault), "--notes", str(base)]
                seconds, cpu, peak, code, _out, err = _measured(cmd, folder, env)
                count = len(list(base.rglob("*.md"))) if base.is_dir() else 0
                rows.append((name, run, seconds, cpu, peak, code, count))
                written[name] = base
                if code != 0:
                    print(f"{name}: kbtool import failed: {err.strip()[-300:]}")
                    return 1
        same = None
        if "against" in written:
            same = _same_tree(written["now"], written["against"])
    print(f"{args.vault} generated notes, {size / 2**20:.1f} MB, load average "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'code':<8} {'run':>3} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}  result")
    for name, run, seconds, cpu, peak, code, count in rows:
        print(f"{name:<8} {run:>3} {seconds:>7.2f} {cpu:>7.2f} {peak:>8.1f}  exit {code}, "
              f"{count} files")  # fmt: skip
    if same is not None:
        print("written trees: " + ("identical" if same else "DIFFERENT"))
    return 0 if same is not False else 1


def _same_tree(one: Path, other: Path) -> bool:
    """Whether two bases hold the same files with the same bytes."""
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file()):
        return False
    return all((one / f).read_bytes() == (other / f).read_bytes() for f in files)


def _measured(
    args: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, float, float, int, str, str]:
    """(wall s, CPU s, peak RSS MB, exit code, stdout, stderr) of one child; its CPU
    counts the processes it waited for (the forked reader, preparer and writer)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, *args], cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        code = os.waitstatus_to_exitcode(status)
        return seconds, cpu, usage.ru_maxrss / 1024, code, out.read(), err.read()


def _child(args: list[str], cwd: Path) -> tuple[float, float, int, str, str]:
    """(seconds, peak RSS MB, exit code, stdout, stderr) of one child, measured by ``wait4``.

    The parent stays small (it never loads the export), so the fork's copy of it
    does not inflate the child's peak (Linux counts it in ``ru_maxrss``).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, *args], cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return seconds, usage.ru_maxrss / 1024, child.returncode, out.read(), err.read()


def _parse_only(path: Path) -> None:
    """Child step: run the importer alone and print seconds and entries."""
    from kbtool.importers.base import ImportOptions
    from kbtool.importers.telegram_json import TelegramJsonImporter

    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    result = TelegramJsonImporter().parse(text, path, ImportOptions())
    print(json.dumps({"seconds": time.perf_counter() - started, "entries": len(result.entries)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="cProfile kbtool import")
    parser.add_argument("--runs", type=int, default=3, help="kbtool import runs (fresh base each)")
    parser.add_argument("--dir", type=Path, help="make the temporary folder here (e.g. /dev/shm)")
    parser.add_argument("--vault", type=int, help="time a generated vault of this many notes")
    parser.add_argument("--against", type=Path, help="with --vault: also run kbtool from here")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parse-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate or args.parse_only or args.vault:
        return _other_step(args)
    me = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        path = folder / "result.json"
        _child([me, "--posts", str(args.posts), "--generate", str(path)], folder)
        size_mb = path.stat().st_size / 2**20
        parse_s, parse_mb, _, out, _ = _child([me, "--parse-only", str(path)], folder)
        parsed = json.loads(out)
        profile = ["-m", "cProfile", "-s", "cumulative"] if args.profile else []
        runs = []
        for run in range(max(1, args.runs)):
            base = folder / f"notes-{run}"
            create_s = _create_files(folder / f"probe-{run}", parsed["entries"])
            cmd = [*profile, "-m", "kbtool", "import", str(path), "--notes", str(base)]
            cmd_s, cmd_mb, code, out, err = _child(cmd, folder)
            written = len(list(base.rglob("*.md"))) if base.is_dir() else 0
            runs.append((cmd_s, cmd_mb, code, written, create_s))
            if code != 0:
                break
        again = None
        if code == 0:  # the same export again into the last base: every post unchanged
            again = _child(["-m", "kbtool", "import", str(path), "--notes", str(base)], folder)
    if args.profile:
        print("\n".join(out.splitlines()[:45]))
    print(f"{args.posts} messages, export {size_mb:.1f} MB; target <= {TARGET_SECONDS:g} s, "
          f"<= {TARGET_MB:g} MB")  # fmt: skip
    print(f"{'step':<22} {'wall s':>7} {'peak MB':>8}  result")
    print(f"{'parse (importer only)':<22} {parse_s:>7.2f} {parse_mb:>8.1f}  "
          f"{parsed['entries']} entries, parse itself {parsed['seconds']:.2f} s")  # fmt: skip
    for cmd_s, cmd_mb, code, written, create_s in runs:
        print(f"{'kbtool import':<22} {cmd_s:>7.2f} {cmd_mb:>8.1f}  exit {code}, {written} files "
              f"(creating {parsed['entries']} files alone here: {create_s:.2f} s)")  # fmt: skip
    if again is not None:
        again_s, again_mb, again_code, again_out, _err = again
        summary = (again_out.strip().splitlines() or ["?"])[-1].split(": ", 1)[-1]
        print(f"{'re-import (unchanged)':<22} {again_s:>7.2f} {again_mb:>8.1f}  "
              f"exit {again_code}, {summary}")  # fmt: skip
    if code != 0:
        print(f"kbtool import failed: {err.strip()[-300:]}")
    best = min(r[0] for r in runs)
    ok = code == 0 and best <= TARGET_SECONDS and max(r[1] for r in runs) <= TARGET_MB
    return 0 if ok else 1


def _other_step(args: argparse.Namespace) -> int:
    """A child's step (generate the export, parse it alone), or the vault bench."""
    if args.generate:
        text = json.dumps(generate(args.posts), ensure_ascii=False, indent=1)
        args.generate.write_text(text, encoding="utf-8")
        return 0
    if args.parse_only:
        _parse_only(args.parse_only)
        return 0
    return _vault(args)


def _create_files(folder: Path, count: int) -> float:
    """Seconds to create ``count`` 3 KB files in a new folder: the kernel's share of an
    import. The files stay until the end: deleting them here would make the import
    that follows pay for the freed inodes (see the module docstring)."""
    folder.mkdir()
    data = b"x" * 3000
    start = time.perf_counter()
    for i in range(count):
        (folder / f"{i}.md").write_bytes(data)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
