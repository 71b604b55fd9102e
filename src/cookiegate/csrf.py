"""Cross-site request forgery protection for cookiegate's own forms.

Two independent checks guard every POST, so that neither has to be perfect:

* :func:`is_same_origin` compares the ``Origin`` (or, failing that, the ``Referer``)
  header with the request's own origin. Every current browser sends ``Origin`` on a
  cross-site form POST, so this alone stops a forged "Accept all" from another site.
* :class:`CsrfTokens` issues signed, timestamped tokens that the forms carry in a
  hidden field. They are stateless (nothing is stored on the server and no extra
  cookie is set, because cookiegate must not set cookies before consent beyond its
  own), so a token proves "this form was rendered by this site recently" rather than
  "for this visitor". That is the right strength here: the worst a forged consent
  POST can do is record a choice, and the origin check already blocks the browser
  route to that.

Both checks read only visitor input, so both answer ``False`` instead of raising.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import SplitResult, urlsplit

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from werkzeug.wsgi import get_host

from .exceptions import SecretKeyError

_SALT = "cookiegate.csrf"
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A real token is about 80 characters. Anything far longer is not one of ours and is
# refused before any decoding work is spent on it.
_MAX_TOKEN_LENGTH = 512
#: How long one issued token is handed to every form rendered (seconds).
REUSE_SECONDS = 60


class CsrfTokens:
    """Issues and verifies the hidden ``csrf`` field of cookiegate's forms.

    ``secret_key`` may be a list for rotation: the first key signs, every key
    verifies (the same convention as the consent cookie). ``max_age`` is how long a
    rendered form stays usable; two days covers a tab left open over a weekend.
    ``clock`` exists for tests that need a token to expire without sleeping.
    """

    def __init__(
        self,
        secret_key: str | bytes | Sequence[str | bytes],
        *,
        max_age: int = 2 * 86400,
        clock: Callable[[], float] = time.time,
    ) -> None:
        given = [secret_key] if isinstance(secret_key, (str, bytes)) else list(secret_key)
        keys = [k.encode("utf-8") if isinstance(k, str) else k for k in given]
        if not keys:
            raise SecretKeyError("secret_key is empty; give at least one key (the first signs).")
        self.max_age = max_age
        self._clock = clock
        self._current: tuple[str, float] | None = None
        # itsdangerous signs with the *last* key of a list; reverse so the first signs.
        self._serializer = URLSafeTimedSerializer(
            list(reversed(keys)), salt=_SALT, signer=_clocked_signer(clock)
        )

    def issue(self) -> str:
        """A token for the forms rendered now.

        Tokens prove "rendered by this site recently", not "for this visitor" (see the
        module docstring), so forms rendered within the same :data:`REUSE_SECONDS`
        share one: rendered banners can then be reused, and signing costs nothing on
        most requests. Each token still lives ``max_age`` from its own issue.
        """
        now = self._clock()
        current = self._current
        if current is not None and 0 <= now - current[1] < REUSE_SECONDS:
            return current[0]
        token = self._serializer.dumps(secrets.token_urlsafe(8))
        self._current = (token, now)
        return token

    def is_valid(self, token: str | None) -> bool:
        """Whether ``token`` was issued by us (any current key) within ``max_age``."""
        if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN_LENGTH:
            return False
        try:
            payload = self._serializer.loads(token, max_age=self.max_age)
        except (BadData, UnicodeError, ValueError):
            return False
        return isinstance(payload, str)


def is_same_origin(environ: Mapping[str, Any]) -> bool:
    """Whether a POST plausibly comes from a page of this site.

    ``Origin`` is decisive when present; ``null`` (sandboxed frames, some redirects,
    ``file:`` pages) is never our origin. Without ``Origin``, a non-empty ``Referer``
    must point at this origin. When both are absent the answer is ``True``: old
    browsers and privacy tools strip them, and refusing those visitors would make
    consent impossible for them while the signed token still has to be valid.

    The request's own origin is ``wsgi.url_scheme`` plus the ``Host`` header; behind
    a TLS-terminating proxy, fix the scheme first (e.g. werkzeug's ``ProxyFix``), or
    every POST from an ``https`` page will look cross-origin.
    """
    expected = _request_origin(environ)
    if expected is None:
        return False
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None:
        return _origin_of(origin) == expected
    referer = environ.get("HTTP_REFERER")
    if referer:
        return _origin_of(referer) == expected
    return True


Origin = tuple[str, str, int]


def _request_origin(environ: Mapping[str, Any]) -> Origin | None:
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    try:
        host = get_host(dict(environ))
    except (KeyError, ValueError):
        return None
    return _origin_of(f"{scheme}://{host}")


def _origin_of(url: object) -> Origin | None:
    """``(scheme, host, port)`` of a URL, or ``None`` for anything that is not one."""
    if not isinstance(url, str) or not url.isascii() or len(url) > 8192:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    return _normalised(parts, port)


def _normalised(parts: SplitResult, port: int | None) -> Origin | None:
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[scheme]


def _clocked_signer(clock: Callable[[], float]) -> type[TimestampSigner]:
    """A signer that reads time from ``clock``, so expiry tests need no sleeping."""

    class _ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return _ClockedSigner
