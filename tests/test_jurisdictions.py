"""Jurisdiction rules: the law per request, from a header only the operator can vouch for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.test import Client, TestResponse
from werkzeug.wrappers import Response

from cookiegate import CookieGate
from cookiegate.config import Config, load_config
from cookiegate.exceptions import ConfigError
from cookiegate.jurisdictions import EEA, Jurisdictions, Regime, Rule
from cookiegate.records import RecordQuery, open_store

ORIGIN = {"Origin": "http://localhost"}
SITE = """\
jurisdiction: opt-in
categories:
  necessary: {title: Necessary, required: true}
  analytics: {title: Analytics}
  preferences: {title: Preferences}
  marketing: {title: Marketing, sale_or_share: true}
services:
  stats:
    category: analytics
    hosts: [stats.example]
  ads:
    category: marketing
    hosts: [ads.example]
"""
RULES = """\
jurisdictions:
  header: CF-IPCountry
  region_header: CloudFront-Viewer-Country-Region
  rules:
    - where: [EEA]
      mode: opt-in
    - where: [GB]
      mode: opt-in
      right_to_object: [analytics, preferences]
    - where: [US-CA, US-CO]
      mode: opt-out
"""
PAGE = (
    b"<!doctype html><html><head>"
    b'<script src="https://stats.example/s.js"></script>'
    b'<script src="https://ads.example/a.js"></script>'
    b"</head><body><p>Hi</p></body></html>"
)


def _config(tmp_path: Path, extra: str = RULES) -> Path:
    path = tmp_path / "cookies.yaml"
    path.write_text(SITE + extra)
    return path


def _gate(tmp_path: Path, extra: str = RULES, **kwargs: object) -> CookieGate:
    def app(environ: object, start_response: object) -> object:
        response = Response(PAGE, content_type="text/html; charset=utf-8")
        return response(environ, start_response)  # type: ignore[arg-type]

    return CookieGate(app, _config(tmp_path, extra), secret_key="k" * 32, **kwargs)  # type: ignore[arg-type]


def _loads(response: TestResponse) -> set[str]:
    body = response.get_data()
    return {host for host in ("stats", "ads") if f"https://{host}.example".encode() in body}


def _banner(response: TestResponse) -> bool:
    return b'id="cookiegate-banner"' in response.get_data()


# -- reading the headers -------------------------------------------------------------------


def _rules(tmp_path: Path) -> Jurisdictions:
    places = load_config(_config(tmp_path)).jurisdictions
    assert places is not None
    return places


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_CF_IPCOUNTRY": "DE"}, Regime("DE", "opt-in")),
        ({"HTTP_CF_IPCOUNTRY": "no"}, Regime("NO", "opt-in")),  # EEA, lower case
        (
            {"HTTP_CF_IPCOUNTRY": "GB"},
            Regime("GB", "opt-in", frozenset({"analytics", "preferences"})),
        ),
        (
            {"HTTP_CF_IPCOUNTRY": "UK"},
            Regime("GB", "opt-in", frozenset({"analytics", "preferences"})),
        ),
        (
            {"HTTP_CF_IPCOUNTRY": "US", "HTTP_CLOUDFRONT_VIEWER_COUNTRY_REGION": "CA"},
            Regime("US-CA", "opt-out"),
        ),
        (
            {"HTTP_CF_IPCOUNTRY": "US", "HTTP_CLOUDFRONT_VIEWER_COUNTRY_REGION": "us-co"},
            Regime("US-CO", "opt-out"),
        ),
        # A state without a rule, a country without one, and unreadable values: the default.
        ({"HTTP_CF_IPCOUNTRY": "US", "HTTP_CLOUDFRONT_VIEWER_COUNTRY_REGION": "NY"}, None),
        ({"HTTP_CF_IPCOUNTRY": "US"}, None),
        ({"HTTP_CF_IPCOUNTRY": "JP"}, None),
        ({"HTTP_CF_IPCOUNTRY": "XX1"}, None),
        ({"HTTP_CF_IPCOUNTRY": ""}, None),
        ({}, None),
        # Only the named header counts.
        ({"HTTP_CLOUDFRONT_VIEWER_COUNTRY": "DE"}, None),
    ],
)
def test_the_first_matching_rule_names_the_regime(
    tmp_path: Path, headers: dict[str, str], expected: Regime | None
) -> None:
    places = _rules(tmp_path)
    assert places.regime_for(headers) == (expected or Regime("default", "opt-in"))


def test_eea_means_the_eu_and_three_more() -> None:
    assert {"IS", "LI", "NO", "DE", "GR"} <= EEA and "GB" not in EEA and "CH" not in EEA
    assert len(EEA) == 30


def test_the_default_is_the_top_level_jurisdiction_unless_given(tmp_path: Path) -> None:
    site = SITE.replace("jurisdiction: opt-in", "jurisdiction: opt-out")
    path = tmp_path / "c.yaml"
    path.write_text(site + "jurisdictions:\n  header: CF-IPCountry\n")
    places = load_config(path).jurisdictions
    assert places is not None and places.default == Regime("default", "opt-out")
    path.write_text(site + "jurisdictions:\n  header: CF-IPCountry\n  default: opt-in\n")
    places = load_config(path).jurisdictions
    assert places is not None and places.default.mode == "opt-in"


def test_the_regime_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cookiegate.jurisdictions._CACHE_LIMIT", 3)
    places = Jurisdictions(
        header="X-Country", rules=(Rule(frozenset({"DE"}), Regime("rule", "opt-in")),)
    )
    for country in ("DE", "FR", "IT", "ES", "PT"):
        places.regime_for({"HTTP_X_COUNTRY": country})
    assert len(places._cache) <= 3
    assert places.regime_for({"HTTP_X_COUNTRY": "DE"}) == Regime("DE", "opt-in")


# -- configuration errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("jurisdictions:\n  rules: []\n", r"`header` is missing"),
        ("jurisdictions:\n  header: 'CF IPCountry'\n", r"not an HTTP header name"),
        (
            "jurisdictions:\n  header: CF-IPCountry\n  rules:\n    - where: [Europe]\n"
            "      mode: opt-in\n",
            r"jurisdictions\.rules\[0\]\.where\[0\]: 'Europe' is not a place",
        ),
        (
            "jurisdictions:\n  header: CF-IPCountry\n  rules:\n    - where: [GB]\n"
            "      mode: optin\n",
            r"'optin' is not allowed; use 'opt-in' or 'opt-out' \(did you mean 'opt-in'\?\)",
        ),
        (
            "jurisdictions:\n  header: CF-IPCountry\n  rules:\n    - where: [US]\n"
            "      mode: opt-out\n      right_to_object: [analytics]\n",
            r"only an opt-in rule can list categories with a right to object",
        ),
        (
            "jurisdictions:\n  header: CF-IPCountry\n  rules:\n    - where: [GB]\n"
            "      mode: opt-in\n      right_to_object: [marketing]\n",
            r"'marketing' is sold or shared",
        ),
        (
            "jurisdictions:\n  header: CF-IPCountry\n  rules:\n    - where: [GB]\n"
            "      mode: opt-in\n      right_to_object: [analytic]\n",
            r"'analytic' is not a category \(did you mean 'analytics'\?\)",
        ),
        (
            "jurisdictions:\n  header: CF-IPCountry\n  rules:\n    - mode: opt-in\n",
            r"list the places this rule covers",
        ),
        ("jurisdictions:\n  header: CF-IPCountry\n  contries: []\n", r"unknown key 'contries'"),
    ],
)
def test_mistakes_are_named_with_file_line_and_key(
    tmp_path: Path, yaml: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_config(tmp_path, yaml))
    text = "\n".join(error.single_line() for error in caught.value.errors)
    assert re.search(message, text), text
    assert re.search(r"cookies\.yaml:\d+: jurisdictions", text), text


# -- through the middleware ---------------------------------------------------------------


def test_without_rules_a_spoofed_country_header_changes_nothing(tmp_path: Path) -> None:
    gate = _gate(tmp_path, extra="")
    for headers in ({}, {"CF-IPCountry": "US"}, {"CloudFront-Viewer-Country": "US"}):
        response = Client(gate).get("/", headers=headers)
        assert _loads(response) == set() and _banner(response), headers
        assert "CF-IPCountry" not in response.headers.get("Vary", "")


def test_a_header_other_than_the_named_one_is_not_trusted(tmp_path: Path) -> None:
    gate = _gate(tmp_path, extra=RULES.replace("CF-IPCountry", "CloudFront-Viewer-Country"))
    spoofed = Client(gate).get("/", headers={"CF-IPCountry": "US", "X-Region": "CA"})
    assert _loads(spoofed) == set()
    real = Client(gate).get(
        "/",
        headers={"CloudFront-Viewer-Country": "US", "CloudFront-Viewer-Country-Region": "CA"},
    )
    assert _loads(real) == {"stats", "ads"}


def test_eea_visitors_opt_in(tmp_path: Path) -> None:
    response = Client(_gate(tmp_path)).get("/", headers={"CF-IPCountry": "FR"})
    assert _loads(response) == set() and _banner(response)


def test_us_state_visitors_opt_out_and_gpc_is_binding(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    california = {"CF-IPCountry": "US", "CloudFront-Viewer-Country-Region": "CA"}
    response = Client(gate).get("/", headers=california)
    assert _loads(response) == {"stats", "ads"} and _banner(response)
    with_gpc = Client(gate).get("/", headers={**california, "Sec-GPC": "1"})
    assert _loads(with_gpc) == {"stats"} and not _banner(with_gpc)
    assert "set-cookie" not in with_gpc.headers
    prefs = Client(gate).get("/cookie-settings", headers=california).get_data()
    assert b'name="do_not_sell"' in prefs
    elsewhere = Client(gate).get("/cookie-settings", headers={"CF-IPCountry": "DE"}).get_data()
    assert b'name="do_not_sell"' not in elsewhere


def test_uk_visitors_get_statistics_until_they_object(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    client = Client(gate)
    uk = {"CF-IPCountry": "GB"}
    first = client.get("/", headers=uk)
    assert _loads(first) == {"stats"} and _banner(first)
    prefs = client.get("/cookie-settings", headers=uk).get_data(as_text=True)
    assert re.search(r'value="analytics"[^>]*checked', prefs)
    assert not re.search(r'value="marketing"[^>]*checked', prefs)
    token = re.search(r'name="csrf" value="([^"]+)"', first.get_data(as_text=True))
    assert token is not None
    objection = client.post(
        "/_cookiegate/consent",
        data={"action": "reject", "csrf": token.group(1), "next": "/"},
        headers={**ORIGIN, **uk},
    )
    assert objection.status_code == 303
    after = client.get("/", headers=uk)
    assert _loads(after) == set() and not _banner(after)


def test_gated_pages_vary_on_the_trusted_headers(tmp_path: Path) -> None:
    response = Client(_gate(tmp_path)).get("/", headers={"CF-IPCountry": "GB"})
    vary = {v.strip().lower() for v in response.headers["Vary"].split(",")}
    assert {"cookie", "sec-gpc", "cf-ipcountry", "cloudfront-viewer-country-region"} <= vary


def test_the_law_is_part_of_the_page_variant(tmp_path: Path) -> None:
    gate = _gate(tmp_path)

    def etag_app(environ: object, start_response: object) -> object:
        response = Response(PAGE, content_type="text/html")
        response.set_etag("v1")
        return response(environ, start_response)  # type: ignore[arg-type]

    gate.app = etag_app  # type: ignore[assignment]
    tags = {
        Client(gate).get("/", headers={"CF-IPCountry": country}).headers["ETag"]
        for country in ("DE", "FR", "GB")
    }
    assert len(tags) == 2  # DE and FR are under one law; GB has a right to object


def test_each_record_names_the_law_it_was_given_under(tmp_path: Path) -> None:
    log = f"sqlite:///{tmp_path}/consent.sqlite3"
    gate = _gate(tmp_path, consent_log=log)
    for headers in ({"CF-IPCountry": "GB"}, {"CF-IPCountry": "DE"}, {}):
        client = Client(gate)
        page = client.get("/", headers=headers).get_data(as_text=True)
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is not None
        client.post(
            "/_cookiegate/consent",
            data={"action": "accept", "csrf": token.group(1), "next": "/"},
            headers={**ORIGIN, **headers},
        )
    store = open_store(log)
    try:
        labels = [record.jurisdiction for record in store.read(RecordQuery())]
    finally:
        store.close()
    assert labels == ["GB:opt-in+object", "DE:opt-in", "default:opt-in"]


def test_config_without_rules_keeps_one_law_for_everyone() -> None:
    config = Config.from_mapping(
        {"jurisdiction": "opt-out", "categories": {"n": {"title": "N", "required": True}}}
    )
    assert config.jurisdictions is None
