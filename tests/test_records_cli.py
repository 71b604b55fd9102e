"""``cookiegate records``: export, count, prune and replay against a real SQLite log."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from werkzeug.test import Client

from cookiegate import CookieGate
from cookiegate.cli import main
from cookiegate.records import CONSENT_LOG_ENV, CONSENT_SPOOL_ENV, RecordQuery, Spool, SQLiteStore
from tests.conftest import KEY, make_app
from tests.records_contract import make_record

NOW = datetime.datetime.now(datetime.UTC)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONSENT_LOG_ENV, raising=False)
    monkeypatch.delenv(CONSENT_SPOOL_ENV, raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "consent.sqlite3"
    SQLiteStore(path).write(
        [
            make_record(record_id="r1", consent_id="alice", recorded_at=_t("2025-01-31T23:59:59"),
                        source="banner", choice="all"),
            make_record(record_id="r2", consent_id="bob", recorded_at=_t("2025-02-01T00:00:00"),
                        source="banner", choice="none", ip="203.0.113.0"),
            make_record(record_id="r3", consent_id="alice", recorded_at=_t("2025-02-28T12:00:00"),
                        source="preferences", choice="some"),
            make_record(record_id="r4", consent_id="carol", recorded_at=_t("2024-06-01T08:00:00"),
                        source="withdrawal", choice="none"),
        ]
    )  # fmt: skip
    return path


def _t(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["records", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_export_jsonl_for_a_date_range(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys,
        "export",
        "--log",
        f"sqlite://{db}",
        "--since",
        "2025-02-01",
        "--until",
        "2025-02-28",
    )
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    # --since is inclusive; a bare --until date includes that whole day
    assert [line["record_id"] for line in lines] == ["r2", "r3"]
    assert lines[0]["ip"] == "203.0.113.0"
    assert lines[0]["recorded_at"] == "2025-02-01T00:00:00.000000Z"
    assert err == "2 record(s) exported\n"


def test_export_csv_for_a_consent_id(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "alice.csv"
    status, out, _ = run(
        capsys, "export", "--log", str(db), "--consent-id", "alice", "--format", "csv",
        "--output", str(target),
    )  # fmt: skip
    assert status == 0 and out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [r["record_id"] for r in rows] == ["r1", "r3"]
    assert rows[0]["granted_categories"] == "necessary analytics"
    assert rows[0]["gpc"] == "false"
    assert rows[0]["ip"] == ""


def test_export_until_a_time_is_exclusive(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "export", "--log", str(db), "--until", "2025-02-01T00:00:00Z")
    assert [json.loads(line)["record_id"] for line in out.splitlines()] == ["r4", "r1"]


def test_count_by_source_and_choice(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "count", "--log", str(db), "--since", "2025-01-01")
    assert status == 0
    assert out.splitlines() == [
        "source       choice   records",
        "banner       all            1",
        "banner       none           1",
        "preferences  some           1",
        "total                       3",
    ]  # the 2024 withdrawal is before --since


def test_prune_deletes_records_older_than_the_retention_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "recent.sqlite3"
    ages = {"old": 800, "year": 370, "months": 200, "new": 1}
    SQLiteStore(db).write(
        [
            make_record(record_id=k, recorded_at=NOW - datetime.timedelta(days=v))
            for k, v in ages.items()
        ]
    )
    status, out, _ = run(capsys, "prune", "--log", str(db), "--older-than", "2y")
    assert status == 0 and out.startswith("1 record(s) made before ")
    status, out, _ = run(capsys, "prune", "--log", str(db), "--older-than", "52w")
    assert out.startswith("1 record(s)")
    run(capsys, "prune", "--log", str(db), "--older-than", "100d")
    assert [r.record_id for r in SQLiteStore(db).read(RecordQuery())] == ["new"]


@pytest.mark.parametrize("period", ["3", "0d", "2m", "-1y", "1.5y"])
def test_prune_refuses_an_unclear_period(
    db: Path, period: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["records", "prune", "--log", str(db), f"--older-than={period}"])
    assert caught.value.code == 2
    assert "not a retention period" in capsys.readouterr().err
    assert len(list(SQLiteStore(db).read(RecordQuery()))) == 4


def test_the_log_comes_from_the_environment_or_the_yaml_file(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "site" / "cookies.yaml"
    config.parent.mkdir()
    config.write_text("consent_log: ../consent.sqlite3\n")  # relative to the YAML file
    monkeypatch.chdir(tmp_path / "site")
    status, out, _ = run(capsys, "count", "--config", str(config))
    assert status == 0 and out.splitlines()[-1].endswith(" 4")
    monkeypatch.setenv(CONSENT_LOG_ENV, str(tmp_path / "other.sqlite3"))
    SQLiteStore(tmp_path / "other.sqlite3").write([make_record()])
    status, out, _ = run(capsys, "count", "--config", str(config))
    assert out.splitlines()[-1].endswith(" 1")  # the environment wins, as in the site
    status, out, _ = run(capsys, "count", "--config", str(config), "--log", str(db))
    assert out.splitlines()[-1].endswith(" 4")  # and --log wins over both


def test_no_log_anywhere_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "count")
    assert status == 1
    assert "no consent log: give --log URL, set $COOKIEGATE_CONSENT_LOG" in err


def test_a_bad_url_or_config_is_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "count", "--log", "mysql://x/y")
    assert status == 1 and "unknown scheme 'mysql'" in err
    bad = tmp_path / "cookies.yaml"
    bad.write_text("consent_log: {url: x.db, store_ip: all}\n")
    status, _, err = run(capsys, "count", "--config", str(bad))
    assert status == 1 and f"{bad}:1: consent_log.store_ip" in err
    status, _, err = run(capsys, "count", "--log", str(tmp_path / "no" / "such.db"))
    assert status == 1 and "unable to open database file" in err


def test_replay_writes_the_spool(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spool = Spool(str(db) + "-spool")
    waiting = [make_record(record_id=f"s{n}") for n in range(3)]
    for record in waiting:
        spool.append(record)
    status, out, _ = run(capsys, "replay", "--log", str(db))
    assert status == 0 and out.startswith("3 spooled record(s) written to ")
    assert len(list(SQLiteStore(db).read(RecordQuery()))) == 7
    assert not spool.has_pending()


def test_replay_failure_keeps_the_spool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spool_dir = tmp_path / "spool"
    Spool(spool_dir).append(make_record())
    missing = tmp_path / "missing" / "x.db"
    status, _, err = run(capsys, "replay", "--log", str(missing), "--spool", str(spool_dir))
    assert status == 1 and "the rest stays spooled" in err
    assert len(Spool(spool_dir).pending()) == 1


def test_hashes_match_what_the_site_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "cookies.yaml"
    config.write_text("revision: 4\n")
    (tmp_path / "tpl" / "cookiegate").mkdir(parents=True)
    (tmp_path / "tpl" / "cookiegate" / "banner.html").write_text("<p>ours</p>")
    status, out, _ = run(
        capsys, "hashes", "--config", str(config), "--templates-dir", str(tmp_path / "tpl")
    )
    assert status == 0
    gate = CookieGate(
        make_app(), config, secret_key=KEY, templates_dir=tmp_path / "tpl",
        consent_log=str(tmp_path / "log.sqlite3"),
    )  # fmt: skip
    client = Client(gate)
    client.post(
        "/_cookiegate/consent",
        data={"csrf": gate.views.csrf.issue(), "action": "accept", "next": "/"},
        headers={"Origin": "http://localhost"},
    )
    (record,) = SQLiteStore(tmp_path / "log.sqlite3").read(RecordQuery())
    assert out.splitlines() == [
        f"config_hash     {record.config_hash}",
        f"templates_hash  {record.templates_hash}",
    ]
    status, plain, _ = run(capsys, "hashes", "--config", str(config))
    assert plain.splitlines()[1] != out.splitlines()[1]  # the override counts
