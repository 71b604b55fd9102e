"""Global Privacy Control as the browser sends it: ``Sec-GPC: 1`` on every request.

The signal turns off the ``sale_or_share`` categories (marketing and social on the
demo site) before anything is stored. Under opt-in rules the banner still asks about
the rest; under opt-out rules (US state laws) the signal is the whole answer, so there
is no banner and no cookie. The opt-out site is the demo with a one-line change to its
``cookies.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ._support import (
    ARTICLE,
    FONTS,
    GTAG,
    PIXEL_SCRIPT,
    PREFERENCES,
    SITE_CONFIG,
    TEXT,
    YOUTUBE,
    LiveServer,
    Visitor,
    hosts_for,
    serve_demo,
)

NewVisitor = Callable[..., Visitor]
GPC = {"extra_http_headers": {"Sec-GPC": "1"}}
PAGES = ("/", ARTICLE, "/shop", "/privacy")


@pytest.fixture(scope="module")
def opt_out_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    text = SITE_CONFIG.read_text(encoding="utf-8")
    assert "jurisdiction: opt-in" in text
    config: Path = tmp_path_factory.mktemp("opt-out") / "cookies.yaml"
    config.write_text(text.replace("jurisdiction: opt-in", "jurisdiction: opt-out"), "utf-8")
    with serve_demo(config) as server:
        yield server


def test_opt_in_with_gpc_still_asks_and_stores_nothing_first(new_visitor: NewVisitor) -> None:
    visitor = new_visitor(**GPC)
    for path in PAGES:
        assert visitor.visit(path) == set(), path
        assert visitor.banner_count() == 1
        assert visitor.page.locator(".cg-banner-gpc").count() == 1
    assert not visitor.has_consent_cookie()
    visitor.visit(PREFERENCES)
    assert visitor.page.get_by_text(TEXT["gpc_honored"]).count() == 1
    assert not visitor.has_consent_cookie()


def test_opt_in_with_gpc_accept_all_never_loads_marketing_or_social(
    new_visitor: NewVisitor,
) -> None:
    visitor = new_visitor(**GPC)
    visitor.visit(ARTICLE)
    assert visitor.submit(TEXT["accept_all"]) == {FONTS, GTAG}
    assert visitor.has_consent_cookie()
    # The video's placeholder explains why it cannot load instead of offering a button.
    assert visitor.page.locator(".cg-placeholder .cg-placeholder-blocked").count() == 1
    assert visitor.page.locator(".cg-placeholder button").count() == 0
    for path in PAGES:
        assert not visitor.visit(path) & {PIXEL_SCRIPT, YOUTUBE}, path


def test_opt_out_with_gpc_shows_no_banner_and_writes_no_cookie(
    new_visitor: NewVisitor, opt_out_site: LiveServer
) -> None:
    visitor = new_visitor(server=opt_out_site, **GPC)
    for path in PAGES:
        video = path == ARTICLE
        assert visitor.visit(path) == hosts_for("functional", "analytics", video=video), path
        assert visitor.banner_count() == 0, path
    visitor.visit(PREFERENCES)
    assert visitor.page.get_by_text(TEXT["gpc_honored"]).count() == 1
    assert visitor.page.locator("#cg-do-not-sell").is_checked()
    assert visitor.cookie_names() == set()


def test_opt_out_without_gpc_loads_marketing_and_social(
    new_visitor: NewVisitor, opt_out_site: LiveServer
) -> None:
    """The control for the test above: there, the signal alone blocked the pixel and video."""
    visitor = new_visitor(server=opt_out_site)
    assert visitor.visit(ARTICLE) == {FONTS, GTAG, PIXEL_SCRIPT, YOUTUBE}
