"""Templates: autoescaping, CSP-safe output, site overrides, texts and languages."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from werkzeug.test import Client

from cookiegate.config import Category, Config, CookieSpec, Service
from cookiegate.consent import ConsentCodec
from cookiegate.csrf import CsrfTokens
from cookiegate.templating import make_environment
from cookiegate.texts import (
    ENGLISH,
    TEXT_KEYS,
    choose_language,
    resolve_texts,
    text_direction,
)
from cookiegate.views import Views

SECRET = "template-secret-0123456789"
TEMPLATES = Path(str(files("cookiegate") / "templates" / "cookiegate"))
EVIL = '<script>alert("x")</script>'


def hostile_config(**overrides: Any) -> Config:
    """Every configurable string holds markup, as a careless YAML edit might."""
    values: dict[str, Any] = {
        "policy_url": "/privacy?a=1&b=<2>",
        "categories": (
            Category(id="necessary", title="Necessary " + EVIL, required=True),
            Category(id="social", title="Social", description=EVIL, sale_or_share=True),
        ),
        "services": (
            Service(
                id="video",
                title=EVIL,
                category="social",
                provider=EVIL,
                description="Shows " + EVIL,
                privacy_policy="javascript:alert(1)",
                placeholder=True,
                cookies=(CookieSpec(name="<b>", category="social", purpose=EVIL),),
            ),
        ),
        "cookies": (CookieSpec(name="sid", category="necessary", purpose=EVIL),),
        "texts": MappingProxyType({"en": MappingProxyType({"banner_title": EVIL})}),
    }
    values.update(overrides)
    return Config(**values)


def make_views(config: Config, templates_dir: str | None = None) -> Views:
    return Views(
        config, ConsentCodec(config, SECRET), CsrfTokens(SECRET), templates_dir=templates_dir
    )


def environ(**extra: Any) -> dict[str, Any]:
    env: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "localhost",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/p",
        "QUERY_STRING": "q=<x>",
    }
    env.update(extra)
    return env


def rendered_pages(views: Views) -> dict[str, str]:
    service = views.config.service("video")
    assert service is not None
    client = Client(lambda env, sr: (views.handle(env) or _missing())(env, sr))
    failed = client.post(
        "/_cookiegate/consent", data={"action": "reject"}, headers={"Origin": "null"}
    )
    return {
        "banner": views.banner(environ(HTTP_SEC_GPC="1"), lang=None, absolute_urls=False),
        "placeholder": views.placeholder(
            environ(),
            service,
            lang=None,
            absolute_urls=False,
            width="1",
            height="2",
            anchor='"><script>',
        ),
        "preferences": client.get("/cookie-settings").text,
        "error": failed.text,
    }


def _missing() -> Any:
    raise AssertionError("the views should answer every URL these tests request")


@pytest.mark.parametrize("page", ["banner", "placeholder", "preferences", "error"])
def test_configured_strings_are_escaped(page: str) -> None:
    html = rendered_pages(make_views(hostile_config()))[page]
    assert "<script" not in html.lower()
    assert "javascript:" not in html


def test_escaped_text_is_still_shown() -> None:
    pages = rendered_pages(make_views(hostile_config()))
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in pages["preferences"]
    assert "Load &lt;script&gt;" in pages["placeholder"]
    assert "&lt;script&gt;" in pages["banner"]
    assert 'href="/privacy?a=1&amp;b=&lt;2&gt;"' in pages["banner"]


@pytest.mark.parametrize("page", ["banner", "placeholder", "preferences", "error"])
def test_output_is_csp_safe(page: str) -> None:
    html = rendered_pages(make_views(hostile_config(texts=MappingProxyType({}))))[page]
    assert "<script" not in html
    assert re.search(r"\sstyle\s*=", html) is None
    assert re.search(r"\son[a-z]+\s*=", html) is None  # no event handler attributes
    assert "<style" not in html


def test_site_templates_override_one_file(tmp_path: Path) -> None:
    folder = tmp_path / "cookiegate"
    folder.mkdir()
    (folder / "banner.html").write_text('<div class="cg-mine">{{ texts.accept_all }}</div>')
    views = make_views(hostile_config(), templates_dir=str(tmp_path))
    assert views.banner(environ(), lang=None, absolute_urls=False) == (
        '<div class="cg-mine">Accept all</div>'
    )
    page = Client(lambda env, sr: views.handle(env)(env, sr)).get("/cookie-settings")  # type: ignore[misc]
    assert "<fieldset" in page.text  # not overridden: the built-in one


def test_site_templates_are_autoescaped_too(tmp_path: Path) -> None:
    (tmp_path / "cookiegate").mkdir()
    (tmp_path / "cookiegate" / "banner.html").write_text("{{ texts.banner_title }}")
    views = make_views(hostile_config(), templates_dir=str(tmp_path))
    assert views.banner(environ(), lang=None, absolute_urls=False).startswith("&lt;script")


def test_missing_templates_dir_warns(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="is not a directory"):
        make_environment(str(tmp_path / "nope"))


def test_undefined_variables_fail_loudly() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        make_environment().from_string("{{ missing.attribute }}").render()


# -- texts and languages -------------------------------------------------------------------


def texts_config(**texts: dict[str, str]) -> Config:
    return Config(texts=MappingProxyType(texts), default_language="en")


def test_every_key_used_by_the_templates_exists() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"texts\.(\w+)", template.read_text()))
    assert used <= TEXT_KEYS
    assert {"error_text", "error_invalid"} <= TEXT_KEYS  # looked up by key in error.html


def test_resolve_texts_layers_overrides_on_the_built_in_language() -> None:
    config = texts_config(fr={"banner_title": "Des cookies, pas de pistage"})
    french = resolve_texts(config, "fr-CA")
    assert french["banner_title"] == "Des cookies, pas de pistage"
    assert french["accept_all"] == "Tout accepter"  # built-in French, not English
    assert set(french) == TEXT_KEYS
    assert resolve_texts(config, "en")["banner_title"] == ENGLISH["banner_title"]


def test_resolve_texts_fills_a_partial_unbuilt_language_with_english() -> None:
    config = texts_config(ko={"banner_title": "쿠키를 사용합니다"})
    korean = resolve_texts(config, "ko-KR")
    assert korean["banner_title"] == "쿠키를 사용합니다"
    assert korean["accept_all"] == ENGLISH["accept_all"]
    assert set(korean) == TEXT_KEYS


def test_resolve_texts_english_override() -> None:
    config = texts_config(en={"accept_all": "OK, all"})
    assert resolve_texts(config, "en-US")["accept_all"] == "OK, all"


@pytest.mark.parametrize(
    ("page_lang", "accept", "expected"),
    [
        pytest.param("fr-FR", "de", "fr", id="page-first"),
        pytest.param("xx", "de-AT,fr;q=0.8", "de", id="accept-language-next"),
        pytest.param(None, "ko, fr;q=0.5, de;q=0.9", "de", id="quality-order"),
        pytest.param(None, "de;q=0, fr;q=0.1", "fr", id="q-zero-skipped"),
        pytest.param(None, "*", "en", id="star-means-default"),
        pytest.param(None, "ko, *;q=0.5, fr;q=0.3", "en", id="star-ranks-the-default"),
        pytest.param(None, "ko", "en", id="default"),
        pytest.param(None, None, "en", id="nothing"),
        pytest.param("EN_gb", None, "en", id="case-and-underscore"),
        pytest.param(None, ";;;,,=q", "en", id="garbage"),
        pytest.param(None, "de," * 5000, "en", id="huge-header-ignored"),
    ],
)
def test_choose_language(page_lang: str | None, accept: str | None, expected: str) -> None:
    config = texts_config(fr={"banner_title": "Cookies"}, de={"banner_title": "Kekse"})
    assert choose_language(config, page_lang, accept) == expected


def test_choose_language_falls_back_to_the_configured_default() -> None:
    config = Config(texts=MappingProxyType({"de": MappingProxyType({})}), default_language="de")
    assert choose_language(config, None, "ko") == "de"


def test_text_direction() -> None:
    assert text_direction("ar-EG") == "rtl"
    assert text_direction("he") == "rtl"
    assert text_direction("en") == "ltr"


# -- the stylesheet ----------------------------------------------------------------------------

CSS = (files("cookiegate") / "static" / "cookiegate.css").read_text(encoding="utf-8")


def test_stylesheet_keeps_the_banner_in_normal_flow() -> None:
    assert "position: fixed" not in CSS and "position: sticky" not in CSS
    assert "position: static" in CSS


def test_stylesheet_has_dark_scheme_and_visible_focus() -> None:
    assert "@media (prefers-color-scheme: dark)" in CSS
    assert ":focus-visible" in CSS and "outline: 3px solid" in CSS


def test_stylesheet_classes_cover_the_templates() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        for classes in re.findall(r'class="([^"{]*)"', template.read_text()):
            used |= set(classes.split())
    assert all(name.startswith("cg-") for name in used), used
    styled = set(re.findall(r"\.(cg-[\w-]+)", CSS))
    essential = {"cg-banner", "cg-button", "cg-actions-equal", "cg-placeholder", "cg-table-wrap"}
    assert essential <= styled & used


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", [0, 1], ids=["light", "dark"])
def test_stylesheet_colours_meet_wcag_aa(scheme: int) -> None:
    blocks = re.findall(r"\{([^{}]*--cg-bg[^{}]*)\}", CSS)
    colours = dict(re.findall(r"--cg-([\w-]+):\s*(#[0-9a-f]{6})", blocks[scheme]))
    for text in ("fg", "muted", "link"):
        for background in ("bg", "surface"):
            assert _contrast(colours[text], colours[background]) >= 4.5, (text, background)
    assert _contrast(colours["notice-fg"], colours["notice-bg"]) >= 4.5
    assert _contrast(colours["border"], colours["bg"]) >= 3
    assert _contrast(colours["focus"], colours["bg"]) >= 3
