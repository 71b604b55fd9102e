"""Helpers shared by the browser tests and ``make_screenshots.py``.

The browser tests check what unit tests cannot: what a real Chromium *does* with the
HTML cookiegate sends. A :class:`LiveServer` serves the example site on 127.0.0.1 from a
thread, and a :class:`Visitor` is one browser profile (a Playwright context) whose every
request is routed through a recorder: requests to the test server go through, anything
else is written down and aborted. "No tracker before consent" then means "the recorder
saw no third-party URL", which holds whatever the machine's network can reach.

Waiting: the recorder is a route handler, and a routed request is paused until the
handler answers. Every third-party request a document makes during parsing (scripts,
stylesheets, images, iframes, scripts inserted by inline code) delays its ``load``
event, so once ``goto`` or a navigation has reached ``load`` the handler has already
seen them all. No sleep is needed, and no assertion depends on timing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from werkzeug.serving import BaseWSGIServer, make_server

from cookiegate.texts import BUILTIN

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("COOKIEGATE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
SECRET_KEY = "browser-tests-secret-key-0123456789"
SITE_CONFIG = ROOT / "examples" / "flask_site" / "cookies.yaml"

#: The English texts: tests find buttons by the names visitors see.
TEXT = BUILTIN["en"]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

ARTICLE = "/journal/big-buck-bunny-at-fifteen"
PREFERENCES = "/cookie-settings"
#: Pages the crawl of the example site must find; it may find more.
KNOWN_PAGES = frozenset(
    {"/", ARTICLE, "/journal/exposure-sheets", "/shop", "/basket", "/privacy", PREFERENCES}
)

# What each category of the demo's cookies.yaml makes the browser fetch. The Meta pixel
# is a script (connect.facebook.net) with JavaScript on and a <noscript> image
# (www.facebook.com) with it off; YouTube appears on the article page only.
FONTS = "fonts.googleapis.com"
GTAG = "www.googletagmanager.com"
PIXEL_SCRIPT = "connect.facebook.net"
PIXEL_IMAGE = "www.facebook.com"
YOUTUBE = "www.youtube.com"
HOSTS_BY_CATEGORY: Mapping[str, frozenset[str]] = {
    "functional": frozenset({FONTS}),
    "analytics": frozenset({GTAG}),
    "marketing": frozenset({PIXEL_SCRIPT, PIXEL_IMAGE}),
    "social": frozenset({YOUTUBE}),
}


def hosts_for(*categories: str, js: bool = True, video: bool = False) -> frozenset[str]:
    """The third-party hosts a demo page fetches once ``categories`` are allowed.

    With JavaScript on, Chromium ignores ``<noscript>`` markup; with it off, it fetches
    no ``<script src>``. ``video`` is for the article page, the one with an embed.
    """
    hosts = frozenset().union(*(HOSTS_BY_CATEGORY[c] for c in categories))
    hosts -= {PIXEL_IMAGE} if js else {PIXEL_SCRIPT, GTAG}
    return hosts if video else hosts - {YOUTUBE}


class LiveServer:
    """A WSGI app on 127.0.0.1 at an ephemeral port, served by werkzeug from a thread."""

    def __init__(self, app: WSGIApplication) -> None:
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.netloc = f"127.0.0.1:{self._server.server_port}"
        self.url = f"http://{self.netloc}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="cookiegate-live-server", daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@contextmanager
def serve_demo(config: Path | None = None) -> Iterator[LiveServer]:
    """The example site wrapped in cookiegate, as ``cookiegate demo`` builds it."""
    from cookiegate.demo import build_demo_app

    app = build_demo_app(str(config) if config else None, secret_key=SECRET_KEY)
    with LiveServer(app) as server:
        yield server


#: A first-party page with no ``lang``: the banner then speaks the visitor's
#: ``Accept-Language``, which the demo site (``<html lang="en">``) never lets it do.
UNTAGGED_PAGE = (
    b"<!doctype html><html><head><meta charset=utf-8>"
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b"<title>Untagged page</title><style>body { margin: 0 }</style></head>"
    b"<body><main><h1>Untagged page</h1>"
    b"<p>A page that does not declare its language.</p>"
    # Tall enough to scroll, so a test can see the banner scroll away with it.
    b'<p style="min-height: 200vh">End.</p></main></body></html>'
)


def _untagged_app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [UNTAGGED_PAGE]


@contextmanager
def serve_untagged_page() -> Iterator[LiveServer]:
    """:data:`UNTAGGED_PAGE` at every path, gated with the demo site's configuration."""
    from cookiegate import CookieGate

    with LiveServer(CookieGate(_untagged_app, SITE_CONFIG, secret_key=SECRET_KEY)) as server:
        yield server


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium: ``playwright install`` cannot download a browser here."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))


class Visitor:
    """One browser profile visiting one origin, with every outside request recorded.

    :attr:`third_party` lists the URLs the pages tried to fetch from any other origin
    since the last :meth:`visit` or :meth:`submit`; they were all aborted.
    """

    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.context = context
        self.origin = origin
        self.netloc = urlsplit(origin).netloc
        self.third_party: list[str] = []
        context.route("**/*", self._route)
        self.page: Page = context.new_page()

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == self.netloc:
            route.continue_()
        else:
            self.third_party.append(url)
            route.abort()

    @property
    def third_party_hosts(self) -> frozenset[str]:
        return frozenset(urlsplit(url).hostname or url for url in self.third_party)

    def visit(self, path: str) -> frozenset[str]:
        """Load ``path``; the third-party hosts it tried to reach."""
        self.third_party.clear()
        response = self.page.goto(self.origin + path)
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        return self.third_party_hosts

    def submit(self, button: str, *, within: str = "body") -> frozenset[str]:
        """Click the button named ``button`` and follow the POST's redirect to ``load``."""
        self.third_party.clear()
        locator = self.page.locator(within).get_by_role("button", name=button, exact=True)
        with self.page.expect_navigation():
            locator.click()
        return self.third_party_hosts

    def press(self, key: str) -> frozenset[str]:
        """Press ``key`` on the focused element, which must start a navigation."""
        self.third_party.clear()
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        return self.third_party_hosts

    def banner_count(self) -> int:
        return self.page.locator("#cookiegate-banner").count()

    def cookie_names(self) -> set[str]:
        return {c["name"] for c in self.context.cookies(self.origin)}

    def has_consent_cookie(self) -> bool:
        return "cookiegate_consent" in self.cookie_names()


def same_origin_links(page: Page) -> list[str]:
    """Paths of the page's links to its own origin, without query or fragment."""
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    origin = urlsplit(page.url).netloc
    return [
        urlsplit(h).path or "/" for h in hrefs if urlsplit(h).netloc == origin and h[:4] == "http"
    ]


def crawl_first_visit(visitor: Visitor, *, banner_on: Callable[[str], bool]) -> set[str]:
    """Visit every page linked from ``/`` as a visitor who decides nothing.

    Fails on the first page that reaches a third party, or that lacks the banner where
    ``banner_on(path)`` says it should have one; returns the paths seen.
    """
    to_visit, seen = ["/"], set()
    while to_visit:
        path = to_visit.pop()
        if path in seen:
            continue
        seen.add(path)
        assert visitor.visit(path) == set(), f"{path} reached {visitor.third_party}"
        if banner_on(path):
            assert visitor.banner_count() == 1, f"{path} has no banner"
        to_visit += same_origin_links(visitor.page)
    return seen


FOCUSABLE = "a[href], button, input:not([type=hidden]):not(:disabled), select, textarea, [tabindex]"

# Page-side helpers, evaluated as one arrow function taking the scope selector.
# focusStyle: what makes focus visible. ringContrast: the outline colour against the
# nearest ancestor background that is not transparent, since outline-offset draws the
# ring outside the control (WCAG 1.4.11 asks for 3:1).
_JS_HELPERS = """
const focusStyle = el => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" | ");
};
const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
const luminance = c => {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ringContrast = el => {
  let bg = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || c[3] > 0) { bg = c; break; }
  }
  const pair = [luminance(rgb(getComputedStyle(el).outlineColor)), luminance(bg)];
  pair.sort((x, y) => y - x);
  return (pair[0] + 0.05) / (pair[1] + 0.05);
};
"""
_STYLES_JS = (
    "scope => {" + _JS_HELPERS + "return [...document.querySelectorAll(scope)].map(focusStyle); }"
)
_ACTIVE_JS = (
    "scope => {"
    + _JS_HELPERS
    + """
  const el = document.activeElement;
  const index = [...document.querySelectorAll(scope)].indexOf(el);
  return [index, el.outerHTML.slice(0, 100), focusStyle(el), ringContrast(el)];
}"""
)


def scoped(containers: str) -> str:
    """A selector for the focusable elements inside any of ``containers``."""
    return ", ".join(f"{c.strip()} :is({FOCUSABLE})" for c in containers.split(","))


@dataclass(frozen=True)
class FocusStop:
    """One Tab press: which in-scope element got focus (-1: none), and its style."""

    index: int
    html: str
    style: str
    ring_contrast: float


def unfocused_styles(page: Page, scope: str) -> list[str]:
    """The focus-relevant computed style of each element matching ``scope``, unfocused."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    styles: list[str] = page.evaluate(_STYLES_JS, scope)
    return styles


def tab_through(page: Page, scope: str, presses: int) -> list[FocusStop]:
    """Press Tab ``presses`` times from the top, noting where focus lands each time."""
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        stops.append(FocusStop(*page.evaluate(_ACTIVE_JS, scope)))
    return stops


def has_visible_ring(style: str) -> bool:
    """An outline at least 2 px wide that is drawn, or a box-shadow."""
    outline_style, width, _color, shadow = style.split(" | ", 3)
    wide = outline_style not in ("none", "hidden") and float(width.removesuffix("px")) >= 2
    return wide or shadow != "none"


def assert_accessible(page: Page, context: str | None = None) -> None:
    """axe-core finds no violation in the page (or in the ``context`` selector)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def load_button(service_title: str) -> str:
    """The label of a placeholder's button for ``service_title``."""
    return TEXT["placeholder_load"].replace("{service}", service_title)
