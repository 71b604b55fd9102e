"""WSGI factories for ``bench/load.py``: the example site with and without cookiegate.

gunicorn imports these by name (``load_apps:plain()``), so they live in a module of
their own. Both build the same Flask app from ``examples/flask_site``; ``wrapped`` is
exactly what ``cookiegate demo`` serves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cookiegate.demo import build_demo_app, find_demo_site, load_site_module

if TYPE_CHECKING:
    from flask import Flask


def plain() -> Flask:
    """The example site alone."""
    app: Flask = load_site_module(find_demo_site()).create_app()
    return app


def wrapped() -> Flask:
    """The example site wrapped in CookieGate (key from ``COOKIEGATE_SECRET_KEY``)."""
    return build_demo_app()
