"""The banner and preferences page with JavaScript switched off in the browser.

With scripting off, Chromium fetches no ``<script src>`` at all, so these runs cannot
prove anything about scripts (the JavaScript-on tests do). What they prove is that the
consent flow is plain HTML forms, and that ``<noscript>`` content, which Chromium
renders when scripting is off, is gated: the Meta pixel's fallback image is fetched
only after consent to marketing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ._support import ARTICLE, FONTS, PIXEL_IMAGE, PREFERENCES, TEXT, YOUTUBE, Visitor, hosts_for

NewVisitor = Callable[..., Visitor]


@pytest.fixture
def visitor(new_visitor: NewVisitor) -> Visitor:
    # That scripting really is off shows in test_accept_all_without_javascript: the
    # <noscript> image is fetched and the gtag.js script is not.
    visitor = new_visitor(java_script_enabled=False)
    visitor.visit("/")
    return visitor


def test_first_visit_fetches_no_noscript_pixel_or_other_tag(visitor: Visitor) -> None:
    for path in ("/", ARTICLE, "/shop", "/privacy"):
        assert visitor.visit(path) == set(), path
        assert visitor.banner_count() == 1


def test_accept_all_without_javascript(visitor: Visitor) -> None:
    assert visitor.submit(TEXT["accept_all"]) == {FONTS, PIXEL_IMAGE}
    assert visitor.banner_count() == 0
    assert visitor.visit(ARTICLE) == {FONTS, PIXEL_IMAGE, YOUTUBE}


def test_reject_all_without_javascript(visitor: Visitor) -> None:
    assert visitor.submit(TEXT["reject_all"]) == set()
    for path in ("/", ARTICLE, "/basket"):
        assert visitor.visit(path) == set(), path
        assert visitor.banner_count() == 0


def test_settings_and_save_without_javascript(visitor: Visitor) -> None:
    visitor.visit(ARTICLE)
    assert visitor.submit(TEXT["settings"]) == set()
    assert visitor.page.url.startswith(visitor.origin + PREFERENCES)
    # Checkboxes need no script; the required category is shown on and cannot change.
    necessary = visitor.page.locator("#cg-category-necessary-input")
    assert necessary.is_checked() and necessary.is_disabled()
    optional = visitor.page.locator("input[name=category]:not([disabled])")
    assert optional.count() == 4
    assert not any(optional.nth(i).is_checked() for i in range(4)), "no pre-ticked boxes"
    visitor.page.locator("#cg-category-marketing-input").check()
    visitor.page.locator("#cg-category-social-input").check()
    assert visitor.submit(TEXT["save"]) == hosts_for("marketing", "social", js=False, video=True)
    assert visitor.page.url == visitor.origin + ARTICLE
    assert visitor.banner_count() == 0
    # The page reflects the saved choice when opened again.
    visitor.visit(PREFERENCES)
    assert visitor.page.locator("#cg-category-marketing-input").is_checked()
    assert not visitor.page.locator("#cg-category-analytics-input").is_checked()
