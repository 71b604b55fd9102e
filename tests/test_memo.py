"""The whole-page memo gives exactly the streaming gate's output, only faster.

:class:`~cookiegate.html.memo.MemoGate` must be invisible: for every page, consent and
chunking, its output (on the first request, which records, and on later ones, which
replay) equals :class:`~cookiegate.html.gate.HtmlGate`'s with the same request's banner.
What it remembers must be bounded, and pages it cannot replay exactly (a fragment
inside ``<noscript>`` or inside a nested ``srcdoc`` document) must be gated every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import Client
from werkzeug.wrappers import Response

from cookiegate import CookieGate
from cookiegate.config import Service
from cookiegate.consent import Consent
from cookiegate.html import memo_table
from cookiegate.html.gate import GateRules, HtmlGate
from cookiegate.html.memo import MemoGate
from cookiegate.html.memo_table import BODY_LIMIT
from tests.test_gate import CONFIG, GA, GA_INLINE, PIXEL_NOSCRIPT, YT, FakePage, consent
from tests.test_properties import SETTINGS, documents

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"
UNDECIDED = Consent(config=CONFIG)
ANALYTICS = consent(["analytics"])
EVERYTHING = consent(["analytics", "marketing", "social"])


class CountingPage(FakePage):
    """A page whose banner differs on every call, as a real one does (form token)."""

    calls = count()

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        super().banner(lang=lang, absolute_urls=absolute_urls)
        if not self.consent.needs_banner:
            return None
        return f"<div id=banner data-n={next(self.calls)} data-lang={lang}></div>"


def streamed(rules: GateRules, page: FakePage, html: bytes) -> bytes:
    gate = HtmlGate(rules, page)
    return gate.feed(html) + gate.close()


def memoized(rules: GateRules, page: FakePage, html: bytes) -> bytes:
    gate = MemoGate(rules, page, encoding="utf-8", length=len(html))
    return gate.feed(html) + gate.close()


def same_request_twice(html: bytes, who: Consent) -> Iterator[tuple[bytes, bytes]]:
    """(memo output, streaming output) for the same request, first and second time."""
    rules = GateRules.from_config(CONFIG)
    for _ in range(2):
        start = next(CountingPage.calls)
        memo_out = memoized(rules, CountingPage(who), html)
        # The streaming gate renders the banner the memo's request rendered.
        CountingPage.calls = count(start + 1)
        yield memo_out, streamed(GateRules.from_config(CONFIG), CountingPage(who), html)


PAGE = (
    b"<!doctype html><html lang=fr><head>" + GA + GA_INLINE + PIXEL_NOSCRIPT + b"</head>"
    b"<body class=x><p>Hello</p><img src=/own.png></body></html>"
)


@pytest.mark.parametrize("who", [UNDECIDED, ANALYTICS, EVERYTHING], ids=["none", "ga", "all"])
def test_recorded_and_replayed_output_equal_the_streaming_gate(who: Consent) -> None:
    for memo_out, stream_out in same_request_twice(PAGE, who):
        assert memo_out == stream_out


def test_a_replay_renders_this_requests_banner() -> None:
    rules = GateRules.from_config(CONFIG)
    first, second = CountingPage(UNDECIDED), CountingPage(UNDECIDED)
    one, two = memoized(rules, first, PAGE), memoized(rules, second, PAGE)
    assert len(rules.pages.entries) == 1
    assert one != two  # each carries its own banner...
    assert second.banner_calls == [("fr", False)]
    # ...and otherwise the same bytes, with the trackers gone.
    assert one.split(b"<div id=banner")[0] == two.split(b"<div id=banner")[0]
    assert b"googletagmanager" not in two and b"facebook" not in two


def test_consent_states_and_hosts_are_remembered_apart() -> None:
    rules = GateRules.from_config(CONFIG)
    memoized(rules, CountingPage(UNDECIDED), PAGE)
    memoized(rules, CountingPage(EVERYTHING), PAGE)
    memoized(rules, CountingPage(EVERYTHING, "https://other.example/"), PAGE)
    assert len(rules.pages.entries) == 3
    everything = memoized(rules, CountingPage(EVERYTHING), PAGE)
    assert b"googletagmanager" in everything and b"id=banner" not in everything


def test_placeholders_are_replayed_with_this_requests_form() -> None:
    rules = GateRules.from_config(CONFIG)
    html = b"<body><p>Watch:</p>" + YT + b"<p>and</p>" + YT + b"</body>"
    for memo_out, stream_out in same_request_twice(html, UNDECIDED):
        assert memo_out == stream_out
    calls: list[str] = []

    class Recording(CountingPage):
        def placeholder(self, service: Service, **kwargs: Any) -> str:
            calls.append(kwargs["anchor"])
            return super().placeholder(service, **kwargs)

    first = memoized(rules, Recording(UNDECIDED), html)
    second = memoized(rules, Recording(UNDECIDED), html)
    assert len(rules.pages.entries) == 1
    assert calls == ["cg-youtube-1", "cg-youtube-2"] * 2  # rendered for each request
    assert first.count(b"YouTube") == second.count(b"YouTube") == 2
    assert b"www.youtube.com" not in second


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(b"<noscript><body><p>x</p></noscript>", id="banner-in-noscript"),
        pytest.param(
            b"<body><noscript>" + YT + b"</noscript></body>", id="placeholder-in-noscript"
        ),
        pytest.param(
            b'<body><iframe srcdoc="' + YT.replace(b'"', b"&quot;") + b'"></iframe></body>',
            id="placeholder-in-srcdoc",
        ),
    ],
)
def test_pages_that_cannot_be_replayed_are_gated_every_time(html: bytes) -> None:
    rules = GateRules.from_config(CONFIG)
    for memo_out, stream_out in same_request_twice(html, UNDECIDED):
        assert memo_out == stream_out
    memoized(rules, CountingPage(UNDECIDED), html)
    assert not rules.pages.entries


def test_a_body_longer_than_announced_streams_as_usual() -> None:
    rules = GateRules.from_config(CONFIG)
    head, tail = PAGE[:40], PAGE[40:]
    gate = MemoGate(rules, FakePage(UNDECIDED), encoding="utf-8", length=len(head))
    out = gate.feed(head)
    assert out == b""  # held: it might be the whole body
    out += gate.feed(tail) + gate.close()
    assert out == streamed(rules, FakePage(UNDECIDED), PAGE)
    assert not rules.pages.entries


def test_large_or_unannounced_bodies_are_never_held() -> None:
    rules = GateRules.from_config(CONFIG)
    big = b"<p>" + b"x" * BODY_LIMIT + b"</p>"
    gate = MemoGate(rules, FakePage(UNDECIDED), encoding="utf-8", length=len(big))
    assert gate.feed(big) != b""
    short = MemoGate(rules, FakePage(UNDECIDED), encoding="utf-8", length=len(PAGE) + 1)
    assert short.feed(PAGE) != b""
    assert not rules.pages.entries


def test_the_table_is_bounded_by_entries_and_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo_table, "_ENTRIES_LIMIT", 3)
    rules = GateRules.from_config(CONFIG)
    pages = [PAGE + b"<!-- %d -->" % i for i in range(5)]
    for html in pages:
        memoized(rules, CountingPage(EVERYTHING), html)
    assert [key[0] for key in rules.pages.entries] == pages[2:]  # the oldest went first
    assert rules.pages.size == sum(len(k[0]) + e.size for k, e in rules.pages.entries.items())
    monkeypatch.setattr(memo_table, "_BYTES_LIMIT", 2 * len(PAGE) + 100)
    memoized(rules, CountingPage(UNDECIDED), PAGE)
    assert len(rules.pages.entries) == 1 and rules.pages.size <= 2 * len(PAGE) + 100


@SETTINGS
@given(html=documents(), who=st.sampled_from([UNDECIDED, ANALYTICS]))
def test_memo_equals_streaming_gate_on_generated_documents(html: bytes, who: Consent) -> None:
    for memo_out, stream_out in same_request_twice(html, who):
        assert memo_out == stream_out


@pytest.mark.skipif(not PAGES.is_dir(), reason=f"real pages not found in {PAGES}")
def test_memo_equals_streaming_gate_on_real_pages() -> None:
    pages = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))]
    checked = 0
    for html in pages:
        if len(html) > BODY_LIMIT:
            continue
        for who in (UNDECIDED, EVERYTHING):
            for memo_out, stream_out in same_request_twice(html, who):
                assert memo_out == stream_out
            checked += 1
    assert checked >= 20


# -- through the middleware -------------------------------------------------------------

SITE = """
categories:
  necessary: {title: Necessary, required: true}
  analytics: {title: Analytics}
services:
  google-analytics: {preset: google-analytics}
"""
HTML = (
    b"<!doctype html><html lang=en><head>"
    b'<script async src="https://www.google-analytics.com/analytics.js"></script>'
    b"</head><body><h1>Shop</h1></body></html>"
)


def _site(tmp_path: Path, *, stream: bool) -> CookieGate:
    config = tmp_path / "cookies.yaml"
    config.write_text(SITE)

    def app(environ: object, start_response: object) -> object:
        body = iter([HTML[:50], HTML[50:]]) if stream else [HTML]
        return Response(body, content_type="text/html; charset=utf-8")(environ, start_response)  # type: ignore[arg-type]

    return CookieGate(app, config, secret_key="k" * 32)  # type: ignore[arg-type]


def test_middleware_remembers_whole_bodies_and_gives_each_visitor_a_fresh_banner(
    tmp_path: Path,
) -> None:
    gate = _site(tmp_path, stream=False)
    client = Client(gate)
    first, second = client.get("/").get_data(), client.get("/?from=mail").get_data()
    assert len(gate.rules.pages.entries) == 1
    assert b"google-analytics" not in second and b'id="cookiegate-banner"' in second
    # The replayed page carries this request's banner: its form returns here.
    assert b'name="next" value="/"' in first
    assert b'name="next" value="/?from=mail"' in second
    outside = [page.split(b'<section id="cookiegate-banner"') for page in (first, second)]
    assert outside[0][0] == outside[1][0]
    assert outside[0][1].split(b"</section>", 1)[1] == outside[1][1].split(b"</section>", 1)[1]
    consented = Client(gate)
    consented.set_cookie(*gate.consent_cookie(categories=["analytics"]).split("=", 1))
    assert b"google-analytics" in consented.get("/").get_data()
    assert len(gate.rules.pages.entries) == 2


def test_middleware_streams_bodies_of_unknown_length(tmp_path: Path) -> None:
    gate = _site(tmp_path, stream=True)
    body = Client(gate).get("/").get_data()
    assert b"google-analytics" not in body and b"cookiegate-banner" in body
    assert not gate.rules.pages.entries


def test_a_whole_body_with_a_bom_takes_the_ordinary_route(tmp_path: Path) -> None:
    """The header's charset loses to a BOM, so the one-piece shortcut must not apply."""
    config = tmp_path / "cookies.yaml"
    config.write_text(SITE)
    body = "\ufeff".encode("utf-16-le") + HTML.decode().encode("utf-16-le")

    def app(environ: object, start_response: object) -> object:
        response = Response([body], content_type="text/html; charset=utf-8")
        return response(environ, start_response)  # type: ignore[arg-type]

    gate = CookieGate(app, config, secret_key="k" * 32)  # type: ignore[arg-type]
    out = Client(gate).get("/").get_data()
    assert out.startswith(b"\xff\xfe")
    text = out.decode("utf-16")
    assert "google-analytics" not in text and "cookiegate-banner" in text


def test_an_app_that_writes_and_returns_a_body_is_gated_in_order(tmp_path: Path) -> None:
    config = tmp_path / "cookies.yaml"
    config.write_text(SITE)

    def app(environ: object, start_response: Any) -> object:
        write = start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(HTML)))],
        )
        write(HTML[:30])
        return [HTML[30:]]

    gate = CookieGate(app, config, secret_key="k" * 32)  # type: ignore[arg-type]
    body = Client(gate).get("/").get_data()
    assert body.startswith(HTML[:30]) and b"google-analytics" not in body
    assert b"cookiegate-banner" in body
