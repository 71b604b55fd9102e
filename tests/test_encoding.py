"""The document's encoding as a browser decides it, and gating pages a byte scan cannot read.

Units first (label table, BOM, prescan, the streaming sniffer), then whole responses through
the plumbing and through ``CookieGate``: UTF-16, ISO-2022-JP, a UTF-8 label contradicted by
a BOM, windows-1252 kept byte for byte, and chunking that must not change the output.
"""

from __future__ import annotations

import gzip
import html
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from werkzeug.test import Client, EnvironBuilder

from cookiegate import CookieGate
from cookiegate._wsgi import BodyFilter, filter_response
from cookiegate.config import Config
from cookiegate.html import encoding as enc
from cookiegate.html.encoding import (
    EncodingSniffer,
    Recoder,
    encoding_from_meta_content,
    get_encoding,
    prescan,
    xml_encoding,
)

from .conftest import KEY

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

# -- the label table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "name", "codec"),
    [
        ("utf-8", "utf-8", "utf-8"),
        (" UTF8\t", "utf-8", "utf-8"),
        ("unicode-1-1-utf-8", "utf-8", "utf-8"),
        ("latin1", "windows-1252", "cp1252"),
        ("ISO-8859-1", "windows-1252", "cp1252"),
        ("ascii", "windows-1252", "cp1252"),
        ("us-ascii", "windows-1252", "cp1252"),
        ("iso-8859-9", "windows-1254", "cp1254"),
        ("tis-620", "windows-874", "cp874"),
        ("iso-8859-8-i", "ISO-8859-8-I", "iso8859_8"),
        ("koi8-ru", "KOI8-U", "koi8_u"),
        ("gb2312", "GBK", "gbk"),
        ("big5-hkscs", "Big5", "big5hkscs"),
        ("windows-31j", "Shift_JIS", "cp932"),
        ("ks_c_5601-1987", "EUC-KR", "cp949"),
        ("csiso2022jp", "ISO-2022-JP", "iso2022_jp_ext"),
        ("utf-16", "UTF-16LE", "utf-16-le"),
        ("ucs-2", "UTF-16LE", "utf-16-le"),
        ("unicodefffe", "UTF-16BE", "utf-16-be"),
        ("iso-2022-kr", "replacement", "utf-8"),
        ("hz-gb-2312", "replacement", "utf-8"),
        ("x-user-defined", "x-user-defined", "x-user-defined"),
    ],
)
def test_labels_name_the_encoding_standards_encodings(label: str, name: str, codec: str) -> None:
    found = get_encoding(label)
    assert found is not None
    assert (found.name, found.codec) == (name, codec)


@pytest.mark.parametrize(
    "label", ["utf-32", "cp037", "utf-7", "latin-1", "", "utf-8\x0b", "\u017ftf-8", "klingon"]
)
def test_labels_the_standard_does_not_know_are_no_encoding(label: str) -> None:
    assert get_encoding(label) is None


def test_every_python_codec_agrees_with_its_ascii_compatibility_flag() -> None:
    ascii_text = "".join(map(chr, range(0x80)))
    incompatible = set()
    for encoding, _labels in enc._TABLE:
        if not encoding.ascii_compatible:
            incompatible.add(encoding.name)
            continue
        assert bytes(range(0x80)).decode(encoding.codec) == ascii_text, encoding
        assert ascii_text.encode(encoding.codec) == bytes(range(0x80)), encoding
    assert incompatible == {"UTF-16LE", "UTF-16BE", "ISO-2022-JP", "replacement"}
    assert "<p>".encode("iso2022_jp_ext") == b"<p>", "ISO-2022-JP is only unsafe by its modes"


def test_x_user_defined_maps_high_bytes_to_the_private_use_area() -> None:
    assert b"a\x80\xff".decode("x-user-defined") == "a\uf780\uf7ff"
    assert "\uf781\xe9".encode("x-user-defined", "xmlcharrefreplace") == b"\x81&#233;"


# -- BOM and Content-Type -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "body", "name", "bom_length"),
    [
        ("utf-8", b"\xff\xfe<\x00", "UTF-16LE", 2),
        ("utf-8", b"\xfe\xff\x00<", "UTF-16BE", 2),
        ("utf-16", b"\xef\xbb\xbf<p>", "utf-8", 3),
        ("windows-1252", b"\xef\xbb\xbf<p>", "utf-8", 3),
        (None, b"\xff\xfe<\x00", "UTF-16LE", 2),
    ],
)
def test_a_bom_overrides_the_header(
    label: str | None, body: bytes, name: str, bom_length: int
) -> None:
    sniffed = EncodingSniffer(label).feed(body)
    assert sniffed is not None
    assert (sniffed.encoding.name, sniffed.source, sniffed.bom_length) == (name, "bom", bom_length)
    assert sniffed.held == body


def test_a_partial_bom_is_held_until_it_is_certain() -> None:
    sniffer = EncodingSniffer("windows-1252")
    assert sniffer.feed(b"") is None
    assert sniffer.feed(b"\xef") is None
    assert sniffer.feed(b"\xbb") is None
    sniffed = sniffer.feed(b"\xbf<")
    assert sniffed is not None
    assert (sniffed.encoding.name, sniffed.held) == ("utf-8", b"\xef\xbb\xbf<")


def test_bytes_that_stop_looking_like_a_bom_fall_back_to_the_header() -> None:
    sniffer = EncodingSniffer("koi8-r")
    assert sniffer.feed(b"\xef\xbb") is None
    sniffed = sniffer.feed(b"x")
    assert sniffed is not None
    assert (sniffed.encoding.name, sniffed.source, sniffed.bom_length) == ("KOI8-R", "transport", 0)


def test_a_short_body_is_decided_at_close() -> None:
    sniffer = EncodingSniffer("utf-16be")
    assert sniffer.feed(b"\xfe") is None
    sniffed = sniffer.close()
    assert (sniffed.encoding.name, sniffed.held) == ("UTF-16BE", b"\xfe")


def test_a_supported_header_label_wins_over_meta_without_waiting() -> None:
    sniffed = EncodingSniffer("iso-8859-2").feed(b"<meta charset=koi8-r>")
    assert sniffed is not None
    assert (sniffed.encoding.name, sniffed.source) == ("ISO-8859-2", "transport")


# -- the meta prescan ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'<meta charset="Shift_JIS">', "Shift_JIS"),
        (b"<meta charset='koi8-r'>", "KOI8-R"),
        (b"<META CHARSET=GBK>", "GBK"),
        (b"<meta/charset=gbk>", "GBK"),
        (b"<meta charset = \t koi8-r >", "KOI8-R"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">', "ISO-8859-2"),
        (b"<meta content=\"text/html;charset='big5'\" http-equiv=content-type>", "Big5"),
        (b"<meta charset=utf-16>", "utf-8"),
        (b"<meta charset=utf-16be>", "utf-8"),
        (b"<meta charset=x-user-defined>", "windows-1252"),
        (b"<meta charset=bogus><meta charset=gbk>", "GBK"),
        (b"<!-- <meta charset=koi8-r> --><meta charset=gbk>", "GBK"),
        (b"<!--><meta charset=gbk>", "GBK"),
        (b'<p title="<meta charset=koi8-r>"><meta charset=gbk>', "GBK"),
        (b"<meta charset=gbk charset=koi8-r>", "GBK"),
        (b"</p foo=<meta charset=koi8-r>><meta charset=gbk>", "GBK"),
        (b'<?xml version="1.0" encoding="windows-1251"?><p>x</p>', "windows-1251"),
        (b'<?xml version="1.0" encoding="utf-16"?><p>', "utf-8"),
        (b"<\x00?\x00x\x00m\x00l\x00", "UTF-16LE"),
        (b"\x00<\x00?\x00x\x00m", "UTF-16BE"),
    ],
)
def test_prescan_finds_the_declared_encoding(data: bytes, name: str) -> None:
    found = prescan(data)
    assert found is not None
    assert found.name == name


@pytest.mark.parametrize(
    "data",
    [
        b"<!-- <meta charset=koi8-r> -->",
        b"<meta content='text/html; charset=koi8-r'>",  # a content charset needs the pragma
        b"<meta http-equiv=content-type>",
        b"<meta charset=klingon>",
        b"<meta charset=koi8-r",  # never closed: the prescan runs out of bytes
        b"<metacharset=koi8-r>",
        b"<p>charset=koi8-r</p>",
        b"<script>document.write('<meta charset=koi8-r')</script>",
        b"",
    ],
)
def test_prescan_finds_nothing_where_a_browser_finds_nothing(data: bytes) -> None:
    assert prescan(data) is None


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("text/html; charset=koi8-r", "KOI8-R"),
        ("text/html; CHARSET = 'gbk'", "GBK"),
        ('charset="big5', None),
        ("charsetcharset=gbk", "GBK"),
        ("text/html; charset", None),
        ("charset=gbk;foo", "GBK"),
    ],
)
def test_meta_content_charset_extraction(content: str, name: str | None) -> None:
    found = encoding_from_meta_content(content)
    assert (found.name if found else None) == name


def test_xml_declaration_encoding_must_lie_inside_the_declaration() -> None:
    assert xml_encoding(b'<?xml version="1.0"?><p encoding="koi8-r">') is None
    assert xml_encoding(b"<?xml encoding='gbk' ?>") == get_encoding("gbk")


def _decided(chunks: Iterable[bytes], label: str | None = None) -> tuple[str, str, int]:
    """Feed ``chunks``; return the decision and how many bytes were fed when it came."""
    sniffer = EncodingSniffer(label)
    fed = 0
    for chunk in chunks:
        fed += len(chunk)
        sniffed = sniffer.feed(chunk)
        if sniffed is not None:
            assert len(sniffed.held) == fed
            return sniffed.encoding.name, sniffed.source, fed
    sniffed = sniffer.close()
    return sniffed.encoding.name, sniffed.source, fed


def test_meta_beyond_the_first_1024_bytes_is_ignored() -> None:
    page = b"<p>" + b"x" * 1100 + b"<meta charset=koi8-r>"
    assert _decided([page]) == ("utf-8", "default", len(page))
    straddling = b"<p>" + b"x" * (1024 - 3 - 10) + b"<meta charset=koi8-r>"
    assert _decided([straddling]) == ("utf-8", "default", len(straddling))
    inside = b"<p>" + b"x" * (1024 - 3 - 21) + b"<meta charset=koi8-r>"
    assert len(inside) == 1024
    assert _decided([inside]) == ("KOI8-R", "prescan", 1024)


def test_the_sniffer_holds_no_more_than_1024_bytes() -> None:
    page = b"<p>hello</p>" * 200
    name, source, fed = _decided([page[i : i + 100] for i in range(0, len(page), 100)])
    assert (name, source, fed) == ("utf-8", "default", 1100)
    assert _decided([page[:1023], page[1023:1024]])[2] == 1024


def test_the_sniffer_decides_as_soon_as_the_meta_tag_closes() -> None:
    page = b'<!doctype html><meta charset="windows-1251"><title>x</title>' + b"y" * 2000
    end = page.index(b">", 20) + 1
    name, source, fed = _decided([page[i : i + 1] for i in range(len(page))])
    assert (name, source, fed) == ("windows-1251", "prescan", end)


@pytest.mark.parametrize(
    "page",
    [
        b'<!doctype html><!-- x --><meta http-equiv="content-type" content="text/html; '
        b'charset=gbk"><p>',
        b"\xef\xbb\xbf<meta charset=gbk>",
        b"<\x00?\x00x\x00m\x00l\x00",
        b'<?xml version="1.0" encoding="koi8-r"?><html><p>hi</p></html>',
        b"<p>" * 400,
    ],
)
def test_the_decision_does_not_depend_on_chunking(page: bytes) -> None:
    whole = _decided([page])[:2]
    for cut in range(len(page) + 1):
        assert _decided([page[:cut], page[cut:]])[:2] == whole, cut
    assert _decided([page[i : i + 1] for i in range(len(page))])[:2] == whole


def test_iso_2022_jp_is_encoded_only_in_sets_browsers_decode() -> None:
    recoder = Recoder(enc.ISO_2022_JP)
    text = "日本<b>ｱｲ</b>語"
    utf8 = recoder.to_utf8(text.encode("iso2022_jp_ext"), final=True)
    assert utf8.decode() == text
    out = recoder.from_utf8((text + "é").encode(), final=True)
    assert out == b"\x1b$BF|K\\\x1b(B<b>\x1b(I12\x1b(B</b>\x1b$B8l\x1b(B&#233;"
    assert b"\x1b$(D" not in out, "JIS X 0212 is not in the standard's ISO-2022-JP"


# -- through the response plumbing --------------------------------------------------------

MARKER = '<script src="https://tracker.example/t.js"></script>'


class MarkerFilter:
    """Holds the body, drops MARKER, appends an injection encoded as the gate would."""

    def __init__(self, charset: str) -> None:
        self.charset = charset
        self.held = b""

    def feed(self, data: bytes) -> bytes:
        self.held += data
        return b""

    def close(self) -> bytes:
        kept = self.held.replace(MARKER.encode(self.charset), b"")
        return kept + "<p>caf\xe9</p>".encode(self.charset, "xmlcharrefreplace")


@dataclass
class MarkerPolicy:
    charsets: list[str] = field(default_factory=list)

    def filter_headers(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return headers

    def body_filter(
        self, status: str, headers: list[tuple[str, str]], *, charset: str
    ) -> BodyFilter | None:
        self.charsets.append(charset)
        return MarkerFilter(charset)


def chunked_app(body: bytes, content_type: str, chunk: int = 0) -> WSGIApplication:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", content_type)])
        size = chunk or max(len(body), 1)
        for start in range(0, len(body), size):
            yield body[start : start + size]

    return app


def run(app: WSGIApplication, policy: MarkerPolicy) -> bytes:
    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        return io.BytesIO().write

    result = filter_response(app, EnvironBuilder().get_environ(), start_response, policy)
    try:
        return b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()


TEXT = "<p>Grüße, 日本</p>" + MARKER + "<p>end</p>"
LE, BE = TEXT.encode("utf-16-le"), TEXT.encode("utf-16-be")


@pytest.mark.parametrize(
    ("content_type", "body", "codec", "bom"),
    [
        ("text/html; charset=utf-16le", LE, "utf-16-le", b""),
        ("text/html; charset=UTF-16", LE, "utf-16-le", b""),
        ("text/html; charset=utf-16be", BE, "utf-16-be", b""),
        ("text/html; charset=utf-8", b"\xff\xfe" + LE, "utf-16-le", b"\xff\xfe"),
        ("text/html", b"\xfe\xff" + BE, "utf-16-be", b"\xfe\xff"),
    ],
)  # fmt: skip
def test_utf16_pages_are_gated_through_utf8_and_keep_their_bom(
    content_type: str, body: bytes, codec: str, bom: bytes
) -> None:
    policy = MarkerPolicy()
    out = run(chunked_app(body, content_type, chunk=7), policy)
    assert policy.charsets[-1] == "utf-8"
    assert out.startswith(bom)
    assert out[len(bom) :].decode(codec) == "<p>Grüße, 日本</p><p>end</p><p>café</p>"


def test_meta_charset_decides_when_the_header_names_none() -> None:
    page = '<meta charset="windows-1251"><p>Привет</p>' + MARKER
    policy = MarkerPolicy()
    out = run(chunked_app(page.encode("cp1251"), "text/html", chunk=5), policy)
    assert policy.charsets == ["utf-8", "cp1251"], "asked again once the meta decided"
    assert out == '<meta charset="windows-1251"><p>Привет</p><p>caf&#233;</p>'.encode("cp1251")


def test_x_user_defined_pages_are_scanned_as_bytes_and_injections_encoded_in_it() -> None:
    body = b"<p>\x80\xff</p>" + MARKER.encode()
    policy = MarkerPolicy()
    out = run(chunked_app(body, "text/html; charset=x-user-defined"), policy)
    assert policy.charsets == ["x-user-defined"]
    assert out == b"<p>\x80\xff</p><p>caf&#233;</p>"


def test_a_replacement_encoding_page_is_what_the_browser_sees_one_replacement_character() -> None:
    body = ("<p>x</p>" + MARKER).encode()
    policy = MarkerPolicy()
    out = run(chunked_app(body, "text/html; charset=iso-2022-kr", chunk=3), policy)
    assert policy.charsets == ["utf-8"]
    assert out == "\ufffd<p>café</p>".encode()


def test_gzip_utf16_page_is_decompressed_and_gated() -> None:
    body = gzip.compress(b"\xff\xfe" + TEXT.encode("utf-16-le"))

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
        return [body[:10], body[10:]]

    out = run(app, MarkerPolicy())
    assert out == b"\xff\xfe" + "<p>Grüße, 日本</p><p>end</p><p>café</p>".encode("utf-16-le")


def test_write_only_utf16_app_is_gated() -> None:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/html; charset=utf-16")])
        data = TEXT.encode("utf-16-le")
        for start in range(0, len(data), 3):
            write(data[start : start + 3])
        return []

    written: list[bytes] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        return written.append

    environ = EnvironBuilder().get_environ()
    result = filter_response(app, environ, start_response, MarkerPolicy())
    try:
        tail = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    out = b"".join(written) + tail
    assert out.decode("utf-16-le") == "<p>Grüße, 日本</p><p>end</p><p>café</p>"


def test_holding_for_the_prescan_yields_empty_chunks_and_never_blocks() -> None:
    page = b"<p>hello</p>" * 200
    produced: list[bytes] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/html")])
        for start in range(0, len(page), 100):
            produced.append(page[start : start + 100])
            yield page[start : start + 100]

    class Echo(MarkerPolicy):
        def body_filter(
            self, status: str, headers: list[tuple[str, str]], *, charset: str
        ) -> BodyFilter | None:
            return _Echo()

    result = filter_response(app, EnvironBuilder().get_environ(), _null_start, Echo())
    try:
        outputs = []
        for output in result:
            outputs.append(output)
            assert len(produced) == len(outputs), "one app chunk per chunk sent"
    finally:
        getattr(result, "close", lambda: None)()
    assert outputs[:10] == [b""] * 10
    assert outputs[10] == page[:1100]
    assert b"".join(outputs) == page


class _Echo:
    def feed(self, data: bytes) -> bytes:
        return data

    def close(self) -> bytes:
        return b""


def _null_start(
    status: str, headers: list[tuple[str, str]], exc_info: object = None
) -> Callable[[bytes], object]:
    return io.BytesIO().write


# -- end to end through CookieGate --------------------------------------------------------

SMALL = (
    "<!doctype html><html><head>"
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
    "</head><body><h1>日本語のページ</h1><p>ｶﾀｶﾅ</p></body></html>"
)


def serve(config: Config, body: bytes, content_type: str, chunk: int = 0) -> bytes:
    gate = CookieGate(chunked_app(body, content_type, chunk), config, secret_key=KEY)
    response = Client(gate).get("/")
    try:
        return response.get_data()
    finally:
        response.close()


def visible(text: str) -> str:
    """What a browser shows, with per-response CSRF tokens blanked."""
    return html.unescape(re.sub(r'name="csrf" value="[^"]*"', 'name="csrf" value=""', text))


@pytest.mark.parametrize(
    ("content_type", "body", "codec"),
    [
        ("text/html; charset=utf-16le", SMALL.encode("utf-16-le"), "utf-16-le"),
        ("text/html; charset=utf-8", b"\xff\xfe" + SMALL.encode("utf-16-le"), "utf-16"),
        ("text/html; charset=iso-2022-jp", SMALL.encode("iso2022_jp_ext"), "iso2022_jp_ext"),
    ],
    ids=["utf-16le", "utf-8-label-utf-16-bom", "iso-2022-jp"],
)
def test_ascii_incompatible_pages_are_gated_like_their_utf8_twin(
    config: Config, content_type: str, body: bytes, codec: str
) -> None:
    twin = serve(config, SMALL.encode(), "text/html; charset=utf-8").decode()
    out = serve(config, body, content_type, chunk=5)
    text = out.decode(codec)
    assert "googletagmanager" not in text
    assert 'id="cookiegate-banner"' in text
    assert "<h1>日本語のページ</h1><p>ｶﾀｶﾅ</p>" in text
    assert visible(text) == visible(twin)
    if codec == "utf-16":
        assert out.startswith(b"\xff\xfe")


def test_a_utf16_bom_page_labelled_utf8_would_hide_its_tracker_from_a_byte_scan(
    config: Config,
) -> None:
    body = b"\xff\xfe" + SMALL.encode("utf-16-le")
    assert b"googletagmanager" not in body, "as bytes, the tracker is not even visible"
    out = serve(config, body, "text/html; charset=utf-8")
    assert "googletagmanager" not in out.decode("utf-16")
    assert "googletagmanager" in body.decode("utf-16")


def test_windows_1252_page_is_byte_identical_where_untouched(config: Config) -> None:
    page = (
        b"<!doctype html><html><head><title>Caf\xe9 \x80 \x93quoted\x94</title>"
        b'<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
        b"</head><body><p>na\xefve \x9c\xff</p></body></html>"
    )
    out = serve(config, page, "text/html; charset=iso-8859-1", chunk=9)
    assert b"googletagmanager" not in out
    assert out.startswith(b"<!doctype html><html><head><title>Caf\xe9 \x80 \x93quoted\x94</title>")
    assert out.endswith(b"<p>na\xefve \x9c\xff</p></body></html>")
    gate = CookieGate(chunked_app(page, "text/html; charset=latin1"), config, secret_key=KEY)
    everything = gate.consent_cookie(categories=["analytics", "marketing", "social"])
    client = Client(gate)
    client.set_cookie(*everything.split("=", 1))
    response = client.get("/")
    try:
        assert response.get_data() == page
    finally:
        response.close()


def test_chunking_at_every_offset_gives_identical_output_for_utf16(config: Config) -> None:
    body = b"\xff\xfe" + SMALL.encode("utf-16-le")
    expected = visible(serve(config, body, "text/html").decode("utf-16"))
    for cut in range(1, len(body)):
        app = _split_app([body[:cut], body[cut:]])
        response = Client(CookieGate(app, config, secret_key=KEY)).get("/")
        try:
            out = response.get_data()
        finally:
            response.close()
        assert out.startswith(b"\xff\xfe"), cut
        assert visible(out.decode("utf-16")) == expected, cut


def _split_app(chunks: list[bytes]) -> WSGIApplication:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html")])
        return list(chunks)

    return app
