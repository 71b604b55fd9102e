"""cookiegate: a JavaScript-free cookie banner and tag gate, as WSGI middleware.

::

    from cookiegate import CookieGate

    app.wsgi_app = CookieGate(app.wsgi_app, "cookies.yaml")
"""

from __future__ import annotations

from .config import Category, Config, CookieSpec, Service, load_config
from .consent import Consent, get_consent
from .exceptions import ConfigError, CookieGateError, SecretKeyError
from .gpc import gpc_requested
from .middleware import CookieGate

__all__ = [
    "Category",
    "Config",
    "ConfigError",
    "Consent",
    "CookieGate",
    "CookieGateError",
    "CookieSpec",
    "SecretKeyError",
    "Service",
    "gpc_requested",
    "get_consent",
    "load_config",
]

__version__ = "0.1.0"
