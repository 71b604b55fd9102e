"""Fixtures for the browser tests: one Chromium, the example site on a live server.

Everything in this directory is marked ``browser`` (select or deselect it with
``-m browser`` / ``-m "not browser"``). It needs a Chromium at ``/usr/bin/chromium``
(``COOKIEGATE_CHROMIUM`` overrides the path): ``playwright install`` downloads are not
used, so CI installs Debian's package (see ``.ci/run``). Without one, every test here is
skipped with a message saying so, rather than failing on a missing binary.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ._support import CHROMIUM, LiveServer, Visitor, launch, serve_demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real Chromium against a live server (tests/browser)"
    )


def _missing_requirement() -> str | None:
    if not CHROMIUM.is_file():
        return (
            f"browser tests need Chromium at {CHROMIUM} "
            "(apt-get install chromium, or set COOKIEGATE_CHROMIUM)"
        )
    for module in ("playwright", "axe_playwright_python", "flask"):
        if importlib.util.find_spec(module) is None:
            return f"browser tests need {module!r}: pip install -e '.[test]'"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, so only this directory's are touched.
    missing = _missing_requirement()
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if missing:
            item.add_marker(pytest.mark.skip(reason=missing))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def site() -> Iterator[LiveServer]:
    """The example site with its own ``cookies.yaml`` (opt-in jurisdiction)."""
    with serve_demo() as server:
        yield server


@pytest.fixture
def new_visitor(browser: Browser, site: LiveServer) -> Iterator[Callable[..., Visitor]]:
    """Make a fresh browser profile: ``new_visitor(server=..., **context_options)``.

    Each visitor is a new context (empty cookie jar); all are closed after the test.
    """
    visitors: list[Visitor] = []

    def make(*, server: LiveServer | None = None, **options: Any) -> Visitor:
        visitor = Visitor(browser.new_context(**options), (server or site).url)
        visitors.append(visitor)
        return visitor

    yield make
    for visitor in visitors:
        visitor.context.close()
