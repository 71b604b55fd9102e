"""The Django example site, wrapped in ``wsgi.py``, as a JavaScript-enabled Chromium sees it.

The same promises as the Flask site's runs: nothing reaches a third party before the
visitor decides, "Accept all" brings the trackers back, "Reject all" keeps them away
and the banner with them. The site is imported exactly as a server imports it
(``framesite.wsgi.application``) and served over a real socket.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ._support import (
    FONTS,
    GTAG,
    PIXEL_SCRIPT,
    TEXT,
    YOUTUBE,
    LiveServer,
    Visitor,
    crawl_first_visit,
)

pytest.importorskip("django")

SITE_DIR = Path(__file__).resolve().parents[2] / "examples" / "django_site"
SETTINGS_MODULE = "framesite.settings"
ARTICLE = "/journal/big-buck-bunny-at-fifteen"

NewVisitor = Callable[..., Visitor]


@pytest.fixture(scope="module")
def django_site() -> Iterator[LiveServer]:
    from django.conf import settings

    configured = getattr(settings, "SETTINGS_MODULE", None) if settings.configured else None
    if configured not in (None, SETTINGS_MODULE):
        pytest.skip("Django is configured for another project in this process")
    if str(SITE_DIR) not in sys.path:
        sys.path.insert(0, str(SITE_DIR))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
        patch.setenv("COOKIEGATE_SECRET_KEY", "browser-test-key-0123456789abcdef")
        module = importlib.reload(importlib.import_module("framesite.wsgi"))
    with LiveServer(module.application) as server:
        yield server


def test_first_visit_makes_no_third_party_request_on_any_page(
    new_visitor: NewVisitor, django_site: LiveServer
) -> None:
    visitor = new_visitor(server=django_site)
    seen = crawl_first_visit(visitor, banner_on=lambda path: path != "/cookie-settings")
    assert {"/", ARTICLE, "/shop", "/privacy"} <= seen
    assert not visitor.has_consent_cookie()


def test_accept_all_then_reject_all(new_visitor: NewVisitor, django_site: LiveServer) -> None:
    visitor = new_visitor(server=django_site)
    assert visitor.visit(ARTICLE) == set()
    assert visitor.banner_count() == 1
    assert visitor.submit(TEXT["accept_all"]) == {FONTS, GTAG, PIXEL_SCRIPT, YOUTUBE}
    assert visitor.banner_count() == 0
    other = new_visitor(server=django_site)
    other.visit(ARTICLE)
    assert other.submit(TEXT["reject_all"]) == set()
    assert other.banner_count() == 0
    assert other.visit("/shop") == set()
