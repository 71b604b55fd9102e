"""Withdrawal that really withdraws, and the Set-Cookie firewall under GPC.

A decision that stops covering a category (withdrawal, un-ticking a box, "Reject all"
after "Accept all", refusing a changed category) expires the first-party cookies of that
category the request carries, wherever a tracker may have written them. Before the
visitor acts, a Global Privacy Control signal keeps every ``sale_or_share`` cookie out,
whoever would set it.
"""

from __future__ import annotations

import email.message
import http.cookiejar
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import pytest
from werkzeug.test import Client, TestResponse

from cookiegate import CookieGate
from cookiegate.config import Config
from cookiegate.consent import Consent
from cookiegate.views import cookie_deletions

from .conftest import CONFIG_DATA, KEY, make_app
from .test_views import CONSENT_URL, PREFS_URL, Site, make_config

HOST = "www.shop.example.com"
BASE = f"http://{HOST}/"
EPOCH = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"


def deletions(response: TestResponse, name: str) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")]


def deleted_names(response: TestResponse) -> set[str]:
    return {c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" in c}


def post_with_cookies(
    site: Site,
    url: str,
    data: dict[str, Any],
    consent: str,
    carried: Iterable[str],
    *,
    scheme: str = "http",
) -> TestResponse:
    """POST with a hand-written Cookie header: the consent cookie plus ``carried`` names."""
    client = Client(site.app, use_cookies=False)  # a jar would replace our Cookie header
    header = "; ".join([consent, *(f"{name}=1" for name in carried)])
    return client.post(
        url,
        data={"csrf": site.csrf.issue(), **data},
        base_url=f"{scheme}://{HOST}/",
        headers={"Origin": f"{scheme}://{HOST}", "Cookie": header},
    )


# -- which variants are deleted ------------------------------------------------------


def test_withdrawal_deletes_every_domain_and_path_variant_exactly() -> None:
    site = Site()
    accepted = site.codec.consent_cookie(["analytics", "marketing", "social"])
    response = post_with_cookies(site, PREFS_URL, {"action": "withdraw"}, accepted, ["_ga"])
    assert response.status_code == 303
    assert deletions(response, "_ga") == [
        f"_ga=; {EPOCH}",
        f"_ga=; {EPOCH}; Domain=www.shop.example.com",
        f"_ga=; {EPOCH}; Domain=.www.shop.example.com",
        f"_ga=; {EPOCH}; Domain=shop.example.com",
        f"_ga=; {EPOCH}; Domain=.shop.example.com",
        f"_ga=; {EPOCH}; Domain=example.com",
        f"_ga=; {EPOCH}; Domain=.example.com",
    ]


def test_deletions_over_https_are_secure() -> None:
    site = Site()
    accepted = site.codec.consent_cookie(["analytics"])
    response = post_with_cookies(
        site, PREFS_URL, {"action": "withdraw"}, accepted, ["_ga_ABC"], scheme="https"
    )
    ga = deletions(response, "_ga_ABC")
    assert len(ga) == 7
    assert all(c.endswith("; Secure") and c.count("Secure") == 1 for c in ga)


def test_prefixed_cookie_names_follow_the_browser_rules() -> None:
    # __Host- cookies are host-only and secure; __Secure- cookies are secure anywhere.
    assert cookie_deletions("__Host-id", ["example.com"], secure=False) == [
        f"__Host-id=; {EPOCH}; Secure"
    ]
    assert cookie_deletions("__Secure-id", ["example.com"], secure=False) == [
        f"__Secure-id=; {EPOCH}; Secure",
        f"__Secure-id=; {EPOCH}; Domain=example.com; Secure",
        f"__Secure-id=; {EPOCH}; Domain=.example.com; Secure",
    ]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        pytest.param("localhost", [f"_fbp=; {EPOCH}"], id="localhost"),
        pytest.param("127.0.0.1:8000", [f"_fbp=; {EPOCH}"], id="ipv4"),
        pytest.param("[::1]:8000", [f"_fbp=; {EPOCH}"], id="ipv6"),
        pytest.param(
            "Shop.Example:8080",
            [
                f"_fbp=; {EPOCH}",
                f"_fbp=; {EPOCH}; Domain=shop.example",
                f"_fbp=; {EPOCH}; Domain=.shop.example",
            ],
            id="port-and-case",
        ),
    ],
)
def test_hosts_without_parent_domains(host: str, expected: list[str]) -> None:
    site = Site()
    accepted = site.codec.consent_cookie(["marketing"])
    client = Client(site.app, use_cookies=False)
    response = client.post(
        PREFS_URL,
        data={"csrf": site.csrf.issue(), "action": "withdraw"},
        base_url=f"http://{host}/",
        headers={"Cookie": f"{accepted}; _fbp=1"},
    )
    assert response.status_code == 303
    assert deletions(response, "_fbp") == expected


def test_only_declared_cookies_of_uncovered_categories_are_deleted() -> None:
    site = Site()
    accepted = site.codec.consent_cookie(["analytics", "marketing"])
    carried = ["_ga", "_ga_XYZ", "_fbp", "session", "other", "_gax"]
    response = post_with_cookies(site, PREFS_URL, {"action": "withdraw"}, accepted, carried)
    # session is necessary, "other" is undeclared and "_gax" matches no glob: all kept.
    assert deleted_names(response) == {"_ga", "_ga_XYZ", "_fbp"}
    # The consent cookie is replaced by the new (withdrawn) choice, never deleted.
    (consent_cookie,) = deletions(response, "cookiegate_consent")
    assert "Max-Age=0" not in consent_cookie


# -- every change of decision, not only "withdraw" -----------------------------------


@pytest.mark.parametrize(
    ("url", "data", "granted", "expected"),
    [
        pytest.param(
            PREFS_URL,
            {"action": "save", "category": ["marketing"]},
            ["analytics", "marketing"],
            {"_ga", "_ga_1"},
            id="save-unticks-analytics",
        ),
        pytest.param(
            CONSENT_URL,
            {"action": "reject"},
            ["analytics", "marketing", "social"],
            {"_ga", "_ga_1", "_fbp"},
            id="reject-after-accept",
        ),
        pytest.param(
            PREFS_URL,
            {"action": "reject"},
            ["analytics"],
            {"_ga", "_ga_1", "_fbp"},
            id="reject-on-preferences",
        ),
        pytest.param(
            CONSENT_URL,
            {"action": "accept"},
            [],
            set(),
            id="accept-after-reject-deletes-nothing",
        ),
        pytest.param(
            PREFS_URL,
            {"action": "save", "category": ["analytics", "marketing"]},
            ["analytics", "marketing"],
            set(),
            id="same-choice-deletes-nothing",
        ),
        pytest.param(
            CONSENT_URL,
            {"action": "allow_service", "service": "youtube"},
            ["analytics"],
            {"_fbp"},
            id="placeholder-keeps-granted-cookies",
        ),
    ],
)
def test_a_change_of_decision_expires_what_it_no_longer_covers(
    url: str, data: dict[str, Any], granted: list[str], expected: set[str]
) -> None:
    site = Site()
    consent = site.codec.consent_cookie(granted)
    response = post_with_cookies(site, url, data, consent, ["_ga", "_ga_1", "_fbp", "session"])
    assert response.status_code == 303
    assert deleted_names(response) == expected


def test_refusing_a_changed_category_expires_its_cookies() -> None:
    site = Site()
    before = site.codec.consent_cookie(["analytics", "marketing"])
    changed = Site(describe(site.config, "analytics", "Counts visits and builds profiles."))
    response = post_with_cookies(
        changed,
        CONSENT_URL,
        {"action": "reject_changed", "category": "analytics"},
        before,
        ["_ga", "_fbp"],
    )
    assert response.status_code == 303
    assert deleted_names(response) == {"_ga"}  # marketing's grant stands


def test_a_decision_under_gpc_expires_sale_or_share_cookies() -> None:
    site = Site()
    consent = site.codec.consent_cookie(["analytics", "marketing"])
    client = Client(site.app, use_cookies=False)
    response = client.post(
        CONSENT_URL,
        data={"csrf": site.csrf.issue(), "action": "accept"},
        base_url="http://localhost/",
        headers={"Cookie": f"{consent}; _fbp=1; _ga=1", "Sec-GPC": "1"},
    )
    assert deleted_names(response) == {"_fbp"}


def test_a_service_cookie_follows_its_service_grant() -> None:
    # _ga is declared by the google-analytics service: a placeholder grant of that
    # service alone covers it, and the preferences form (which grants categories only)
    # then expires it. The firewall follows the same rule.
    site = Site(Config.from_mapping(CONFIG_DATA))
    only_ga = site.codec.dumps(
        Consent(config=site.config, decided=True, services=frozenset({"google-analytics"}), id="x")
    )
    consent = f"{site.config.cookie_name}={only_ga}"
    kept = post_with_cookies(
        site, CONSENT_URL, {"action": "allow_service", "service": "youtube"}, consent, ["_ga"]
    )
    assert deleted_names(kept) == set()
    saved = post_with_cookies(site, PREFS_URL, {"action": "save"}, consent, ["_ga"])
    assert deleted_names(saved) == {"_ga"}


def test_settings_and_invalid_posts_delete_nothing() -> None:
    site = Site()
    consent = site.codec.consent_cookie(["analytics"])
    settings = post_with_cookies(site, CONSENT_URL, {"action": "settings"}, consent, ["_ga"])
    invalid = post_with_cookies(site, PREFS_URL, {"action": "explode"}, consent, ["_ga"])
    assert settings.status_code == 303 and invalid.status_code == 400
    assert "Set-Cookie" not in settings.headers and "Set-Cookie" not in invalid.headers


# -- end to end through the middleware, HttpOnly included ------------------------------


def app_setting(*cookies: str) -> CookieGate:
    headers = [("Set-Cookie", value) for value in cookies]
    return CookieGate(make_app(headers=headers), make_config(), secret_key=KEY)


class Browser:
    """A cookie store with a browser's domain rules (``http.cookiejar``) around a WSGI app.

    werkzeug's test client keeps ``Domain=.example.com`` and ``Domain=example.com``
    apart and does not send dotted-domain cookies to subdomains; the standard library's
    jar follows the Netscape and RFC 6265 rules browsers do.
    """

    def __init__(self, app: CookieGate) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.client = Client(app, use_cookies=False)

    def open(self, url: str, method: str = "GET", **kwargs: Any) -> TestResponse:
        request = urllib.request.Request(url, method=method)
        self.jar.add_cookie_header(request)
        headers = dict(kwargs.pop("headers", {}))
        cookie = request.get_header("Cookie")
        if cookie:
            headers["Cookie"] = cookie
        parts = urllib.parse.urlsplit(url)
        response = self.client.open(
            parts.path,
            method=method,
            base_url=f"{parts.scheme}://{parts.netloc}/",
            headers=headers,
            **kwargs,
        )
        self.jar.extract_cookies(_Info(response), request)  # type: ignore[arg-type]
        return response

    def names(self) -> set[str]:
        return {cookie.name for cookie in self.jar}


class _Info:
    def __init__(self, response: TestResponse) -> None:
        self.message = email.message.Message()
        for name, value in response.headers.items():
            self.message[name] = value

    def info(self) -> email.message.Message:
        return self.message


def test_httponly_cookies_set_by_the_app_are_deleted_on_withdrawal() -> None:
    # The app writes its tracker cookies HttpOnly and on parent domains, spelled the
    # old way (leading dot) and the new way. The browser sends back only names; the
    # deletions must still hit each name, domain and path, HttpOnly or not.
    gate = app_setting(
        "_fbp=fb.1; Domain=.shop.example.com; Path=/; HttpOnly; Max-Age=7776000",
        "_ga=GA1.2; Domain=example.com; Path=/; HttpOnly; Secure",
        "_ga_X=GS1; Path=/; HttpOnly; Secure",
        "session=s1; Path=/; HttpOnly",
    )
    browser = Browser(gate)
    origin = f"https://{HOST}"
    browser.open(
        f"{origin}{CONSENT_URL}",
        "POST",
        data={"csrf": gate.views.csrf.issue(), "action": "accept"},
        headers={"Origin": origin},
    )
    browser.open(f"{origin}/")
    assert browser.names() == {"cookiegate_consent", "_fbp", "_ga", "_ga_X", "session"}
    assert {c.name for c in browser.jar if c.has_nonstandard_attr("HttpOnly")} >= {"_fbp", "_ga"}

    response = browser.open(
        f"{origin}{PREFS_URL}",
        "POST",
        data={"csrf": gate.views.csrf.issue(), "action": "withdraw"},
        headers={"Origin": origin},
    )
    assert response.status_code == 303
    assert f"_fbp=; {EPOCH}; Domain=.shop.example.com; Secure" in deletions(response, "_fbp")
    assert f"_ga=; {EPOCH}; Domain=example.com; Secure" in deletions(response, "_ga")
    assert f"_ga_X=; {EPOCH}; Secure" in deletions(response, "_ga_X")
    # The server's deletions replaced the HttpOnly cookies: only the necessary one and
    # the new (withdrawn) choice are left.
    assert browser.names() == {"cookiegate_consent", "session"}


def test_deletions_leave_after_the_redirect_unfiltered() -> None:
    # Our own deletions are not the app's Set-Cookie: the firewall must not eat them.
    gate = CookieGate(make_app(), make_config(), secret_key=KEY)
    client = Client(gate, use_cookies=False)
    consent = gate.consent_cookie(["analytics"])
    response = client.post(
        PREFS_URL,
        data={"csrf": gate.views.csrf.issue(), "action": "withdraw"},
        headers={"Origin": "http://localhost", "Cookie": f"{consent}; _ga=1"},
    )
    assert deletions(response, "_ga") == [f"_ga=; {EPOCH}"]


# -- GPC: nothing of a sale_or_share category before the visitor acts --------------------

GPC_CONFIG = {
    "categories": {
        "necessary": {"title": "Necessary", "required": True},
        "analytics": {"title": "Analytics"},
        "marketing": {"title": "Marketing", "sale_or_share": True},
    },
    "services": {
        "pixel": {
            "category": "marketing",
            "hosts": ["connect.facebook.net"],
            "cookies": [{"name": "_fbp"}, {"name": "_fbc_*"}],
        },
        "ga": {"category": "analytics", "hosts": ["www.google-analytics.com"]},
    },
    "cookies": [
        {"name": "session", "category": "necessary"},
        {"name": "_ga", "category": "analytics"},
        {"name": "ad_id", "category": "marketing"},
    ],
}
APP_COOKIES = ["session", "_ga", "_fbp", "_fbc_123", "ad_id"]


def gpc_gate(jurisdiction: str) -> CookieGate:
    config = Config.from_mapping({**GPC_CONFIG, "jurisdiction": jurisdiction})
    headers = [("Set-Cookie", f"{name}=1; Path=/; HttpOnly") for name in APP_COOKIES]
    return CookieGate(make_app(headers=headers), config, secret_key=KEY)


@pytest.mark.parametrize(
    ("jurisdiction", "passed"),
    [
        pytest.param("opt-in", ["session"], id="opt-in"),
        pytest.param("opt-out", ["session", "_ga"], id="opt-out"),
    ],
)
@pytest.mark.parametrize("path", ["/", "/api.json"])
def test_gpc_keeps_sale_or_share_cookies_of_the_app_out_before_any_choice(
    jurisdiction: str, passed: list[str], path: str
) -> None:
    client = Client(gpc_gate(jurisdiction))
    for method in ("GET", "HEAD", "POST"):
        response = client.open(path, method=method, headers={"Sec-GPC": "1"})
        names = [c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie")]
        assert names == passed, method
    # Without the signal, opt-out allows marketing until the visitor objects.
    if jurisdiction == "opt-out":
        plain = client.get(path).headers.getlist("Set-Cookie")
        assert [c.split("=", 1)[0] for c in plain] == APP_COOKIES


@pytest.mark.parametrize("jurisdiction", ["opt-in", "opt-out"])
def test_cookiegate_stores_nothing_under_gpc_before_the_visitor_acts(jurisdiction: str) -> None:
    gate = gpc_gate(jurisdiction)
    client = Client(gate)
    gpc = {"Sec-GPC": "1"}
    for url in (
        "/",
        PREFS_URL,
        f"{PREFS_URL}?next=/",
        "/_cookiegate/cookiegate.css",
        "/.well-known/gpc.json",
        "/_cookiegate/unknown",
    ):
        for method in ("GET", "HEAD"):
            response = client.open(url, method=method, headers=gpc)
            own = deletions(response, gate.config.cookie_name)
            assert own == [], (url, method)
    # Failed POSTs (no token, foreign origin) store nothing either.
    forged = client.post(CONSENT_URL, data={"action": "accept"}, headers=gpc)
    assert forged.status_code == 400 and "Set-Cookie" not in forged.headers
    assert client.get_cookie(gate.config.cookie_name) is None
    page = client.get("/", headers=gpc).get_data()
    assert (b"cookiegate-banner" in page) == (jurisdiction == "opt-in")


def test_gpc_acting_in_the_banner_still_keeps_sale_or_share_out() -> None:
    gate = gpc_gate("opt-in")
    client = Client(gate)
    gpc = {"Sec-GPC": "1", "Origin": "http://localhost"}
    client.post(
        CONSENT_URL, data={"csrf": gate.views.csrf.issue(), "action": "accept"}, headers=gpc
    )
    names = [c.split("=", 1)[0] for c in client.get("/", headers=gpc).headers.getlist("Set-Cookie")]
    assert names == ["session", "_ga"]


# -- helpers ---------------------------------------------------------------------------


def describe(config: Config, category_id: str, description: str) -> Config:
    """``config`` with one category's description changed (a new purpose)."""
    categories = tuple(
        replace(c, description=description) if c.id == category_id else c for c in config.categories
    )
    return replace(config, categories=categories)
