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
  HTML integration points. Other foreign elements are not tracked, so an end tag only closes a
  subtree or integration point whose name it carries. Inside an integration point an end tag
  closes it when the names match, even if HTML elements are still open inside it.
* ``<math>`` inside ``<svg>`` (and the reverse) is an ordinary foreign element, as in a browser,
  except that ``<svg>`` under ``annotation-xml`` is not recognised as a new SVG subtree.
* ``<![CDATA[`` is a CDATA section only while a foreign subtree (not an integration point) is
  innermost; directly inside ``<foreignObject>`` a browser would also accept it.

Text is never held back (except, with ``emit_all``, a possible character reference, a CR or a
partial UTF-8 sequence at the very end of a chunk), so hold-back is bounded by the longest
unfinished construct. The encoding must be ASCII-compatible (UTF-8, windows-1252, ...).
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
    """One token, with offsets into the buffer given to :meth:`Tokenizer.scan`."""

    __slots__ = (
        "kind",
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
        self, kind: TokenKind, start: int, end: int, name: str, raw: bytes, data: str, encoding: str
    ) -> None:
        self.kind = kind
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
        self._frames: list[list[str | int]] = []  # [kind, name, depth]; kind svg, math or html
        self._names: frozenset[str] = frozenset()
        self._every = True
        self._skip: re.Pattern[bytes] | None = None
        self._marker: bytes | None = None
        self._lowered_for: bytes | None = None
        self._lowered = b""
        self._marker_at = -1
        self.watch(None)

    def watch(self, names: frozenset[str] | None, *, marker: bytes | None = None) -> None:
        """Choose which tags :meth:`scan` emits; takes effect from the next token."""
        self._names = names or frozenset()
        self._every = self.emit_all or names is None
        self._marker = marker.lower() if marker else None
        self._marker_at = -1
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

    def _wants(self, name: str, raw: bytes, start_tag: bool) -> bool:
        if self._every or name in self._names:
            return True
        return start_tag and self._marker is not None and self._marker in raw.lower()

    # -- data state --

    def _data(self, buf: bytes, pos: int, final: bool) -> _Scan:
        n = len(buf)
        text_start = pos
        while pos < n:
            skip = self._skip if not self._frames else None
            if skip is not None:
                bound = self._marker_bound(buf, pos) if self._marker else n
                skipped = skip.match(buf, pos, bound)
                pos = text_start = skipped.end() if skipped else pos
            lt = buf.find(b"<", pos)
            if lt < 0:
                pos = n
                break
            end, token = self._markup(buf, lt, final)
            if end == _INCOMPLETE:
                yield from self._emit_text(buf, text_start, lt)
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

    def _marker_bound(self, buf: bytes, pos: int) -> int:
        """Offset of the next marker at or after *pos* (or len(buf)), cached for this buffer.

        The fast path must not skip a tag holding the marker; stopping it before the marker's
        offset is enough, since such a tag cannot end before its marker does. Searching a
        lowered copy keeps the search a literal one, which ``re.IGNORECASE`` is not.
        """
        if self._lowered_for is not buf:
            self._lowered_for, self._lowered, self._marker_at = buf, buf.lower(), -1
        if self._marker_at < pos:
            found = self._lowered.find(self._marker, pos) if self._marker else -1
            self._marker_at = found if found >= 0 else len(buf)
        return self._marker_at

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
        match = _TAG.match(buf, lt)
        if match is None:
            return (len(buf) if final else _INCOMPLETE), None
        end = match.end()
        name = _text(match.group(1).lower(), self.encoding, nul="\ufffd")
        start_tag = buf[lt + 1] != 0x2F
        kind = TokenKind.START_TAG if start_tag else TokenKind.END_TAG
        raw = buf[lt:end]
        token = Token(kind, lt, end, name, raw, "", self.encoding)
        if self.tree_effects:
            if start_tag:
                self._after_start_tag(token)
            else:
                self._after_end_tag(name)
        return end, (token if self._wants(name, raw, start_tag) else None)

    def _bogus(self, buf: bytes, lt: int, data_start: int, final: bool) -> tuple[int, Token | None]:
        gt = buf.find(b">", data_start)
        if gt < 0 and not final:
            return _INCOMPLETE, None
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
        if head == b"[CDATA[" and self._frames and self._frames[-1][0] != "html":
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
            return _INCOMPLETE, None
        data = buf[body:]
        for tail in (b"--!", b"--", b"-"):
            if data.endswith(tail):
                data = data[: -len(tail)]
                break
        return len(buf), self._comment(buf, lt, len(buf), data)

    def _doctype(self, buf: bytes, lt: int, final: bool) -> tuple[int, Token | None]:
        gt = buf.find(b">", lt + 9)
        if gt < 0 and not final:
            return _INCOMPLETE, None
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
        if frames and frames[-1][0] != "html" and not self._foreign_start(token):
            return
        if name in ("svg", "math"):
            if not token.self_closing:
                frames.append([name, name, 1])
        elif name == "script":
            self._enter("script", name)
            self._script_mode = 0
        elif name in _RCDATA:
            self._enter("rcdata", name)
        elif name in _RAWTEXT or (name == "noscript" and self.scripting):
            self._enter("rawtext", name)
        elif name == "plaintext":
            self._enter("plaintext", name)
        elif frames and frames[-1][1] == name and not token.self_closing:
            frames[-1][2] = int(frames[-1][2]) + 1

    def _enter(self, state: str, name: str) -> None:
        self.state = state
        self._end_name = name

    def _foreign_start(self, token: Token) -> bool:
        """Apply a start tag inside foreign content; True if it breaks out to HTML."""
        name = token.name
        frame = self._frames[-1]
        if name in _BREAKOUT or (
            name == "font" and not {"color", "face", "size"}.isdisjoint(token.attrs)
        ):
            self._break_out()
            return True
        if token.self_closing:
            return False
        if name == frame[1]:
            frame[2] = int(frame[2]) + 1
        elif _is_integration_point(str(frame[0]), token):
            self._frames.append(["html", name, 1])
        return False

    def _break_out(self) -> None:
        while self._frames and self._frames[-1][0] != "html":
            self._frames.pop()

    def _after_end_tag(self, name: str) -> None:
        frames = self._frames
        if not frames:
            return
        if frames[-1][0] == "html":
            if frames[-1][1] == name:
                self._close_frame(len(frames) - 1)
            return
        if name in ("br", "p"):
            self._break_out()
            return
        for index in range(len(frames) - 1, -1, -1):
            if frames[index][1] == name:
                self._close_frame(index)
                return

    def _close_frame(self, index: int) -> None:
        frame = self._frames[index]
        if index == len(self._frames) - 1 and int(frame[2]) > 1:
            frame[2] = int(frame[2]) - 1
        else:
            del self._frames[index:]

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

    def watch(self, names: frozenset[str] | None, *, marker: bytes | None = None) -> None:
        """Choose which tags :meth:`scan` emits; takes effect from the next token."""
        self._impl.watch(names, marker=marker)

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
