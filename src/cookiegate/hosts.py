"""Which host a URL in a page would make the browser contact, and whose host that is.

URLs are resolved with a WHATWG URL parser (``ada-url``), because ``urllib.parse``
disagrees with browsers on backslashes, tabs and newlines inside URLs, ``///``,
userinfo and percent-encoded or full-width hosts; each disagreement is a way for a
tracker to slip past a gate that reads the URL differently from the browser. The parser
is only called for URLs that are not plainly ``https://host/...``: a strict regular
expression accepts the common shapes whose answer is certain, which keeps the gate
fast on real pages.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import ada_url

from .config import Config

#: Marker returned by :meth:`HostMatcher.classify` for the site's own hosts.
FIRST_PARTY: Final = "\x00first-party"

# Absolute or protocol-relative http(s) URLs whose host is plain lowercase ASCII and
# ends cleanly: for these the WHATWG parser would give the same host, so it is skipped.
# The last label must start with a letter: numeric forms (``0x7f.1``) need the parser.
_SIMPLE_ABSOLUTE = re.compile(
    r"(?:https?:)?//((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)\.?(?:[/?#]|:\d*[/?#]|:?$)"
)
# Path-relative or query/fragment-only URLs: same origin as the base, no parsing needed.
_SIMPLE_RELATIVE = re.compile(
    r"(?:[a-zA-Z0-9._~!$&'()*+;=@%-][^:\\\t\n\r]*|/(?![/\\])[^\\\t\n\r]*|[?#][^\\\t\n\r]*)?"
)
_ASCII_WS = " \t\n\f\r"
_NETWORK_SCHEMES = frozenset({"http:", "https:"})
_CACHE_LIMIT = 4096


class UrlResolver:
    """Resolves URL attribute values to the host a browser would fetch from.

    One resolver serves one document: it knows the document's URL and, once the page
    declares one, its ``<base href>``. Results are cached because pages repeat the same
    URLs many times.
    """

    __slots__ = ("_base_value", "_base_factory", "_base_host", "_cache", "document_host")

    def __init__(self, document_url: str | Callable[[], str], *, host: str | None = None) -> None:
        """``document_url`` may be a callable, with the page's ``host`` given up front.

        Building the full URL of a request costs more than most pages need: the common
        absolute and relative URLs only need the page's host. The middleware passes a
        callable, called only if a URL needs the WHATWG parser or a ``<base>`` appears.
        """
        self._base_value: str | None = None
        self._base_factory: Callable[[], str] | None = None
        if callable(document_url):
            self._base_factory = document_url
        else:
            self._base_value = document_url
        if host is None:
            host = _parse_host(self._base, None) or ""
        self._base_host = host
        #: The page's own host: always first party, whatever ``<base>`` says.
        self.document_host = host
        self._cache: dict[str, str | None] = {}

    @property
    def _base(self) -> str:
        if self._base_value is None:
            factory = self._base_factory
            self._base_value = factory() if factory is not None else ""
        return self._base_value

    @property
    def base_url(self) -> str:
        """The URL relative URLs resolve against (the document's, or its ``<base>``)."""
        return self._base

    @property
    def base_host(self) -> str:
        """The host relative URLs resolve to."""
        return self._base_host

    def child(self) -> UrlResolver:
        """A resolver for a nested document (``srcdoc``): same page host, same base."""
        nested = UrlResolver(self._base, host=self._base_host)
        nested.document_host = self.document_host
        return nested

    def set_base(self, href: str) -> None:
        """Apply a ``<base href>``: later relative URLs resolve against it."""
        href = href.strip(_ASCII_WS)
        try:
            url = ada_url.URL(href, self._base)
        except ValueError:
            return  # an invalid base is ignored by browsers too
        self._base_value = url.href
        self._base_host = url.hostname if url.protocol in _NETWORK_SCHEMES else ""
        self._cache.clear()

    def host(self, value: str) -> str | None:
        """The host the browser would contact for ``value``, or None for no network fetch.

        None covers ``data:``, ``javascript:``, ``blob:``, ``about:`` and URLs that fail
        to parse (the browser does not fetch those either).
        """
        if value in self._cache:
            return self._cache[value]
        result = self._resolve(value)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[value] = result
        return result

    def _resolve(self, value: str) -> str | None:
        stripped = value.strip(_ASCII_WS)
        match = _SIMPLE_ABSOLUTE.match(stripped)
        if match is not None:
            return match.group(1)
        if _SIMPLE_RELATIVE.fullmatch(stripped):
            return self._base_host or None
        return _parse_host(stripped, self._base)


def _parse_host(value: str, base: str | None) -> str | None:
    try:
        url = ada_url.URL(value, base) if base is not None else ada_url.URL(value)
    except ValueError:
        return None
    if url.protocol not in _NETWORK_SCHEMES:
        return None
    host: str = url.hostname
    return host.rstrip(".") or None


_PLAIN_HOST = re.compile(r"[a-z0-9.-]+")


def request_host(environ: Mapping[str, Any]) -> str:
    """The request's host name as a URL parser would give it: lowercase, no port.

    Plain ASCII hosts (nearly all) are read directly; anything else goes through the
    WHATWG parser so that IDNs and IP literals come out in canonical form.
    """
    raw = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
    return _host_of(str(raw))


@functools.lru_cache(maxsize=256)
def _host_of(raw: str) -> str:
    """:func:`request_host` of a raw ``Host`` value: a site answers to a few, so the
    WHATWG parse that IP literals and IDNs need runs once for each."""
    host = raw.strip().lower()
    if not host.startswith("["):
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    host = host.rstrip(".")
    if _PLAIN_HOST.fullmatch(host) and not host[-1:].isdigit():
        return host
    return _parse_host(f"http://{host}/", None) or ""


def srcset_urls(value: str) -> Iterator[str]:
    """The URLs of a ``srcset`` attribute, split the way the HTML spec parses it."""
    pos, end = 0, len(value)
    while pos < end:
        while pos < end and (value[pos] in _ASCII_WS or value[pos] == ","):
            pos += 1
        if pos >= end:
            return
        start = pos
        while pos < end and value[pos] not in _ASCII_WS:
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            yield url.rstrip(",")
            continue
        yield url
        # Skip the descriptors up to the next comma that is not inside parentheses.
        depth = 0
        while pos < end:
            char = value[pos]
            if char == "(":
                depth += 1
            elif char == ")" and depth:
                depth -= 1
            elif char == "," and not depth:
                pos += 1
                break
            pos += 1


class HostMatcher:
    """Maps a host to the service that declares it, or to the site itself.

    Exact patterns are a dict lookup; ``*.example.com`` patterns are found by walking
    up the host's labels, so the cost is the number of labels, not of patterns.
    A service's claim wins over ``first_party_hosts`` so that a mistaken first-party
    entry cannot switch a tracker's gate off.
    """

    __slots__ = ("_exact", "_suffix")

    def __init__(self, config: Config) -> None:
        self._exact: dict[str, str] = {}
        self._suffix: dict[str, str] = {}
        self._add(config.first_party_hosts, FIRST_PARTY)
        for service in config.services:
            self._add(service.hosts, service.id)

    def _add(self, patterns: Iterable[str], owner: str) -> None:
        for pattern in patterns:
            if pattern.startswith("*."):
                self._suffix[pattern[2:]] = owner
            else:
                self._exact[pattern] = owner

    def classify(self, host: str) -> str | None:
        """The owning service id, :data:`FIRST_PARTY`, or None for an undeclared host."""
        owner = self._exact.get(host)
        if owner is not None:
            return owner
        dot = host.find(".")
        while dot != -1:
            owner = self._suffix.get(host[dot + 1 :])
            if owner is not None:
                return owner
            dot = host.find(".", dot + 1)
        return None

    def literals(self) -> dict[str, str]:
        """Host texts to look for inside inline scripts, mapped to their owner."""
        found = dict(self._exact)
        found.update({"." + suffix: owner for suffix, owner in self._suffix.items()})
        return {text: owner for text, owner in found.items() if owner != FIRST_PARTY}
