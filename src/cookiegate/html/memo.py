"""Whole-page memo: a page the gate has seen before is gated by one dictionary lookup.

A site serves the same rendered pages again and again (a product page, an article),
and for the same bytes, consent state and host the gate's output is always the same:
the gate is a pure function of them, apart from the fragments it asks the request for
(the banner, placeholders). So when a response body arrives whole (its
``Content-Length`` is known and the first chunk is all of it, as with Flask's and
Django's ordinary responses), :class:`MemoGate` looks the page up in a bounded table
kept on :class:`~cookiegate.html.gate.GateRules`. On a hit, the stored output is
joined around freshly rendered request fragments (the banner, click-to-load
placeholders: they carry this request's form token and return address); on a miss, the
page is gated normally and the output stored, split where the fragments went.

A fragment is replayed only where its text cannot change what the gate does around
it: not inside a held ``<noscript>`` (whose length decides whether it is kept) and not
inside a nested document (``srcdoc``, where it is escaped into an attribute). A page
with such a fragment is gated every time. Streamed bodies, and bodies larger than
:data:`BODY_LIMIT`, go through the ordinary streaming gate: the memo never delays a
stream.

The table is bounded by entries and by bytes, shared by threads (a lost race only
means a page is gated twice), and keyed by the page bytes themselves and the full
SHA-256 of the consent state, so a hit is exact: no collision of a short hash can hand
one page's or one consent state's output to another.
"""

from __future__ import annotations

import secrets

from ..config import Service
from ..consent import Consent
from ..etags import page_variant
from ..hosts import UrlResolver
from .gate import GateRules, HtmlGate, Page
from .memo_table import BODY_LIMIT, Fragment, MemoEntry, MemoKey


class _Recorder:
    """The request's page as the gate sees it while a page is being remembered.

    Fragments are rendered for this request, but the gate gets a marker in their
    place, so the stored output can be split there. Markers are random per process
    and end in ``>``, like the fragments, so the gate's choices that look at the last
    byte written are the same either way.
    """

    __slots__ = ("consent", "resolver", "variant", "_page", "gate", "fragments", "texts",
                 "replayable")  # fmt: skip

    def __init__(self, page: Page) -> None:
        self.consent: Consent = page.consent
        self.resolver: UrlResolver = page.resolver
        self.variant = page_variant(page)
        self._page = page
        self.gate: HtmlGate | None = None
        self.fragments: list[Fragment] = []
        self.texts: list[str | None] = []
        self.replayable = True

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        return self._stand_in(Fragment(None, lang, absolute_urls))

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
        fragment = Fragment(service, lang, absolute_urls, width, height, anchor)
        text = self._stand_in(fragment)
        assert text is not None  # a placeholder is always rendered
        return text

    def _stand_in(self, fragment: Fragment) -> str | None:
        text = render(self._page, fragment)
        gate = self.gate
        if gate is not None and (gate.holding_noscript or gate.gating_nested):
            self.replayable = False
            return text
        self.fragments.append(fragment)
        self.texts.append(text)
        return _marker(len(self.fragments) - 1)


def render(page: Page, fragment: Fragment) -> str | None:
    """The text of ``fragment`` for ``page``'s request."""
    if fragment.service is None:
        return page.banner(lang=fragment.lang, absolute_urls=fragment.absolute_urls)
    return page.placeholder(
        fragment.service,
        lang=fragment.lang,
        absolute_urls=fragment.absolute_urls,
        width=fragment.width,
        height=fragment.height,
        anchor=fragment.anchor,
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

    @property
    def whole_body_length(self) -> int | None:
        """The length of a body this filter gates in one piece, before it has seen any."""
        length = self._length
        return length if length is not None and 0 < length <= BODY_LIMIT else None

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
        texts = [render(page, fragment) for fragment in entry.fragments]
        return self._join(entry.pieces, texts)

    def _record(self, data: bytes) -> tuple[bytes, MemoEntry | None]:
        """Gate ``data`` for this request; also its memo entry when it can be replayed."""
        recorder = _Recorder(self._page)
        gate = HtmlGate(self._rules, recorder, encoding=self._encoding)
        recorder.gate = gate
        output = gate.feed(data) + gate.close()
        pieces: list[bytes] = []
        rest = output
        for index in range(len(recorder.fragments)):
            before, found, rest = rest.partition(self._encode(_marker(index)))
            if not found:  # pragma: no cover - no path of the gate moves or drops them
                # Never guess: gate the page again the ordinary way, unremembered.
                return self._streaming().feed(data) + self._streaming().close(), None
            pieces.append(before)
        pieces.append(rest)
        entry = MemoEntry(tuple(pieces), tuple(recorder.fragments)) if recorder.replayable else None
        return self._join(pieces, recorder.texts), entry

    def _join(self, pieces: tuple[bytes, ...] | list[bytes], texts: list[str | None]) -> bytes:
        if not texts:
            return pieces[0]
        out = [pieces[0]]
        for text, piece in zip(texts, pieces[1:], strict=True):
            if text:
                out.append(self._encode(text))
            out.append(piece)
        return b"".join(out)

    def _encode(self, text: str) -> bytes:
        return text.encode(self._encoding, "xmlcharrefreplace")


#: Stand in for fragments while a page is recorded: random per process, so no page
#: can contain them.
_TOKEN = secrets.token_hex(16)


def _marker(index: int) -> str:
    return f"<!--cookiegate-fragment-{_TOKEN}-{index}-->"
