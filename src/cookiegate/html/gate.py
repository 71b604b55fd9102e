"""The tag gate: a streaming filter that removes non-consented tags from HTML bytes.

The gate never parses and re-serialises the page. It follows the tokenizer over the
original bytes and either copies them through untouched or drops the exact byte range
of a blocked element (start tag to matching end tag, or the single tag of a void
element), so everything the gate did not act on leaves byte for byte as the app wrote
it, and the gate cannot create markup that was not there. The few edits that are not
deletions are confined to one tag: cutting a fetching attribute (``background``) out of
it, or replacing a nested document (``srcdoc``, a ``data:text/html`` frame) with its own
gated version.

Three modes drive it:

* pass: bytes flow through; watched start tags are checked as they arrive;
* drop: inside a blocked element; bytes are discarded up to its matching end tag;
* hold: inside an inline ``<script>``; its text is kept until ``</script>`` (or until
  ``max_inline_script`` bytes) because whether it loads a tracker is only known from
  its text.

``<noscript>`` content is markup for a visitor with scripting off, and gated as such.
For a visitor with scripting on it is raw text that ends at the first ``</noscript``,
wherever that is, even inside an attribute value of the markup reading. The gate holds
each top-level ``<noscript>`` and removes it whole if the two readings disagree, so the
gated page cannot make a load for either visitor.

Working memory is the tokenizer's unfinished tail plus, in hold mode, the script text
and any ``<noscript>`` content: bounded by the chunk size, the longest tag and
``max_inline_script``.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..config import Config, Service
from ..consent import Consent
from ..consent_mode import ATTRIBUTE as CONSENT_MODE_ATTR
from ..consent_mode import loads_before_consent
from ..etags import page_variant
from ..hosts import FIRST_PARTY, HostMatcher, UrlResolver
from .memo_table import PageMemo
from .rules import (
    CUT_ATTRS,
    HTML_ELEMENTS,
    MARKER,
    MARKER_ATTR,
    RAW_TEXT_ELEMENTS,
    URL_LITERAL,
    VOID_ELEMENTS,
    WATCHED,
    InlineMatcher,
    InlineSignatures,
    data_url_payload,
    javascript_url_code,
    script_kind,
    tag_urls,
)
from .tokenizer import Token, Tokenizer, TokenKind

logger = logging.getLogger("cookiegate")

_GATE_WATCHED = WATCHED | {"body"}
_PLACEHOLDER_ELEMENTS = frozenset({"iframe", "embed", "object", "frame"})
_NESTED_DOCUMENT_ELEMENTS = frozenset({"iframe", "frame", "embed", "object"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "image/svg+xml"})
# What ends <noscript> for a visitor with scripting on (RAWTEXT "appropriate end tag").
_NOSCRIPT_END = re.compile(rb"</noscript[\t\n\f\r />]", re.IGNORECASE)
_PASS, _DROP, _HOLD = 0, 1, 2
#: Event handlers that only run when the visitor acts: not gated (see _blocked_handlers).
_USER_ACTIONS = frozenset(
    {"onclick", "ondblclick", "onauxclick", "oncontextmenu", "onsubmit", "onreset",
     "onchange", "oninput", "onkeydown", "onkeyup", "onkeypress", "oncopy", "oncut",
     "onpaste", "ondrop"}
)  # fmt: skip


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
    #: Remembered per-tag decisions (see HtmlGate._decide); bounded, shared by threads
    #: (a lost race only means a decision is computed twice).
    decisions: dict[tuple[bytes, tuple[object, ...]], tuple[str | None, bytes | None]] = field(
        default_factory=dict, compare=False, repr=False
    )
    #: Remembered whole pages (see :mod:`cookiegate.html.memo`); bounded, shared by threads.
    pages: PageMemo = field(default_factory=PageMemo, compare=False, repr=False)

    @classmethod
    def from_config(cls, config: Config) -> GateRules:
        matcher = HostMatcher(config)
        return cls(config=config, hosts=matcher, inline=InlineMatcher.from_config(config, matcher))

    def host_allowed(self, host: str | None, consent: Consent, resolver: UrlResolver) -> bool:
        """Whether a fetch from ``host`` is allowed for this visitor."""
        return self.host_owner(host, consent, resolver) is None

    def host_owner(
        self, host: str | None, consent: Consent, resolver: UrlResolver, *, early: bool = False
    ) -> str | None:
        """None if a fetch from ``host`` may happen; else who blocks it.

        The answer is a service id, or ``""`` for an undeclared third party under
        ``undeclared_third_party: block``. ``early``: see :meth:`service_allowed`.
        """
        if host is None or host == resolver.document_host:
            return None
        owner = self.hosts.classify(host)
        if owner == FIRST_PARTY:
            return None
        if owner is not None:
            return None if self.service_allowed(owner, consent, early=early) else owner
        return None if self.config.undeclared_third_party == "allow" else ""

    def service_allowed(self, service: str, consent: Consent, *, early: bool = False) -> bool:
        """Whether the tags of ``service`` may stay for this visitor.

        ``early`` is for script (``<script>``, inline code, handlers) on a page that
        carries the Google Consent Mode script: then the ``load_before_consent``
        services stay too, to start in the denied state (see :mod:`cookiegate.consent_mode`).
        """
        if consent.allows_service(service):
            return True
        return early and loads_before_consent(self.config, service, consent)

    def blocking_owner(
        self, urls: Iterable[str], consent: Consent, resolver: UrlResolver, *, early: bool = False
    ) -> str | None:
        """The first owner that blocks one of ``urls``, or None when all may load."""
        for url in urls:
            owner = self.host_owner(resolver.host(url), consent, resolver, early=early)
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


class _NestedPage:
    """The page of a nested document (``srcdoc``): no banner, first-party absolute URLs."""

    __slots__ = ("consent", "variant", "resolver", "_parent")

    def __init__(self, parent: Page) -> None:
        self.consent = parent.consent
        self.variant = page_variant(parent)
        self.resolver = parent.resolver.child()
        self._parent = parent

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        return None

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
        return self._parent.placeholder(
            service, lang=lang, absolute_urls=True, width=width, height=height, anchor=anchor
        )


class HtmlGate:
    """Streaming filter for one HTML response body (see the module docstring)."""

    def __init__(
        self,
        rules: GateRules,
        page: Page,
        *,
        encoding: str = "utf-8",
        depth: int = 0,
        prelude: str | None = None,
        early: bool = False,
    ) -> None:
        """``prelude``: markup to put before the page's first script (the Google Consent
        Mode script); ``early``: let ``load_before_consent`` services' scripts stay
        (see :meth:`GateRules.service_allowed`)."""
        self._rules = rules
        self._page = page
        self._consent = page.consent
        self._encoding = encoding
        self._depth = depth
        self._cap = rules.config.max_inline_script
        self._signatures: InlineSignatures = rules.inline.signatures(encoding)
        self._tokenizer = Tokenizer(encoding=encoding)
        self._tokenizer.watch(_GATE_WATCHED, marker=MARKER, event_handlers=True)
        self._buf = b""
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._out: list[bytes] = []
        self._mode = _PASS
        self._drop_name = ""
        self._drop_depth = 0
        self._hold: list[bytes] = []
        self._held = 0
        self._hold_poisoned = False
        self._hold_fetches = False
        self._hold_foreign = False
        self._noscript_depth = 0
        self._noscript_outer: list[bytes] = []
        self._noscript_tag = 0
        self._lang: str | None = None
        self._seen_html = False
        self._seen_base = False
        self._sent_tail = b""
        self._context: tuple[object, ...] | None = None
        self._deleted_in_foreign = False
        self._banner_done = False
        self._anchors = 0
        self._nesting = 0
        self._prelude = None if prelude is None else prelude.encode(encoding, "xmlcharrefreplace")
        self._consent_mode = prelude is not None
        self._early = early

    # -- the BodyFilter interface -------------------------------------------------

    @property
    def holding_noscript(self) -> bool:
        """Whether the gate is inside a ``<noscript>`` it holds until both readings agree."""
        return self._noscript_depth > 0

    @property
    def gating_nested(self) -> bool:
        """Whether the gate is gating a nested document (``srcdoc``, ``data:`` frame)."""
        return self._nesting > 0

    def feed(self, data: bytes) -> bytes:
        """Gate the next chunk; returns what can be sent now."""
        if len(self._buf) > _DEFER_AT:
            # The tokenizer is holding a very long unfinished tag: nothing can be sent
            # before it ends, and re-joining the buffer on every chunk would copy it
            # again each time (quadratic). Scan again once the new bytes reach an eighth
            # of it: geometric growth, so linear time, and little extra memory.
            self._pending.append(data)
            self._pending_size += len(data)
            if self._pending_size < len(self._buf) // 8:
                return b""
            data = self._join_pending()
        self._buf = self._buf + data if self._buf else data
        self._run(final=False)
        return self._take()

    def _join_pending(self) -> bytes:
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        return data

    def close(self) -> bytes:
        """End of body: gate what is left and return it."""
        if self._pending:
            self._buf += self._join_pending()
        self._run(final=True)
        if self._mode == _HOLD:
            # The script ran to the end of the document; browsers execute it anyway.
            self._finish_hold(end_tag=b"")
        if self._noscript_depth:
            # Scripting on, an unclosed <noscript> hides the rest; scripting off, it is
            # markup. Both readings agree only if no "</noscript" hides in its content.
            self._noscript_depth = 1
            self._close_noscript(end_tag=b"")
        return self._take()

    # -- driving the tokenizer ----------------------------------------------------

    def _take(self) -> bytes:
        # Inside a held <noscript>, ``_out`` is the hold; what may be sent is outside.
        ready = self._noscript_outer if self._noscript_depth else self._out
        out = b"".join(ready)
        ready.clear()
        if out:
            self._sent_tail = out[-1:]
        return out

    def _begin_deletion(self, token: Token) -> None:
        """Start removing ``token``'s element: keep the output parseable as the input.

        Records whether the tree was in SVG/MathML before the element, so that the end
        of the deletion can put the browser back where the tokenizer is (see _resync).
        """
        self._separate()
        self._deleted_in_foreign = token.foreign

    def _resync(self) -> None:
        """After a deletion, make the browser's tree state match the tokenizer's again.

        A deleted ``<img>`` inside ``<svg>`` (or anything that held one) also closed the
        SVG subtree for the tokenizer; without it, the browser would read what follows
        as SVG, where ``<script>`` text is markup that can load. An empty ``<meta>``
        breaks out of foreign content the same way, and does nothing else.
        """
        if self._deleted_in_foreign and not self._tokenizer.in_foreign_content:
            self._out.append(b"<meta>")
        self._deleted_in_foreign = False

    def _separate(self) -> None:
        """Keep a deletion from splicing a new tag together.

        In ``<<img src=a>img src=b>`` the first ``<`` is text; deleting the tag after it
        would leave ``<img src=b>``, a tag the page never had. An empty comment after a
        text ``<`` keeps it text. Called where each deletion starts.
        """
        if self._last_byte() == b"<":
            self._out.append(b"<!---->")

    def _last_byte(self) -> bytes:
        lists = (self._out, self._noscript_outer) if self._noscript_depth else (self._out,)
        for pieces in lists:
            for piece in reversed(pieces):
                if piece:
                    return piece[-1:]
        return self._sent_tail

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
        if self._mode == _HOLD and self._held > self._cap:
            self._overflow_hold()
        if self._noscript_depth and self._noscript_size() > self._cap:
            self._overflow_noscript()

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
        name = token.name
        if token.kind != TokenKind.START_TAG:
            if name == "noscript" and self._noscript_depth:
                return self._end_noscript(token, buf, run)
            return run
        if name == "script":
            return self._on_script(token, buf, run)
        if name == "noscript":
            return self._start_noscript(token, buf, run)
        if name == "html" and not self._seen_html:
            self._seen_html = True
            self._lang = token.attrs.get("lang") or None
        elif name == "base" and "href" in token.attrs:
            return self._on_base(token, buf, run)
        blocker, rewritten = self._decide(token)
        if blocker is None:
            if rewritten is not None:
                self._route(buf[run : token.start])
                self._out.append(rewritten)
                run = token.end
            return self._on_body(token, buf, run) if name == "body" else run
        self._route(buf[run : token.start])
        self._begin_deletion(token)
        self._start_drop(token)
        service = self._rules.config.service(blocker) if blocker else None
        if service is not None and service.placeholder and name in _PLACEHOLDER_ELEMENTS:
            self._emit_placeholder(service, token.attrs)
        if self._mode != _DROP:
            self._resync()
        return token.end

    def _decide(self, token: Token) -> tuple[str | None, bytes | None]:
        """Who blocks this start tag, or else its rewritten bytes (None: unchanged).

        For the tags handled here the answer depends only on the tag's bytes, the
        consent state, the base URL, the encoding and the nesting depth, and a site's
        pages repeat the same tags on every request; so answers are remembered in a
        bounded table shared by all requests (see :class:`GateRules`).
        """
        # A gated nested document can hold a placeholder form with this request's token
        # and URLs in it, and very long tags would crowd the table: neither is shared.
        if token.name in _NESTED_DOCUMENT_ELEMENTS or len(token.raw) > _DECISION_TAG_LIMIT:
            return self._fresh_decision(token)
        key = (token.raw, self._decision_context())
        cached = self._rules.decisions.get(key)
        if cached is not None:
            return cached
        decision = self._fresh_decision(token)
        decisions = self._rules.decisions
        if len(decisions) >= _DECISIONS_LIMIT:
            decisions.clear()
        decisions[key] = decision
        return decision

    def _fresh_decision(self, token: Token) -> tuple[str | None, bytes | None]:
        blocker = self._blocker(token.name, token.attrs)
        return blocker, self._rewritten_tag(token) if blocker is None else None

    def _decision_context(self) -> tuple[object, ...]:
        context = self._context
        if context is None:
            resolver = self._page.resolver
            context = self._context = (
                page_variant(self._page),
                resolver.document_host,
                resolver.base_host,
                resolver.base_url if self._seen_base else "",
                self._encoding,
                self._depth,
                self._early,
            )
        return context

    def _blocker(self, name: str, attrs: dict[str, str]) -> str | None:
        """Who blocks this tag: a service id, "" for policy or marker, None if it stays."""
        marker = attrs.get(MARKER_ATTR)
        if marker is not None and not self._rules.marker_allows(marker, self._consent):
            return self._marker_service(marker)
        owner = self._rules.blocking_owner(
            tag_urls(name, attrs),
            self._consent,
            self._page.resolver,
            early=self._early and name == "script",
        )
        if owner is None and name in _NESTED_DOCUMENT_ELEMENTS:
            return self._nested_blocker(name, attrs)
        return owner

    def _marker_service(self, marker: str) -> str:
        name = marker.strip().lower()
        return name if self._rules.config.service(name) is not None else ""

    def _on_base(self, token: Token, buf: bytes, run: int) -> int:
        """Apply the first ``<base href>``; remove any that points at a blocked host.

        Which ``<base>`` a browser applies depends on the tree (not one inside
        ``<svg>`` or ``<template>``), and images resolve against the base in effect
        after parsing; removing every base that would send relative URLs to a blocked
        host makes all those readings safe without modelling them.
        """
        href = token.attrs["href"]
        if not self._allowed_url(href) or self._blocker("base", token.attrs) is not None:
            self._route(buf[run : token.start])
            self._begin_deletion(token)
            self._resync()
            return token.end
        if not self._seen_base:
            self._seen_base = True
            self._page.resolver.set_base(href)
            self._context = None
        return run

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
        if self._prelude is not None:
            run = self._emit_prelude(self._prelude, token, buf, run)
        kind = script_kind(attrs)
        marker = attrs.get(MARKER_ATTR)
        blocked = marker is not None and not self._rules.marker_allows(marker, self._consent)
        # A consent-mode script already in the page (a second pass, a cached copy) may
        # carry another state: the one just emitted replaces it.
        blocked = blocked or (self._consent_mode and CONSENT_MODE_ATTR in attrs)
        has_url = any(a in attrs for a in ("src", "href", "xlink:href"))
        if not blocked and has_url and kind == "js":
            blocked = self._blocker("script", attrs) is not None or self._data_script_blocked(
                attrs.get("src") or attrs.get("href") or attrs.get("xlink:href") or ""
            )
        # In SVG a script is ordinary markup; "/>" closes it and no raw text follows.
        in_html = self._tokenizer.state == "script"
        if blocked:
            self._route(buf[run : token.start])
            self._begin_deletion(token)
            if in_html or not token.self_closing:
                self._start_drop(token)
            if self._mode != _DROP:
                self._resync()
            return token.end
        if has_url or kind == "inert" or (token.self_closing and not in_html):
            return run
        # Inline code: whether it loads a tracker is in its text, so hold it.
        self._route(buf[run : token.start])
        self._mode = _HOLD
        self._hold = [token.raw]
        self._held = 0
        self._hold_poisoned = False
        self._hold_fetches = kind == "fetching"
        self._hold_foreign = token.foreign
        return token.end

    def _emit_prelude(self, prelude: bytes, token: Token, buf: bytes, run: int) -> int:
        """Emit the prelude right before the first script that a browser would run.

        Scripts run in document order, and ``async``/``defer``/module scripts after
        the inline prelude, so it runs before any other. A script inside ``<noscript>``
        (text for a visitor with scripting on) or inside SVG/MathML does not count: the
        prelude goes before the next script in HTML. (``<template>`` content is not
        tracked; a page whose first script is inside one gets the prelude there.)
        """
        if token.foreign or self._noscript_depth:
            return run
        self._route(buf[run : token.start])
        self._out.append(prelude)
        self._prelude = None
        return token.start

    def _data_script_blocked(self, src: str) -> bool:
        payload = data_url_payload(src, limit=self._cap + 1)
        if payload is None:
            return False
        code = payload[1]
        return self._text_blocked(code[: self._cap], overflow=len(code) > self._cap)

    def _text_blocked(self, text: bytes, *, overflow: bool) -> bool:
        consent = self._consent
        services = self._rules.inline.services(text, self._signatures)
        if any(not self._rules.service_allowed(s, consent, early=self._early) for s in services):
            return True
        return overflow and self._rules.config.undeclared_third_party == "block"

    def _start_drop(self, token: Token) -> None:
        name = token.name
        if name in VOID_ELEMENTS or (token.self_closing and name not in HTML_ELEMENTS):
            return  # the tag alone is the element
        self._mode = _DROP
        self._drop_name = name
        self._drop_depth = 1
        if name not in _GATE_WATCHED:
            self._tokenizer.watch(_GATE_WATCHED | {name}, marker=MARKER, event_handlers=True)

    def _emit_placeholder(self, service: Service, attrs: dict[str, str]) -> None:
        self._anchors += 1
        html = self._page.placeholder(
            service,
            lang=self._lang,
            absolute_urls=self._seen_base or self._depth > 0,
            width=attrs.get("width"),
            height=attrs.get("height"),
            anchor=f"cg-{service.id}-{self._anchors}",
        )
        self._out.append(html.encode(self._encoding, "xmlcharrefreplace"))

    # -- edits confined to one tag ------------------------------------------------

    def _rewritten_tag(self, token: Token) -> bytes | None:
        """The tag with blocked attributes cut or nested documents gated; None if unchanged."""
        name = token.name
        cut = CUT_ATTRS.get(name)
        edits: list[tuple[str, bytes]] = []
        attrs = token.attrs
        if cut is not None and cut in attrs and not self._allowed_url(attrs[cut]):
            edits.append((cut, b""))
        if name in ("iframe", "frame"):
            edits.extend(self._nested_edits(attrs))
        edits.extend((attr, b"") for attr in self._blocked_handlers(attrs))
        if not edits:
            return None
        return _edit_attributes(token, dict(edits))

    def _blocked_handlers(self, attrs: dict[str, str]) -> list[str]:
        """Event handler attributes (``onload=...``) whose code names a blocked service.

        Handlers for events that fire on their own (``onerror`` on a broken image fires
        at once) are judged like inline scripts; only the attribute goes. Handlers of
        deliberate actions (``onclick``, ``onsubmit``...) are the visitor's own doing,
        like following a link, which the gate never touches either.
        """
        blocked: list[str] = []
        for attr, value in attrs.items():
            if attr.startswith("on") and attr not in _USER_ACTIONS and value:
                code = value.encode(self._encoding, "replace")
                if self._text_blocked(code[: self._cap], overflow=len(code) > self._cap):
                    blocked.append(attr)
        return blocked

    def _allowed_url(self, url: str) -> bool:
        resolver = self._page.resolver
        return self._rules.host_allowed(resolver.host(url), self._consent, resolver)

    def _nested_edits(self, attrs: dict[str, str]) -> list[tuple[str, bytes]]:
        edits: list[tuple[str, bytes]] = []
        srcdoc = attrs.get("srcdoc")
        if srcdoc is not None:
            gated = self._gate_nested(srcdoc.encode("utf-8"))
            if gated is not None:
                text = gated.decode("utf-8", "replace")
                escaped = text.replace("&", "&amp;").replace('"', "&quot;")
                attribute = f'srcdoc="{escaped}"'
                edits.append(("srcdoc", attribute.encode(self._encoding, "xmlcharrefreplace")))
        payload = data_url_payload(attrs.get("src", ""), limit=_NESTED_LIMIT)
        if payload is not None and payload[0] in _HTML_TYPES:
            gated = self._gate_nested(payload[1])
            if gated is not None:
                encoded = base64.b64encode(gated).decode("ascii")
                edits.append(("src", f'src="data:{payload[0]};base64,{encoded}"'.encode("ascii")))
        return edits

    def _nested_blocker(self, name: str, attrs: dict[str, str]) -> str | None:
        """For ``<embed>``/``<object>`` holding a ``data:`` HTML document: gate it or block.

        Their URL cannot be rewritten in place as simply as a frame's, so an embedded
        document that would lose anything to the gate blocks the whole element.
        """
        url = attrs.get("data" if name == "object" else "src", "")
        code = javascript_url_code(url)
        if code is not None:
            blocked = self._text_blocked(code[: self._cap], overflow=len(code) > self._cap)
            return "" if blocked else None
        if name in ("iframe", "frame"):
            return None
        payload = data_url_payload(url, limit=_NESTED_LIMIT)
        if payload is None or payload[0] not in _HTML_TYPES:
            return None
        return "" if self._gate_nested(payload[1]) is not None else None

    def _gate_nested(self, html: bytes) -> bytes | None:
        """The gated nested document if the gate changed it, else None."""
        if self._depth >= _MAX_NESTING or len(html) >= _NESTED_LIMIT:
            return b""  # too deep or too big to inspect: empty is the safe document
        nested = HtmlGate(self._rules, _NestedPage(self._page), depth=self._depth + 1)
        self._nesting += 1
        try:
            gated = nested.feed(html) + nested.close()
        finally:
            self._nesting -= 1
        return None if gated == html else gated

    # -- noscript: both readings must agree ----------------------------------------

    def _start_noscript(self, token: Token, buf: bytes, run: int) -> int:
        marker = token.attrs.get(MARKER_ATTR)
        if marker is not None and not self._rules.marker_allows(marker, self._consent):
            self._route(buf[run : token.start])
            self._begin_deletion(token)
            self._start_drop(token)
            return token.end
        if self._noscript_depth == 0:
            self._route(buf[run : token.start])
            self._noscript_outer = self._out
            self._out = []
            self._noscript_tag = token.end - token.start
            run = token.start
        self._noscript_depth += 1
        return run

    def _end_noscript(self, token: Token, buf: bytes, run: int) -> int:
        self._noscript_depth -= 1
        if self._noscript_depth:
            return run
        self._route(buf[run : token.start])
        return token.start if self._close_noscript(end_tag=token.raw) else token.end

    def _close_noscript(self, *, end_tag: bytes) -> bool:
        """Release a held ``<noscript>``; True if it is kept (its end tag then follows)."""
        held = b"".join(self._out)
        self._out = self._noscript_outer
        self._noscript_outer = []
        self._noscript_depth = 0
        content = held[self._noscript_tag :]
        if _NOSCRIPT_END.search(content) or len(content) > self._cap:
            logger.info("cookiegate: removed a <noscript> that reads differently with scripting on")
            self._separate()
            return False
        self._out.append(held)
        return True

    def _noscript_size(self) -> int:
        return sum(len(piece) for piece in self._out) + self._held

    def _overflow_noscript(self) -> None:
        """A ``<noscript>`` grew past ``max_inline_script``: remove it whole."""
        depth = self._noscript_depth
        self._out = self._noscript_outer
        self._noscript_outer = []
        self._noscript_depth = 0
        self._separate()
        self._hold = []
        self._held = 0
        self._mode = _DROP
        self._drop_name = "noscript"
        self._drop_depth = depth

    # -- drop mode ----------------------------------------------------------------

    def _on_drop(self, token: Token, run: int) -> int:
        if token.name != self._drop_name:
            return run
        if token.kind == TokenKind.START_TAG and self._drop_name not in RAW_TEXT_ELEMENTS:
            if not token.self_closing or token.name in HTML_ELEMENTS:
                self._drop_depth += 1
            return run
        if token.kind != TokenKind.END_TAG:
            return run
        self._drop_depth -= 1
        if self._drop_depth:
            return run
        self._mode = _PASS
        if self._drop_name not in _GATE_WATCHED:
            self._tokenizer.watch(_GATE_WATCHED, marker=MARKER, event_handlers=True)
        self._resync()
        return token.end

    # -- hold mode ----------------------------------------------------------------

    def _on_hold(self, token: Token, buf: bytes, run: int) -> int:
        if token.kind == TokenKind.START_TAG:
            # Only an SVG script has tags inside; some (<img>) break out into HTML and
            # load. One that the gate would block condemns the whole script.
            if self._blocker(token.name, token.attrs) is not None:
                self._hold_poisoned = True
            return run
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
            self._separate()
            self._deleted_in_foreign = self._hold_foreign
            self._resync()
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
        if self._hold_poisoned:
            return True
        text = b"".join(held[1:])
        if self._hold_fetches and self._urls_blocked(text[: self._cap]):
            return True
        return self._text_blocked(text[: self._cap], overflow=len(text) > self._cap)

    def _urls_blocked(self, text: bytes) -> bool:
        """Whether data that lists URLs to fetch (speculation rules) names a blocked one."""
        urls = (m.decode(self._encoding, "replace") for m in URL_LITERAL.findall(text))
        return self._rules.blocking_owner(urls, self._consent, self._page.resolver) is not None

    def _overflow_hold(self) -> None:
        """An inline script grew past ``max_inline_script``: decide now, stop holding."""
        held = self._hold
        self._hold = []
        self._held = 0
        if self._inline_blocked(held):
            logger.info("cookiegate: removed an inline script longer than max_inline_script")
            self._separate()
            self._deleted_in_foreign = self._hold_foreign
            self._mode = _DROP
            self._drop_name = "script"
            self._drop_depth = 1
            return
        self._mode = _PASS
        self._out.extend(held)


#: Remembered tag decisions before the table is emptied, and the longest tag remembered:
#: together they bound the table to a few megabytes in the worst case.
_DECISIONS_LIMIT = 4096
_DECISION_TAG_LIMIT = 1024
#: Held-back bytes beyond which new chunks are collected before scanning again.
_DEFER_AT = 64 * 1024
#: Nested documents (srcdoc, data: frames) deeper than this are emptied, not parsed.
_MAX_NESTING = 3
#: Nested documents larger than this are emptied: the gate will not hold more.
_NESTED_LIMIT = 1024 * 1024


def _edit_attributes(token: Token, edits: dict[str, bytes]) -> bytes:
    """``token.raw`` with each named attribute replaced by its bytes in ``edits``."""
    raw = token.raw
    pieces: list[bytes] = []
    last = 0
    for name, start, end in token.attr_spans:
        if name in edits:
            pieces.append(raw[last:start])
            pieces.append(edits[name])
            last = end
    pieces.append(raw[last:])
    return b"".join(pieces)
