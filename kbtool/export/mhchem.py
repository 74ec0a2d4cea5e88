"""Chemistry written with mhchem (``\\ce{…}``, ``\\pu{…}``) as plain TeX math.

Notes written for MathJax (Obsidian, GitHub, Anki) write formulas and reactions with
the mhchem extension: ``$\\ce{CO2 + H2O <=> H2CO3}$``. Anki's MathJax loads mhchem,
so the deck keeps the note's TeX; pandoc's TeX reader (the PDF) and latex2mathml (the
study page) do not know ``\\ce``: the sheet printed the TeX source, the page a made-up
``\\ce`` identifier, with no warning. Here the common part of mhchem is rewritten into
TeX both read: formulas upright with their counts as subscripts and their charges as
superscripts, stoichiometric numbers, isotopes (``^{14}_{6}C``), states, hydrates
(``*`` or ``.``), bonds, the arrows with their labels, ``v``/``^`` for a precipitate
and a gas, and quantities (``\\pu{-57 kJ/mol}``). What this does not read (mhchem
has more) is left as written, and the export warns that it cannot print it
(:func:`rewrite` returns ``None``).
"""

from __future__ import annotations

import re

__all__ = ["MACROS", "has_mhchem", "plain", "rewrite"]

MACROS = ("\\ce{", "\\pu{")
_USES = re.compile(r"\\(?:ce|pu)\s*\{|\\require\s*\{\s*mhchem")  # not \lceil, \cdot
_CALL = re.compile(r"\\(ce|pu)\s*\{")  # `\ce {…}` too, as MathJax reads it
_REQUIRE = re.compile(r"\\require\s*\{\s*mhchem\s*\}")  # MathJax's loader call: no output
_ARROWS = {
    "->": r"\rightarrow",
    "<-": r"\leftarrow",
    "<->": r"\leftrightarrow",
    "<-->": r"\leftrightarrows",
    "<=>": r"\rightleftharpoons",
    "<=>>": r"\rightleftharpoons",
    "<<=>": r"\rightleftharpoons",
}
_ARROW = re.compile(r"(<-->|<=>>|<<=>|<=>|<->|->|<-)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:/\d+)?")
_STATE = re.compile(r"\((?:s|l|g|aq|cr|sln)\)")
_SCIENTIFIC = re.compile(r"^(-?\d+(?:[.,]\d+)?)(?:e([+-]?\d+))?$")


def has_mhchem(tex: str) -> bool:
    """Whether a formula uses mhchem (a cheap test before any rewriting)."""
    return ("\\ce" in tex or "\\pu" in tex or "\\require" in tex) and bool(_USES.search(tex))


def plain(tex: str) -> str:
    """``tex`` rewritten where it uses mhchem and this can read it, else as written."""
    if not has_mhchem(tex):
        return tex
    written = rewrite(tex)
    return tex if written is None else written


def rewrite(tex: str) -> str | None:
    """``tex`` with every ``\\ce{…}`` and ``\\pu{…}`` written as plain TeX and a
    ``\\require{mhchem}`` dropped; None when one of them uses what this cannot read."""
    tex = _REQUIRE.sub("", tex)
    out: list[str] = []
    pos = 0
    for call in _CALL.finditer(tex):
        if call.start() < pos:
            continue
        brace = call.end() - 1
        end = _closing(tex, brace)
        if end is None:
            return None
        inner = tex[brace + 1 : end]
        written = _ce(inner) if call.group(1) == "ce" else _pu(inner)
        if written is None:
            return None
        out.append(tex[pos : call.start()])
        out.append("{" + written + "}")
        pos = end + 1
    out.append(tex[pos:])
    return "".join(out)


def _closing(text: str, brace: int) -> int | None:
    """Index of the ``}`` matching the ``{`` at ``brace``."""
    depth = 0
    index = brace
    while index < len(text):
        char = text[index]
        if char == "\\":  # \{ and \} are no group's braces
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _pu(text: str) -> str | None:
    """``\\pu{-57 kJ/mol}`` -> ``-57\\,\\mathrm{kJ/mol}``; ``1.2e3 J`` with a power of ten."""
    parts = text.split(None, 1)
    if not parts:
        return ""
    number = _SCIENTIFIC.match(parts[0])
    if number is None:
        unit = text.strip()
        return None if not re.fullmatch(r"[A-Za-z/.*^\d\s-]+", unit) else _unit(unit)
    written = number.group(1)
    if number.group(2):
        written += r"\cdot 10^{" + number.group(2).lstrip("+") + "}"
    return written if len(parts) == 1 else written + r"\," + _unit(parts[1])


def _unit(unit: str) -> str:
    unit = re.sub(r"\^(-?\d+)", r"^{\1}", unit.strip())
    return r"\mathrm{" + unit.replace(" ", r"\,").replace("*", r"\cdot ") + "}"


def _ce(text: str) -> str | None:
    """One ``\\ce{…}``: words split by spaces; each an arrow, an operator, a state, a
    precipitate or gas mark, or a formula with its stoichiometric number."""
    out: list[str] = []
    words = _words(text)
    if words is None:
        return None
    for word in words:
        written = _word(word)
        if written is None:
            return None
        out.append(written)
    return " ".join(out)


def _words(text: str) -> list[str] | None:
    """Split on spaces outside braces and brackets (an arrow's label may hold spaces)."""
    words: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth < 0:
                return None
        if char.isspace() and depth == 0:
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(char)
    if depth:
        return None
    if current:
        words.append("".join(current))
    return words


def _word(word: str) -> str | None:
    if word in ("+", "=", "?", ","):
        return word
    if word.endswith(",") and len(word) > 1:  # a list of ions: Na+, K+
        first = _word(word[:-1])
        return None if first is None else first + ","
    if word == "v":
        return r"\downarrow"
    if word == "^":
        return r"\uparrow"
    arrow = _ARROW.match(word)
    if arrow:
        return _arrow(arrow.group(1), word[arrow.end() :])
    if word.startswith("$") and word.endswith("$") and len(word) > 1:
        return word[1:-1]
    if _NUMBER.fullmatch(word):  # a stoichiometric number apart: 1/2 O2
        return _count(word)
    if _STATE.fullmatch(word):
        return r"\mathrm{" + word + "}"
    return _formula(word)


def _arrow(arrow: str, labels: str) -> str | None:
    """An arrow, with ``[above][below]`` labels read as mhchem themselves."""
    found: list[str] = []
    while labels:
        if not labels.startswith("["):
            return None
        end = labels.find("]")
        if end < 0:
            return None
        label = labels[1:end].strip()
        if label.startswith("{") and label.endswith("}"):
            written: str | None = r"\text{" + label[1:-1] + "}"
        else:
            written = _ce(label) if label else ""
        if written is None:
            return None
        found.append(written)
        labels = labels[end + 1 :]
    if len(found) > 2:
        return None
    symbol = _ARROWS[arrow]
    if not found:
        return symbol
    above, below = [*found, ""][:2]
    if arrow in ("->", "<-"):
        name = r"\xrightarrow" if arrow == "->" else r"\xleftarrow"
        return name + (f"[{below}]" if below else "") + "{" + above + "}"
    written = symbol if not below else r"\underset{" + below + "}{" + symbol + "}"
    return r"\overset{" + above + "}{" + written + "}" if above else written


def _formula(word: str) -> str | None:
    """``2H2O``, ``HCO3-``, ``Fe^{3+}``, ``[Fe(CN)6]^3-``, ``^{14}_{6}C``, ``CuSO4*5H2O``,
    ``CH3-CH2=CH2``: upright, counts as subscripts, charges as superscripts."""
    out: list[str] = []
    pos = 0
    number = _NUMBER.match(word)
    if number and number.end() < len(word) and not word[number.end()].isdigit():
        out.append(_count(number.group()) + r"\,")
        pos = number.end()
    while pos < len(word):
        step = _step(word, pos, first=not out)
        if step is None:
            return None  # mhchem has more than this reads: the caller warns
        written, pos = step
        out.append(written)
    return "".join(out)


_RUN = re.compile(r"[A-Za-z()]+|[\[\]]")  # upright letters; a bracket alone
_COUNT = re.compile(r"\d+")
# a charge ends the formula or meets its state: Ag+(aq); digits before it are a count
# (NH4+), as mhchem reads them; a charge of several is written Fe^3+
_CHARGE_HERE = re.compile(r"[+-]+\d*(?=\(|$)")
_BONDS = {"-": "{-}", "=": "{=}", "#": r"{\equiv}"}


def _step(word: str, pos: int, first: bool) -> tuple[str, int] | None:
    """The TeX of the part of a formula at ``pos``, and where the next starts."""
    char = word[pos]
    if char == "\\":  # a TeX macro (\alpha, \Delta) stays as written
        macro = re.match(r"\\(?:[A-Za-z]+|.)", word[pos:])
        return None if macro is None else (macro.group() + " ", pos + macro.end())
    run = _RUN.match(word, pos)
    if run:
        written = run.group() if run.group() in "[]" else r"\mathrm{" + run.group() + "}"
        count = _COUNT.match(word, run.end()) if run.group()[-1] not in "([" else None
        if count is None:
            return written, run.end()
        return written + "_{" + count.group() + "}", count.end()
    if char == "{":  # a group as written: {(g)}
        end = _closing(word, pos)
        if end is None:
            return None
        return r"\mathrm{" + word[pos + 1 : end] + "}", end + 1
    if char in "^_":
        script, end = _script(word, pos + 1)
        if script is None:
            return None
        return ("{}" if first else "") + char + "{" + script + "}", end  # {}: an isotope
    charge = _CHARGE_HERE.match(word, pos) if char in "+-" else None
    if charge:
        return "^{" + charge.group() + "}", charge.end()
    if char in "*.":  # a hydrate's dot, and its count
        count = _NUMBER.match(word, pos + 1)
        if count is None:
            return r"\cdot ", pos + 1
        return r"\cdot " + count.group() + r"\,", count.end()
    if char in _BONDS:
        return _BONDS[char], pos + 1
    return None


def _count(number: str) -> str:
    if "/" not in number:
        return number
    top, bottom = number.split("/")
    return r"\frac{" + top + "}{" + bottom + "}"


def _script(word: str, pos: int) -> tuple[str | None, int]:
    """The script after ``^`` or ``_``: a braced group, or a number with its sign."""
    if pos < len(word) and word[pos] == "{":
        end = _closing(word, pos)
        if end is None:
            return None, pos
        return word[pos + 1 : end], end + 1
    found = re.match(r"\([a-z]+\)|[a-z]|-?\d+[+-]?|[+-]", word[pos:])
    if not found or not found.group():
        return None, pos
    return found.group(), pos + found.end()
