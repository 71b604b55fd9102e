"""The PostgreSQL consent log against a real server, including one stopped mid-run.

The server is ``$COOKIEGATE_TEST_POSTGRES_URL`` (``.ci/run`` starts one) or a
throwaway cluster (see ``tests/postgres.py``); each test gets a schema of its own.
The mid-run outage test always starts its own cluster, because it stops it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from cookiegate import CookieGate
from cookiegate.cli import main
from cookiegate.config import Config
from cookiegate.records import ConsentLog, PostgresStore, RecordQuery, Spool
from tests.conftest import KEY, make_app
from tests.postgres import (
    URL_ENV,
    Cluster,
    drop_schema,
    free_port,
    new_schema,
    require_psycopg,
    start_cluster,
    wait_until_accepting,
    with_search_path,
)
from tests.records_contract import StoreContract, make_record, write_concurrently

ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    require_psycopg()
    given = os.environ.get(URL_ENV)
    if given:
        wait_until_accepting(given, timeout=10)  # a server we were promised must be up
        yield given
        return
    cluster = start_cluster()
    try:
        yield cluster.url
    finally:
        cluster.destroy()


@pytest.fixture
def pg_url(server_url: str) -> Iterator[str]:
    schema = new_schema(server_url)
    yield with_search_path(server_url, schema)
    drop_schema(server_url, schema)


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    store = PostgresStore(pg_url)
    yield store
    store.close()


@pytest.fixture
def update_sql(pg_url: str) -> Callable[[str], None]:
    import psycopg

    def run(sql: str) -> None:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(sql.encode())

    return run


class TestPostgresStore(StoreContract):
    def test_the_url_password_is_not_displayed(self) -> None:
        assert PostgresStore("postgresql://u:secret@db/x").display_url == "postgresql://u:***@db/x"


def test_several_processes_writing_at_once_lose_no_record(
    pg_url: str, store: PostgresStore, tmp_path: Path
) -> None:
    # Each worker also races the others to create the table in the fresh schema.
    write_concurrently(pg_url, tmp_path / "spool", processes=4, each=40)
    ids = [r.record_id for r in store.read(RecordQuery())]
    assert sorted(ids) == sorted(f"w{w}-{i}" for w in range(4) for i in range(40))
    assert not Spool(tmp_path / "spool").has_pending()


def test_a_database_down_at_start_up_does_not_stop_the_site(config: Config, tmp_path: Path) -> None:
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/none?connect_timeout=2"
    log = ConsentLog(url, spool=tmp_path / "spool")  # nothing connects yet
    gate = CookieGate(make_app(), config, secret_key=KEY, consent_log=log)
    client = Client(gate)
    response = decide(gate, client, "accept")
    assert response.status_code == 303
    assert client.get_cookie("cookiegate_consent") is not None
    assert [r.choice for r in log.spool.pending()] == ["all"]


def test_records_cli_reads_postgres(
    pg_url: str, store: PostgresStore, capsys: pytest.CaptureFixture[str]
) -> None:
    store.write([make_record(source="banner", choice="all") for _ in range(3)])
    assert main(["records", "count", "--log", pg_url]) == 0
    assert "banner       all            3" in capsys.readouterr().out
    assert main(["records", "export", "--log", pg_url, "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4


# -- stopping the database mid-run ------------------------------------------------------


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


def decide(gate: CookieGate, client: Client, action: str, **extra: Any) -> Any:
    form = {"csrf": gate.views.csrf.issue(), "action": action, "next": "/", **extra}
    return client.post("/_cookiegate/consent", data=form, headers=ORIGIN)


def test_stopping_the_database_mid_run_loses_and_duplicates_nothing(
    own_cluster: Cluster, config: Config, tmp_path: Path
) -> None:
    log = ConsentLog(own_cluster.url, spool=tmp_path / "spool", retry_after=0)
    gate = CookieGate(make_app(), config, secret_key=KEY, consent_log=log)
    store = PostgresStore(own_cluster.url)
    actions = ["accept", "reject", "accept"]
    clients = [Client(gate) for _ in range(9)]

    def round_of(visitors: list[Client]) -> None:
        for n, client in enumerate(visitors):
            response = decide(gate, client, actions[n % 3])
            assert response.status_code == 303  # the choice is honoured in every case
            assert client.get_cookie("cookiegate_consent") is not None

    round_of(clients[:3])
    assert len(list(store.read(RecordQuery()))) == 3
    store.close()

    own_cluster.stop()
    round_of(clients[3:7])
    assert len(log.spool.pending()) == 4

    own_cluster.start()
    round_of(clients[7:])  # the first write after the restart replays the spool
    records = list(store.read(RecordQuery()))
    assert not log.spool.has_pending()
    assert len(records) == 9 == len({r.record_id for r in records})
    cookie_ids = [_consent_id(gate, c) for c in clients]
    assert sorted(r.consent_id for r in records) == sorted(cookie_ids)

    assert log.replay() == 0  # replaying again changes nothing
    assert len(list(store.read(RecordQuery()))) == 9
    store.close()
    log.close()


def _consent_id(gate: CookieGate, client: Client) -> str:
    cookie = client.get_cookie("cookiegate_consent")
    assert cookie is not None
    consent_id = gate.codec.loads(cookie.value).id
    assert consent_id is not None
    return consent_id
