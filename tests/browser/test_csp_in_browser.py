"""cookiegate's Content-Security-Policy and Consent Mode script in a real Chromium.

The gate only sees the HTML the app sends. Here an allowed Google Tag Manager script
(served by the route handler in place of the real one) injects the Meta pixel at run
time, as a GTM container can: a ``<script src>`` and an ``<img>``, neither of which was
in the HTML. With ``csp: enforce`` Chromium must block both before they leave the
browser; with ``csp: off`` they go out, which shows the check can fail.

Playwright's route handler only sees requests that got past the page's Content Security
Policy: Chromium checks the policy first, so a blocked request never reaches it (the
``off`` and ``report-only`` runs, where the same requests are recorded, show it is not
a matter of the handler missing them). A ``securitypolicyviolation`` listener, added
before any page script, records what the policy stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from cookiegate import CookieGate
from cookiegate.config import Config

from ._support import GTAG, PIXEL_IMAGE, PIXEL_SCRIPT, SECRET_KEY, LiveServer, Visitor

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from playwright.sync_api import Browser, Route

GTM_URL = f"https://{GTAG}/gtm.js?id=GTM-TEST"
#: What the fake container does once it runs: load the Meta pixel, script and image.
GTM_JS = f"""
window.gtmRan = true;
var s = document.createElement('script');
s.src = 'https://{PIXEL_SCRIPT}/en_US/fbevents.js';
document.head.appendChild(s);
var i = document.createElement('img');
i.src = 'https://{PIXEL_IMAGE}/tr?id=1&ev=PageView';
document.body.appendChild(i);
"""
NONCE = "dGVzdC1ub25jZQ=="
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script nonce="{NONCE}">window.appRan = true;</script>
</head><body><main><h1>Shop</h1>
<script nonce="{NONCE}" src="{GTM_URL}"></script>
</main></body></html>""".encode()
CONFIG = {
    "services": {
        "google-tag-manager": {"preset": "google-tag-manager", "category": "analytics"},
        "meta-pixel": {
            "preset": "meta-pixel",
            "hosts": [PIXEL_SCRIPT, PIXEL_IMAGE],
        },
    },
}
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener('securitypolicyviolation', e => window.violations.push(e.blockedURI));
"""


def _app(app_policy: str | None) -> Callable[[WSGIEnvironment, StartResponse], list[bytes]]:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if app_policy is not None:
            headers.append(("Content-Security-Policy", app_policy))
        start_response("200 OK", headers)
        return [PAGE]

    return app


class ContainerVisitor(Visitor):
    """A visitor whose browser gets the fake GTM container; other outside requests are
    recorded and aborted as usual."""

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url == GTM_URL:
            self.third_party.append(url)
            route.fulfill(status=200, content_type="text/javascript", body=GTM_JS)
            return
        super()._route(route)

    def violations(self) -> set[str]:
        blocked: list[str] = self.page.evaluate("window.violations")
        return {urlsplit(url).hostname or url for url in blocked}


@pytest.fixture
def visit(browser: Browser) -> Iterator[Callable[..., ContainerVisitor]]:
    """``visit(csp=..., categories=..., app_policy=..., consent_mode=...)``: a fresh
    browser profile that has loaded the page once, with that consent."""
    servers: list[LiveServer] = []
    visitors: list[ContainerVisitor] = []

    def make(
        *,
        csp: str,
        categories: tuple[str, ...],
        app_policy: str | None = None,
        consent_mode: Any = None,
    ) -> ContainerVisitor:
        config = Config.from_mapping(
            {**CONFIG, "csp": csp, "google_consent_mode": consent_mode}, source="browser.yaml"
        )
        gate = CookieGate(_app(app_policy), config, secret_key=SECRET_KEY)
        server = LiveServer(gate).__enter__()
        servers.append(server)
        visitor = ContainerVisitor(browser.new_context(), server.url)
        visitors.append(visitor)
        name, value = gate.consent_cookie(categories=categories).split("=", 1)
        visitor.context.add_cookies([{"name": name, "value": value, "url": server.url}])
        visitor.context.add_init_script(RECORD_VIOLATIONS)
        visitor.visit("/")
        assert visitor.page.evaluate("window.gtmRan === true"), "the allowed container ran"
        assert visitor.page.evaluate("window.appRan === true"), "the app's inline script ran"
        return visitor

    yield make
    for visitor in visitors:
        visitor.context.close()
    for server in servers:
        server.__exit__(None, None, None)


def test_enforced_policy_blocks_what_an_allowed_tag_injects(
    visit: Callable[..., ContainerVisitor],
) -> None:
    visitor = visit(csp="enforce", categories=("analytics",), consent_mode=True)
    assert visitor.third_party_hosts == {GTAG}, visitor.third_party
    assert visitor.violations() == {PIXEL_SCRIPT, PIXEL_IMAGE}
    # No app policy: inline scripts, the Consent Mode one included, run by 'unsafe-inline'.
    state = visitor.page.evaluate("Array.from(window.dataLayer[0])")
    assert state[:2] == ["consent", "default"] and state[2]["ad_storage"] == "denied"


def test_without_the_policy_the_injected_pixel_gets_out(
    visit: Callable[..., ContainerVisitor],
) -> None:
    visitor = visit(csp="off", categories=("analytics",))
    assert visitor.third_party_hosts == {GTAG, PIXEL_SCRIPT, PIXEL_IMAGE}
    assert not visitor.violations()


def test_report_only_reports_but_does_not_block(visit: Callable[..., ContainerVisitor]) -> None:
    visitor = visit(csp="report-only", categories=("analytics",))
    assert visitor.third_party_hosts == {GTAG, PIXEL_SCRIPT, PIXEL_IMAGE}
    assert {PIXEL_SCRIPT, PIXEL_IMAGE} <= visitor.violations()


def test_consent_to_both_lets_the_pixel_load(visit: Callable[..., ContainerVisitor]) -> None:
    visitor = visit(csp="enforce", categories=("analytics", "marketing"))
    assert visitor.third_party_hosts == {GTAG, PIXEL_SCRIPT, PIXEL_IMAGE}
    assert not visitor.violations()


def test_app_nonces_keep_working_and_consent_mode_runs_first(
    visit: Callable[..., ContainerVisitor],
) -> None:
    """The app's strict nonce policy and ours together: the app's nonce'd scripts run,
    the Consent Mode script (given the app's nonce) runs before them, and the pixel
    injected through ``'strict-dynamic'`` is still blocked by ours."""
    visitor = visit(
        csp="enforce",
        categories=("analytics",),
        app_policy=f"script-src 'nonce-{NONCE}' 'strict-dynamic'; object-src 'none'",
        consent_mode=True,
    )
    page = visitor.page
    assert page.evaluate("window.appRan === true")
    first = page.evaluate("Array.from(window.dataLayer[0])")
    assert first[:2] == ["consent", "default"]
    assert first[2]["analytics_storage"] == "granted"
    assert first[2]["ad_storage"] == "denied"
    assert visitor.third_party_hosts == {GTAG}
    assert visitor.violations() == {PIXEL_SCRIPT, PIXEL_IMAGE}, "nothing else was blocked"
