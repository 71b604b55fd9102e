"""The default consent log: one SQLite file on the machine that serves the site.

Safe with several worker processes (gunicorn, uWSGI) and threads on one machine:

* the database is in WAL mode, so writers do not block readers (an export running
  while the site records decisions) and a commit is one append to the log file;
* each write opens its own connection and takes the write lock up front
  (``BEGIN IMMEDIATE``), waiting up to ``timeout`` seconds for another process;
  decisions are rare next to page views, so a connection per decision costs little
  and cannot be shared by mistake across threads or a ``fork``;
* ``synchronous=FULL``: a record is proof, so a commit is on disk before the
  visitor's response is sent.

SQLite's locking needs a local file system; on NFS or a volume shared by several
machines use PostgreSQL instead.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from typing import Any

from .base import TABLE, ChoiceCount, RecordQuery
from .model import FIELD_ORDER, ConsentRecord, format_time, parse_time
from .url import DEFAULT_SQLITE_TIMEOUT

logger = logging.getLogger("cookiegate.records")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    record_id TEXT PRIMARY KEY NOT NULL,
    consent_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    source TEXT NOT NULL,
    choice TEXT NOT NULL,
    decided INTEGER NOT NULL,
    granted_categories TEXT NOT NULL,
    denied_categories TEXT NOT NULL,
    granted_services TEXT NOT NULL,
    denied_services TEXT NOT NULL,
    gpc INTEGER NOT NULL,
    do_not_sell INTEGER NOT NULL,
    sale_opt_in INTEGER NOT NULL,
    jurisdiction TEXT NOT NULL,
    language TEXT NOT NULL,
    revision INTEGER NOT NULL,
    config_hash TEXT NOT NULL,
    templates_hash TEXT NOT NULL,
    ip TEXT
);
CREATE INDEX IF NOT EXISTS {TABLE}_recorded_at ON {TABLE} (recorded_at);
CREATE INDEX IF NOT EXISTS {TABLE}_consent_id ON {TABLE} (consent_id);
CREATE TRIGGER IF NOT EXISTS {TABLE}_append_only BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
"""
_COLUMNS = ", ".join(FIELD_ORDER)
_INSERT = (
    f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({', '.join('?' * len(FIELD_ORDER))}) "
    "ON CONFLICT (record_id) DO NOTHING"
)
_LISTS = frozenset(
    {"granted_categories", "denied_categories", "granted_services", "denied_services"}
)
_FLAGS = frozenset({"decided", "gpc", "do_not_sell", "sale_opt_in"})


class SQLiteStore:
    """Consent records in the SQLite database at ``path``.

    The file and its table are created on the first write, not at start-up, so a
    missing directory shows up as spooled records and an error in the log rather
    than a site that does not start.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = DEFAULT_SQLITE_TIMEOUT):
        self.path = os.fspath(path)
        self.timeout = timeout
        self.display_url = f"sqlite://{self.path}" if os.path.isabs(self.path) else self.path
        self._prepared = False
        self._lock = threading.Lock()

    def write(self, records: Sequence[ConsentRecord]) -> None:
        """Insert ``records`` in one transaction, skipping record ids already stored."""
        if not records:
            return
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(_INSERT, [_row(r) for r in records])
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def read(self, query: RecordQuery) -> Iterator[ConsentRecord]:
        """Matching records, oldest first, streamed from one read transaction."""
        where, params = query.where("?", format_time)
        sql = f"SELECT {_COLUMNS} FROM {TABLE}{where} ORDER BY recorded_at, record_id"
        with closing(self._connect()) as conn:
            for row in conn.execute(sql, params):
                yield _record(row)

    def count(self, query: RecordQuery) -> list[ChoiceCount]:
        where, params = query.where("?", format_time)
        sql = (
            f"SELECT source, choice, count(*) FROM {TABLE}{where} "
            "GROUP BY source, choice ORDER BY source, choice"
        )
        with closing(self._connect()) as conn:
            return [ChoiceCount(s, c, n) for s, c, n in conn.execute(sql, params)]

    def prune(self, before: datetime.datetime) -> int:
        """Delete records made before ``before``, overwriting them on disk.

        ``secure_delete`` zeroes the freed pages, so pruned records do not linger in
        the database file until a ``VACUUM``; the checkpoint then empties the WAL file,
        which still holds the pages as they were written.
        """
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")
            cursor = conn.execute(
                f"DELETE FROM {TABLE} WHERE recorded_at < ?", (format_time(before),)
            )
            conn.commit()
            # Best effort: with a reader still open the WAL is emptied at a later checkpoint.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return cursor.rowcount

    def close(self) -> None:
        """Nothing to release: connections live for one operation."""

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are begun explicitly, as IMMEDIATE, so a
        # writer never has to upgrade a read lock (which fails at once under load).
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous = FULL")
            if not self._prepared:
                self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode and the schema, once per process (both are idempotent)."""
        with self._lock:
            if self._prepared:
                return
            mode = _retry_busy(
                lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone(), self.timeout
            )
            if str(mode[0]).lower() != "wal":
                logger.warning("cookiegate: %s is not in WAL mode (%s)", self.path, mode[0])
            _retry_busy(lambda: conn.executescript(_SCHEMA), self.timeout)
            self._prepared = True


def _retry_busy(operation: Any, timeout: float) -> Any:
    """Run ``operation``, retrying while another process holds the database.

    Switching to WAL can report "database is locked" without waiting for the busy
    timeout, when several workers open a new database at the same moment.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            return operation()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _row(record: ConsentRecord) -> tuple[Any, ...]:
    values = record.to_json()
    return tuple(
        json.dumps(values[name]) if name in _LISTS else values[name] for name in FIELD_ORDER
    )


def _record(row: Sequence[Any]) -> ConsentRecord:
    values: dict[str, Any] = {}
    for name, value in zip(FIELD_ORDER, row, strict=True):
        if name in _LISTS:
            value = tuple(json.loads(value))
        elif name in _FLAGS:
            value = bool(value)
        elif name == "recorded_at":
            value = parse_time(value)
        values[name] = value
    return ConsentRecord(**values)


