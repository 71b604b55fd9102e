"""``manage.py check`` for the mistakes that silently weaken the gate.

cookiegate runs outside Django, so it cannot see Django's settings; these checks are
the one place where a Django-side mistake is caught at start-up instead of by a visitor
(or a regulator) noticing a page that was never gated or a footer link that 404s.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings  # type: ignore[import-untyped]
from django.core import checks  # type: ignore[import-untyped]

from ...exceptions import ConfigError
from . import DEFAULT_PREFERENCES_PATH, _config_setting, fallback_config

_GZIP = "django.middleware.gzip.GZipMiddleware"


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Every problem found, as Django check messages (``cookiegate.E00x``/``W00x``)."""
    return [*_check_gzip(), *_check_preferences_path(), *_check_config()]


def _check_gzip() -> list[Any]:
    if _GZIP not in (getattr(settings, "MIDDLEWARE", None) or ()):
        return []
    return [
        checks.Warning(
            f"{_GZIP} compresses pages before cookiegate (which wraps the WSGI application) "
            "sees them, so cookiegate has to decompress every page and send it uncompressed.",
            hint="Remove it from MIDDLEWARE and compress in the web server or CDN, or in a "
            "WSGI middleware applied around CookieGate in wsgi.py.",
            id="cookiegate.W001",
        )
    ]


def _check_preferences_path() -> list[Any]:
    value = getattr(settings, "COOKIEGATE_PREFERENCES_PATH", None)
    if value is None or (isinstance(value, str) and value.startswith("/")):
        return []
    return [
        checks.Error(
            f"COOKIEGATE_PREFERENCES_PATH {value!r} is not a path starting with '/'.",
            hint=f"Use the preferences_path of your cookies.yaml (default "
            f"{DEFAULT_PREFERENCES_PATH!r}), without SCRIPT_NAME: links add it per request.",
            id="cookiegate.E001",
        )
    ]


def _check_config() -> list[Any]:
    if _config_setting() is None:
        return []
    try:
        config = fallback_config()
    except ConfigError as exc:
        return [
            checks.Error(
                f"COOKIEGATE_CONFIG cannot be loaded: {exc}",
                hint="Run `cookiegate check <file>` for every problem with its line.",
                id="cookiegate.E002",
            )
        ]
    path = getattr(settings, "COOKIEGATE_PREFERENCES_PATH", None)
    # A path that is not a path at all is already E001; W002 would only repeat it.
    if isinstance(path, str) and path.startswith("/") and path != config.preferences_path:
        return [
            checks.Warning(
                f"COOKIEGATE_PREFERENCES_PATH {path!r} differs from preferences_path "
                f"{config.preferences_path!r} in COOKIEGATE_CONFIG; the file wins.",
                hint="Remove COOKIEGATE_PREFERENCES_PATH: COOKIEGATE_CONFIG already says it.",
                id="cookiegate.W002",
            )
        ]
    return []
