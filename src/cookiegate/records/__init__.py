"""Proof of consent: every decision appended to a consent log before the response.

::

    from cookiegate import CookieGate

    # in cookies.yaml:  consent_log: sqlite:///var/lib/site/consent.sqlite3
    # or in the environment:  COOKIEGATE_CONSENT_LOG=postgresql://cookiegate@db/site
    application = CookieGate(application, "cookies.yaml")
    # or in Python:
    application = CookieGate(application, "cookies.yaml", consent_log="sqlite:///...")

Each decision (banner, preferences page, placeholder, withdrawal) becomes one
:class:`ConsentRecord`, written by a :class:`ConsentLog` to SQLite
(:class:`SQLiteStore`, the default) or PostgreSQL (:class:`PostgresStore`), or to the
local :class:`Spool` while the backend cannot be written. ``cookiegate records``
exports, counts, prunes and replays them. See ``docs/consent-records.md``.
"""

from __future__ import annotations

from .base import ChoiceCount, RecordQuery, RecordStore
from .log import ConsentLog, DecisionRecorder, consent_log_for
from .model import (
    ConsentRecord,
    RecordContext,
    build_record,
    templates_fingerprint,
    truncate_ip,
)
from .postgres import PostgresStore
from .spool import Spool
from .sqlite import SQLiteStore
from .store import CONSENT_LOG_ENV, CONSENT_SPOOL_ENV, open_store

__all__ = [
    "CONSENT_LOG_ENV",
    "CONSENT_SPOOL_ENV",
    "ChoiceCount",
    "ConsentLog",
    "ConsentRecord",
    "DecisionRecorder",
    "PostgresStore",
    "RecordContext",
    "RecordQuery",
    "RecordStore",
    "SQLiteStore",
    "Spool",
    "build_record",
    "consent_log_for",
    "open_store",
    "templates_fingerprint",
    "truncate_ip",
]
