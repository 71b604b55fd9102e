"""The example Flask site, unwrapped and as served by ``cookiegate demo``.

The unwrapped site must really carry the trackers the gate is meant to remove, so the
first half checks their tags are in its pages. The second half checks the demo runner
finds, imports and wraps the site (without starting a server).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("flask", reason="the example site needs the 'demo' extra (Flask)")

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

SITE_DIR = Path(__file__).resolve().parents[1] / "examples" / "flask_site"
ARTICLE = "/journal/big-buck-bunny-at-fifteen"
PAGES = ["/", ARTICLE, "/journal/exposure-sheets", "/shop", "/basket", "/privacy"]


def _import_site() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_flask_site", SITE_DIR / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site() -> ModuleType:
    return _import_site()


@pytest.fixture()
def app(site: ModuleType) -> Flask:
    created = site.create_app(secret_key="test-secret-for-flask-sessions")
    assert isinstance(created, Flask)
    return created


@pytest.fixture()
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


def _html(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_a_full_document(client: FlaskClient, path: str) -> None:
    html = _html(client, path)
    assert html.startswith("<!doctype html>")
    assert "<body>" in html
    assert "</html>" in html


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_google_tag(client: FlaskClient, path: str) -> None:
    html = _html(client, path)
    assert '<script async src="https://www.googletagmanager.com/gtag/js?id=G-FM0DEMO123">' in html
    assert "gtag('config', 'G-FM0DEMO123');" in html


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_meta_pixel_and_its_noscript_image(
    client: FlaskClient, path: str
) -> None:
    html = _html(client, path)
    assert "'https://connect.facebook.net/en_US/fbevents.js'" in html
    assert "fbq('init', '100000000000001');" in html
    noscript = html.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert 'src="https://www.facebook.com/tr?id=100000000000001&amp;ev=PageView' in noscript


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_google_fonts(client: FlaskClient, path: str) -> None:
    html = _html(client, path)
    assert '<link rel="preconnect" href="https://fonts.googleapis.com">' in html
    assert '<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>' in html
    assert '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=' in html


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_privacy_policy_and_cookie_settings(
    client: FlaskClient, path: str
) -> None:
    html = _html(client, path)
    assert '<a href="/privacy">Privacy policy</a>' in html
    assert '<a href="/cookie-settings">Cookie settings</a>' in html


def test_article_embeds_a_youtube_iframe(client: FlaskClient) -> None:
    html = _html(client, ARTICLE)
    assert (
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/aqz-KE-bpKQ"' in html
    )


def test_article_without_video_has_no_iframe(client: FlaskClient) -> None:
    assert "<iframe" not in _html(client, "/journal/exposure-sheets")


def test_unknown_article_is_404(client: FlaskClient) -> None:
    assert client.get("/journal/no-such-piece").status_code == 404


def test_stylesheet_is_served_and_site_has_no_javascript_of_its_own(client: FlaskClient) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()
    assert not list(SITE_DIR.rglob("*.js"))


def test_pages_set_no_cookie_until_the_basket_is_used(client: FlaskClient) -> None:
    for path in PAGES:
        assert "Set-Cookie" not in client.get(path).headers, path


def test_adding_to_the_basket_sets_the_first_party_session_cookie(client: FlaskClient) -> None:
    response = client.post("/basket", data={"book": "paper-light"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/basket"
    set_cookie = response.headers.getlist("Set-Cookie")
    assert len(set_cookie) == 1
    assert set_cookie[0].startswith("session=")
    assert "HttpOnly" in set_cookie[0]
    assert "SameSite=Lax" in set_cookie[0]
    html = _html(client, "/basket")
    assert "Paper Light" in html
    assert "Basket (1)" in html
    assert "£16.00" in html


def test_emptying_the_basket(client: FlaskClient) -> None:
    client.post("/basket", data={"book": "the-open-movie"})
    response = client.post("/basket/empty")
    assert response.status_code == 303
    assert "Your basket is empty." in _html(client, "/basket")


def test_adding_an_unknown_book_is_rejected(client: FlaskClient) -> None:
    response = client.post("/basket", data={"book": "not-a-book"})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers


def test_unwrapped_privacy_page_has_no_consent_notice(client: FlaskClient) -> None:
    assert "For this page view:" not in _html(client, "/privacy")


def test_cookies_yaml_declares_the_sites_services_and_session_cookie() -> None:
    import yaml

    data = yaml.safe_load((SITE_DIR / "cookies.yaml").read_text(encoding="utf-8"))
    assert list(data["categories"]) == [
        "necessary",
        "functional",
        "analytics",
        "marketing",
        "social",
    ]
    services = data["services"]
    assert services["google-analytics"]["category"] == "analytics"
    assert services["meta-pixel"]["category"] == "marketing"
    assert services["youtube"] == {"preset": "youtube", "category": "social", "placeholder": True}
    assert services["google-fonts"]["category"] == "functional"
    assert data["cookies"][0]["name"] == "session"
    assert data["cookies"][0]["category"] == "necessary"


def test_cookies_yaml_loads_with_cookiegate() -> None:
    from cookiegate.config import load_config

    config = load_config(SITE_DIR / "cookies.yaml")
    assert [c.id for c in config.categories] == [
        "necessary",
        "functional",
        "analytics",
        "marketing",
        "social",
    ]
    youtube = config.service("youtube")
    assert youtube is not None and youtube.placeholder
    assert youtube.matches_host("www.youtube.com")
    assert config.service("google-fonts").hosts


# --- the demo runner ---------------------------------------------------------------

CATEGORIES = ["necessary", "functional", "analytics", "marketing", "social"]
TRACKER_MARKERS = [
    "www.googletagmanager.com/gtag/js",
    "gtag('config'",
    "connect.facebook.net/en_US/fbevents.js",
    "www.facebook.com/tr?id=",
    "fonts.googleapis.com",
]


@pytest.fixture()
def demo() -> ModuleType:
    from cookiegate import demo as demo_module

    return demo_module


@pytest.fixture()
def no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COOKIEGATE_SECRET_KEY", raising=False)


def _needs_middleware() -> None:
    pytest.importorskip(
        "cookiegate.middleware", reason="cookiegate.middleware (CookieGate) is not written yet"
    )


def test_demo_finds_the_source_checkout_site(demo: ModuleType) -> None:
    assert demo.find_demo_site() == SITE_DIR


def test_demo_prefers_the_copy_packaged_in_the_wheel(
    demo: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    packaged = tmp_path / "_demo_site"
    packaged.mkdir()
    (packaged / "app.py").write_text('"""Packaged."""\n', encoding="utf-8")
    monkeypatch.setattr(demo, "files", lambda package: tmp_path)
    assert demo.find_demo_site() == packaged


def test_demo_reports_a_missing_site_clearly(
    demo: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(demo, "files", lambda package: tmp_path)
    monkeypatch.setattr(demo, "__file__", str(tmp_path / "a" / "b" / "demo.py"))
    with pytest.raises(
        demo.DemoSiteNotFound, match=r"example site was not found.*cookiegate\[demo\]"
    ):
        demo.find_demo_site()


def test_demo_imports_create_app_from_the_file_path(demo: ModuleType) -> None:
    module = demo.load_site_module(SITE_DIR)
    assert module.__file__ == str(SITE_DIR / "app.py")
    assert isinstance(module.create_app(), Flask)


def test_explicit_secret_key_is_used(demo: ModuleType, no_env_key: None) -> None:
    assert demo.resolve_secret_key("k" * 32) == ("k" * 32, False)


def test_environment_secret_key_is_used(demo: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOKIEGATE_SECRET_KEY", "from-the-environment-0123456789")
    assert demo.resolve_secret_key() == ("from-the-environment-0123456789", False)


def test_without_a_key_a_fresh_throwaway_key_is_made(demo: ModuleType, no_env_key: None) -> None:
    first, throwaway = demo.resolve_secret_key()
    second, _ = demo.resolve_secret_key()
    assert throwaway
    assert len(first) >= 32
    assert first != second


def test_main_without_flask_explains_how_to_install_it(
    demo: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "flask", None)
    assert demo.main() == 2
    assert "pip install 'cookiegate[demo]'" in capsys.readouterr().err


def test_demo_app_is_gated_with_the_embedded_config(demo: ModuleType, no_env_key: None) -> None:
    _needs_middleware()
    app = demo.build_demo_app()
    with app.test_client() as client:
        for path in ["/", ARTICLE]:
            response = client.get(path)
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            for marker in TRACKER_MARKERS:
                assert marker not in html, (path, marker)
            assert "www.youtube.com/embed/" not in html
            assert "/static/site.css" in html
            assert 'action="/_cookiegate/consent"' in html  # the banner's form
        privacy = client.get("/privacy").get_data(as_text=True)
    assert "analytics not allowed, marketing not allowed" in privacy


def test_demo_app_keeps_the_tags_once_everything_is_accepted(
    demo: ModuleType, no_env_key: None
) -> None:
    _needs_middleware()
    app = demo.build_demo_app(secret_key="a-test-key-that-is-long-enough")
    name, value = app.wsgi_app.consent_cookie(categories=CATEGORIES).split("=", 1)
    with app.test_client() as client:
        # The test client's cookie jar replaces any Cookie header, so use the jar.
        client.set_cookie(name, value)
        html = client.get(ARTICLE).get_data(as_text=True)
        privacy = client.get("/privacy").get_data(as_text=True)
    for marker in TRACKER_MARKERS:
        assert marker in html, marker
    assert 'src="https://www.youtube.com/embed/aqz-KE-bpKQ"' in html
    assert "analytics allowed, marketing allowed" in privacy


def test_demo_app_uses_a_given_config_file(
    demo: ModuleType, no_env_key: None, tmp_path: Path
) -> None:
    _needs_middleware()
    config = tmp_path / "allow.yaml"
    config.write_text("jurisdiction: opt-out\nundeclared_third_party: allow\n", encoding="utf-8")
    app = demo.build_demo_app(str(config))
    with app.test_client() as client:
        html = client.get("/").get_data(as_text=True)
    # Nothing is declared and opt-out law allows by default: every tag stays.
    for marker in TRACKER_MARKERS:
        assert marker in html, marker


def test_main_reports_an_invalid_config_and_exits_1(
    demo: ModuleType,
    no_env_key: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _needs_middleware()
    config = tmp_path / "broken.yaml"
    config.write_text("jurisdiction: sometimes\n", encoding="utf-8")
    assert demo.main(config=str(config)) == 1
    err = capsys.readouterr().err
    assert "broken.yaml" in err
    assert "jurisdiction" in err


def test_main_serves_threaded_and_warns_about_the_throwaway_key(
    demo: ModuleType,
    no_env_key: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _needs_middleware()
    import werkzeug.serving

    calls: list[tuple[object, ...]] = []

    def fake_run_simple(host: str, port: int, app: object, **options: object) -> None:
        calls.append((host, port, app, options))

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    assert demo.main(host="::1", port=8123) == 0
    ((host, port, app, options),) = calls
    assert (host, port, options) == ("::1", 8123, {"threaded": True})
    assert isinstance(app, Flask)
    out = capsys.readouterr().out
    assert "throwaway key" in out
    assert "will not survive a restart" in out
    assert "http://[::1]:8123/" in out


def test_main_with_an_environment_key_does_not_warn(
    demo: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _needs_middleware()
    import werkzeug.serving

    monkeypatch.setenv("COOKIEGATE_SECRET_KEY", "from-the-environment-0123456789")
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *args, **kwargs: None)
    assert demo.main() == 0
    out = capsys.readouterr().out
    assert "throwaway" not in out
    assert "http://127.0.0.1:8000/" in out


def _form_token(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match is not None, "no csrf field in the page"
    return match.group(1)


def test_demo_banner_accept_brings_every_tag_back(demo: ModuleType, no_env_key: None) -> None:
    _needs_middleware()
    app = demo.build_demo_app()
    with app.test_client() as client:
        token = _form_token(client.get(ARTICLE).get_data(as_text=True))
        response = client.post(
            "/_cookiegate/consent",
            data={"action": "accept", "csrf": token, "next": ARTICLE},
            headers={"Origin": "http://localhost"},
        )
        assert response.status_code == 303
        assert response.headers["Location"].endswith(ARTICLE)
        html = client.get(ARTICLE).get_data(as_text=True)
    for marker in TRACKER_MARKERS:
        assert marker in html, marker
    assert 'action="/_cookiegate/consent"' not in html  # no banner once decided


def test_demo_placeholder_loads_youtube_alone(demo: ModuleType, no_env_key: None) -> None:
    _needs_middleware()
    app = demo.build_demo_app()
    with app.test_client() as client:
        token = _form_token(client.get(ARTICLE).get_data(as_text=True))
        response = client.post(
            "/_cookiegate/consent",
            data={"action": "allow_service", "service": "youtube", "csrf": token, "next": ARTICLE},
            headers={"Origin": "http://localhost"},
        )
        assert response.status_code == 303
        html = client.get(ARTICLE).get_data(as_text=True)
    assert 'src="https://www.youtube.com/embed/aqz-KE-bpKQ"' in html
    assert "www.googletagmanager.com/gtag/js" not in html
    assert "connect.facebook.net" not in html


def test_demo_basket_session_cookie_passes_the_gate(demo: ModuleType, no_env_key: None) -> None:
    _needs_middleware()
    app = demo.build_demo_app()
    with app.test_client() as client:
        response = client.post("/basket", data={"book": "paper-light"})
        assert response.status_code == 303
        assert [c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie")] == ["session"]
        assert "Basket (1)" in client.get("/basket").get_data(as_text=True)
