"""Jumps to labels, resolved in the written PDF.

The template writes each link to a label as a web link to ``kbtool-dest:<label>``
(typst needs no layout of its own to place those), and typst writes every label of
the sheet as a named destination. Here each such link action becomes a jump to the
named destination ``<label>``, exactly what typst writes for a link to a label: a
``/Dest`` entry naming it. The replacement is never longer than what it replaces and
is padded with spaces, so no byte offset of the file moves and its cross-reference
table stays valid; the tooltip (``/Contents``) that named the web address names the
label instead.

No user link can have this scheme: the sheet's filter keeps only http, https,
mailto and ftp links (:data:`kbtool.export.sheet_checks.LINK_SCHEMES`).
"""

from __future__ import annotations

import re

SCHEME = "kbtool-dest:"
# typst (krilla) writes a URI action with the address as a hex or a literal string,
# then the annotation's flags and structure index, then the tooltip as UTF-16 text
_ACTION = re.compile(
    rb"/A<</Type/Action/S/URI/URI(?P<uri><[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))>>"
    rb"(?P<between>(?:/F \d+|/StructParent \d+)*)"
    rb"(?P<tooltip>/Contents(?:<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\)))?"
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def resolve(pdf: bytes) -> bytes:
    """``pdf`` with every ``kbtool-dest:`` link turned into a jump to its label."""
    return _ACTION.sub(_jump, pdf)


def _jump(match: re.Match[bytes]) -> bytes:
    address = _string(match.group("uri"))
    if not address.startswith(SCHEME.encode()):
        return match.group(0)
    name = address[len(SCHEME) :]
    tooltip = match.group("tooltip") or b""
    if tooltip.startswith(b"/Contents<"):  # UTF-16 text, as the address was written
        text = name.decode("utf-8").encode("utf-16-be")
        tooltip = b"/Contents<FEFF" + text.hex().upper().encode() + b">"
    elif tooltip:
        tooltip = b"/Contents" + _literal(name)
    jump = b"/Dest" + _literal(name) + match.group("between") + tooltip
    old = match.group(0)
    if len(jump) > len(old):  # cannot happen: each part is shorter than the one it replaces
        return old
    return jump + b" " * (len(old) - len(jump))


def _literal(data: bytes) -> bytes:
    """A PDF string of ``data``: literal when plain ASCII, as typst writes names, else hex."""
    if re.fullmatch(rb"[\x20-\x7e]*", data) and not re.search(rb"[()\\]", data):
        return b"(" + data + b")"
    return b"<" + data.hex().upper().encode() + b">"


def _string(token: bytes) -> bytes:
    """The bytes of a PDF string token, hex ``<...>`` or literal ``(...)``."""
    if token.startswith(b"<"):
        digits = re.sub(rb"\s", b"", token[1:-1])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    out = bytearray()
    body, i = token[1:-1], 0
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)
