"""What every consent log backend must do, run against each real backend.

``tests/test_records_sqlite.py`` and ``tests/test_records_postgres.py`` subclass
:class:`StoreContract` with a ``store`` fixture (a fresh, empty log) and an
``update_sql`` fixture that tries to change a stored record behind cookiegate's back.
"""

from __future__ import annotations

import datetime
import multiprocessing
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cookiegate.records import (
    ChoiceCount,
    ConsentLog,
    ConsentRecord,
    RecordQuery,
    RecordStore,
    Spool,
)

T0 = datetime.datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=datetime.UTC)


def make_record(**overrides: Any) -> ConsentRecord:
    values: dict[str, Any] = {
        "record_id": str(uuid.uuid4()),
        "consent_id": "cid-" + uuid.uuid4().hex[:8],
        "recorded_at": T0,
        "source": "banner",
        "choice": "some",
        "decided": True,
        "granted_categories": ("necessary", "analytics"),
        "denied_categories": ("marketing", "social"),
        "granted_services": ("google-analytics",),
        "denied_services": ("meta-pixel", "youtube"),
        "gpc": False,
        "do_not_sell": False,
        "sale_opt_in": False,
        "jurisdiction": "opt-in",
        "language": "en",
        "revision": 3,
        "config_hash": "c" * 64,
        "templates_hash": "t" * 64,
        "ip": None,
    }
    values.update(overrides)
    return ConsentRecord(**values)


def at(days: float) -> datetime.datetime:
    return T0 + datetime.timedelta(days=days)


def write_from_process(url: str, spool: str, worker: int, count: int) -> None:
    """A worker process: ``count`` decisions through its own ConsentLog."""
    log = ConsentLog(url, spool=spool, retry_after=0)
    for index in range(count):
        log.append(make_record(consent_id=f"w{worker}-{index}", record_id=f"w{worker}-{index}"))
    log.close()


def spool_from_process(directory: str, worker: int, count: int) -> None:
    """A worker process appending ``count`` records straight to a spool."""
    spool = Spool(directory)
    for index in range(count):
        spool.append(make_record(record_id=f"w{worker}-{index}"))


def start_processes(target: Callable[..., None], *args: object, processes: int) -> list[Any]:
    """Spawned processes (like separate gunicorn workers) running ``target(*args, n, ...)``."""
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=target, args=_with_worker(args, n)) for n in range(processes)]
    for worker in workers:
        worker.start()
    return workers


def _with_worker(args: tuple[object, ...], n: int) -> tuple[object, ...]:
    return (*args[:-1], n, args[-1])


def write_concurrently(url: str, spool: Path, *, processes: int, each: int) -> None:
    """Several real processes (spawned, like separate gunicorn workers) writing at once."""
    workers = start_processes(write_from_process, url, str(spool), each, processes=processes)
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0


class StoreContract:
    """The behaviour :class:`~cookiegate.records.RecordStore` promises."""

    def test_written_records_read_back_field_for_field(self, store: RecordStore) -> None:
        first = make_record(ip="203.0.113.0", gpc=True, do_not_sell=True, revision=2**40)
        second = make_record(
            recorded_at=at(1),
            granted_categories=("necessary",),
            denied_categories=(),
            granted_services=(),
            choice="none",
            language="pt-br",
        )
        store.write([second, first])
        assert list(store.read(RecordQuery())) == [first, second]

    def test_a_record_written_twice_is_stored_once(self, store: RecordStore) -> None:
        record = make_record()
        store.write([record])
        store.write([record, make_record(recorded_at=at(1))])
        assert [r.record_id for r in store.read(RecordQuery())].count(record.record_id) == 1
        assert len(list(store.read(RecordQuery()))) == 2

    def test_query_by_time_range_and_consent_id(self, store: RecordStore) -> None:
        records = [make_record(recorded_at=at(day), consent_id=f"c{day % 2}") for day in range(6)]
        store.write(records)
        window = RecordQuery(since=at(1), until=at(4))
        assert [r.recorded_at for r in store.read(window)] == [at(1), at(2), at(3)]
        one = RecordQuery(consent_id="c1")
        assert [r.recorded_at for r in store.read(one)] == [at(1), at(3), at(5)]
        both = RecordQuery(since=at(2), consent_id="c1")
        assert [r.recorded_at for r in store.read(both)] == [at(3), at(5)]

    def test_count_groups_by_source_and_choice(self, store: RecordStore) -> None:
        store.write(
            [
                make_record(source="banner", choice="all"),
                make_record(source="banner", choice="all"),
                make_record(source="banner", choice="none"),
                make_record(source="withdrawal", choice="none", recorded_at=at(10)),
            ]
        )
        assert store.count(RecordQuery()) == [
            ChoiceCount("banner", "all", 2),
            ChoiceCount("banner", "none", 1),
            ChoiceCount("withdrawal", "none", 1),
        ]
        assert store.count(RecordQuery(since=at(5))) == [ChoiceCount("withdrawal", "none", 1)]

    def test_prune_deletes_only_records_before_the_cut(self, store: RecordStore) -> None:
        store.write([make_record(recorded_at=at(day)) for day in range(5)])
        assert store.prune(at(2)) == 2
        assert [r.recorded_at for r in store.read(RecordQuery())] == [at(2), at(3), at(4)]
        assert store.prune(at(2)) == 0

    def test_records_cannot_be_updated(
        self, store: RecordStore, update_sql: Callable[[str], None]
    ) -> None:
        record = make_record()
        store.write([record])
        with pytest.raises(Exception, match="append-only"):
            update_sql(f"UPDATE cookiegate_consent_records SET source = 'x' "
                       f"WHERE record_id = '{record.record_id}'")  # fmt: skip
        assert list(store.read(RecordQuery())) == [record]

    def test_an_empty_write_is_a_no_op(self, store: RecordStore) -> None:
        store.write([])
        assert list(store.read(RecordQuery())) == []
