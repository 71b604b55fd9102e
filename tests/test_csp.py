"""cookiegate's Content-Security-Policy: built from consent, only ever narrowing."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from werkzeug.test import Client, TestResponse

from cookiegate import CookieGate
from cookiegate.config import Config
from cookiegate.consent import Consent
from cookiegate.consent_mode import SCRIPT_HASHES
from cookiegate.csp import AppPolicies, PolicyBuilder, host_source, host_sources, parse_policies
from cookiegate.exceptions import ConfigError

from .conftest import CONFIG_DATA, KEY, make_app

ENFORCE = "Content-Security-Policy"
REPORT = "Content-Security-Policy-Report-Only"
SERVICES = {
    **CONFIG_DATA["services"],  # type: ignore[dict-item]
    "status-widget": {"category": "necessary", "hosts": ["status.example.net"]},
}


def config(**extra: Any) -> Config:
    return Config.from_mapping({**CONFIG_DATA, "services": SERVICES, **extra}, source="t.yaml")


def directives(value: str) -> dict[str, list[str]]:
    """One policy's directives, parsed the way a browser reads them."""
    (policy,) = parse_policies(value)
    return {name: list(sources) for name, sources in policy.items()}


def policy_for(cfg: Config, consent: Consent, app: AppPolicies | None = None, **kw: Any) -> dict:
    name, value = PolicyBuilder(cfg).header(consent, "v", app or AppPolicies(), **kw)
    assert name in (ENFORCE, REPORT)
    return directives(value)


CFG = config(csp="enforce")
UNDECIDED = Consent(config=CFG)
ANALYTICS = Consent(config=CFG, decided=True, categories=frozenset({"analytics"}))
EVERYTHING = Consent(
    config=CFG, decided=True, categories=frozenset({"analytics", "marketing", "social"})
)


# -- parsing the application's policies --------------------------------------------------


def test_parse_policies_splits_lists_and_keeps_the_first_of_a_directive() -> None:
    policies = parse_policies(
        "Script-Src 'self' 'nonce-a'; script-src https:; img-src *, default-src 'none'"
    )
    assert policies == [
        {"script-src": ("'self'", "'nonce-a'"), "img-src": ("*",)},
        {"default-src": ("'none'",)},
    ]
    assert parse_policies(" ; ,") == []


@pytest.mark.parametrize(
    ("header", "elem", "attr"),
    [
        pytest.param(None, ["'unsafe-inline'"], ["'unsafe-inline'"], id="no-policy"),
        pytest.param("img-src 'self'", ["'unsafe-inline'"], ["'unsafe-inline'"], id="no-scripts"),
        pytest.param(
            "script-src 'self' 'unsafe-inline'",
            ["'unsafe-inline'"],
            ["'unsafe-inline'"],
            id="unsafe-inline",
        ),
        pytest.param(
            "script-src 'nonce-abc' 'strict-dynamic' 'unsafe-inline' https:",
            ["'unsafe-inline'", "'nonce-abc'"],
            ["'unsafe-inline'", "'nonce-abc'"],
            id="nonce-strict-dynamic",
        ),
        pytest.param(
            "default-src 'self' 'sha256-AAAA' 'unsafe-hashes'",
            ["'unsafe-inline'", "'sha256-AAAA'", "'unsafe-hashes'"],
            ["'unsafe-inline'", "'sha256-AAAA'", "'unsafe-hashes'"],
            id="default-src-hash",
        ),
        pytest.param(
            "script-src 'nonce-abc'; script-src-attr 'unsafe-inline'",
            ["'unsafe-inline'", "'nonce-abc'"],
            ["'unsafe-inline'"],
            id="attributes-differ",
        ),
        pytest.param(
            "script-src 'unsafe-inline' 'strict-dynamic'",
            ["'unsafe-inline'"],
            ["'unsafe-inline'"],
            id="strict-dynamic-blocks-inline",
        ),
    ],
)
def test_inline_sources_mirror_what_the_app_enforces(
    header: str | None, elem: list[str], attr: list[str]
) -> None:
    app = AppPolicies.from_headers([(ENFORCE, header)] if header else [])
    assert list(app.inline_sources("script-elem")) == elem
    assert list(app.inline_sources("script-attr")) == attr


def test_report_only_policies_do_not_restrict_but_give_their_nonce() -> None:
    app = AppPolicies.from_headers([(REPORT, "script-src 'nonce-r3p0rt'")])
    assert app.inline_sources("script-elem") == ("'unsafe-inline'",)
    assert app.script_nonce == "r3p0rt"
    both = AppPolicies.from_headers(
        [(REPORT, "script-src 'nonce-r3p0rt'"), (ENFORCE, "script-src 'nonce-3nf0rc3d'")]
    )
    assert both.script_nonce == "3nf0rc3d", "the enforced policy's nonce comes first"


def test_malformed_nonces_are_ignored() -> None:
    app = AppPolicies.from_headers([(ENFORCE, "script-src 'nonce-a\"b' 'nonce-' nonce-x")])
    assert app.script_nonce is None
    assert app.inline_sources("script-elem") == ("'unsafe-inline'",)


@pytest.mark.parametrize(
    ("headers", "nonce", "runs"),
    [
        pytest.param([], None, True, id="no-policy"),
        pytest.param([(ENFORCE, "script-src 'unsafe-inline'")], None, True, id="unsafe-inline"),
        pytest.param([(ENFORCE, "script-src 'nonce-n1'")], "n1", True, id="nonce"),
        pytest.param([(ENFORCE, "script-src 'nonce-n1'")], "n2", False, id="other-nonce"),
        pytest.param([(ENFORCE, "script-src 'self'")], None, False, id="self-only"),
        pytest.param([(REPORT, "script-src 'self'")], None, True, id="report-only"),
        pytest.param(
            [(ENFORCE, f"script-src 'self' {SCRIPT_HASHES['sha256']}")], None, True, id="hash"
        ),
        pytest.param(
            [(ENFORCE, "script-src 'SHA384-" + SCRIPT_HASHES["sha384"].split("-", 1)[1])],
            None,
            True,
            id="hash-algorithm-case",
        ),
        pytest.param(
            [(ENFORCE, "script-src 'nonce-n1'"), (ENFORCE, "default-src 'self'")],
            "n1",
            False,
            id="second-policy-blocks",
        ),
    ],
)
def test_allows_inline_script(
    headers: list[tuple[str, str]], nonce: str | None, runs: bool
) -> None:
    app = AppPolicies.from_headers(headers)
    assert app.allows_inline_script(nonce=nonce, hashes=SCRIPT_HASHES.values()) is runs


# -- building cookiegate's policy ------------------------------------------------------


def test_host_sources_translate_patterns() -> None:
    assert host_source("*.google-analytics.com") == "*.google-analytics.com"
    assert host_source("xn--bcher-kva.example") == "xn--bcher-kva.example"
    for bad in ("https://x.example", "x.example/path", "*", "a b", "x.example;", "*.a.*.b"):
        assert host_source(bad) is None, bad


def test_policy_lists_self_first_party_necessary_and_granted_hosts_only() -> None:
    policy = policy_for(CFG, ANALYTICS)
    sources = policy["default-src"]
    assert sources[:2] == ["'self'", "static.shop.example"]
    assert {"www.googletagmanager.com", "*.google-analytics.com"} <= set(sources)
    assert "status.example.net" in sources, "a service of the required category is allowed"
    for refused in ("connect.facebook.net", "www.facebook.com", "www.youtube.com"):
        for name in ("default-src", "script-src", "style-src", "connect-src"):
            assert refused not in policy[name], (refused, name)
    assert "wss://www.googletagmanager.com" in policy["connect-src"]
    # img, font and frame loads fall back to default-src: the same sources, once.
    assert not {"img-src", "font-src", "frame-src"} & set(policy)


def test_policy_never_restricts_more_than_hosts() -> None:
    policy = policy_for(CFG, UNDECIDED)
    assert policy["default-src"] == ["'self'", "static.shop.example", "status.example.net",
                                     "data:", "blob:"]  # fmt: skip
    assert policy["script-src"][-2:] == ["'unsafe-inline'", "'unsafe-eval'"]
    assert policy["style-src"][-1] == "'unsafe-inline'"
    assert not any(s.startswith(("'nonce-", "'sha")) for s in policy["script-src"]), (
        "a nonce or hash would switch 'unsafe-inline' off and block the app's inline code"
    )


def test_gpc_removes_sale_or_share_services_from_the_policy() -> None:
    with_gpc = Consent(config=CFG, decided=True, categories=EVERYTHING.categories, gpc=True)
    assert "connect.facebook.net" in policy_for(CFG, EVERYTHING)["script-src"]
    assert "connect.facebook.net" not in policy_for(CFG, with_gpc)["script-src"]
    assert "www.googletagmanager.com" in policy_for(CFG, with_gpc)["script-src"]


def test_a_placeholder_grant_adds_that_service_only() -> None:
    youtube = Consent(config=CFG, services=frozenset({"youtube"}))
    policy = policy_for(CFG, youtube)
    assert "www.youtube.com" in policy["default-src"]
    assert "connect.facebook.net" not in policy["default-src"]


def test_app_nonces_and_hashes_are_copied_but_not_strict_dynamic() -> None:
    app = AppPolicies.from_headers(
        [(ENFORCE, "script-src 'nonce-XyZ+/=' 'strict-dynamic' https:; style-src 'sha256-s'")]
    )
    policy = policy_for(CFG, ANALYTICS, app)
    assert "'nonce-XyZ+/='" in policy["script-src"]
    assert "'strict-dynamic'" not in policy["script-src"]
    assert "https:" not in policy["script-src"], "the app's host and scheme sources are not ours"
    assert "'sha256-s'" in policy["style-src"]
    assert "script-src-attr" not in policy


def test_attribute_directives_are_added_when_the_app_treats_them_apart() -> None:
    app = AppPolicies.from_headers(
        [(ENFORCE, "script-src 'nonce-n'; script-src-attr 'unsafe-inline'")]
    )
    policy = policy_for(CFG, ANALYTICS, app)
    assert policy["script-src-attr"] == ["'unsafe-inline'"]


def test_consent_mode_hash_only_where_unsafe_inline_is_moot() -> None:
    digest = SCRIPT_HASHES["sha256"]
    assert digest not in policy_for(CFG, ANALYTICS, consent_mode=True)["script-src"]
    nonced = AppPolicies.from_headers([(ENFORCE, "script-src 'nonce-n'")])
    assert digest in policy_for(CFG, ANALYTICS, nonced, consent_mode=True)["script-src"]
    assert digest not in policy_for(CFG, ANALYTICS, nonced)["script-src"]


def test_report_only_mode_and_report_uri() -> None:
    cfg = config(csp={"mode": "report-only", "report_uri": "/csp-reports"})
    name, value = PolicyBuilder(cfg).header(UNDECIDED, "v", AppPolicies())
    assert name == REPORT
    assert directives(value)["report-uri"] == ["/csp-reports"]


def test_host_part_is_built_once_per_consent_variant(monkeypatch: pytest.MonkeyPatch) -> None:
    import cookiegate.csp as csp

    calls: list[Consent] = []
    real = csp.host_sources

    def counting(cfg: Config, consent: Consent, *, early: bool) -> tuple[str, ...]:
        calls.append(consent)
        return real(cfg, consent, early=early)

    monkeypatch.setattr(csp, "host_sources", counting)
    builder = PolicyBuilder(CFG)
    for nonce in ("a1", "b2", "c3"):
        app = AppPolicies.from_headers([(ENFORCE, f"script-src 'nonce-{nonce}'")])
        _, value = builder.header(ANALYTICS, "variant-1", app)
        assert f"'nonce-{nonce}'" in value, "nonces are added per response"
    builder.header(EVERYTHING, "variant-2", AppPolicies())
    assert len(calls) == 2


def test_early_services_are_listed_only_when_early() -> None:
    cfg = config(
        csp="enforce",
        google_consent_mode={"load_before_consent": ["google-analytics"]},
    )
    consent = Consent(config=cfg)
    assert "www.googletagmanager.com" not in host_sources(cfg, consent, early=False)
    assert "www.googletagmanager.com" in host_sources(cfg, consent, early=True)


# -- configuration --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, r"csp: true is ambiguous; use 'enforce'"),
        ("enforced", r"csp: 'enforced' is not allowed; .*\(did you mean 'enforce'\?\)"),
        ({"mode": "enforce", "report": "/x"}, r"csp.report: unknown key 'report'"),
        ({"mode": "enforce", "report_uri": "/a;b"}, r"csp.report_uri: '/a;b' contains ';'"),
        ({"mode": "enforce", "report_uri": "ftp://x"}, r"csp.report_uri: 'ftp://x' is not"),
    ],
)
def test_config_errors(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config(csp=value)


def test_enforce_needs_undeclared_hosts_blocked() -> None:
    with pytest.raises(ConfigError, match=r"csp: 'enforce' blocks every host nothing declares"):
        config(csp="enforce", undeclared_third_party="allow")
    assert config(csp="report-only", undeclared_third_party="allow").csp.mode == "report-only"


def test_yaml_off_is_off(tmp_path: Any) -> None:
    from cookiegate.config import load_config

    path = tmp_path / "cookies.yaml"
    path.write_text("csp: off\n", encoding="utf-8")
    assert load_config(path).csp.mode == "off"
    path.write_text("undeclared_third_party: allow\ncsp: enforce\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cookies.yaml:2: csp: 'enforce' blocks"):
        load_config(path)


# -- through the middleware ---------------------------------------------------------------


def client(cfg: Config, *, categories: tuple[str, ...] = (), **app: Any) -> Client:
    gate = CookieGate(make_app(**app), cfg, secret_key=KEY)
    c = Client(gate)
    if categories:
        c.set_cookie(*gate.consent_cookie(categories=categories).split("=", 1))
    return c


def policies(response: TestResponse, name: str = ENFORCE) -> list[str]:
    return response.headers.getlist(name)


def test_html_pages_get_the_policy_next_to_the_apps_own() -> None:
    app_policy = "script-src 'nonce-p4g3' 'strict-dynamic'; object-src 'none'"
    response = client(CFG, categories=("analytics",), headers=[(ENFORCE, app_policy)]).get("/")
    first, ours = policies(response)
    assert first == app_policy, "the app's policy is passed on untouched"
    sources = directives(ours)
    assert "www.googletagmanager.com" in sources["script-src"]
    assert "connect.facebook.net" not in sources["script-src"]
    assert "'nonce-p4g3'" in sources["script-src"]


def test_each_response_gets_its_own_nonce() -> None:
    nonces = iter(["first1", "second2"])

    def app(environ: Any, start_response: Any) -> list[bytes]:
        start_response(
            "200 OK",
            [("Content-Type", "text/html"), (ENFORCE, f"script-src 'nonce-{next(nonces)}'")],
        )
        return [b"<p>hi"]

    c = Client(CookieGate(app, CFG, secret_key=KEY))
    assert "'nonce-first1'" in policies(c.get("/"))[1]
    second = policies(c.get("/"))[1]
    assert "'nonce-second2'" in second and "first1" not in second


@pytest.mark.parametrize(
    ("status", "content_type", "headers"),
    [
        pytest.param("200 OK", "application/json", [], id="json"),
        pytest.param("304 Not Modified", "text/html", [], id="304"),
        pytest.param("204 No Content", "text/html", [], id="204"),
        pytest.param(
            "206 Partial Content", "text/html", [("Content-Range", "bytes 0-9/99")], id="206"
        ),
    ],
)
def test_no_policy_where_nothing_is_gated(
    status: str, content_type: str, headers: list[tuple[str, str]]
) -> None:
    response = client(CFG, status=status, content_type=content_type, headers=headers).get("/")
    assert not policies(response)


def test_off_by_default() -> None:
    assert not policies(client(config()).get("/"))


def test_head_gets_the_same_policy_as_get() -> None:
    c = client(CFG, categories=("analytics",))
    assert policies(c.head("/")) == policies(c.get("/"))
    assert policies(c.get("/"))


def test_report_only_mode_through_the_middleware() -> None:
    response = client(config(csp="report-only")).get("/")
    assert not policies(response)
    (value,) = policies(response, REPORT)
    assert "connect.facebook.net" not in value


def test_undecodable_html_still_gets_the_policy(caplog: pytest.LogCaptureFixture) -> None:
    """The gate cannot read brotli; the policy is then the only protection left."""
    body = gzip.compress(b"<p>x")  # stands in for bytes cookiegate cannot decode
    response = client(CFG, body=body, headers=[("Content-Encoding", "br")]).get("/")
    assert response.get_data() == body
    assert "UNFILTERED" in caplog.text
    assert policies(response)
