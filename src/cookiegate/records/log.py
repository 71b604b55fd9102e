"""The consent log a site writes to: a backend, a spool, and the decision hook.

:class:`ConsentLog` is what keeps the issue's promise "nothing lost". Every decision
is written to the backend before the visitor's response is sent; when that fails,
the record goes to the local :class:`~cookiegate.records.spool.Spool` and the
visitor's choice still takes effect (refusing to save a "Reject all" because a
database is down would be worse than a late record). The next successful write
replays the spool.

After a failure the backend is left alone for ``retry_after`` seconds and records go
straight to the spool, so an outage costs each process one slow write, not one per
visitor.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..config import Config
from ..consent import Consent
from ..exceptions import CookieGateError
from .base import RecordStore
from .model import ConsentRecord, RecordContext, StoreIp, build_record
from .spool import Spool
from .store import CONSENT_LOG_ENV, CONSENT_SPOOL_ENV, default_spool, env_value, open_store

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from jinja2 import Environment

    from ..views import DecisionHook

logger = logging.getLogger("cookiegate.records")


class ConsentLog:
    """Appends consent records to ``store``, spooling them when it fails.

    :param store: a backend, or a consent log URL (``sqlite:///...``,
        ``postgresql://...``).
    :param spool: the spool directory; by default ``<database file>-spool`` for
        SQLite. Required for other backends.
    :param store_ip: ``"truncated"`` to keep the network part of the visitor's
        address (IPv4 /24, IPv6 /48); ``"none"`` (default) keeps no address.
    :param retry_after: seconds to spool without trying the backend after it failed.
    :raises CookieGateError: bad URL, psycopg missing, or no spool for a non-SQLite
        backend.
    """

    def __init__(
        self,
        store: RecordStore | str,
        *,
        spool: str | os.PathLike[str] | Spool | None = None,
        store_ip: StoreIp = "none",
        retry_after: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = open_store(store) if isinstance(store, str) else store
        if not isinstance(spool, Spool):
            spool = Spool(default_spool(self.store) if spool is None else spool)
        self.spool = spool
        self.store_ip: StoreIp = store_ip
        self.retry_after = retry_after
        self._clock = clock
        self._retry_at = float("-inf")
        self._replaying = threading.Lock()

    def append(self, record: ConsentRecord) -> None:
        """Record one decision. Never raises: the decision stands either way."""
        if self._clock() >= self._retry_at:
            try:
                self.store.write([record])
            except Exception:
                self._retry_at = self._clock() + self.retry_after
                logger.warning(
                    "cookiegate: cannot write to the consent log %s; spooling to %s",
                    self.store.display_url,
                    self.spool.directory,
                    exc_info=True,
                )
            else:
                self._replay_quietly()
                return
        self._spool(record)

    def replay(self) -> int:
        """Write every spooled record to the backend; returns how many.

        :raises Exception: whatever the backend raises; records not confirmed stay
            spooled.
        """
        return self.spool.replay(self.store.write)

    def recorder(
        self, config: Config, jinja: Environment, *, then: DecisionHook | None = None
    ) -> DecisionRecorder:
        """The ``on_decision`` hook that records a site's decisions here."""
        context = RecordContext.for_site(config, jinja, store_ip=self.store_ip)
        return DecisionRecorder(self, context, then=then)

    def close(self) -> None:
        """Release the backend's connections held by this thread."""
        self.store.close()

    def _spool(self, record: ConsentRecord) -> None:
        try:
            self.spool.append(record)
        except Exception:
            # The last resort: the record is in the error log, where an operator can
            # find it and load it with `cookiegate records` tooling by hand.
            logger.error(
                "cookiegate: consent record could neither be stored nor spooled to %s: %s",
                self.spool.directory,
                json.dumps(record.to_json(), separators=(",", ":")),
                exc_info=True,
            )

    def _replay_quietly(self) -> None:
        """Replay after a successful write; one thread of this process at a time."""
        if not self.spool.has_pending() or not self._replaying.acquire(blocking=False):
            return
        try:
            count = self.spool.replay(self.store.write)
        except Exception:
            self._retry_at = self._clock() + self.retry_after
            logger.warning("cookiegate: replaying the consent spool failed", exc_info=True)
        else:
            if count:
                logger.info("cookiegate: replayed %d spooled consent record(s)", count)
        finally:
            self._replaying.release()


class DecisionRecorder:
    """An ``on_decision`` hook: records the decision, then calls the site's own hook."""

    def __init__(
        self, log: ConsentLog, context: RecordContext, *, then: DecisionHook | None = None
    ) -> None:
        self.log = log
        self.context = context
        self.then = then

    def __call__(self, consent: Consent, source: str, environ: WSGIEnvironment) -> None:
        self.log.append(build_record(consent, source, environ, self.context))
        if self.then is not None:
            self.then(consent, source, environ)


def consent_log_for(config: Config, given: str | ConsentLog | None = None) -> ConsentLog | None:
    """The consent log a site writes to, or ``None`` when it keeps none.

    The URL is ``given``, else ``$COOKIEGATE_CONSENT_LOG``, else ``consent_log.url``
    from the YAML file; the spool is ``$COOKIEGATE_CONSENT_SPOOL``, else
    ``consent_log.spool``, else the default of the backend.

    :raises CookieGateError: ``consent_log:`` is in the YAML file without a URL and
        the environment gives none, or the log cannot be opened.
    """
    if isinstance(given, ConsentLog):
        return given
    settings = config.consent_log
    url = given or env_value(CONSENT_LOG_ENV) or (settings.url if settings else None)
    if url is None:
        if settings is not None:
            raise CookieGateError(
                f"{config.source}: consent_log has no 'url' and ${CONSENT_LOG_ENV} is not "
                "set; set one of them, such as 'sqlite:///var/lib/site/consent.sqlite3'."
            )
        return None
    spool = env_value(CONSENT_SPOOL_ENV) or (settings.spool if settings else None)
    return ConsentLog(url, spool=spool, store_ip=settings.store_ip if settings else "none")
