"""The tag gate as a JavaScript-enabled Chromium sees it, on the example site.

These runs prove the scripts: with JavaScript on, Chromium fetches ``<script src>``
and runs inline snippets (the Meta pixel's loader inserts ``fbevents.js``), so a tag
the gate missed would show up as a recorded third-party request.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ._support import (
    ARTICLE,
    FONTS,
    GTAG,
    KNOWN_PAGES,
    PIXEL_SCRIPT,
    PREFERENCES,
    TEXT,
    YOUTUBE,
    Visitor,
    crawl_first_visit,
    hosts_for,
    load_button,
)

NewVisitor = Callable[..., Visitor]
SITE_PAGES = sorted(KNOWN_PAGES - {PREFERENCES})


def test_first_visit_makes_no_third_party_request_on_any_page(new_visitor: NewVisitor) -> None:
    """Crawl every page linked from the home page, as a new visitor who decides nothing."""
    visitor = new_visitor()
    seen = crawl_first_visit(visitor, banner_on=lambda path: path != PREFERENCES)
    assert seen >= KNOWN_PAGES
    assert not visitor.has_consent_cookie()


def test_accept_all_loads_every_tracker_on_the_next_page(new_visitor: NewVisitor) -> None:
    visitor = new_visitor()
    assert visitor.visit(ARTICLE) == set()
    # The POST redirects back to the article, which now carries every tag.
    assert visitor.submit(TEXT["accept_all"]) == {FONTS, GTAG, PIXEL_SCRIPT, YOUTUBE}
    assert visitor.banner_count() == 0
    assert visitor.visit("/shop") == {FONTS, GTAG, PIXEL_SCRIPT}


def test_reject_all_loads_nothing_and_the_banner_stays_away(new_visitor: NewVisitor) -> None:
    visitor = new_visitor()
    visitor.visit("/")
    assert visitor.submit(TEXT["reject_all"]) == set()
    assert visitor.has_consent_cookie(), "a refusal is remembered too"
    for path in SITE_PAGES:
        assert visitor.visit(path) == set(), path
        assert visitor.banner_count() == 0, f"banner shown again on {path}"


@pytest.mark.parametrize(
    "categories",
    [("analytics",), ("functional", "social"), ("marketing",)],
    ids=lambda c: "+".join(c),
)
def test_settings_load_exactly_the_chosen_categories(
    new_visitor: NewVisitor, categories: tuple[str, ...]
) -> None:
    visitor = new_visitor()
    visitor.visit("/shop")
    visitor.submit(TEXT["settings"])
    assert visitor.page.url.startswith(visitor.origin + PREFERENCES)
    for category in categories:
        visitor.page.locator(f"#cg-category-{category}-input").check()
    # Saving returns to the page the visitor came from.
    assert visitor.submit(TEXT["save"]) == hosts_for(*categories)
    assert visitor.page.url == visitor.origin + "/shop"
    assert visitor.visit(ARTICLE) == hosts_for(*categories, video=True)
    assert visitor.banner_count() == 0


def test_withdrawal_stops_trackers_and_deletes_their_cookies(new_visitor: NewVisitor) -> None:
    visitor = new_visitor()
    visitor.visit("/")
    visitor.submit(TEXT["accept_all"])
    # What gtag.js and the pixel would have stored, had they been allowed to load.
    visitor.context.add_cookies(
        [
            {"name": name, "value": "GA1.1.123.456", "url": visitor.origin}
            for name in ("_ga", "_ga_FM0DEMO123", "_fbp")
        ]
    )
    assert {"_ga", "_fbp", "cookiegate_consent"} <= visitor.cookie_names()
    visitor.visit(PREFERENCES)
    assert visitor.submit(TEXT["withdraw"]) == set()
    names = visitor.cookie_names()
    assert not names & {"_ga", "_ga_FM0DEMO123", "_fbp"}, names
    for path in SITE_PAGES:
        assert visitor.visit(path) == set(), path


def test_placeholder_loads_that_one_embed_only(new_visitor: NewVisitor) -> None:
    visitor = new_visitor()
    visitor.visit(ARTICLE)
    placeholder = visitor.page.locator(".cg-placeholder")
    assert placeholder.count() == 1
    assert visitor.page.locator("iframe").count() == 0
    assert visitor.submit(load_button("YouTube"), within=".cg-placeholder") == {YOUTUBE}
    # Back on the article, scrolled to where the placeholder was, with the video in it.
    assert visitor.page.url.startswith(visitor.origin + ARTICLE + "#")
    assert visitor.page.locator("iframe[src*='youtube.com/embed/']").count() == 1
    assert visitor.page.locator(".cg-placeholder").count() == 0
    # Nothing else was granted: every other page stays clean.
    for path in SITE_PAGES:
        assert visitor.visit(path) == (set() if path != ARTICLE else {YOUTUBE}), path
