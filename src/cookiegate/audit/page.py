"""Every host an HTML page makes the browser contact, read the way the gate reads it.

:class:`PageScanner` follows the same tokenizer and the same tables as the gate
(:data:`~cookiegate.html.rules.WATCHED`, :func:`~cookiegate.html.rules.tag_urls`, which
covers ``srcset``, fetching ``<link rel>``, ``<meta http-equiv=refresh>`` and SVG
references), resolves URLs with the same :class:`~cookiegate.hosts.UrlResolver`
(``<base href>`` included) and adds the hosts of absolute URLs written inside inline
scripts, which the gate only catches when a service declares them. It reports what it
found and decides nothing: the audit compares the hosts with the configuration, so what
it reports is exactly what the gate would treat as undeclared.

It streams (bounded by the longest tag and ``max_script`` bytes of inline script text)
and reads the bytes it is given without changing them, so it can watch a response while
the gate rewrites it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import ada_url

from ..catalog import PRESETS
from ..fetch_headers import gate_link_header
from ..hosts import UrlResolver
from ..html.rules import URL_LITERAL, WATCHED, refresh_url, script_kind, tag_urls
from ..html.tokenizer import Token, Tokenizer, TokenKind

__all__ = ["PageFindings", "PageScanner", "link_header_urls"]

#: A host worth reporting from inline script text: dotted, letters in the last label.
#: (A ``//comment`` or a regex in the code would otherwise read as a host.)
_SCRIPT_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")
#: Hosts that code names without fetching from them: XML namespaces and vocabularies.
_NOT_FETCHED = frozenset({"www.w3.org", "schema.org", "ogp.me", "purl.org", "ns.adobe.com"})
_LINK_ELEMENTS = frozenset({"a", "area"})


@dataclass(slots=True)
class PageFindings:
    """What one page would contact.

    :param hosts: each host (resolved, lowercase, punycode) with how it appeared:
        ``"tag"`` (an attribute that fetches) or ``"inline"`` (inside script text).
    :param links: same-document navigation targets (``<a href>``, ``<area href>``),
        resolved to absolute URLs; only collected when asked for.
    :param canonical: the absolute URL of ``<link rel=canonical>``, if any.
    :param snippets: catalogue presets whose inline signature (``gtag('config'``, ...)
        appears in an inline script.
    """

    hosts: dict[str, set[str]] = field(default_factory=dict)
    snippets: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    canonical: str | None = None

    def add(self, host: str | None, via: str) -> None:
        if host:
            self.hosts.setdefault(host, set()).add(via)


class PageScanner:
    """Streams one HTML document's bytes (``feed``, then ``close``) into :class:`PageFindings`.

    :param resolver: resolves the page's URLs; given its own instance (``<base>`` changes it).
    :param encoding: an ASCII-compatible codec of the bytes, as the gate gets.
    :param links: also collect ``<a href>`` and ``<area href>`` (for ``cookiegate scan``).
    :param max_script: the bytes of each inline script searched for URLs.
    """

    def __init__(
        self,
        resolver: UrlResolver,
        *,
        encoding: str = "utf-8",
        links: bool = False,
        max_script: int = 256 * 1024,
    ) -> None:
        self._resolver = resolver
        self._encoding = encoding
        self._links = links
        self._max_script = max_script
        self._tokenizer = Tokenizer(encoding=encoding)
        self._tokenizer.watch(WATCHED | _LINK_ELEMENTS if links else WATCHED)
        self._buf = b""
        self._script: list[bytes] | None = None
        self._script_size = 0
        self._seen_base = False
        self.findings = PageFindings()

    def feed(self, data: bytes) -> None:
        self._buf = self._buf + data if self._buf else data
        self._run(final=False)

    def close(self) -> PageFindings:
        self._run(final=True)
        if self._script is not None:  # a script that runs to the end still runs
            self._end_script()
        return self.findings

    def _run(self, *, final: bool) -> None:
        buf = self._buf
        text_from = 0
        for token in self._tokenizer.scan(buf, final=final):
            if self._script is not None:
                if token.kind == TokenKind.END_TAG and token.name == "script":
                    self._keep_script(buf[text_from : token.start])
                    self._end_script()
                continue
            if token.kind == TokenKind.START_TAG and self._on_start(token):
                text_from = token.end
        consumed = self._tokenizer.consumed
        if self._script is not None:
            self._keep_script(buf[text_from:consumed])
        self._buf = buf[consumed:]

    def _on_start(self, token: Token) -> bool:
        """Note the tag's URLs; True if it starts inline script text to read."""
        name, attrs = token.name, token.attrs
        if name == "base" and "href" in attrs and not self._seen_base:
            self._seen_base = True
            self._resolver.set_base(attrs["href"])
        for url in tag_urls(name, attrs):
            self.findings.add(self._resolver.host(url), "tag")
        if name == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self._canonical(attrs.get("href", ""))
        elif name in _LINK_ELEMENTS and "href" in attrs:
            self._link(attrs["href"])
        if name != "script" or self._tokenizer.state != "script":
            return False
        if any(a in attrs for a in ("src", "href", "xlink:href")):
            return False
        if script_kind(attrs) == "inert":
            return False
        self._script = []
        self._script_size = 0
        return True

    def _keep_script(self, text: bytes) -> None:
        assert self._script is not None
        room = self._max_script - self._script_size
        if room > 0 and text:
            self._script.append(text[:room])
            self._script_size += min(room, len(text))

    def _end_script(self) -> None:
        text = b"".join(self._script or ())
        self._script = None
        for host in script_hosts(text, self._resolver, self._encoding):
            self.findings.add(host, "inline")
        self.findings.snippets.update(catalogue_snippets(text))

    def _absolute(self, href: str) -> str | None:
        try:
            url = ada_url.URL(href.strip(" \t\n\f\r"), self._resolver.base_url)
        except ValueError:
            return None
        if url.protocol not in ("http:", "https:"):
            return None
        url.hash = ""
        return str(url.href)

    def _canonical(self, href: str) -> None:
        if self.findings.canonical is None:
            self.findings.canonical = self._absolute(href)

    def _link(self, href: str) -> None:
        url = self._absolute(href)
        if url is not None:
            self.findings.links.append(url)


def script_hosts(text: bytes, resolver: UrlResolver, encoding: str) -> Iterator[str]:
    """Hosts of the absolute and protocol-relative URLs written in script text.

    ``https:\\/\\/host`` (JSON-escaped slashes) counts too. Hosts that name a namespace
    rather than a server (``www.w3.org``) are left out.
    """
    text = text.replace(b"\\/", b"/")
    if b"//" not in text:
        return
    for match in URL_LITERAL.findall(text):
        host = resolver.host(match.decode(encoding, "replace"))
        if host and host not in _NOT_FETCHED and _SCRIPT_HOST.fullmatch(host):
            yield host


def catalogue_snippets(text: bytes) -> set[str]:
    """Ids of the catalogue presets whose inline signatures occur in ``text``."""
    pattern, owner = _catalogue_signatures()
    return {owner[m] for m in pattern.findall(text)} if text else set()


@functools.cache
def _catalogue_signatures() -> tuple[re.Pattern[bytes], dict[bytes, str]]:
    owner = {sig.encode("utf-8"): p.id for p in PRESETS.values() for sig in p.inline}
    ordered = sorted(owner, key=len, reverse=True)  # a longer signature wins over its prefix
    return re.compile(b"|".join(re.escape(sig) for sig in ordered)), owner


def link_header_urls(value: str) -> Iterator[str]:
    """The targets of a ``Link`` header's link-values that make the browser fetch."""
    found: list[str] = []

    def note(url: str) -> bool:
        found.append(url)
        return True

    gate_link_header(value, note)
    yield from found


def header_urls(headers: Mapping[str, str] | list[tuple[str, str]]) -> Iterator[str]:
    """URLs that response headers make the browser fetch: ``Link`` targets, ``Refresh``."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in items:
        lowered = name.lower()
        if lowered == "link":
            yield from link_header_urls(value)
        elif lowered == "refresh":
            url = refresh_url(value)
            if url is not None:
                yield url
