"""The Set-Cookie firewall: the app's own cookies obey the visitor's choice too.

Removing tracker tags stops third parties from setting cookies; the site's server can
still set them itself (a first-party ``_ga`` written by a server-side tag, a marketing
id). Each ``Set-Cookie`` header the wrapped app sends is matched against the declared
cookies: a cookie of a category (or service) the visitor has not granted is dropped
before the response leaves. Declared necessary cookies always pass, and so do
deletions, since removing a cookie never needs consent.

Cookies nobody declared follow ``undeclared_cookies``: ``allow`` (the default, so that
adopting cookiegate cannot break a site's log-in) logs each new name once, so the
declaration can be completed; ``block`` is the strict mode for a complete list.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

from .config import Config, CookieSpec
from .consent import Consent

logger = logging.getLogger("cookiegate")

_DELETION = re.compile(r";\s*max-age\s*=\s*(?:0|-\d+)\s*(?:;|$)", re.IGNORECASE)
_WARNED_LIMIT = 10_000


class CookieFirewall:
    """Filters ``Set-Cookie`` headers by consent; one instance serves every request."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._warned: set[str] = set()
        self._lock = threading.Lock()

    def filter(self, headers: Iterable[tuple[str, str]], consent: Consent) -> list[tuple[str, str]]:
        """``headers`` without the ``Set-Cookie`` lines this visitor has not allowed."""
        kept: list[tuple[str, str]] = []
        for name, value in headers:
            if name.lower() == "set-cookie" and not self.allows(value, consent):
                continue
            kept.append((name, value))
        return kept

    def allows(self, set_cookie: str, consent: Consent) -> bool:
        """Whether one ``Set-Cookie`` header value may reach the browser."""
        cookie_name = set_cookie.split("=", 1)[0].strip()
        if cookie_name == self.config.cookie_name or _DELETION.search(set_cookie):
            return True
        spec = self.config.cookie_spec(cookie_name)
        if spec is None:
            return self._undeclared(cookie_name)
        allowed = declared_cookie_allowed(spec, consent)
        if not allowed:
            logger.debug(
                "cookiegate: dropped Set-Cookie %r (%s not granted)",
                cookie_name,
                spec.service or spec.category,
            )
        return allowed

    def _undeclared(self, cookie_name: str) -> bool:
        with self._lock:
            first = cookie_name not in self._warned and len(self._warned) < _WARNED_LIMIT
            if first:
                self._warned.add(cookie_name)
        if first:
            logger.warning(
                "cookiegate: the app sets cookie %r, which cookies.yaml does not declare; "
                "declare it under `cookies:` (undeclared_cookies: %s)",
                cookie_name,
                self.config.undeclared_cookies,
            )
        return self.config.undeclared_cookies == "allow"


def declared_cookie_allowed(spec: CookieSpec, consent: Consent) -> bool:
    """Whether a cookie declared by ``spec`` may be stored for this visitor.

    A cookie declared by a service follows that service (granted on its own through a
    placeholder, or with its category); a top-level cookie follows its category. The
    same rule decides which cookies a change of decision expires
    (:meth:`cookiegate.views.Views`), so the firewall and the clean-up never disagree.
    """
    if spec.service is not None:
        return consent.allows_service(spec.service)
    return consent.allows(spec.category)
