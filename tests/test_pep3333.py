"""PEP 3333 duties of the response plumbing: close(), identity, write(), lazy starts, exc_info.

The inner app runs under ``wsgiref.validate.validator`` and the whole stack under werkzeug's
``LintMiddleware``, so a protocol slip (an unclosed iterable, a read after close, a bad
header) fails the test through ``filterwarnings = error`` or an ``AssertionError``.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from wsgiref.handlers import SimpleHandler
from wsgiref.simple_server import WSGIRequestHandler, make_server
from wsgiref.util import FileWrapper
from wsgiref.validate import validator

import pytest
from werkzeug.datastructures import Headers
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.test import Client, EnvironBuilder, run_wsgi_app

from cookiegate._wsgi import BodyFilter, RewritingIterable, filter_response

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from _typeshed import OptExcInfo

HTML = [("Content-Type", "text/html; charset=utf-8")]
TEXT = [("Content-Type", "text/plain")]


class UpperFilter:
    """Rewrites every byte it sees, so filtered and unfiltered output differ visibly."""

    def feed(self, data: bytes) -> bytes:
        return data.upper()

    def close(self) -> bytes:
        return b"<!--END-->"


class HoldFilter:
    """Holds the whole body back until close(), the worst case for streaming."""

    def __init__(self) -> None:
        self.held: list[bytes] = []

    def feed(self, data: bytes) -> bytes:
        self.held.append(data)
        return b""

    def close(self) -> bytes:
        return b"[" + b"".join(self.held) + b"]"


class FailingFilter:
    """Upper-cases the first chunk, then breaks, like a buggy rewriter."""

    def __init__(self) -> None:
        self.fed = 0

    def feed(self, data: bytes) -> bytes:
        self.fed += 1
        if self.fed > 1:
            raise ValueError("rewriter bug")
        return data.upper()

    def close(self) -> bytes:
        raise AssertionError("a failed filter must not be closed")


@dataclass
class Policy:
    make_filter: Callable[[], BodyFilter | None] = UpperFilter
    header_calls: list[str] = field(default_factory=list)
    filters: list[BodyFilter | None] = field(default_factory=list)

    def filter_headers(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        self.header_calls.append(status)
        return headers

    def body_filter(
        self, status: str, headers: list[tuple[str, str]], *, charset: str
    ) -> BodyFilter | None:
        made = self.make_filter()
        self.filters.append(made)
        return made


class CountingBody:
    """An app iterable that counts close() calls and how far it was read."""

    def __init__(self, chunks: Iterable[bytes], *, fail_at: int | None = None) -> None:
        self._chunks = list(chunks)
        self._fail_at = fail_at
        self.produced = 0
        self.closes = 0

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self._chunks):
            if index == self._fail_at:
                raise OSError("database went away")
            self.produced += 1
            yield chunk

    def close(self) -> None:
        self.closes += 1


def body_app(
    body: CountingBody, headers: list[tuple[str, str]] = HTML, status: str = "200 OK"
) -> WSGIApplication:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(status, list(headers))
        return body

    return app


def stack(inner: WSGIApplication, policy: Policy) -> WSGIApplication:
    """The test stack: lint outside, cookiegate plumbing, validator around the app."""
    checked = validator(inner)

    def gate(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ["wsgi.input"] = FullInput(environ["wsgi.input"])
        return filter_response(checked, environ, start_response, policy)

    return LintMiddleware(gate)


@dataclass
class Fetched:
    status_code: int
    headers: Headers
    data: bytes


def fetch(app: WSGIApplication, method: str = "GET") -> Fetched:
    """One request through werkzeug's test client, closing the response like a server."""
    response = Client(app).open("/", method=method)
    try:
        return Fetched(response.status_code, response.headers, response.get_data())
    finally:
        response.close()


class FullInput:
    """werkzeug lint's input stream lacks readlines(), which the validator insists on."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)  # type: ignore[no-any-return]

    def readline(self, size: int = -1) -> bytes:
        return self._stream.readline(size)  # type: ignore[no-any-return]

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")


def plain_environ(method: str = "GET") -> WSGIEnvironment:
    environ: WSGIEnvironment = EnvironBuilder(method=method).get_environ()
    return environ


@dataclass
class Upstream:
    """A recording stand-in for the server's start_response."""

    calls: list[tuple[str, list[tuple[str, str]], Any]] = field(default_factory=list)
    written: list[bytes] = field(default_factory=list)

    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
    ) -> Callable[[bytes], object]:
        self.calls.append((status, headers, exc_info))
        return self.written.append


def run_handler(app: WSGIApplication) -> tuple[bytes, bytes, str]:
    """Serve one GET with wsgiref's own PEP 3333 handler; return (head, body, stderr)."""
    stdout, stderr = io.BytesIO(), io.StringIO()
    environ = dict(plain_environ())
    handler = SimpleHandler(io.BytesIO(), stdout, stderr, environ, multithread=False)
    handler.run(app)
    head, _, body = stdout.getvalue().partition(b"\r\n\r\n")
    return head, body, stderr.getvalue()


# -- pass-through identity ----------------------------------------------------------------


def test_non_html_response_returns_the_app_iterable_itself() -> None:
    body = CountingBody([b"plain"])
    result = filter_response(body_app(body, TEXT), plain_environ(), Upstream(), Policy())
    assert result is body
    assert list(result) == [b"plain"]


def test_file_wrapper_response_passes_through_as_the_same_object() -> None:
    wrapped: list[object] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "application/pdf")])
        wrapper = environ["wsgi.file_wrapper"](io.BytesIO(b"%PDF-1.7"), 4)
        wrapped.append(wrapper)
        return wrapper  # type: ignore[no-any-return]

    environ = plain_environ()
    environ["wsgi.file_wrapper"] = FileWrapper
    upstream = Upstream()
    result = filter_response(app, environ, upstream, Policy())
    assert result is wrapped[0]
    assert isinstance(result, FileWrapper)
    result.close()
    assert upstream.calls[0][1] == [("Content-Type", "application/pdf")]


def test_html_that_the_policy_leaves_alone_is_also_passed_through_by_identity() -> None:
    body = CountingBody([b"<p>x</p>"])
    result = filter_response(body_app(body), plain_environ(), Upstream(), Policy(lambda: None))
    assert result is body
    assert list(result) == [b"<p>x</p>"]


def test_html_is_filtered_and_the_filter_tail_is_sent_last() -> None:
    body = CountingBody([b"<p>a</p>", b"<p>b</p>"])
    response = fetch(stack(body_app(body), Policy()))
    assert response.data == b"<P>A</P><P>B</P><!--END-->"
    assert body.closes == 1


# -- streaming ----------------------------------------------------------------------------


def test_each_app_chunk_is_filtered_as_it_arrives_not_accumulated() -> None:
    body = CountingBody([b"one", b"two", b"three"])
    result = filter_response(body_app(body), plain_environ(), Upstream(), Policy())
    iterator = iter(result)
    assert next(iterator) == b"ONE"
    assert body.produced == 1
    assert next(iterator) == b"TWO"
    assert body.produced == 2
    assert list(iterator) == [b"THREE", b"<!--END-->"]
    _close(result)


def test_a_filter_holding_everything_back_yields_empty_chunks_instead_of_blocking() -> None:
    body = CountingBody([b"a", b"b", b"c"])
    result = filter_response(body_app(body), plain_environ(), Upstream(), Policy(HoldFilter))
    assert list(result) == [b"", b"", b"", b"[abc]"]
    _close(result)
    assert body.closes == 1


# -- close() exactly once, whatever happens ----------------------------------------------


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def test_close_is_forwarded_once_after_a_normal_response() -> None:
    body = CountingBody([b"<p>x</p>"])
    fetch(stack(body_app(body), Policy()))
    assert body.closes == 1


def test_close_is_forwarded_once_when_the_client_goes_away_mid_body() -> None:
    body = CountingBody([b"a", b"b", b"c"])
    app_iter, _, _ = run_wsgi_app(stack(body_app(body), Policy()), plain_environ())
    assert next(iter(app_iter)) == b"A"
    _close(app_iter)
    _close(app_iter)
    assert body.produced == 1
    assert body.closes == 1


def test_close_before_the_first_next_still_closes_the_app_iterable() -> None:
    body = CountingBody([b"a"])
    result = filter_response(body_app(body), plain_environ(), Upstream(), Policy())
    assert isinstance(result, RewritingIterable)
    result.close()
    result.close()
    assert body.closes == 1
    assert list(result) == []


def test_close_is_forwarded_once_when_the_app_raises_mid_iteration() -> None:
    body = CountingBody([b"a", b"b"], fail_at=1)
    result = filter_response(body_app(body), plain_environ(), Upstream(), Policy())
    iterator = iter(result)
    assert next(iterator) == b"A"
    with pytest.raises(OSError, match="database went away"):
        next(iterator)
    _close(result)
    assert body.closes == 1


def test_filter_error_ends_the_body_without_sending_the_rest_unfiltered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = CountingBody([b"<p>first</p>", b"<script src=//t.example></script>", b"<p>3</p>"])
    with caplog.at_level(logging.ERROR, logger="cookiegate"):
        response = fetch(stack(body_app(body), Policy(FailingFilter)))
    assert response.status_code == 200
    assert response.data == b"<P>FIRST</P>"
    assert body.produced == 2, "the app is not read any further after the filter failed"
    assert body.closes == 1
    [record] = caplog.records
    assert "body filter failed" in record.getMessage()
    assert record.exc_info is not None


def test_filter_error_during_write_drops_later_writes_and_ends_the_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        write = start_response("200 OK", list(HTML))
        for part in (b"ok", b"boom", b"<script>leak()</script>"):
            write(part)
        return [b"never sent"]

    with caplog.at_level(logging.ERROR, logger="cookiegate"):
        response = fetch(stack(app, Policy(FailingFilter)))
    assert response.data == b"OK"
    assert len(caplog.records) == 1


# -- write(), lazy start_response ---------------------------------------------------------


def test_write_only_app_has_its_bytes_filtered() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        write = start_response("200 OK", [*HTML, ("Content-Length", "14")])
        write(b"<p>legacy</p>")
        write(b"\n")
        return []

    response = fetch(stack(app, Policy()))
    assert response.data == b"<P>LEGACY</P>\n<!--END-->"
    assert "Content-Length" not in response.headers


def test_write_of_an_unrewritten_response_is_the_servers_own_write() -> None:
    upstream = Upstream()
    returned: list[Callable[[bytes], object]] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        returned.append(start_response("200 OK", list(TEXT)))
        return []

    filter_response(app, plain_environ(), upstream, Policy())
    assert returned == [upstream.written.append]


def test_write_then_iterable_keeps_order_through_one_filter() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", list(HTML))(b"w1 ")
        return [b"i1 ", b"i2"]

    response = fetch(stack(app, Policy(HoldFilter)))
    assert response.data == b"[w1 i1 i2]"


def test_generator_app_calling_start_response_lazily_is_filtered() -> None:
    closed: list[bool] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        try:
            start_response("200 OK", list(HTML))
            yield b"<p>lazy</p>"
            yield b"<p>more</p>"
        finally:
            closed.append(True)

    response = fetch(stack(app, Policy()))
    assert response.data == b"<P>LAZY</P><P>MORE</P><!--END-->"
    assert closed == [True]


def test_lazy_non_html_app_replays_pulled_chunks_and_forwards_close() -> None:
    body = CountingBody([b"a", b"b"])

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return LazyStart(body, start_response)

    result = filter_response(app, plain_environ(), Upstream(), Policy())
    assert list(result) == [b"a", b"b"]
    _close(result)
    assert body.closes == 1


class LazyStart:
    """An app iterable that calls start_response on its first next(), then closes `body`."""

    def __init__(self, body: CountingBody, start_response: StartResponse) -> None:
        self._body = body
        self._start_response = start_response
        self._iterator: Iterator[bytes] | None = None

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self._iterator is None:
            self._start_response("200 OK", list(TEXT))
            self._iterator = iter(self._body)
        return next(self._iterator)

    def close(self) -> None:
        self._body.close()


def test_app_returning_without_starting_the_response_is_an_error_and_is_closed() -> None:
    body = CountingBody([b"orphan"])

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return body

    with pytest.raises(RuntimeError, match="without calling start_response"):
        filter_response(app, plain_environ(), Upstream(), Policy())
    assert body.closes == 1


# -- exc_info -----------------------------------------------------------------------------


def test_exc_info_error_page_replaces_html_and_resets_the_filter() -> None:
    policy = Policy(HoldFilter)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        write = start_response("200 OK", list(HTML))
        write(b"<p>half a page")
        try:
            raise LookupError("template missing")
        except LookupError:
            start_response("500 Internal Server Error", list(HTML), sys.exc_info())
        yield b"<h1>Error</h1>"

    head, body, _ = run_handler(stack(app, policy))
    assert head.startswith(b"HTTP/1.0 500")
    assert body == b"[<h1>Error</h1>]"
    assert len(policy.filters) == 2
    assert policy.header_calls == ["200 OK", "500 Internal Server Error"]


def test_exc_info_switching_to_a_plain_text_error_stops_filtering() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", list(HTML))
        try:
            raise LookupError("boom")
        except LookupError:
            start_response("500 Internal Server Error", list(TEXT), sys.exc_info())
        yield b"plain error"

    head, body, _ = run_handler(stack(app, Policy()))
    assert head.startswith(b"HTTP/1.0 500")
    assert b"text/plain" in head
    assert body == b"plain error"


def test_exc_info_is_forwarded_upstream_unchanged() -> None:
    upstream = Upstream()
    seen: list[OptExcInfo] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", list(HTML))
        try:
            raise KeyError("x")
        except KeyError:
            seen.append(sys.exc_info())
            start_response("500 Internal Server Error", list(TEXT), seen[0])
        return [b"err"]

    result = filter_response(app, plain_environ(), upstream, Policy())
    assert upstream.calls[1][2] is seen[0]
    assert list(result) == [b"err"]


def test_exc_info_after_headers_were_sent_reraises_through_the_server() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", list(HTML))
        yield b"<p>sent</p>"
        try:
            raise LookupError("late failure")
        except LookupError:
            start_response("500 Internal Server Error", list(TEXT), sys.exc_info())
        yield b"never"

    head, body, errors = run_handler(stack(app, Policy()))
    assert head.startswith(b"HTTP/1.0 200")
    assert body == b"<P>SENT</P>"
    assert "late failure" in errors


def test_second_start_response_without_exc_info_raises_headers_already_set() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", list(HTML))
        start_response("200 OK", list(TEXT))
        return []

    with pytest.raises(RuntimeError, match="Headers already set"):
        filter_response(app, plain_environ(), Upstream(), Policy())


# -- a real server ------------------------------------------------------------------------


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the access log out of the test output."""


def test_smoke_on_a_real_wsgiref_server() -> None:
    body = CountingBody([b"<html><body>", b"<p>served</p>", b"</body></html>"])
    app = stack(body_app(body), Policy())
    server = make_server("127.0.0.1", 0, app, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        with urllib.request.urlopen(url, timeout=10) as reply:
            data = reply.read()
            vary = reply.headers["Vary"]
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
    assert data == b"<HTML><BODY><P>SERVED</P></BODY></HTML><!--END-->"
    assert vary == "Cookie, Sec-GPC"
    assert body.closes == 1


def test_a_restart_after_the_whole_body_drops_what_was_abandoned() -> None:
    """An app that yields its whole announced body, then restarts the response with
    ``exc_info`` (an error page), has abandoned that body: it must not go out, raw or
    gated, in front of the error page. Run under wsgiref, whose server accepts the
    restart because no header has been sent yet."""
    from cookiegate import CookieGate
    from cookiegate.config import Config

    page = (
        b"<!doctype html><html><head>"
        b'<script src="https://www.googletagmanager.com/gtag/js"></script>'
        b"</head><body>page</body></html>"
    )

    def app(environ: dict[str, object], start_response: Any) -> Any:
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )

        def body() -> Any:
            yield page
            try:
                raise ValueError("late")
            except ValueError:
                start_response("500 Internal Server Error", [("Content-Type", "text/plain")],
                               sys.exc_info())  # fmt: skip
            yield b"error"

        return body()

    config = Config.from_mapping({"categories": {"necessary": {"title": "N", "required": True}}})
    gate = CookieGate(app, config, secret_key="k" * 32)  # type: ignore[arg-type]
    out = io.BytesIO()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.0",
        "wsgi.url_scheme": "http",
    }
    SimpleHandler(io.BytesIO(), out, io.StringIO(), environ).run(gate)
    response = out.getvalue()
    assert response.startswith(b"HTTP/1.0 500")
    assert b"googletagmanager" not in response and b"page" not in response
    assert response.endswith(b"\r\n\r\nerror")
