"""The visitor's consent: a value object, and the signed cookie that carries it.

Consent lives in one cookie signed with itsdangerous, so nothing is stored on the server
to answer "may this page load Google Analytics?". The cookie holds the categories and
services granted, the version of each granted category (:mod:`cookiegate.versions`),
the configuration ``revision`` the choice answers, when it was made, and a random
consent id that also appears in the consent log. Refusal is stored the same way (an
empty grant), so a visitor who said no is not asked again.

A cookie that is tampered with, signed by an unknown key, expired, from an older
``revision`` or simply unreadable means *no consent*: it is never an error, because the
visitor cannot fix it and the safe reading of "I don't know" is "no". A choice older
than ``consent_days`` or answering another ``revision`` grants nothing either, but the
visitor is known to be asked *again* (:attr:`Consent.reask`), which the consent log
records. A granted category whose version changed is no longer granted; the rest of
the choice stands and the banner asks about that category alone.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeGuard

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from werkzeug.sansio.http import parse_cookie

from .config import Config
from .exceptions import SecretKeyError
from .gpc import gpc_requested
from .jurisdictions import Mode as JurisdictionMode
from .jurisdictions import Regime
from .versions import category_versions

logger = logging.getLogger("cookiegate")

SecretKey = str | bytes
SecretKeys = SecretKey | Sequence[SecretKey]

#: The WSGI environ key under which the request's :class:`Consent` is published.
ENVIRON_KEY = "cookiegate.consent"

#: Why a visitor who had chosen is asked again (:attr:`Consent.reask`).
Reask = Literal["expiry", "reconsent"]
REASK_REASONS: frozenset[str] = frozenset({"expiry", "reconsent"})

#: Days the cookie outlives the choice it carries. An expired choice grants nothing,
#: but while the browser still sends it cookiegate knows the visitor is asked *again*
#: (logged as ``expiry``) rather than for the first time.
REASK_GRACE_DAYS = 30

_SALT = "cookiegate.consent"
_VERIFIED_LIMIT = 1024
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

    ``changed`` holds categories the visitor granted as they were declared before a
    change (their version differs, see :mod:`cookiegate.versions`): they are not
    allowed, and the banner asks about them alone while the rest of the choice stands.
    ``reask`` says why a visitor who had chosen is asked again: ``"expiry"`` (the choice
    is older than ``consent_days``; nothing of it applies any more) or ``"reconsent"``
    (``revision`` was bumped, or ``changed`` is not empty).

    ``regime`` is the law this request is under when the site has ``jurisdictions``
    rules (see :mod:`cookiegate.jurisdictions`); without them, ``jurisdiction`` from the
    configuration applies to everyone. :attr:`mode` is the answer either way.
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
    changed: frozenset[str] = frozenset()
    reask: Reask | None = None
    regime: Regime | None = None
    #: :func:`cookiegate.etags.consent_variant`, computed once per object (a returning
    #: visitor's Consent is reused from the codec's cache, so once per visitor).
    variant_cache: str | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def mode(self) -> JurisdictionMode:
        """``"opt-in"`` or ``"opt-out"``: the law this visitor's choices are read under."""
        return self.regime.mode if self.regime is not None else self.config.jurisdiction

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
        # Before a decision: opt-in law (GDPR/ePrivacy) means nothing optional yet,
        # except what a right to object covers (UK statistics and preferences);
        # opt-out law (US states) means allowed until the visitor objects.
        regime = self.regime
        if regime is not None and category in regime.right_to_object:
            return True
        return self.mode == "opt-out"

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
        A visitor who has chosen is asked again only about changed categories they
        could grant (:meth:`pending_changes`).
        """
        if self.decided:
            return bool(self.pending_changes())
        return not (self.gpc and self.mode == "opt-out")

    def pending_changes(self) -> tuple[str, ...]:
        """Changed categories the re-consent banner asks about, in configuration order.

        A ``sale_or_share`` category is left out while selling or sharing is off (GPC,
        "Do not sell or share"): accepting could not turn it on, so asking would be noise.
        """
        if not self.changed:
            return ()
        return tuple(
            c.id
            for c in self.config.categories
            if c.id in self.changed and not (c.sale_or_share and self.sale_blocked)
        )

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

    The payload is compact JSON: ``v`` format, ``r`` revision, ``c`` granted categories
    (sorted), ``h`` their versions in the same order, ``x`` categories granted before
    they changed (awaiting an answer), ``s`` services, ``i`` consent id, and the flags
    ``o`` (sale opt-in despite GPC), ``d`` (do not sell) and ``p`` (placeholders only,
    no decision yet). ``h`` and ``x`` were added later: a cookie without ``h`` grants its
    categories at their current versions, and servers that predate them ignore both.
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
        self.versions = category_versions(config)
        self._clock = clock
        self._verified: dict[str, tuple[object, int]] = {}
        # The Consent each verified value reads as, with and without GPC: it depends on
        # nothing else once the age is checked (values are immutable, so sharing is safe).
        self._read: dict[tuple[str, bool], Consent] = {}
        # First visits, shared: a Consent is immutable, and its cached variant with it.
        self._undecided = (undecided(config), undecided(config, gpc=True))
        self._serializer = URLSafeTimedSerializer(
            list(reversed(keys)), salt=_SALT, signer=_signer_class(clock)
        )

    @property
    def max_age(self) -> int:
        """Seconds a choice is kept: ``consent_days`` from the configuration."""
        return self.config.consent_days * 86400

    @property
    def cookie_max_age(self) -> int:
        """Seconds the browser keeps the cookie: the choice plus :data:`REASK_GRACE_DAYS`."""
        return self.max_age + REASK_GRACE_DAYS * 86400

    def dumps(self, consent: Consent) -> str:
        """The signed cookie value for ``consent``.

        Granted categories are stamped with their *current* versions: a decision is
        about the categories as they are declared now.
        """
        categories = sorted(consent.categories)
        payload: dict[str, Any] = {
            "v": _FORMAT,
            "r": self.config.revision,
            "c": categories,
            "s": sorted(consent.services),
            "i": consent.id or new_consent_id(),
        }
        if categories:
            payload["h"] = [self.versions.get(c, "") for c in categories]
        changed = consent.changed - consent.categories
        if changed:
            payload["x"] = sorted(changed)
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
            return self._undecided[gpc]
        verified = self._verified.get(value)
        if verified is None:
            verified = self._verify(value)
            if verified is None:
                return self._undecided[gpc]
            if len(self._verified) >= _VERIFIED_LIMIT:
                self._verified.clear()
            self._verified[value] = verified
        payload, signed_at = verified
        age = self._clock() - signed_at
        if age > self.max_age:
            if age > self.cookie_max_age:
                return self._undecided[gpc]
            # Nothing of an expired choice applies; it only tells us this is a re-ask.
            return self._asked_again(payload, "expiry", gpc=gpc)
        key = (value, gpc)
        consent = self._read.get(key)
        if consent is None:
            read = self._from_payload(payload, gpc=gpc, signed_at=signed_at)
            consent = read if read is not None else self._undecided[gpc]
            if len(self._read) >= _VERIFIED_LIMIT:
                self._read.clear()
            self._read[key] = consent
        return consent

    def _verify(self, value: str) -> tuple[object, int] | None:
        try:
            payload, signed_at = self._serializer.loads(
                value, max_age=self.cookie_max_age, return_timestamp=True
            )
        except BadData as exc:
            logger.debug("cookiegate: ignoring consent cookie: %s", exc)
            return None
        return payload, int(signed_at.timestamp())

    def _asked_again(self, payload: object, reason: Reask, *, gpc: bool) -> Consent:
        """No consent; ``reask`` set if the old cookie held a decision, not just placeholders."""
        decided = (
            isinstance(payload, Mapping) and payload.get("v") == _FORMAT and payload.get("p") != 1
        )
        return Consent(config=self.config, gpc=gpc, reask=reason if decided else None)

    def _from_payload(self, payload: object, *, gpc: bool, signed_at: int) -> Consent | None:
        if not isinstance(payload, Mapping) or payload.get("v") != _FORMAT:
            return None
        if payload.get("r") != self.config.revision:
            # The site asked everyone again by bumping `revision`.
            return self._asked_again(payload, "reconsent", gpc=gpc)
        grants = self._grants(payload.get("c"), payload.get("h"), payload.get("x"))
        services = _known(payload.get("s"), {s.id for s in self.config.services})
        consent_id = payload.get("i")
        if grants is None or services is None or not isinstance(consent_id, str):
            return None
        categories, changed = grants
        consent = Consent(
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
            changed=changed,
        )
        return replace(consent, reask="reconsent") if consent.needs_banner and changed else consent

    def _grants(
        self, names: object, versions: object, pending: object
    ) -> tuple[frozenset[str], frozenset[str]] | None:
        """Granted categories still current, and those granted before they changed.

        A cookie written before versions existed (no ``h``) grants its categories at
        their current versions: upgrading cookiegate changes nothing a visitor was shown.
        """
        if not _is_names(names) or not (pending is None or _is_names(pending)):
            return None
        if versions is None:
            versions = [self.versions.get(name) for name in names]
        elif not _is_names(versions) or len(versions) != len(names):
            return None
        required = self.config.required_categories
        granted: set[str] = set()
        changed = {name for name in pending or () if name in self.versions}
        for name, version in zip(names, versions, strict=True):
            if name not in self.versions:
                continue  # no longer declared
            if name in required or version == self.versions[name]:
                granted.add(name)
            else:
                changed.add(name)
        return frozenset(granted), frozenset(changed - granted - required)

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
    """Read the request's consent from its cookie, ``Sec-GPC`` and jurisdiction headers."""
    value = request_cookie(environ, codec.config.cookie_name)
    consent = codec.loads(value, gpc=gpc_requested(environ))
    places = codec.config.jurisdictions
    if places is None:
        return consent
    return replace(consent, regime=places.regime_for(environ))


def request_cookie(environ: Mapping[str, Any], name: str) -> str | None:
    """The value of the request's first cookie called ``name``, read as werkzeug would.

    The header is split by hand when that is plainly safe (no quoting, no escapes):
    this runs on every request, and the full parser costs more than the rest of
    reading the consent.
    """
    raw = environ.get("HTTP_COOKIE")
    if not isinstance(raw, str) or not raw:
        return None
    if '"' in raw or "\\" in raw or not raw.isascii():
        return request_cookies(environ).get(name)
    for part in raw.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == name:
            return value.strip()
    return None


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
    if not _is_names(value):
        return None
    return frozenset(v for v in value if v in allowed)


def _is_names(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


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
