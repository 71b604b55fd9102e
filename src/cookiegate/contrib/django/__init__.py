"""Django integration: the visitor's decision in views and templates.

cookiegate wraps Django from the outside, in ``wsgi.py``::

    application = CookieGate(get_wsgi_application(), BASE_DIR / "cookies.yaml")

so it publishes each request's :class:`~cookiegate.Consent` in the WSGI environ, which
Django hands over as ``request.META``. This package makes that pleasant to use. Add it to
``INSTALLED_APPS`` (for the tag library and the system checks) and its context
processor to ``TEMPLATES``::

    INSTALLED_APPS = [..., "cookiegate.contrib.django"]
    TEMPLATES = [{..., "OPTIONS": {"context_processors": [
        ..., "cookiegate.contrib.django.context_processor",
    ]}}]

Templates then have ``consent`` and ``cookie_settings_url``, and ``{% load cookiegate %}``
gives ``{% cookie_settings_link %}``, ``{% cookie_settings_url %}`` and the filters
``consent|allows:"analytics"`` and ``consent|allows_service:"youtube"``.

Django cannot reach the gate object, so two settings describe it for requests that did
not pass through it (the Django test client, management commands):

``COOKIEGATE_PREFERENCES_PATH``
    Where the footer link points; default ``"/cookie-settings"``.
``COOKIEGATE_CONFIG``
    Optional path to the same ``cookies.yaml``: the stand-in consent then knows the
    site's categories and jurisdiction, and the system checks validate the file.

A request that did pass through the gate always uses the gate's own configuration.
Supported: Django 5.2 LTS and later.

.. versionadded:: 0.1
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from django.conf import settings  # type: ignore[import-untyped]

from ...config import Config, load_config
from ...consent import Consent
from .. import cookie_settings_url, standin_consent

__all__ = ["context_processor", "request_consent", "settings_url"]

#: Used when neither the gate nor a setting says otherwise; the gate's own default.
DEFAULT_PREFERENCES_PATH = Config().preferences_path


def request_consent(request: Any) -> Consent:
    """The consent of ``request``: the gate's, or an undecided stand-in without a gate.

    For views that switch first-party features on and off: ``if
    request_consent(request).allows("analytics"): ...``. The stand-in allows what an
    undecided visitor allows (under ``opt-in``: required categories only), and honours
    ``Sec-GPC``.
    """
    return standin_consent(request.META, fallback_config())


def settings_url(request: Any) -> str:
    """The preferences page URL for ``request``, under its ``SCRIPT_NAME``."""
    return cookie_settings_url(request.META, request_consent(request).config.preferences_path)


def context_processor(request: Any) -> dict[str, Any]:
    """``consent`` and ``cookie_settings_url`` for every template rendered with a request."""
    consent = request_consent(request)
    return {
        "consent": consent,
        "cookie_settings_url": cookie_settings_url(request.META, consent.config.preferences_path),
    }


def fallback_config() -> Config:
    """The configuration for requests the gate did not see, from the settings."""
    return _fallback_config(_config_setting(), _preferences_path_setting())


def _config_setting() -> str | None:
    value = getattr(settings, "COOKIEGATE_CONFIG", None)
    return None if value is None else os.fspath(value)


def _preferences_path_setting() -> str | None:
    value = getattr(settings, "COOKIEGATE_PREFERENCES_PATH", None)
    return value if isinstance(value, str) else None


@lru_cache(maxsize=8)
def _fallback_config(config_path: str | None, preferences_path: str | None) -> Config:
    # Cached by the settings' values, so the YAML is read once per process, and a test
    # that overrides a setting gets a fresh answer rather than a stale one.
    if config_path is None:
        return Config(
            source="<cookiegate.contrib.django>",
            preferences_path=preferences_path or DEFAULT_PREFERENCES_PATH,
        )
    return load_config(config_path)
