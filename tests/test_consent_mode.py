"""Google Consent Mode v2: the state Google tags start in, and where the script goes."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import Client, TestResponse

from cookiegate import CookieGate
from cookiegate.config import Config
from cookiegate.consent import Consent
from cookiegate.consent_mode import (
    ATTRIBUTE,
    SCRIPT,
    SCRIPT_HASHES,
    ConsentMode,
    consent_state,
    loads_before_consent,
)
from cookiegate.csp import AppPolicies
from cookiegate.etags import consent_variant
from cookiegate.exceptions import ConfigError
from cookiegate.hosts import UrlResolver
from cookiegate.html.gate import GateRules, HtmlGate

from . import test_properties as props
from .browser_model import QuietPage
from .conftest import CONFIG_DATA, KEY, PAGE, make_app

ENFORCE = "Content-Security-Policy"
GTAG = b'<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
GTAG_INLINE = b"<script>gtag('config','G-1')</script>"
PIXEL = b'<script src="https://connect.facebook.net/en_US/fbevents.js"></script>'


def config(mode: object = True, **extra: Any) -> Config:
    return Config.from_mapping(
        {**CONFIG_DATA, "google_consent_mode": mode, **extra}, source="t.yaml"
    )


CFG = config()
ALL_DENIED = {
    "ad_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
    "analytics_storage": "denied",
    "functionality_storage": "denied",
    "personalization_storage": "denied",
    "security_storage": "granted",
}


def consent(cfg: Config = CFG, *categories: str, **kw: Any) -> Consent:
    return Consent(config=cfg, decided=True, categories=frozenset(categories), **kw)


def state(cfg: Config, who: Consent) -> dict[str, str]:
    assert cfg.google_consent_mode is not None
    return consent_state(cfg.google_consent_mode, who)


# -- the state ---------------------------------------------------------------------------


def test_default_mapping_from_the_usual_category_names() -> None:
    assert state(CFG, Consent(config=CFG)) == ALL_DENIED
    assert state(CFG, consent(CFG, "analytics")) == {**ALL_DENIED, "analytics_storage": "granted"}
    ads = {"ad_storage": "granted", "ad_user_data": "granted", "ad_personalization": "granted"}
    assert state(CFG, consent(CFG, "marketing")) == {**ALL_DENIED, **ads}


def test_other_category_names() -> None:
    cfg = config(
        categories={
            "essential": {"title": "Essential", "required": True},
            "advertising": {"title": "Ads"},
            "preferences": {"title": "Preferences"},
        },
        services={},
        cookies=[],
    )
    assert cfg.google_consent_mode is not None
    assert dict(cfg.google_consent_mode.types) == {
        "ad_storage": ("advertising",),
        "ad_user_data": ("advertising",),
        "ad_personalization": ("advertising",),
        "analytics_storage": (),  # no analytics-like category: always denied
        "functionality_storage": ("preferences",),
        "personalization_storage": ("preferences",),
        "security_storage": ("essential",),
    }


def test_gpc_denies_advertising_whatever_it_is_mapped_to() -> None:
    cfg = config({"ad_storage": "analytics", "ad_user_data": ["analytics"]})
    who = consent(cfg, "analytics", "marketing")
    assert state(cfg, who)["ad_storage"] == "granted"
    with_gpc = consent(cfg, "analytics", "marketing", gpc=True)
    assert state(cfg, with_gpc)["ad_storage"] == "denied"
    assert state(cfg, with_gpc)["ad_user_data"] == "denied"
    assert state(cfg, with_gpc)["analytics_storage"] == "granted"
    do_not_sell = consent(cfg, "analytics", do_not_sell=True)
    assert state(cfg, do_not_sell)["ad_storage"] == "denied"


def test_a_type_mapped_to_several_ids_needs_them_all() -> None:
    cfg = config({"analytics_storage": ["analytics", "google-analytics"], "ad_storage": "denied"})
    placeholder_only = Consent(config=cfg, services=frozenset({"google-analytics"}))
    assert state(cfg, placeholder_only)["analytics_storage"] == "denied"
    assert state(cfg, consent(cfg, "analytics"))["analytics_storage"] == "granted"
    assert state(cfg, consent(cfg, "marketing"))["ad_storage"] == "denied"


def test_opt_out_jurisdiction_grants_before_a_decision() -> None:
    cfg = config(jurisdiction="opt-out")
    assert state(cfg, Consent(config=cfg))["ad_storage"] == "granted"
    assert state(cfg, Consent(config=cfg, gpc=True))["ad_storage"] == "denied"


# -- the script ---------------------------------------------------------------------------


def test_script_hash_is_the_hash_of_the_injected_text() -> None:
    markup = ConsentMode.markup('{"ad_storage":"denied"}', "n0nce")
    text = re.fullmatch(r"<script[^>]*>(.*)</script>", markup)
    assert text is not None and text.group(1) == SCRIPT
    digest = base64.b64encode(hashlib.sha256(text.group(1).encode()).digest()).decode()
    assert SCRIPT_HASHES["sha256"] == f"'sha256-{digest}'"
    assert markup.startswith(f'<script nonce="n0nce" {ATTRIBUTE}=\'{{')


def test_the_state_rides_in_the_attribute_as_json() -> None:
    mode = ConsentMode(CFG.google_consent_mode)  # type: ignore[arg-type]
    who = consent(CFG, "analytics")
    prelude = mode.prelude(who, consent_variant(who), AppPolicies())
    assert prelude.runs
    match = re.search(rf"{ATTRIBUTE}='([^']*)'", prelude.markup)
    assert match is not None
    assert json.loads(match.group(1)) == {**ALL_DENIED, "analytics_storage": "granted"}
    assert "nonce" not in prelude.markup


def test_a_blocking_app_policy_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    mode = ConsentMode(CFG.google_consent_mode)  # type: ignore[arg-type]
    app = AppPolicies.from_headers([(ENFORCE, "script-src 'self'")])
    who = Consent(config=CFG)
    with caplog.at_level(logging.WARNING, logger="cookiegate"):
        first = mode.prelude(who, "v", app)
        mode.prelude(who, "v", app)
    assert not first.runs
    assert caplog.text.count("blocks the inline Google Consent Mode script") == 1
    assert SCRIPT_HASHES["sha256"] in caplog.text


# -- the gate -------------------------------------------------------------------------------

PRELUDE = f"<script {ATTRIBUTE}='{{}}'>{SCRIPT}</script>"


class Page:
    def __init__(self, who: Consent) -> None:
        self.consent = who
        self.resolver = UrlResolver("https://shop.example/page")

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        return None

    def placeholder(self, service: Any, **kw: Any) -> str:
        return ""


def gate(
    html: bytes,
    *,
    who: Consent | None = None,
    cfg: Config = CFG,
    prelude: str | None = PRELUDE,
    early: bool = False,
    chunks: int | None = None,
) -> bytes:
    g = HtmlGate(
        GateRules.from_config(cfg),
        Page(who or Consent(config=cfg)),  # type: ignore[arg-type]
        prelude=prelude,
        early=early,
    )
    if chunks is None:
        return g.feed(html) + g.close()
    return b"".join(g.feed(html[i : i + chunks]) for i in range(0, len(html), chunks)) + g.close()


P = PRELUDE.encode()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(
            b"<html><head><meta charset=utf-8><script>a()</script></head>",
            b"<html><head><meta charset=utf-8>" + P + b"<script>a()</script></head>",
            id="before-the-first-script",
        ),
        pytest.param(
            b"<title>t</title><p>x<script src=/app.js></script>",
            b"<title>t</title><p>x" + P + b"<script src=/app.js></script>",
            id="no-head",
        ),
        pytest.param(
            b"<noscript><script>a()</script></noscript><script>b()</script>",
            b"<noscript><script>a()</script></noscript>" + P + b"<script>b()</script>",
            id="not-inside-noscript",
        ),
        pytest.param(
            b"<svg><script>a()</script></svg><script>b()</script>",
            b"<svg><script>a()</script></svg>" + P + b"<script>b()</script>",
            id="not-inside-svg",
        ),
        pytest.param(b"<p>no script here</p>", b"<p>no script here</p>", id="no-script"),
        pytest.param(
            b"<script>a()</script><script>b()</script>",
            P + b"<script>a()</script><script>b()</script>",
            id="once",
        ),
        pytest.param(GTAG + GTAG_INLINE + b"<p>", P + b"<p>", id="blocked-scripts-still-removed"),
        pytest.param(
            b"<<script>a()</script>", b"<" + P + b"<script>a()</script>", id="after-a-text-lt"
        ),
    ],
)
def test_prelude_placement(html: bytes, expected: bytes) -> None:
    assert gate(html) == expected
    assert {gate(html, chunks=size) for size in (1, 2, 7)} == {expected}


def test_without_a_prelude_pages_are_untouched() -> None:
    html = b"<head><script>a()</script><script " + ATTRIBUTE.encode() + b"='{}'>x</script>"
    assert gate(html, prelude=None) == html


def test_gating_twice_leaves_one_current_copy() -> None:
    html = b"<!doctype html><head><script src=/app.js></script></head><body><script>b()</script>"
    once = gate(html)
    assert once.count(f"{ATTRIBUTE}='".encode()) == 1
    assert gate(once) == once
    # A copy with another state (a cached page, a change of mind) is replaced, wherever it is.
    stale = f'<script {ATTRIBUTE}=\'{{"ad_storage":"granted"}}\'>{SCRIPT}</script>'.encode()
    replaced = gate(
        b"<!doctype html><head>"
        + stale
        + b"<script src=/app.js></script></head><body>"
        + stale
        + b"<script>b()</script>"
        + stale
    )
    assert replaced == once
    assert b"granted" not in replaced


def test_default_behaviour_remains_removal() -> None:
    """Consent mode alone keeps no Google tag: the visitor's choice still decides."""
    html = GTAG + GTAG_INLINE + PIXEL
    assert gate(html, early=True) == P
    assert gate(html, who=consent(CFG, "analytics")) == P + GTAG + GTAG_INLINE


EARLY = config({"load_before_consent": ["google-analytics"]})
EARLY_PAGE = (
    GTAG
    + GTAG_INLINE
    + PIXEL
    + b'<noscript><img src="https://www.googletagmanager.com/ns.html"></noscript>'
    + b'<img src="https://www.google-analytics.com/collect">'
    + b'<link rel=preconnect href="https://www.googletagmanager.com">'
)


def test_load_before_consent_keeps_scripts_only() -> None:
    out = gate(EARLY_PAGE, cfg=EARLY, early=True)
    assert out == P + GTAG + GTAG_INLINE + b"<noscript></noscript>", (
        "its scripts stay; its image, noscript fallback and preconnect do not, since only "
        "code reads the consent state"
    )


def test_load_before_consent_needs_the_prelude_to_run() -> None:
    assert gate(EARLY_PAGE, cfg=EARLY, early=False) == P + b"<noscript></noscript>"


def test_load_before_consent_yields_to_gpc_for_sale_or_share_services() -> None:
    cfg = config(
        {"load_before_consent": ["google-analytics"]},
        categories={
            **CONFIG_DATA["categories"],  # type: ignore[dict-item]
            "analytics": {"title": "Analytics", "sale_or_share": True},
        },
    )
    assert loads_before_consent(cfg, "google-analytics", Consent(config=cfg))
    assert not loads_before_consent(cfg, "google-analytics", Consent(config=cfg, gpc=True))
    assert not loads_before_consent(cfg, "google-analytics", consent(cfg, do_not_sell=True))
    assert gate(GTAG, cfg=cfg, early=True, who=Consent(config=cfg, gpc=True)) == P
    # The two states must not share remembered gate decisions.
    refused = consent(cfg)
    not_sold = consent(cfg, do_not_sell=True)
    assert consent_variant(refused) != consent_variant(not_sold)


# -- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yes", r"google_consent_mode: expected true, false or a mapping"),
        ({"ad_storge": "marketing"}, r"google_consent_mode.ad_storge: unknown key .*'ad_storage'"),
        (
            {"ad_storage": "markting"},
            r"google_consent_mode.ad_storage: 'markting' is neither a declared category nor a "
            r"service; use their ids, or 'denied' \(did you mean 'marketing'\?\)",
        ),
        ({"analytics_storage": []}, r"analytics_storage: an empty list names nothing"),
        (
            {"load_before_consent": ["google-analytic"]},
            r"load_before_consent\[0\]: 'google-analytic' is not a declared service "
            r"\(did you mean 'google-analytics'\?\)",
        ),
        ({"load_before_consent": "google-analytics"}, r"load_before_consent: expected a list"),
    ],
)
def test_config_errors(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config(value)


def test_off_unless_asked() -> None:
    assert Config.from_mapping(CONFIG_DATA).google_consent_mode is None
    assert config(False).google_consent_mode is None
    assert config({}).google_consent_mode == CFG.google_consent_mode


def test_fingerprint_covers_consent_mode() -> None:
    plain = Config.from_mapping(CONFIG_DATA).fingerprint
    assert config(False).fingerprint == plain
    assert CFG.fingerprint != plain
    assert EARLY.fingerprint != CFG.fingerprint


# -- through the middleware ------------------------------------------------------------------


def get(cfg: Config, *, categories: tuple[str, ...] = (), **app: Any) -> TestResponse:
    gated = CookieGate(make_app(**app), cfg, secret_key=KEY)
    client = Client(gated)
    if categories:
        client.set_cookie(*gated.consent_cookie(categories=categories).split("=", 1))
    return client.get("/")


def prelude_of(body: bytes) -> tuple[str | None, dict[str, str]]:
    match = re.search(
        rb"<script( nonce=\"([^\"]*)\")? " + ATTRIBUTE.encode() + rb"='([^']*)'>", body
    )
    assert match is not None, body
    nonce = match.group(2).decode() if match.group(2) else None
    return nonce, json.loads(match.group(3))


def test_middleware_injects_the_state_before_the_first_script() -> None:
    body = get(CFG, categories=("analytics",)).get_data()
    nonce, injected = prelude_of(body)
    assert nonce is None
    assert injected == {**ALL_DENIED, "analytics_storage": "granted"}
    assert body.index(ATTRIBUTE.encode()) < body.index(b"googletagmanager.com/gtag")


def test_middleware_reuses_the_apps_nonce() -> None:
    header = (ENFORCE, "script-src 'nonce-Zm9vYmFy' 'strict-dynamic'")
    response = get(CFG, headers=[header])
    nonce, _ = prelude_of(response.get_data())
    assert nonce == "Zm9vYmFy"
    assert response.headers.getlist(ENFORCE) == [header[1]], "no policy of ours unless asked"


def test_middleware_with_csp_lists_early_services_only_when_the_script_can_run() -> None:
    cfg = config({"load_before_consent": ["google-analytics"]}, csp="enforce")
    runs = get(cfg, headers=[(ENFORCE, "script-src 'nonce-abc'")])
    ours = runs.headers.getlist(ENFORCE)[1]
    assert "www.googletagmanager.com" in ours
    assert SCRIPT_HASHES["sha256"] in ours
    assert b"googletagmanager.com/gtag" in runs.get_data()
    blocked = get(cfg, headers=[(ENFORCE, "script-src 'self'")])
    assert "www.googletagmanager.com" not in blocked.headers.getlist(ENFORCE)[1]
    assert b"googletagmanager.com/gtag" not in blocked.get_data()


def test_middleware_without_consent_mode_keeps_the_page_as_it_was() -> None:
    body = get(Config.from_mapping(CONFIG_DATA), body=PAGE).get_data()
    assert ATTRIBUTE.encode() not in body


# -- properties on generated documents (the strategies of tests/test_properties.py) -------


def _with_prelude(html: bytes, cuts: list[int] | None = None) -> bytes:
    g = HtmlGate(props.RULES, QuietPage(props.NOBODY, props.URL), prelude=PRELUDE)  # type: ignore[arg-type]
    if cuts is None:
        return g.feed(html) + g.close()
    out, pos = [], 0
    for size in cuts:
        out.append(g.feed(html[pos : pos + size]))
        pos += size
    return b"".join(out) + g.feed(html[pos:]) + g.close()


@props.SETTINGS
@given(html=props.documents(), data=st.data())
def test_prelude_does_not_depend_on_chunking(html: bytes, data: st.DataObject) -> None:
    whole = _with_prelude(html)
    cuts = data.draw(st.lists(st.integers(1, max(len(html), 1)), max_size=12), label="chunks")
    assert _with_prelude(html, cuts) == whole
    assert whole.count(P) <= 1


@props.SETTINGS
@given(html=props.documents())
def test_prelude_is_idempotent(html: bytes) -> None:
    once = _with_prelude(html)
    assert _with_prelude(once) == once
