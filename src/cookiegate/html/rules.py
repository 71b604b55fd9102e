"""What in an HTML tag makes a browser fetch something, and who that fetch would reach.

This module is policy without streaming: given one start tag's name and attributes it
lists the URLs the browser would load; given inline script text it names the services
whose code or hosts appear in it. :mod:`cookiegate.html.gate` applies it to a stream.

The tables are facts from the HTML and SVG specifications. Where a name means different
things in HTML and SVG (``<script>``, ``<image>``), both readings are checked: blocking a
fetch that one reading would not make costs nothing, missing one leaks.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from ..config import Config
from ..hosts import HostMatcher, srcset_urls
from . import tokenizer

if TYPE_CHECKING:
    from ._cscanner import LiteralSet

#: Raw-text elements end at their first end tag (the tokenizer knows no nesting there).
RAW_TEXT_ELEMENTS = frozenset({"script", "iframe"})
#: Elements that are a single tag: removing the tag removes the element. ``image`` is
#: one too: HTML turns ``<image>`` into ``<img>``, and SVG images have no content.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "frame", "hr", "img", "image", "input", "link",
     "meta", "source", "track", "wbr", "use", "feimage"}
)  # fmt: skip
#: HTML element names: a self-closing tag with any other name is foreign (SVG/MathML),
#: where ``/>`` really closes the element.
HTML_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
    caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i
    iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript
    object ol optgroup option output p picture pre progress q rp rt ruby s samp script search
    section select slot small source span strong style sub summary sup table tbody td template
    textarea tfoot th thead time title tr track u ul var video wbr frame frameset noframes
    noembed xmp plaintext listing center font marquee""".split()  # noqa: SIM905 (a word list)
)

#: Attributes holding one URL that the browser fetches, per element.
_URL_ATTRS: Mapping[str, tuple[str, ...]] = {
    "script": ("src", "href", "xlink:href"),  # SVG scripts use href
    "iframe": ("src",),
    "frame": ("src",),
    "img": ("src",),
    "image": ("src", "href", "xlink:href"),  # HTML reads it as <img>, SVG as an image
    "feimage": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
}
#: Attributes holding a srcset.
_SRCSET_ATTRS: Mapping[str, tuple[str, ...]] = {
    "img": ("srcset",),
    "image": ("srcset",),
    "source": ("srcset",),
    "link": ("imagesrcset",),
}
#: Presentational attributes that fetch: the gate cuts the attribute, not the element,
#: since removing a table cell or the body would break the page.
CUT_ATTRS: Mapping[str, str] = dict.fromkeys(
    ("body", "table", "thead", "tbody", "tfoot", "tr", "td", "th"), "background"
)
#: ``<link rel>`` keywords that make the browser fetch (or connect to) the href.
FETCHING_RELS = frozenset(
    {"preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "prerender",
     "stylesheet", "icon", "manifest", "apple-touch-icon", "apple-touch-icon-precomposed",
     "mask-icon"}
)  # fmt: skip
#: Script types a browser executes (the HTML spec's JavaScript MIME type essences).
_JS_TYPES = frozenset(
    {"", "module", "application/ecmascript", "application/javascript",
     "application/x-ecmascript", "application/x-javascript", "text/ecmascript",
     "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
     "text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript",
     "text/livescript", "text/x-ecmascript", "text/x-javascript"}
)  # fmt: skip
#: Inline script types whose text can make the browser fetch (speculation rules
#: prefetch and prerender the URLs they list).
_FETCHING_INLINE_TYPES = frozenset({"speculationrules"})

#: Every element the gate needs to see; anything else streams through untouched.
WATCHED = frozenset(
    set(_URL_ATTRS) | set(_SRCSET_ATTRS) | set(CUT_ATTRS) | {"link", "input", "base", "html",
    "meta", "noscript"}
)  # fmt: skip
MARKER = b"data-cookiegate"
MARKER_ATTR = "data-cookiegate"
_ASCII_WS = " \t\n\f\r"


def script_kind(attrs: Mapping[str, str]) -> str:
    """``"js"`` for an executable script, ``"fetching"`` for speculation rules, else ``"inert"``.

    Follows the HTML spec: no ``type`` (or an empty one) with a ``language`` attribute
    means ``text/<language>``; the type is trimmed and compared case-insensitively, and
    MIME parameters make a type unknown (browsers do not strip them either).
    """
    kind = attrs.get("type")
    if kind is None or kind == "":
        language = attrs.get("language")
        kind = "" if not language else "text/" + language
    kind = kind.strip(_ASCII_WS).lower()
    if kind in _JS_TYPES:
        return "js"
    if kind in _FETCHING_INLINE_TYPES:
        return "fetching"
    return "inert"


def tag_urls(name: str, attrs: Mapping[str, str]) -> Iterator[str]:
    """Every URL a start tag makes the browser fetch or navigate to (unresolved)."""
    for attr in _URL_ATTRS.get(name, ()):
        value = attrs.get(attr)
        if value is not None and (name != "script" or script_kind(attrs) == "js"):
            yield value
    for attr in _SRCSET_ATTRS.get(name, ()):
        value = attrs.get(attr)
        if value:
            yield from srcset_urls(value)
    if name == "link":
        rels = set(attrs.get("rel", "").lower().split())
        if rels & FETCHING_RELS and "href" in attrs:
            yield attrs["href"]
    elif name == "input":
        if attrs.get("type", "").strip(_ASCII_WS).lower() == "image" and "src" in attrs:
            yield attrs["src"]
    elif name == "meta" and attrs.get("http-equiv", "").strip(_ASCII_WS).lower() == "refresh":
        url = refresh_url(attrs.get("content", ""))
        if url is not None:
            yield url


_REFRESH = re.compile(
    r"[ \t\n\f\r]*[0-9.]*[ \t\n\f\r]*[;,]?[ \t\n\f\r]*(?:[uU][rR][lL][ \t\n\f\r]*=[ \t\n\f\r]*)?"
)


def refresh_url(content: str) -> str | None:
    """The URL of a ``<meta http-equiv=refresh>`` or ``Refresh`` header, if any.

    Follows the spec's "shared declarative refresh steps": a delay, a separator, an
    optional ``url=``, and the rest (minus matching quotes) as the URL.
    """
    stripped = content.strip(_ASCII_WS)
    if not stripped or not (stripped[0].isdigit() or stripped[0] == "."):
        return None
    rest = stripped[_REFRESH.match(stripped).end() :]  # type: ignore[union-attr]
    if rest[:1] in ("'", '"'):
        quote = rest[0]
        end = rest.find(quote, 1)
        rest = rest[1:] if end == -1 else rest[1:end]
    return rest or None


def javascript_url_code(value: str) -> bytes | None:
    """The code of a ``javascript:`` URL (percent-decoded), or None if it is not one.

    A frame whose source is ``javascript:...`` runs that code as soon as it loads.
    """
    stripped = re.sub(r"[\t\n\r]", "", value.strip(_ASCII_WS))
    if stripped[:11].lower() != "javascript:":
        return None
    return unquote_to_bytes(stripped[11:])


#: Absolute and protocol-relative URLs inside code or JSON (speculation rules).
URL_LITERAL = re.compile(rb"(?:https?:)?//[^\s\"'<>\\`]+", re.IGNORECASE)


def data_url_payload(value: str, *, limit: int) -> tuple[str, bytes] | None:
    """The MIME type and up to ``limit`` bytes of a ``data:`` URL, or None if it is not one.

    ``<script src="data:...">`` runs code just like an inline script and
    ``<iframe src="data:text/html,...">`` holds a whole document, so the gate reads them.
    """
    stripped = value.strip(_ASCII_WS)
    if stripped[:5].lower() != "data:":
        return None
    header, _, payload = stripped[5:].partition(",")
    header = header.strip(_ASCII_WS).lower()
    mime = header.split(";", 1)[0].strip(_ASCII_WS)
    if re.search(r";[ \t\n\f\r]*base64[ \t\n\f\r]*$", header):
        cleaned = re.sub(r"[\t\n\f\r ]", "", payload[: limit * 4 // 3 + 8])
        try:
            raw = base64.b64decode(cleaned[: len(cleaned) // 4 * 4])
        except (binascii.Error, ValueError):
            raw = b""
    else:
        raw = unquote_to_bytes(payload[: limit * 3])
    return mime, raw[:limit]


def data_url_text(value: str, *, limit: int) -> str | None:
    """The text inside a ``data:`` URL (decoded as UTF-8), or None if it is not one."""
    payload = data_url_payload(value, limit=limit)
    return None if payload is None else payload[1].decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class InlineMatcher:
    """Finds services in inline script text by their hosts and ``inline`` signatures.

    It works on the raw bytes: hosts are ASCII (IDNs are stored in punycode), so they
    are searched case-sensitively in a lowercased copy, which lets the regex engine use
    its fast literal paths instead of a case-insensitive alternation (several times
    faster on script-heavy pages). Signatures are code, matched exactly, encoded in the
    page's encoding.

    With the C extension both searches run in C over a trie of the literals
    (:class:`_NativeLiterals`), case-insensitive for hosts without a lowercased copy, and
    find exactly what the regexes (the reference) find: the leftmost-longest matches,
    without overlaps, so a literal inside an earlier match (``t.co`` in ``.chartbeat.com``,
    ``gtag('config'`` in ``gtag('config', 'AW-``) names no service.
    """

    hosts: re.Pattern[bytes] | None
    host_owner: Mapping[bytes, str]
    signature_owner: Mapping[str, str]
    native_hosts: _NativeLiterals | None = None
    _encoded: dict[str, InlineSignatures] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_config(
        cls, config: Config, matcher: HostMatcher, *, native: bool = True
    ) -> InlineMatcher:
        """The matcher for ``config``; ``native=False`` keeps to the regex reference."""
        host_owner = {h.encode("ascii"): s for h, s in matcher.literals().items()}
        signature_owner = {sig: s.id for s in config.services for sig in s.inline}
        return cls(
            hosts=_alternation(list(host_owner)),
            host_owner=host_owner,
            signature_owner=signature_owner,
            native_hosts=_NativeLiterals.build(host_owner, ignore_case=True) if native else None,
        )

    def signatures(self, encoding: str) -> InlineSignatures:
        """The signature search for pages in ``encoding`` (built once per encoding)."""
        cached = self._encoded.get(encoding)
        if cached is None:
            cached = self._encoded[encoding] = _encode_signatures(
                self.signature_owner, encoding, native=self.native_hosts is not None
            )
        return cached

    def services(self, text: bytes, signatures: InlineSignatures) -> set[str]:
        """Ids of the services whose hosts or signatures occur in ``text``."""
        if self.native_hosts is not None and signatures.native is not None:
            return self.native_hosts.owners(text) | signatures.native.owners(text)
        return self.reference_services(text, signatures)

    def reference_services(self, text: bytes, signatures: InlineSignatures) -> set[str]:
        """:meth:`services` by the regexes alone (the reference for the native search)."""
        found: set[str] = set()
        if self.hosts is not None:
            found.update(self.host_owner[m] for m in self.hosts.findall(text.lower()))
        if signatures.pattern is not None:
            found.update(signatures.owner[m] for m in signatures.pattern.findall(text))
        return found


@dataclass(frozen=True, slots=True)
class InlineSignatures:
    """Signatures encoded for one page encoding."""

    pattern: re.Pattern[bytes] | None
    owner: Mapping[bytes, str]
    native: _NativeLiterals | None = None


def _encode_signatures(
    owner: Mapping[str, str], encoding: str, *, native: bool = False
) -> InlineSignatures:
    encoded: dict[bytes, str] = {}
    for signature, service in owner.items():
        try:
            encoded[signature.encode(encoding)] = service
        except (UnicodeEncodeError, LookupError):
            encoded[signature.encode("utf-8")] = service
    return InlineSignatures(
        pattern=_alternation(list(encoded)),
        owner=encoded,
        native=_NativeLiterals.build(encoded, ignore_case=False) if native else None,
    )


@dataclass(frozen=True, slots=True)
class _NativeLiterals:
    """A :class:`_cscanner.LiteralSet` of literals and the service owning each one."""

    search: LiteralSet
    services: tuple[str, ...]

    @classmethod
    def build(cls, owner: Mapping[bytes, str], *, ignore_case: bool) -> _NativeLiterals | None:
        """The native search for ``owner``'s literals; None without the C extension."""
        literal_set = getattr(tokenizer._native, "LiteralSet", None)
        if literal_set is None:
            return None
        services = tuple(sorted(set(owner.values())))
        index = {service: i for i, service in enumerate(services)}
        # the reference lowercases the text, so a literal with an upper-case letter never
        # matches there: leave it out here too
        pairs = [
            (literal, index[service])
            for literal, service in owner.items()
            if not ignore_case or literal == literal.lower()
        ]
        return cls(search=literal_set(pairs, ignore_case=ignore_case), services=services)

    def owners(self, text: bytes) -> set[str]:
        """The services owning a literal that occurs in ``text``."""
        return {self.services[i] for i in self.search.findall_ids(text)}


def _alternation(literals: list[bytes]) -> re.Pattern[bytes] | None:
    if not literals:
        return None
    # Longest first, so that a longer literal wins over its own prefix.
    ordered = sorted(literals, key=len, reverse=True)
    return re.compile(b"|".join(re.escape(text) for text in ordered))
