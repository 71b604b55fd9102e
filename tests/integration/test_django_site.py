"""The Django example site, wrapped in cookiegate, and ``cookiegate.contrib.django``.

Two ways in, because they test different things:

- the *wrapped* ``application`` from ``examples/django_site/framesite/wsgi.py``, driven by
  werkzeug's client as a WSGI server would drive it: the gate, Django and the template
  helpers together, as a visitor meets them;
- Django's own test client and ``RequestFactory``, which call Django *without* the WSGI
  wrapper: the context processor, the tag library and the checks, with a
  ``cookiegate.consent`` put into the request environ by hand, or none at all.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("django")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

SITE_DIR = Path(__file__).resolve().parents[2] / "examples" / "django_site"
SETTINGS_MODULE = "framesite.settings"

if str(SITE_DIR) not in sys.path:
    sys.path.insert(0, str(SITE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
# Django settings are process-wide: if another test module configured them first, these
# tests would run against the wrong project, so they step aside instead.
_configured_for = getattr(settings, "SETTINGS_MODULE", None) if settings.configured else None
if os.environ["DJANGO_SETTINGS_MODULE"] != SETTINGS_MODULE or _configured_for not in (
    None,
    SETTINGS_MODULE,
):
    pytest.skip("Django is configured for another project", allow_module_level=True)
django.setup()

from django.core.checks import Error, Warning  # noqa: E402
from django.template import Context, RequestContext, Template  # noqa: E402
from django.test import Client as DjangoClient  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402
from django.utils import translation  # noqa: E402
from werkzeug.test import Client  # noqa: E402

from cookiegate import Config, Consent, CookieGate, load_config  # noqa: E402
from cookiegate.contrib.django.checks import check_settings  # noqa: E402

from ..conftest import KEY  # noqa: E402

ARTICLE = "/journal/big-buck-bunny-at-fifteen"
PAGES = ["/", ARTICLE, "/journal/exposure-sheets", "/shop", "/basket", "/privacy"]
TRACKERS = [
    "https://www.googletagmanager.com/gtag/js?id=G-FM0DEMO123",
    "fbq('init', '100000000000001');",
    "https://www.facebook.com/tr?id=100000000000001",
    "https://fonts.googleapis.com/css2",
    "https://www.youtube.com/embed/aqz-KE-bpKQ",
]
EVERYTHING = ["functional", "analytics", "marketing", "social"]
FOOTER_LINK = '<a href="/cookie-settings" class="cookiegate-settings-link">Cookie settings</a>'


@pytest.fixture(scope="module")
def application() -> CookieGate:
    """``framesite.wsgi.application``, imported as a server imports it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COOKIEGATE_SECRET_KEY", KEY)
        module = importlib.import_module("framesite.wsgi")
        module = importlib.reload(module)  # build it under this key, whatever ran before
    gate = module.application
    assert isinstance(gate, CookieGate)
    return gate


@pytest.fixture()
def client(application: CookieGate) -> Client:
    return Client(application)


def _accepting(application: CookieGate, categories: list[str]) -> Client:
    client = Client(application)
    name, value = application.consent_cookie(categories=categories).split("=", 1)
    client.set_cookie(name, value)
    return client


def _text(response: Any) -> str:
    assert response.status_code == 200, response.status
    return str(response.get_data(as_text=True))


# -- the wrapped site, as a visitor meets it -------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_wrapped_pages_lose_every_tracker_and_gain_the_banner(client: Client, path: str) -> None:
    html = _text(client.get(path))
    for tracker in TRACKERS:
        assert tracker not in html, tracker
    assert 'id="cookiegate-banner"' in html
    assert FOOTER_LINK in html


def test_wrapped_article_gets_the_youtube_placeholder(client: Client) -> None:
    html = _text(client.get(ARTICLE))
    assert "youtube.com/embed" not in html
    assert "Load YouTube" in html


def test_accepting_everything_keeps_every_tracker(application: CookieGate) -> None:
    html = _text(_accepting(application, EVERYTHING).get(ARTICLE))
    for tracker in TRACKERS:
        assert tracker in html, tracker
    assert 'id="cookiegate-banner"' not in html


def test_privacy_page_reports_the_gates_decision(application: CookieGate) -> None:
    undecided = _text(Client(application).get("/privacy"))
    assert "analytics not allowed, marketing not allowed (you have not made" in undecided
    decided = _text(_accepting(application, ["analytics"]).get("/privacy"))
    assert "analytics allowed, marketing not allowed." in decided


def test_privacy_page_reports_gpc(application: CookieGate) -> None:
    html = _text(_accepting(application, EVERYTHING).get("/privacy", headers={"Sec-GPC": "1"}))
    assert "marketing not allowed, and your browser sent a Global Privacy Control signal" in html


def test_footer_link_is_served_by_the_gate(client: Client) -> None:
    html = _text(client.get("/"))
    href = re.search(r'href="([^"]+)" class="cookiegate-settings-link"', html)
    assert href is not None
    page = _text(client.get(href.group(1)))
    assert "<h1" in page and "Cookie settings" in page


def test_mounted_under_a_prefix_links_and_urls_carry_it(client: Client) -> None:
    html = _text(client.get("/", environ_overrides={"SCRIPT_NAME": "/fm"}))
    assert '<a href="/fm/cookie-settings" class="cookiegate-settings-link">' in html
    assert '<a href="/fm/shop">Shop</a>' in html  # Django's own {% url %} agrees


def test_basket_sets_the_declared_session_and_csrf_cookies(client: Client) -> None:
    shop = _text(client.get("/shop"))
    csrf = client.get_cookie("csrftoken")
    assert csrf is not None, "the gate must let Django's necessary csrftoken through"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shop)
    assert token is not None
    form = {"csrfmiddlewaretoken": token.group(1), "book": "paper-light"}
    added = client.post("/basket", data=form)
    assert added.status_code == 303
    assert added.headers["Location"] == "/basket"
    assert client.get_cookie("sessionid") is not None
    basket = _text(client.get("/basket"))
    assert "<td>Paper Light</td>" in basket
    assert "Basket (1)" in basket


def test_basket_post_without_the_csrf_token_is_refused(client: Client) -> None:
    assert client.post("/basket", data={"book": "paper-light"}).status_code == 403


# -- Django without the gate: the test client and RequestFactory -----------------------


def _site_config() -> Config:
    return load_config(SITE_DIR / "cookies.yaml")


def _consent(config: Config | None = None, **fields: Any) -> Consent:
    return Consent(config=config or _site_config(), **fields)


def test_django_test_client_sees_a_consent_put_in_the_environ() -> None:
    consent = _consent(decided=True, categories=frozenset({"analytics"}))
    response = DjangoClient().get("/privacy", **{"cookiegate.consent": consent})
    html = response.content.decode()
    assert "analytics allowed, marketing not allowed." in html
    assert FOOTER_LINK in html
    assert "googletagmanager" in html  # no gate here: the page is ungated


def test_without_a_gate_the_stand_in_is_undecided_and_honours_gpc() -> None:
    html = DjangoClient().get("/privacy", headers={"Sec-GPC": "1"}).content.decode()
    assert "analytics not allowed, marketing not allowed, and your browser sent" in html
    assert "(you have not made a choice yet)" in html


def test_without_config_setting_the_link_follows_the_path_setting() -> None:
    with override_settings(COOKIEGATE_CONFIG=None, COOKIEGATE_PREFERENCES_PATH="/choices"):
        html = DjangoClient().get("/").content.decode()
    assert '<a href="/choices" class="cookiegate-settings-link">Cookie settings</a>' in html


def test_the_gates_own_preferences_path_wins_over_the_setting() -> None:
    config = Config(preferences_path="/gate/choices")
    with override_settings(COOKIEGATE_PREFERENCES_PATH="/choices"):
        html = _render("{% cookie_settings_url %}", _request(_consent(config)))
    assert html == "/gate/choices"


def _request(consent: Consent | None = None, **meta: Any) -> Any:
    extra = dict(meta)
    if consent is not None:
        extra["cookiegate.consent"] = consent
    request = RequestFactory().get("/", **extra)
    request.session = {}  # the site's own context processor reads the basket from it
    return request


def _render(source: str, request: Any = None, **context: Any) -> str:
    template = Template("{% load cookiegate %}" + source)
    if request is None:
        return str(template.render(Context(context)))
    return str(template.render(RequestContext(request, context)))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{% if consent|allows:"analytics" %}yes{% else %}no{% endif %}', "yes"),
        ('{% if consent|allows:"marketing" %}yes{% else %}no{% endif %}', "no"),
        ('{% if consent|allows:"necessary" %}yes{% else %}no{% endif %}', "yes"),
        ('{% if consent|allows_service:"youtube" %}yes{% else %}no{% endif %}', "yes"),
        ('{% if consent|allows_service:"meta-pixel" %}yes{% else %}no{% endif %}', "no"),
        ('{% if consent|allows:"no-such" %}yes{% else %}no{% endif %}', "no"),
    ],
    ids=["granted", "refused", "required", "service", "service-refused", "unknown"],
)
def test_consent_filters(source: str, expected: str) -> None:
    consent = _consent(
        decided=True, categories=frozenset({"analytics"}), services=frozenset({"youtube"})
    )
    assert _render(source, _request(consent)) == expected


def test_filters_allow_nothing_without_a_consent_object() -> None:
    source = '{% if missing|allows:"necessary" %}yes{% else %}no{% endif %}'
    assert _render(source) == "no"
    assert _render(source.replace("missing", "text"), text="analytics") == "no"


def test_context_processor_is_what_the_filters_read() -> None:
    consent = _consent(decided=True, categories=frozenset({"analytics"}))
    source = '{{ consent.decided }} {{ consent|allows:"analytics" }} {{ cookie_settings_url }}'
    assert _render(source, _request(consent)) == "True True /cookie-settings"


def test_link_label_follows_the_active_language_when_the_site_has_texts() -> None:
    config = Config.from_mapping(
        {
            "categories": {"necessary": {"title": "N", "required": True}},
            "texts": {"de": {"preferences_title": "Cookie-Einstellungen"}},
        }
    )
    with translation.override("de"):
        html = _render("{% cookie_settings_link %}", _request(_consent(config)))
    assert html == (
        '<a href="/cookie-settings" class="cookiegate-settings-link">Cookie-Einstellungen</a>'
    )


def test_link_in_english_on_a_page_in_another_language_says_so() -> None:
    with translation.override("tlh"):  # a language cookiegate has no texts for
        html = _render("{% cookie_settings_link %}", _request(_consent()))
    assert html == (
        '<a href="/cookie-settings" class="cookiegate-settings-link" lang="en">Cookie settings</a>'
    )


def test_link_with_own_text_is_escaped() -> None:
    html = _render('{% cookie_settings_link "Cookies & <you>" %}', _request(_consent()))
    assert html.endswith(">Cookies &amp; &lt;you&gt;</a>")


def test_link_under_script_name_is_percent_encoded() -> None:
    html = _render("{% cookie_settings_url %}", _request(_consent(), SCRIPT_NAME="/a shop"))
    assert html == "/a%20shop/cookie-settings"


def test_link_renders_without_a_request() -> None:
    with override_settings(COOKIEGATE_CONFIG=None, COOKIEGATE_PREFERENCES_PATH="/choices"):
        html = _render("{% cookie_settings_link %}")
    assert html == '<a href="/choices" class="cookiegate-settings-link">Cookie settings</a>'


# -- system checks ------------------------------------------------------------------


def test_example_settings_pass_the_checks() -> None:
    assert check_settings() == []


def test_gzip_middleware_is_reported() -> None:
    middleware = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        found = check_settings()
    assert [m.id for m in found] == ["cookiegate.W001"]
    assert isinstance(found[0], Warning)


def test_preferences_path_without_slash_is_an_error() -> None:
    with override_settings(COOKIEGATE_PREFERENCES_PATH="cookie-settings"):
        found = check_settings()
    assert [m.id for m in found] == ["cookiegate.E001"]
    assert isinstance(found[0], Error)


def test_broken_config_file_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "cookies.yaml"
    broken.write_text("services:\n  yt: {category: socail, hosts: [www.youtube.com]}\n")
    with override_settings(COOKIEGATE_CONFIG=broken):
        found = check_settings()
    assert [m.id for m in found] == ["cookiegate.E002"]
    assert "socail" in found[0].msg


def test_path_setting_that_disagrees_with_the_config_is_a_warning() -> None:
    with override_settings(COOKIEGATE_PREFERENCES_PATH="/choices"):
        found = check_settings()
    assert [m.id for m in found] == ["cookiegate.W002"]


def test_checks_are_registered_with_django() -> None:
    from django.core import checks

    middleware = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        found = checks.run_checks()
    assert "cookiegate.W001" in [m.id for m in found]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Tests switch languages; never leak an active language into the next test.
    with translation.override("en"):
        yield
