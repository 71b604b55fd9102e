"""Consent records: what a record holds, and every decision reaching the log through CookieGate."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from cookiegate import ConfigError, CookieGate, CookieGateError
from cookiegate.config import Config, load_config
from cookiegate.consent import Consent
from cookiegate.records import (
    CONSENT_LOG_ENV,
    CONSENT_SPOOL_ENV,
    ConsentLog,
    ConsentRecord,
    RecordContext,
    RecordQuery,
    SQLiteStore,
    build_record,
    consent_log_for,
    templates_fingerprint,
    truncate_ip,
)
from cookiegate.templating import make_environment
from tests.conftest import CONFIG_DATA, KEY, make_app
from tests.records_contract import make_record

ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture(autouse=True)
def _no_log_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONSENT_LOG_ENV, raising=False)
    monkeypatch.delenv(CONSENT_SPOOL_ENV, raising=False)


def context(config: Config, **overrides: Any) -> RecordContext:
    values: dict[str, Any] = {"config": config, "config_hash": "cfg", "templates_hash": "tpl"}
    return RecordContext(**{**values, **overrides})


def decided(config: Config, **fields: Any) -> Consent:
    return Consent(config=config, decided=True, id="cid", revision=1, **fields)


# -- the record ------------------------------------------------------------------------


def test_record_of_a_partial_choice(config: Config) -> None:
    consent = decided(config, categories=frozenset({"analytics"}))
    moment = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    environ = {"HTTP_ACCEPT_LANGUAGE": "fr-CH, de;q=0.5", "REMOTE_ADDR": "203.0.113.9"}
    record = build_record(consent, "preferences", environ, context(config), now=lambda: moment)
    assert record.consent_id == "cid"
    assert record.recorded_at == moment
    assert (record.source, record.choice, record.decided) == ("preferences", "some", True)
    assert record.granted_categories == ("necessary", "analytics")
    assert record.denied_categories == ("marketing", "social")
    assert record.granted_services == ("google-analytics",)
    assert record.denied_services == ("meta-pixel", "youtube")
    assert (record.gpc, record.do_not_sell, record.sale_opt_in) == (False, False, False)
    assert (record.jurisdiction, record.language, record.revision) == ("opt-in", "fr", 1)
    assert (record.config_hash, record.templates_hash) == ("cfg", "tpl")
    assert record.ip is None  # no address unless the site asks for a truncated one
    assert len(record.record_id) == 36


@pytest.mark.parametrize(
    ("fields", "choice"),
    [
        pytest.param(
            {"categories": frozenset({"analytics", "marketing", "social"})}, "all", id="all"
        ),
        pytest.param({}, "none", id="none"),
        pytest.param({"services": frozenset({"youtube"})}, "some", id="one-service"),
    ],
)
def test_choice_summarises_optional_categories_and_services(
    config: Config, fields: dict[str, Any], choice: str
) -> None:
    record = build_record(decided(config, **fields), "banner", {}, context(config))
    assert record.choice == choice


def test_gpc_denies_sale_or_share_categories_even_after_accept_all(config: Config) -> None:
    consent = decided(config, categories=frozenset({"analytics", "marketing"}), gpc=True)
    record = build_record(consent, "banner", {}, context(config))
    assert record.gpc is True
    assert record.granted_categories == ("necessary", "analytics")
    assert record.choice == "some"


def test_truncated_ip_is_stored_only_when_asked(config: Config) -> None:
    environ = {"REMOTE_ADDR": "2001:db8:abcd:12::1"}
    on = build_record(decided(config), "banner", environ, context(config, store_ip="truncated"))
    assert on.ip == "2001:db8:abcd::"


@pytest.mark.parametrize(
    ("address", "truncated"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:abcd:12::1", "2001:db8:abcd::"),
        ("::ffff:198.51.100.23", "198.51.100.0"),
        ("fe80::1%eth0", "fe80::"),
        ("not an address", None),
        ("", None),
        (None, None),
    ],
)
def test_truncate_ip(address: object, truncated: str | None) -> None:
    assert truncate_ip(address) == truncated


def test_record_json_round_trip_and_rejects_damaged_lines() -> None:
    record = make_record(ip="203.0.113.0")
    data = json.loads(json.dumps(record.to_json()))
    assert data["recorded_at"] == "2025-03-01T12:00:00.123456Z"
    assert ConsentRecord.from_json(data) == record
    for damage in ({"gpc": "no"}, {"revision": True}, {"granted_categories": [1]}, {"choice": "x"}):
        with pytest.raises(ValueError):
            ConsentRecord.from_json({**data, **damage})
    with pytest.raises(ValueError, match="fields differ"):
        ConsentRecord.from_json({k: v for k, v in data.items() if k != "ip"})


def test_templates_fingerprint_covers_overrides(tmp_path: Path) -> None:
    builtin = templates_fingerprint(make_environment())
    assert builtin == templates_fingerprint(make_environment())  # stable across processes
    (tmp_path / "cookiegate").mkdir()
    (tmp_path / "cookiegate" / "banner.html").write_text("<div>our banner</div>")
    overridden = templates_fingerprint(make_environment(str(tmp_path)))
    assert overridden != builtin
    (tmp_path / "cookiegate" / "banner.html").write_text("<div>our banner!</div>")
    assert templates_fingerprint(make_environment(str(tmp_path))) not in (builtin, overridden)
    (tmp_path / "unrelated.html").write_text("not cookiegate's")
    (tmp_path / "cookiegate" / "banner.html").write_text("<div>our banner</div>")
    assert templates_fingerprint(make_environment(str(tmp_path))) == overridden


# -- through CookieGate ----------------------------------------------------------------


def gate_with_log(config: Config, url: str, **kwargs: Any) -> CookieGate:
    return CookieGate(make_app(), config, secret_key=KEY, consent_log=url, **kwargs)


def post(gate: CookieGate, client: Client, path: str, **data: Any) -> Any:
    form = {"csrf": gate.views.csrf.issue(), "next": "/", **data}
    return client.post(path, data=form, headers={**ORIGIN, "Accept-Language": "de"})


def logged(db: Path) -> list[ConsentRecord]:
    return list(SQLiteStore(db).read(RecordQuery()))


def test_every_decision_is_logged_with_the_cookies_consent_id(
    config: Config, tmp_path: Path
) -> None:
    db = tmp_path / "log.sqlite3"
    gate = gate_with_log(config, f"sqlite://{db}")
    client = Client(gate)
    post(gate, client, "/_cookiegate/consent", action="accept")
    post(gate, client, "/cookie-settings", action="save", category=["analytics"])
    post(gate, client, "/_cookiegate/consent", action="allow_service", service="youtube")
    post(gate, client, "/cookie-settings", action="withdraw")
    post(gate, client, "/_cookiegate/consent", action="reject")
    records = logged(db)
    assert [(r.source, r.choice) for r in records] == [
        ("banner", "all"),
        ("preferences", "some"),
        ("placeholder", "some"),
        ("withdrawal", "none"),
        ("banner", "none"),
    ]
    ids = [r.consent_id for r in records]
    assert ids[0] == ids[1] == ids[2] != ids[3] == ids[4]  # withdrawal starts a new id
    cookie = client.get_cookie("cookiegate_consent")
    assert cookie is not None and gate.codec.loads(cookie.value).id == ids[-1]
    assert all(r.config_hash == config.fingerprint for r in records)
    assert {r.templates_hash for r in records} == {templates_fingerprint(gate.views.jinja)}
    assert {r.language for r in records} == {"de"}


def test_the_record_is_written_before_the_sites_hook_and_the_response(
    config: Config, tmp_path: Path
) -> None:
    db = tmp_path / "log.sqlite3"
    seen: list[int] = []
    gate = gate_with_log(
        config, f"sqlite://{db}", on_decision=lambda *a: seen.append(len(logged(db)))
    )
    response = post(gate, Client(gate), "/_cookiegate/consent", action="reject")
    assert response.status_code == 303
    assert seen == [1]


def test_a_decision_stands_when_the_log_is_down_and_is_replayed_later(
    config: Config, tmp_path: Path
) -> None:
    db = tmp_path / "log.sqlite3"
    db.mkdir()  # a directory where the database should be: every write fails
    log = ConsentLog(f"sqlite://{db}", spool=tmp_path / "spool", retry_after=0)
    gate = CookieGate(make_app(), config, secret_key=KEY, consent_log=log)
    client = Client(gate)
    response = post(gate, client, "/_cookiegate/consent", action="accept")
    assert response.status_code == 303
    cookie = client.get_cookie("cookiegate_consent")
    assert cookie is not None and gate.codec.loads(cookie.value).categories
    (spooled,) = log.spool.pending()
    assert spooled.source == "banner"
    db.rmdir()
    post(gate, client, "/cookie-settings", action="reject")
    assert [r.source for r in logged(db)] == ["banner", "preferences"]
    assert logged(db)[0] == spooled
    assert not log.spool.has_pending()


def test_the_truncated_ip_option_reaches_the_log(tmp_path: Path) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text("consent_log: {url: 'sqlite:log.sqlite3', store_ip: truncated}\n")
    gate = CookieGate(make_app(), path, secret_key=KEY)
    Client(gate).post(
        "/_cookiegate/consent",
        data={"csrf": gate.views.csrf.issue(), "action": "reject", "next": "/"},
        headers=ORIGIN,
        environ_base={"REMOTE_ADDR": "198.51.100.200"},
    )
    (record,) = logged(tmp_path / "log.sqlite3")  # relative to the YAML file
    assert record.ip == "198.51.100.0"


def test_no_log_without_configuration(config: Config) -> None:
    assert CookieGate(make_app(), config, secret_key=KEY).consent_log is None


def test_the_environment_overrides_the_yaml_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text("consent_log: {url: 'sqlite:yaml.sqlite3', spool: queue}\n")
    monkeypatch.setenv(CONSENT_LOG_ENV, f"sqlite://{tmp_path}/env.sqlite3")
    log = consent_log_for(load_config(path))
    assert log is not None and isinstance(log.store, SQLiteStore)
    assert log.store.path == f"{tmp_path}/env.sqlite3"
    assert log.spool.directory == tmp_path / "queue"  # the YAML spool still applies
    monkeypatch.setenv(CONSENT_SPOOL_ENV, str(tmp_path / "elsewhere"))
    log = consent_log_for(load_config(path))
    assert log is not None and log.spool.directory == tmp_path / "elsewhere"


def test_the_environment_alone_turns_the_log_on(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONSENT_LOG_ENV, str(tmp_path / "env.sqlite3"))
    gate = CookieGate(make_app(), config, secret_key=KEY)
    post(gate, Client(gate), "/_cookiegate/consent", action="accept")
    assert len(logged(tmp_path / "env.sqlite3")) == 1


def test_consent_log_without_a_url_anywhere_stops_start_up(tmp_path: Path) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text("consent_log: {store_ip: truncated}\n")
    with pytest.raises(CookieGateError, match=r"consent_log has no 'url'.*COOKIEGATE_CONSENT_LOG"):
        CookieGate(make_app(), path, secret_key=KEY)


def test_postgres_without_a_spool_stops_start_up(config: Config) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(CookieGateError, match="needs a local spool directory"):
        CookieGate(make_app(), config, secret_key=KEY, consent_log="postgresql://localhost/x")


# -- the YAML key ----------------------------------------------------------------------


def test_yaml_forms_of_consent_log(tmp_path: Path) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text("consent_log:\n  url: sqlite:data/consent.sqlite3?timeout=2\n  spool: spool\n")
    settings = load_config(path).consent_log
    assert settings is not None
    assert settings.url == f"sqlite://{tmp_path}/data/consent.sqlite3?timeout=2"
    assert settings.spool == str(tmp_path / "spool")
    assert settings.store_ip == "none"
    plain = Config.from_mapping({**CONFIG_DATA, "consent_log": "postgresql://db/site"})
    assert plain.consent_log is not None and plain.consent_log.url == "postgresql://db/site"
    assert Config.from_mapping(CONFIG_DATA).consent_log is None


def test_consent_log_does_not_change_the_config_hash() -> None:
    with_log = Config.from_mapping({**CONFIG_DATA, "consent_log": "sqlite:x.sqlite3"})
    assert with_log.fingerprint == Config.from_mapping(CONFIG_DATA).fingerprint


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "mysql://db/x",
            r"consent_log: 'mysql://db/x' has an unknown scheme 'mysql'; use 'sqlite:",
        ),
        ({"url": "sqlite://host/x"}, r"consent_log\.url: .* names a host; SQLite is a local file"),
        ({"url": 5}, r"consent_log\.url: expected a URL string, got an integer"),
        (
            {"url": "x.db", "spol": "q"},
            r"consent_log\.spol: unknown key 'spol' \(did you mean 'spool'\?\)",
        ),
        (
            {"url": "x.db", "store_ip": "full"},
            r"consent_log\.store_ip: 'full' is not allowed; use 'none'",
        ),
        ({"url": "x.db", "spool": ""}, r"consent_log\.spool: expected a non-empty string"),
        ({"url": "sqlite:x.db?timeout=-1"}, r"timeout must be a number of seconds"),
    ],
)
def test_consent_log_errors(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_mapping({**CONFIG_DATA, "consent_log": value}, source="cookies.yaml")


def test_consent_log_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text("revision: 2\nconsent_log:\n  url: sqlite:x.db\n  store_ip: whole\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 4
    assert caught.value.path == "consent_log.store_ip"
    assert os.fspath(path) in str(caught.value)
