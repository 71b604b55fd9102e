"""Regenerate the README's screenshots in ``docs/screenshots/`` (run by hand, not in CI).

Usage, from the repository root::

    python tests/browser/make_screenshots.py

It serves the example site exactly as the browser tests do and photographs, at a
desktop (1280x800) and a phone (390x844) size, a first visit with the banner, the
preferences page, and the click-to-load placeholder that stands in for the YouTube
embed. Third-party requests are aborted, so the site shows its fallback fonts, which is
also what a visitor sees before agreeing to Google Fonts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.browser import _support

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from playwright.sync_api import sync_playwright

    from tests.browser._support import (
        ARTICLE,
        DESKTOP,
        PHONE,
        PREFERENCES,
        TEXT,
        Visitor,
        launch,
        serve_demo,
    )

    OUT.mkdir(parents=True, exist_ok=True)
    with serve_demo() as server, sync_playwright() as playwright:
        browser = launch(playwright)
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport, color_scheme="light")
            visitor = Visitor(context, server.url)
            visitor.visit("/")
            _save(visitor, f"banner-{size}.png")
            visitor.visit(PREFERENCES + "?next=/")
            _save(visitor, f"preferences-{size}.png")
            # A visitor who said no sees the placeholder without the banner above it.
            visitor.visit("/")
            visitor.submit(TEXT["reject_all"])
            visitor.visit(ARTICLE)
            placeholder = visitor.page.locator(".cg-placeholder")
            # Scrolled so the placeholder sits near the top, below a line of the article.
            placeholder.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().top - 96)")
            _save(visitor, f"placeholder-{size}.png")
            context.close()
        browser.close()
    return 0


def _save(visitor: _support.Visitor, name: str) -> None:
    visitor.page.screenshot(path=str(OUT / name), animations="disabled")
    print(f"wrote {(OUT / name).relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
