"""Character reference decoding as the WHATWG tokenizer does it (HTML §13.2.5.72-80).

The gate resolves URLs the way a browser will: ``src="https://t&#46;example/x"`` and
``src="https://t.example&sol;x"`` must be seen as the tracker they are. Browsers decode
attribute values with the "character reference state", so this module follows it rule for rule:
longest match in the full named table, the attribute-only legacy rule (``&amp`` without ``;``
before ``=`` or an alphanumeric is left alone), and the numeric fix-ups (windows-1252 table for
0x80-0x9F, U+FFFD for zero, surrogates and values past U+10FFFF).
"""

from __future__ import annotations

import re
from html.entities import html5

__all__ = ["decode"]

_LONGEST_NAME = max(len(name) for name in html5)
_NAME_RUN = re.compile(rf"[A-Za-z0-9]{{1,{_LONGEST_NAME}}};?")
_HEX = re.compile(r"[xX]([0-9A-Fa-f]+)")
_DECIMAL = re.compile(r"[0-9]+")
_ALNUM_OR_EQUALS = frozenset("=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _c1_replacement(code: int) -> str:
    """The spec's 0x80-0x9F table is windows-1252; its five holes map to themselves."""
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(code)


_C1 = {code: _c1_replacement(code) for code in range(0x80, 0xA0)}


def decode(text: str, *, in_attribute: bool) -> str:
    """Return *text* with its character references replaced.

    *in_attribute* selects the attribute-value rule for legacy references without ``;``.
    """
    amp = text.find("&")
    if amp < 0:
        return text
    out: list[str] = []
    pos = 0
    while amp >= 0:
        out.append(text[pos:amp])
        replacement, pos = _reference(text, amp + 1, in_attribute)
        out.append(replacement)
        amp = text.find("&", pos)
    out.append(text[pos:])
    return "".join(out)


def _reference(text: str, pos: int, in_attribute: bool) -> tuple[str, int]:
    """Decode the reference whose ``&`` precedes *pos*; return (replacement, resume offset).

    When nothing is decoded the ``&`` is returned alone and scanning resumes right after it,
    so the characters that followed are copied as ordinary text.
    """
    if text.startswith("#", pos):
        return _numeric(text, pos + 1)
    match = _NAME_RUN.match(text, pos)
    if match is None:
        return "&", pos
    candidate = match.group()
    for length in range(len(candidate), 0, -1):
        name = candidate[:length]
        if name in html5:
            return _named(text, pos, name, in_attribute)
    return "&", pos


def _named(text: str, pos: int, name: str, in_attribute: bool) -> tuple[str, int]:
    """Apply the historical-attribute rule, then substitute the matched name."""
    after = pos + len(name)
    if (
        in_attribute
        and not name.endswith(";")
        and after < len(text)
        and text[after] in _ALNUM_OR_EQUALS
    ):
        return "&", pos
    return html5[name], after


def _numeric(text: str, pos: int) -> tuple[str, int]:
    """Decode ``&#...``; *pos* is just past ``#``. No digits means no reference at all."""
    hexadecimal = _HEX.match(text, pos)
    if hexadecimal is not None:
        code = int(hexadecimal.group(1), 16)
        end = hexadecimal.end()
    else:
        decimal = _DECIMAL.match(text, pos)
        if decimal is None:
            return "&", pos - 1
        code = int(decimal.group())
        end = decimal.end()
    if text.startswith(";", end):
        end += 1
    return _code_point(code), end


def _code_point(code: int) -> str:
    """Map a numeric reference's value to the character the spec says it produces."""
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return _C1.get(code) or chr(code)
