"""Whole-page memo: a page the gate has seen before is gated by one dictionary lookup.

A site serves the same rendered pages again and again (a product page, an article),
and for the same bytes, consent state and host the gate's output is always the same:
the gate is a pure function of them, apart from the fragments it asks the request for
(the banner, placeholders). So when a response body arrives whole (its
``Content-Length`` is known and the first chunk is all of it, as with Flask's and
Django's ordinary responses), :class:`MemoGate` looks the page up in a bounded table
kept on :class:`~cookiegate.html.gate.GateRules`. On a hit, the stored output is
joined around a freshly rendered banner; on a miss, the page is gated normally and the
output stored, split where the banner went.

Only the banner is replayed. It is injected at one place (after ``<body>``, outside any
held ``<noscript>``), so the output around it does not depend on its text. Pages whose
output involves other request fragments (click-to-load placeholders carry this
request's form token and anchors) are gated every time. Streamed bodies, and bodies
larger than :data:`BODY_LIMIT`, go through the ordinary streaming gate: the memo never
delays a stream.

The table is bounded by entries and by bytes, shared by threads (a lost race only
means a page is gated twice), and keyed by the page bytes themselves, so a hit is exact:
no hash collision can hand one page's output to another.
"""

from __future__ import annotations

import secrets

from ..config import Service
from ..consent import Consent
from ..etags import page_variant
from ..hosts import UrlResolver
from .gate import GateRules, HtmlGate, Page
from .memo_table import BODY_LIMIT, MemoEntry, MemoKey


class _Recorder:
    """The request's page as the gate sees it while a page is being remembered.

    The banner is rendered for this request, but the gate gets a marker in its place,
    so the stored output can be split there. A marker is random per process and ends in
    ``>``, like the banner, so the gate's choices that look at the last byte written
    are the same either way.
    """

    __slots__ = ("consent", "resolver", "variant", "_page", "gate", "marker",
                 "banner_text", "banner_args", "replayable")  # fmt: skip

    def __init__(self, page: Page, marker: str) -> None:
        self.consent: Consent = page.consent
        self.resolver: UrlResolver = page.resolver
        self.variant = page_variant(page)
        self._page = page
        self.gate: HtmlGate | None = None
        self.marker = marker
        self.banner_text: str | None = None
        self.banner_args: tuple[str | None, bool] | None = None
        self.replayable = True

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        text = self._page.banner(lang=lang, absolute_urls=absolute_urls)
        if self.banner_args is not None or (self.gate is not None and self.gate.holding_noscript):
            # Inside a held <noscript> the banner's length can change what the gate
            # keeps, so such a page is not remembered.
            self.replayable = False
            return text
        self.banner_args = (lang, absolute_urls)
        self.banner_text = text
        return self.marker

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
        self.replayable = False
        return self._page.placeholder(
            service,
            lang=lang,
            absolute_urls=absolute_urls,
            width=width,
            height=height,
            anchor=anchor,
        )


class MemoGate:
    """A body filter that gates a whole small body through the page memo.

    ``length`` is the body's announced length. If the first chunk is the whole body,
    it is held until :meth:`close` (where it is certain nothing follows) and gated
    there in one piece; anything else is handed to an ordinary :class:`HtmlGate` at
    once, so the output is the same bytes in every case.
    """

    __slots__ = ("_rules", "_page", "_encoding", "_length", "_whole", "_gate")

    def __init__(self, rules: GateRules, page: Page, *, encoding: str, length: int) -> None:
        self._rules = rules
        self._page = page
        self._encoding = encoding
        self._length: int | None = length
        self._whole: bytes | None = None
        self._gate: HtmlGate | None = None

    def feed(self, data: bytes) -> bytes:
        if self._length is not None:
            length, self._length = self._length, None
            if len(data) == length and 0 < length <= BODY_LIMIT:
                self._whole = data
                return b""
        gate = self._streaming()
        if self._whole is not None:
            held, self._whole = self._whole, None
            return gate.feed(held) + gate.feed(data)
        return gate.feed(data)

    def close(self) -> bytes:
        if self._whole is not None:
            return self._gate_whole(self._whole)
        return self._streaming().close()

    def _streaming(self) -> HtmlGate:
        if self._gate is None:
            self._gate = HtmlGate(self._rules, self._page, encoding=self._encoding)
        return self._gate

    def _gate_whole(self, data: bytes) -> bytes:
        page = self._page
        resolver = page.resolver
        key: MemoKey = (
            data,
            (page_variant(page), resolver.document_host, resolver.base_host,
             self._encoding),
        )  # fmt: skip
        memo = self._rules.pages
        entry = memo.get(key)
        if entry is None:
            output, entry = self._record(data)
            if entry is not None:
                memo.put(key, entry)
            return output
        if entry.banner_args is None:
            return entry.pieces[0]
        lang, absolute_urls = entry.banner_args
        banner = page.banner(lang=lang, absolute_urls=absolute_urls)
        if banner is None:
            return b"".join(entry.pieces)
        return entry.pieces[0] + self._encode(banner) + entry.pieces[1]

    def _record(self, data: bytes) -> tuple[bytes, MemoEntry | None]:
        """Gate ``data`` for this request; also its memo entry when it can be replayed."""
        marker = _MARKER
        recorder = _Recorder(self._page, marker)
        gate = HtmlGate(self._rules, recorder, encoding=self._encoding)
        recorder.gate = gate
        output = gate.feed(data) + gate.close()
        if recorder.banner_args is None:
            return output, (MemoEntry((output,), None) if recorder.replayable else None)
        pieces = tuple(output.split(self._encode(marker)))
        if len(pieces) != 2:  # pragma: no cover - the marker is random per process
            raise RuntimeError("cookiegate: the banner marker was not found exactly once")
        text = recorder.banner_text
        banner = b"" if text is None else self._encode(text)
        entry = MemoEntry(pieces, recorder.banner_args) if recorder.replayable else None
        return pieces[0] + banner + pieces[1], entry

    def _encode(self, text: str) -> bytes:
        return text.encode(self._encoding, "xmlcharrefreplace")


#: Stands in for the banner while a page is recorded: random per process, so no page
#: can contain it.
_MARKER = f"<!--cookiegate-banner-{secrets.token_hex(16)}-->"
