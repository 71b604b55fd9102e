"""``cookiegate scan``: a running local site (a real HTTP server) and HTML files."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from werkzeug.serving import make_server

from cookiegate import CookieGate
from cookiegate.audit import ScanOptions, SiteScanner, build_report, draft_yaml
from cookiegate.cli import main
from cookiegate.config import Config, load_config

from .conftest import CONFIG_DATA, KEY, SHARED_DATA

flask = pytest.importorskip("flask", reason="the scan tests serve Flask apps")

EXAMPLE_SITE = Path(__file__).resolve().parents[1] / "examples" / "flask_site"
PAGES = SHARED_DATA / "pages"
needs_pages = pytest.mark.skipif(
    not PAGES.is_dir(), reason=f"the shared real-world pages are not at {PAGES}"
)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` on a real HTTP server on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def example_app() -> Any:
    from cookiegate.demo import load_site_module

    return load_site_module(EXAMPLE_SITE).create_app(secret_key="scan-test")


def presets_of(scanner: SiteScanner, config: Config | None = None) -> set[str]:
    report = build_report(scanner.data, config)
    return {f.preset for f in report.hosts if f.preset} | set(report.snippets)


# --- a running site ---------------------------------------------------------------


def test_scan_of_the_example_site_recognises_its_trackers(example_app: Any) -> None:
    warnings: list[str] = []
    with serving(example_app) as base:
        scanner = SiteScanner(None, ScanOptions(depth=2), warn=warnings.append)
        scanner.scan([base + "/"])
    data = scanner.data
    assert data.pages >= 5, "the home page's links were followed"
    assert {"/", "/shop", "/journal/big-buck-bunny-at-fifteen"} <= {
        page for entry in data.hosts.values() for page in entry.pages
    }
    assert presets_of(scanner) == {
        "google-tag-manager",
        "google-analytics",  # its inline gtag('config') snippet
        "meta-pixel",
        "facebook-sdk",  # the pixel's <noscript> image on www.facebook.com
        "google-fonts",
        "youtube",
    }
    assert data.hosts["www.youtube.com"].pages == {"/journal/big-buck-bunny-at-fifteen": 1}
    assert scanner.failures == 0
    # The site links to cookiegate's preferences page, which only exists when wrapped.
    assert warnings == [f"{base}/cookie-settings: HTTP 404 NOT FOUND"]


def test_scan_with_the_sites_own_config_finds_nothing(
    example_app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(EXAMPLE_SITE / "cookies.yaml")
    with serving(example_app) as base:
        status = main(["scan", base + "/", "--depth", "2", "--config", config, "--check"])
    out = capsys.readouterr().out
    assert "Nothing undeclared" in out
    assert status == 0


def test_scan_without_config_drafts_a_valid_file(
    example_app: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with serving(example_app) as base:
        status = main(["scan", base + "/", "--depth", "1", "--format", "yaml", "--check"])
    assert status == 1, "--check fails when something is undeclared"
    draft = capsys.readouterr().out
    path = tmp_path / "cookies.yaml"
    path.write_text(draft, encoding="utf-8")
    config = load_config(path)
    assert {s.id for s in config.services} >= {"google-tag-manager", "meta-pixel", "youtube"}


def test_a_gated_site_is_pointed_out(capsys: pytest.CaptureFixture[str]) -> None:
    from cookiegate.demo import load_site_module

    app = load_site_module(EXAMPLE_SITE).create_app(secret_key="scan-test")
    app.wsgi_app = CookieGate(app.wsgi_app, EXAMPLE_SITE / "cookies.yaml", secret_key=KEY)
    with serving(app) as base:
        main(["scan", base + "/"])
    err = capsys.readouterr().err
    assert "was served through cookiegate" in err and "audit: report" in err


def cookie_site(requests: list[tuple[str, str]]) -> Any:
    app = flask.Flask("scan_cookie_site")

    @app.before_request
    def log() -> None:
        requests.append((flask.request.path, flask.request.headers.get("Cookie", "")))

    @app.get("/")
    def home() -> Any:
        response = flask.make_response(
            '<!doctype html><a href="/next#top">next</a> <a href="/go?x=1">go</a>'
            ' <a href="/report.pdf">pdf</a> <a href="http://localhost:1/">other site</a>'
            ' <a href="mailto:a@b.example">mail</a>'
            '<img src="https://px.home-tracker.example/p.gif">'
        )
        response.set_cookie("visitor_id", "v1")
        response.set_cookie("session", "s")  # declared in the config
        return response

    @app.get("/next")
    def next_page() -> Any:
        response = flask.make_response(
            "<!doctype html><script>window._hjSettings={hjid:1};"
            "var u='https:\\/\\/static.hotjar.com\\/c\\/hotjar-1.js'</script>"
        )
        response.headers["Link"] = "<https://fonts.gstatic.com/a.woff2>; rel=preload; as=font"
        return response

    @app.get("/go")
    def go() -> Any:
        response = flask.redirect("/landing", 302)
        response.set_cookie("redirect_seen", "1")
        return response

    @app.get("/landing")
    def landing() -> Any:
        if flask.request.cookies.get("visitor_id") != "v1":
            flask.abort(403)
        return '<!doctype html><iframe src="https://www.youtube.com/embed/x"></iframe>'

    return app


def test_scan_follows_links_keeps_cookies_and_reads_redirects() -> None:
    requests: list[tuple[str, str]] = []
    config = Config.from_mapping(CONFIG_DATA)
    with serving(cookie_site(requests)) as base:
        options = ScanOptions(depth=1, cookies=(("seed", "s1"),))
        scanner = SiteScanner(config, options, warn=pytest.fail)
        data = scanner.scan([base + "/"])
    paths = [path for path, _ in requests]
    assert sorted(paths) == ["/", "/go", "/landing", "/next"], "no pdf, no other origin"
    assert all("seed=s1" in cookie for _, cookie in requests)
    assert data.pages == 3
    assert set(data.cookies) == {"visitor_id", "redirect_seen"}
    assert data.cookies["redirect_seen"].pages == {"/go": 1}, "the query string is not kept"
    assert {host: entry.via for host, entry in data.hosts.items()} == {
        "px.home-tracker.example": {"tag"},
        "static.hotjar.com": {"inline"},
        "fonts.gstatic.com": {"header"},
    }, "www.youtube.com is declared by the config"
    assert set(data.snippets) == {"hotjar"}


def test_scan_bounds_pages_and_reports_unreachable_targets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    requests: list[tuple[str, str]] = []
    with serving(cookie_site(requests)) as base:
        scanner = SiteScanner(None, ScanOptions(depth=5, max_pages=2))
        scanner.scan([base + "/"])
        assert len(requests) == 2 and scanner.data.pages == 2
        warnings: list[str] = []
        one = SiteScanner(None, ScanOptions(max_pages=1), warn=warnings.append)
        one.scan([base + "/", base + "/next"])
        assert one.data.pages == 1
        assert warnings == [f"{base}/next: not scanned, --max-pages 1 reached"]
        status = main(["scan", base + "/nowhere", base + "/"])
    captured = capsys.readouterr()
    assert f"cookiegate scan: {base}/nowhere: HTTP 404 NOT FOUND" in captured.err
    assert "px.home-tracker.example" in captured.out, "the other target is still reported"
    assert status == 2
    assert main(["scan", "/no/such/file.html"]) == 2
    captured = capsys.readouterr()
    assert "not an http(s) URL, an HTML file or a directory" in captured.err
    assert "Nothing undeclared" not in captured.out, "nothing was read, so nothing is claimed"
    assert main(["scan", "x", "--cookie", "novalue"]) == 2


# --- files ---------------------------------------------------------------------------


def test_files_own_host_comes_from_base_url_or_canonical(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_bytes(
        b'<!doctype html><link rel=canonical href="https://www.shop.example/">'
        b'<img src="https://www.shop.example/a.png"><img src="https://cdn.shop.example/b.png">'
        b'<img src="relative.png"><script src="https://cdn.other.example/x.js"></script>'
    )
    data = SiteScanner(None).scan([str(page)])
    assert set(data.hosts) == {"cdn.shop.example", "cdn.other.example"}
    report = build_report(data)
    own = {f.host for f in report.hosts if f.own_domain}
    assert own == {"cdn.shop.example"}
    assert "# first_party_hosts: [cdn.shop.example]" in draft_yaml(report)

    based = SiteScanner(None, ScanOptions(base_url="https://cdn.shop.example/")).scan([str(page)])
    assert set(based.hosts) == {"www.shop.example", "cdn.other.example"}


def test_files_in_any_encoding_and_directories(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    utf16 = '<!doctype html><script src="https://utf16.tracker.example/x.js"></script>'
    (tmp_path / "sub" / "utf16.html").write_bytes(b"\xff\xfe" + utf16.encode("utf-16-le"))
    (tmp_path / "latin.htm").write_bytes(
        b'<meta charset="windows-1252"><p>caf\xe9</p><img src="https://cp1252.example/a.gif">'
    )
    (tmp_path / "notes.txt").write_text('<img src="https://ignored.example/">', encoding="utf-8")
    data = SiteScanner(None).scan([str(tmp_path)])
    assert data.pages == 2
    assert set(data.hosts) == {"utf16.tracker.example", "cp1252.example"}


@needs_pages
def test_real_pages_are_recognised_from_the_catalogue(tmp_path: Path) -> None:
    scanner = SiteScanner(None)
    scanner.scan([str(PAGES)])
    assert scanner.data.pages == 20 and scanner.failures == 0
    presets = presets_of(scanner)
    # Trackers SOURCES.md lists for these pages.
    assert {
        "google-analytics",
        "google-tag-manager",
        "doubleclick",
        "meta-pixel",
        "youtube",
        "vimeo",
        "chartbeat",
        "comscore",
        "quantcast",
        "hotjar",
        "taboola",
        "outbrain",
        "criteo",
        "linkedin-insight",
    } <= presets

    def pages_of(preset: str) -> set[str]:
        report = build_report(scanner.data)
        entries = [f.entry for f in report.hosts if f.preset == preset]
        entries += [e for p, e in report.snippets.items() if p == preset]
        return {Path(page).name for entry in entries for page in entry.pages}

    assert "theonion-com.html" in pages_of("youtube")
    assert "fastcompany-com.html" in pages_of("meta-pixel")
    assert "kusp-org.html" in pages_of("vimeo")
    draft = draft_yaml(build_report(scanner.data))
    path = tmp_path / "cookies.yaml"
    path.write_text(draft, encoding="utf-8")
    drafted = {s.id for s in load_config(path).services}
    assert presets <= drafted, "every recognised service is drafted"
    assert yaml.safe_load(draft)["services"]["youtube"] == {"preset": "youtube"}
