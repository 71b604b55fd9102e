"""The SQLite consent log, the spool and ConsentLog's "nothing lost" promise, on real files."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path

import pytest

from cookiegate.records import ConsentLog, ConsentRecord, RecordQuery, Spool, SQLiteStore
from tests.records_contract import (
    StoreContract,
    at,
    make_record,
    spool_from_process,
    start_processes,
    write_concurrently,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "consent.sqlite3"


@pytest.fixture
def store(db: Path) -> SQLiteStore:
    return SQLiteStore(db)


@pytest.fixture
def update_sql(db: Path) -> Callable[[str], None]:
    def run(sql: str) -> None:
        with closing(sqlite3.connect(db)) as conn:
            conn.execute(sql)
            conn.commit()

    return run


class TestSQLiteStore(StoreContract):
    def test_database_is_in_wal_mode_after_the_first_write(
        self, store: SQLiteStore, db: Path
    ) -> None:
        assert not db.exists()  # nothing is created at start-up
        store.write([make_record()])
        with closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def test_pruned_records_leave_no_trace_in_the_files(self, store: SQLiteStore, db: Path) -> None:
        store.write([make_record(consent_id="forget-me-0123", recorded_at=at(0))])
        store.write([make_record(consent_id="keep-me-4567", recorded_at=at(9))])
        # Another worker's connection keeps the WAL file from being removed on close.
        with closing(sqlite3.connect(db)) as other:
            other.execute("SELECT count(*) FROM cookiegate_consent_records").fetchone()
            assert store.prune(at(5)) == 1
            files = [p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file()]
        assert any(b"keep-me-4567" in data for data in files)
        assert not any(b"forget-me-0123" in data for data in files)

    def test_a_missing_directory_fails_the_write(self, tmp_path: Path) -> None:
        store = SQLiteStore(tmp_path / "missing" / "consent.sqlite3")
        with pytest.raises(sqlite3.OperationalError):
            store.write([make_record()])


def test_several_processes_writing_at_once_lose_no_record(db: Path, tmp_path: Path) -> None:
    write_concurrently(f"sqlite://{db}", tmp_path / "spool", processes=6, each=60)
    ids = [r.record_id for r in SQLiteStore(db).read(RecordQuery())]
    assert len(ids) == 360
    assert set(ids) == {f"w{w}-{i}" for w in range(6) for i in range(60)}
    assert not Spool(tmp_path / "spool").has_pending()


# -- ConsentLog: spool when the database cannot be written, replay when it can ---------


@pytest.fixture
def locked(db: Path) -> Iterator[Callable[[bool], None]]:
    """Hold (True) or release (False) SQLite's write lock from another connection."""
    with closing(sqlite3.connect(db, isolation_level=None)) as holder:

        def hold(on: bool) -> None:
            holder.execute("BEGIN EXCLUSIVE" if on else "COMMIT")

        yield hold
        if holder.in_transaction:
            holder.execute("ROLLBACK")


def test_a_locked_database_spools_and_the_next_good_write_replays(
    db: Path, tmp_path: Path, locked: Callable[[bool], None], caplog: pytest.LogCaptureFixture
) -> None:
    store = SQLiteStore(db, timeout=0.05)
    log = ConsentLog(store, spool=tmp_path / "spool", retry_after=0)
    before = make_record(recorded_at=at(0))
    log.append(before)
    locked(True)
    during = [make_record(recorded_at=at(n)) for n in (1, 2, 3)]
    for record in during:
        log.append(record)  # never raises
    assert log.spool.pending() == during
    assert "cannot write to the consent log" in caplog.text
    locked(False)
    after = make_record(recorded_at=at(4))
    log.append(after)
    assert list(store.read(RecordQuery())) == [before, *during, after]
    assert not log.spool.has_pending()


def test_the_backend_is_not_retried_until_retry_after(
    db: Path, tmp_path: Path, locked: Callable[[bool], None]
) -> None:
    now = [0.0]
    store = SQLiteStore(db, timeout=0.05)
    log = ConsentLog(store, spool=tmp_path / "spool", retry_after=30, clock=lambda: now[0])
    locked(True)
    log.append(make_record())
    locked(False)
    now[0] = 29.0
    log.append(make_record())  # within the pause: spooled without trying
    assert len(log.spool.pending()) == 2
    now[0] = 30.0
    log.append(make_record())
    assert len(list(store.read(RecordQuery()))) == 3
    assert log.spool.pending() == []


def test_the_default_spool_sits_next_to_the_database(db: Path) -> None:
    log = ConsentLog(f"sqlite://{db}")
    assert log.spool.directory == Path(str(db) + "-spool")
    assert isinstance(log.store, SQLiteStore) and log.store.path == str(db)


def test_a_record_that_cannot_even_be_spooled_is_logged_as_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "not-a-dir").write_text("")
    log = ConsentLog(
        SQLiteStore(tmp_path / "missing" / "x.sqlite3"),
        spool=tmp_path / "not-a-dir" / "spool",
        retry_after=0,
    )
    record = make_record(consent_id="lost-but-logged")
    with caplog.at_level(logging.ERROR, logger="cookiegate.records"):
        log.append(record)
    (message,) = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert "could neither be stored nor spooled" in message
    logged = json.loads(message[message.index("{") :])
    assert ConsentRecord.from_json(logged) == record


# -- the spool itself ------------------------------------------------------------------


def test_a_failed_replay_keeps_the_batch_and_a_retry_does_not_duplicate(
    store: SQLiteStore, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool")
    records = [make_record(recorded_at=at(n / 1000)) for n in range(1200)]
    for record in records:
        spool.append(record)
    calls = []

    def fail_after_first_chunk(chunk: Sequence[ConsentRecord]) -> None:
        calls.append(len(chunk))
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        store.write(chunk)

    with pytest.raises(sqlite3.OperationalError):
        spool.replay(fail_after_first_chunk)
    assert len(list(store.read(RecordQuery()))) == 500  # the first chunk went in
    assert len(spool.pending()) == 1200  # nothing confirmed was dropped either
    assert spool.replay(store.write) == 1200
    assert [r.record_id for r in store.read(RecordQuery())] == [r.record_id for r in records]
    assert not spool.has_pending()


def test_a_torn_line_is_set_aside_and_the_next_append_starts_a_new_line(
    store: SQLiteStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spool = Spool(tmp_path / "spool")
    first, second = make_record(recorded_at=at(0)), make_record(recorded_at=at(1))
    spool.append(first)
    with open(tmp_path / "spool" / "pending.jsonl", "ab") as handle:
        handle.write(b'{"record_id": "torn by a cra')  # a crash mid-write
    spool.append(second)
    assert spool.replay(store.write) == 2
    assert list(store.read(RecordQuery())) == [first, second]
    rejected = (tmp_path / "spool" / "rejected.jsonl").read_bytes()
    assert rejected == b'{"record_id": "torn by a cra\n'
    assert "not consent records" in caplog.text


def test_appends_during_a_replay_are_kept_for_the_next_one(
    store: SQLiteStore, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool")
    spool.append(make_record(recorded_at=at(0)))
    late = make_record(recorded_at=at(1))

    def write_and_append(chunk: Sequence[ConsentRecord]) -> None:
        store.write(chunk)
        spool.append(late)  # another worker spooling while this replay runs

    assert spool.replay(write_and_append) == 1
    assert spool.pending() == [late]
    assert spool.replay(store.write) == 1
    assert len(list(store.read(RecordQuery()))) == 2


def test_appends_from_several_processes_survive_replays_running_meanwhile(
    store: SQLiteStore, tmp_path: Path
) -> None:
    directory = tmp_path / "spool"
    spool = Spool(directory)
    workers = start_processes(spool_from_process, str(directory), 100, processes=4)
    while any(worker.is_alive() for worker in workers):
        spool.replay(store.write)  # renames pending.jsonl under the appenders' feet
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    spool.replay(store.write)
    ids = [r.record_id for r in store.read(RecordQuery())]
    assert sorted(ids) == sorted(f"w{w}-{i}" for w in range(4) for i in range(100))
    assert not spool.has_pending()
    assert not (directory / "rejected.jsonl").exists()


def test_replay_of_an_empty_or_missing_spool_writes_nothing(tmp_path: Path) -> None:
    def never(chunk: Sequence[ConsentRecord]) -> None:
        raise AssertionError("nothing to write")

    assert Spool(tmp_path / "absent").replay(never) == 0
    assert not Spool(tmp_path / "absent").has_pending()
