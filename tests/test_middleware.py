"""CookieGate end to end through werkzeug's test client: the visitor flows."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from werkzeug.test import Client, TestResponse

from cookiegate import CookieGate, SecretKeyError, get_consent
from cookiegate.config import Config
from cookiegate.consent import Consent

from .conftest import KEY, PAGE, make_app

ORIGIN = {"Origin": "http://localhost"}


def with_cookie(gate: CookieGate, cookie: str) -> Client:
    """A client whose cookie jar holds ``name=value`` (the jar overrides Cookie headers)."""
    client = Client(gate)
    name, value = cookie.split("=", 1)
    client.set_cookie(name, value)
    return client


def without_tokens(body: bytes) -> bytes:
    """The body with CSRF token values blanked: they differ on every response."""
    return re.sub(rb'name="csrf" value="[^"]*"', b'name="csrf" value=""', body)


def csrf_of(response: TestResponse) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page carries a CSRF token"
    return match.group(1)


def post_banner(client: Client, action: str, *, next_: str = "/", **extra: str) -> TestResponse:
    page = client.get(next_)
    data = {"action": action, "csrf": csrf_of(page), "next": next_, **extra}
    return client.post("/_cookiegate/consent", data=data, headers=ORIGIN)


def test_first_visit_gets_banner_and_no_trackers(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    response = client.get("/")
    body = response.get_data()
    assert b'id="cookiegate-banner"' in body
    assert body.index(b"cookiegate-banner") > body.index(b"<body>")
    for tracker in (b"googletagmanager", b"gtag(", b"youtube.com/embed", b"facebook.com/tr"):
        assert tracker not in body
    assert b"<h1>Hello</h1>" in body
    assert "Cookie" in response.headers["Vary"] and "Sec-GPC" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers, "nothing is stored before the visitor acts"


def test_accept_all_loads_everything_and_hides_banner(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    response = post_banner(client, "accept")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    # 182 days of consent_days, plus 30 days in which an expired choice is recognised.
    for attribute in ("HttpOnly", "SameSite=Lax", "Max-Age=18316800", "Path=/"):
        assert attribute in cookie
    assert "Secure" not in cookie
    assert client.get("/").get_data() == PAGE


def test_reject_all_is_remembered(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    assert post_banner(client, "reject").status_code == 303
    body = client.get("/").get_data()
    assert b"cookiegate-banner" not in body
    assert b"googletagmanager" not in body and b"youtube.com/embed" not in body


def test_settings_goes_to_preferences(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    response = post_banner(client, "settings", next_="/article?id=3")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/cookie-settings")
    assert "Set-Cookie" not in response.headers


def test_preferences_save_grants_exactly_the_chosen(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    page = client.get("/cookie-settings")
    assert page.status_code == 200
    response = client.post(
        "/cookie-settings",
        data={"action": "save", "category": ["analytics"], "csrf": csrf_of(page)},
        headers=ORIGIN,
    )
    assert response.status_code == 303
    body = client.get("/").get_data()
    assert b"googletagmanager" in body and b"gtag(" in body
    assert b"youtube.com/embed" not in body and b"facebook.com/tr" not in body


def test_placeholder_grants_one_service(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    first = client.get("/").get_data(as_text=True)
    assert "youtube" in first.lower() and 'value="allow_service"' in first
    response = post_banner(client, "allow_service", service="youtube", next_="/#cg-youtube-1")
    assert response.status_code == 303 and response.headers["Location"] == "/#cg-youtube-1"
    body = client.get("/").get_data()
    assert b"youtube.com/embed" in body and b"googletagmanager" not in body


def test_cross_site_post_is_rejected_with_400(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    token = csrf_of(client.get("/"))
    response = client.post(
        "/_cookiegate/consent",
        data={"action": "accept", "csrf": token, "next": "/"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example/"])
def test_open_redirects_fall_back_to_root(gated: Callable[..., CookieGate], target: str) -> None:
    client = Client(gated())
    token = csrf_of(client.get("/"))
    response = client.post(
        "/_cookiegate/consent",
        data={"action": "reject", "csrf": token, "next": target},
        headers=ORIGIN,
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_tampered_cookie_means_no_consent(gated: Callable[..., CookieGate]) -> None:
    gate = gated()
    cookie = gate.consent_cookie(categories=["analytics"])
    client = Client(gate)
    client.set_cookie("cookiegate_consent", cookie.split("=", 1)[1][:-3] + "xyz")
    body = client.get("/").get_data()
    assert b"cookiegate-banner" in body and b"googletagmanager" not in body


def test_app_sees_the_consent(gated: Callable[..., CookieGate]) -> None:
    seen: list[dict[str, object]] = []
    gate = gated(make_app(seen=seen))  # type: ignore[arg-type]
    with_cookie(gate, gate.consent_cookie(categories=["analytics"])).get("/")
    consent = get_consent(seen[0])
    assert isinstance(consent, Consent)
    assert consent.decided and consent.allows("analytics") and not consent.allows("marketing")
    assert consent.allows_service("google-analytics") and consent.id


def test_gpc_opt_in_still_asks_but_blocks_sale(gated: Callable[..., CookieGate]) -> None:
    seen: list[dict[str, object]] = []
    gate = gated(make_app(seen=seen))  # type: ignore[arg-type]
    client = Client(gate)
    response = client.get("/", headers={"Sec-GPC": "1"})
    assert b"cookiegate-banner" in response.get_data()
    assert seen[0]["HTTP_SEC_GPC"] == "1", "the header reaches the app untouched"
    assert "Set-Cookie" not in response.headers
    token = csrf_of(response)
    client.post(
        "/_cookiegate/consent",
        data={"action": "accept", "csrf": token, "next": "/"},
        headers={**ORIGIN, "Sec-GPC": "1"},
    )
    body = client.get("/", headers={"Sec-GPC": "1"}).get_data()
    assert b"googletagmanager" in body, "analytics was accepted"
    assert b"facebook.com/tr" not in body and b"youtube.com/embed" not in body


def test_gpc_opt_out_no_banner_no_cookie(config: Config) -> None:
    from dataclasses import replace

    gate = CookieGate(make_app(), replace(config, jurisdiction="opt-out"), secret_key=KEY)
    response = Client(gate).get("/", headers={"Sec-GPC": "1"})
    body = response.get_data()
    assert b"cookiegate-banner" not in body
    assert "Set-Cookie" not in response.headers
    assert b"googletagmanager" in body, "opt-out: analytics allowed until objection"
    assert b"facebook.com/tr" not in body and b"youtube.com/embed" not in body


def test_preferences_page_says_gpc_honoured(gated: Callable[..., CookieGate]) -> None:
    body = Client(gated()).get("/cookie-settings", headers={"Sec-GPC": "1"}).get_data(as_text=True)
    assert "Opt-out preference signal honored" in body


def test_gpc_json(gated: Callable[..., CookieGate]) -> None:
    response = Client(gated()).get("/.well-known/gpc.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["gpc"] is True and re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["lastUpdate"])


def test_stylesheet_is_served(gated: Callable[..., CookieGate]) -> None:
    response = Client(gated()).get("/_cookiegate/cookiegate.css")
    assert response.status_code == 200 and response.mimetype == "text/css"


def test_head_has_get_headers_and_no_injection(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated(make_app(headers=[("Content-Length", str(len(PAGE)))])))
    get, head = client.get("/"), client.head("/")
    assert "Content-Length" not in head.headers and "Content-Length" not in get.headers
    assert head.headers["Vary"] == get.headers["Vary"]
    assert head.get_data() in (b"", PAGE)


def test_non_html_passes_through_untouched(gated: Callable[..., CookieGate]) -> None:
    js = b"load('https://www.googletagmanager.com/gtag/js')"
    app = make_app(js, content_type="application/javascript", headers=[("Content-Length", "48")])
    response = Client(gated(app)).get("/app.js")
    assert response.get_data() == js and response.headers["Content-Length"] == "48"


@pytest.mark.parametrize("status", ["204 No Content", "304 Not Modified"])
def test_no_body_statuses_untouched(gated: Callable[..., CookieGate], status: str) -> None:
    response = Client(gated(make_app(b"", status=status))).get("/")
    assert response.get_data() == b""


def test_fragment_gets_no_banner(gated: Callable[..., CookieGate]) -> None:
    fragment = b'<div><script src="https://connect.facebook.net/x.js"></script><p>x</p></div>'
    body = Client(gated(make_app(fragment))).get("/part").get_data()
    assert body == b"<div><p>x</p></div>"


def test_gzip_html_is_decoded_gated_and_sent_identity(gated: Callable[..., CookieGate]) -> None:
    app = make_app(gzip.compress(PAGE), headers=[("Content-Encoding", "gzip")], chunks=50)
    response = Client(gated(app)).get("/")
    assert "Content-Encoding" not in response.headers
    body = response.get_data()
    assert b"cookiegate-banner" in body and b"googletagmanager" not in body


def test_strong_etag_is_weakened(gated: Callable[..., CookieGate]) -> None:
    response = Client(gated(make_app(headers=[("ETag", '"abc"')]))).get("/")
    assert response.headers["ETag"].startswith('W/"abc-cg')


def test_works_under_script_name(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    page = client.get("/shop/", environ_overrides={"SCRIPT_NAME": "/shop", "PATH_INFO": "/"})
    text = page.get_data(as_text=True)
    assert 'action="/shop/_cookiegate/consent"' in text
    assert 'href="/shop/_cookiegate/cookiegate.css' in text
    response = client.post(
        "/shop/_cookiegate/consent",
        data={"action": "accept", "csrf": csrf_of(page), "next": "/"},
        headers=ORIGIN,
        environ_overrides={"SCRIPT_NAME": "/shop", "PATH_INFO": "/_cookiegate/consent"},
    )
    assert response.status_code == 303
    assert "Path=/shop" in response.headers["Set-Cookie"]


def test_secure_cookie_on_https(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    page = client.get("/", base_url="https://localhost")
    response = client.post(
        "/_cookiegate/consent",
        base_url="https://localhost",
        data={"action": "reject", "csrf": csrf_of(page), "next": "/"},
        headers={"Origin": "https://localhost"},
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_config_may_be_a_path(tmp_path: Path) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text("policy_url: /privacy\n", encoding="utf-8")
    gate = CookieGate(make_app(), path, secret_key=KEY)
    assert gate.config.policy_url == "/privacy"
    assert b"cookiegate-banner" in Client(gate).get("/").get_data()


def test_secret_key_from_environment(monkeypatch: pytest.MonkeyPatch, config: Config) -> None:
    monkeypatch.setenv("COOKIEGATE_SECRET_KEY", "a" * 32 + ", " + "b" * 32)
    gate = CookieGate(make_app(), config)
    other = CookieGate(make_app(), config, secret_key="b" * 32)
    cookie = other.consent_cookie(categories=["analytics"])
    assert b"googletagmanager" in with_cookie(gate, cookie).get("/").get_data()


def test_missing_secret_key_says_how_to_set_one(
    monkeypatch: pytest.MonkeyPatch, config: Config
) -> None:
    monkeypatch.delenv("COOKIEGATE_SECRET_KEY", raising=False)
    with pytest.raises(SecretKeyError, match="COOKIEGATE_SECRET_KEY"):
        CookieGate(make_app(), config)


def test_chunked_body_same_as_whole(gated: Callable[..., CookieGate]) -> None:
    gate = gated()
    cookie = gate.consent_cookie(categories=["analytics"])
    whole = without_tokens(with_cookie(gate, cookie).get("/").get_data())
    assert b"googletagmanager" in whole and b"facebook.com/tr" not in whole
    for size in (1, 7, 64):
        chunked = gated(make_app(chunks=size))
        assert without_tokens(with_cookie(chunked, cookie).get("/").get_data()) == whole


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="empty"),
        pytest.param({"action": "explode"}, id="unknown-action"),
        pytest.param({"action": "save", "category": "nonexistent"}, id="unknown-category"),
        pytest.param({"action": "allow_service", "service": "x" * 5000}, id="huge-service"),
    ],
)
def test_bad_posts_get_400_not_500(gated: Callable[..., CookieGate], data: dict[str, str]) -> None:
    client = Client(gated())
    token = csrf_of(client.get("/"))
    response = client.post("/_cookiegate/consent", data={"csrf": token, **data}, headers=ORIGIN)
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers


def set_cookies(*names: str, extra: str = "; Path=/") -> list[tuple[str, str]]:
    return [("Set-Cookie", f"{name}=1{extra}") for name in names]


def test_app_cookies_of_refused_categories_are_dropped(gated: Callable[..., CookieGate]) -> None:
    app = make_app(headers=set_cookies("session", "_ga", "_ga_X1", "_fbp"))
    gate = gated(app)
    first = Client(gate).get("/")
    assert first.headers.getlist("Set-Cookie") == ["session=1; Path=/"]
    client = with_cookie(gate, gate.consent_cookie(categories=["analytics"]))
    names = [c.split("=")[0] for c in client.get("/").headers.getlist("Set-Cookie")]
    assert names == ["session", "_ga", "_ga_X1"]


def test_cookie_deletions_always_pass(gated: Callable[..., CookieGate]) -> None:
    app = make_app(headers=set_cookies("_fbp", extra="; Max-Age=0; Path=/"))
    assert Client(gated(app)).get("/").headers.getlist("Set-Cookie") == [
        "_fbp=1; Max-Age=0; Path=/"
    ]


def test_firewall_applies_to_non_html_too(gated: Callable[..., CookieGate]) -> None:
    app = make_app(b"{}", content_type="application/json", headers=set_cookies("_fbp"))
    assert "Set-Cookie" not in Client(gated(app)).get("/api").headers


def test_undeclared_cookies_allowed_and_logged_once(
    gated: Callable[..., CookieGate], caplog: pytest.LogCaptureFixture
) -> None:
    gate = gated(make_app(headers=set_cookies("mystery")))
    client = Client(gate)
    assert client.get("/").headers.getlist("Set-Cookie") == ["mystery=1; Path=/"]
    client.get("/")
    warnings = [r for r in caplog.records if "mystery" in r.getMessage()]
    assert len(warnings) == 1 and "declare it" in warnings[0].getMessage()


def test_undeclared_cookies_blocked_in_strict_mode(config: Config) -> None:
    from dataclasses import replace

    strict = replace(config, undeclared_cookies="block")
    gate = CookieGate(make_app(headers=set_cookies("mystery", "session")), strict, secret_key=KEY)
    assert Client(gate).get("/").headers.getlist("Set-Cookie") == ["session=1; Path=/"]


def test_gpc_keeps_sale_cookies_out_even_with_consent(gated: Callable[..., CookieGate]) -> None:
    gate = gated(make_app(headers=set_cookies("_fbp")))
    client = with_cookie(gate, gate.consent_cookie(categories=["marketing"]))
    assert client.get("/").headers.getlist("Set-Cookie") == ["_fbp=1; Path=/"]
    assert "Set-Cookie" not in client.get("/", headers={"Sec-GPC": "1"}).headers


def test_non_utf8_cookie_header_is_no_consent_not_an_error(
    gated: Callable[..., CookieGate],
) -> None:
    response = Client(gated()).get("/", environ_overrides={"HTTP_COOKIE": "a=\xfc\xff; b"})
    assert response.status_code == 200 and b"cookiegate-banner" in response.get_data()


def test_link_header_preloads_are_gated(gated: Callable[..., CookieGate]) -> None:
    link = (
        "<https://www.googletagmanager.com/gtag/js>; rel=preload; as=script, "
        '</static/app.css>; rel="preload stylesheet", '
        "<https://connect.facebook.net>; rel=preconnect, "
        '<https://www.facebook.com/page>; rel="me"'
    )
    gate = gated(make_app(headers=[("Link", link)]))
    first = Client(gate).get("/").headers["Link"]
    assert (
        first
        == '</static/app.css>; rel="preload stylesheet", <https://www.facebook.com/page>; rel="me"'
    )
    consented = with_cookie(gate, gate.consent_cookie(categories=["analytics"])).get("/")
    assert "googletagmanager" in consented.headers["Link"]
    assert "connect.facebook.net" not in consented.headers["Link"]


def test_link_header_fully_blocked_is_dropped(gated: Callable[..., CookieGate]) -> None:
    app = make_app(headers=[("Link", "<//evil.example/x.js>; rel=modulepreload")])
    assert "Link" not in Client(gated(app)).get("/").headers


def test_refresh_header_to_a_tracker_is_dropped(gated: Callable[..., CookieGate]) -> None:
    app = make_app(headers=[("Refresh", "0; url=https://www.facebook.com/tr")])
    assert "Refresh" not in Client(gated(app)).get("/").headers
    local = make_app(headers=[("Refresh", "5; url=/next")])
    assert Client(gated(local)).get("/").headers["Refresh"] == "5; url=/next"


def conditional_app(etag: str = '"v1"') -> Callable[..., object]:
    """An app that answers 304 when If-None-Match names its ETag, like Django's middleware."""

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            start_response("304 Not Modified", [("ETag", etag)])
            return []
        start_response("200 OK", [("Content-Type", "text/html"), ("ETag", etag)])
        return [PAGE]

    return app


def test_etag_names_the_consent_state_and_304_only_for_the_same_state(
    gated: Callable[..., CookieGate],
) -> None:
    gate = gated(conditional_app())  # type: ignore[arg-type]
    client = Client(gate)
    first = client.get("/")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"v1-cg') and etag.endswith('"')
    again = client.get("/", headers={"If-None-Match": etag.removeprefix("W/")})
    assert again.status_code == 304, "same consent state: the app's 304 is still right"
    # The 304 stands for the gated page: the same tag and Vary as its 200, or a cache
    # would store the app's bare tag and revalidate it under any consent state.
    assert again.headers["ETag"] == etag
    assert {"cookie", "sec-gpc"} <= {v.strip().lower() for v in again.headers["Vary"].split(",")}
    consented = with_cookie(gate, gate.consent_cookie(categories=["analytics"]))
    after = consented.get("/", headers={"If-None-Match": etag.removeprefix("W/")})
    assert after.status_code == 200, "another consent state must not revalidate the old page"
    assert after.headers["ETag"] != etag


def test_foreign_and_star_if_none_match_pass(gated: Callable[..., CookieGate]) -> None:
    from cookiegate.etags import untag_if_none_match

    assert untag_if_none_match("*", "abc") == "*"
    assert untag_if_none_match('"x", "y-cgabc", "z-cgold"', "abc") == '"x", "y"'
    assert untag_if_none_match('"z-cgold"', "abc") is None


def test_placeholder_grant_keeps_the_banner_asking(gated: Callable[..., CookieGate]) -> None:
    client = Client(gated())
    post_banner(client, "allow_service", service="youtube", next_="/")
    body = client.get("/").get_data()
    assert b"youtube.com/embed" in body, "the one service loads"
    assert b"cookiegate-banner" in body, "the categories were never answered"
    assert b"googletagmanager" not in body
    post_banner(client, "reject")
    body = client.get("/").get_data()
    assert b"cookiegate-banner" not in body
