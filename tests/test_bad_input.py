"""Bad input through every command: import, lint, lint --fix and each export.

Data-driven over ``tests/fixtures/bad/`` (see its README) plus cases made at test time.
Everywhere: no traceback (never exit 3), a message naming the file (and line), exit 2
for unreadable input and 1 for lint findings, the rest of a batch still processed, and
nothing from outside the base (``/etc/passwd``) in any output.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kbtool.cli import run
from tests.conftest import FIXTURES

Runner = Callable[..., tuple[int, str, str]]
BAD = FIXTURES / "bad"
GOOD_SOURCE = FIXTURES / "import" / "markdown" / "qa-pairs.md"
CORPUS = sorted(p for p in BAD.iterdir() if p.name != "README.md")
ENTRIES = [p for p in CORPUS if p.suffix == ".md"]
# Files no Markdown reader can decode: lint says "unreadable" (exit 2), --fix leaves them as is.
UNREADABLE = {"invalid-utf8.md", "utf16-bom.md", "nul-bytes.md", "binary-named.md"}
PWNED = Path("/tmp/kbtool-pwned")
SECRET = "root:"  # the first line of /etc/passwd


def header(entry_id: str, title: str, topic: str = "bad") -> str:
    return (
        f"---\nid: {entry_id}\nkind: note\ntitle: {title}\ntopic: {topic}\nlang: en\n"
        "status: answered\nsource:\n  kind: manual\ncreated: 2024-01-01\nupdated: 2024-01-01\n---\n"
    )


def clean(code: int, out: str, err: str) -> None:
    """No command ever crashes: no exit 3, no traceback."""
    assert code != 3, err
    assert "Traceback" not in out + err and "internal error" not in err


@pytest.fixture(autouse=True)
def _no_pwn() -> Iterator[None]:
    PWNED.unlink(missing_ok=True)
    yield
    assert not PWNED.exists(), "a note ran code"


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: Runner) -> Path:
    """A working folder with a small good base under notes/ (imported from a Q&A file)."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(GOOD_SOURCE, tmp_path / "good.md")
    code, _, err = kb("import", "good.md", "--notes", "notes")
    assert code == 0, err
    return tmp_path / "notes"


@pytest.mark.parametrize("bad", CORPUS, ids=lambda p: p.name)
def test_import_one_bad_file(kb: Runner, tmp_path: Path, bad: Path) -> None:
    shutil.copy(bad, tmp_path / bad.name)
    code, out, err = kb("import", str(tmp_path / bad.name), "--notes", str(tmp_path / "notes"))
    clean(code, out, err)
    if code == 2:
        assert bad.name in err and "hint:" in err, err
        assert "1 failed" in out


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("ChatExport.zip", ["a zip archive", "unzip"]),
        ("answers.docx", ["a Word document", "pandoc"]),
        ("lecture.pdf", ["a PDF document", "pdftotext"]),
        ("binary-named.md", ["a PNG picture"]),
    ],
)
def test_a_file_that_is_no_text_is_named_for_what_it_is(
    kb: Runner, tmp_path: Path, name: str, said: list[str]
) -> None:
    """A zipped export or a Word file passed by mistake: say what it is and what to do."""
    shutil.copy(BAD / name, tmp_path / name)
    code, _out, err = kb("import", str(tmp_path / name), "--notes", str(tmp_path / "notes"))
    assert code == 2
    assert f"{name}:1: file is" in err, err
    assert all(words in err for words in said), err


def test_import_batch_keeps_going(
    kb: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(BAD, "raw")
    shutil.copy(GOOD_SOURCE, "raw/good.md")
    code, out, err = kb("import", "raw", "--notes", "notes")
    clean(code, out, err)
    assert code == 2
    failed = re.findall(r"^error: raw/([^:\s]+)", err, re.M)
    assert "good.md" not in failed and set(failed) <= {p.name for p in CORPUS}
    assert {"invalid-utf8.md", "telegram-truncated.json", "python-object.md"} <= set(failed)
    assert f"{len(failed)} failed" in out
    created = int(re.search(r"(\d+) created", out).group(1))  # type: ignore[union-attr]
    assert created >= 5 and len(list(Path("notes").rglob("*.md"))) == created


@pytest.mark.parametrize("bad", ENTRIES, ids=lambda p: p.name)
@pytest.mark.parametrize("fix", [False, True], ids=["lint", "fix"])
def test_lint_bad_entry(kb: Runner, base: Path, bad: Path, fix: bool) -> None:
    target = base / "bad" / bad.name
    target.parent.mkdir()
    shutil.copy(bad, target)
    args = ["lint", "--notes", str(base), "--no-cache", *(["--fix"] if fix else [])]
    code, out, err = kb(*args)
    clean(code, out, err)
    if bad.name in UNREADABLE:
        assert code == 2
        assert re.search(rf"error: \S*{re.escape(bad.name)}:\d+: ", err), err
        assert "hint:" in err and "1 unreadable" in err
        assert target.read_bytes() == bad.read_bytes(), "--fix must not touch what it cannot read"
    else:
        assert code == 1, out + err
        assert re.search(rf"bad/{re.escape(bad.name)}:\d+:\d+: error KB\d{{3}} ", out), out


@pytest.fixture(scope="module")
def export_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One base with every bad entry, deep nesting, a symlink out and good entries."""
    root = tmp_path_factory.mktemp("export")
    old = Path.cwd()
    os.chdir(root)
    try:
        shutil.copy(GOOD_SOURCE, "good.md")
        assert run(["import", "good.md", "--notes", "notes"]) == 0
    finally:
        os.chdir(old)
    bad = root / "notes" / "bad"
    bad.mkdir()
    for path in ENTRIES:
        shutil.copy(path, bad / path.name)
    (bad / "deep-list.md").write_text(header("deep-list", "Deep list") + "- " * 10_000 + "x\n")
    (bad / "deep-quote.md").write_text(header("deep-quote", "Deep quote") + "> " * 10_000 + "x\n")
    (bad / "passwd.md").symlink_to("/etc/passwd")
    (bad / "etc").symlink_to("/etc", target_is_directory=True)
    return root


@pytest.mark.parametrize("fmt", ["json", "anki", "pdf", "html"])
def test_export_skips_bad_files_and_refuses_outside(
    kb: Runner, export_base: Path, fmt: str, tmp_path: Path
) -> None:
    out_file = tmp_path / f"kb.{fmt}"
    code, out, err = kb(
        "export", fmt, "--notes", str(export_base / "notes"), "--out", str(out_file)
    )
    clean(code, out, err)
    assert code == 0, err
    for name in UNREADABLE | {"python-object.md", "alias-bomb.md", "unterminated.md"}:
        assert re.search(rf"warning: skipped bad/{re.escape(name)}:\d+: ", err), name
    assert "file(s) skipped" in err
    assert "outside" in err and "/etc/passwd" in err  # links to it are refused, loudly
    if fmt == "pdf":
        assert "deep-list.md: lists or quotes nest" in err
    assert SECRET not in exported_text(out_file, fmt)


def exported_text(path: Path, fmt: str) -> str:
    """Everything an export holds as text: JSON, the page's entries (its own style says
    `:root`), Anki notes + media, PDF text."""
    if fmt == "json":
        return path.read_text("utf-8")
    if fmt == "html":
        text = path.read_text("utf-8")
        return text[text.index('<main id="entries">') : text.index("</main>")]
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    parts: list[str] = []
    with zipfile.ZipFile(path) as deck:
        for name in deck.namelist():
            data = deck.read(name)
            if name.startswith("collection.anki"):
                db = path.with_suffix(".db")
                db.write_bytes(data)
                with sqlite3.connect(db) as conn:
                    parts += [row[0] for row in conn.execute("select flds from notes")]
                conn.close()
            else:
                parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


def test_big_file_lint_and_import(kb: Runner, base: Path, tmp_path: Path) -> None:
    """20 MB of Markdown: linted and imported in bounded time, with no crash.

    Export is left out: 20 MB in one entry is a sheet no one prints; the deep-nesting
    cases above cover the exporters' limits.
    """
    para = "Lorem ipsum dolor sit amet, **bold**, `code` and $x^2$.\n\n"
    body = para * (20_000_000 // len(para))
    (base / "big").mkdir()
    (base / "big" / "big.md").write_text(header("big", "Big") + body, "utf-8")
    code, out, err = kb("lint", str(base / "big" / "big.md"), "--notes", str(base), "--no-cache")
    clean(code, out, err)
    assert code in (0, 1)
    (tmp_path / "big.md").write_text("# Big\n\n" + body, "utf-8")
    code, out, err = kb("import", str(tmp_path / "big.md"), "--notes", str(tmp_path / "n2"))
    clean(code, out, err)


def test_symlinks_out_of_the_base_are_not_read(kb: Runner, base: Path) -> None:
    (base / "bad").mkdir()
    (base / "bad" / "passwd.md").symlink_to("/etc/passwd")
    (base / "bad" / "etc").symlink_to("/etc", target_is_directory=True)
    code, out, err = kb("lint", "--notes", str(base), "--no-cache")
    clean(code, out, err)
    assert SECRET not in out + err


def test_unicode_normalization_and_case_of_file_names(kb: Runner, base: Path) -> None:
    nfc = unicodedata.normalize("NFC", "café")
    nfd = unicodedata.normalize("NFD", "café")
    folder = base / "names"
    folder.mkdir()
    for name, title in ((nfc, "One"), (nfd, "Two"), ("Case", "Three"), ("case", "Four")):
        path = folder / f"{name}.md"
        path.write_text(header(name, title, "names") + "Text.\n", "utf-8")
    code, out, err = kb("lint", "--notes", str(base), "--no-cache")
    clean(code, out, err)
    assert code in (1, 2)
    assert "names/" in out + err  # ids that are not slugs are named with their file
    code, out, err = kb(
        "export", "json", "--notes", str(base), "--out", str(base.parent / "k.json")
    )
    clean(code, out, err)
    assert code == 0


def test_raw_typst_in_a_note_is_printed_never_run(kb: Runner, base: Path, tmp_path: Path) -> None:
    """A note's ```` ```{=typst} ```` block is code to show, not a program: a ``#read`` of
    /etc/passwd and a loop of 300 million steps both print as text, in seconds."""
    from pypdf import PdfReader

    from kbtool.export import typst_source

    assert "--sandbox" in typst_source.PANDOC_ARGS  # pandoc reads nothing but its input
    (base / "bad").mkdir()
    (base / "bad" / "raw.md").write_text(
        header("raw-typst", "Raw typst")
        + '```{=typst}\n#read("/etc/passwd")\n#for i in range(300000000) {}\n```\n\n'
        + 'Inline `#read("/etc/passwd")`{=typst} too.\n',
        "utf-8",
    )
    out_file = tmp_path / "kb.pdf"
    code, out, err = kb("export", "pdf", "--notes", str(base), "--out", str(out_file))
    clean(code, out, err)
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(out_file).pages)
    assert "range(300000000)" in text and SECRET not in text + out + err


def test_an_entry_that_makes_pandoc_grow_is_stopped(kb: Runner, base: Path, tmp_path: Path) -> None:
    """30,000 links to one anchor made pandoc grow past 12 GB for minutes. Its heap and
    CPU time are capped: the entry is left out of the PDF with a warning that names it,
    and every other entry is printed (exit 0)."""
    (base / "bad").mkdir()
    links = " ".join(f"[x{i}](#head)" for i in range(30_000))
    (base / "bad" / "links.md").write_text(
        header("many-links", "Many links") + f"## Head\n\n{links}\n", "utf-8"
    )
    out_file = tmp_path / "kb.pdf"
    code, out, err = kb("export", "pdf", "--notes", str(base), "--out", str(out_file))
    clean(code, out, err)
    assert code == 0, err
    assert re.search(
        r"^warning: bad/links\.md: pandoc needs more than .*; left out of the PDF", err, re.M
    )
    text = "".join(page.extract_text() for page in PdfReader(out_file).pages)
    assert "Many links" in text and "too large to convert" in text and "x29999" not in text
    assert "What is a generator?" in text  # the other entries are printed
