"""A streaming WHATWG HTML tokenizer over bytes, built for gating third-party tags.

Why a tokenizer of our own: the gate removes ``<script src=...>`` and friends before the bytes
leave the server. If it disagrees with the browser about where a tag, a comment or a script's
text ends, a tracker survives or the page is corrupted. So every state of HTML §13.2.5 that
decides where a construct starts and ends is implemented at byte level, and everything else is
left byte for byte to the consumer, which copies ``buf[consumed:]`` ranges untouched.

Design: compiled ``bytes`` regular expressions with possessive quantifiers do the scanning. In
plain HTML data state one pattern (compiled once per watch set) skips text, comments, doctypes
and every tag the consumer did not ask for, in C, and stops at the next construct that matters.
Attributes are parsed lazily, only for tags that are emitted.

The tokenizer holds a little tree-construction knowledge, because the tree builder is what
switches it into raw-text states. Approximations, each chosen to expose more tags to the gate
when the two readings differ:

* A start tag switches to RCDATA/RAWTEXT/script data/PLAINTEXT whenever it is in the HTML
  namespace, whatever the insertion mode (a ``<script>`` after ``<frameset>``, which a browser
  ignores, still starts script data here).
* Foreign content is tracked as a stack of ``<svg>``/``<math>`` subtrees (nesting counted) and
  HTML integration points, with repeated pairs stored as counted runs (see ``_Frames``).
  Other foreign elements are not tracked, so an end tag only closes a
  subtree or integration point whose name it carries. Inside an integration point an end tag
  closes it when the names match, even if HTML elements are still open inside it.
* ``<math>`` inside ``<svg>`` (and the reverse) is an ordinary foreign element, as in a browser,
  except that ``<svg>`` under ``annotation-xml`` is not recognised as a new SVG subtree.
* ``<![CDATA[`` is a CDATA section only while a foreign subtree (not an integration point) is
  innermost; directly inside ``<foreignObject>`` a browser would also accept it.

Text is never held back (except, with ``emit_all``, a possible character reference, a CR or a
partial UTF-8 sequence at the very end of a chunk), so hold-back is bounded by the longest
unfinished tag. Comments, bogus comments and DOCTYPEs are not held either (outside
``emit_all``, which needs them whole): an open one is consumed as it streams, keeping only a
tail that may begin ``--!>``. An unfinished tag is held (the consumer needs its bytes) but
not rescanned: the next buffer resumes its walk from the sub-state where the last one
stopped, so every construct costs time linear in its length. The encoding must be
ASCII-compatible (UTF-8, windows-1252, ...).
"""

from __future__ import annotations

import codecs
import enum
import functools
import importlib
import os
import re
from collections.abc import Generator, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from cookiegate.html import charrefs

if TYPE_CHECKING:
    from cookiegate.html import _cscanner

__all__ = [
    "IMPLEMENTATION",
    "NativeTokenizer",
    "PyTokenizer",
    "Token",
    "TokenKind",
    "Tokenizer",
]


class TokenKind(enum.IntEnum):
    """What a :class:`Token` stands for."""

    START_TAG = 1
    END_TAG = 2
    TEXT = 3
    COMMENT = 4
    DOCTYPE = 5


# --- byte-level grammar -------------------------------------------------------------------

_NAME_TAIL = rb"[^\t\n\f\r />]*+"
# Before/after attribute name, attribute name, values (quoted and unquoted), self-closing:
# every byte is accepted by some state, so the only way not to reach ">" is the end of input.
# Once "=" follows a name, a value (or the ">" of an empty one) must follow: without that rule
# an unterminated quoted value at the end of a chunk would be re-read as more attribute names.
_ATTRS_END = (
    rb"(?:[\t\n\f\r /]++|[^\t\n\f\r />][^\t\n\f\r />=]*+"
    rb"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+"
    rb"(?:\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >\"'][^\t\n\f\r >]*+|(?=>))"
    rb"|(?![\t\n\f\r ]*+=)))*+>"
)
_TAG = re.compile(rb"</?([A-Za-z]" + _NAME_TAIL + rb")" + _ATTRS_END)
_TAG_NAME = re.compile(rb"</?([A-Za-z]" + _NAME_TAIL + rb")")
# The attribute iterations of _ATTRS_END that the bytes present already decide: each one is
# followed by the byte that ends it, so the next chunk cannot change how they were read.
_ATTRS_DECIDED = re.compile(
    rb"(?:[\t\n\f\r /]++|[^\t\n\f\r />][^\t\n\f\r />=]*+"
    rb"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+"
    rb"(?:\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >\"'][^\t\n\f\r >]*+(?=[\t\n\f\r >])|(?=>))"
    rb"|(?=[\t\n\f\r ]*+[^\t\n\f\r =])))*+"
)
_SEP_RUN = re.compile(rb"[\t\n\f\r /]*+")
_WS_RUN = re.compile(rb"[\t\n\f\r ]*+")
_TAG_NAME_REST = re.compile(_NAME_TAIL)
_ATTR_NAME_REST = re.compile(rb"[^\t\n\f\r />=]*+")
_UNQUOTED_REST = re.compile(rb"[^\t\n\f\r >]*+")
# Sub-states of an unfinished tag (13.2.5.8 tag name to 13.2.5.38 unquoted value), the point
# from which the next chunk resumes the walk instead of rescanning from "<".
_W_TAG_NAME, _W_BEFORE, _W_NAME, _W_AFTER, _W_VALUE, _W_DQ, _W_SQ, _W_UNQUOTED = range(8)
# Every attribute name follows whitespace, "/" or a closing quote: a cheap pre-filter for
# names starting with "on" (event handlers), on either case.
_HANDLER_HINT = re.compile(rb"[\t\n\f\r /\"'][oO][nN]")
_ATTR = re.compile(
    rb"([\t\n\f\r /]*+)(?:([^\t\n\f\r />][^\t\n\f\r />=]*+)(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+"
    rb"(?:\"([^\"]*+)\"|'([^']*+)'|([^\t\n\f\r >\"'][^\t\n\f\r >]*+))?)?)?"
)
# After "<!--": "<!-->" and "<!--->" end at once, else the first "-->" or "--!>".
_COMMENT_TAIL = rb"(?:-?>|[^-]*+(?:-(?!-!?>)[^-]*+)*+--!?>)"
_COMMENT_END = re.compile(rb"--!?>")
_CDATA_END = re.compile(rb"]]>")
_ALPHA = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_REF_TAIL = re.compile(rb"&(?:#[xX]?[0-9A-Fa-f]*|[A-Za-z0-9]*)")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_INCOMPLETE = -1
_STREAMING = -2  # an unfinished comment being consumed: ``consumed`` is already set

# --- tree-construction knowledge -----------------------------------------------------------

_RCDATA = frozenset({"title", "textarea"})
_RAWTEXT = frozenset({"style", "xmp", "iframe", "noembed", "noframes"})
_STATE_TAGS = _RCDATA | _RAWTEXT | {"script", "plaintext", "noscript", "svg", "math"}
_SVG_INTEGRATION = frozenset({"foreignobject", "desc", "title"})
_MATH_INTEGRATION = frozenset({"mi", "mo", "mn", "ms", "mtext"})
_HTML_ENCODINGS = frozenset({"text/html", "application/xhtml+xml"})
_BREAKOUT = frozenset(
    {
        "b",
        "big",
        "blockquote",
        "body",
        "br",
        "center",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "hr",
        "i",
        "img",
        "li",
        "listing",
        "menu",
        "meta",
        "nobr",
        "ol",
        "p",
        "pre",
        "ruby",
        "s",
        "small",
        "span",
        "strong",
        "strike",
        "sub",
        "sup",
        "table",
        "tt",
        "u",
        "ul",
        "var",
    }
)
_STATES = ("data", "rcdata", "rawtext", "script", "plaintext", "cdata")


def _alternation(names: frozenset[str]) -> bytes:
    """A case-insensitive alternation of *names*, longest first, or a never-matching group."""
    if not names:
        return rb"(?!)"
    ordered = sorted((name.encode() for name in names), key=len, reverse=True)
    return rb"(?i:" + b"|".join(re.escape(name) for name in ordered) + rb")"


@functools.lru_cache(maxsize=32)
def _skip_pattern(start_stop: frozenset[str], end_stop: frozenset[str]) -> re.Pattern[bytes]:
    """Compile the data-state fast path: it matches everything the consumer may copy blindly.

    It consumes text, comments, doctypes, bogus comments and tags whose names are not in the
    stop sets, and stops in front of anything else (or of an unfinished construct).
    """
    stop_start = rb"(?!" + _alternation(start_stop) + rb"[\t\n\f\r />])"
    stop_end = rb"(?!" + _alternation(end_stop) + rb"[\t\n\f\r />])"
    tag = rb"[A-Za-z]" + _NAME_TAIL + _ATTRS_END
    return re.compile(
        rb"(?:[^<]++|<(?:"
        + stop_start
        + tag
        + rb"|/(?:"
        + stop_end
        + tag
        + rb"|>|[^A-Za-z>][^>]*+>)"
        + rb"|!(?:--"
        + _COMMENT_TAIL
        + rb"|(?!--)[^>]*+>)"
        + rb"|\?[^>]*+>"
        + rb"|(?=[^A-Za-z/!?])"
        + rb"))*+"
    )


@functools.lru_cache(maxsize=64)
def _end_tag_pattern(name: str | None) -> re.Pattern[bytes]:
    """Find the appropriate end tag ``</name`` + terminator in RCDATA/RAWTEXT."""
    if name is None:
        return re.compile(rb"(?!)")
    return re.compile(rb"</" + _alternation(frozenset({name})) + rb"[\t\n\f\r />]")


@functools.lru_cache(maxsize=64)
def _script_patterns(name: str | None) -> tuple[re.Pattern[bytes], ...]:
    """Searches for script data, escaped and double-escaped states (in that order).

    Groups: ``end`` (appropriate end tag), ``open`` ("<!--"), ``close`` ("-->"),
    ``double`` ("<script" + terminator), ``undouble`` ("</script" + terminator).
    """
    end = _end_tag_pattern(name).pattern
    script = rb"(?i:script)[\t\n\f\r />]"
    return (
        re.compile(rb"(?P<end>" + end + rb")|(?P<open><!--)"),
        re.compile(rb"(?P<end>" + end + rb")|(?P<close>-->)|(?P<double><" + script + rb")"),
        re.compile(rb"(?P<close>-->)|(?P<undouble></" + script + rb")"),
    )


# --- tokens ------------------------------------------------------------------------------


class Token:
    """One token, with offsets into the buffer given to :meth:`Tokenizer.scan`.

    :attr:`foreign` tells whether the tree was in foreign content (inside ``<svg>`` or
    ``<math>``, not in an HTML integration point) just before this tag's tree effects: a
    breakout ``<img>`` inside ``<svg>`` has ``foreign`` True although it closes the SVG
    subtree. It is False for tokens other than tags and when tree effects are off.
    """

    __slots__ = (
        "kind",
        "foreign",
        "start",
        "end",
        "name",
        "raw",
        "data",
        "_encoding",
        "_attrs",
        "_spans",
        "_self_closing",
        "_doctype",
    )

    def __init__(
        self,
        kind: TokenKind,
        start: int,
        end: int,
        name: str,
        raw: bytes,
        data: str,
        encoding: str,
        foreign: bool = False,
    ) -> None:
        self.kind = kind
        self.foreign = foreign
        self.start = start
        self.end = end
        self.name = name
        self.raw = raw
        self.data = data
        self._encoding = encoding
        self._attrs: dict[str, str] | None = None
        self._spans: list[tuple[str, int, int]] = []
        self._self_closing = False
        self._doctype: tuple[str | None, str | None, str | None, bool] | None = None

    def __repr__(self) -> str:
        return f"Token({self.kind.name}, {self.start}, {self.end}, {self.name!r})"

    @property
    def attrs(self) -> dict[str, str]:
        """Attributes, parsed on first access: first occurrence wins, references decoded."""
        if self._attrs is None:
            self._attrs = {}
            if self.kind in (TokenKind.START_TAG, TokenKind.END_TAG):
                self._parse_attrs()
        return self._attrs

    @property
    def attr_spans(self) -> list[tuple[str, int, int]]:
        """``(name, start, end)`` of each attribute that :attr:`attrs` keeps, in source order.

        Offsets are relative to :attr:`raw` and cover the whole attribute, from the first byte
        of its name to the end of its value (closing quote included), or to the end of its
        name when it has no value. A consumer can cut one attribute out of a tag with
        ``raw[:start] + raw[end:]`` without re-serialising the rest. Later duplicates of a
        name, which a browser ignores, have no span.
        """
        self.attrs  # noqa: B018 - parsing records the spans
        return list(self._spans)

    @property
    def self_closing(self) -> bool:
        """Whether a start tag ends with a ``/>`` that is not part of an attribute value."""
        self.attrs  # noqa: B018 - parsing sets the flag
        return self._self_closing

    @property
    def public_id(self) -> str | None:
        """DOCTYPE public identifier, or None when absent."""
        return self._doctype_fields()[1]

    @property
    def system_id(self) -> str | None:
        """DOCTYPE system identifier, or None when absent."""
        return self._doctype_fields()[2]

    @property
    def force_quirks(self) -> bool:
        """The DOCTYPE token's force-quirks flag."""
        return self._doctype_fields()[3]

    def _doctype_fields(self) -> tuple[str | None, str | None, str | None, bool]:
        if self._doctype is None:
            closed = self.raw.endswith(b">")
            self._doctype = _parse_doctype(self.data, closed)
        return self._doctype

    def _parse_attrs(self) -> None:
        if _native is None:
            self._parse_attrs_python()
            return
        self._attrs, self._spans, self._self_closing = _native.parse_attrs(
            self.raw, self._encoding, _decode_name, _decode_value
        )

    def _parse_attrs_python(self) -> None:
        """The reference attribute parser; ``_cscanner.parse_attrs`` is its native twin."""
        assert self._attrs is not None
        raw = self.raw
        tag = _TAG.match(raw)
        assert tag is not None  # raw is a complete tag by construction
        pos = tag.end(1)
        while True:
            match = _ATTR.match(raw, pos)
            assert match is not None  # the pattern can match the empty string
            name_bytes = match.group(2)
            if name_bytes is None:
                self._self_closing = match.group(1).endswith(b"/")
                return
            name = _text(name_bytes.lower(), self._encoding, nul="\ufffd")
            if name not in self._attrs:
                value = match.group(3) or match.group(4) or match.group(5) or b""
                text = _text(value, self._encoding, nul="\ufffd")
                self._attrs[name] = charrefs.decode(text, in_attribute=True)
                self._spans.append((name, match.start(2), match.end()))
            pos = match.end()


def _text(data: bytes, encoding: str, *, nul: str) -> str:
    """Decode bytes with input-stream preprocessing: CR/CRLF to LF, NUL as the state wants."""
    text = data.decode(encoding, "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if nul != "\0" and "\0" in text:
        text = text.replace("\0", nul)
    return text


def _decode_name(name: bytes, encoding: str) -> str:
    """A tag or attribute name as tokens spell it: ASCII-lowered, decoded, NUL as U+FFFD."""
    return _text(name.lower(), encoding, nul="\ufffd")


def _decode_value(value: bytes, encoding: str) -> str:
    """An attribute value: decoded, newlines normalised, references resolved."""
    return charrefs.decode(_text(value, encoding, nul="\ufffd"), in_attribute=True)


def _is_integration_point(namespace: str, token: Token) -> bool:
    """Whether a start tag in *namespace* opens an element whose content is parsed as HTML."""
    if namespace == "svg":
        return token.name in _SVG_INTEGRATION
    if token.name in _MATH_INTEGRATION:
        return True
    encoding = token.attrs.get("encoding", "").translate(_ASCII_LOWER)
    return token.name == "annotation-xml" and encoding in _HTML_ENCODINGS


def _walk_tag(buf: bytes, sub: int, pos: int) -> tuple[int, int, int]:
    """Walk a tag from sub-state *sub* at *pos*: ``(end, sub, pos)``.

    *end* is the offset after the closing ``>``, or -1 when the input ends first; then
    ``(sub, pos)`` is where to resume once more bytes follow (*pos* is ``len(buf)``). Each
    call costs the bytes it walks plus one step per attribute it could not decide at once, so
    resuming keeps an unfinished tag linear. It reads the grammar of ``_ATTRS_END``.
    """
    n = len(buf)
    while True:
        if sub == _W_TAG_NAME:
            pos = _TAG_NAME_REST.match(buf, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return -1, sub, n
            sub = _W_BEFORE
        elif sub == _W_BEFORE:
            pos = _ATTRS_DECIDED.match(buf, pos).end()  # type: ignore[union-attr]
            pos = _SEP_RUN.match(buf, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return -1, sub, n
            if buf[pos] == 0x3E:  # ">"
                return pos + 1, sub, pos
            sub, pos = _W_NAME, pos + 1
        elif sub == _W_NAME:
            pos = _ATTR_NAME_REST.match(buf, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return -1, sub, n
            byte = buf[pos]
            if byte == 0x3D:  # "="
                sub, pos = _W_VALUE, pos + 1
            else:
                sub = _W_AFTER if byte not in b"/>" else _W_BEFORE
        elif sub == _W_AFTER:
            pos = _WS_RUN.match(buf, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return -1, sub, n
            if buf[pos] == 0x3D:
                sub, pos = _W_VALUE, pos + 1
            else:
                sub = _W_BEFORE
        elif sub == _W_VALUE:
            pos = _WS_RUN.match(buf, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return -1, sub, n
            byte = buf[pos]
            if byte == 0x3E:
                return pos + 1, sub, pos
            if byte == 0x22:  # '"'
                sub, pos = _W_DQ, pos + 1
            elif byte == 0x27:  # "'"
                sub, pos = _W_SQ, pos + 1
            else:
                sub = _W_UNQUOTED
        elif sub in (_W_DQ, _W_SQ):
            close = buf.find(b'"' if sub == _W_DQ else b"'", pos)
            if close < 0:
                return -1, sub, n
            sub, pos = _W_BEFORE, close + 1
        else:  # _W_UNQUOTED
            pos = _UNQUOTED_REST.match(buf, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return -1, sub, n
            if buf[pos] == 0x3E:
                return pos + 1, sub, pos
            sub = _W_BEFORE


def _comment_hold(buf: bytes, pos: int) -> int:
    """Where to stop consuming an open comment: before a tail that may begin ``--!>``."""
    n = len(buf)
    for tail in (b"--!", b"--", b"-"):
        if n - len(tail) >= pos and buf.endswith(tail):
            return n - len(tail)
    return n


_Frame = list[str | int]  # [kind, name, depth]; kind svg, math or html
_Frozen = tuple[str, str, int]
_Pair = tuple[_Frozen, _Frozen]


def _freeze(frame: _Frame) -> _Frozen:
    return str(frame[0]), str(frame[1]), int(frame[2])


class _Frames:
    """The open foreign subtrees and integration points, innermost last, kept compact.

    The stack alternates: a foreign frame (svg or math) is pushed only on an integration
    point or on nothing, an integration point only on a foreign frame. So everything below
    the innermost two frames is stored as runs of identical (foreign, integration point)
    pairs: 100k levels of ``<math><mi>`` are one run with a count, not 200k frames. Only the
    innermost frames change (a depth, a pop), and a pair is unpacked from its run when it
    becomes innermost again; the reading is exactly that of the plain list. ``top`` is never
    empty while ``runs`` is not, so the innermost frame is always ``top[-1]``.
    """

    __slots__ = ("top", "runs")

    def __init__(self) -> None:
        self.top: list[_Frame] = []
        self.runs: list[tuple[_Pair, int]] = []  # (pair, count), innermost last

    def __bool__(self) -> bool:
        return bool(self.top)

    def __len__(self) -> int:
        return len(self.top) + 2 * sum(count for _, count in self.runs)

    def last(self) -> _Frame:
        return self.top[-1]

    def foreign(self) -> bool:
        """Whether the innermost frame is a foreign subtree (not an integration point)."""
        return bool(self.top) and self.top[-1][0] != "html"

    def push(self, kind: str, name: str) -> None:
        top = self.top
        top.append([kind, name, 1])
        if len(top) >= 4:
            pair = (_freeze(top[0]), _freeze(top[1]))
            del top[:2]
            runs = self.runs
            if runs and runs[-1][0] == pair:
                runs[-1] = (pair, runs[-1][1] + 1)
            else:
                runs.append((pair, 1))

    def _unpack(self) -> _Pair:
        """Take the innermost pair out of the runs."""
        pair, count = self.runs[-1]
        if count > 1:
            self.runs[-1] = (pair, count - 1)
        else:
            self.runs.pop()
        return pair

    def _settle(self) -> None:
        if not self.top and self.runs:
            self.top = [list(frame) for frame in self._unpack()]

    def pop(self) -> None:
        self.top.pop()
        self._settle()

    def close(self, index: int) -> None:
        """Close ``top[index]``: one nesting level of the innermost frame, else the frame."""
        top = self.top
        if index == len(top) - 1 and int(top[index][2]) > 1:
            top[index][2] = int(top[index][2]) - 1
        else:
            del top[index:]
            self._settle()

    def close_named(self, name: str) -> None:
        """Close the innermost frame called *name*, and every frame inside it."""
        top = self.top
        for index in range(len(top) - 1, -1, -1):
            if top[index][1] == name:
                self.close(index)
                return
        runs = self.runs
        for at in range(len(runs) - 1, -1, -1):
            pair = runs[at][0]
            for index in (1, 0):
                if pair[index][1] == name:
                    del runs[at + 1 :]
                    self.top = [list(frame) for frame in self._unpack()[:index]]
                    self._settle()
                    return

    def break_out(self) -> None:
        """Pop foreign frames up to the innermost integration point (or all of them)."""
        while self.top and self.top[-1][0] != "html":
            self.pop()


def _utf8_boundary(buf: bytes, start: int, end: int) -> int:
    """Move *end* back before a UTF-8 sequence that the next chunk would complete."""
    lead = end
    while lead > start and end - lead < 3 and buf[lead - 1] & 0xC0 == 0x80:
        lead -= 1
    if lead > start and buf[lead - 1] >= 0xC0:
        need = 2 if buf[lead - 1] < 0xE0 else 3 if buf[lead - 1] < 0xF0 else 4
        if end - (lead - 1) < need:
            return lead - 1
    return end


def _parse_doctype(text: str, closed: bool) -> tuple[str | None, str | None, str | None, bool]:
    """Split DOCTYPE content into (name, public id, system id, force quirks), per §13.2.5.53-68."""
    n = len(text)
    pos = _skip_space(text, 0)
    if pos == n:
        return None, None, None, True
    end = pos
    while end < n and text[end] not in "\t\n\f ":
        end += 1
    name = text[pos:end].translate(_ASCII_LOWER)
    pos = _skip_space(text, end)
    if pos == n:
        return name, None, None, not closed
    keyword = text[pos : pos + 6]
    if not keyword.isascii() or keyword.lower() not in ("public", "system"):
        return name, None, None, True
    pos = _skip_space(text, pos + 6)
    first, pos = _quoted(text, pos)
    if first is None:
        return name, None, None, True
    if pos < 0:
        return (
            name,
            (first if keyword.lower() == "public" else None),
            (first if keyword.lower() == "system" else None),
            True,
        )
    if keyword.lower() == "system":
        return name, None, first, _quirks_after_system_id(text, pos, closed)
    pos = _skip_space(text, pos)
    if pos == n:
        return name, first, None, not closed
    second, pos = _quoted(text, pos)
    if second is None:
        return name, first, None, True
    return name, first, second, pos < 0 or _quirks_after_system_id(text, pos, closed)


def _quirks_after_system_id(text: str, pos: int, closed: bool) -> bool:
    """Junk after the system id makes a bogus DOCTYPE, which EOF does not mark as quirky."""
    return _skip_space(text, pos) == len(text) and not closed


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in "\t\n\f ":
        pos += 1
    return pos


def _quoted(text: str, pos: int) -> tuple[str | None, int]:
    """Read a quoted identifier at *pos*: (value, offset after it, or -1 if unterminated)."""
    if pos >= len(text) or text[pos] not in "\"'":
        return None, pos
    close = text.find(text[pos], pos + 1)
    if close < 0:
        return text[pos + 1 :], -1
    return text[pos + 1 : close], close + 1


# --- the tokenizer -------------------------------------------------------------------------

_Scan = Generator[Token, None, int | None]


def _trailing(buf: bytes, pos: int, end: int, byte: int, limit: int) -> int:
    """How many copies of *byte*, at most *limit*, end ``buf[pos:end]``."""
    count = 0
    while count < limit and end - count > pos and buf[end - count - 1] == byte:
        count += 1
    return count


class PyTokenizer:
    """Incremental tokenizer: call :meth:`scan` on each chunk, prefixed with the retained tail.

    The pure-Python reference implementation; see :data:`Tokenizer` for the one to use.

    :param encoding: ASCII-compatible encoding used to decode names, values and text.
    :param scripting: the scripting flag; when set, ``<noscript>`` content is raw text.
    :param emit_all: emit every token, text, comment and doctype included (for tests).
    :param initial_state: one of ``data rcdata rawtext script plaintext cdata``.
    :param last_start_tag: the tag name the "appropriate end tag" rule compares with.
    :param tree_effects: let start tags switch states and track foreign content, as the tree
        builder would; the html5lib tokenizer suite turns this off.
    """

    def __init__(
        self,
        *,
        encoding: str = "utf-8",
        scripting: bool = False,
        emit_all: bool = False,
        initial_state: str = "data",
        last_start_tag: str | None = None,
        tree_effects: bool = True,
    ) -> None:
        if initial_state not in _STATES:
            raise ValueError(f"Unknown initial_state {initial_state!r}; use one of {_STATES}.")
        self.encoding = encoding
        self.scripting = scripting
        self.emit_all = emit_all
        self.tree_effects = tree_effects
        self.state = initial_state
        self.consumed = 0
        self._is_utf8 = codecs.lookup(encoding).name == "utf-8"
        self._end_name = last_start_tag
        self._script_mode = 0  # 0 script data, 1 escaped, 2 double escaped
        self._frames = _Frames()
        self._names: frozenset[str] = frozenset()
        self._every = True
        self._skip: re.Pattern[bytes] | None = None
        self._marker: bytes | None = None
        self._handlers = False
        self._lowered_for: bytes | None = None
        self._lowered = b""
        self._marker_at = -1
        self._handler_at = -1
        # Unfinished constructs the next buffer resumes (see scan): an open comment or
        # bogus comment being consumed (1: ends at "--!?>", 2: at ">"), and the sub-state
        # and offset (from its "<", which starts the next buffer) of an unfinished tag.
        self._skipping = 0
        self._resume: tuple[int, int] | None = None
        self.watch(None)

    @property
    def in_foreign_content(self) -> bool:
        """Whether the tree is in foreign content after the last token :meth:`scan` yielded.

        Read it while the scan is suspended on a token: it includes that token's effects.
        """
        return self._frames.foreign()

    def watch(
        self,
        names: frozenset[str] | None,
        *,
        marker: bytes | None = None,
        event_handlers: bool = False,
    ) -> None:
        """Choose which tags :meth:`scan` emits; takes effect from the next token.

        :param names: tag names to emit (None: every tag).
        :param marker: also emit start tags holding these bytes (ASCII case-insensitive).
        :param event_handlers: also emit start tags with an attribute whose name starts with
            ``on`` (ASCII case-insensitive): ``onload``, ``ONERROR``, ...
        """
        self._names = names or frozenset()
        self._every = self.emit_all or names is None
        self._marker = marker.lower() if marker else None
        self._handlers = event_handlers
        self._marker_at = -1
        self._handler_at = -1
        if self._every or not all(name.isascii() for name in self._names):
            # The skip pattern holds names as bytes; a non-ASCII name's bytes depend on the
            # encoding (and NUL reads as U+FFFD), so such names take the exact, slower path.
            self._skip = None
        else:
            self._skip = _skip_pattern(self._names | _STATE_TAGS, self._names)

    def scan(self, buf: bytes, *, final: bool = False) -> Iterator[Token]:
        """Tokenize *buf* from offset 0, then set :attr:`consumed`."""
        self.consumed = 0
        self._lowered_for = None
        pos: int | None = 0
        handlers = {
            "data": self._data,
            "rcdata": self._raw,
            "rawtext": self._raw,
            "script": self._script,
            "plaintext": self._plaintext,
            "cdata": self._cdata,
        }
        while pos is not None:
            pos = yield from handlers[self.state](buf, pos, final)

    # -- emission helpers --

    def _emit_text(self, buf: bytes, start: int, end: int) -> Iterator[Token]:
        if not self.emit_all or start >= end:
            return
        state = self.state
        raw = buf[start:end]
        if state == "data" or state == "cdata":
            text = _text(raw, self.encoding, nul="\0")
        else:
            text = _text(raw, self.encoding, nul="\ufffd")
        if state == "data" or state == "rcdata":
            text = charrefs.decode(text, in_attribute=False)
        yield Token(TokenKind.TEXT, start, end, "", raw, text, self.encoding)

    def _stop(self, buf: bytes, text_start: int, end: int, final: bool) -> Iterator[Token]:
        """Finish a scan: emit text up to a safe point and record it as consumed."""
        if self.emit_all and not final:
            end = self._safe_text_end(buf, text_start, end)
        yield from self._emit_text(buf, text_start, end)
        self.consumed = end

    def _safe_text_end(self, buf: bytes, start: int, end: int) -> int:
        """Keep back what the next chunk could change in decoded text (emit_all only)."""
        if self.state in ("data", "rcdata"):
            amp = buf.rfind(b"&", max(start, end - 40), end)
            if amp >= 0 and _REF_TAIL.fullmatch(buf, amp, end):
                end = amp
        if end > start and buf[end - 1] == 0x0D:
            end -= 1
        if self._is_utf8:
            end = _utf8_boundary(buf, start, end)
        return end

    def _wants(self, token: Token, start_tag: bool) -> bool:
        if self._every or token.name in self._names:
            return True
        if not start_tag:
            return False
        if self._marker is not None and self._marker in token.raw.lower():
            return True
        return (
            self._handlers
            and _HANDLER_HINT.search(token.raw) is not None
            and any(name.startswith("on") for name in token.attrs)
        )

    # -- data state --

    def _data(self, buf: bytes, pos: int, final: bool) -> _Scan:
        n = len(buf)
        if self._skipping:
            pos = self._skip_rest(buf, pos, final)
            if pos < 0:
                return None
        text_start = pos
        fast = self._resume is None  # an unfinished tag at 0 resumes; do not rescan it
        while pos < n:
            skip = self._skip if fast and not self._frames else None
            fast = True
            if skip is not None:
                bound = self._fast_bound(buf, pos) if self._marker or self._handlers else n
                skipped = skip.match(buf, pos, bound)
                pos = text_start = skipped.end() if skipped else pos
            lt = buf.find(b"<", pos)
            if lt < 0:
                pos = n
                break
            end, token = self._markup(buf, lt, final)
            if end in (_INCOMPLETE, _STREAMING):
                yield from self._emit_text(buf, text_start, lt)
                if end == _INCOMPLETE:
                    self.consumed = lt
                return None
            if end == 0:
                pos = lt + 1
                continue
            yield from self._emit_text(buf, text_start, lt)
            if token is not None:
                yield token
            pos = text_start = end
            if self.state != "data":
                return pos
        yield from self._stop(buf, text_start, n, final)
        return None

    def _fast_bound(self, buf: bytes, pos: int) -> int:
        """Offset of the next marker or event-handler hint at or after *pos* (or len(buf)).

        The fast path must not skip a tag holding the marker or an ``on*`` attribute;
        stopping it before the marker's (or the hint's) offset is enough, since such a tag
        cannot end before it. Both are cached for this buffer, so each search runs over the
        buffer about once. Searching a lowered copy keeps the marker search a literal one,
        which ``re.IGNORECASE`` is not.
        """
        if self._lowered_for is not buf:
            self._lowered_for, self._marker_at, self._handler_at = buf, -1, -1
            self._lowered = buf.lower() if self._marker else b""
        n = len(buf)
        if self._marker and self._marker_at < pos:
            if len(self._lowered) != n:
                self._lowered = buf.lower()
            found = self._lowered.find(self._marker, pos)
            self._marker_at = found if found >= 0 else n
        if self._handlers and self._handler_at < pos:
            hint = _HANDLER_HINT.search(buf, pos)
            self._handler_at = hint.start() if hint is not None else n
        bound = self._marker_at if self._marker else n
        return min(bound, self._handler_at) if self._handlers else bound

    def _skip_rest(self, buf: bytes, pos: int, final: bool) -> int:
        """Go on consuming an open comment (or bogus comment, DOCTYPE) from *pos*.

        Returns the offset after its end, or -1 once :attr:`consumed` is set: all of the
        buffer but a tail that may begin ``--!>``. Nothing of it is held, so a long comment
        costs the same per byte as text.
        """
        if self._skipping == 1:
            found = _COMMENT_END.search(buf, pos)
            if found is not None:
                self._skipping = 0
                return found.end()
            hold = len(buf) if final else _comment_hold(buf, pos)
        else:
            gt = buf.find(b">", pos)
            if gt >= 0:
                self._skipping = 0
                return gt + 1
            hold = len(buf)
        if final:
            self._skipping = 0
        self.consumed = hold
        return -1

    def _stream(self, kind: int, hold: int) -> tuple[int, Token | None]:
        """Consume an unfinished comment as it streams (watch mode: it yields no token)."""
        self._skipping = kind
        self.consumed = hold
        return _STREAMING, None

    def _markup(self, buf: bytes, lt: int, final: bool) -> tuple[int, Token | None]:
        """Classify the ``<`` at *lt*: (end, token), (0, None) for text, or _INCOMPLETE."""
        n = len(buf)
        if lt + 2 > n:
            return (0 if final else _INCOMPLETE), None
        second = buf[lt + 1]
        if second in _ALPHA:
            return self._tag(buf, lt, final)
        if second == 0x2F:  # "/"
            if lt + 3 > n:
                return (0 if final else _INCOMPLETE), None
            if buf[lt + 2] in _ALPHA:
                return self._tag(buf, lt, final)
            if buf[lt + 2] == 0x3E:
                return lt + 3, None
            return self._bogus(buf, lt, lt + 2, final)
        if second == 0x21:  # "!"
            return self._declaration(buf, lt, final)
        if second == 0x3F:  # "?"
            return self._bogus(buf, lt, lt + 1, final)
        return 0, None

    def _tag(self, buf: bytes, lt: int, final: bool) -> tuple[int, Token | None]:
        resume = self._resume if lt == 0 else None
        self._resume = None
        match = _TAG.match(buf, lt) if resume is None else None
        if match is not None:
            end = match.end()
        else:
            # Unfinished (or resumed): walk on from where the last buffer stopped.
            if resume is None or resume[1] > len(buf):
                resume = (_W_TAG_NAME, lt + (2 if buf[lt + 1] == 0x2F else 1))
            end, sub, at = _walk_tag(buf, resume[0], resume[1])
            if end < 0:
                if final:
                    return len(buf), None
                self._resume = (sub, at - lt)
                return _INCOMPLETE, None
        if match is None:
            match = _TAG_NAME.match(buf, lt)
            assert match is not None  # buf[lt:] starts "<" or "</" and a letter
        name = _text(match.group(1).lower(), self.encoding, nul="\ufffd")
        start_tag = buf[lt + 1] != 0x2F
        kind = TokenKind.START_TAG if start_tag else TokenKind.END_TAG
        raw = buf[lt:end]
        token = Token(kind, lt, end, name, raw, "", self.encoding, self._frames.foreign())
        if self.tree_effects:
            if start_tag:
                self._after_start_tag(token)
            else:
                self._after_end_tag(name)
        return end, (token if self._wants(token, start_tag) else None)

    def _bogus(self, buf: bytes, lt: int, data_start: int, final: bool) -> tuple[int, Token | None]:
        gt = buf.find(b">", data_start)
        if gt < 0 and not final:
            return (_INCOMPLETE, None) if self.emit_all else self._stream(2, len(buf))
        data_end = gt if gt >= 0 else len(buf)
        end = gt + 1 if gt >= 0 else data_end
        return end, self._comment(buf, lt, end, buf[data_start:data_end])

    def _comment(self, buf: bytes, start: int, end: int, data: bytes) -> Token | None:
        if not self.emit_all:
            return None
        text = _text(data, self.encoding, nul="\ufffd")
        return Token(TokenKind.COMMENT, start, end, "", buf[start:end], text, self.encoding)

    def _declaration(self, buf: bytes, lt: int, final: bool) -> tuple[int, Token | None]:
        head = buf[lt + 2 : lt + 9]
        if head.startswith(b"--"):
            return self._html_comment(buf, lt, final)
        if head.upper() == b"DOCTYPE":
            return self._doctype(buf, lt, final)
        if head == b"[CDATA[" and self._frames.foreign():
            self.state = "cdata"
            return lt + 9, None
        if (
            not final
            and len(head) < 7
            and (
                b"--".startswith(head[:2])
                or b"DOCTYPE".startswith(head.upper())
                or b"[CDATA[".startswith(head)
            )
        ):
            return _INCOMPLETE, None
        return self._bogus(buf, lt, lt + 2, final)

    def _html_comment(self, buf: bytes, lt: int, final: bool) -> tuple[int, Token | None]:
        body = lt + 4
        if buf[body : body + 1] == b">":
            return body + 1, self._comment(buf, lt, body + 1, b"")
        if buf[body : body + 2] == b"->":
            return body + 2, self._comment(buf, lt, body + 2, b"")
        match = _COMMENT_END.search(buf, body)
        if match is not None:
            return match.end(), self._comment(buf, lt, match.end(), buf[body : match.start()])
        if not final:
            if self.emit_all or len(buf) - body < 2:  # "<!-->", "<!--->" still possible
                return _INCOMPLETE, None
            return self._stream(1, _comment_hold(buf, body))
        data = buf[body:]
        for tail in (b"--!", b"--", b"-"):
            if data.endswith(tail):
                data = data[: -len(tail)]
                break
        return len(buf), self._comment(buf, lt, len(buf), data)

    def _doctype(self, buf: bytes, lt: int, final: bool) -> tuple[int, Token | None]:
        gt = buf.find(b">", lt + 9)
        if gt < 0 and not final:
            return (_INCOMPLETE, None) if self.emit_all else self._stream(2, len(buf))
        end = gt + 1 if gt >= 0 else len(buf)
        if not self.emit_all:
            return end, None
        text = _text(buf[lt + 9 : end - (gt >= 0)], self.encoding, nul="\ufffd")
        token = Token(TokenKind.DOCTYPE, lt, end, "", buf[lt:end], text, self.encoding)
        token.name = token._doctype_fields()[0] or ""
        return end, token

    # -- tree-construction effects --

    def _after_start_tag(self, token: Token) -> None:
        name = token.name
        frames = self._frames
        if frames.foreign() and not self._foreign_start(token):
            return
        if name in ("svg", "math"):
            if not token.self_closing:
                frames.push(name, name)
        elif name == "script":
            self._enter("script", name)
            self._script_mode = 0
        elif name in _RCDATA:
            self._enter("rcdata", name)
        elif name in _RAWTEXT or (name == "noscript" and self.scripting):
            self._enter("rawtext", name)
        elif name == "plaintext":
            self._enter("plaintext", name)
        elif frames and frames.last()[1] == name and not token.self_closing:
            frames.last()[2] = int(frames.last()[2]) + 1

    def _enter(self, state: str, name: str) -> None:
        self.state = state
        self._end_name = name

    def _foreign_start(self, token: Token) -> bool:
        """Apply a start tag inside foreign content; True if it breaks out to HTML."""
        name = token.name
        frame = self._frames.last()
        if name in _BREAKOUT or (
            name == "font" and not {"color", "face", "size"}.isdisjoint(token.attrs)
        ):
            self._frames.break_out()
            return True
        if token.self_closing:
            return False
        if name == frame[1]:
            frame[2] = int(frame[2]) + 1
        elif _is_integration_point(str(frame[0]), token):
            self._frames.push("html", name)
        return False

    def _after_end_tag(self, name: str) -> None:
        frames = self._frames
        if not frames:
            return
        if frames.last()[0] == "html":
            if frames.last()[1] == name:
                frames.close(len(frames.top) - 1)
            return
        if name in ("br", "p"):
            frames.break_out()
            return
        frames.close_named(name)

    # -- raw text states --

    def _raw(self, buf: bytes, pos: int, final: bool) -> _Scan:
        """RCDATA and RAWTEXT: text until the appropriate end tag."""
        found = _end_tag_pattern(self._end_name).search(buf, pos)
        if found is None:
            hold = len(buf) if final else self._partial_end(buf, pos, (b"</",))
            yield from self._stop(buf, pos, hold, final)
            return None
        return (yield from self._close_raw(buf, pos, found.start(), final))

    def _close_raw(self, buf: bytes, text_start: int, lt: int, final: bool) -> _Scan:
        """Emit text, then the end tag at *lt* that returns to data state."""
        yield from self._emit_text(buf, text_start, lt)
        end, token = self._tag(buf, lt, final)
        if end == _INCOMPLETE:
            self.consumed = lt
            return None
        self.state = "data"
        if token is not None:
            yield token
        return end

    def _partial_end(self, buf: bytes, pos: int, prefixes: tuple[bytes, ...]) -> int:
        """Offset of a trailing ``<`` that may begin one of ``prefix + name`` constructs."""
        n = len(buf)
        name = (self._end_name or "").encode()
        lt = buf.rfind(b"<", max(pos, n - len(name) - 9), n)
        if lt < 0:
            return n
        tail = buf[lt:].lower()
        for prefix in prefixes:
            if (prefix + name).startswith(tail) or (prefix + b"script").startswith(tail):
                return lt
        if b"<!--".startswith(tail) and len(prefixes) > 1:
            return lt
        return n

    def _plaintext(self, buf: bytes, pos: int, final: bool) -> _Scan:
        yield from self._stop(buf, pos, len(buf), final)
        return None

    def _cdata(self, buf: bytes, pos: int, final: bool) -> _Scan:
        found = _CDATA_END.search(buf, pos)
        if found is None:
            hold = len(buf)
            if not final:
                hold -= _trailing(buf, pos, hold, 0x5D, 2)  # "]]" may start "]]>"
            yield from self._stop(buf, pos, hold, final)
            return None
        yield from self._emit_text(buf, pos, found.start())
        self.state = "data"
        return found.end()

    def _script(self, buf: bytes, pos: int, final: bool) -> _Scan:
        """Script data with its escaped and double-escaped sub-states (§13.2.5.4, 15-32)."""
        patterns = _script_patterns(self._end_name)
        text_start = pos
        while True:
            found = patterns[self._script_mode].search(buf, pos)
            if found is None:
                break
            kind = found.lastgroup
            if kind == "end":
                return (yield from self._close_raw(buf, text_start, found.start(), final))
            if kind == "open":
                self._script_mode, pos = 1, found.start() + 2
            elif kind == "close":
                self._script_mode, pos = 0, found.end()
            elif kind == "double":
                self._script_mode, pos = 2, found.end()
            else:
                self._script_mode, pos = 1, found.end()
        hold = len(buf)
        if not final:
            hold = self._partial_end(buf, pos, (b"</", b"<"))
            if self._script_mode and hold == len(buf):
                hold -= _trailing(buf, pos, hold, 0x2D, 2)  # "--" may start "-->"
        yield from self._stop(buf, text_start, hold, final)
        return None


# --- the native scanner and the selection --------------------------------------------------


def _load_native() -> ModuleType | None:
    """The C extension, unless it is absent or ``COOKIEGATE_PURE_PYTHON=1`` asks for Python."""
    if os.environ.get("COOKIEGATE_PURE_PYTHON") == "1":
        return None
    try:
        return importlib.import_module("cookiegate.html._cscanner")
    except ImportError:
        return None


_native = _load_native()


class NativeTokenizer:
    """The :class:`PyTokenizer` interface on top of the C scanner in ``_cscanner.c``.

    The C scanner implements what the gate uses: watch mode, tree effects, data state at the
    start. It returns the same :class:`Token` objects, built from C only for tags the consumer
    watches; attributes are still parsed lazily in Python. Its :meth:`scan` returns an
    iterator that reads the current watch set at every token, so :meth:`watch` may be called
    between tokens as with the Python generator.

    The conformance-suite modes (``emit_all=True``, an ``initial_state`` other than data, a
    ``last_start_tag`` and ``tree_effects=False``) are delegated to :class:`PyTokenizer`,
    as is everything when the extension is not built.
    """

    def __init__(
        self,
        *,
        encoding: str = "utf-8",
        scripting: bool = False,
        emit_all: bool = False,
        initial_state: str = "data",
        last_start_tag: str | None = None,
        tree_effects: bool = True,
    ) -> None:
        native = (
            _native is not None
            and not emit_all
            and initial_state == "data"
            and last_start_tag is None
            and tree_effects
        )
        if _native is None or not native:
            self._impl: PyTokenizer | _cscanner.Scanner = PyTokenizer(
                encoding=encoding,
                scripting=scripting,
                emit_all=emit_all,
                initial_state=initial_state,
                last_start_tag=last_start_tag,
                tree_effects=tree_effects,
            )
            return
        codecs.lookup(encoding)  # an unknown encoding fails here, as it does in PyTokenizer

        def decode_name(name: bytes) -> str:
            return _decode_name(name, encoding)

        self._impl = _native.Scanner(
            encoding=encoding,
            scripting=scripting,
            token_type=Token,
            start_kind=TokenKind.START_TAG,
            end_kind=TokenKind.END_TAG,
            decode_name=decode_name,
        )

    @property
    def is_native(self) -> bool:
        """Whether this instance runs the C scanner (False when delegating to Python)."""
        return not isinstance(self._impl, PyTokenizer)

    @property
    def consumed(self) -> int:
        """How much of the last buffer :meth:`scan` finished with; keep the rest for later."""
        return self._impl.consumed

    @property
    def state(self) -> str:
        """The tokenizer state (``data``, ``script``, ...), named as in :class:`PyTokenizer`."""
        return self._impl.state

    @property
    def in_foreign_content(self) -> bool:
        """Whether the tree is in foreign content after the last token :meth:`scan` yielded."""
        return self._impl.in_foreign_content

    def watch(
        self,
        names: frozenset[str] | None,
        *,
        marker: bytes | None = None,
        event_handlers: bool = False,
    ) -> None:
        """Choose which tags :meth:`scan` emits; takes effect from the next token.

        See :meth:`PyTokenizer.watch` for the parameters.
        """
        self._impl.watch(names, marker=marker, event_handlers=event_handlers)

    def scan(self, buf: bytes, *, final: bool = False) -> Iterator[Token]:
        """Tokenize *buf* from offset 0, then set :attr:`consumed`."""
        return self._impl.scan(buf, final=final)


#: Which scanner :data:`Tokenizer` runs: ``"native"`` (the C extension) or ``"python"``.
IMPLEMENTATION: Literal["native", "python"] = "native" if _native is not None else "python"

#: The tokenizer to use: :class:`NativeTokenizer` when the extension imports, else
#: :class:`PyTokenizer`. Set ``COOKIEGATE_PURE_PYTHON=1`` before import to force Python.
Tokenizer: type[NativeTokenizer] | type[PyTokenizer] = (
    NativeTokenizer if _native is not None else PyTokenizer
)
