"""What in an HTML tag makes a browser fetch something, and who that fetch would reach.

This module is policy without streaming: given one start tag's name and attributes it
lists the URLs the browser would load; given inline script text it names the services
whose code or hosts appear in it. :mod:`cookiegate.html.gate` applies it to a stream.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from ..config import Config
from ..hosts import HostMatcher, srcset_urls

#: Elements whose whole subtree goes when the element is blocked. Void elements
#: (img, link, source, embed, input, frame, meta) are removed as a single tag; raw-text
#: elements (script, iframe) end at their first end tag.
RAW_TEXT_ELEMENTS = frozenset({"script", "iframe"})
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "frame",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)

#: Attributes holding one URL, per element, that the browser fetches.
_URL_ATTRS: Mapping[str, tuple[str, ...]] = {
    "script": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "img": ("src",),
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
    "source": ("srcset",),
    "link": ("imagesrcset",),
}
#: ``<link rel>`` keywords that make the browser fetch (or connect to) the href.
FETCHING_RELS = frozenset(
    {
        "preload",
        "modulepreload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
        "prerender",
        "stylesheet",
        "icon",
        "manifest",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
    }
)
#: Script types a browser executes (the HTML spec's JavaScript MIME type essences).
_JS_TYPES = frozenset(
    {
        "",
        "module",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)
#: Inline script types whose text can make the browser fetch (speculation rules
#: prefetch and prerender the URLs they list).
_FETCHING_INLINE_TYPES = frozenset({"speculationrules"})

#: Every element the gate needs to see; anything else streams through untouched.
WATCHED = frozenset(set(_URL_ATTRS) | set(_SRCSET_ATTRS) | {"link", "input", "base", "html"})
MARKER = b"data-cookiegate"
MARKER_ATTR = "data-cookiegate"


def script_kind(attrs: Mapping[str, str]) -> str:
    """``"js"`` for an executable script, ``"fetching"`` for speculation rules, else ``"inert"``.

    Follows the HTML spec: no ``type`` (or an empty one) with a ``language`` attribute
    means ``text/<language>``; ``type`` is compared after trimming, case-insensitively,
    ignoring MIME parameters is *not* done by browsers, so neither is it here.
    """
    kind = attrs.get("type")
    if kind is None or kind == "":
        language = attrs.get("language")
        kind = "" if not language else "text/" + language
    kind = kind.strip(" \t\n\f\r").lower()
    if kind in _JS_TYPES:
        return "js"
    if kind in _FETCHING_INLINE_TYPES:
        return "fetching"
    return "inert"


def tag_urls(name: str, attrs: Mapping[str, str]) -> Iterator[str]:
    """Every URL a start tag makes the browser fetch (before resolution)."""
    for attr in _URL_ATTRS.get(name, ()):
        value = attrs.get(attr)
        if value is not None and (attr != "src" or name != "script" or script_kind(attrs) == "js"):
            yield value
    for attr in _SRCSET_ATTRS.get(name, ()):
        value = attrs.get(attr)
        if value:
            yield from srcset_urls(value)
    if name == "link":
        rels = set(attrs.get("rel", "").lower().split())
        if rels & FETCHING_RELS and "href" in attrs:
            yield attrs["href"]
    elif name == "input" and attrs.get("type", "").strip().lower() == "image" and "src" in attrs:
        yield attrs["src"]


def data_url_text(value: str, *, limit: int) -> str | None:
    """The code inside a ``data:`` URL script source, or None if it is not one.

    ``<script src="data:text/javascript;base64,...">`` runs code just like an inline
    script, so the gate reads it like one. At most ``limit`` bytes are decoded.
    """
    stripped = value.strip(" \t\n\f\r")
    if stripped[:5].lower() != "data:":
        return None
    header, _, payload = stripped[5:].partition(",")
    if header.lower().replace(" ", "").endswith(";base64"):
        cleaned = re.sub(r"[\t\n\f\r ]", "", payload[: limit * 4 // 3 + 4])
        try:
            raw = base64.b64decode(cleaned[: len(cleaned) // 4 * 4])
        except (binascii.Error, ValueError):
            raw = b""
    else:
        raw = unquote_to_bytes(payload[: limit * 3])
    return raw[:limit].decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class InlineMatcher:
    """Finds services in inline script text by their hosts and ``inline`` signatures.

    Hosts are matched case-insensitively (as hosts are); signatures exactly, since they
    are code. One alternation per kind keeps it a single pass over the text.
    """

    hosts: re.Pattern[str] | None
    host_owner: Mapping[str, str]
    signatures: re.Pattern[str] | None
    signature_owner: Mapping[str, str]

    @classmethod
    def from_config(cls, config: Config, matcher: HostMatcher) -> InlineMatcher:
        host_owner = matcher.literals()
        signature_owner = {sig: s.id for s in config.services for sig in s.inline}
        return cls(
            hosts=_alternation(host_owner, re.IGNORECASE),
            host_owner=host_owner,
            signatures=_alternation(signature_owner, 0),
            signature_owner=signature_owner,
        )

    def services(self, text: str) -> set[str]:
        """Ids of the services whose hosts or signatures occur in ``text``."""
        found: set[str] = set()
        if self.hosts is not None:
            found.update(self.host_owner[m.group(0).lower()] for m in self.hosts.finditer(text))
        if self.signatures is not None:
            found.update(self.signature_owner[m.group(0)] for m in self.signatures.finditer(text))
        return found


def _alternation(literals: Mapping[str, str], flags: int) -> re.Pattern[str] | None:
    if not literals:
        return None
    # Longest first, so that a longer literal wins over its own prefix.
    ordered = sorted(literals, key=len, reverse=True)
    return re.compile("|".join(re.escape(text) for text in ordered), flags)
