"""Built-in languages: complete, faithful to their placeholders, and rendered everywhere.

The texts themselves can only be judged by readers of each language; these tests catch
what review tends to miss: a key left out or added, a ``{service}`` renamed by a
translation tool, English left in place, a page rendered in the wrong language or
direction, and the language choice itself (page, then ``Accept-Language``, then default).
"""

from __future__ import annotations

import re
import string
import textwrap
import unicodedata
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from werkzeug.test import Client

from cookiegate.config import Config, load_config
from cookiegate.consent import ConsentCodec
from cookiegate.csrf import CsrfTokens
from cookiegate.exceptions import ConfigError
from cookiegate.texts import (
    BUILTIN,
    ENGLISH,
    TEXT_KEYS,
    choose_language,
    language_key,
    resolve_texts,
    text_direction,
)
from cookiegate.views import Views

SECRET = "languages-secret-0123456789"

#: The 24 official EU languages plus the others the project promises.
EU_LANGUAGES = frozenset(
    "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()  # noqa: SIM905
)
PROMISED = EU_LANGUAGES | {"nb", "is", "tr", "uk", "ar", "zh", "ja"}
TRANSLATED = sorted(set(BUILTIN) - {"en"})

# Phrases and words that only English has. A translation containing one of them still
# carries English text (a skipped string or a half-edited machine translation).
ENGLISH_LEFTOVERS = re.compile(
    r"\b(?:accept all|reject all|cookie settings|privacy policy|we use|your choice|"
    r"save my|withdraw|consent|go back|not found|this site|preference signal|do not sell|"
    r"personal information|third[- ]party|always on|none declared|strictly necessary|"
    r"the|and|your|you|with|please|load|settings|could not)\b",
    re.IGNORECASE,
)

# Languages written in a non-Latin script: every text with letters must use it. Texts
# that are only the loanword "Cookie(s)" (as Greek, Chinese and Japanese write it) are exempt.
SCRIPTS = {
    "ar": "ARABIC",
    "bg": "CYRILLIC",
    "el": "GREEK",
    "ja": "CJK|HIRAGANA|KATAKANA",
    "uk": "CYRILLIC",
    "zh": "CJK",
}
LATIN_ONLY_ALLOWED = {("el", "col_cookies"), ("ja", "col_cookies"), ("zh", "col_cookies")}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# -- the data ------------------------------------------------------------------------------


def test_every_promised_language_is_built_in() -> None:
    assert len(EU_LANGUAGES) == 24
    assert set(BUILTIN) >= PROMISED


@pytest.mark.parametrize("lang", sorted(BUILTIN))
def test_language_has_every_key_and_no_other(lang: str) -> None:
    assert set(BUILTIN[lang]) == TEXT_KEYS


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_match_english(lang: str) -> None:
    for key, text in BUILTIN[lang].items():
        assert fields(text) == fields(ENGLISH[key]), key
        text.format(service="X")  # balanced braces: the view formats these


@pytest.mark.parametrize("lang", sorted(BUILTIN))
def test_texts_are_clean(lang: str) -> None:
    for key, text in BUILTIN[lang].items():
        assert text == text.strip() and text, key
        assert "  " not in text and "\n" not in text, key
        assert "<" not in text and "&" not in text, key  # texts are escaped, never markup
        assert "%s" not in text and "{ " not in text, key
        if ENGLISH[key].endswith("."):
            assert text.endswith((".", "。")), key
        else:
            assert not text.endswith((".", "。")), key


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_english_left_in_translations(lang: str) -> None:
    for key, text in BUILTIN[lang].items():
        leftover = ENGLISH_LEFTOVERS.search(text)
        assert leftover is None, (key, leftover.group() if leftover else "")
        if len(ENGLISH[key].split()) >= 3:
            assert text != ENGLISH[key], key


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_non_latin_languages_use_their_script(lang: str) -> None:
    script = re.compile(SCRIPTS[lang])
    for key, text in BUILTIN[lang].items():
        letters = [c for c in text.replace("{service}", "") if c.isalpha()]
        if (lang, key) in LATIN_ONLY_ALLOWED:
            continue
        assert any(script.match(unicodedata.name(c, "")) for c in letters), key


@pytest.mark.parametrize("lang", sorted(BUILTIN))
def test_accept_and_reject_carry_equal_weight(lang: str) -> None:
    """Different words, same length class: neither button may be the easier read."""
    accept, reject = BUILTIN[lang]["accept_all"], BUILTIN[lang]["reject_all"]
    assert accept != reject
    assert max(len(accept), len(reject)) <= 1.5 * min(len(accept), len(reject))
    assert abs(len(accept.split()) - len(reject.split())) <= 1


def test_regulators_wording_where_the_issue_names_it() -> None:
    assert BUILTIN["de"]["accept_all"] == "Alle akzeptieren"
    assert BUILTIN["de"]["reject_all"] == "Alle ablehnen"
    assert BUILTIN["de"]["preferences_title"] == "Cookie-Einstellungen"
    assert "Einwilligung" in BUILTIN["de"]["withdraw"]
    assert (BUILTIN["fr"]["accept_all"], BUILTIN["fr"]["reject_all"]) == (
        "Tout accepter",
        "Tout refuser",
    )
    assert BUILTIN["fr"]["preferences_title"] == "Paramétrer les cookies"
    assert (BUILTIN["it"]["accept_all"], BUILTIN["it"]["reject_all"]) == (
        "Accetta tutti",
        "Rifiuta tutti",
    )


# -- rendering every language --------------------------------------------------------------

SITE_YAML = """\
jurisdiction: opt-out
policy_url: /privacy
categories:
  necessary:
    title: {en: Strictly necessary, de: Unbedingt erforderlich, ar: ضرورية}
    description: {en: Keeps the site working., de: Hält die Website am Laufen.}
    required: true
  social:
    title: {en: Social media, de: Soziale Medien}
    sale_or_share: true
services:
  video:
    category: social
    title: {en: Video player, de: Videoplayer, "no": Videospiller}
    description: Plays videos.
    provider: Example Video Ltd.
    privacy_policy: https://video.example/privacy
    hosts: [video.example]
    placeholder: true
cookies:
  - {name: sid, category: necessary, purpose: Session}
"""


def write_config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "cookies.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.fixture(scope="module")
def site_views(tmp_path_factory: pytest.TempPathFactory) -> Views:
    config = write_config(tmp_path_factory.mktemp("site"), SITE_YAML)
    return Views(config, ConsentCodec(config, SECRET), CsrfTokens(SECRET))


def environ(lang: str, **extra: Any) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "localhost",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/watch",
        "QUERY_STRING": "",
        "HTTP_ACCEPT_LANGUAGE": lang,
        "HTTP_SEC_GPC": "1",
        **extra,
    }


def render_all(views: Views, lang: str) -> dict[str, str]:
    service = views.config.service("video")
    assert service is not None
    client = Client(lambda env, sr: views.handle(env)(env, sr))  # type: ignore[misc]
    headers = {"Accept-Language": lang, "Sec-GPC": "1"}
    failed = client.post(
        "/_cookiegate/consent", data={"action": "reject"}, headers={**headers, "Origin": "null"}
    )
    assert failed.status_code == 400
    return {
        "banner": views.banner(environ(lang), lang=None, absolute_urls=False),
        "placeholder": views.placeholder(
            environ(lang, HTTP_SEC_GPC=""),
            service,
            lang=None,
            absolute_urls=False,
            width="560",
            height="315",
            anchor="cg-video",
        ),
        "preferences": client.get("/cookie-settings", headers=headers).text,
        "error": failed.text,
    }


# The texts each page must show (in the visitor's language) for this configuration.
SHOWN = {
    "banner": ("banner_title", "banner_text", "accept_all", "reject_all", "settings", "banner_gpc"),
    "placeholder": ("col_provider",),
    "preferences": (
        "preferences_title",
        "preferences_intro",
        "status_title",
        "status_undecided",
        "gpc_honored",
        "do_not_sell",
        "do_not_sell_help",
        "always_on",
        "allow",
        "save",
        "accept_all",
        "reject_all",
        "declaration_title",
        "col_service",
        "col_provider",
        "col_cookies",
        "col_duration",
        "col_purpose",
        "col_policy",
        "first_party",
        "no_cookies",
        "services",
    ),
    "error": ("error_title", "error_text", "error_retry", "error_back"),
}


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&#39;")


@pytest.mark.parametrize("lang", sorted(BUILTIN))
def test_every_page_renders_in_every_language(site_views: Views, lang: str) -> None:
    pages = render_all(site_views, lang)
    texts = BUILTIN[lang]
    direction = "rtl" if lang == "ar" else "ltr"
    for page in ("preferences", "error"):
        assert f'<html lang="{lang}" dir="{direction}">' in pages[page]
    for page in ("banner", "placeholder"):
        assert f'lang="{lang}" dir="{direction}"' in pages[page]
    for page, keys in SHOWN.items():
        for key in keys:
            assert escaped(texts[key]) in pages[page], (page, key)
    title = site_views.config.service_title("video", lang)
    load = texts["placeholder_load"].replace("{service}", title)
    assert escaped(load) in pages["placeholder"]
    assert escaped(texts["placeholder_policy"].replace("{service}", title)) in pages["placeholder"]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_english_on_translated_pages(site_views: Views, lang: str) -> None:
    """Every text on the page comes from the visitor's language, none from the English base."""
    pages = render_all(site_views, lang)
    for page, keys in SHOWN.items():
        for key in keys:
            if len(ENGLISH[key]) > 12:
                assert escaped(ENGLISH[key]) not in pages[page], (page, key)


def test_arabic_pages_are_right_to_left(site_views: Views) -> None:
    pages = render_all(site_views, "ar-EG")
    assert '<html lang="ar" dir="rtl">' in pages["preferences"]
    assert 'dir="rtl"' in pages["banner"] and 'dir="rtl"' in pages["placeholder"]
    assert text_direction("ar") == "rtl" and text_direction("zh") == "ltr"


# -- localized category and service texts ---------------------------------------------------


def test_localized_category_and_service_titles_render(site_views: Views) -> None:
    german = render_all(site_views, "de-DE")
    assert "Unbedingt erforderlich" in german["preferences"]
    assert "Hält die Website am Laufen." in german["preferences"]
    assert "Soziale Medien" in german["preferences"]
    assert "Videoplayer" in german["preferences"]  # services list and declaration table
    assert "Videoplayer laden" in german["placeholder"]
    assert "Video player" not in german["preferences"] + german["placeholder"]
    french = render_all(site_views, "fr")
    assert "Social media" in french["preferences"]  # no French title: the default's
    assert "Charger Video player" in french["placeholder"]
    norwegian = render_all(site_views, "nn-NO")
    assert "Last inn Videospiller" in norwegian["placeholder"]  # "no" written, nn served


def test_config_keeps_plain_titles_in_the_default_language(site_views: Views) -> None:
    config = site_views.config
    category = config.category("social")
    assert category is not None and category.title == "Social media"
    assert config.category_title("social", "de-AT") == "Soziale Medien"
    assert config.category_title("social", "ja") == "Social media"
    assert config.category_description("necessary", "de") == "Hält die Website am Laufen."
    assert config.category_description("social", "de") == ""
    assert config.service_title("video", "nb") == "Videospiller"
    assert config.service_description("video", "de") == "Plays videos."
    with pytest.raises(KeyError):
        config.service_title("nope", "de")


def test_default_language_other_than_english(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "default_language: de\ncategories:\n"
        "  necessary: {title: {de: Notwendig, en: Necessary}, required: true}\n",
    )
    category = config.category("necessary")
    assert category is not None and category.title == "Notwendig"
    assert config.category_title("necessary", "en-GB") == "Necessary"
    assert config.category_title("necessary", "it") == "Notwendig"


def test_localized_titles_change_the_fingerprint(tmp_path: Path) -> None:
    first = write_config(tmp_path, SITE_YAML).fingerprint
    second = write_config(tmp_path, SITE_YAML.replace("Soziale Medien", "Netzwerke")).fingerprint
    assert first != second


def test_preset_description_can_be_localized(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        textwrap.dedent(
            """\
            categories:
              necessary: {title: Necessary, required: true}
              social: {title: Social media}
            services:
              youtube:
                preset: youtube
                category: social
                description: {en: Videos we embed., es: Vídeos que insertamos.}
            """
        ),
    )
    service = config.service("youtube")
    assert service is not None and service.title == "YouTube"  # from the preset
    assert config.service_description("youtube", "es") == "Vídeos que insertamos."


@pytest.mark.parametrize(
    ("title", "message"),
    [
        pytest.param(
            "{de: Analyse}",
            r"cookies\.yaml:3: categories\.analytics\.title: no text for the default language "
            r"'en'; add 'en: \.\.\.'",
            id="default-missing",
        ),
        pytest.param(
            "{en: Analytics, english: Analytics}",
            r"cookies\.yaml:3: categories\.analytics\.title\.english: 'english' is not a "
            r"language tag",
            id="bad-tag",
        ),
        pytest.param(
            "{en: Analytics, ko: 분석}",
            r"cookies\.yaml:3: categories\.analytics\.title\.ko: cookiegate has no built-in "
            r"texts in 'ko', so no visitor would see this; translate the texts under "
            r"'texts: \{ko: \.\.\.\}' or remove it",
            id="language-without-texts",
        ),
        pytest.param(
            "{en: Analytics, nb: Analyse, 'no': Analyse}",
            r"categories\.analytics\.title\.no: 'no' is the same language as another entry",
            id="same-language-twice",
        ),
        pytest.param(
            "{en: Analytics, de: ''}",
            r"categories\.analytics\.title\.de: expected a non-empty string, got an empty string",
            id="empty-text",
        ),
        pytest.param(
            "{en: Analytics, de: Besuche, Klicks}",
            r"categories\.analytics\.title\.Klicks: 'Klicks' is not a language tag and has no "
            r"text; a comma inside \{en: \.\.\., de: \.\.\.\} ends the text, so put texts "
            r"with commas in quotes$",
            id="unquoted-comma",
        ),
        pytest.param(
            "[Analytics, Analyse]",
            r"categories\.analytics\.title: expected a string, or a mapping of language tags "
            r"to strings such as \{en: Analytics, de: Statistik\}, got a list",
            id="list",
        ),
    ],
)
def test_per_language_title_errors(tmp_path: Path, title: str, message: str) -> None:
    text = (
        "categories:\n  necessary: {title: Necessary, required: true}\n"
        f"  analytics: {{title: {title}}}\n"
    )
    with pytest.raises(ConfigError, match=message):
        write_config(tmp_path, text)


def test_a_language_with_site_texts_may_have_titles(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "categories:\n  necessary: {title: {en: Necessary, ko: 필수}, required: true}\n"
        "texts:\n  ko: {banner_title: 쿠키를 사용합니다}\n",
    )
    assert config.category_title("necessary", "ko-KR") == "필수"


def test_service_title_errors_name_the_service(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        categories:
          necessary: {title: Necessary, required: true}
        services:
          video:
            category: necessary
            hosts: [video.example]
            title: {fr: Vidéo}
        """
    )
    with pytest.raises(ConfigError, match=r"cookies\.yaml:7: services\.video\.title: no text"):
        write_config(tmp_path, text)


# -- overrides -------------------------------------------------------------------------------


def test_yaml_overrides_per_language_win(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        SITE_YAML + "texts:\n  de: {accept_all: Alle annehmen}\n  pt-BR: {settings: Configurar}\n",
    )
    views = Views(config, ConsentCodec(config, SECRET), CsrfTokens(SECRET))
    german = views.banner(environ("de"), lang=None, absolute_urls=False)
    assert "Alle annehmen" in german and "Alle akzeptieren" not in german
    assert BUILTIN["de"]["reject_all"] in german  # the rest stays built-in German
    french = views.banner(environ("fr"), lang=None, absolute_urls=False)
    assert "Tout accepter" in french
    assert resolve_texts(config, "pt-PT")["settings"] == "Configurar"  # keyed by language


# -- choosing the language -------------------------------------------------------------------


def plain_config(default: str = "en", **texts: dict[str, str]) -> Config:
    return Config(
        texts=MappingProxyType(
            {k.replace("_", "-"): MappingProxyType(v) for k, v in texts.items()}
        ),
        default_language=default,
    )


@pytest.mark.parametrize(
    ("page_lang", "accept", "expected"),
    [
        pytest.param("fi", "sv", "fi", id="page-lang-beats-accept-language"),
        pytest.param("de-CH", None, "de", id="page-region-subtag"),
        pytest.param("ko", "sv, de;q=0.5", "sv", id="page-lang-without-texts-skipped"),
        pytest.param(None, "pt-BR, en;q=0.8", "pt", id="accept-region-subtag"),
        pytest.param(None, "ko, ja;q=0.4, uk;q=0.6", "uk", id="q-values"),
        pytest.param(None, "ja;q=0, *", "en", id="star-is-the-default"),
        pytest.param(None, "ko, *;q=0.3, fr;q=0.2", "en", id="star-before-worse-languages"),
        pytest.param(None, "fr;q=0.2, ko, *;q=0.1", "fr", id="star-after-better-languages"),
        pytest.param(None, "xx-YY, zz", "en", id="nothing-available"),
        pytest.param("no", None, "nb", id="norwegian-macrolanguage"),
        pytest.param("nn-NO", None, "nb", id="nynorsk-reads-bokmal"),
        pytest.param(None, "nb-NO", "nb", id="bokmal"),
        pytest.param("zh-CN", None, "zh", id="chinese-mainland"),
        pytest.param("zh-Hans-SG", None, "zh", id="chinese-simplified-script"),
        pytest.param("zh-TW", None, "zh", id="traditional-falls-back-to-simplified"),
        pytest.param(None, "ar-SA,en;q=0.5", "ar", id="arabic"),
    ],
)
def test_choose_language(page_lang: str | None, accept: str | None, expected: str) -> None:
    assert choose_language(plain_config(), page_lang, accept) == expected


def test_default_language_is_used_last() -> None:
    assert choose_language(plain_config("de"), None, "ko") == "de"
    assert choose_language(plain_config("de"), None, None) == "de"
    assert choose_language(plain_config("de"), "ko", "*") == "de"


def test_default_without_texts_falls_back_to_english() -> None:
    assert choose_language(plain_config("ko"), None, None) == "en"


def test_site_texts_for_nynorsk_and_traditional_chinese_win() -> None:
    config = plain_config(nn={"banner_title": "Vi nyttar informasjonskapslar"}, zh_Hant={})
    assert choose_language(config, "nn", None) == "nn"
    assert choose_language(config, "zh-TW", None) == "zh-hant"
    assert choose_language(config, "zh-CN", None) == "zh"
    nynorsk = resolve_texts(config, "nn")
    assert nynorsk["banner_title"] == "Vi nyttar informasjonskapslar"
    assert nynorsk["accept_all"] == BUILTIN["nb"]["accept_all"]  # completed in Bokmål


@pytest.mark.parametrize(
    ("tag", "key"),
    [
        ("en-GB", "en"),
        ("EN_us", "en"),
        ("no-NO", "nb"),
        ("nn", "nn"),
        ("zh", "zh"),
        ("zh-Hant", "zh-hant"),
        ("zh-hk", "zh-hant"),
        ("zh-Hans-HK", "zh"),
        ("zh-Hant-CN", "zh-hant"),
        ("is", "is"),
    ],
)
def test_language_key(tag: str, key: str) -> None:
    assert language_key(tag) == key


@pytest.mark.parametrize("lang", sorted(BUILTIN))
def test_every_built_in_language_can_be_chosen(lang: str) -> None:
    assert choose_language(plain_config(), lang, None) == lang
    assert choose_language(plain_config(), None, f"{lang};q=0.9, xx") == lang
    assert resolve_texts(plain_config(), lang) == BUILTIN[lang]
