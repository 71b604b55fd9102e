"""One consent record: what a visitor decided, when, and what they were shown.

A record is built once, at the moment of the decision, from the new
:class:`~cookiegate.consent.Consent`, the decision's source and the request, plus
facts fixed at start-up (:class:`RecordContext`). It is immutable and serialises to
one flat JSON object, the same in the spool, in ``cookiegate records export`` and
(column for column) in both database backends.

What it deliberately leaves out: the visitor's IP address and user agent. A consent
id in the visitor's cookie ties the record to the browser; nothing more is needed to
prove a choice, and storing more would itself need a legal basis. Sites that must
keep an address can store a truncated one (``store_ip: truncated``).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

from ..config import Config
from ..consent import Consent
from ..texts import BUILTIN, choose_language

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from jinja2 import Environment

StoreIp = Literal["none", "truncated"]
Choice = Literal["all", "none", "some"]

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentRecord:
    """One decision, as stored in the consent log.

    ``record_id`` is a random UUID made when the decision is recorded: it is the
    primary key, so writing the same record twice (a spool replayed after a partial
    failure) stores it once. ``consent_id`` is the id in the visitor's cookie and on
    their preferences page; one visitor's changes of mind share it until they withdraw.

    ``granted_*`` and ``denied_*`` are the effective state after the decision, in
    configuration order (required categories appear as granted). ``choice`` summarises
    the optional categories: ``all`` granted, ``none`` granted (and no single service
    either), or ``some``.
    """

    record_id: str
    consent_id: str
    recorded_at: datetime.datetime
    source: str
    choice: Choice
    decided: bool
    granted_categories: tuple[str, ...]
    denied_categories: tuple[str, ...]
    granted_services: tuple[str, ...]
    denied_services: tuple[str, ...]
    gpc: bool
    do_not_sell: bool
    sale_opt_in: bool
    jurisdiction: str
    language: str
    revision: int
    config_hash: str
    templates_hash: str
    ip: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping: lists for tuples, ``recorded_at`` as ISO 8601 UTC."""
        data = asdict(self)
        data["recorded_at"] = format_time(self.recorded_at)
        for name in _LIST_FIELDS:
            data[name] = list(data[name])
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConsentRecord:
        """Rebuild a record from :meth:`to_json` output (a spool line, an export).

        :raises ValueError: if a field is missing or has the wrong type; a spool line
            torn by a crash must be noticed, not half-read.
        """
        if not isinstance(data, Mapping) or set(data) != _FIELD_NAMES:
            raise ValueError("not a consent record: fields differ")
        values = dict(data)
        values["recorded_at"] = parse_time(_typed(values, "recorded_at", str))
        for name in _LIST_FIELDS:
            items = _typed(values, name, list)
            if not all(isinstance(item, str) for item in items):
                raise ValueError(f"{name} must be a list of strings")
            values[name] = tuple(items)
        for name, kind in _SCALAR_TYPES.items():
            _typed(values, name, kind)
        if values["ip"] is not None and not isinstance(values["ip"], str):
            raise ValueError("ip must be a string or null")
        if values["choice"] not in ("all", "none", "some"):
            raise ValueError(f"unknown choice {values['choice']!r}")
        return cls(**values)


_FIELD_NAMES = frozenset(f.name for f in fields(ConsentRecord))
_LIST_FIELDS = ("granted_categories", "denied_categories", "granted_services", "denied_services")
_SCALAR_TYPES: dict[str, type] = {
    "record_id": str,
    "consent_id": str,
    "source": str,
    "choice": str,
    "decided": bool,
    "gpc": bool,
    "do_not_sell": bool,
    "sale_opt_in": bool,
    "jurisdiction": str,
    "language": str,
    "revision": int,
    "config_hash": str,
    "templates_hash": str,
}
#: Column order for CSV and the database tables.
FIELD_ORDER: tuple[str, ...] = tuple(f.name for f in fields(ConsentRecord))


def _typed(values: Mapping[str, Any], name: str, kind: type) -> Any:
    value = values[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{name} must be {kind.__name__}, got {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordContext:
    """The facts every record of one site repeats, computed once at start-up.

    ``config_hash`` is :attr:`Config.fingerprint <cookiegate.Config.fingerprint>`: a
    SHA-256 of the normalised configuration, so it changes when anything a visitor
    sees or agrees to changes, and not for comments or layout. ``templates_hash``
    covers the templates actually rendered (site overrides included) and the built-in
    texts they display; see :func:`templates_fingerprint`.
    """

    config: Config
    config_hash: str
    templates_hash: str
    store_ip: StoreIp = "none"

    @classmethod
    def for_site(
        cls, config: Config, jinja: Environment, *, store_ip: StoreIp = "none"
    ) -> RecordContext:
        """The context of a site rendering with ``jinja``."""
        return cls(
            config=config,
            config_hash=config.fingerprint,
            templates_hash=templates_fingerprint(jinja),
            store_ip=store_ip,
        )


def build_record(
    consent: Consent,
    source: str,
    environ: WSGIEnvironment,
    context: RecordContext,
    *,
    now: Callable[[], datetime.datetime] | None = None,
) -> ConsentRecord:
    """The record of ``consent``, just decided through ``source`` in this request."""
    config = context.config
    services = [s.id for s in config.services]
    granted_services = tuple(s for s in services if consent.allows_service(s))
    ip = truncate_ip(environ.get("REMOTE_ADDR")) if context.store_ip == "truncated" else None
    return ConsentRecord(
        record_id=str(uuid.uuid4()),
        consent_id=consent.id or "",
        recorded_at=(now or _utcnow)(),
        source=source,
        choice=_choice(consent, granted_services),
        decided=consent.decided,
        granted_categories=consent.granted_categories(),
        denied_categories=consent.denied_categories(),
        granted_services=granted_services,
        denied_services=tuple(s for s in services if s not in granted_services),
        gpc=consent.gpc,
        do_not_sell=consent.do_not_sell,
        sale_opt_in=consent.sale_opt_in,
        jurisdiction=consent.regime.label if consent.regime is not None else consent.mode,
        # The language cookiegate answers this visitor in (the preferences page's);
        # the banner on a page with <html lang> may have used the page's language.
        language=choose_language(config, None, environ.get("HTTP_ACCEPT_LANGUAGE")),
        revision=consent.revision if consent.revision is not None else config.revision,
        config_hash=context.config_hash,
        templates_hash=context.templates_hash,
        ip=ip,
    )


def _choice(consent: Consent, granted_services: tuple[str, ...]) -> Choice:
    optional = [c.id for c in consent.config.optional_categories]
    granted = [c for c in optional if consent.allows(c)]
    if optional and len(granted) == len(optional):
        return "all"
    if not granted and not granted_services:
        return "none"
    return "some"


def truncate_ip(address: object) -> str | None:
    """The network part of an IP address: IPv4 to /24, IPv6 to /48; else ``None``.

    A /24 or /48 names a provider's block, not a subscriber, which is the usual
    reading of "truncated" in data protection guidance. IPv4 addresses mapped into
    IPv6 (``::ffff:203.0.113.9``) are treated as IPv4.
    """
    if not isinstance(address, str):
        return None
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def templates_fingerprint(jinja: Environment) -> str:
    """SHA-256 hex over every ``cookiegate/`` template ``jinja`` would render, and the
    built-in texts.

    Each template is hashed as the loader resolves it, so an override from a site's
    ``templates_dir`` counts instead of the built-in file it hides. The built-in
    texts are part of what the visitor read; the site's own ``texts:`` are in the
    configuration hash.
    """
    digest = hashlib.sha256()
    names = sorted(n for n in jinja.list_templates() if n.startswith("cookiegate/"))
    loader = jinja.loader
    for name in names:
        source = loader.get_source(jinja, name)[0] if loader is not None else ""
        digest.update(b"template\0" + name.encode("utf-8") + b"\0")
        digest.update(source.encode("utf-8") + b"\0")
    texts = {lang: dict(sorted(t.items())) for lang, t in sorted(BUILTIN.items())}
    digest.update(b"texts\0" + json.dumps(texts, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def format_time(moment: datetime.datetime) -> str:
    """Fixed-width ISO 8601 in UTC, so text order is time order (SQLite, CSV)."""
    return moment.astimezone(datetime.UTC).strftime(_TIME_FORMAT)


def parse_time(text: str) -> datetime.datetime:
    """The inverse of :func:`format_time`; any ISO 8601 time with an offset is accepted."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return moment.astimezone(datetime.UTC)


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
