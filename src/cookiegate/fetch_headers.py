"""Response headers that make the browser fetch: ``Link`` (preload, preconnect...) and ``Refresh``.

A server can ask for a third-party load without any markup: ``Link:
<https://www.googletagmanager.com/gtag/js>; rel=preload`` makes the browser fetch it,
and ``Refresh: 0; url=...`` navigates. These headers get the same verdict as the tags:
a link-value whose target the visitor has not consented to is removed from the header
(the others stay, in order), and a blocked ``Refresh`` is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .html.rules import FETCHING_RELS, refresh_url

#: Decides one URL: True if the browser may fetch it.
UrlVerdict = Callable[[str], bool]

# One link-value: <target> followed by parameters, up to a comma outside quotes.
_LINK_VALUE = re.compile(r'\s*<([^>]*)>((?:[^,"]|"(?:[^"\\]|\\.)*")*)(?:,|$)')
_REL = re.compile(r';\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]*))', re.IGNORECASE)


def gate_fetch_headers(
    headers: Iterable[tuple[str, str]], allowed: UrlVerdict
) -> list[tuple[str, str]]:
    """``headers`` with non-consented ``Link`` targets and ``Refresh`` removed."""
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == "link":
            value = gate_link_header(value, allowed)
            if not value:
                continue
        elif lowered == "refresh":
            url = refresh_url(value)
            if url is not None and not allowed(url):
                continue
        kept.append((name, value))
    return kept


def gate_link_header(value: str, allowed: UrlVerdict) -> str:
    """A ``Link`` header value without the fetching link-values that are not allowed.

    A value the parser cannot read whole is dropped entirely: browsers parse such
    headers leniently, and a half-understood preload is not worth the risk.
    """
    kept: list[str] = []
    pos = 0
    while pos < len(value):
        match = _LINK_VALUE.match(value, pos)
        if match is None:
            return ""
        pos = match.end()
        target, params = match.group(1), match.group(2)
        if _fetches(params) and not allowed(target.strip()):
            continue
        kept.append(match.group(0).strip().rstrip(",").strip())
        if not value[pos:].strip():
            break
    return ", ".join(kept)


def _fetches(params: str) -> bool:
    rels: set[str] = set()
    for match in _REL.finditer(params):
        rels.update((match.group(1) or match.group(2) or "").lower().split())
    return bool(rels & FETCHING_RELS)
