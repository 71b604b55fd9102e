"""From a consent log URL to a backend, and where its spool lives by default."""

from __future__ import annotations

import os

from ..exceptions import CookieGateError
from .base import RecordStore
from .sqlite import SQLiteStore
from .url import parse_log_url

#: Environment variable naming the consent log URL; it overrides ``consent_log.url``.
CONSENT_LOG_ENV = "COOKIEGATE_CONSENT_LOG"
#: Environment variable naming the spool directory; it overrides ``consent_log.spool``.
CONSENT_SPOOL_ENV = "COOKIEGATE_CONSENT_SPOOL"


def open_store(url: str) -> RecordStore:
    """The backend a consent log URL names. Nothing is connected or created yet.

    :raises CookieGateError: the URL is not a consent log URL, or it names
        PostgreSQL and psycopg is not installed.
    """
    try:
        target = parse_log_url(url)
    except ValueError as exc:
        raise CookieGateError(f"consent log: {exc}") from None
    if target.backend == "postgresql":
        from .postgres import PostgresStore  # psycopg is an optional dependency

        return PostgresStore(target.url)
    return SQLiteStore(target.path or "", timeout=target.timeout)


def default_spool(store: RecordStore) -> str:
    """The spool directory used when none is configured: next to a SQLite file.

    A database on another machine has no natural local directory, so a PostgreSQL
    log needs one configured rather than records silently written somewhere odd.

    :raises CookieGateError: ``store`` is not a SQLite store.
    """
    if isinstance(store, SQLiteStore):
        return store.path + "-spool"
    raise CookieGateError(
        f"the consent log {store.display_url} needs a local spool directory for records "
        f"made while it is unreachable: set 'consent_log: {{spool: /var/lib/site/consent-spool}}' "
        f"in the YAML file or ${CONSENT_SPOOL_ENV}."
    )


def env_value(name: str) -> str | None:
    """An environment variable, with empty meaning unset."""
    value = os.environ.get(name, "").strip()
    return value or None
