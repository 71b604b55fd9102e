"""Keyboard-only use: the banner comes first, focus is always visible, keys activate.

Focus styles are compared on computed style: each control's outline and box-shadow
when it has keyboard focus (reached with Tab, so ``:focus-visible`` applies) against
the same control unfocused. A focus indicator the site's or the browser's styles
swallowed would show up as "no difference".
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ._support import (
    ARTICLE,
    FONTS,
    PREFERENCES,
    TEXT,
    Visitor,
    has_visible_ring,
    scoped,
    tab_through,
    unfocused_styles,
)

NewVisitor = Callable[..., Visitor]
BANNER = scoped("#cookiegate-banner")
FOCUSABLE_ANYWHERE = scoped("body")


def test_tab_from_the_top_reaches_the_banner_buttons_before_page_links(
    new_visitor: NewVisitor,
) -> None:
    visitor = new_visitor()
    visitor.visit("/")
    banner_controls = visitor.page.locator(BANNER).count()
    stops = tab_through(visitor.page, BANNER, banner_controls + 1)
    # Every banner control in document order, then the page's own first link.
    assert [s.index for s in stops] == [*range(banner_controls), -1]
    buttons = [s.html for s in stops if s.html.startswith("<button")]
    assert len(buttons) == 3
    assert "skip-link" in stops[-1].html


@pytest.mark.parametrize(
    ("path", "containers", "decided"),
    [
        (ARTICLE, "#cookiegate-banner, .cg-placeholder", False),
        (PREFERENCES + "?next=/", "body", False),
        (PREFERENCES, "body", True),
    ],
    ids=["banner-and-placeholder", "preferences", "preferences-decided"],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_control_shows_a_visible_focus_ring(
    new_visitor: NewVisitor, path: str, containers: str, decided: bool, scheme: str
) -> None:
    visitor = new_visitor(color_scheme=scheme)
    if decided:
        visitor.visit("/")
        visitor.submit(TEXT["reject_all"])
    visitor.visit(path)
    scope = scoped(containers)
    before = unfocused_styles(visitor.page, scope)
    assert len(before) >= 3
    presses = visitor.page.locator(FOCUSABLE_ANYWHERE).count() + 1
    reached = {}
    for stop in tab_through(visitor.page, scope, presses):
        if stop.index >= 0:
            reached[stop.index] = stop
    assert sorted(reached) == list(range(len(before))), "some controls are not reachable by Tab"
    for index, stop in reached.items():
        assert stop.style != before[index], f"no focus style change on {stop.html}"
        assert has_visible_ring(stop.style), f"weak focus style {stop.style} on {stop.html}"
        assert stop.ring_contrast >= 3, f"ring contrast {stop.ring_contrast:.2f} on {stop.html}"


@pytest.mark.parametrize(("key", "button"), [("Enter", "accept_all"), ("Space", "reject_all")])
def test_keys_activate_banner_buttons(new_visitor: NewVisitor, key: str, button: str) -> None:
    visitor = new_visitor()
    visitor.visit("/")
    visitor.page.get_by_role("button", name=TEXT[button], exact=True).focus()
    hosts = visitor.press(key)
    assert visitor.banner_count() == 0
    assert (FONTS in hosts) == (button == "accept_all")


def test_space_ticks_a_box_and_enter_saves_on_the_preferences_page(
    new_visitor: NewVisitor,
) -> None:
    visitor = new_visitor()
    visitor.visit(PREFERENCES + "?next=/shop")
    visitor.page.locator("#cg-category-functional-input").focus()
    visitor.page.keyboard.press("Space")
    visitor.page.get_by_role("button", name=TEXT["save"], exact=True).focus()
    assert visitor.press("Enter") == {FONTS}
    assert visitor.page.url == visitor.origin + "/shop"
