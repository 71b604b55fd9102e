"""The document's encoding, decided as a browser decides it, before a byte is gated.

The gate scans bytes, which is only sound when every ASCII byte in the body means that ASCII
character to the browser. So the first question about an HTML body is the one the browser
asks first: which encoding will it decode these bytes with? The answer follows the HTML
Standard's encoding sniffing algorithm, in its order:

1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) overrides everything, the header included;
2. the ``charset`` of ``Content-Type``, when it is a label the Encoding Standard knows;
3. the prescan of the first 1024 bytes (``<meta charset>``, ``<meta http-equiv>``, the
   UTF-16 ``<?x`` sniff and, failing those, an XML declaration);
4. otherwise UTF-8 (see "Known limits").

Labels are the WHATWG Encoding Standard's, not Python's: ``latin1``, ``iso-8859-1`` and
``ascii`` all mean windows-1252 to a browser, ``utf-16`` means UTF-16LE, and ``utf-32`` or
``cp037`` mean nothing at all (so the header is ignored and the prescan decides). Each
encoding maps to the closest Python codec, and says whether a bytes scanner can read it
(:attr:`Encoding.ascii_compatible`); for those that it cannot (UTF-16, ISO-2022-JP and the
"replacement" encoding) :class:`Recoder` converts to UTF-8 for the gate and back again.

Known limits:

- With no BOM, no usable header label and no declaration, browsers fall back on a
  locale-dependent default (windows-1252 in most locales) or on content-based detection.
  This module answers UTF-8, as the issue asks. Every candidate is ASCII-compatible except
  ISO-2022-JP, which Firefox's and Chrome's detectors can pick for a page full of escape
  sequences; such a page should declare its charset.
- A ``<meta charset>`` beyond the first 1024 bytes can make a browser re-parse the page in
  that encoding ("change the encoding"); the gate keeps the first decision, as the standard
  advises user agents not to stall beyond 1024 bytes.
- Python's codecs are close to, not identical with, the Encoding Standard's indexes (for
  instance KOI8-U, Big5-HKSCS details, JIS X 0212 in ISO-2022-JP). For ASCII-compatible
  encodings this touches only how attribute values are decoded and injected text encoded;
  the body's bytes pass through untouched.

.. versionadded:: 0.2
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "UTF_8",
    "Encoding",
    "EncodingSniffer",
    "Recoder",
    "Sniffed",
    "bom_sniff",
    "encoding_from_meta_content",
    "get_encoding",
    "prescan",
    "xml_encoding",
]

#: How many bytes the prescan reads, as the HTML Standard encourages.
PRESCAN_LIMIT = 1024


@dataclass(frozen=True, slots=True)
class Encoding:
    """One encoding of the Encoding Standard.

    :param name: the standard's name, e.g. ``"windows-1252"``.
    :param codec: the Python codec that decodes and encodes it.
    :param ascii_compatible: whether every byte below 0x80 always means that ASCII
        character, so markup can be found without decoding.
    """

    name: str
    codec: str
    ascii_compatible: bool = True

    @property
    def scan_codec(self) -> str:
        """The codec of the bytes the gate scans: the encoding's own when they are
        readable as bytes, else UTF-8, into which :class:`Recoder` converts them."""
        return self.codec if self.ascii_compatible else "utf-8"


_X_USER_DEFINED_TABLE = "".join(map(chr, range(0x80))) + "".join(
    chr(0xF780 + i) for i in range(0x80)
)
_X_USER_DEFINED_MAP = codecs.charmap_build(_X_USER_DEFINED_TABLE)


class _XUserDefinedEncoder(codecs.IncrementalEncoder):
    def encode(self, text: str, final: bool = False) -> bytes:
        return codecs.charmap_encode(text, self.errors, _X_USER_DEFINED_MAP)[0]


class _XUserDefinedDecoder(codecs.IncrementalDecoder):
    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        return codecs.charmap_decode(data, self.errors, _X_USER_DEFINED_TABLE)[0]


def _x_user_defined_codec(name: str) -> codecs.CodecInfo | None:
    """x-user-defined: bytes 0x80-0xFF map to U+F780-U+F7FF. Python has no such codec, and
    the gate must encode injected text in it (anything else becomes a character
    reference), so a charmap codec is registered under the standard's name."""
    if name != "x_user_defined":
        return None
    return codecs.CodecInfo(
        name="x-user-defined",
        encode=lambda text, errors="strict": codecs.charmap_encode(
            text, errors, _X_USER_DEFINED_MAP
        ),
        decode=lambda data, errors="strict": codecs.charmap_decode(
            data, errors, _X_USER_DEFINED_TABLE
        ),
        incrementalencoder=_XUserDefinedEncoder,
        incrementaldecoder=_XUserDefinedDecoder,
    )


codecs.register(_x_user_defined_codec)

UTF_8 = Encoding("utf-8", "utf-8")
UTF_16LE = Encoding("UTF-16LE", "utf-16-le", ascii_compatible=False)
UTF_16BE = Encoding("UTF-16BE", "utf-16-be", ascii_compatible=False)
WINDOWS_1252 = Encoding("windows-1252", "cp1252")
X_USER_DEFINED = Encoding("x-user-defined", "x-user-defined")
#: The decoder of the "replacement" encoding turns a whole non-empty stream into one
#: U+FFFD: the labels it owns name encodings that are unsafe to support (ISO-2022-KR,
#: HZ-GB-2312, ISO-2022-CN), so a browser shows nothing of such a page.
REPLACEMENT = Encoding("replacement", "utf-8", ascii_compatible=False)
#: Its "_ext" codec decodes the half-width katakana (``ESC ( I``) browsers accept and plain
#: ``iso2022_jp`` rejects; encoding goes through :class:`_Iso2022JpEncoder`.
ISO_2022_JP = Encoding("ISO-2022-JP", "iso2022_jp_ext", ascii_compatible=False)

# The Encoding Standard's table of encodings and their labels (section 4.2), with the
# Python codec nearest to each.
_TABLE: tuple[tuple[Encoding, tuple[str, ...]], ...] = (
    (UTF_8, ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
             "x-unicode20utf8")),
    (Encoding("IBM866", "cp866"), ("866", "cp866", "csibm866", "ibm866")),
    (Encoding("ISO-8859-2", "iso8859_2"), ("csisolatin2", "iso-8859-2", "iso-ir-101",
     "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987", "l2", "latin2")),
    (Encoding("ISO-8859-3", "iso8859_3"), ("csisolatin3", "iso-8859-3", "iso-ir-109",
     "iso8859-3", "iso88593", "iso_8859-3", "iso_8859-3:1988", "l3", "latin3")),
    (Encoding("ISO-8859-4", "iso8859_4"), ("csisolatin4", "iso-8859-4", "iso-ir-110",
     "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988", "l4", "latin4")),
    (Encoding("ISO-8859-5", "iso8859_5"), ("csisolatincyrillic", "cyrillic", "iso-8859-5",
     "iso-ir-144", "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988")),
    (Encoding("ISO-8859-6", "iso8859_6"), ("arabic", "asmo-708", "csiso88596e", "csiso88596i",
     "csisolatinarabic", "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i",
     "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987")),
    (Encoding("ISO-8859-7", "iso8859_7"), ("csisolatingreek", "ecma-118", "elot_928", "greek",
     "greek8", "iso-8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7",
     "iso_8859-7:1987", "sun_eu_greek")),
    (Encoding("ISO-8859-8", "iso8859_8"), ("csiso88598e", "csisolatinhebrew", "hebrew",
     "iso-8859-8", "iso-8859-8-e", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8",
     "iso_8859-8:1988", "visual")),
    (Encoding("ISO-8859-8-I", "iso8859_8"), ("csiso88598i", "iso-8859-8-i", "logical")),
    (Encoding("ISO-8859-10", "iso8859_10"), ("csisolatin6", "iso-8859-10", "iso-ir-157",
     "iso8859-10", "iso885910", "l6", "latin6")),
    (Encoding("ISO-8859-13", "iso8859_13"), ("iso-8859-13", "iso8859-13", "iso885913")),
    (Encoding("ISO-8859-14", "iso8859_14"), ("iso-8859-14", "iso8859-14", "iso885914")),
    (Encoding("ISO-8859-15", "iso8859_15"), ("csisolatin9", "iso-8859-15", "iso8859-15",
     "iso885915", "iso_8859-15", "l9")),
    (Encoding("ISO-8859-16", "iso8859_16"), ("iso-8859-16",)),
    (Encoding("KOI8-R", "koi8_r"), ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r")),
    (Encoding("KOI8-U", "koi8_u"), ("koi8-ru", "koi8-u")),
    (Encoding("macintosh", "mac_roman"), ("csmacintosh", "mac", "macintosh", "x-mac-roman")),
    (Encoding("windows-874", "cp874"), ("dos-874", "iso-8859-11", "iso8859-11", "iso885911",
     "tis-620", "windows-874")),
    (Encoding("windows-1250", "cp1250"), ("cp1250", "windows-1250", "x-cp1250")),
    (Encoding("windows-1251", "cp1251"), ("cp1251", "windows-1251", "x-cp1251")),
    # Browsers decode every latin-1 and ASCII label as windows-1252 (0x80-0x9F are
    # printable there), so Python's latin-1 and ascii codecs would misread those bytes.
    (WINDOWS_1252, ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
     "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987",
     "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252")),
    (Encoding("windows-1253", "cp1253"), ("cp1253", "windows-1253", "x-cp1253")),
    (Encoding("windows-1254", "cp1254"), ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148",
     "iso8859-9", "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5",
     "windows-1254", "x-cp1254")),
    (Encoding("windows-1255", "cp1255"), ("cp1255", "windows-1255", "x-cp1255")),
    (Encoding("windows-1256", "cp1256"), ("cp1256", "windows-1256", "x-cp1256")),
    (Encoding("windows-1257", "cp1257"), ("cp1257", "windows-1257", "x-cp1257")),
    (Encoding("windows-1258", "cp1258"), ("cp1258", "windows-1258", "x-cp1258")),
    (Encoding("x-mac-cyrillic", "mac_cyrillic"), ("x-mac-cyrillic", "x-mac-ukrainian")),
    (Encoding("GBK", "gbk"), ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312",
     "gb_2312-80", "gbk", "iso-ir-58", "x-gbk")),
    (Encoding("gb18030", "gb18030"), ("gb18030",)),
    # The standard's Big5 is Big5-HKSCS.
    (Encoding("Big5", "big5hkscs"), ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5")),
    (Encoding("EUC-JP", "euc_jp"), ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp")),
    (ISO_2022_JP, ("csiso2022jp", "iso-2022-jp")),
    # The standard's Shift_JIS is Microsoft's code page 932, as is its EUC-KR code page 949.
    (Encoding("Shift_JIS", "cp932"), ("csshiftjis", "ms932", "ms_kanji", "shift-jis",
     "shift_jis", "sjis", "windows-31j", "x-sjis")),
    (Encoding("EUC-KR", "cp949"), ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149",
     "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949")),
    (REPLACEMENT, ("csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext",
     "iso-2022-kr", "replacement")),
    (UTF_16BE, ("unicodefffe", "utf-16be")),
    (UTF_16LE, ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16",
     "utf-16le")),
    (X_USER_DEFINED, ("x-user-defined",)),
)  # fmt: skip

_LABELS: dict[str, Encoding] = {label: enc for enc, labels in _TABLE for label in labels}

_ASCII_WHITESPACE = "\t\n\x0c\r "
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def get_encoding(label: str) -> Encoding | None:
    """The Encoding Standard's "get an encoding": ``None`` for a label it does not know.

    Only ASCII whitespace is trimmed and only ASCII letters are lowercased, so a label
    such as ``"\\u017ftf-8"`` is not UTF-8, as in browsers.
    """
    return _LABELS.get(label.strip(_ASCII_WHITESPACE).translate(_ASCII_LOWER))


_BOMS = (
    (b"\xef\xbb\xbf", UTF_8),
    (b"\xfe\xff", UTF_16BE),
    (b"\xff\xfe", UTF_16LE),
)


def bom_sniff(data: bytes) -> tuple[Encoding, int] | None:
    """The encoding a byte order mark at the start of ``data`` names, and the BOM's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _may_become_bom(data: bytes) -> bool:
    """Whether more bytes could still turn ``data`` into a BOM (``b""`` and ``b"\\xef"``)."""
    return any(len(data) < len(bom) and bom.startswith(data) for bom, _ in _BOMS)


# -- the prescan (HTML Standard 13.2.3.2) --------------------------------------------------

_SPACES = frozenset(b"\t\n\x0c\r ")
_SPACES_OR_SLASH = _SPACES | {0x2F}
_SPACES_OR_GT = _SPACES | {0x3E}
_LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_UTF16LE_XML = b"<\x00?\x00x\x00"
_UTF16BE_XML = b"\x00<\x00?\x00x"


class _OutOfBytes(Exception):
    """The prescan's position went past the bytes it was given: it aborts."""


def _lower(byte: int) -> int:
    return byte + 0x20 if 0x41 <= byte <= 0x5A else byte


class _Prescan:
    """One run of "prescan a byte stream to determine its encoding" over ``data``.

    :meth:`run` either returns an encoding or raises :exc:`_OutOfBytes`; the loop has no
    other way to end. An encoding is only returned after the ``>`` of the deciding
    ``<meta>`` (or the six bytes of a UTF-16 ``<?x``) has been read, so a longer prefix of
    the same stream would give the same answer: that is what lets the sniffer decide on a
    partial buffer.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def _byte(self) -> int:
        if self._pos >= len(self._data):
            raise _OutOfBytes
        return self._data[self._pos]

    def _peek(self, length: int) -> bytes:
        """The next ``length`` bytes; running short of them is running out of bytes,
        since more bytes could change which branch of the loop applies."""
        if self._pos + length > len(self._data):
            raise _OutOfBytes
        return self._data[self._pos : self._pos + length]

    def _skip_to(self, needle: bytes, start: int) -> None:
        found = self._data.find(needle, start)
        if found < 0:
            raise _OutOfBytes
        self._pos = found + len(needle) - 1

    def run(self) -> Encoding:
        head = self._data[:6]
        if head == _UTF16LE_XML:
            return UTF_16LE
        if head == _UTF16BE_XML:
            return UTF_16BE
        if len(head) < 6 and (_UTF16LE_XML.startswith(head) or _UTF16BE_XML.startswith(head)):
            raise _OutOfBytes
        while True:
            found = self._step()
            if found is not None:
                return found
            self._pos += 1  # "Next byte"

    def _step(self) -> Encoding | None:
        if self._byte() != 0x3C:  # "<"
            return None
        second = self._peek(2)[1]
        if second == 0x21 and self._peek(4) == b"<!--":
            # The first ">" preceded by "--" after the "<"; "<!-->" counts.
            self._skip_to(b"-->", self._pos + 2)
            return None
        if (
            second in (0x4D, 0x6D)
            and self._peek(6)[:5].lower() == b"<meta"
            and self._data[self._pos + 5] in _SPACES_OR_SLASH
        ):
            self._pos += 5
            return self._meta()
        if second in _LETTERS or (second == 0x2F and self._peek(3)[2] in _LETTERS):
            while self._byte() not in _SPACES_OR_GT:
                self._pos += 1
            while self._attribute() is not None:
                pass
            return None
        if second in (0x21, 0x2F, 0x3F):  # "<!", "</", "<?"
            self._skip_to(b">", self._pos + 1)
        return None

    def _meta(self) -> Encoding | None:
        seen: set[str] = set()
        got_pragma = False
        need_pragma: bool | None = None
        charset: Encoding | None | Literal["null"] = "null"
        while (attribute := self._attribute()) is not None:
            name, value = attribute
            if name in seen:
                continue
            seen.add(name)
            if name == "http-equiv":
                got_pragma = got_pragma or value == "content-type"
            elif name == "content":
                found = encoding_from_meta_content(value)
                if found is not None and charset == "null":
                    charset, need_pragma = found, True
            elif name == "charset":
                charset, need_pragma = get_encoding(value), False
        if need_pragma is None or (need_pragma and not got_pragma):
            return None
        if charset is None or charset == "null":
            return None
        if charset in (UTF_16BE, UTF_16LE):
            return UTF_8
        return WINDOWS_1252 if charset == X_USER_DEFINED else charset

    def _attribute(self) -> tuple[str, str] | None:
        """The standard's "get an attribute": ``None`` when there is none (the position is
        then on a ``>``). Bytes become code points of the same value, ASCII letters
        lowercased, because only ASCII can name an encoding."""
        while self._byte() in _SPACES_OR_SLASH:
            self._pos += 1
        if self._byte() == 0x3E:
            return None
        name = bytearray()
        while True:
            byte = self._byte()
            if byte == 0x3D and name:
                self._pos += 1
                return name.decode("latin-1"), self._value()
            if byte in _SPACES:
                break
            if byte in (0x2F, 0x3E):
                return name.decode("latin-1"), ""
            name.append(_lower(byte))
            self._pos += 1
        while self._byte() in _SPACES:
            self._pos += 1
        if self._byte() != 0x3D:
            return name.decode("latin-1"), ""
        self._pos += 1
        return name.decode("latin-1"), self._value()

    def _value(self) -> str:
        while self._byte() in _SPACES:
            self._pos += 1
        value = bytearray()
        quote = self._byte()
        if quote in (0x22, 0x27):
            while True:
                self._pos += 1
                byte = self._byte()
                if byte == quote:
                    self._pos += 1
                    return value.decode("latin-1")
                value.append(_lower(byte))
        if quote == 0x3E:
            return ""
        while (byte := self._byte()) not in _SPACES_OR_GT:
            value.append(_lower(byte))
            self._pos += 1
        return value.decode("latin-1")


def encoding_from_meta_content(content: str) -> Encoding | None:
    """The HTML Standard's "algorithm for extracting a character encoding from a meta
    element", given a ``content`` attribute value such as ``text/html; charset=utf-8``."""
    lowered = content.translate(_ASCII_LOWER)
    position = 0
    while (found := lowered.find("charset", position)) >= 0:
        position = found + 7
        while position < len(content) and content[position] in _ASCII_WHITESPACE:
            position += 1
        if position < len(content) and content[position] == "=":
            break
    else:
        return None
    position += 1
    while position < len(content) and content[position] in _ASCII_WHITESPACE:
        position += 1
    if position >= len(content):
        return None
    first = content[position]
    if first in "\"'":
        end = content.find(first, position + 1)
        return None if end < 0 else get_encoding(content[position + 1 : end])
    end = position
    while end < len(content) and content[end] not in _ASCII_WHITESPACE + ";":
        end += 1
    return get_encoding(content[position:end])


def xml_encoding(data: bytes) -> Encoding | None:
    """The HTML Standard's "get an XML encoding", used when the prescan runs out of bytes.

    The standard finds the declaration's ``>`` and then searches for ``encoding`` without
    using it; the search here stops at that ``>``, the evident intent (an ``encoding``
    later in the page is not part of the declaration).
    """
    if not data.startswith(b"<?xml"):
        return None
    end = data.find(b">")
    if end < 0:
        return None
    start = data.find(b"encoding", 0, end)
    if start < 0:
        return None
    position = start + 8
    while position < len(data) and data[position] <= 0x20:
        position += 1
    if data[position : position + 1] != b"=":
        return None
    position += 1
    while position < len(data) and data[position] <= 0x20:
        position += 1
    quote = data[position : position + 1]
    if quote not in (b'"', b"'"):
        return None
    close = data.find(quote, position + 1)
    if close < 0:
        return None
    label = data[position + 1 : close]
    if any(byte <= 0x20 for byte in label):
        return None
    found = get_encoding(label.decode("latin-1"))
    return UTF_8 if found in (UTF_16BE, UTF_16LE) else found


def prescan(data: bytes) -> Encoding | None:
    """The encoding the prescan finds in ``data`` (pass the first 1024 bytes), or ``None``."""
    try:
        return _Prescan(data).run()
    except _OutOfBytes:
        return xml_encoding(data)


# -- the streaming sniffer ----------------------------------------------------------------

Source = Literal["bom", "transport", "prescan", "default"]


@dataclass(frozen=True, slots=True)
class Sniffed:
    """A decision: the encoding, what decided it, and the bytes held while deciding.

    :param held: every byte fed so far, BOM included; the caller sends them on.
    :param bom_length: how many of them are the BOM, which the decoder must skip.
    """

    encoding: Encoding
    source: Source
    held: bytes
    bom_length: int = 0


class EncodingSniffer:
    """Decide a streamed document's encoding, holding back no more bytes than needed.

    :param transport_label: the ``charset`` of ``Content-Type``, if any.

    :meth:`feed` returns ``None`` while it must see more (at most the first 1024 bytes)
    and a :class:`Sniffed` once the answer is certain; :meth:`close` forces an answer at
    the end of the stream. Neither is called again after a decision.
    """

    def __init__(self, transport_label: str | None = None) -> None:
        self._transport = None if transport_label is None else get_encoding(transport_label)
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> Sniffed | None:
        self._buffer += chunk
        return self._decide(final=False, fresh=chunk)

    def close(self) -> Sniffed:
        decided = self._decide(final=True, fresh=b"")
        if decided is None:  # pragma: no cover - _decide always answers when final
            raise AssertionError("the sniffer must decide at the end of the stream")
        return decided

    def _decide(self, *, final: bool, fresh: bytes) -> Sniffed | None:
        held = bytes(self._buffer)
        if not final and _may_become_bom(held):
            return None
        bom = bom_sniff(held)
        if bom is not None:
            return Sniffed(bom[0], "bom", held, bom[1])
        if self._transport is not None:
            return Sniffed(self._transport, "transport", held)
        window = held[:PRESCAN_LIMIT]
        complete = final or len(held) >= PRESCAN_LIMIT
        # An answer needs a ">" (or the sixth byte of a UTF-16 "<?x") that the last run did
        # not see, so rescanning for every small chunk would only repeat a failed run.
        if not complete and b">" not in fresh and len(held) - len(fresh) >= 6:
            return None
        try:
            return Sniffed(_Prescan(window).run(), "prescan", held)
        except _OutOfBytes:
            if not complete:
                return None
        found = xml_encoding(window)
        if found is not None:
            return Sniffed(found, "prescan", held)
        return Sniffed(UTF_8, "default", held)


# -- converting ASCII-incompatible streams ------------------------------------------------


class _ReplacementDecoder(codecs.IncrementalDecoder):
    """The "replacement" decoder: one U+FFFD for a non-empty stream, then nothing."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self._emitted = False

    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        if data and not self._emitted:
            self._emitted = True
            return "\ufffd"
        return ""


_HALFWIDTH_KATAKANA = re.compile("[\uff61-\uff9f]+")


class _Iso2022JpEncoder:
    """An ISO-2022-JP encoder that emits only what the standard's decoder reads.

    Python's ``iso2022_jp`` has no half-width katakana and ``iso2022_jp_ext`` encodes
    characters such as "é" in JIS X 0212, which browsers do not decode. So text goes
    through ``iso2022_jp`` (ASCII and JIS X 0208), and runs of half-width katakana are
    written in the JIS X 0201 katakana set (``ESC ( I``) that browsers do read.
    """

    def __init__(self, errors: str) -> None:
        self._jis = codecs.getincrementalencoder("iso2022_jp")(errors)

    def encode(self, text: str, final: bool = False) -> bytes:
        output = bytearray()
        position = 0
        for run in _HALFWIDTH_KATAKANA.finditer(text):
            # final=True returns the encoder to ASCII, so the escape below starts clean.
            output += self._jis.encode(text[position : run.start()], True)
            output += b"\x1b(I" + bytes(ord(char) - 0xFF40 for char in run.group()) + b"\x1b(B"
            position = run.end()
        output += self._jis.encode(text[position:], final)
        return bytes(output)


class Recoder:
    """Streams an ASCII-incompatible body into UTF-8 for the gate, and the gate's UTF-8
    output back into the document's encoding.

    Decoding uses ``errors="replace"``, which is what the browser does with malformed
    input, so the gate sees the text the browser will see. Encoding back uses
    ``errors="xmlcharrefreplace"``: a character the encoding cannot represent can only
    come from text the gate injected (the banner, a placeholder), which sits in HTML text
    or attribute values where a character reference means that same character, or be a
    U+FFFD the decoder made of malformed bytes (in ISO-2022-JP), which becomes
    ``&#65533;``, the same character in text. The UTF-16 encodings represent every
    character, so their output is the browser's view of the input, byte for byte wherever
    the input was well-formed. The replacement encoding's output encoding is UTF-8; the
    browser reads anything sent under that label as one U+FFFD, as it would the original.

    What the browser sees is what is encoded here, never the original bytes, so where a
    Python decoder is more lenient than the standard's (JIS X 0212 in ISO-2022-JP) the
    output is still exactly the text the gate checked.
    """

    def __init__(self, encoding: Encoding) -> None:
        if encoding == REPLACEMENT:
            self._decoder: codecs.IncrementalDecoder = _ReplacementDecoder()
        else:
            self._decoder = codecs.getincrementaldecoder(encoding.codec)("replace")
        self._utf8 = codecs.getincrementaldecoder("utf-8")("replace")
        self._encoder: codecs.IncrementalEncoder | _Iso2022JpEncoder
        if encoding == ISO_2022_JP:
            self._encoder = _Iso2022JpEncoder("xmlcharrefreplace")
        else:
            self._encoder = codecs.getincrementalencoder(encoding.codec)("xmlcharrefreplace")

    def to_utf8(self, data: bytes, *, final: bool = False) -> bytes:
        return self._decoder.decode(data, final).encode("utf-8")

    def from_utf8(self, data: bytes, *, final: bool = False) -> bytes:
        return self._encoder.encode(self._utf8.decode(data, final), final)
