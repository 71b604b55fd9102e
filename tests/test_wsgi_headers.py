"""Which responses get rewritten, and how their headers are kept truthful.

Covers the decision (status, Content-Type, charset, Content-Encoding), the header fix-ups
(Content-Length, ETag, Vary), HEAD parity with GET, and gzip/deflate decoding split into
many small chunks.
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from werkzeug.datastructures import Headers
from werkzeug.middleware.lint import LintMiddleware
from werkzeug.test import Client, EnvironBuilder

from cookiegate._wsgi import BodyFilter, filter_response

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

PAGE = b"<html><body><p>caf\xc3\xa9</p>" + b"<p>paragraph</p>" * 40 + b"</body></html>"


class UpperFilter:
    def feed(self, data: bytes) -> bytes:
        return data.upper()

    def close(self) -> bytes:
        return b""


@dataclass
class Policy:
    """Upper-cases rewritten bodies and records what it was asked."""

    rewrite: bool = True
    drop_header: str | None = None
    header_calls: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    charsets: list[str] = field(default_factory=list)

    def filter_headers(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        self.header_calls.append((status, list(headers)))
        return [(k, v) for k, v in headers if k.lower() != (self.drop_header or "").lower()]

    def body_filter(
        self, status: str, headers: list[tuple[str, str]], *, charset: str
    ) -> BodyFilter | None:
        self.charsets.append(charset)
        return UpperFilter() if self.rewrite else None


def make_app(
    body: bytes = PAGE,
    *,
    status: str = "200 OK",
    headers: Iterable[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),),
    chunk: int = 0,
) -> WSGIApplication:
    """An app sending `body` in `chunk`-sized pieces (0: one piece), even for HEAD."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response(status, list(headers))
        size = chunk or max(len(body), 1)
        for start in range(0, len(body), size):
            yield body[start : start + size]

    return app


@dataclass
class Fetched:
    status: str
    headers: Headers
    data: bytes


def fetch(app: WSGIApplication, policy: Policy, method: str = "GET") -> Fetched:
    """Run `app` through the plumbing under werkzeug's lint, closing like a server does."""

    def gate(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return filter_response(app, environ, start_response, policy)

    response = Client(LintMiddleware(gate)).open("/", method=method)
    try:
        return Fetched(response.status, response.headers, response.get_data())
    finally:
        response.close()


def sent_headers(
    app: WSGIApplication, policy: Policy, method: str = "GET"
) -> tuple[list[tuple[str, str]], bytes]:
    """Headers exactly as passed upstream (order, repeats), without lint's opinions on
    statuses that carry no body."""
    calls: list[list[tuple[str, str]]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        calls.append(headers)
        return io.BytesIO().write

    environ = EnvironBuilder(method=method).get_environ()
    result = filter_response(app, environ, start_response, policy)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    [headers] = calls
    return headers, body


def _html(*extra: tuple[str, str], content_type: str = "text/html") -> list[tuple[str, str]]:
    return [("Content-Type", content_type), *extra]


# -- what gets rewritten ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/html", "text/html; charset=UTF-8", "Text/HTML", "application/xhtml+xml"],
)
def test_html_content_types_are_rewritten(content_type: str) -> None:
    response = fetch(make_app(headers=_html(content_type=content_type)), Policy())
    assert response.data == PAGE.upper()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/json", "text/html-sandboxed", "image/svg+xml"]
)
def test_other_content_types_pass_through_with_headers_untouched(content_type: str) -> None:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(PAGE)))]
    sent, body = sent_headers(make_app(headers=headers), Policy())
    assert body == PAGE
    assert sent == headers


def test_missing_content_type_is_not_rewritten() -> None:
    sent, body = sent_headers(make_app(headers=[]), Policy())
    assert (sent, body) == ([], PAGE)


@pytest.mark.parametrize(
    "status", ["204 No Content", "304 Not Modified", "206 Partial Content", "103 Early Hints"]
)
def test_no_body_and_partial_statuses_are_untouched(status: str) -> None:
    headers = _html(("ETag", '"v1"'), ("Content-Length", "3"))
    policy = Policy()
    sent, body = sent_headers(make_app(b"abc", status=status, headers=headers), policy)
    assert sent == headers
    assert body == b"abc"
    assert policy.charsets == []


def test_content_range_on_a_200_is_untouched() -> None:
    headers = _html(("Content-Range", "bytes 0-2/10"), ("Content-Length", "3"))
    sent, body = sent_headers(make_app(b"abc", headers=headers), Policy())
    assert sent == headers
    assert body == b"abc"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        # Browsers read latin-1 labels as windows-1252, Shift_JIS as code page 932.
        ("iso-8859-1", "cp1252"),
        ("windows-1252", "cp1252"),
        ("Shift_JIS", "cp932"),
        ('"koi8-r"', "koi8_r"),
    ],
)
def test_ascii_compatible_charsets_are_rewritten_and_named_to_the_policy(
    label: str, codec: str
) -> None:
    policy = Policy()
    response = fetch(make_app(headers=_html(content_type=f"text/html; charset={label}")), policy)
    assert response.data == PAGE.upper()
    assert policy.charsets == [codec]


def test_unknown_charset_label_is_rewritten_as_utf8() -> None:
    policy = Policy()
    fetch(make_app(headers=_html(content_type="text/html; charset=klingon")), policy)
    assert policy.charsets == ["utf-8"]


@pytest.mark.parametrize(
    ("label", "body"),
    [
        ("utf-16", "\ufeff<p>x</p>".encode("utf-16-le")),
        ("UTF-16LE", "<p>x</p>".encode("utf-16-le")),
        ("utf-16be", "<p>x</p>".encode("utf-16-be")),
    ],
)
def test_utf16_html_is_decoded_filtered_and_encoded_back_not_passed_through(
    label: str, body: bytes
) -> None:
    policy = Policy()
    headers = _html(("Content-Length", str(len(body))), content_type=f"text/html; charset={label}")
    sent, sent_body = sent_headers(make_app(body, headers=headers), policy)
    codec = "utf-16-be" if label == "utf-16be" else "utf-16-le"
    assert sent_body.decode(codec) == body.decode(codec).upper()
    assert policy.charsets == ["utf-8"]
    assert ("Content-Length", str(len(body))) not in sent
    assert sent[0] == ("Content-Type", f"text/html; charset={label}")


@pytest.mark.parametrize("label", ["utf-32", "cp037", "utf-7"])
def test_labels_browsers_do_not_support_are_ignored_and_the_page_is_gated_as_utf8(
    label: str,
) -> None:
    policy = Policy()
    response = fetch(make_app(headers=_html(content_type=f"text/html; charset={label}")), policy)
    assert policy.charsets == ["utf-8"]
    assert response.data == PAGE.upper()


# -- header fix-ups -----------------------------------------------------------------------


def test_rewritten_body_drops_content_length_and_never_adds_transfer_encoding() -> None:
    headers = _html(("Content-Length", str(len(PAGE))), ("Content-MD5", "x"))
    sent, _ = sent_headers(make_app(headers=headers), Policy())
    names = {name.lower() for name, _ in sent}
    assert "content-length" not in names
    assert "content-md5" not in names
    assert "transfer-encoding" not in names


def test_html_the_policy_declines_keeps_content_length_and_etag_but_gains_vary() -> None:
    headers = _html(("Content-Length", str(len(PAGE))), ("ETag", '"v1"'))
    sent, body = sent_headers(make_app(headers=headers), Policy(rewrite=False))
    assert body == PAGE
    assert sent == [*headers, ("Vary", "Cookie, Sec-GPC")]


@pytest.mark.parametrize(
    ("etag", "expected"),
    [('"v1"', 'W/"v1"'), ('W/"v1"', 'W/"v1"'), ("unquoted", None)],
)
def test_etag_is_weakened_when_the_body_is_rewritten(etag: str, expected: str | None) -> None:
    response = fetch(make_app(headers=_html(("ETag", etag))), Policy())
    assert response.headers.get("ETag") == expected


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], "Cookie, Sec-GPC"),
        (["Accept-Encoding"], "Accept-Encoding, Cookie, Sec-GPC"),
        (["*"], "*"),
        (["Accept-Language, cookie"], "Accept-Language, cookie, Sec-GPC"),
        (["Origin", "SEC-GPC,  Cookie"], "Origin, SEC-GPC, Cookie"),
        (["Accept-Encoding, *"], "*"),
    ],
)
def test_vary_is_merged_case_insensitively_without_duplicates(
    existing: list[str], expected: str
) -> None:
    headers = _html(*[("Vary", value) for value in existing])
    sent, _ = sent_headers(make_app(headers=headers), Policy())
    assert [value for name, value in sent if name.lower() == "vary"] == [expected]


def test_filter_headers_runs_once_for_every_response_and_its_result_is_sent() -> None:
    policy = Policy(drop_header="Set-Cookie")
    cookie = ("Set-Cookie", "_ga=1")
    text = make_app(b"{}", headers=[("Content-Type", "application/json"), cookie])
    page = make_app(headers=_html(cookie))
    error = make_app(b"oops", status="500 Internal Server Error", headers=[cookie])
    for app in (text, page, error):
        sent, _ = sent_headers(app, policy)
        assert cookie not in sent
    sent_headers(page, policy, method="HEAD")
    assert [status for status, _ in policy.header_calls] == ["200 OK"] * 2 + [
        "500 Internal Server Error",
        "200 OK",
    ]


# -- HEAD ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rewrite", [True, False])
@pytest.mark.parametrize(
    "headers",
    [
        _html(("Content-Length", str(len(PAGE))), ("ETag", '"v1"'), ("Vary", "Origin")),
        [("Content-Type", "text/plain"), ("Content-Length", str(len(PAGE)))],
    ],
    ids=["html", "text"],
)
def test_head_gets_the_same_headers_as_get_and_an_untouched_body(
    headers: list[tuple[str, str]], rewrite: bool
) -> None:
    app = make_app(headers=headers, chunk=50)
    get_headers, get_body = sent_headers(app, Policy(rewrite=rewrite))
    head_headers, head_body = sent_headers(app, Policy(rewrite=rewrite), method="HEAD")
    assert head_headers == get_headers
    assert head_body == PAGE
    rewritten = rewrite and headers[0][1] == "text/html"
    assert get_body == (PAGE.upper() if rewritten else PAGE)


def test_head_asks_the_policy_for_a_filter_to_decide_the_headers() -> None:
    policy = Policy()
    sent, body = sent_headers(make_app(headers=_html(("Content-Length", "9"))), policy, "HEAD")
    assert policy.charsets == ["utf-8"]
    assert ("Content-Length", "9") not in sent
    assert body == PAGE


# -- Content-Encoding ---------------------------------------------------------------------


def _deflate(data: bytes, *, raw: bool) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODED = {
    "gzip": ("gzip", gzip.compress(PAGE)),
    "x-gzip": ("x-gzip", gzip.compress(PAGE)),
    "gzip-multi-member": ("gzip", gzip.compress(PAGE[:100]) + gzip.compress(PAGE[100:])),
    "deflate-zlib": ("deflate", _deflate(PAGE, raw=False)),
    "deflate-raw": ("deflate", _deflate(PAGE, raw=True)),
    "gzip-identity": ("gzip, identity", gzip.compress(PAGE)),
}


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 0])
@pytest.mark.parametrize("name", sorted(ENCODED))
def test_compressed_html_is_decoded_filtered_and_sent_as_identity(name: str, chunk: int) -> None:
    coding, encoded = ENCODED[name]
    headers = _html(
        ("Content-Encoding", coding), ("Content-Length", str(len(encoded))), ("Vary", "Origin")
    )
    response = fetch(make_app(encoded, headers=headers, chunk=chunk), Policy())
    assert response.data == PAGE.upper()
    assert "Content-Encoding" not in response.headers
    assert "Content-Length" not in response.headers
    assert response.headers["Vary"] == "Origin, Cookie, Sec-GPC, Accept-Encoding"


def test_compressed_html_declined_by_the_policy_stays_compressed() -> None:
    encoded = gzip.compress(PAGE)
    headers = _html(("Content-Encoding", "gzip"), ("Content-Length", str(len(encoded))))
    sent, body = sent_headers(make_app(encoded, headers=headers), Policy(rewrite=False))
    assert body == encoded
    assert sent == [*headers, ("Vary", "Cookie, Sec-GPC")]


@pytest.mark.parametrize("coding", ["br", "zstd", "compress", "gzip, br", "deflate, gzip"])
def test_undecodable_html_passes_through_untouched_with_an_error_naming_the_fix(
    coding: str, caplog: pytest.LogCaptureFixture
) -> None:
    headers = _html(("Content-Encoding", coding), ("Content-Length", "6"))
    with caplog.at_level(logging.ERROR, logger="cookiegate"):
        sent, body = sent_headers(make_app(b"\x0b\x02\x80abc", headers=headers), Policy())
    assert (sent, body) == (headers, b"\x0b\x02\x80abc")
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert "inside (wrapped by) the compression middleware" in record.getMessage()


@pytest.mark.parametrize(
    ("coding", "broken", "complete"),
    [
        ("gzip", gzip.compress(PAGE)[:60] + b"\xff" * 40 + gzip.compress(PAGE)[100:], False),
        ("gzip", gzip.compress(PAGE)[:-30], False),
        ("deflate", b"x", False),
        ("gzip", gzip.compress(PAGE) + b"trailing junk", True),
    ],
    ids=["corrupt", "truncated", "one-byte-deflate", "trailing-junk"],
)
def test_broken_compressed_body_ends_cleanly_with_an_error_and_no_500(
    coding: str, broken: bytes, complete: bool, caplog: pytest.LogCaptureFixture
) -> None:
    headers = _html(("Content-Encoding", coding))
    with caplog.at_level(logging.ERROR, logger="cookiegate"):
        response = fetch(make_app(broken, headers=headers, chunk=16), Policy())
    assert response.status == "200 OK"
    assert PAGE.upper().startswith(response.data)
    assert (response.data == PAGE.upper()) is complete
    assert any("could not be decoded" in r.getMessage() for r in caplog.records)


def test_decoded_body_streams_instead_of_waiting_for_the_whole_stream() -> None:
    page = b"".join(b"<p>%d</p>" % (n * 7919 % 10007) for n in range(5000))
    encoded = gzip.compress(page)
    pieces = [encoded[i : i + 256] for i in range(0, len(encoded), 256)]
    produced: list[bytes] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response(
            "200 OK",
            _html(("Content-Encoding", "gzip"), content_type="text/html; charset=utf-8"),
        )
        for piece in pieces:
            produced.append(piece)
            yield piece

    result = filter_response(app, EnvironBuilder().get_environ(), _null_start_response, Policy())
    try:
        first = next(iter(result))
    finally:
        getattr(result, "close", lambda: None)()
    assert len(pieces) > 10
    assert len(produced) == 1
    assert first
    assert page.upper().startswith(first)


def _null_start_response(
    status: str, headers: list[tuple[str, str]], exc_info: object = None
) -> Callable[[bytes], object]:
    return io.BytesIO().write


class TailFilter:
    """Holds everything back and marks its close(), so a flush can be seen and counted."""

    def __init__(self) -> None:
        self._held = b""

    def feed(self, data: bytes) -> bytes:
        self._held += data
        return b""

    def close(self) -> bytes:
        return self._held.upper() + b"<!--CLOSED-->"


@dataclass
class TailPolicy(Policy):
    def body_filter(
        self, status: str, headers: list[tuple[str, str]], *, charset: str
    ) -> BodyFilter | None:
        return TailFilter()


def test_decoding_error_flushes_the_filters_gated_output_exactly_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = gzip.compress(PAGE)
    broken = good[:200] + b"\xff" * 64 + good[264:]
    headers = _html(("Content-Encoding", "gzip"))
    with caplog.at_level(logging.ERROR, logger="cookiegate"):
        response = fetch(make_app(broken, headers=headers, chunk=8), TailPolicy())
    held, marker, rest = response.data.partition(b"<!--CLOSED-->")
    assert marker
    assert rest == b""
    assert held
    assert PAGE.upper().startswith(held)
    assert len(caplog.records) == 1
