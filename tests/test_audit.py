"""The audit: ``audit: report`` in the middleware, the shared report file, ``cookiegate audit``.

Pages go through the real middleware (werkzeug's test client around a Flask app), and
the shared file is written by real concurrent processes.
"""

from __future__ import annotations

import copy
import gzip
import json
import logging
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from werkzeug.test import Client

from cookiegate import CookieGate
from cookiegate.audit import (
    AuditData,
    AuditFileError,
    AuditLog,
    Limits,
    PageScanner,
    audit_settings,
    build_report,
    draft_yaml,
    read_report,
)
from cookiegate.audit.observer import AuditObserver
from cookiegate.cli import main
from cookiegate.config import Config, load_config
from cookiegate.exceptions import ConfigError

from .conftest import CONFIG_DATA, KEY, make_app

flask = pytest.importorskip("flask", reason="the audit tests run a Flask app")

SRC = Path(__file__).resolve().parents[1] / "src"

SITE_PAGE = b"""<!doctype html><html lang=en><head><title>Shop</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
<script src="https://widgets.undeclared-widget.example/w.js"></script>
<script>(function(){var s=document.createElement('script');
s.src='https://static.hotjar.com/c/hotjar-1.js';document.head.appendChild(s)})()</script>
<link rel="stylesheet" href="https://static.shop.example/site.css">
<link rel="dns-prefetch" href="//cdn.prefetched.example">
<script type="application/ld+json">{"url": "https://schema-data.example/x"}</script>
</head><body><h1>Shop</h1>
<img src="/logo.png" srcset="/logo.png 1x, https://img.undeclared-cdn.example/a.png 2x">
<a href="https://twitter.com/shop">Follow us</a>
<img src="http://localhost/own.png">
<noscript><img src="https://px.undeclared-pixel.example/p.gif"></noscript>
</body></html>"""

EXPECTED_HOSTS = {
    "widgets.undeclared-widget.example": {"tag"},
    "static.hotjar.com": {"inline"},
    "cdn.prefetched.example": {"tag"},
    "img.undeclared-cdn.example": {"tag"},
    "px.undeclared-pixel.example": {"tag"},
    "preload.cdn-undeclared.example": {"header"},
}


def site_app() -> flask.Flask:
    app = flask.Flask("audit_site")

    @app.get("/")
    def home() -> Any:
        response = flask.make_response(SITE_PAGE)
        response.set_cookie("cart_id", "42")
        response.set_cookie("_ga", "GA1.1.1")  # declared under google-analytics
        response.set_cookie("old_tracker", "", max_age=0)  # a deletion needs no declaration
        response.headers["Link"] = (
            "<https://preload.cdn-undeclared.example/a.js>; rel=preload; as=script, "
            "<https://www.googletagmanager.com/gtag/js>; rel=preconnect"
        )
        return response

    @app.get("/about")
    def about() -> Any:
        return "<!doctype html><p>About us</p>"

    return app


def audit_config(tmp_path: Path, **audit: Any) -> Config:
    settings = {"mode": "report", "file": str(tmp_path / "audit.json"), "flush_seconds": 0}
    return Config.from_mapping({**CONFIG_DATA, "audit": {**settings, **audit}})


@pytest.fixture(autouse=True)
def no_audit_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COOKIEGATE_AUDIT", raising=False)
    monkeypatch.delenv("COOKIEGATE_AUDIT_FILE", raising=False)


def without_tokens(body: bytes) -> bytes:
    """The body with CSRF token values blanked: they differ on every response."""
    return re.sub(rb'name="csrf" value="[^"]*"', b'name="csrf" value=""', body)


def merged_config(tmp_path: Path, site: dict[str, Any], draft: str) -> Config:
    """``site`` with the draft's services and cookies added, loaded as a YAML file."""
    extra = yaml.safe_load(draft) or {}
    assert set(extra) <= {"services", "cookies"}
    data = copy.deepcopy(site)
    services = dict(data.get("services") or {})
    assert not set(services) & set(extra.get("services") or {}), "the draft reuses an id"
    services.update(extra.get("services") or {})
    data["services"] = services
    data["cookies"] = list(data.get("cookies") or []) + list(extra.get("cookies") or [])
    path = tmp_path / "merged.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_config(path)


# --- configuration -------------------------------------------------------------------


def test_yaml_audit_forms(tmp_path: Path) -> None:
    def load(text: str) -> Config:
        path = tmp_path / "cookies.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_config(path)

    assert load("audit: off\n").audit.mode == "off"  # YAML 1.1 reads `off` as false
    assert load("policy_url: /p\n").audit.mode == "off"
    config = load("audit: report\n")
    assert config.audit.mode == "report"
    assert config.audit.file == str(tmp_path / "cookiegate-audit.json")
    config = load("audit: {file: reports/a.json, max_pages: 3}\n")
    assert config.audit.mode == "off", "a mapping without mode only prepares the file"
    assert config.audit.file == str(tmp_path / "reports" / "a.json")
    assert config.audit.max_pages == 3


def test_yaml_audit_errors_name_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text(
        "policy_url: /privacy\naudit:\n  mode: reprot\n  max_hosts: 0\n  flush_second: 3\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = [error.single_line() for error in caught.value.errors]
    hint = "(did you mean 'flush_seconds'?)"
    assert lines == [
        f"{path}:3: audit.mode: 'reprot' is not allowed; use 'report' to record undeclared "
        "hosts and cookies, or 'off' (did you mean 'report'?)",
        f"{path}:4: audit.max_hosts: must be an integer between 1 and 100000, got 0",
        f"{path}:5: audit.flush_second: unknown key 'flush_second' {hint}",
    ]
    with pytest.raises(ConfigError, match=r"audit: True is not allowed"):
        Config.from_mapping({"audit": True})


def test_environment_overrides_the_yaml(tmp_path: Path) -> None:
    config = Config.from_mapping({"audit": "report"})
    assert audit_settings(config, {"COOKIEGATE_AUDIT": "off"}).mode == "off"
    off = Config.from_mapping({})
    settings = audit_settings(
        off, {"COOKIEGATE_AUDIT": " Report ", "COOKIEGATE_AUDIT_FILE": "/tmp/x.json"}
    )
    assert (settings.mode, settings.file) == ("report", "/tmp/x.json")
    with pytest.raises(ConfigError, match=r"\$COOKIEGATE_AUDIT: 'on' is not allowed"):
        audit_settings(off, {"COOKIEGATE_AUDIT": "on"})


def test_audit_is_off_by_default(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    assert CookieGate(make_app(), config, secret_key=KEY).audit is None
    monkeypatch.setenv("COOKIEGATE_AUDIT", "report")
    monkeypatch.setenv("COOKIEGATE_AUDIT_FILE", os.devnull + ".never-written")
    assert CookieGate(make_app(), config, secret_key=KEY).audit is not None


# --- the observer in the middleware ---------------------------------------------------


def test_flask_site_through_the_middleware(tmp_path: Path) -> None:
    gate = CookieGate(site_app().wsgi_app, audit_config(tmp_path), secret_key=KEY)
    client = Client(gate)
    response = client.get("/?email=someone@example.com")
    body = response.get_data()
    # The gate removed the undeclared widget for this visitor; the audit saw it anyway.
    assert b"undeclared-widget" not in body and b"<h1>Shop</h1>" in body
    assert client.get("/about").get_data() == b"<!doctype html><p>About us</p>"

    report = read_report(str(tmp_path / "audit.json"))
    assert report.pages == 2
    assert {host: entry.via for host, entry in report.hosts.items()} == EXPECTED_HOSTS
    assert all(entry.pages == {"/": 1} for entry in report.hosts.values())
    assert set(report.snippets) == {"hotjar"}
    assert set(report.cookies) == {"cart_id"}
    assert report.site_hosts == {"localhost": 2}
    assert "someone" not in (tmp_path / "audit.json").read_text(encoding="utf-8")


def test_counts_add_up_over_requests_and_pages(tmp_path: Path) -> None:
    gate = CookieGate(site_app().wsgi_app, audit_config(tmp_path), secret_key=KEY)
    client = Client(gate)
    for _ in range(3):
        client.get("/").get_data()
    client.get("/about").get_data()
    report = read_report(str(tmp_path / "audit.json"))
    assert report.pages == 4
    assert report.hosts["static.hotjar.com"].count == 3
    assert report.cookies["cart_id"].pages == {"/": 3}


@pytest.mark.parametrize("chunks", [1, 7, None])
def test_findings_do_not_depend_on_chunking(tmp_path: Path, chunks: int | None) -> None:
    gate = CookieGate(make_app(SITE_PAGE, chunks=chunks), audit_config(tmp_path), secret_key=KEY)
    Client(gate).get("/").get_data()
    report = read_report(str(tmp_path / "audit.json"))
    expected = {h: v for h, v in EXPECTED_HOSTS.items() if v != {"header"}}
    assert {h: e.via for h, e in report.hosts.items()} == expected


def test_gzip_pages_and_base_href_are_read_like_the_gate(tmp_path: Path) -> None:
    page = (
        b'<!doctype html><head><base href="https://assets.elsewhere.example/static/">'
        b'</head><body><img src="pic.png"></body>'
    )
    app = make_app(gzip.compress(page), headers=[("Content-Encoding", "gzip")])
    Client(CookieGate(app, audit_config(tmp_path), secret_key=KEY)).get("/").get_data()
    report = read_report(str(tmp_path / "audit.json"))
    assert set(report.hosts) == {"assets.elsewhere.example"}


def test_a_page_is_counted_once_when_its_meta_decides_the_encoding(tmp_path: Path) -> None:
    page = b'<!doctype html><meta charset="windows-1252"><img src="https://x.undeclared.example/a">'
    app = make_app(page, content_type="text/html")
    client = Client(CookieGate(app, audit_config(tmp_path), secret_key=KEY))
    client.get("/").get_data()
    client.head("/").get_data()  # same headers, no body: not a page
    report = read_report(str(tmp_path / "audit.json"))
    assert report.pages == 1 and report.hosts["x.undeclared.example"].count == 1


def test_declared_first_party_and_own_hosts_are_not_reported(tmp_path: Path) -> None:
    page = (
        b'<script src="https://www.googletagmanager.com/gtag/js"></script>'
        b'<script>gtag("config","G-1"); fbq("init","1")</script>'
        b'<iframe src="https://www.youtube.com/embed/x"></iframe>'
        b'<link rel=stylesheet href="https://static.shop.example/a.css">'
        b'<img src="https://localhost/x.png"><a href="https://elsewhere.example/">link</a>'
    )
    app = make_app(page, headers=[("Set-Cookie", "session=1"), ("Set-Cookie", "_ga_X=1")])
    Client(CookieGate(app, audit_config(tmp_path), secret_key=KEY)).get("/").get_data()
    report = read_report(str(tmp_path / "audit.json"))
    assert report.pages == 1
    assert not report.hosts and not report.cookies
    assert set(report.snippets) == set(), "meta-pixel's fbq('init' is declared by the config"


def test_a_failing_observer_never_changes_the_response(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    quiet = CookieGate(site_app().wsgi_app, Config.from_mapping(CONFIG_DATA), secret_key=KEY)
    expected = Client(quiet).get("/").get_data()

    def broken(self: PageScanner, data: bytes) -> None:
        raise RuntimeError("scanner exploded")

    monkeypatch.setattr(PageScanner, "feed", broken)
    gate = CookieGate(site_app().wsgi_app, audit_config(tmp_path), secret_key=KEY)
    with caplog.at_level(logging.ERROR, logger="cookiegate"):
        response = Client(gate).get("/")
    assert response.status_code == 200
    assert without_tokens(response.get_data()) == without_tokens(expected)
    assert any("stopped scanning" in r.getMessage() for r in caplog.records)
    assert set(read_report(str(tmp_path / "audit.json")).cookies) == {"cart_id"}


def test_an_unwritable_report_is_logged_and_kept_for_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "later" / "audit.json"
    log = AuditLog(str(path), Limits(), flush_seconds=0)
    with caplog.at_level(logging.ERROR, logger="cookiegate"):
        log.record_cookies("/", ["a"])  # flushes, and fails: no such directory
    assert any("could not add to the audit report" in r.getMessage() for r in caplog.records)
    log.record_cookies("/", ["a"])
    path.parent.mkdir()
    assert log.flush()
    assert read_report(str(path)).cookies["a"].count == 2


# --- the store ---------------------------------------------------------------------


def test_bounds_hold_in_memory_and_in_the_file(tmp_path: Path) -> None:
    limits = Limits(max_hosts=2, max_cookies=1, max_pages=2)
    path = str(tmp_path / "audit.json")
    log = AuditLog(path, limits, flush_seconds=3600)
    for page in ("/a", "/b", "/c", "/c"):
        log.record_page(page, "site.example", [("one.example", ["tag"])])
    log.record_page("/a", "site.example", [("two.example", ["tag"]), ("three.example", ["tag"])])
    log.record_cookies("/a", ["c1", "c2"])
    assert log.flush()
    report = read_report(path)
    assert set(report.hosts) == {"one.example", "two.example"}
    one = report.hosts["one.example"]
    assert (one.count, one.pages, one.other_pages) == (4, {"/a": 1, "/b": 1}, 2)
    assert (report.dropped_hosts, report.dropped_cookies) == (1, 1)
    # A second process's new host does not grow the file past the bound either.
    other = AuditLog(path, limits, flush_seconds=3600)
    other.record_page("/d", "site.example", [("four.example", ["inline"])])
    assert other.flush()
    report = read_report(path)
    assert set(report.hosts) == {"one.example", "two.example"}
    assert report.dropped_hosts == 2 and report.pages == 6


def test_threads_record_without_losing_counts(tmp_path: Path) -> None:
    log = AuditLog(str(tmp_path / "audit.json"), Limits(), flush_seconds=3600)

    def work(n: int) -> None:
        for i in range(200):
            log.record_page(f"/p{i % 5}", "site.example", [("cdn.example", ["tag"])])
            log.record_cookies("/", [f"c{n}"])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pending = log.pending()
    assert pending.pages == 1600 and pending.hosts["cdn.example"].count == 1600
    assert sum(pending.hosts["cdn.example"].pages.values()) == 1600
    assert {name: e.count for name, e in pending.cookies.items()} == {
        f"c{n}": 200 for n in range(8)
    }
    assert log.flush() and log.pending().is_empty()


_WORKER = """
import sys
from cookiegate.audit import AuditLog, Limits
path, n = sys.argv[1], int(sys.argv[2])
log = AuditLog(path, Limits(), flush_seconds=0)
for i in range(40):
    log.record_page(f"/p{i % 4}", "site.example", [("cdn.shared.example", ["tag"])])
log.record_page("/", "site.example", [(f"worker{n}.example", ["inline"])])
log.record_cookies("/", ["shared_cookie"])
"""


def test_worker_processes_add_up_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.json"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    workers = [
        subprocess.Popen([sys.executable, "-c", _WORKER, str(path), str(n)], env=env)
        for n in range(6)
    ]
    assert [worker.wait(timeout=60) for worker in workers] == [0] * 6
    report = read_report(str(path))
    assert report.pages == 6 * 41
    shared = report.hosts["cdn.shared.example"]
    assert shared.count == 240 and shared.pages == {f"/p{i}": 60 for i in range(4)}
    assert {f"worker{n}.example" for n in range(6)} <= set(report.hosts)
    assert report.cookies["shared_cookie"].count == 6
    assert not list(tmp_path.glob("*.tmp")), "temporary files are renamed or removed"


def test_a_forked_child_does_not_flush_its_parents_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(str(tmp_path / "audit.json"), Limits(), flush_seconds=3600)
    log.record_cookies("/", ["parent"])
    monkeypatch.setattr("cookiegate.audit.store.os.getpid", lambda: -1)
    log.record_cookies("/", ["child"])
    assert set(log.pending().cookies) == {"child"}
    assert log.flush()


def test_report_file_round_trip_and_errors(tmp_path: Path) -> None:
    data = AuditData()
    limits = Limits()
    data.add_page("site.example", limits, now=1_700_000_000)
    data.add_host("cdn.example", "/", ["tag", "inline"], limits)
    data.add_snippet("hotjar", "/", limits)
    data.add_cookie("c", "/", limits, now=1_700_000_100)
    again = AuditData.from_json(json.loads(data.dumps()))
    assert again.to_json() == data.to_json()
    assert again.hosts["cdn.example"].via == {"tag", "inline"}
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(AuditFileError, match="not JSON"):
        read_report(str(bad))
    bad.write_text('{"format": "cookiegate-audit", "version": 99}', encoding="utf-8")
    with pytest.raises(AuditFileError, match="version 99"):
        read_report(str(bad))
    assert read_report(str(tmp_path / "missing.json")).is_empty()


# --- cookiegate audit ------------------------------------------------------------------

SITE_YAML = {
    **CONFIG_DATA,
    "audit": {"mode": "report", "file": "audit.json", "flush_seconds": 0},
}


def browse(tmp_path: Path) -> Path:
    path = tmp_path / "cookies.yaml"
    path.write_text(yaml.safe_dump(SITE_YAML), encoding="utf-8")
    client = Client(CookieGate(site_app().wsgi_app, path, secret_key=KEY))
    client.get("/").get_data()
    client.get("/about").get_data()
    return path


def test_cli_audit_prints_report_and_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = browse(tmp_path)
    assert main(["audit", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Looked at 2 HTML responses")
    assert "  static.hotjar.com " in out and "preset hotjar" in out
    assert "inline scripts only" in out
    assert "Undeclared cookies (1):\n  cart_id  1 response  unknown\n      / (1)\n" in out
    assert "  hotjar:  # on 1 page: /\n    preset: hotjar\n" in out
    assert "  # - {name: cart_id, category: ?, duration: ?, purpose: ?}" in out
    assert "  # undeclared-widget:  # unknown to the catalogue" in out


def test_cli_audit_draft_validates_and_covers_what_was_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = browse(tmp_path)
    assert main(["audit", "--config", str(path), "--format", "yaml"]) == 0
    draft = capsys.readouterr().out
    merged = merged_config(tmp_path, SITE_YAML, draft)
    assert merged.service("hotjar") is not None
    after = build_report(read_report(str(tmp_path / "audit.json")), merged)
    assert "static.hotjar.com" not in {f.host for f in after.hosts}
    assert not after.snippets
    assert all(f.preset is None for f in after.hosts), "every recognised host is declared"


def test_cli_audit_check_clear_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--file", str(tmp_path / "none.json")]) == 2
    assert "no report at" in capsys.readouterr().err
    path = browse(tmp_path)
    report = tmp_path / "audit.json"
    assert main(["audit", "--file", str(report), "--check", "--format", "json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["hosts"]["static.hotjar.com"]["preset"] == "hotjar"
    assert printed["cookies"]["cart_id"]["count"] == 1
    assert main(["audit", "--config", str(path), "--clear"]) == 0
    assert not report.exists()
    capsys.readouterr()
    report.write_text("[]", encoding="utf-8")
    assert main(["audit", "--file", str(report)]) == 2
    assert "not a cookiegate audit report" in capsys.readouterr().err
    assert main(["audit"]) == 2


def test_cli_audit_with_an_updated_config_drops_what_is_now_declared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = browse(tmp_path)
    covered = copy.deepcopy(SITE_YAML)
    covered["services"]["hotjar"] = {"preset": "hotjar"}
    covered["cookies"].append({"name": "cart_id", "category": "necessary"})
    # static.hotjar.com is the hotjar service's now; a service's claim wins anyway.
    others = [host for host in EXPECTED_HOSTS if host != "static.hotjar.com"]
    covered["first_party_hosts"] = ["static.shop.example", *others]
    path.write_text(yaml.safe_dump(covered), encoding="utf-8")
    assert main(["audit", "--config", str(path), "--check"]) == 0
    out = capsys.readouterr().out
    assert "Nothing undeclared" in out


# --- the draft ---------------------------------------------------------------------


def _data(hosts: dict[str, list[str]], cookies: list[str] = (), snippets: list[str] = ()) -> Any:
    data = AuditData()
    limits = Limits()
    data.add_page("shop.example", limits)
    for host, via in hosts.items():
        data.add_host(host, "/", via, limits)
    for name in cookies:
        data.add_cookie(name, "/", limits)
    for preset in snippets:
        data.add_snippet(preset, "/", limits)
    return data


def test_draft_keeps_the_merged_file_valid(tmp_path: Path) -> None:
    site = {
        "categories": {
            "necessary": {"title": "Necessary", "required": True},
            "stats": {"title": "Statistics"},
        },
        "services": {
            # narrows the hotjar preset: a host it does not list is still undeclared
            "heatmaps": {"preset": "hotjar", "category": "stats", "hosts": ["insights.hotjar.com"]},
            # claims one of google-analytics' patterns under another id
            "my-ga": {"category": "stats", "hosts": ["*.google-analytics.com"]},
        },
        "cookies": [{"name": "session", "category": "necessary"}],
    }
    data = _data(
        {
            "static.hotjar.com": ["tag"],
            "region1.analytics.google.com": ["tag"],
            "www.youtube.com": ["tag"],
            "cdn.unknown-widget.example": ["inline"],
            "img.shop.example": ["tag"],
        },
        cookies=["_fbp", "_clck"],
        snippets=["meta-pixel"],
    )
    report = build_report(data, Config.from_mapping(site))
    draft = draft_yaml(report)
    assert "services.heatmaps uses preset 'hotjar'" in draft
    assert "  google-analytics:" in draft and '    hosts: ["*.analytics.google.com"]' in draft
    assert "    category: stats  # the preset's 'social' is not declared" in draft
    assert "  # _fbp: declared by services.meta-pixel above" in draft
    assert "  # - {name: _clck, category: ?}  # preset microsoft-clarity's cookie" in draft
    assert "# first_party_hosts: [img.shop.example]" in draft
    assert "#   inline: [...]" in draft
    merged = merged_config(tmp_path, site, draft)
    assert {s.id for s in merged.services} == {
        "heatmaps",
        "my-ga",
        "google-analytics",
        "youtube",
        "meta-pixel",
    }
    assert merged.cookie_spec("_ga_ABC123") is not None
    meta = merged.service("meta-pixel")
    assert meta is not None and meta.category == "stats"


def test_draft_declares_cookies_the_catalogue_knows(tmp_path: Path) -> None:
    data = _data(
        {"connect.facebook.net": ["tag"]},
        cookies=["_ga_ABC123", "_ga_DEF456", "cart_id", "_fbp", "true"],
    )
    draft = draft_yaml(build_report(data))
    assert "  # _fbp: declared by services.meta-pixel above" in draft
    assert "  - name: _ga_*  # as the google-analytics preset declares it" in draft
    assert "    category: analytics\n    provider: Google Ireland Limited\n" in draft
    assert "  # _ga_DEF456: covered by '_ga_*' above" in draft
    assert "  # - {name: cart_id, category: ?, duration: ?, purpose: ?}" in draft
    assert '  # - {name: "true", category: ?' in draft, "YAML would read a plain true as a bool"
    merged = merged_config(tmp_path, {}, draft)
    spec = merged.cookie_spec("_ga_XYZ")
    assert spec is not None and spec.category == "analytics" and spec.service is None
    assert merged.cookie_spec("cart_id") is None


def test_draft_of_a_clean_report_and_of_no_config_validates(tmp_path: Path) -> None:
    data = _data({"connect.facebook.net": ["inline"], "www.youtube.com": ["tag"]})
    draft = draft_yaml(build_report(data))
    merged = merged_config(tmp_path, {}, draft)
    assert {s.id for s in merged.services} == {"meta-pixel", "youtube"}
    clean = build_report(_data({}), Config.from_mapping({}))
    assert clean.is_clean
    assert yaml.safe_load(draft_yaml(clean)) is None


def test_observer_classifies_like_the_gate(config: Config) -> None:
    observer = AuditObserver(config, AuditLog(os.devnull, Limits(), flush_seconds=3600))
    classifier = observer.classifier
    own = frozenset({"shop.example"})
    assert not classifier.host_is_undeclared("shop.example", own)
    assert not classifier.host_is_undeclared("static.shop.example", own)  # first_party_hosts
    assert not classifier.host_is_undeclared("region1.google-analytics.com", own)
    assert classifier.host_is_undeclared("google-analytics.com", own)  # *. is not the apex
    assert list(classifier.undeclared_cookies(["a=1", "_ga=1", "b=; Max-Age=0", "c=1"])) == [
        "a",
        "c",
    ]
    assert list(classifier.undeclared_cookies(["d=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"])) == []
