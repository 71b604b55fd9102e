"""YAML -> Config: the full example, defaults, presets, and every ConfigError message.

Each error test writes a small file and checks the whole ``file:line: path: reason``
line, so a wrong line number or key path fails as surely as a wrong message.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from cookiegate.catalog import PRESETS
from cookiegate.config import (
    DEFAULT_CATEGORIES,
    Category,
    Config,
    CookieSpec,
    Service,
    load_config,
    parse_host_pattern,
)
from cookiegate.exceptions import ConfigError

CATEGORIES = """\
categories:
  necessary: {title: Strictly necessary, required: true}
  analytics: {title: Analytics}
  social: {title: Social media, sale_or_share: true}
"""

FULL = """\
revision: 3
jurisdiction: opt-out
policy_url: /privacy
consent_days: 365
first_party_hosts: [static.example.com, "*.EXAMPLE.org"]
undeclared_third_party: allow
default_language: pt-BR
preferences_path: /privacy/cookies
endpoint_path: /_consent
cookie_name: site_consent
max_inline_script: 4096
categories:
  necessary:   {title: Strictly necessary, description: Needed, required: true}
  functional:  {title: Functional, description: Extras}
  analytics:   {title: Analytics, description: Statistics}
  marketing:   {title: Marketing, description: Ads, sale_or_share: true}
  social:      {title: Social media, description: Networks, sale_or_share: true}
services:
  google-analytics:
    preset: google-analytics
    category: analytics
  youtube:
    category: social
    provider: Google Ireland Ltd.
    privacy_policy: https://policies.google.com/privacy
    hosts: [www.youtube.com, www.youtube-nocookie.com]
    placeholder: true
  newsletter-widget:
    category: marketing
    hosts: ["*.example-mail.com"]
    inline: ["exampleMail.init("]
    cookies:
      - {name: "_em_*", duration: 1 year, purpose: Remembers the newsletter pop-up}
cookies:
  - {name: session, category: necessary, duration: session, purpose: Keeps you signed in}
texts:
  en: {banner_title: We use cookies}
  pt-BR: {banner_title: Usamos cookies}
"""


def write(tmp_path: Path, text: str, name: str = "cookies.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text))


def error_lines(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    prefix = f"{path}:"
    return [e.single_line().removeprefix(prefix) for e in info.value.errors]


def only_error(tmp_path: Path, text: str) -> str:
    lines = error_lines(tmp_path, text)
    assert len(lines) == 1, lines
    return lines[0]


# --- the full example ------------------------------------------------------------------


def test_full_example_top_level_values(tmp_path: Path) -> None:
    config = load(tmp_path, FULL)
    assert config.source == str(tmp_path / "cookies.yaml")
    assert (config.revision, config.jurisdiction, config.consent_days) == (3, "opt-out", 365)
    assert config.policy_url == "/privacy"
    assert config.first_party_hosts == ("static.example.com", "*.example.org")
    assert config.undeclared_third_party == "allow"
    assert config.default_language == "pt-br"
    assert (config.preferences_path, config.endpoint_path) == ("/privacy/cookies", "/_consent")
    assert (config.cookie_name, config.max_inline_script) == ("site_consent", 4096)


def test_full_example_categories_and_lookups(tmp_path: Path) -> None:
    config = load(tmp_path, FULL)
    assert [c.id for c in config.categories] == [
        "necessary",
        "functional",
        "analytics",
        "marketing",
        "social",
    ]
    assert config.category("necessary") == Category(
        id="necessary", title="Strictly necessary", description="Needed", required=True
    )
    assert config.category("nope") is None
    assert config.required_categories == frozenset({"necessary"})
    assert config.sale_or_share_categories == frozenset({"marketing", "social"})
    assert [c.id for c in config.optional_categories] == [
        "functional",
        "analytics",
        "marketing",
        "social",
    ]


def test_full_example_services(tmp_path: Path) -> None:
    config = load(tmp_path, FULL)
    youtube = config.service("youtube")
    assert youtube == Service(
        id="youtube",
        title="youtube",
        category="social",
        provider="Google Ireland Ltd.",
        privacy_policy="https://policies.google.com/privacy",
        hosts=("www.youtube.com", "www.youtube-nocookie.com"),
        placeholder=True,
    )
    widget = config.service("newsletter-widget")
    assert widget is not None
    assert widget.inline == ("exampleMail.init(",)
    assert widget.cookies == (
        CookieSpec(
            name="_em_*",
            category="marketing",
            service="newsletter-widget",
            duration="1 year",
            purpose="Remembers the newsletter pop-up",
        ),
    )
    assert config.service("missing") is None


def test_full_example_cookies_and_texts(tmp_path: Path) -> None:
    config = load(tmp_path, FULL)
    assert config.cookies == (
        CookieSpec(name="session", category="necessary", purpose="Keeps you signed in"),
    )
    names = [c.name for c in config.all_cookies]
    assert names == ["session", "_ga", "_ga_*", "_gid", "_gat*", "_em_*"]
    assert dict(config.texts) == {
        "en": {"banner_title": "We use cookies"},
        "pt-br": {"banner_title": "Usamos cookies"},
    }
    assert config.cookie_spec("_ga_XYZ") is not None
    assert config.cookie_spec("_ga") == config.all_cookies[1]
    assert config.cookie_spec("unknown") is None


def test_fingerprint_is_stable_and_tracks_content(tmp_path: Path) -> None:
    first = load(tmp_path, FULL).fingerprint
    again = load_config(write(tmp_path, "# a comment\n" + FULL, name="other.yaml")).fingerprint
    changed = load(tmp_path, FULL.replace("Usamos cookies", "Usamos biscoitos")).fingerprint
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert first == again
    assert first != changed


# --- defaults ---------------------------------------------------------------------------


def test_minimal_file_uses_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, "revision: 1\n")
    assert config.categories == DEFAULT_CATEGORIES
    assert [c.id for c in config.categories] == [
        "necessary",
        "functional",
        "analytics",
        "marketing",
        "social",
    ]
    assert config.required_categories == frozenset({"necessary"})
    assert config.sale_or_share_categories == frozenset({"marketing", "social"})
    assert all(c.title and c.description for c in config.categories)
    assert config.jurisdiction == "opt-in"
    assert config.consent_days == 182
    assert config.undeclared_third_party == "block"
    assert config.preferences_path == "/cookie-settings"
    assert config.endpoint_path == "/_cookiegate"
    assert config.cookie_name == "cookiegate_consent"
    assert config.max_inline_script == 262144
    assert config.policy_url is None
    assert config.services == () and config.cookies == () and dict(config.texts) == {}


def test_from_mapping_builds_and_validates() -> None:
    config = Config.from_mapping({"services": {"yt": {"preset": "youtube"}}})
    assert config.source == "<mapping>"
    assert config.service("yt") is not None
    with pytest.raises(ConfigError, match=r"^cfg: services\.yt\.category: 'socail' is not"):
        Config.from_mapping(
            {"services": {"yt": {"preset": "youtube", "category": "socail"}}}, source="cfg"
        )


def test_empty_collections_written_as_null(tmp_path: Path) -> None:
    config = load(tmp_path, "services:\ncookies:\ntexts:\nfirst_party_hosts:\n")
    assert config.services == () and config.cookies == () and config.first_party_hosts == ()


# --- presets ------------------------------------------------------------------------------


def test_preset_supplies_everything(tmp_path: Path) -> None:
    config = load(tmp_path, "services:\n  yt: {preset: youtube}\n")
    service = config.service("yt")
    preset = PRESETS["youtube"]
    assert service is not None
    assert (service.title, service.category, service.preset) == ("YouTube", "social", "youtube")
    assert service.hosts == preset.hosts and service.inline == preset.inline
    assert service.placeholder is True
    assert service.privacy_policy == preset.privacy_policy
    assert [c.name for c in service.cookies] == [c.name for c in preset.cookies]
    assert {(c.category, c.service, c.provider) for c in service.cookies} == {
        ("social", "yt", preset.provider)
    }


def test_yaml_keys_override_preset_and_lists_replace(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        services:
          yt:
            preset: youtube
            category: marketing
            title: Videos
            placeholder: false
            hosts: [www.youtube-nocookie.com]
            inline: []
            cookies:
              - {name: YSC}
        """,
    )
    service = config.service("yt")
    assert service is not None
    assert (service.title, service.category, service.placeholder) == ("Videos", "marketing", False)
    assert service.hosts == ("www.youtube-nocookie.com",)
    assert service.inline == ()
    assert service.cookies == (
        CookieSpec(
            name="YSC", category="marketing", service="yt", provider=PRESETS["youtube"].provider
        ),
    )
    assert service.provider == PRESETS["youtube"].provider


def test_preset_default_category_must_exist(tmp_path: Path) -> None:
    line = only_error(tmp_path, CATEGORIES + "services:\n  ads:\n    preset: criteo\n")
    assert line == (
        "7: services.ads.preset: preset 'criteo' belongs to category 'marketing', which is not "
        "declared; add 'category:' (declared categories: necessary, analytics, social)"
    )


def test_preset_default_category_overridden(tmp_path: Path) -> None:
    config = load(
        tmp_path, CATEGORIES + "services:\n  ads: {preset: criteo, category: analytics}\n"
    )
    service = config.service("ads")
    assert service is not None and service.category == "analytics"


# --- error messages, with line and key path ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("revision: 0\n", "1: revision: must be at least 1, got 0", id="revision-low"),
        pytest.param(
            "revision: true\n",
            "1: revision: expected an integer, got a boolean",
            id="bool-is-not-int",
        ),
        pytest.param(
            "\nconsent_days: 4000\n",
            "2: consent_days: must be between 1 and 3650, got 4000",
            id="days-high",
        ),
        pytest.param(
            "consent_days: '30'\n",
            "1: consent_days: expected an integer, got a string",
            id="days-type",
        ),
        pytest.param(
            "jurisdiction: opt_in\n",
            "1: jurisdiction: 'opt_in' is not allowed; use 'opt-in' or 'opt-out' "
            "(did you mean 'opt-in'?)",
            id="jurisdiction",
        ),
        pytest.param(
            "undeclared_third_party: deny\n",
            "1: undeclared_third_party: 'deny' is not allowed; use 'block' or 'allow'",
            id="undeclared",
        ),
        pytest.param(
            "policy_url: privacy\n",
            "1: policy_url: 'privacy' is not a path starting with '/' or an absolute "
            "http(s) URL; write e.g. 'https://example.com/privacy'",
            id="policy-relative",
        ),
        pytest.param(
            "policy_url: //evil.example/x\n",
            "1: policy_url: '//evil.example/x' is not a path starting with '/' or an "
            "absolute http(s) URL; write e.g. 'https://example.com/privacy'",
            id="policy-protocol-relative",
        ),
        pytest.param(
            "preferences_path: settings\n",
            "1: preferences_path: 'settings' is not an absolute path; write a path such "
            "as '/cookie-settings'",
            id="preferences-path",
        ),
        pytest.param(
            "endpoint_path: /cookie-settings\n",
            "1: endpoint_path: '/cookie-settings' is also preferences_path; give each its own path",
            id="endpoint-clash",
        ),
        pytest.param(
            "cookie_name: 'my cookie'\n",
            "1: cookie_name: 'my cookie' is not a valid cookie name; use letters, digits "
            "and '_' only, such as 'cookiegate_consent'",
            id="cookie-name",
        ),
        pytest.param(
            "max_inline_script: 100\n",
            "1: max_inline_script: must be at least 1024, got 100",
            id="inline-max",
        ),
        pytest.param(
            "default_language: english!\n",
            "1: default_language: 'english!' is not a language tag; use a BCP 47 tag "
            "such as 'en' or 'pt-BR'",
            id="language",
        ),
        pytest.param(
            "revison: 2\n",
            "1: revison: unknown key 'revison' (did you mean 'revision'?)",
            id="unknown-top-key",
        ),
        pytest.param(
            "first_party_hosts: example.com\n",
            "1: first_party_hosts: expected a list, got a string; write [a, b] or '- a' lines",
            id="hosts-not-list",
        ),
    ],
)
def test_top_level_errors(tmp_path: Path, text: str, expected: str) -> None:
    assert only_error(tmp_path, text) == expected


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("https://x.com", "'https://x.com' is a URL; write the host only: 'x.com'"),
        ("x.com/path", "'x.com/path' has a path; write the host only: 'x.com'"),
        ("x.com:8080", "'x.com:8080' has a port; write the host only: 'x.com'"),
        (
            "*x.com",
            "'*x.com' has a misplaced wildcard; write '*.x.com' for its subdomains or "
            "'x.com' for the host itself",
        ),
        (
            "a.*.com",
            "'a.*.com' has a misplaced wildcard; '*' may only start a pattern, as in "
            "'*.example.com'",
        ),
        ("", "the host pattern is empty; write a hostname such as 'cdn.example.com'"),
        (
            "bad_host.com",
            "'bad_host.com' is not a valid hostname; use letters, digits, '-' and "
            "'.', as in 'cdn.example.com'",
        ),
        ("*.com", "'*.com' would cover a whole top-level domain; write '*.example.com'"),
    ],
)
def test_host_pattern_errors(tmp_path: Path, pattern: str, reason: str) -> None:
    text = f'services:\n  w:\n    category: analytics\n    hosts:\n      - "{pattern}"\n'
    assert only_error(tmp_path, text) == f"5: services.w.hosts[0]: {reason}"


def test_host_patterns_are_normalized() -> None:
    assert parse_host_pattern(" WWW.Example.COM. ") == "www.example.com"
    assert parse_host_pattern("*.Bücher.example") == "*.xn--bcher-kva.example"
    assert parse_host_pattern("münchen.de") == "xn--mnchen-3ya.de"


def test_duplicate_host_in_one_list(tmp_path: Path) -> None:
    text = "first_party_hosts:\n  - a.example\n  - A.example\n"
    assert only_error(tmp_path, text) == (
        "3: first_party_hosts[1]: host pattern 'a.example' is listed twice; remove one"
    )


def test_category_errors(tmp_path: Path) -> None:
    lines = error_lines(
        tmp_path,
        """\
        categories:
          necessary: {title: Necessary, required: true, sale_or_share: true}
          Stats: {title: Stats}
          social: {description: no title}
          ads: {title: Ads, requird: true}
          tags: {title: Tags, required: "yes"}
          empty: {title: ""}
        """,
    )
    assert lines == [
        "2: categories.necessary.sale_or_share: a required category cannot be sale_or_share, "
        "since visitors cannot refuse it; remove one of the two",
        "3: categories.Stats: 'Stats' is not a valid category id; use lowercase letters, digits, "
        "'_' and '-', starting with a letter",
        "4: categories.social: missing 'title'; add the heading visitors see, such as 'Analytics'",
        "5: categories.ads.requird: unknown key 'requird' (did you mean 'required'?)",
        "6: categories.tags.required: expected true or false, got a string",
        "7: categories.empty.title: expected a non-empty string, got an empty string",
    ]


def test_no_required_category(tmp_path: Path) -> None:
    assert only_error(tmp_path, "\ncategories:\n  analytics: {title: Analytics}\n") == (
        "2: categories: no category is required; mark the strictly necessary one with "
        "'required: true'"
    )


def test_category_must_be_mapping(tmp_path: Path) -> None:
    lines = error_lines(tmp_path, "categories:\n  necessary: Strictly necessary\n")
    assert lines[0] == "2: categories.necessary: expected a mapping of keys, got a string"


def test_undeclared_service_category_did_you_mean(tmp_path: Path) -> None:
    text = CATEGORIES + "services:\n  youtube:\n    preset: youtube\n    category: socail\n"
    line = only_error(tmp_path, text)
    assert (
        line == "8: services.youtube.category: 'socail' is not a declared category "
        "(did you mean 'social'?)"
    )
    with pytest.raises(
        ConfigError,
        match=r"cookies\.yaml:8: services\.youtube\.category: "
        r"'socail' is not a declared category \(did you mean",
    ):
        load_config(tmp_path / "cookies.yaml")


def test_undeclared_category_lists_choices(tmp_path: Path) -> None:
    text = CATEGORIES + "services:\n  w: {category: zzz, hosts: [w.example]}\n"
    assert only_error(tmp_path, text) == (
        "6: services.w.category: 'zzz' is not a declared category; declared categories: "
        "necessary, analytics, social"
    )


def test_service_errors(tmp_path: Path) -> None:
    lines = error_lines(
        tmp_path,
        CATEGORIES
        + """\
services:
  nothing: {category: analytics}
  Bad_Id: {category: analytics, hosts: [b.example]}
  social: {category: social, hosts: [s.example]}
  typo: {preset: youtub}
  fields: {category: analytics, inline: [""], privacy_policy: ftp://x.example, hostz: [a.b]}
  nocat: {hosts: [n.example]}
""",
    )
    assert lines == [
        "6: services.nothing: the service has no 'hosts' and no 'inline' signatures, so it can "
        "never match a tag; add 'hosts: [...]' or a 'preset:'",
        "7: services.Bad_Id: 'Bad_Id' is not a valid service id; use lowercase letters, digits, "
        "'_' and '-', starting with a letter",
        "8: services.social: 'social' is also a category id, which makes "
        'data-cookiegate="social" ambiguous; rename the service',
        "9: services.typo.preset: unknown preset 'youtub' (did you mean 'youtube'?)",
        "9: services.typo: missing 'category'; add one (declared categories: necessary, "
        "analytics, social)",
        "9: services.typo: the service has no 'hosts' and no 'inline' signatures, so it can never "
        "match a tag; add 'hosts: [...]' or a 'preset:'",
        "10: services.fields.hostz: unknown key 'hostz' (did you mean 'hosts'?)",
        "10: services.fields.inline[0]: expected a non-empty string, got an empty string",
        "10: services.fields.privacy_policy: 'ftp://x.example' is not an absolute http(s) URL; "
        "write e.g. 'https://example.com/privacy'",
        "11: services.nocat: missing 'category'; add one (declared categories: necessary, "
        "analytics, social)",
    ]


def test_unknown_preset_without_close_match(tmp_path: Path) -> None:
    text = "services:\n  x: {preset: qqqqqq, category: analytics, hosts: [x.example]}\n"
    assert only_error(tmp_path, text) == (
        "2: services.x.preset: unknown preset 'qqqqqq'; see docs/configuration.md for the "
        "preset names"
    )


def test_same_host_claimed_by_two_services(tmp_path: Path) -> None:
    text = """\
    services:
      one: {preset: youtube}
      two:
        category: social
        hosts: [a.example, "*.YouTube.com"]
    """
    assert only_error(tmp_path, text) == (
        "5: services.two.hosts[1]: host pattern '*.youtube.com' is already claimed by service "
        "'one'; a host belongs to one service, so remove it from one"
    )


def test_cookie_errors(tmp_path: Path) -> None:
    lines = error_lines(
        tmp_path,
        CATEGORIES
        + """\
cookies:
  - {name: session, category: necessary}
  - {name: session, category: necessary}
  - {name: theme}
  - {category: necessary}
  - {name: "a b", category: necessary}
  - {name: "**", category: necessary}
  - {name: lang, category: analitics, colour: red}
  - just-a-name
""",
    )
    assert lines == [
        "7: cookies[1].name: cookie 'session' is already declared at cookies[0]; "
        "remove one of them",
        "8: cookies[2]: missing 'category'; add one (declared categories: necessary, analytics, "
        "social)",
        "9: cookies[3]: missing 'name'; add the cookie's name, such as 'session' or '_ga_*'",
        "10: cookies[4].name: 'a b' is not a valid cookie name; use the name as sent in "
        "Set-Cookie, with '*' as the only wildcard",
        "11: cookies[5].name: '**' would match every cookie; add a prefix such as '_ga_*'",
        "12: cookies[6].colour: unknown key 'colour'; allowed keys: name, category, duration, "
        "purpose, provider",
        "12: cookies[6].category: 'analitics' is not a declared category (did you mean "
        "'analytics'?)",
        "13: cookies[7]: expected a mapping such as {name: session}, got a string",
    ]


def test_service_cookie_category_default_and_override(tmp_path: Path) -> None:
    text = (
        CATEGORIES
        + """\
services:
  w:
    category: social
    hosts: [w.example]
    provider: W Ltd.
    cookies:
      - {name: w_id}
      - {name: w_stats, category: analytics, provider: Stats Inc.}
      - {name: w_id}
"""
    )
    assert only_error(tmp_path, text) == (
        "13: services.w.cookies[2].name: cookie 'w_id' is already declared at "
        "services.w.cookies[0]; remove one of them"
    )
    config = load(tmp_path, text.replace("      - {name: w_id}\n", "", 1))
    service = config.service("w")
    assert service is not None
    assert [(c.name, c.category, c.provider) for c in service.cookies] == [
        ("w_stats", "analytics", "Stats Inc."),
        ("w_id", "social", "W Ltd."),
    ]


def test_text_errors(tmp_path: Path) -> None:
    lines = error_lines(
        tmp_path,
        """\
        texts:
          en:
            banner_titel: Hi
            placeholder_text: "Hi {servic}"
            placeholder_load: "Load {service"
            accept_all: 3
          english: {save: Save}
          de: {save: Speichern}
          DE: {save: Sichern}
        """,
    )
    assert lines == [
        "3: texts.en.banner_titel: unknown key 'banner_titel' (did you mean 'banner_title'?)",
        "4: texts.en.placeholder_text: unknown placeholder {servic}; this text may use {service}",
        "5: texts.en.placeholder_load: unbalanced '{' or '}'; write '{{' and '}}' for literal "
        "braces",
        "6: texts.en.accept_all: expected a non-empty string, got an integer",
        "7: texts.english: 'english' is not a language tag; use a BCP 47 tag such as 'en' or "
        "'pt-BR'",
        "9: texts.DE: language 'de' appears twice (tags ignore case); merge them",
    ]


def test_texts_accept_known_placeholders(tmp_path: Path) -> None:
    config = load(tmp_path, 'texts:\n  de: {placeholder_load: "{service} laden"}\n')
    assert config.texts["de"]["placeholder_load"] == "{service} laden"


# --- YAML-level problems -------------------------------------------------------------------


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    text = """\
    categories:
      necessary: {title: A, required: true}
      necessary: {title: B, required: true}
    revision: 1
    revision: 2
    """
    assert error_lines(tmp_path, text) == [
        "3: categories.necessary: duplicate key; YAML keeps only the last one, so merge or "
        "remove one",
        "5: revision: duplicate key; YAML keeps only the last one, so merge or remove one",
    ]


def test_merge_keys_may_be_overridden(tmp_path: Path) -> None:
    text = """\
    base: &base {category: social, hosts: [a.example]}
    """
    assert only_error(tmp_path, text).startswith("1: base: unknown key 'base'")
    config = load(
        tmp_path,
        """\
        services:
          a: &a {category: social, hosts: [a.example]}
          b:
            <<: *a
            hosts: [b.example]
        """,
    )
    service = config.service("b")
    assert service is not None and service.hosts == ("b.example",)


def test_syntax_error_has_line(tmp_path: Path) -> None:
    path = write(tmp_path, "revision: 1\ncategories:\n  necessary: {title: x\n")
    with pytest.raises(ConfigError, match=r"cookies\.yaml:4: invalid YAML: .*check indentation"):
        load_config(path)


def test_unsafe_tag_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "revision: !!python/object/apply:os.getcwd []\n")
    with pytest.raises(ConfigError, match=r"cookies\.yaml:1: invalid YAML: .*without tags"):
        load_config(path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(
        ConfigError, match=r"nope\.yaml: no such file: .*nope\.yaml'; check the path"
    ):
        load_config(path)


@pytest.mark.parametrize("text", ["", "\n# only a comment\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(
        ConfigError, match=r"cookies\.yaml: the file is empty; see docs/configuration\.md"
    ):
        load_config(path)


def test_top_level_must_be_mapping(tmp_path: Path) -> None:
    assert only_error(tmp_path, "- a\n- b\n") == (
        "1: expected a mapping of settings at the top, got a list; see docs/configuration.md "
        "for the keys"
    )


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_bytes(b"revision: 1\npolicy_url: /caf\xe9\n")
    with pytest.raises(ConfigError, match=r"cookies\.yaml:2: not valid UTF-8 \(byte 28\)"):
        load_config(path)


def test_all_errors_reported_together(tmp_path: Path) -> None:
    path = write(tmp_path, "revision: 0\njurisdiction: gdpr\nconsent_days: 0\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    error = info.value
    assert len(error.errors) == 3
    assert [e.line for e in error.errors] == [1, 2, 3]
    assert [e.path for e in error.errors] == ["revision", "jurisdiction", "consent_days"]
    assert str(error).splitlines() == [e.single_line() for e in error.errors]
    assert all(e.source == str(path) for e in error.errors)


def test_cookie_overlap_helper() -> None:
    def spec(name: str) -> CookieSpec:
        return CookieSpec(name=name, category="analytics")

    assert spec("_ga_*").overlaps(spec("_ga_ABC"))
    assert spec("a*b").overlaps(spec("ab*"))
    assert spec("_g*").overlaps(spec("*a"))
    assert not spec("_ga").overlaps(spec("_ga_*"))
    assert not spec("x*y").overlaps(spec("x*z"))


def test_undeclared_cookies_policy_key(tmp_path: Path) -> None:
    assert Config.from_mapping({}).undeclared_cookies == "allow"
    assert Config.from_mapping({"undeclared_cookies": "block"}).undeclared_cookies == "block"
    path = tmp_path / "cookies.yaml"
    path.write_text("revision: 1\nundeclared_cookies: deny\n", encoding="utf-8")
    expected = r"cookies.yaml:2: undeclared_cookies: 'deny' is not allowed"
    with pytest.raises(ConfigError, match=expected):
        load_config(path)
