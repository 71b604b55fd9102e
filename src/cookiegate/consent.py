"""The visitor's consent: a value object, and the signed cookie that carries it.

Consent lives in one cookie signed with itsdangerous, so nothing is stored on the server
to answer "may this page load Google Analytics?". The cookie holds the categories and
services granted, the configuration ``revision`` the choice answers, when it was made,
and a random consent id that also appears in the consent log. Refusal is stored the same
way (an empty grant), so a visitor who said no is not asked again.

A cookie that is tampered with, signed by an unknown key, expired, from an older
``revision`` or simply unreadable means *no consent*: it is never an error, because the
visitor cannot fix it and the safe reading of "I don't know" is "no".
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from werkzeug.sansio.http import parse_cookie

from .config import Config
from .exceptions import SecretKeyError
from .gpc import gpc_requested

logger = logging.getLogger("cookiegate")

SecretKey = str | bytes
SecretKeys = SecretKey | Sequence[SecretKey]

#: The WSGI environ key under which the request's :class:`Consent` is published.
ENVIRON_KEY = "cookiegate.consent"

_SALT = "cookiegate.consent"
_VERIFIED_LIMIT = 4096
_FORMAT = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Consent:
    """What the visitor of this request allows.

    ``categories`` and ``services`` are what the visitor explicitly granted (required
    categories are always allowed and need not be listed). A visitor who only let
    single services load through placeholders has ``services`` but is not ``decided``:
    the banner's question about the categories is still open. ``gpc`` is whether the
    request carried ``Sec-GPC: 1``; it turns off ``sale_or_share`` categories unless the
    visitor explicitly opted in to them afterwards (``sale_opt_in``), which only the
    preferences page can record.
    """

    config: Config = field(repr=False, compare=False)
    decided: bool = False
    categories: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    gpc: bool = False
    sale_opt_in: bool = False
    do_not_sell: bool = False
    id: str | None = None
    revision: int | None = None
    timestamp: int | None = None

    def allows(self, category: str) -> bool:
        """Whether tags and cookies of ``category`` may be used for this visitor."""
        config = self.config
        if category in config.required_categories:
            return True
        if config.category(category) is None:
            return False
        if category in config.sale_or_share_categories and self.sale_blocked:
            return False
        if self.decided:
            return category in self.categories
        # Before a decision: opt-in law (GDPR/ePrivacy) means nothing optional yet;
        # opt-out law (US states) means allowed until the visitor objects.
        return config.jurisdiction == "opt-out"

    def allows_service(self, service: str) -> bool:
        """Whether one service may load: granted itself, or its whole category is."""
        spec = self.config.service(service)
        if spec is None:
            return False
        if spec.category in self.config.sale_or_share_categories and self.sale_blocked:
            return False
        return service in self.services or self.allows(spec.category)

    @property
    def sale_blocked(self) -> bool:
        """Whether selling/sharing is off: by GPC (unless explicitly overridden) or by choice."""
        return self.do_not_sell or (self.gpc and not self.sale_opt_in)

    @property
    def needs_banner(self) -> bool:
        """Whether the banner should ask this visitor.

        In an opt-out jurisdiction a GPC signal is the whole answer, so nobody is asked.
        """
        if self.decided:
            return False
        return not (self.gpc and self.config.jurisdiction == "opt-out")

    def granted_categories(self) -> tuple[str, ...]:
        """Every category allowed right now, in configuration order."""
        return tuple(c.id for c in self.config.categories if self.allows(c.id))

    def denied_categories(self) -> tuple[str, ...]:
        """Every category not allowed right now, in configuration order."""
        return tuple(c.id for c in self.config.categories if not self.allows(c.id))


def undecided(config: Config, *, gpc: bool = False) -> Consent:
    """The consent of a visitor who has not chosen (or whose choice is unreadable)."""
    return Consent(config=config, gpc=gpc)


def new_consent_id() -> str:
    """A random, unguessable id that ties a cookie to its consent-log record."""
    return secrets.token_urlsafe(12)


class ConsentCodec:
    """Signs and reads the consent cookie.

    ``secret_key`` may be one key or a sequence: the first signs, all verify, so keys
    can be rotated by putting the new key first and removing the old one after
    ``consent_days``. (itsdangerous itself signs with the *last* key of a list; the
    order is reversed here so that "first signs" holds.)
    """

    def __init__(
        self,
        config: Config,
        secret_key: SecretKeys,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        keys = _normalise_keys(secret_key)
        self.config = config
        self._clock = clock
        self._verified: dict[str, tuple[object, int]] = {}
        self._serializer = URLSafeTimedSerializer(
            list(reversed(keys)), salt=_SALT, signer=_signer_class(clock)
        )

    @property
    def max_age(self) -> int:
        """Seconds a choice is kept: ``consent_days`` from the configuration."""
        return self.config.consent_days * 86400

    def dumps(self, consent: Consent) -> str:
        """The signed cookie value for ``consent``."""
        payload: dict[str, Any] = {
            "v": _FORMAT,
            "r": self.config.revision,
            "c": sorted(consent.categories),
            "s": sorted(consent.services),
            "i": consent.id or new_consent_id(),
        }
        if consent.sale_opt_in:
            payload["o"] = 1
        if consent.do_not_sell:
            payload["d"] = 1
        if not consent.decided:
            # Only single services granted through placeholders: the banner's question
            # is still open, so the banner keeps asking.
            payload["p"] = 1
        return self._serializer.dumps(payload)

    def loads(self, value: str | None, *, gpc: bool = False) -> Consent:
        """The consent a cookie value carries; undecided if it is missing or invalid.

        A returning visitor sends the same cookie on every request, so values whose
        signature checked out are remembered (a bounded cache keyed by the exact
        signed value) and only their age is checked again: that saves the HMAC and
        JSON work, most of cookiegate's fixed cost per request.
        """
        if not value:
            return undecided(self.config, gpc=gpc)
        verified = self._verified.get(value)
        if verified is None:
            verified = self._verify(value)
            if verified is None:
                return undecided(self.config, gpc=gpc)
            if len(self._verified) >= _VERIFIED_LIMIT:
                self._verified.clear()
            self._verified[value] = verified
        payload, signed_at = verified
        if self._clock() - signed_at > self.max_age:
            return undecided(self.config, gpc=gpc)
        consent = self._from_payload(payload, gpc=gpc, signed_at=signed_at)
        return consent if consent is not None else undecided(self.config, gpc=gpc)

    def _verify(self, value: str) -> tuple[object, int] | None:
        try:
            payload, signed_at = self._serializer.loads(
                value, max_age=self.max_age, return_timestamp=True
            )
        except BadData as exc:
            logger.debug("cookiegate: ignoring consent cookie: %s", exc)
            return None
        return payload, int(signed_at.timestamp())

    def _from_payload(self, payload: object, *, gpc: bool, signed_at: int) -> Consent | None:
        if not isinstance(payload, Mapping) or payload.get("v") != _FORMAT:
            return None
        if payload.get("r") != self.config.revision:
            return None  # the site asked everyone again by bumping `revision`
        categories = _known(payload.get("c"), {c.id for c in self.config.categories})
        services = _known(payload.get("s"), {s.id for s in self.config.services})
        consent_id = payload.get("i")
        if categories is None or services is None or not isinstance(consent_id, str):
            return None
        return Consent(
            config=self.config,
            decided=payload.get("p") != 1,
            categories=categories,
            services=services,
            gpc=gpc,
            sale_opt_in=payload.get("o") == 1,
            do_not_sell=payload.get("d") == 1,
            id=consent_id[:64],
            revision=self.config.revision,
            timestamp=signed_at,
        )

    def consent_cookie(self, categories: Iterable[str] = (), services: Iterable[str] = ()) -> str:
        """A ``name=value`` string for a ``Cookie`` request header carrying a decision."""
        consent = Consent(
            config=self.config,
            decided=True,
            categories=frozenset(categories),
            services=frozenset(services),
            id=new_consent_id(),
        )
        return f"{self.config.cookie_name}={self.dumps(consent)}"


def consent_from_environ(environ: Mapping[str, Any], codec: ConsentCodec) -> Consent:
    """Read the request's consent from its cookie and ``Sec-GPC`` header."""
    value = request_cookies(environ).get(codec.config.cookie_name)
    return codec.loads(value, gpc=gpc_requested(environ))


def request_cookies(environ: Mapping[str, Any]) -> Mapping[str, str]:
    """The request's cookies, read leniently.

    The header is visitor input. PEP 3333 hands it over as latin-1 "bytes as str";
    it is decoded as the UTF-8 it usually is, with undecodable bytes replaced, because
    werkzeug's own parser raises on them and a request must never fail for that.
    """
    raw = wsgi_text(environ.get("HTTP_COOKIE"))
    return parse_cookie(cookie=raw) if raw else {}


def wsgi_text(value: object) -> str:
    """A PEP 3333 "bytes as latin-1" string decoded as the UTF-8 it really is."""
    if not isinstance(value, str):
        return ""
    try:
        return value.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value


def get_consent(environ: Mapping[str, Any]) -> Consent | None:
    """The :class:`Consent` cookiegate published for this request, if any."""
    consent = environ.get(ENVIRON_KEY)
    return consent if isinstance(consent, Consent) else None


def _signer_class(clock: Callable[[], float]) -> type[TimestampSigner]:
    """A signer reading time from ``clock``, so expiry is testable without sleeping."""

    class _ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return _ClockedSigner


def _known(value: object, allowed: set[str]) -> frozenset[str] | None:
    """Names from the cookie that the current configuration still declares."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return frozenset(v for v in value if v in allowed)


def _normalise_keys(secret_key: SecretKeys) -> list[bytes]:
    keys: list[SecretKey] = (
        [secret_key] if isinstance(secret_key, (str, bytes)) else list(secret_key)
    )
    if not keys:
        raise SecretKeyError(
            "secret_key is an empty list; give at least one key (the first one signs)."
        )
    out: list[bytes] = []
    for key in keys:
        raw = key.encode("utf-8") if isinstance(key, str) else key
        if not isinstance(raw, bytes) or len(raw) < 16:
            raise SecretKeyError(
                "each secret key must be at least 16 characters; generate one with "
                '`python -c "import secrets; print(secrets.token_urlsafe(32))"`.'
            )
        out.append(raw)
    return out
