"""Shared fixtures: a small configuration, a gated test app, the shared data paths."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cookiegate import CookieGate
from cookiegate.config import Config

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
KEY = "test-secret-key-0123456789"

CONFIG_DATA = {
    "policy_url": "/privacy",
    "first_party_hosts": ["static.shop.example"],
    "categories": {
        "necessary": {"title": "Strictly necessary", "required": True},
        "analytics": {"title": "Analytics"},
        "marketing": {"title": "Marketing", "sale_or_share": True},
        "social": {"title": "Social media", "sale_or_share": True},
    },
    "services": {
        "google-analytics": {
            "category": "analytics",
            "hosts": ["www.googletagmanager.com", "*.google-analytics.com"],
            "inline": ["gtag('config'"],
            "cookies": [{"name": "_ga", "duration": "2 years"}, {"name": "_ga_*"}],
        },
        "meta-pixel": {
            "category": "marketing",
            "hosts": ["connect.facebook.net", "www.facebook.com"],
            "inline": ["fbq('init'"],
            "cookies": [{"name": "_fbp", "duration": "3 months"}],
        },
        "youtube": {"category": "social", "hosts": ["www.youtube.com"], "placeholder": True},
    },
    "cookies": [{"name": "session", "category": "necessary"}],
}

PAGE = (
    b"<!doctype html><html lang=en><head><title>Shop</title>"
    b'<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
    b"<script>gtag('config','G-1')</script>"
    b"</head><body><h1>Hello</h1>"
    b'<iframe width="560" height="315" src="https://www.youtube.com/embed/x"></iframe>'
    b'<noscript><img src="https://www.facebook.com/tr?id=1"></noscript>'
    b"</body></html>"
)


@pytest.fixture
def config() -> Config:
    return Config.from_mapping(CONFIG_DATA, source="test.yaml")


def make_app(
    body: bytes = PAGE,
    *,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    headers: Iterable[tuple[str, str]] = (),
    chunks: int | None = None,
    seen: list[WSGIEnvironment] | None = None,
) -> WSGIApplication:
    """A WSGI app returning ``body``, optionally in chunks, recording its environs."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if seen is not None:
            seen.append(environ)
        start_response(status, [("Content-Type", content_type), *headers])
        if chunks is None:
            return [body]
        return [body[i : i + chunks] for i in range(0, len(body), chunks)]

    return app


@pytest.fixture
def gated(config: Config) -> Callable[..., CookieGate]:
    def build(app: WSGIApplication | None = None, **kwargs: object) -> CookieGate:
        return CookieGate(app or make_app(), config, secret_key=KEY, **kwargs)  # type: ignore[arg-type]

    return build
