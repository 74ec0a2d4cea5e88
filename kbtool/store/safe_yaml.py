"""Safe YAML for front matter: plain data only, with the line of every key.

We compose the node graph (libyaml when present) and build values ourselves, so
that: no tag can construct an object (``!!python/object`` is refused by name);
aliases are refused, which defuses alias bombs before any expansion; duplicate
keys are errors instead of the last one silently winning; and every key path
knows its line, for messages like ``notes/a.md:4: tags[1]: ...``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import yaml

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAX_NODES = 10_000
_MAX_DEPTH = 32  # an entry's front matter needs 3; deeper only exhausts the stack
_STR_TAG = "tag:yaml.org,2002:str"
_TIME_TAG = "tag:yaml.org,2002:timestamp"


class YamlProblem(Exception):
    """A YAML document we refuse; ``line`` is 1-based within the YAML text."""

    def __init__(self, line: int, message: str, key_path: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.key_path = key_path


@dataclass
class LoadedYaml:
    """Plain data plus the 1-based line of each key path (``""`` is the root)."""

    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)


def render_path(parts: tuple[str | int, ...]) -> str:
    """``("tags", 1)`` -> ``tags[1]``; ``("source", "date")`` -> ``source.date``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def load(text: str, first_line: int = 1) -> LoadedYaml:
    """Load one YAML document safely; raise :class:`YamlProblem` on what we refuse.

    ``first_line`` is the file line the YAML text starts on; every reported line
    is a file line.

    Duplicate keys do not stop loading: they are collected in ``problems`` so that
    every error in a file is reported at once.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else first_line
        raise YamlProblem(line, f"YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"YAML error: {exc}") from None
    result = LoadedYaml(data=None)
    if node is None:
        return result
    builder = _Builder(result, first_line)
    result.data = builder.build(node, "")
    return result


class _Builder:
    """Plain data from a node graph; each value knows its key path as shown in
    messages (``tags[1]``), built as the walk goes down."""

    def __init__(self, result: LoadedYaml, first_line: int) -> None:
        self.result = result
        self.first_line = first_line
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, shown: str, parent: str = "", depth: int = 0) -> Any:
        line = node.start_mark.line + self.first_line
        if id(node) in self.seen:
            raise YamlProblem(
                self.result.lines.get(parent, line),
                "YAML aliases (*name) are not allowed in front matter; write the value out",
                shown,
            )
        self.seen.add(id(node))
        if depth > _MAX_DEPTH:
            raise YamlProblem(
                line, f"front matter is nested more than {_MAX_DEPTH} levels deep; flatten it"
            )
        if len(self.seen) > _MAX_NODES:
            raise YamlProblem(line, f"front matter has more than {_MAX_NODES} values")
        self.result.lines.setdefault(shown, line)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, shown, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._bad_tag(node, shown)
            return [
                self.build(item, f"{shown}[{i}]", shown, depth + 1)
                for i, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, shown)

    def _mapping(self, node: yaml.MappingNode, shown: str, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise self._bad_tag(node, shown)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + self.first_line
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(key_line, "keys must be plain words", shown)
            key = str(key_node.value)
            key_shown = f"{shown}.{key}" if shown else key
            if key == "<<":
                raise YamlProblem(key_line, "YAML merge keys (<<) are not allowed", shown)
            if key in out:
                first = self.result.lines.get(key_shown, key_line)
                self.result.problems.append(
                    YamlProblem(
                        key_line,
                        f'duplicate key "{key}" (first at line {first}); keep one',
                        key_shown,
                    )
                )
                continue
            self.result.lines[key_shown] = key_line
            out[key] = self.build(value_node, key_shown, shown, depth + 1)
        return out

    def _scalar(self, node: yaml.ScalarNode, shown: str) -> Any:
        if node.tag == _STR_TAG:  # what SafeConstructor makes of it: the text itself
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise self._bad_tag(node, shown)
        try:
            value = _constructor().construct_object(node, deep=True)
        except (ValueError, OverflowError):  # e.g. 2024-13-01: let the schema say why
            return str(node.value)
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def _bad_tag(self, node: yaml.Node, shown: str) -> YamlProblem:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        return YamlProblem(
            node.start_mark.line + self.first_line,
            f"YAML tag {tag} is not allowed: front matter holds plain data only",
            shown,
        )


def _constructor() -> yaml.constructor.SafeConstructor:
    """A constructor for scalars, made fresh for each: it remembers every node it built."""
    return yaml.constructor.SafeConstructor()


def dump_scalar(value: object) -> str:
    """A scalar (or a flat list, in flow style) as YAML, quoted only where needed.

    Strings, dates and lists of strings (nearly every front matter value) take a
    fast path that applies PyYAML's own style rules (``Emitter.analyze_scalar`` and
    ``choose_scalar_style``) for one-line printable text: plain when the plain form
    reads back as the same string, else single-quoted. Anything else goes through
    ``yaml.safe_dump``. libyaml's ``CSafeDumper`` is not used: it escapes characters
    outside the BMP (emoji) in double quotes, so its bytes differ from the canonical
    form files were written in.
    """
    if type(value) is str:
        fast = _block_str(value)
        if fast is not None:
            return fast
    elif type(value) is dt.date:
        return value.isoformat()
    elif type(value) is dt.datetime:
        text = value.isoformat(" ")  # what SafeRepresenter writes, tagged timestamp
        if _plain_ok(text, False) and _resolve(yaml.ScalarNode, text, (True, False)) == _TIME_TAG:
            return text
    elif type(value) is list:
        items = [_fast_str(item, flow=True) if type(item) is str else None for item in value]
        if all(item is not None for item in items):
            return "[" + ", ".join(cast("list[str]", items)) + "]"
    return _dump(value)


def _dump(value: object) -> str:
    text: str = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 30)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


# One line of characters PyYAML's emitter prints as they are (no tab, no line break
# of any kind, no BOM, no control character): such text is written plain or
# single-quoted, never double-quoted.
_PRINTABLE_LINE = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe]*"
)
_BLOCK_INDICATOR_START = frozenset("#,[]{}&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",?[]{}:")
_resolve = cast("Callable[[type, str, tuple[bool, bool]], str]", yaml.resolver.Resolver().resolve)


@lru_cache(maxsize=1024)
def _block_str(text: str) -> str | None:
    """``_fast_str`` of a block value, remembered: topics, kinds, statuses, languages
    and source files repeat across thousands of entries an import writes."""
    return _fast_str(text, flow=False)


def _fast_str(text: str, *, flow: bool) -> str | None:
    """``text`` as the emitter would write it, or None when it needs the emitter."""
    if not text or not _PRINTABLE_LINE.fullmatch(text):
        return None
    if _plain_ok(text, flow) and _resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG:
        return text
    return "'" + text.replace("'", "''") + "'"


def _plain_ok(text: str, flow: bool) -> bool:
    """PyYAML's ``allow_block_plain`` / ``allow_flow_plain`` for one printable line."""
    first = text[0]
    if (
        first == " "
        or text[-1] == " "
        or text.startswith(("---", "..."))
        or first in _BLOCK_INDICATOR_START
        or (first in "?:-" and (len(text) == 1 or text[1] == " "))
        or ": " in text
        or text[-1] == ":"
        or " #" in text
    ):
        return False
    return not (flow and not _FLOW_INDICATORS.isdisjoint(text))
