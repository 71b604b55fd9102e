"""The tag gate: a streaming filter that removes non-consented tags from HTML bytes.

The gate never parses and re-serialises the page. It follows the tokenizer over the
original bytes and either copies them through untouched or drops the exact byte range
of a blocked element (start tag to matching end tag, or the single tag of a void
element), so everything the gate did not act on leaves byte for byte as the app wrote
it, and the gate cannot create markup that was not there.

Three modes drive it:

* pass: bytes flow through; watched start tags are checked as they arrive;
* drop: inside a blocked element; bytes are discarded up to its matching end tag;
* hold: inside an inline ``<script>``; its text is kept until ``</script>`` (or until
  ``max_inline_script`` bytes) because whether it loads a tracker is only known from
  its text.

Working memory is the tokenizer's unfinished tail plus, in hold mode, the script text:
bounded by the chunk size, the longest tag and ``max_inline_script``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ..config import Config, Service
from ..consent import Consent
from ..hosts import FIRST_PARTY, HostMatcher, UrlResolver
from .rules import (
    MARKER,
    MARKER_ATTR,
    RAW_TEXT_ELEMENTS,
    VOID_ELEMENTS,
    WATCHED,
    InlineMatcher,
    data_url_text,
    script_kind,
    tag_urls,
)
from .tokenizer import Token, Tokenizer, TokenKind

logger = logging.getLogger("cookiegate")

_GATE_WATCHED = WATCHED | {"body"}
_PLACEHOLDER_ELEMENTS = frozenset({"iframe", "embed", "object", "frame"})
_PASS, _DROP, _HOLD = 0, 1, 2


class Page(Protocol):
    """What the gate needs to know about the request it filters."""

    consent: Consent
    resolver: UrlResolver

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        """The banner to inject after ``<body>``, or None when this visitor needs none."""

    def placeholder(
        self,
        service: Service,
        *,
        lang: str | None,
        absolute_urls: bool,
        width: str | None,
        height: str | None,
        anchor: str,
    ) -> str:
        """The click-to-load form that stands in for a removed embed."""


@dataclass(frozen=True, slots=True)
class GateRules:
    """The per-configuration half of the gate: compiled once, shared by all requests."""

    config: Config
    hosts: HostMatcher
    inline: InlineMatcher

    @classmethod
    def from_config(cls, config: Config) -> GateRules:
        matcher = HostMatcher(config)
        return cls(config=config, hosts=matcher, inline=InlineMatcher.from_config(config, matcher))

    def host_allowed(self, host: str | None, consent: Consent, resolver: UrlResolver) -> bool:
        """Whether a fetch from ``host`` is allowed for this visitor."""
        return self.host_owner(host, consent, resolver) is None

    def host_owner(self, host: str | None, consent: Consent, resolver: UrlResolver) -> str | None:
        """None if a fetch from ``host`` may happen; else who blocks it.

        The answer is a service id, or ``""`` for an undeclared third party under
        ``undeclared_third_party: block``.
        """
        if host is None or host == resolver.document_host:
            return None
        owner = self.hosts.classify(host)
        if owner == FIRST_PARTY:
            return None
        if owner is not None:
            return None if consent.allows_service(owner) else owner
        return None if self.config.undeclared_third_party == "allow" else ""

    def blocking_owner(
        self, urls: Iterable[str], consent: Consent, resolver: UrlResolver
    ) -> str | None:
        """The first owner that blocks one of ``urls``, or None when all may load."""
        for url in urls:
            owner = self.host_owner(resolver.host(url), consent, resolver)
            if owner is not None:
                return owner
        return None

    def marker_allows(self, value: str, consent: Consent) -> bool:
        """Whether a ``data-cookiegate="<category or service>"`` element may stay.

        An unknown name is blocked: the site asked for gating, and guessing "allowed"
        would fail open.
        """
        name = value.strip().lower()
        if self.config.category(name) is not None:
            return consent.allows(name)
        if self.config.service(name) is not None:
            return consent.allows_service(name)
        logger.warning(
            "cookiegate: data-cookiegate=%r names no category or service; the element is removed",
            value,
        )
        return False


class HtmlGate:
    """Streaming filter for one HTML response body (see the module docstring)."""

    def __init__(self, rules: GateRules, page: Page, *, encoding: str = "utf-8") -> None:
        self._rules = rules
        self._page = page
        self._consent = page.consent
        self._encoding = encoding
        self._tokenizer = Tokenizer(encoding=encoding)
        self._tokenizer.watch(_GATE_WATCHED, marker=MARKER)
        self._buf = b""
        self._out: list[bytes] = []
        self._mode = _PASS
        self._drop_name = ""
        self._drop_depth = 0
        self._hold: list[bytes] = []
        self._held = 0
        self._lang: str | None = None
        self._seen_html = False
        self._seen_base = False
        self._banner_done = False
        self._anchors = 0

    # -- the BodyFilter interface -------------------------------------------------

    def feed(self, data: bytes) -> bytes:
        """Gate the next chunk; returns what can be sent now."""
        self._buf = self._buf + data if self._buf else data
        self._run(final=False)
        return self._take()

    def close(self) -> bytes:
        """End of body: gate what is left and return it."""
        self._run(final=True)
        if self._mode == _HOLD:
            # The script ran to the end of the document; browsers execute it anyway.
            self._finish_hold(end_tag=b"")
        return self._take()

    # -- driving the tokenizer ----------------------------------------------------

    def _take(self) -> bytes:
        out = b"".join(self._out)
        self._out.clear()
        return out

    def _run(self, *, final: bool) -> None:
        buf = self._buf
        run = 0  # start of the bytes not yet routed to output, hold or the bin
        for token in self._tokenizer.scan(buf, final=final):
            if self._mode == _PASS:
                run = self._on_pass(token, buf, run)
            elif self._mode == _DROP:
                run = self._on_drop(token, run)
            else:
                run = self._on_hold(token, buf, run)
        consumed = self._tokenizer.consumed
        self._route(buf[run:consumed])
        self._buf = buf[consumed:]
        if self._mode == _HOLD and self._held > self._rules.config.max_inline_script:
            self._overflow_hold()

    def _route(self, data: bytes) -> None:
        if not data:
            return
        if self._mode == _PASS:
            self._out.append(data)
        elif self._mode == _HOLD:
            self._hold.append(data)
            self._held += len(data)

    # -- pass mode ----------------------------------------------------------------

    def _on_pass(self, token: Token, buf: bytes, run: int) -> int:
        if token.kind != TokenKind.START_TAG:
            return run
        name = token.name
        if name == "script":
            return self._on_script(token, buf, run)
        if name == "body":
            return self._on_body(token, buf, run)
        attrs = token.attrs
        if name == "html" and not self._seen_html:
            self._seen_html = True
            self._lang = attrs.get("lang") or None
        elif name == "base" and not self._seen_base and "href" in attrs:
            self._seen_base = True
            self._page.resolver.set_base(attrs["href"])
        blocker = self._blocker(name, attrs)
        if blocker is None:
            return run
        self._route(buf[run : token.start])
        self._start_drop(token)
        service = self._rules.config.service(blocker) if blocker else None
        if service is not None and service.placeholder and name in _PLACEHOLDER_ELEMENTS:
            self._emit_placeholder(service, attrs)
        return token.end

    def _blocker(self, name: str, attrs: dict[str, str]) -> str | None:
        """Who blocks this tag: a service id, "" for policy or marker, None if it stays."""
        marker = attrs.get(MARKER_ATTR)
        if marker is not None and not self._rules.marker_allows(marker, self._consent):
            return self._marker_service(marker)
        return self._rules.blocking_owner(tag_urls(name, attrs), self._consent, self._page.resolver)

    def _marker_service(self, marker: str) -> str:
        name = marker.strip().lower()
        return name if self._rules.config.service(name) is not None else ""

    def _on_body(self, token: Token, buf: bytes, run: int) -> int:
        if self._banner_done:
            return run
        self._banner_done = True
        banner = self._page.banner(lang=self._lang, absolute_urls=self._seen_base)
        if banner is None:
            return run
        self._route(buf[run : token.end])
        self._out.append(banner.encode(self._encoding, "xmlcharrefreplace"))
        return token.end

    def _on_script(self, token: Token, buf: bytes, run: int) -> int:
        attrs = token.attrs
        kind = script_kind(attrs)
        marker = attrs.get(MARKER_ATTR)
        blocked = marker is not None and not self._rules.marker_allows(marker, self._consent)
        if not blocked and "src" in attrs and kind == "js":
            blocked = self._blocker("script", attrs) is not None or self._data_script_blocked(
                attrs["src"]
            )
        if blocked:
            self._route(buf[run : token.start])
            self._start_drop(token)
            return token.end
        if "src" in attrs or kind == "inert":
            return run
        # Inline code: whether it loads a tracker is in its text, so hold it.
        self._route(buf[run : token.start])
        self._mode = _HOLD
        self._hold = [token.raw]
        self._held = 0
        return token.end

    def _data_script_blocked(self, src: str) -> bool:
        cap = self._rules.config.max_inline_script
        code = data_url_text(src, limit=cap + 1)
        if code is None:
            return False
        return self._text_blocked(code[:cap], overflow=len(code.encode("utf-8")) > cap)

    def _text_blocked(self, text: str, *, overflow: bool) -> bool:
        consent = self._consent
        if any(not consent.allows_service(s) for s in self._rules.inline.services(text)):
            return True
        return overflow and self._rules.config.undeclared_third_party == "block"

    def _start_drop(self, token: Token) -> None:
        name = token.name
        if name in VOID_ELEMENTS:
            return  # the tag alone is the element
        self._mode = _DROP
        self._drop_name = name
        self._drop_depth = 1
        if name not in _GATE_WATCHED:
            self._tokenizer.watch(_GATE_WATCHED | {name}, marker=MARKER)

    def _emit_placeholder(self, service: Service, attrs: dict[str, str]) -> None:
        self._anchors += 1
        html = self._page.placeholder(
            service,
            lang=self._lang,
            absolute_urls=self._seen_base,
            width=attrs.get("width"),
            height=attrs.get("height"),
            anchor=f"cg-{service.id}-{self._anchors}",
        )
        self._out.append(html.encode(self._encoding, "xmlcharrefreplace"))

    # -- drop mode ----------------------------------------------------------------

    def _on_drop(self, token: Token, run: int) -> int:
        if token.name != self._drop_name:
            return run
        if token.kind == TokenKind.START_TAG and self._drop_name not in RAW_TEXT_ELEMENTS:
            self._drop_depth += 1
            return run
        if token.kind != TokenKind.END_TAG:
            return run
        self._drop_depth -= 1
        if self._drop_depth:
            return run
        self._mode = _PASS
        if self._drop_name not in _GATE_WATCHED:
            self._tokenizer.watch(_GATE_WATCHED, marker=MARKER)
        return token.end

    # -- hold mode ----------------------------------------------------------------

    def _on_hold(self, token: Token, buf: bytes, run: int) -> int:
        if token.kind != TokenKind.END_TAG or token.name != "script":
            return run
        self._route(buf[run : token.start])
        self._finish_hold(end_tag=token.raw)
        return token.end

    def _finish_hold(self, *, end_tag: bytes) -> None:
        held = self._hold
        self._hold = []
        self._held = 0
        self._mode = _PASS
        if self._inline_blocked(held):
            return
        self._out.extend(held)
        if end_tag:
            self._out.append(end_tag)

    def _inline_blocked(self, held: list[bytes]) -> bool:
        """Whether held inline script text (after its start tag) must go.

        Only the first ``max_inline_script`` bytes are searched, whether or not more
        arrived in the same chunk, so the answer does not depend on chunking. Beyond
        the cap the rest is unknown, and ``undeclared_third_party`` decides.
        """
        cap = self._rules.config.max_inline_script
        text = b"".join(held[1:])
        prefix = text[:cap].decode(self._encoding, "replace")
        return self._text_blocked(prefix, overflow=len(text) > cap)

    def _overflow_hold(self) -> None:
        """An inline script grew past ``max_inline_script``: decide now, stop holding."""
        held = self._hold
        self._hold = []
        self._held = 0
        if self._inline_blocked(held):
            logger.info("cookiegate: removed an inline script longer than max_inline_script")
            self._mode = _DROP
            self._drop_name = "script"
            self._drop_depth = 1
            return
        self._mode = _PASS
        self._out.extend(held)
