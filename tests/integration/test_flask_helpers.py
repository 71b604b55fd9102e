"""``cookiegate.contrib.flask``: consent and the settings link in Jinja templates.

Pages are rendered by a real Flask app, through the gate (``wrap``) and without it
(``init_app`` on an unwrapped app, as a site's own unit tests run it), so every helper is
checked against what a visitor's browser would get.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytest.importorskip("flask")

from flask import Flask, render_template_string  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from cookiegate import Config, CookieGate, CookieGateError  # noqa: E402
from cookiegate.contrib.flask import current_consent, init_app, wrap  # noqa: E402

from ..conftest import CONFIG_DATA, KEY  # noqa: E402

PAGE = """<!doctype html><html lang="en"><head><title>t</title></head><body>
<p id="decided">{{ consent.decided }}</p>
<p id="analytics">{{ consent.allows("analytics") }}</p>
<p id="youtube">{{ consent.allows_service("youtube") }}</p>
<p id="gpc">{{ consent.gpc }}</p>
<p id="url">{{ cookie_settings_url }}</p>
<footer>{{ cookie_settings_link() }}</footer>
</body></html>"""


def _config(**overrides: Any) -> Config:
    return Config.from_mapping({**CONFIG_DATA, **overrides}, source="test.yaml")


def _site(page: str = PAGE) -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index() -> str:
        return render_template_string(page)

    @app.get("/view")
    def view() -> str:
        consent = current_consent()
        return f"{consent.decided} {consent.allows('analytics')}"

    return app


def _with_cookie(app: Flask, cookie: str) -> FlaskClient:
    # The test client's cookie jar replaces any Cookie header, so the jar carries it.
    client = app.test_client()
    name, value = cookie.split("=", 1)
    client.set_cookie(name, value)
    return client


def _field(html: str, name: str) -> str:
    found = re.search(rf'<p id="{name}">(.*?)</p>', html)
    assert found is not None, html
    return found.group(1)


def _footer(html: str) -> str:
    found = re.search(r"<footer>(.*?)</footer>", html)
    assert found is not None, html
    return found.group(1)


def test_wrap_puts_the_gate_around_wsgi_app_and_returns_it() -> None:
    app = _site()
    gate = wrap(app, _config(), secret_key=KEY)
    assert app.wsgi_app is gate
    assert isinstance(gate, CookieGate)


def test_wrapped_page_shows_undecided_consent_and_the_banner() -> None:
    app = _site()
    wrap(app, _config(), secret_key=KEY)
    html = app.test_client().get("/").get_data(as_text=True)
    assert _field(html, "decided") == "False"
    assert _field(html, "analytics") == "False"
    assert 'id="cookiegate-banner"' in html


def test_wrapped_page_sees_the_consent_the_cookie_carries() -> None:
    app = _site()
    gate = wrap(app, _config(), secret_key=KEY)
    cookie = gate.consent_cookie(categories=["analytics"], services=["youtube"])
    html = _with_cookie(app, cookie).get("/").get_data(as_text=True)
    assert _field(html, "decided") == "True"
    assert _field(html, "analytics") == "True"
    assert _field(html, "youtube") == "True"
    assert 'id="cookiegate-banner"' not in html


def test_gpc_reaches_the_template() -> None:
    app = _site()
    wrap(app, _config(), secret_key=KEY)
    html = app.test_client().get("/", headers={"Sec-GPC": "1"}).get_data(as_text=True)
    assert _field(html, "gpc") == "True"


def test_footer_link_is_labelled_and_points_at_the_preferences_page() -> None:
    app = _site()
    wrap(app, _config(), secret_key=KEY)
    html = app.test_client().get("/").get_data(as_text=True)
    assert _field(html, "url") == "/cookie-settings"
    assert _footer(html) == (
        '<a href="/cookie-settings" class="cookiegate-settings-link">Cookie settings</a>'
    )


def test_link_follows_a_custom_preferences_path() -> None:
    app = _site()
    wrap(app, _config(preferences_path="/privacy/choices"), secret_key=KEY)
    html = app.test_client().get("/").get_data(as_text=True)
    assert _field(html, "url") == "/privacy/choices"


def test_link_under_a_mount_prefix_is_served_by_the_gate() -> None:
    app = _site()
    wrap(app, _config(), secret_key=KEY)
    client = app.test_client()
    mounted = {"SCRIPT_NAME": "/book shop"}
    html = client.get("/", environ_overrides=mounted).get_data(as_text=True)
    url = _field(html, "url")
    assert url == "/book%20shop/cookie-settings"
    # Following the link as a browser would: the server strips the prefix again.
    response = client.get("/cookie-settings", environ_overrides=mounted)
    assert response.status_code == 200
    assert 'action="/book%20shop/cookie-settings"' in response.get_data(as_text=True)


def test_link_label_comes_from_the_sites_texts_in_the_browsers_language() -> None:
    app = _site()
    texts = {"de": {"preferences_title": "Cookie-Einstellungen"}}
    wrap(app, _config(texts=texts), secret_key=KEY)
    response = app.test_client().get("/", headers={"Accept-Language": "de-DE, en;q=0.5"})
    assert ">Cookie-Einstellungen</a>" in _footer(response.get_data(as_text=True))


def test_link_marks_an_english_fallback_on_a_page_in_another_language() -> None:
    app = _site(PAGE.replace("cookie_settings_link()", 'cookie_settings_link(lang="tlh")'))
    wrap(app, _config(), secret_key=KEY)
    footer = _footer(app.test_client().get("/").get_data(as_text=True))
    assert 'lang="en"' in footer
    assert ">Cookie settings</a>" in footer


def test_custom_link_text_is_escaped() -> None:
    app = _site(PAGE.replace("cookie_settings_link()", 'cookie_settings_link("<b>Cookies</b>")'))
    wrap(app, _config(), secret_key=KEY)
    footer = _footer(app.test_client().get("/").get_data(as_text=True))
    assert ">&lt;b&gt;Cookies&lt;/b&gt;</a>" in footer


def test_init_app_on_an_unwrapped_app_reads_the_cookie_with_the_gate() -> None:
    app = _site()
    gate = CookieGate(app.wsgi_app, _config(), secret_key=KEY)
    init_app(app, gate)  # app.wsgi_app stays unwrapped, as in a site's unit tests
    cookie = gate.consent_cookie(categories=["analytics"])
    with_cookie = _with_cookie(app, cookie).get("/").get_data(as_text=True)
    assert 'id="cookiegate-banner"' not in with_cookie  # really unwrapped
    assert _field(with_cookie, "analytics") == "True"
    without = app.test_client().get("/").get_data(as_text=True)
    assert _field(without, "decided") == "False"


def test_init_app_with_only_a_config_stands_in_an_undecided_visitor() -> None:
    app = _site()
    config = _config()
    init_app(app, config)
    signed = CookieGate(app.wsgi_app, config, secret_key=KEY).consent_cookie(["analytics"])
    html = _with_cookie(app, signed).get("/", headers={"Sec-GPC": "1"}).get_data(as_text=True)
    assert _field(html, "decided") == "False"
    assert _field(html, "analytics") == "False"
    assert _field(html, "gpc") == "True"


def test_stand_in_under_opt_out_allows_what_an_undecided_visitor_may() -> None:
    app = _site()
    init_app(app, _config(jurisdiction="opt-out"))
    html = app.test_client().get("/").get_data(as_text=True)
    assert _field(html, "analytics") == "True"


def test_calling_init_app_again_replaces_the_gate() -> None:
    app = _site()
    init_app(app, _config())
    init_app(app, _config(preferences_path="/choices"))
    html = app.test_client().get("/").get_data(as_text=True)
    assert _field(html, "url") == "/choices"
    assert html.count('class="cookiegate-settings-link"') == 1


def test_templates_render_outside_a_request() -> None:
    app = _site()
    wrap(app, _config(), secret_key=KEY)
    with app.app_context():
        text = render_template_string("{{ consent is defined }}|{{ cookie_settings_url }}")
    assert text == "False|"


def test_wrap_twice_is_refused() -> None:
    app = _site()
    wrap(app, _config(), secret_key=KEY)
    with pytest.raises(CookieGateError, match="already has cookiegate"):
        wrap(app, _config(), secret_key=KEY)


def test_current_consent_in_a_view_is_the_gates() -> None:
    app = _site()
    gate = wrap(app, _config(), secret_key=KEY)
    assert app.test_client().get("/view").get_data(as_text=True) == "False False"
    client = _with_cookie(app, gate.consent_cookie(categories=["analytics"]))
    assert client.get("/view").get_data(as_text=True) == "True True"


def test_current_consent_without_setup_names_the_fix() -> None:
    app = _site()
    with (
        app.test_request_context("/"),
        pytest.raises(CookieGateError, match="init_app"),
    ):
        current_consent()
