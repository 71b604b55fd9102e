"""Accessibility of what cookiegate shows: axe-core, layout on a phone, screen readers.

axe-core runs on a demo page carrying the banner and a click-to-load placeholder, and
on the preferences page before and after a choice, at a desktop and a phone size, in
light and dark colour schemes (the stylesheet has a dark palette, so both need the
contrast check). Every built-in language gets the same check at phone size, so texts
added later are covered by this file as it stands.

Nothing is excluded: the whole page, the site's own markup included, is checked. (A
site whose "Skip to content" link sits outside any landmark gets an axe ``region``
finding once the banner's links precede it; the example sites keep theirs inside
``<header>``, as sites adopting cookiegate should.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from cookiegate.texts import BUILTIN

from ._support import (
    ARTICLE,
    DESKTOP,
    PHONE,
    PREFERENCES,
    TEXT,
    LiveServer,
    Visitor,
    assert_accessible,
    serve_untagged_page,
)

NewVisitor = Callable[..., Visitor]
GPC = {"Sec-GPC": "1"}
#: Whatever languages exist when the tests run, so new translations are covered.
LANGUAGES = sorted(BUILTIN)


def _assert_banner_fits_a_phone(visitor: Visitor) -> None:
    """The banner is in normal flow and takes at most a third of a 390x844 screen."""
    page = visitor.page
    page.evaluate("window.scrollTo(0, 0)")
    banner = page.locator("#cookiegate-banner")
    box = banner.bounding_box()
    assert box is not None
    assert box["height"] <= PHONE["height"] / 3, f"banner is {box['height']:.0f}px tall"
    assert banner.evaluate("b => getComputedStyle(b).position") in ("static", "relative")
    # In flow: what follows starts below it, and it scrolls away with the page.
    after = banner.evaluate("b => b.nextElementSibling.getBoundingClientRect().top")
    assert after >= box["y"] + box["height"] - 1
    page.evaluate("window.scrollTo(0, 600)")
    scrolled = banner.bounding_box()
    assert scrolled is not None and scrolled["y"] < box["y"]


@pytest.fixture(scope="module")
def untagged_site() -> Iterator[LiveServer]:
    with serve_untagged_page() as server:
        yield server


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_violation(new_visitor: NewVisitor, viewport: dict, scheme: str) -> None:
    visitor = new_visitor(viewport=viewport, color_scheme=scheme)
    # The article carries both the banner and the YouTube placeholder.
    visitor.visit(ARTICLE)
    assert visitor.banner_count() == 1
    assert visitor.page.locator(".cg-placeholder").count() == 1
    assert_accessible(visitor.page)
    visitor.visit(PREFERENCES + "?next=/")
    assert_accessible(visitor.page)
    # After a choice the page adds a status notice, a consent id and a withdraw form.
    visitor.submit(TEXT["save"])
    visitor.visit(PREFERENCES + "?saved=1")
    assert visitor.page.locator(".cg-notice, .cg-withdraw-form").count() == 2
    assert_accessible(visitor.page)


@pytest.mark.parametrize("gpc", [False, True], ids=["plain", "gpc"])
def test_banner_takes_at_most_a_third_of_a_phone_screen(new_visitor: NewVisitor, gpc: bool) -> None:
    visitor = new_visitor(viewport=PHONE, extra_http_headers=GPC if gpc else {})
    visitor.visit("/")
    assert visitor.page.locator(".cg-banner-gpc").count() == int(gpc)
    _assert_banner_fits_a_phone(visitor)


def test_banner_leaves_the_page_to_screen_readers(new_visitor: NewVisitor) -> None:
    visitor = new_visitor()
    visitor.visit("/")
    page = visitor.page
    assert page.locator("[aria-modal], dialog, [role=dialog], [role=alertdialog]").count() == 0
    assert page.locator("[aria-hidden=true]:has(main), [inert]").count() == 0
    # Role queries use the accessibility tree: hidden content would not be found.
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("navigation", name="Main").count() == 1
    assert page.get_by_role("region", name=TEXT["banner_title"]).count() == 1
    assert "- main" in page.locator("body").aria_snapshot()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_passes_axe_and_fits_a_phone(
    new_visitor: NewVisitor, untagged_site: LiveServer, lang: str
) -> None:
    """The preferences page and the banner in ``lang``, with GPC on.

    The GPC line makes the banner its longest, so the texts must leave that version
    within a third of the phone's screen too. The size is checked last, so a failure
    there still means axe found nothing.
    """
    visitor = new_visitor(
        server=untagged_site, viewport=PHONE, extra_http_headers={"Accept-Language": lang, **GPC}
    )
    visitor.visit(PREFERENCES)
    assert visitor.page.locator("html").get_attribute("lang") == lang
    assert_accessible(visitor.page)
    visitor.visit("/")
    assert visitor.page.locator("#cookiegate-banner").get_attribute("lang") == lang
    assert visitor.page.locator(".cg-banner-gpc").count() == 1
    assert_accessible(visitor.page, "#cookiegate-banner")
    _assert_banner_fits_a_phone(visitor)
