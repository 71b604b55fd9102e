"""Response plumbing: wrap one WSGI response so its HTML body can be filtered as it streams.

To the wrapped application cookiegate *is* the server, so this module carries every PEP 3333
duty a body-rewriting middleware takes on, and nothing else: it knows no HTML and no consent.
A :class:`ResponsePolicy` decides what happens to headers and hands back a :class:`BodyFilter`
for pages worth rewriting; this module decides *whether* a body can be rewritten at all
(status, ``Content-Type``, ``Content-Encoding``), in which encoding the browser will read
it, and keeps the headers truthful when it is rewritten (``Content-Length``, ``ETag``,
``Vary``).

Guarantees, each of which a naive wrapper breaks:

- Responses that are not rewritten come back as the application's own iterable object, so
  ``wsgi.file_wrapper`` and sendfile keep working. The one exception is an application that
  calls ``start_response`` lazily (a generator): chunks pulled to learn the headers have to
  be replayed, so a replaying wrapper that forwards ``close()`` is returned instead.
- The application's iterable is closed exactly once, however the response ends: exhausted,
  abandoned by the client, abandoned before the first chunk, or cut short by an error.
- Nothing waits for the whole body: each input chunk yields whatever the filter can release.
- A filter or decoder that fails ends the body early instead of letting the rest through
  unfiltered: a privacy tool must fail closed.
- The filter only ever sees bytes in an ASCII-compatible encoding, the one the browser will
  decode the page with (BOM, then the ``Content-Type`` charset, then the ``<meta>`` prescan,
  see :mod:`cookiegate.html.encoding`). A page in UTF-16 or ISO-2022-JP is decoded, gated
  as UTF-8 and encoded back, BOM kept, so it keeps its declared charset; skipping it
  instead would let its tags through. Up to 1024 bytes are held while the prescan looks
  for a ``<meta>``, and empty chunks are yielded meanwhile, as PEP 3333 asks.

Known limit: when a response that was passed through by identity is replaced, through a
second ``start_response`` call with ``exc_info``, by an HTML error page, that page is sent
unfiltered: the app's own iterable is already in the server's hands. Error pages rarely carry
third-party tags; keeping sendfile for every non-HTML response is worth that.

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import itertools
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from werkzeug.http import parse_options_header

from .html.encoding import (
    UTF_8,
    Encoding,
    EncodingSniffer,
    Recoder,
    Sniffed,
    bom_sniff,
    get_encoding,
)

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from _typeshed import OptExcInfo

__all__ = ["BodyFilter", "ResponsePolicy", "RewritingIterable", "filter_response"]

logger = logging.getLogger(__name__)

HeaderList = list[tuple[str, str]]
Write = Callable[[bytes], object]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DECODABLE_CODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
#: Headers that describe the exact bytes of the original body; all are false once it changes.
#: Ranges are dropped too: byte offsets into the original mean nothing in the rewritten page.
_BODY_BOUND_HEADERS = frozenset(
    {"content-length", "content-md5", "content-digest", "repr-digest", "digest", "accept-ranges"}
)
#: The rewritten page depends on the consent cookie and on the GPC signal.
CONSENT_VARY = ("Cookie", "Sec-GPC")


class BodyFilter(Protocol):
    """Rewrites one response body, chunk by chunk."""

    def feed(self, data: bytes) -> bytes:
        """Take the next chunk; return the rewritten bytes that can be sent now (may be empty)."""

    def close(self) -> bytes:
        """The body ended: return everything still held back."""


class ResponsePolicy(Protocol):
    """What the middleware wants done to responses; this module only asks it."""

    def filter_headers(self, status: str, headers: HeaderList) -> HeaderList:
        """Return the headers to send; called once per ``start_response`` call, for every
        response."""

    def body_filter(self, status: str, headers: HeaderList, *, charset: str) -> BodyFilter | None:
        """Return a filter for a rewritable HTML body, or ``None`` to send it untouched.

        ``charset`` is the Python codec of the bytes the filter will see, for decoding
        attribute values and encoding injected text. It is first asked from the headers
        alone, so that the headers can be sent at once; when the body's BOM or ``<meta>``
        then decides another encoding, it is asked again with that charset, and the first
        filter, which saw no byte, is dropped.
        """


def filter_response(
    app: WSGIApplication,
    environ: WSGIEnvironment,
    start_response: StartResponse,
    policy: ResponsePolicy,
) -> Iterable[bytes]:
    """Call ``app`` and return its response body, filtered where ``policy`` asks for it.

    Headers always pass through ``policy.filter_headers``. The body is wrapped only when it
    is rewritten or when chunks had to be pulled early to learn the headers (see the module
    docstring); otherwise the application's iterable object itself is returned.
    """
    state = _ResponseState(environ, start_response, policy)
    app_iter = app(environ, state.start_response)
    if state.started and state.pipeline is None:
        return app_iter
    try:
        iterator = iter(app_iter)
        pulled = _pull_until_started(iterator, state)
        pipeline = state.pipeline
        if pipeline is not None and pipeline.whole_length is not None and not state.wrote:
            whole = _whole_body(iterator, pulled, state, pipeline)
            if whole is not None:
                return _Finished(pipeline.gate_whole(whole), app_iter)
    except BaseException:
        _close_app_iter(app_iter)
        raise
    return RewritingIterable(app_iter, itertools.chain(pulled, iterator), state)


def _whole_body(
    iterator: Iterator[bytes], pulled: list[bytes], state: _ResponseState, pipeline: _BodyPipeline
) -> bytes | None:
    """The body, if it is one chunk of the announced length and nothing follows.

    Otherwise None, with what was read left in ``pulled`` for the ordinary path: reading
    ahead is only ever by one ``next()`` past the body's announced end. An app that
    restarts its response (``start_response`` with ``exc_info``) during that read has
    abandoned what it yielded before, so those chunks are dropped, exactly as the
    ordinary path drops what the replaced filter held; and an app that calls
    ``write()`` meanwhile keeps the ordinary path too.
    """
    length = pipeline.whole_length
    if pulled or length is None:
        return None
    for chunk in iterator:
        pulled.append(chunk)
        if len(chunk) != length or state.pipeline is not pipeline or state.wrote:
            return None
        for extra in iterator:
            pulled.append(extra)
            break
        if state.pipeline is not pipeline:
            del pulled[:1]  # the whole body belonged to the abandoned response
            return None
        if len(pulled) > 1 or state.wrote:
            return None
        return chunk
    return None


class _Finished:
    """A body gated in one piece; closing it closes the application's iterable."""

    __slots__ = ("_chunks", "_app_iter", "_closed")

    def __init__(self, body: bytes, app_iter: Iterable[bytes]) -> None:
        self._chunks = (body,) if body else ()
        self._app_iter = app_iter
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _close_app_iter(self._app_iter)


def _pull_until_started(iterator: Iterator[bytes], state: _ResponseState) -> list[bytes]:
    """Advance a lazy (generator) app until it calls ``start_response``, keeping what it
    yields, as werkzeug's ``run_wsgi_app`` does: the rewrite decision needs the headers.
    Once the headers are known, a pass-through response can no longer be the app's own
    object, since the pulled chunks must be replayed."""
    pulled: list[bytes] = []
    while not state.started:
        try:
            pulled.append(next(iterator))
        except StopIteration:
            raise RuntimeError(
                "The application returned its whole body without calling start_response()."
            ) from None
    return pulled


def _close_app_iter(app_iter: Iterable[bytes]) -> None:
    close = getattr(app_iter, "close", None)
    if close is not None:
        close()


class RewritingIterable:
    """The response body as sent upstream: the app's chunks, each through the current filter.

    A class rather than a generator, because closing a generator that never started skips
    its ``finally`` and would leave the app's iterable unclosed. The filter is looked up per
    chunk because a ``start_response`` call with ``exc_info`` may replace or remove it
    mid-response.
    """

    def __init__(
        self, app_iter: Iterable[bytes], source: Iterator[bytes], state: _ResponseState
    ) -> None:
        self._app_iter = app_iter
        self._source = source
        self._state = state
        self._done = False
        self._closed = False

    def __iter__(self) -> RewritingIterable:
        return self

    def __next__(self) -> bytes:
        if self._done or self._state.has_ended_early():
            raise StopIteration
        try:
            chunk = next(self._source)
        except StopIteration:
            self._done = True
            return self._tail()
        pipeline = self._state.pipeline
        if pipeline is None:
            return chunk
        return pipeline.feed(chunk)

    def _tail(self) -> bytes:
        pipeline = self._state.pipeline
        tail = pipeline.close() if pipeline is not None else b""
        if not tail:
            raise StopIteration
        return tail

    def close(self) -> None:
        """Close the app's iterable, once, whether or not the body was read to the end."""
        if self._closed:
            return
        self._closed = True
        self._done = True
        try:
            self._source = iter(())
        finally:
            _close_app_iter(self._app_iter)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one ``start_response`` call decided: the headers to send, and the pipeline the
    body goes through (``None``: the body is sent exactly as the app produces it)."""

    headers: HeaderList
    pipeline: _BodyPipeline | None


class _ResponseState:
    """Per-request state behind the ``start_response`` handed to the app.

    It lives per request, never on the shared middleware instance, because WSGI servers run
    requests in parallel threads.
    """

    def __init__(
        self, environ: WSGIEnvironment, start_response: StartResponse, policy: ResponsePolicy
    ) -> None:
        self._environ = environ
        self._upstream = start_response
        self._policy = policy
        self._upstream_write: Write | None = None
        self.started = False
        self.wrote = False
        self.pipeline: _BodyPipeline | None = None

    def has_ended_early(self) -> bool:
        return self.pipeline is not None and self.pipeline.ended

    def start_response(
        self, status: str, headers: HeaderList, exc_info: OptExcInfo | None = None, /
    ) -> Write:
        """Decide about rewriting, then pass the (fixed) headers on right away.

        A call with ``exc_info`` is forwarded unchanged: the server re-raises it when the
        headers already went out, exactly as it would without cookiegate. Only if that call
        succeeds does the new decision replace the old one, discarding the old filter.
        """
        try:
            if self.started and exc_info is None:
                raise RuntimeError(
                    "Headers already set: start_response() was called a second time"
                    " without exc_info."
                )
            plan = _plan_response(status, headers, self._environ, self._policy)
            if exc_info is None:
                write = self._upstream(status, plan.headers)
            else:
                write = self._upstream(status, plan.headers, exc_info)
            self.started = True
            self.pipeline = plan.pipeline
            self._upstream_write = write
            return write if plan.pipeline is None else self._write
        finally:
            exc_info = None

    def _write(self, data: bytes) -> None:
        """The legacy ``write()`` callable: the bytes go through the same filter as the
        iterable's, or they would escape the gate."""
        if self._upstream_write is None:
            raise RuntimeError("write() called before start_response().")
        self.wrote = True
        if self.pipeline is None:
            self._upstream_write(data)
            return
        output = self.pipeline.feed(data)
        if output:
            self._upstream_write(output)


def _plan_response(
    status: str, headers: HeaderList, environ: WSGIEnvironment, policy: ResponsePolicy
) -> _Plan:
    """Decide how one response is sent. The policy's header filter runs first, so the
    decision is taken on the headers that will really go out, and the fix-ups made here for a
    rewritten body come last, where the policy cannot undo them."""
    headers = policy.filter_headers(status, list(headers))
    shape = _shape(status, tuple(headers))
    if shape.coding is None:
        if shape.rewritable:
            _log_undecodable(headers)
        return _Plan(headers, None)
    vary_headers = list(shape.vary_headers)
    body_filter = policy.body_filter(status, vary_headers, charset=shape.charset.scan_codec)
    if body_filter is None:
        return _Plan(vary_headers, None)
    final = list(shape.final_headers)
    if environ.get("REQUEST_METHOD") == "HEAD":
        # Same headers as the GET, but a HEAD body (empty by convention) is never touched.
        return _Plan(final, None)
    label, charset = shape.label, shape.charset

    def streaming_filter() -> BodyFilter:
        rehire = functools.partial(policy.body_filter, status, list(shape.final_headers))
        return _EncodedFilter(EncodingSniffer(label), body_filter, charset.scan_codec, rehire)

    pipeline = _BodyPipeline(_make_decoder(shape.coding), streaming_filter)
    whole_length = getattr(body_filter, "whole_body_length", None)
    if shape.whole_ok and isinstance(whole_length, int):
        # The header names the charset, so only a BOM could change the encoding: a
        # body that arrives whole and has none can skip the streaming layers.
        pipeline.whole_length = whole_length
        pipeline.whole_filter = body_filter
    return _Plan(final, pipeline)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a response's headers alone decide (see :func:`_shape`)."""

    rewritable: bool
    coding: str | None = None
    vary_headers: tuple[tuple[str, str], ...] = ()
    final_headers: tuple[tuple[str, str], ...] = ()
    label: str | None = None
    charset: Encoding = UTF_8
    whole_ok: bool = False


@functools.lru_cache(maxsize=512)
def _shape(status: str, headers: tuple[tuple[str, str], ...]) -> _Shape:
    """Whether and how a body with these (already filtered) headers is rewritten.

    A pure function of the status and headers, which repeat from response to response
    (the same ``Content-Type``, ``Vary``, often the same length), so it is cached.
    ``coding`` is None when the body is not rewritten; ``rewritable`` then says whether
    that is because its coding cannot be decoded.
    """
    listed = list(headers)
    if not _is_rewritable_html(status, listed):
        return _Shape(rewritable=False)
    coding = _content_coding(listed)
    if coding is None:
        return _Shape(rewritable=True)
    vary_headers = _merge_vary(listed, CONSENT_VARY)
    label = _charset_label(vary_headers)
    known = get_encoding(label) if label is not None else None
    charset = known or UTF_8
    final = _headers_for_rewritten_body(vary_headers, decoded=coding != "identity")
    return _Shape(
        rewritable=True,
        coding=coding,
        vary_headers=tuple(vary_headers),
        final_headers=tuple(final),
        label=label,
        charset=charset,
        whole_ok=coding == "identity" and known is not None and known.ascii_compatible,
    )


def _header(headers: HeaderList, name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _status_code(status: str) -> int | None:
    code = status[:3]
    return int(code) if code.isdigit() else None


def _is_rewritable_html(status: str, headers: HeaderList) -> bool:
    """Whether the body is a whole HTML page: not a no-body or partial response, not
    another media type. Every charset is rewritable: :class:`_EncodedFilter` converts the
    ones a bytes scanner cannot read."""
    code = _status_code(status)
    if code is None or code < 200 or code in (204, 206, 304):
        return False
    content_type = _header(headers, "content-type")
    if content_type is None or _header(headers, "content-range") is not None:
        return False
    return content_type_of(content_type)[0] in _HTML_TYPES


def _charset_label(headers: HeaderList) -> str | None:
    """The ``charset`` parameter of ``Content-Type`` as sent: a label, which only the
    Encoding Standard's table turns into an encoding (or into nothing, when unknown)."""
    content_type = _header(headers, "content-type")
    if content_type is None:
        return None
    return content_type_of(content_type)[1]


@functools.lru_cache(maxsize=256)
def content_type_of(value: str) -> tuple[str, str | None]:
    """The lower-cased media type and the ``charset`` label of a ``Content-Type`` value.

    A site sends a handful of distinct values, each on many responses, so the parse is
    cached: werkzeug's full parameter parser runs once per distinct value.
    """
    mimetype, options = parse_options_header(value)
    return mimetype.lower(), options.get("charset")


def _content_coding(headers: HeaderList) -> str | None:
    """``"identity"``, ``"gzip"`` or ``"deflate"``; ``None`` for codings this module cannot
    decode (br, zstd, compress, or several stacked)."""
    codings = [
        coding.strip().lower()
        for key, value in headers
        if key.lower() == "content-encoding"
        for coding in value.split(",")
    ]
    codings = [coding for coding in codings if coding not in ("", "identity")]
    if not codings:
        return "identity"
    if len(codings) == 1:
        return _DECODABLE_CODINGS.get(codings[0])
    return None


def _log_undecodable(headers: HeaderList) -> None:
    coding = ", ".join(value for key, value in headers if key.lower() == "content-encoding")
    logger.error(
        "cookiegate: an HTML page with Content-Encoding %r was sent UNFILTERED, its"
        " third-party tags not gated, because cookiegate cannot decode that encoding. Place"
        " CookieGate inside (wrapped by) the compression middleware so it sees plain HTML.",
        coding,
    )


def _headers_for_rewritten_body(headers: HeaderList, *, decoded: bool) -> HeaderList:
    """Make the headers true of the rewritten, streamed body.

    ``Content-Length`` goes (the server chunks or closes the connection; never add
    ``Transfer-Encoding``, which is hop-by-hop). A strong ``ETag`` is weakened so no cache
    treats two consent states' pages as byte-identical. A decoded body is sent as identity,
    and still varies with ``Accept-Encoding`` because the app's choice of coding did.
    """
    fixed: HeaderList = []
    for name, value in headers:
        key = name.lower()
        if key in _BODY_BOUND_HEADERS or (decoded and key == "content-encoding"):
            continue
        if key == "etag":
            weak = _weaken_etag(value)
            if weak is not None:
                fixed.append((name, weak))
            continue
        fixed.append((name, value))
    return _merge_vary(fixed, ("Accept-Encoding",)) if decoded else fixed


def _weaken_etag(etag: str) -> str | None:
    """``"x"`` becomes ``W/"x"``; a malformed tag is dropped, since it cannot be weakened."""
    etag = etag.strip()
    if etag.startswith("W/"):
        return etag
    if len(etag) >= 2 and etag[0] == etag[-1] == '"':
        return f"W/{etag}"
    return None


def _merge_vary(headers: HeaderList, extra: tuple[str, ...]) -> HeaderList:
    """Fold every ``Vary`` header and ``extra`` into one, case-insensitively deduplicated,
    keeping the first spelling seen. ``*`` already means "varies on everything"."""
    fields: dict[str, str] = {}
    others: HeaderList = []
    for name, value in headers:
        if name.lower() != "vary":
            others.append((name, value))
            continue
        for field in value.split(","):
            if field.strip():
                fields.setdefault(field.strip().lower(), field.strip())
    for field in extra:
        fields.setdefault(field.lower(), field)
    merged = "*" if "*" in fields else ", ".join(fields.values())
    return [*others, ("Vary", merged)]


class _Decoder(Protocol):
    def decode(self, data: bytes) -> bytes: ...

    def flush(self) -> bytes: ...


class _IdentityDecoder:
    def decode(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class _ZlibDecoder:
    """Streaming gzip or deflate decoder.

    ``deflate`` is zlib-wrapped by the RFC but raw deflate in some servers, so the first two
    bytes are checked for a zlib header (as browsers do). gzip bodies may hold several
    members back to back; each is decoded in turn.
    """

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._head = b""
        self._zobj = zlib.decompressobj(wbits=31) if coding == "gzip" else None

    def decode(self, data: bytes) -> bytes:
        if self._zobj is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            self._zobj = zlib.decompressobj(wbits=_deflate_wbits(data))
        output = self._zobj.decompress(data)
        while self._coding == "gzip" and self._zobj.eof and self._zobj.unused_data:
            rest = self._zobj.unused_data
            self._zobj = zlib.decompressobj(wbits=31)
            output += self._zobj.decompress(rest)
        return output

    def flush(self) -> bytes:
        if self._zobj is None:
            if self._head:
                raise zlib.error("deflate stream shorter than a header")
            return b""
        output = self._zobj.flush()
        if not self._zobj.eof:
            raise zlib.error("compressed stream is truncated")
        return output


def _deflate_wbits(head: bytes) -> int:
    """zlib wrapper (RFC 1950 header: method 8, window <= 32K, check bits) or raw deflate."""
    cmf, flg = head[0], head[1]
    if cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf << 8 | flg) % 31 == 0:
        return zlib.MAX_WBITS
    return -zlib.MAX_WBITS


def _make_decoder(coding: str) -> _Decoder:
    return _IdentityDecoder() if coding == "identity" else _ZlibDecoder(coding)


class _BodyPipeline:
    """Decoder then filter, failing closed.

    When decoding or filtering fails mid-body, the status line and the first bytes may have
    gone out already, so a 500 is no longer possible; raising would leave the server to cut
    the connection with a broken page. Sending the rest unfiltered would leak exactly the
    tags the visitor refused. So the error is logged and the body simply ends: a truncated
    page is the lesser evil. After a decoding error the filter still flushes what it holds,
    since that output is already gated; after a filter error the filter is not trusted again.
    """

    def __init__(self, decoder: _Decoder, make_filter: Callable[[], BodyFilter]) -> None:
        self._decoder = decoder
        self._make_filter = make_filter
        self._made: BodyFilter | None = None
        self.ended = False
        #: Set by the planner when a whole body may go straight to ``whole_filter``.
        self.whole_length: int | None = None
        self.whole_filter: BodyFilter | None = None

    def gate_whole(self, body: bytes) -> bytes:
        """The output for a complete identity-coded ``body`` (see filter_response).

        With a BOM the encoding could differ from the header's, so the body then takes
        the ordinary route; either way a failing filter ends the body, as in feed().
        """
        whole_filter = self.whole_filter
        if whole_filter is None or bom_sniff(body) is not None:
            return self.feed(body) + self.close()
        output = self._call_filter(lambda: whole_filter.feed(body) + whole_filter.close())
        self.ended = True
        return output

    @property
    def _filter(self) -> BodyFilter:
        """The streaming filter, built on first use: a whole body never needs it."""
        made = self._made
        if made is None:
            made = self._made = self._make_filter()
        return made

    def feed(self, data: bytes) -> bytes:
        if self.ended:
            return b""
        try:
            decoded = self._decoder.decode(data)
        except zlib.error as exc:
            _log_decode_error(exc)
            return self._close_filter()
        return self._call_filter(self._filter.feed, decoded)

    def close(self) -> bytes:
        if self.ended:
            return b""
        try:
            decoded = self._decoder.flush()
        except zlib.error as exc:
            _log_decode_error(exc)
            decoded = b""
        head = self._call_filter(self._filter.feed, decoded) if decoded else b""
        return head + self._close_filter()

    def _close_filter(self) -> bytes:
        output = self._call_filter(self._filter.close)
        self.ended = True
        return output

    def _call_filter(self, method: Callable[..., bytes], *args: bytes) -> bytes:
        if self.ended:
            return b""
        try:
            return method(*args)
        except Exception:
            logger.exception(
                "cookiegate: the body filter failed; the response body ends here instead of"
                " sending the rest unfiltered."
            )
            self.ended = True
            return b""


def _log_decode_error(exc: zlib.error) -> None:
    logger.error(
        "cookiegate: the compressed HTML body could not be decoded (%s); the response body"
        " ends here. Check the compression middleware inside CookieGate.",
        exc,
    )


class _EncodedFilter:
    """The body filter as the pipeline sees it: bytes in the page's own encoding in and out.

    It holds the first bytes until the encoding is certain (a BOM cannot be ruled out
    before the first byte, a ``<meta>`` before 1024 bytes when the header names no
    charset), then passes the BOM through untouched and gives the filter the rest: as is
    when the encoding is ASCII-compatible, else converted to UTF-8 and the filter's output
    converted back by a :class:`~cookiegate.html.encoding.Recoder`.
    """

    def __init__(
        self,
        sniffer: EncodingSniffer,
        body_filter: BodyFilter,
        charset: str,
        rehire: Callable[..., BodyFilter | None],
    ) -> None:
        self._sniffer: EncodingSniffer | None = sniffer
        self._filter: BodyFilter | None = body_filter
        self._charset = charset
        self._rehire = rehire
        self._recoder: Recoder | None = None

    def feed(self, data: bytes) -> bytes:
        if self._sniffer is not None:
            sniffed = self._sniffer.feed(data)
            return b"" if sniffed is None else self._start(sniffed)
        return self._feed(data)

    def close(self) -> bytes:
        head = b"" if self._sniffer is None else self._start(self._sniffer.close())
        if self._filter is None:
            return head
        if self._recoder is None:
            return head + self._filter.close()
        text = self._recoder.to_utf8(b"", final=True)
        output = (self._filter.feed(text) if text else b"") + self._filter.close()
        return head + self._recoder.from_utf8(output, final=True)

    def _start(self, sniffed: Sniffed) -> bytes:
        """The encoding is decided: pick the filter for it and release what was held."""
        self._sniffer = None
        encoding = sniffed.encoding
        if encoding.scan_codec != self._charset:
            logger.debug(
                "cookiegate: the body's %s decided the encoding %s; the filter made for"
                " %r is replaced by one for %r.",
                sniffed.source,
                encoding.name,
                self._charset,
                encoding.scan_codec,
            )
            self._filter = self._rehire(charset=encoding.scan_codec)
        if not encoding.ascii_compatible:
            self._recoder = Recoder(encoding)
        bom, rest = sniffed.held[: sniffed.bom_length], sniffed.held[sniffed.bom_length :]
        return bom + self._feed(rest)

    def _feed(self, data: bytes) -> bytes:
        if self._filter is None:
            return data
        if self._recoder is None:
            return self._filter.feed(data)
        text = self._recoder.to_utf8(data)
        return self._recoder.from_utf8(self._filter.feed(text) if text else b"")
