"""Views end to end: every action's cookie and redirect, CSRF, redirects, GPC, pages."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.test import Client, EnvironBuilder, TestResponse
from werkzeug.wrappers import Response

from cookiegate.config import Category, Config, CookieSpec, Service
from cookiegate.consent import ENVIRON_KEY, Consent, ConsentCodec, consent_from_environ
from cookiegate.csrf import CsrfTokens
from cookiegate.views import Views, safe_next

SECRET = "test-secret-key-0123456789"
ORIGIN = {"Origin": "http://localhost"}
CONSENT_URL = "/_cookiegate/consent"
PREFS_URL = "/cookie-settings"


def make_config(**overrides: Any) -> Config:
    values: dict[str, Any] = {
        "policy_url": "/privacy",
        "categories": (
            Category(id="necessary", title="Strictly necessary", required=True),
            Category(id="analytics", title="Analytics", description="Counts visits."),
            Category(id="marketing", title="Marketing", sale_or_share=True),
            Category(id="social", title="Social media", sale_or_share=True),
        ),
        "services": (
            Service(
                id="ga",
                title="Google Analytics",
                category="analytics",
                provider="Google",
                privacy_policy="https://policies.example/privacy",
                cookies=(
                    CookieSpec(name="_ga", category="analytics", duration="2 years"),
                    CookieSpec(name="_ga_*", category="analytics", duration="2 years"),
                ),
            ),
            Service(id="youtube", title="YouTube", category="social", placeholder=True),
            Service(
                id="pixel",
                title="Ad pixel",
                category="marketing",
                cookies=(CookieSpec(name="_fbp", category="marketing", duration="3 months"),),
            ),
        ),
        "cookies": (
            CookieSpec(name="session", category="necessary", purpose="Keeps you signed in"),
        ),
    }
    values.update(overrides)
    return Config(**values)


class Site:
    """A tiny WSGI app: publishes the consent like the middleware, then asks the Views.

    Anything the Views do not answer is a page showing the banner, so tests can read
    its form.
    """

    def __init__(self, config: Config | None = None, *, clock: Any = None) -> None:
        self.config = config or make_config()
        self.codec = ConsentCodec(self.config, SECRET)
        self.csrf = CsrfTokens(SECRET) if clock is None else CsrfTokens(SECRET, clock=clock)
        self.decisions: list[tuple[Consent, str]] = []
        self.views = Views(
            self.config,
            self.codec,
            self.csrf,
            on_decision=lambda consent, source, environ: self.decisions.append((consent, source)),
        )
        self.client = Client(self.app)

    def app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ[ENVIRON_KEY] = consent_from_environ(environ, self.codec)
        response = self.views.handle(environ)
        if response is None:
            body = self.views.banner(environ, lang=None, absolute_urls=False)
            response = Response(body, mimetype="text/html")
        return response(environ, start_response)

    def post(
        self, url: str, data: dict[str, Any], *, headers: dict[str, str] | None = None, **kw: Any
    ) -> TestResponse:
        form = {"csrf": self.csrf.issue(), **data}
        headers = ORIGIN if headers is None else headers
        return self.client.post(url, data=form, headers=headers, **kw)

    def stored(self) -> Consent:
        cookie = self.client.get_cookie(self.config.cookie_name)
        assert cookie is not None
        return self.codec.loads(cookie.value)

    def decide(self, **data: Any) -> Consent:
        response = self.post(PREFS_URL, data)
        assert response.status_code == 303, response.text
        return self.stored()


@pytest.fixture
def site() -> Site:
    return Site()


def consent_cookies(response: TestResponse, name: str) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")]


# -- actions ------------------------------------------------------------------------


def test_banner_accept_grants_every_optional_category_and_redirects_to_next(site: Site) -> None:
    response = site.post(CONSENT_URL, {"action": "accept", "next": "/blog?page=2"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/blog?page=2"
    consent = site.stored()
    assert consent.categories == {"analytics", "marketing", "social"}
    assert consent.services == frozenset()
    assert site.decisions[-1][1] == "banner"
    assert site.decisions[-1][0].id == consent.id


def test_consent_cookie_attributes(site: Site) -> None:
    response = site.post(CONSENT_URL, {"action": "reject", "next": "/"})
    (cookie,) = consent_cookies(response, "cookiegate_consent")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    # The cookie outlives the choice by the grace period, so an expired choice is
    # recognised as one (and the next decision logged as "expiry").
    assert f"Max-Age={site.codec.max_age + 30 * 86400}" in cookie
    assert "Secure" not in cookie


def test_consent_cookie_is_secure_over_https(site: Site) -> None:
    response = site.post(
        CONSENT_URL,
        {"action": "reject"},
        headers={"Origin": "https://localhost"},
        base_url="https://localhost/",
    )
    assert response.status_code == 303
    assert "Secure" in consent_cookies(response, "cookiegate_consent")[0]


def test_banner_reject_is_a_decision_with_nothing_granted(site: Site) -> None:
    response = site.post(CONSENT_URL, {"action": "reject", "next": "/a"})
    assert response.headers["Location"] == "/a"
    consent = site.stored()
    assert consent.decided and consent.categories == frozenset()
    assert consent.allows("necessary") and not consent.allows("analytics")


def test_settings_redirects_to_preferences_without_storing(site: Site) -> None:
    response = site.post(CONSENT_URL, {"action": "settings", "next": "/a b?x=1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/cookie-settings?next=%2Fa%2520b%3Fx%3D1"
    assert consent_cookies(response, "cookiegate_consent") == []
    assert site.decisions == []


def test_preferences_save_records_ticked_categories(site: Site) -> None:
    response = site.post(PREFS_URL, {"action": "save", "category": ["analytics"]})
    assert response.status_code == 303
    assert response.headers["Location"] == "/cookie-settings?saved=1"
    assert site.stored().categories == {"analytics"}
    assert site.decisions[-1][1] == "preferences"


def test_preferences_save_returns_to_next_when_opened_from_the_banner(site: Site) -> None:
    response = site.post(PREFS_URL, {"action": "save", "next": "/article"})
    assert response.headers["Location"] == "/article"


def test_preferences_save_with_unknown_category_is_400(site: Site) -> None:
    response = site.post(PREFS_URL, {"action": "save", "category": ["analytics", "nope"]})
    assert response.status_code == 400
    assert consent_cookies(response, "cookiegate_consent") == []


def test_accept_and_save_keep_the_existing_consent_id(site: Site) -> None:
    first = site.decide(action="reject")
    second = site.decide(action="save", category="analytics")
    third = site.decide(action="accept")
    assert first.id == second.id == third.id


def test_withdraw_starts_a_new_consent_id_and_grants_nothing(site: Site) -> None:
    first = site.decide(action="accept")
    withdrawn = site.decide(action="withdraw")
    assert withdrawn.id != first.id
    assert withdrawn.decided and withdrawn.categories == frozenset()
    assert site.decisions[-1][1] == "withdrawal"


def test_withdraw_expires_declared_cookies_of_denied_categories(site: Site) -> None:
    accepted = site.codec.consent_cookie(["analytics", "marketing", "social"])
    carried = "; ".join(f"{name}=1" for name in ("_ga", "_ga_XYZ", "_fbp", "session", "other"))
    client = Client(site.app, use_cookies=False)  # it would replace our Cookie header
    response = client.post(
        PREFS_URL,
        data={"action": "withdraw", "csrf": site.csrf.issue()},
        base_url="http://www.shop.example.com/",
        headers={"Origin": "http://www.shop.example.com", "Cookie": f"{accepted}; {carried}"},
    )
    assert response.status_code == 303
    deletions = [c for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" in c]
    deleted = {c.split("=", 1)[0] for c in deletions}
    assert deleted == {"_ga", "_ga_XYZ", "_fbp"}
    ga = [c for c in deletions if c.startswith("_ga=")]
    domains = sorted(re.findall(r"Domain=([^;]+)", "; ".join(ga)))
    parents = ["example.com", "shop.example.com", "www.shop.example.com"]
    assert domains == sorted(parents + ["." + d for d in parents])  # with a leading dot too
    assert len(ga) == 7  # host-only too; exact headers in test_withdrawal.py
    assert all("Path=/" in c for c in ga)


def test_withdraw_on_localhost_deletes_host_only(site: Site) -> None:
    site.decide(action="accept")
    site.client.set_cookie("_ga", "1", domain="localhost")
    response = site.post(PREFS_URL, {"action": "withdraw"})
    ga = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("_ga=")]
    assert len(ga) == 1 and "Domain" not in ga[0]


def withdraw_with_cookie_header(site: Site, cookie_header: str) -> Response:
    """POST a withdrawal straight to the Views with a raw PEP 3333 Cookie header."""
    builder = EnvironBuilder(
        path=PREFS_URL, method="POST", data={"action": "withdraw", "csrf": site.csrf.issue()}
    )
    environ = builder.get_environ()
    builder.close()
    environ["HTTP_COOKIE"] = cookie_header
    environ[ENVIRON_KEY] = site.codec.loads(None)
    response = site.views.handle(environ)
    assert response is not None
    return response


def test_withdraw_skips_cookie_names_that_are_not_tokens(site: Site) -> None:
    response = withdraw_with_cookie_header(site, "_ga_a\x01b=1; _ga_x y=2; _ga_ok=3")
    assert response.status_code == 303
    deleted = {c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie")}
    assert deleted == {"cookiegate_consent", "_ga_ok"}


def test_withdraw_survives_a_cookie_header_that_is_not_utf8(site: Site) -> None:
    response = withdraw_with_cookie_header(site, "_ga=1; x=\xfc\xfe")
    assert response.status_code == 303
    assert any(c.startswith("_ga=;") for c in response.headers.getlist("Set-Cookie"))


def test_allow_service_for_an_undecided_visitor_grants_only_that_service(site: Site) -> None:
    response = site.post(
        CONSENT_URL, {"action": "allow_service", "service": "youtube", "next": "/v#cg-1"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/v#cg-1"
    consent = site.stored()
    assert consent.services == {"youtube"} and consent.categories == frozenset()
    assert consent.allows_service("youtube") and not consent.allows("social")
    assert site.decisions[-1][1] == "placeholder"


def test_allow_service_adds_to_an_existing_decision(site: Site) -> None:
    before = site.decide(action="save", category="analytics")
    site.post(CONSENT_URL, {"action": "allow_service", "service": "youtube"})
    after = site.stored()
    assert after.categories == {"analytics"} and after.services == {"youtube"}
    assert after.id == before.id


def test_allow_service_in_opt_out_keeps_the_default_allowed_categories() -> None:
    site = Site(make_config(jurisdiction="opt-out"))
    site.post(CONSENT_URL, {"action": "allow_service", "service": "ga"})
    consent = site.stored()
    assert consent.categories == {"analytics", "marketing", "social"}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"action": "allow_service", "service": "nope"}, id="unknown-service"),
        pytest.param({"action": "allow_service"}, id="missing-service"),
        pytest.param({"action": "save"}, id="save-on-consent-endpoint"),
        pytest.param({"action": "explode"}, id="unknown-action"),
        pytest.param({}, id="no-action"),
    ],
)
def test_invalid_consent_forms_are_400_without_storing(site: Site, data: dict[str, Any]) -> None:
    response = site.post(CONSENT_URL, data)
    assert response.status_code == 400
    assert "does not recognise" in response.text
    assert consent_cookies(response, "cookiegate_consent") == []


@pytest.mark.parametrize("action", ["settings", "allow_service", "bogus"])
def test_preferences_endpoint_refuses_banner_only_actions(site: Site, action: str) -> None:
    response = site.post(PREFS_URL, {"action": action, "service": "youtube"})
    assert response.status_code == 400


# -- garbage never escapes as a 500 ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(
            b"action=accept&csrf=" + b"x" * 200_000, "application/x-www-form-urlencoded", id="huge"
        ),
        pytest.param(
            b"action=%ff%fe&next=%c3%28", "application/x-www-form-urlencoded", id="bad-utf8"
        ),
        pytest.param(b"--b\r\nbroken", "multipart/form-data; boundary=b", id="broken-multipart"),
        pytest.param(b'{"action": "accept"}', "application/json", id="json"),
        pytest.param(
            b"&".join([b"category=x"] * 500), "application/x-www-form-urlencoded", id="many-parts"
        ),
        pytest.param(b"", "", id="empty"),
    ],
)
def test_garbage_posts_are_400(site: Site, body: bytes, content_type: str) -> None:
    for url in (CONSENT_URL, PREFS_URL):
        response = site.client.post(url, data=body, content_type=content_type, headers=ORIGIN)
        assert response.status_code == 400


def test_garbage_field_values_are_400_not_500(site: Site) -> None:
    response = site.post(
        PREFS_URL, {"action": "save", "category": ["\ufffd", "\x00" * 1000], "next": "\x00"}
    )
    assert response.status_code == 400
    assert safe_next("/\udcff") is None


# -- CSRF -------------------------------------------------------------------------------


def assert_retry_form(response: TestResponse, *fields: str) -> None:
    assert response.status_code == 400
    assert "form expired or came from another site" in response.text
    assert 'name="csrf"' in response.text
    for field in fields:
        assert field in response.text
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Origin": "https://evil.example"}, id="cross-origin"),
        pytest.param({"Origin": "null"}, id="null-origin"),
        pytest.param({"Origin": "http://localhost:8080"}, id="other-port"),
        pytest.param({"Referer": "https://evil.example/page"}, id="cross-origin-referer"),
        pytest.param({"Origin": "https://localhost"}, id="other-scheme"),
    ],
)
def test_cross_site_posts_get_the_retry_form(site: Site, headers: dict[str, str]) -> None:
    response = site.post(
        PREFS_URL, {"action": "save", "category": ["analytics"], "next": "/x"}, headers=headers
    )
    assert_retry_form(response, 'name="category" value="analytics"', 'value="save"')
    assert 'action="/cookie-settings"' in response.text
    assert 'href="/x"' in response.text
    assert site.client.get_cookie("cookiegate_consent") is None
    assert site.decisions == []


def test_bad_token_gets_the_retry_form(site: Site) -> None:
    response = site.post(CONSENT_URL, {"action": "accept", "csrf": "forged"})
    assert_retry_form(response, 'value="accept"')
    assert f'action="{CONSENT_URL}"' in response.text


def test_missing_token_gets_the_retry_form(site: Site) -> None:
    response = site.client.post(CONSENT_URL, data={"action": "reject"}, headers=ORIGIN)
    assert_retry_form(response, 'value="reject"')


def test_expired_token_gets_the_retry_form() -> None:
    now = [1_000_000.0]
    site = Site(clock=lambda: now[0])
    token = site.csrf.issue()
    now[0] += site.csrf.max_age + 5
    response = site.post(CONSENT_URL, {"action": "accept", "csrf": token})
    assert_retry_form(response, 'value="accept"')


def test_the_retry_form_works(site: Site) -> None:
    failed = site.post(
        CONSENT_URL, {"action": "allow_service", "service": "youtube", "csrf": "x", "next": "/v"}
    )
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', failed.text))
    assert fields["service"] == "youtube" and fields["action"] == "allow_service"
    response = site.client.post(CONSENT_URL, data=fields, headers=ORIGIN)
    assert response.status_code == 303 and response.headers["Location"] == "/v"
    assert site.stored().services == {"youtube"}


def test_same_origin_referer_without_origin_is_accepted(site: Site) -> None:
    response = site.post(
        CONSENT_URL, {"action": "reject"}, headers={"Referer": "http://localhost/page"}
    )
    assert response.status_code == 303


def test_no_origin_and_no_referer_relies_on_the_token(site: Site) -> None:
    assert site.post(CONSENT_URL, {"action": "reject"}, headers={}).status_code == 303


# -- redirects --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil",
        "/ok\r\nSet-Cookie: x=1",
        "",
        "/" + "a" * 5000,
    ],
)
def test_unsafe_next_falls_back_to_the_root(site: Site, target: str) -> None:
    response = site.post(CONSENT_URL, {"action": "reject", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_non_ascii_next_is_percent_encoded(site: Site) -> None:
    response = site.post(CONSENT_URL, {"action": "reject", "next": "/café?q=ü"})
    assert response.headers["Location"] == "/caf%C3%A9?q=%C3%BC"


def test_safe_next_keeps_query_and_fragment() -> None:
    assert safe_next("/a/b?x=1&y=%20#top") == "/a/b?x=1&y=%20#top"
    assert safe_next(None) is None


# -- GPC and opt-out ----------------------------------------------------------------------


def test_banner_accept_under_gpc_does_not_grant_sale_or_share(site: Site) -> None:
    site.post(CONSENT_URL, {"action": "accept"}, headers={**ORIGIN, "Sec-GPC": "1"})
    consent = site.stored()
    assert consent.categories == {"analytics"}
    assert not consent.sale_opt_in


def test_explicit_tick_under_gpc_records_sale_opt_in(site: Site) -> None:
    site.post(
        PREFS_URL,
        {"action": "save", "category": ["marketing"]},
        headers={**ORIGIN, "Sec-GPC": "1"},
    )
    cookie = site.client.get_cookie("cookiegate_consent")
    assert cookie is not None
    consent = site.codec.loads(cookie.value, gpc=True)
    assert consent.sale_opt_in and consent.allows("marketing")


def test_saving_without_sale_categories_under_gpc_does_not_opt_in(site: Site) -> None:
    site.post(
        PREFS_URL, {"action": "save", "category": ["analytics"]}, headers={**ORIGIN, "Sec-GPC": "1"}
    )
    assert not site.stored().sale_opt_in


def test_do_not_sell_checkbox_in_opt_out_jurisdiction() -> None:
    site = Site(make_config(jurisdiction="opt-out"))
    consent = site.decide(action="save", category=["analytics", "marketing"], do_not_sell="1")
    assert consent.do_not_sell
    assert consent.allows("analytics") and not consent.allows("marketing")


def test_do_not_sell_is_ignored_in_opt_in_jurisdiction(site: Site) -> None:
    assert not site.decide(action="save", do_not_sell="1").do_not_sell


# -- the preferences page -------------------------------------------------------------------


def checkbox(html: str, value: str) -> str:
    match = re.search(rf'<input[^>]*name="category" value="{value}"[^>]*>', html)
    assert match is not None, value
    return match.group(0)


def test_preferences_page_for_an_undecided_visitor(site: Site) -> None:
    response = site.client.get(PREFS_URL)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    assert html.startswith("<!doctype html>")
    assert '<html lang="en" dir="ltr">' in html
    necessary = checkbox(html, "necessary")
    assert " checked" in necessary and " disabled" in necessary
    assert "Always on" in html
    for optional in ("analytics", "marketing", "social"):
        assert " checked" not in checkbox(html, optional)
    assert html.count("<fieldset") == 4 and html.count("<legend") == 4
    assert "You have not made a choice yet." in html
    assert 'value="withdraw"' not in html
    assert 'name="do_not_sell"' not in html
    assert "Opt-out preference signal honored" not in html
    for action in ("save", "accept", "reject"):
        assert f'name="action" value="{action}"' in html


def test_preferences_page_declaration_table(site: Site) -> None:
    html = site.client.get(PREFS_URL).text
    assert "<caption" in html and 'scope="col"' in html
    rows = re.findall(r"<tr class=\"cg-row\">(.*?)</tr>", html, re.S)
    assert len(rows) == 5  # _ga, _ga_*, YouTube (no cookies), _fbp, session
    session = next(r for r in rows if "session" in r)
    assert "This site" in session and "Keeps you signed in" in session
    assert 'href="/privacy"' in session
    ga = next(r for r in rows if "_ga<" in r)
    assert 'scope="row">Google Analytics' in ga and "2 years" in ga and "Google" in ga
    assert 'href="https://policies.example/privacy"' in ga
    youtube = next(r for r in rows if "YouTube" in r)
    assert "None declared" in youtube


def test_preferences_page_for_a_decided_visitor(site: Site) -> None:
    consent = site.decide(action="save", category="analytics")
    html = site.client.get(PREFS_URL + "?saved=1").text
    assert consent.id is not None and consent.id in html
    assert "Your choices have been saved." in html
    assert " checked" in checkbox(html, "analytics")
    assert " checked" not in checkbox(html, "marketing")
    assert 'value="withdraw"' in html


def test_preferences_page_shows_gpc_and_unticks_sale_categories(site: Site) -> None:
    site.decide(action="accept")
    html = site.client.get(PREFS_URL, headers={"Sec-GPC": "1"}).text
    assert "Opt-out preference signal honored" in html
    assert " checked" in checkbox(html, "analytics")
    assert " checked" not in checkbox(html, "marketing")


def test_opt_out_preferences_page_shows_defaults_checked_and_do_not_sell() -> None:
    site = Site(make_config(jurisdiction="opt-out"))
    html = site.client.get(PREFS_URL).text
    assert " checked" in checkbox(html, "analytics")
    dns = re.search(r'<input[^>]*name="do_not_sell"[^>]*>', html)
    assert dns is not None and " checked" not in dns.group(0)
    html = site.client.get(PREFS_URL, headers={"Sec-GPC": "1"}).text
    dns = re.search(r'<input[^>]*name="do_not_sell"[^>]*>', html)
    assert dns is not None and " checked" in dns.group(0)
    assert " checked" not in checkbox(html, "marketing")


def test_preferences_page_carries_a_safe_next_only(site: Site) -> None:
    html = site.client.get(PREFS_URL + "?next=%2Fshop%3Fa%3D1").text
    assert 'name="next" value="/shop?a=1"' in html
    assert 'href="/shop?a=1"' in html
    html = site.client.get(PREFS_URL + "?next=https://evil.example").text
    assert "evil" not in html


def test_head_preferences_has_no_body(site: Site) -> None:
    response = site.client.head(PREFS_URL)
    assert response.status_code == 200 and response.data == b""


# -- stylesheet, gpc.json, 404, 405 ---------------------------------------------------------


def test_stylesheet_is_cacheable_and_conditional(site: Site) -> None:
    response = site.client.get("/_cookiegate/cookiegate.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    etag = response.headers["ETag"]
    assert b".cg-banner" in response.data
    again = site.client.get("/_cookiegate/cookiegate.css", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = site.client.get("/_cookiegate/cookiegate.css", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


def test_gpc_json_is_dated_by_the_config_file(tmp_path: Any) -> None:
    source = tmp_path / "cookies.yaml"
    source.write_text("revision: 1\n")
    os.utime(source, (1_700_000_000, 1_700_000_000))
    site = Site(make_config(source=str(source)))
    response = site.client.get("/.well-known/gpc.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json == {"gpc": True, "lastUpdate": "2023-11-14"}


def test_gpc_json_without_a_file_is_dated_today(site: Site) -> None:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert site.client.get("/.well-known/gpc.json").json == {"gpc": True, "lastUpdate": today}
    mounted = site.client.get("/.well-known/gpc.json", base_url="http://localhost/app")
    assert mounted.status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("GET", CONSENT_URL, "POST"),
        ("PUT", PREFS_URL, "GET, HEAD, POST"),
        ("POST", "/_cookiegate/cookiegate.css", "GET, HEAD"),
        ("DELETE", "/.well-known/gpc.json", "GET, HEAD"),
    ],
)
def test_wrong_method_is_405_with_allow(site: Site, method: str, url: str, allow: str) -> None:
    response = site.client.open(url, method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow


@pytest.mark.parametrize("url", ["/_cookiegate", "/_cookiegate/", "/_cookiegate/x.js"])
def test_unknown_endpoint_urls_are_404(site: Site, url: str) -> None:
    response = site.client.get(url)
    assert response.status_code == 404 and len(response.data) < 100


def test_other_urls_are_left_to_the_app(site: Site) -> None:
    assert site.views.handle({"PATH_INFO": "/_cookiegatex", "REQUEST_METHOD": "GET"}) is None
    assert site.client.get("/anything").status_code == 200


# -- mounting and <base href> ----------------------------------------------------------------


def urls_in(html: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]*)"', html)


def test_every_url_carries_the_script_name(site: Site) -> None:
    base = "http://localhost/app"
    banner = site.client.get("/page?x=1", base_url=base).text
    prefs = site.client.get(PREFS_URL, base_url=base).text
    for url in urls_in(banner) + urls_in(prefs):
        third_party = url.startswith("https://policies.example/")
        assert url.startswith("/app/") or url == "/privacy" or third_party, url
    assert 'name="next" value="/app/page?x=1"' in banner
    assert 'href="/app/cookie-settings?next=%2Fapp%2Fpage%3Fx%3D1"' in banner
    response = site.post(CONSENT_URL, {"action": "reject"}, base_url=base)
    assert response.status_code == 303
    assert response.headers["Location"] == "/app/"
    assert "Path=/app" in consent_cookies(response, "cookiegate_consent")[0]
    settings = site.post(CONSENT_URL, {"action": "settings", "next": "/app/p"}, base_url=base)
    assert settings.headers["Location"] == "/app/cookie-settings?next=%2Fapp%2Fp"
    saved = site.post(PREFS_URL, {"action": "save"}, base_url=base)
    assert saved.headers["Location"] == "/app/cookie-settings?saved=1"


def test_absolute_urls_mode(site: Site) -> None:
    environ = {
        "REQUEST_METHOD": "GET",
        "wsgi.url_scheme": "https",
        "HTTP_HOST": "shop.example",
        "SCRIPT_NAME": "/app",
        "PATH_INFO": "/p",
        "QUERY_STRING": "",
    }
    html = site.views.banner(environ, lang=None, absolute_urls=True)
    urls = urls_in(html)
    assert len(urls) == 4
    assert all(url.startswith("https://shop.example/") for url in urls), urls
    assert "https://shop.example/app/_cookiegate/consent" in urls
    assert "https://shop.example/privacy" in urls


# -- banner and placeholder fragments -----------------------------------------------------------


def test_banner_structure(site: Site) -> None:
    html = site.client.get("/").text
    assert re.match(r'<link [^>]*href="/_cookiegate/cookiegate.css\?v=\w+">', html)
    assert '<section id="cookiegate-banner"' in html
    assert 'aria-labelledby="cookiegate-banner-title"' in html
    assert '<h2 id="cookiegate-banner-title"' in html
    assert "aria-modal" not in html and "<aside" not in html
    assert html.count("<form") == 1 and 'method="post"' in html
    buttons = re.findall(r"<button[^>]*>", html)
    assert [re.search(r'value="(\w+)"', b).group(1) for b in buttons] == [  # type: ignore[union-attr]
        "accept",
        "reject",
        "settings",
    ]
    assert len({re.sub(r'value="\w+"', "", b) for b in buttons}) == 1  # identical otherwise
    assert 'href="/privacy"' in html
    assert "opt-out preference signal" not in html
    assert all(re.search(r'class="cg-', tag) for tag in re.findall(r"<(?!/)[^>]+>", html))


def test_banner_mentions_gpc(site: Site) -> None:
    html = site.client.get("/", headers={"Sec-GPC": "1"}).text
    assert "Your opt-out preference signal (GPC) is honored" in html


def placeholder_environ() -> WSGIEnvironment:
    return {
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "PATH_INFO": "/watch",
        "QUERY_STRING": "v=1",
        "SCRIPT_NAME": "",
    }


def test_placeholder_keeps_the_embed_size_and_posts_allow_service(site: Site) -> None:
    service = site.config.service("youtube")
    assert service is not None
    html = site.views.placeholder(
        placeholder_environ(),
        service,
        lang=None,
        absolute_urls=False,
        width="560",
        height="315px",
        anchor="cg-embed-1",
    )
    assert 'id="cg-embed-1"' in html
    assert 'width="560" height="315" viewBox="0 0 560 315"' in html
    assert 'name="action" value="allow_service"' in html
    assert 'name="service" value="youtube"' in html
    assert 'name="next" value="/watch?v=1#cg-embed-1"' in html
    assert "Load YouTube" in html


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (None, None, None),
        ("100%", None, 'width="100%"'),
        ("12em", "x", None),
        ("640", None, 'width="640"'),
    ],
)
def test_placeholder_dimensions(
    site: Site, width: str | None, height: str | None, expected: str | None
) -> None:
    service = site.config.service("youtube")
    assert service is not None
    html = site.views.placeholder(
        placeholder_environ(),
        service,
        lang=None,
        absolute_urls=False,
        width=width,
        height=height,
        anchor="a",
    )
    if expected is None:
        assert "<svg" not in html
    else:
        assert expected in html and "viewBox" not in html


def test_placeholder_under_gpc_links_to_the_settings(site: Site) -> None:
    service = site.config.service("youtube")
    assert service is not None
    environ = {**placeholder_environ(), "HTTP_SEC_GPC": "1"}
    html = site.views.placeholder(
        environ, service, lang=None, absolute_urls=False, width=None, height=None, anchor="a"
    )
    assert "allow_service" not in html
    assert 'href="/cookie-settings?next=%2Fwatch%3Fv%3D1"' in html


def test_banner_language_follows_accept_language() -> None:
    config = make_config(texts={"de": {"banner_title": "Wir verwenden Cookies"}})
    site = Site(config)
    html = site.client.get("/", headers={"Accept-Language": "de-DE, en;q=0.5"}).text
    assert "Wir verwenden Cookies" in html and 'lang="de"' in html
    environ = {**placeholder_environ(), "HTTP_ACCEPT_LANGUAGE": "de"}
    assert "We use cookies" in site.views.banner(environ, lang="en-GB", absolute_urls=False)


# -- fuzzing: no form input escapes as an exception -------------------------------------------

_FIELDS = st.sampled_from(["action", "category", "service", "next", "csrf", "do_not_sell", "x"])
_VALUES = st.one_of(
    st.sampled_from(
        [
            "accept",
            "reject",
            "save",
            "settings",
            "withdraw",
            "allow_service",
            "youtube",
            "analytics",
            "necessary",
            "//evil",
            "/ok",
        ]
    ),
    st.text(max_size=40),
)


@settings(max_examples=60, deadline=None)
@given(
    form=st.lists(st.tuples(_FIELDS, _VALUES), max_size=8),
    url=st.sampled_from([CONSENT_URL, PREFS_URL]),
    gpc=st.booleans(),
)
def test_any_form_answers_303_or_400(form: list[tuple[str, str]], url: str, gpc: bool) -> None:
    site = Site()
    data = MultiDict(form)
    if "csrf" not in data:
        data["csrf"] = site.csrf.issue()
    headers = {**ORIGIN, **({"Sec-GPC": "1"} if gpc else {})}
    response = site.client.post(url, data=data, headers=headers)
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\"))
