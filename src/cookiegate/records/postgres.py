"""The consent log in PostgreSQL, for sites served from more than one machine.

Same interface and same idempotent writes as the SQLite store, with psycopg 3
(``pip install 'cookiegate[postgres]'``). Design choices:

* **Lazy connections.** Nothing connects at start-up, so a database that is down
  when the site starts does not stop the site: its decisions are spooled.
* **A small pool per process.** A few idle connections are kept for the next
  decision; a connection serves one thread at a time and never crosses a ``fork``
  (gunicorn's ``--preload``). A connection that failed is closed, and the next write
  opens a new one (reconnect).
* **Bounded waits.** ``connect_timeout`` (5 s unless the URL sets one) and a
  per-transaction ``statement_timeout`` keep a dead server from holding a visitor's
  request for long; the log then spools.
* **The schema** is created on first use under an advisory lock, so workers starting
  together do not race; if the table already exists nothing is created, so the site
  may run as a role that can only ``INSERT`` and ``SELECT``.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..exceptions import CookieGateError
from .base import TABLE, ChoiceCount, RecordQuery
from .model import FIELD_ORDER, ConsentRecord
from .url import redact

if TYPE_CHECKING:
    import psycopg

_CONNECT_TIMEOUT = 5
_STATEMENT_TIMEOUT_MS = 10_000
# pg_advisory_xact_lock key: "cookiegate" folded into a bigint.
_SCHEMA_LOCK = 0x636F6F6B6965
_COLUMNS = ", ".join(FIELD_ORDER)
_INSERT = (
    f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(FIELD_ORDER))}) "
    "ON CONFLICT (record_id) DO NOTHING"
)
_SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        record_id text PRIMARY KEY,
        consent_id text NOT NULL,
        recorded_at timestamptz NOT NULL,
        source text NOT NULL,
        choice text NOT NULL,
        decided boolean NOT NULL,
        granted_categories text[] NOT NULL,
        denied_categories text[] NOT NULL,
        granted_services text[] NOT NULL,
        denied_services text[] NOT NULL,
        gpc boolean NOT NULL,
        do_not_sell boolean NOT NULL,
        sale_opt_in boolean NOT NULL,
        jurisdiction text NOT NULL,
        language text NOT NULL,
        revision bigint NOT NULL,
        config_hash text NOT NULL,
        templates_hash text NOT NULL,
        ip text
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_recorded_at ON {TABLE} (recorded_at)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_consent_id ON {TABLE} (consent_id)",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'consent records are append-only'; END $$""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()""",
)


class PostgresStore:
    """Consent records in the PostgreSQL database at ``url`` (a libpq URL).

    :param max_idle: connections kept open between decisions, per process.
    :raises CookieGateError: psycopg is not installed.
    """

    def __init__(self, url: str, *, max_idle: int = 4) -> None:
        self._psycopg = _import_psycopg()
        self.url = url
        self.display_url = redact(url)
        self._pool = _Pool(self._connect, max_idle=max_idle)
        self._prepared = False
        self._prepare_lock = threading.Lock()

    def write(self, records: Sequence[ConsentRecord]) -> None:
        """Insert ``records`` in one transaction, skipping record ids already stored."""
        if not records:
            return
        rows = [_row(r) for r in records]
        with self._transaction() as conn, conn.cursor() as cursor:
            cursor.executemany(_INSERT, rows)

    def read(self, query: RecordQuery) -> Iterator[ConsentRecord]:
        """Matching records, oldest first, through a server-side cursor."""
        where, params = query.where("%s", lambda moment: moment)
        sql = f"SELECT {_COLUMNS} FROM {TABLE}{where} ORDER BY recorded_at, record_id"
        with self._transaction() as conn, conn.cursor(name="cookiegate_export") as cursor:
            cursor.execute(sql, params)
            for row in cursor:
                yield _record(row)

    def count(self, query: RecordQuery) -> list[ChoiceCount]:
        where, params = query.where("%s", lambda moment: moment)
        sql = (
            f"SELECT source, choice, count(*) FROM {TABLE}{where} "
            "GROUP BY source, choice ORDER BY source, choice"
        )
        with self._transaction() as conn:
            return [ChoiceCount(s, c, n) for s, c, n in conn.execute(sql, params)]

    def prune(self, before: datetime.datetime) -> int:
        with self._transaction() as conn:
            cursor = conn.execute(f"DELETE FROM {TABLE} WHERE recorded_at < %s", (before,))
            return cursor.rowcount

    def close(self) -> None:
        """Close the idle connections of this process."""
        self._pool.close()

    # -- connections ------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self._pool)

    def _connect(self) -> psycopg.Connection[Any]:
        given = self._psycopg.conninfo.conninfo_to_dict(self.url)
        options = {} if "connect_timeout" in given else {"connect_timeout": _CONNECT_TIMEOUT}
        conn: psycopg.Connection[Any] = self._psycopg.connect(self.url, autocommit=True, **options)
        try:
            if not self._prepared:
                self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: psycopg.Connection[Any]) -> None:
        with self._prepare_lock:
            if self._prepared:
                return
            with conn.transaction():
                if not _table_exists(conn):
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                    # Look again under the lock: another worker may have just made it.
                    if not _table_exists(conn):
                        for statement in _SCHEMA:
                            conn.execute(statement)
            self._prepared = True


class _Pool:
    """Idle connections of one process, handed to one thread at a time.

    A connection is never used by two threads at once, and never across ``fork``
    (gunicorn ``--preload``): after a fork the child forgets the parent's connections
    without closing them, since closing would end the parent's sessions.
    """

    def __init__(self, connect: Callable[[], psycopg.Connection[Any]], *, max_idle: int) -> None:
        self._connect = connect
        self._max_idle = max_idle
        self._idle: list[psycopg.Connection[Any]] = []
        self._inherited: list[psycopg.Connection[Any]] = []
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def get(self) -> psycopg.Connection[Any]:
        with self._lock:
            if self._pid != os.getpid():
                self._inherited += self._idle  # kept referenced: never closed here
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def put(self, conn: psycopg.Connection[Any]) -> None:
        with self._lock:
            if self._pid == os.getpid() and not conn.closed and len(self._idle) < self._max_idle:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            _close_quietly(conn)

    def discard(self, conn: psycopg.Connection[Any]) -> None:
        """Close a failed connection, and the idle ones: they are probably stale too."""
        _close_quietly(conn)
        self.close()


class _Transaction:
    """``with _Transaction(pool) as conn``: one transaction on a pooled connection.

    After any error the connection is closed rather than pooled, with the idle ones:
    after a network failure a psycopg connection may look open and never work again.
    """

    def __init__(self, pool: _Pool) -> None:
        self._pool = pool
        self._conn: psycopg.Connection[Any] | None = None
        self._tx: Any = None

    def __enter__(self) -> psycopg.Connection[Any]:
        self._conn = conn = self._pool.get()
        try:
            self._tx = conn.transaction()
            self._tx.__enter__()
            conn.execute(f"SET LOCAL statement_timeout = {_STATEMENT_TIMEOUT_MS}")
        except BaseException:
            self._pool.discard(conn)
            raise
        return conn

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: Any
    ) -> None:
        conn = self._conn
        if conn is None:  # __enter__ failed: there is nothing to release
            return
        try:
            self._tx.__exit__(kind, error, tb)
        except BaseException:
            self._pool.discard(conn)
            raise
        if error is None or isinstance(error, GeneratorExit):
            self._pool.put(conn)  # committed, or rolled back because a reader stopped
        else:
            self._pool.discard(conn)


def _close_quietly(conn: psycopg.Connection[Any]) -> None:
    try:
        conn.close()
    except Exception:  # already broken: nothing more to release
        return


def _table_exists(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()
    return row is not None and row[0] is not None


def _import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise CookieGateError(
            "a PostgreSQL consent log needs psycopg 3; install it with "
            "`pip install 'cookiegate[postgres]'`."
        ) from None
    return psycopg


def _row(record: ConsentRecord) -> tuple[Any, ...]:
    values: dict[str, Any] = {name: getattr(record, name) for name in FIELD_ORDER}
    for name in ("granted_categories", "denied_categories", "granted_services", "denied_services"):
        values[name] = list(values[name])
    return tuple(values[name] for name in FIELD_ORDER)


def _record(row: Sequence[Any]) -> ConsentRecord:
    values = dict(zip(FIELD_ORDER, row, strict=True))
    for name in ("granted_categories", "denied_categories", "granted_services", "denied_services"):
        values[name] = tuple(values[name])
    values["recorded_at"] = values["recorded_at"].astimezone(datetime.UTC)
    return ConsentRecord(**values)


