"""Asking again: category versions, re-consent about what changed, expiry, ``revision``.

A choice is kept ``consent_days`` and then asked again, with nothing of it applying in
between. Each category has a version derived from what it declares; a visitor who
granted a category that has changed since is asked about that category alone, while
the rest of their choice stands, and a visitor who refused it is not asked at all.
Bumping ``revision`` asks everyone about everything.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer
from werkzeug.test import Client, TestResponse

from cookiegate import CookieGate
from cookiegate.config import Config, CookieSpec, Service
from cookiegate.consent import REASK_GRACE_DAYS, Consent, ConsentCodec
from cookiegate.texts import BUILTIN, ENGLISH
from cookiegate.versions import VERSION_LENGTH, category_version, category_versions
from cookiegate.views import DECISION_SOURCES

from .conftest import CONFIG_DATA, KEY, PAGE, make_app

DAY = 86400
ORIGIN = {"Origin": "http://localhost"}
CONSENT_URL = "/_cookiegate/consent"
PREFS_URL = "/cookie-settings"


def base_config() -> Config:
    return Config.from_mapping(CONFIG_DATA, source="test.yaml")


def changed(config: Config, category: str, **fields: Any) -> Config:
    """``config`` with one category's fields replaced."""
    return replace(
        config,
        categories=tuple(
            replace(c, **fields) if c.id == category else c for c in config.categories
        ),
    )


def with_service(config: Config, service_id: str, **fields: Any) -> Config:
    return replace(
        config,
        services=tuple(replace(s, **fields) if s.id == service_id else s for s in config.services),
    )


def payload(value: str) -> dict[str, Any]:
    loaded = URLSafeTimedSerializer(KEY, salt="cookiegate.consent").loads(value)
    assert isinstance(loaded, dict)
    return loaded


def cookie_value(cookie: str) -> str:
    return cookie.split("=", 1)[1]


# -- versions ------------------------------------------------------------------------


def test_every_category_has_a_short_url_safe_version() -> None:
    versions = category_versions(base_config())
    assert set(versions) == {"necessary", "analytics", "marketing", "social"}
    for version in versions.values():
        assert re.fullmatch(r"[A-Za-z0-9_-]+", version) and len(version) == VERSION_LENGTH
    assert len(set(versions.values())) == 4


CHANGES: dict[str, Callable[[Config], Config]] = {
    "description": lambda c: changed(c, "analytics", description="Builds profiles."),
    "localized-description": lambda c: changed(
        c, "analytics", descriptions=(("de", "Erstellt Profile."),)
    ),
    "sale-or-share": lambda c: changed(c, "analytics", sale_or_share=True),
    "required": lambda c: changed(c, "analytics", required=True),
    "service-host": lambda c: with_service(
        c, "google-analytics", hosts=("www.googletagmanager.com", "*.doubleclick.net")
    ),
    "service-signature": lambda c: with_service(c, "google-analytics", inline=("gtag(",)),
    "service-provider": lambda c: with_service(c, "google-analytics", provider="Other Ltd"),
    "service-description": lambda c: with_service(
        c, "google-analytics", description="Also advertising."
    ),
    "cookie-duration": lambda c: with_service(
        c,
        "google-analytics",
        cookies=(CookieSpec(name="_ga", category="analytics", duration="13 months"),),
    ),
    "cookie-purpose": lambda c: replace(
        c,
        cookies=(
            *c.cookies,
            CookieSpec(name="_stats", category="analytics", purpose="Counts visits"),
        ),
    ),
    "new-service": lambda c: replace(
        c,
        services=(
            *c.services,
            Service(id="hotjar", title="Hotjar", category="analytics", hosts=("hotjar.com",)),
        ),
    ),
    "service-moved-in": lambda c: with_service(c, "meta-pixel", category="analytics"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_what_a_category_declares_changes_its_version_and_only_its(change: str) -> None:
    config = base_config()
    before, after = category_versions(config), category_versions(CHANGES[change](config))
    assert before["analytics"] != after["analytics"]
    moved = {"marketing"} if change == "service-moved-in" else set()
    for other in ("necessary", "social", *({"marketing"} - moved)):
        assert before[other] == after[other], other


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda c: changed(c, "analytics", title="Statistics"), id="title"),
        pytest.param(
            lambda c: changed(c, "analytics", titles=(("de", "Statistik"),)), id="localized-title"
        ),
        pytest.param(
            lambda c: replace(c, categories=tuple(reversed(c.categories))), id="category-order"
        ),
        pytest.param(
            lambda c: replace(c, services=tuple(reversed(c.services))), id="service-order"
        ),
        pytest.param(
            lambda c: with_service(
                c, "google-analytics", hosts=("*.google-analytics.com", "www.googletagmanager.com")
            ),
            id="host-order",
        ),
        pytest.param(
            lambda c: with_service(c, "google-analytics", privacy_policy="https://x.example/p"),
            id="policy-link",
        ),
        pytest.param(lambda c: with_service(c, "youtube", placeholder=False), id="placeholder"),
        pytest.param(lambda c: replace(c, revision=7, consent_days=30), id="site-settings"),
    ],
)
def test_presentation_changes_keep_every_version(edit: Any) -> None:
    config = base_config()
    assert category_versions(edit(config)) == category_versions(config)


def test_version_is_the_same_for_yaml_and_hand_built_config() -> None:
    config = base_config()
    category = config.category("marketing")
    assert category is not None
    assert category_version(config, category) == category_versions(config)["marketing"]


# -- the cookie ----------------------------------------------------------------------


def test_cookie_stores_the_versions_of_granted_categories_only() -> None:
    config = base_config()
    codec = ConsentCodec(config, KEY)
    data = payload(cookie_value(codec.consent_cookie(["marketing", "analytics"])))
    versions = category_versions(config)
    assert data["c"] == ["analytics", "marketing"]
    assert data["h"] == [versions["analytics"], versions["marketing"]]
    assert "x" not in data and data["v"] == 1
    refusal = payload(cookie_value(codec.consent_cookie([])))
    assert "h" not in refusal and "x" not in refusal


def test_cookie_with_versions_stays_small() -> None:
    config = base_config()
    cookie = ConsentCodec(config, KEY).consent_cookie(
        ["analytics", "marketing", "social"], ["youtube", "meta-pixel"]
    )
    assert len(cookie) < 400


def old_format_cookie(config: Config, categories: list[str]) -> str:
    """A cookie as cookiegate wrote it before versions existed (no ``h``)."""
    serializer = URLSafeTimedSerializer(KEY, salt="cookiegate.consent")
    value = serializer.dumps(
        {"v": 1, "r": config.revision, "c": sorted(categories), "s": [], "i": "old-id"}
    )
    return f"{config.cookie_name}={value}"


def test_a_cookie_without_versions_keeps_its_grants() -> None:
    # Upgrading cookiegate changes nothing a visitor was shown: nobody is asked again.
    config = base_config()
    old = old_format_cookie(config, ["analytics", "marketing"])
    consent = ConsentCodec(config, KEY).loads(cookie_value(old))
    assert consent.decided and consent.id == "old-id"
    assert consent.categories == {"analytics", "marketing"}
    assert consent.changed == frozenset() and consent.reask is None
    assert not consent.needs_banner


def test_a_cookie_with_broken_versions_is_no_consent() -> None:
    config = base_config()
    serializer = URLSafeTimedSerializer(KEY, salt="cookiegate.consent")
    for bad in ("abcdef", [1], ["a", "b"], {"analytics": "x"}):
        value = serializer.dumps({"v": 1, "r": 1, "c": ["analytics"], "s": [], "i": "x", "h": bad})
        assert not ConsentCodec(config, KEY).loads(value).decided, bad


# -- reading a choice after a category changed ----------------------------------------


def test_a_changed_category_is_no_longer_granted_and_only_it_is_asked() -> None:
    config = base_config()
    value = cookie_value(ConsentCodec(config, KEY).consent_cookie(["analytics", "marketing"]))
    new = changed(config, "analytics", description="Now also builds profiles.")
    consent = ConsentCodec(new, KEY).loads(value)
    assert consent.decided
    assert not consent.allows("analytics") and consent.allows("marketing")
    assert not consent.allows_service("google-analytics")
    assert consent.changed == {"analytics"}
    assert consent.pending_changes() == ("analytics",)
    assert consent.needs_banner and consent.reask == "reconsent"


def test_a_refused_category_that_changed_is_not_asked_again() -> None:
    config = base_config()
    value = cookie_value(ConsentCodec(config, KEY).consent_cookie(["marketing"]))
    consent = ConsentCodec(changed(config, "analytics", description="New."), KEY).loads(value)
    assert consent.decided and consent.changed == frozenset()
    assert not consent.needs_banner and consent.reask is None
    assert consent.allows("marketing") and not consent.allows("analytics")


def test_a_changed_sale_or_share_category_is_not_asked_under_gpc() -> None:
    config = base_config()
    value = cookie_value(ConsentCodec(config, KEY).consent_cookie(["analytics", "marketing"]))
    new = changed(config, "marketing", description="New partners.")
    with_gpc = ConsentCodec(new, KEY).loads(value, gpc=True)
    assert with_gpc.changed == {"marketing"} and with_gpc.pending_changes() == ()
    assert not with_gpc.needs_banner and with_gpc.reask is None
    assert ConsentCodec(new, KEY).loads(value).needs_banner


def test_bumping_revision_asks_everyone_about_everything() -> None:
    config = base_config()
    codec = ConsentCodec(config, KEY)
    accepted = cookie_value(codec.consent_cookie(["analytics"]))
    refused = cookie_value(codec.consent_cookie([]))
    placeholder_only = codec.dumps(Consent(config=config, services=frozenset({"youtube"}), id="p"))
    bumped = ConsentCodec(replace(config, revision=2), KEY)
    for value in (accepted, refused):
        consent = bumped.loads(value)
        assert not consent.decided and consent.needs_banner
        assert consent.reask == "reconsent" and consent.id is None
        assert not consent.allows("analytics")
    # A visitor who had only loaded a video was never asked: not a re-ask.
    assert bumped.loads(placeholder_only).reask is None


# -- expiry --------------------------------------------------------------------------


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_choice_expires_after_consent_days_and_is_asked_again() -> None:
    clock = Clock()
    config = replace(base_config(), consent_days=10)
    codec = ConsentCodec(config, KEY, clock=clock)
    value = cookie_value(codec.consent_cookie(["analytics"]))
    clock.now += 10 * DAY - 1
    assert codec.loads(value).allows("analytics")
    clock.now += 2
    expired = codec.loads(value)
    # Privacy-safe: nothing of an expired choice applies until the visitor answers.
    assert not expired.decided and not expired.allows("analytics")
    assert expired.needs_banner and expired.reask == "expiry" and expired.id is None
    # After the grace period the browser has dropped the cookie; a stale copy is noise.
    clock.now += REASK_GRACE_DAYS * DAY
    assert codec.loads(value).reask is None


def test_the_cookie_outlives_the_choice_by_the_grace_period() -> None:
    codec = ConsentCodec(replace(base_config(), consent_days=10), KEY)
    assert codec.max_age == 10 * DAY
    assert codec.cookie_max_age == (10 + REASK_GRACE_DAYS) * DAY


# -- end to end: the banner, the answer, the log ---------------------------------------


class Visitor:
    """A visitor of a gated site; records every decision with its source."""

    def __init__(self, config: Config, cookie: str | None = None, **headers: str) -> None:
        self.decisions: list[tuple[Consent, str]] = []
        self.gate = CookieGate(
            # No <html lang>, so the banner's language follows Accept-Language.
            make_app(PAGE.replace(b"<html lang=en>", b"<html>")),
            config,
            secret_key=KEY,
            on_decision=lambda consent, source, environ: self.decisions.append((consent, source)),
        )
        self.client = Client(self.gate)
        self.headers = headers
        if cookie is not None:
            self.client.set_cookie(*cookie.split("=", 1))

    def page(self) -> str:
        return self.client.get("/", headers=self.headers).get_data(as_text=True)

    def form(self) -> dict[str, list[str]]:
        """The banner's hidden fields."""
        html = self.page()
        fields: dict[str, list[str]] = {}
        for name, value in re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', html):
            fields.setdefault(name, []).append(value)
        return fields

    def post(self, url: str, **data: Any) -> TestResponse:
        data.setdefault("csrf", self.gate.views.csrf.issue())
        return self.client.post(url, data=data, headers={**ORIGIN, **self.headers})

    def stored(self) -> Consent:
        cookie = self.client.get_cookie(self.gate.config.cookie_name)
        assert cookie is not None
        return self.gate.codec.loads(cookie.value)


def reconsent_visitor(**headers: str) -> tuple[Visitor, Consent]:
    """A visitor who granted analytics and marketing before analytics changed."""
    config = base_config()
    before = ConsentCodec(config, KEY)
    granted = Consent(
        config=config, decided=True, categories=frozenset({"analytics", "marketing"}), id="v1"
    )
    cookie = f"{config.cookie_name}={before.dumps(granted)}"
    new = changed(config, "analytics", description="Measures visits and builds profiles.")
    visitor = Visitor(new, cookie, **headers)
    return visitor, granted


def test_the_reconsent_banner_names_the_changed_category_and_asks_about_it_alone() -> None:
    visitor, _ = reconsent_visitor()
    html = visitor.page()
    banner = html[html.index('<section id="cookiegate-banner"') : html.index("</section>")]
    assert ENGLISH["reconsent_title"] in banner and ENGLISH["reconsent_text"] in banner
    assert re.search(
        r"<strong[^>]*>Analytics</strong> Measures visits and builds profiles.", banner
    )
    assert "Marketing" not in banner and "Social media" not in banner
    assert ENGLISH["accept_all"] not in banner and ENGLISH["reject_all"] not in banner
    buttons = re.findall(
        r'<button class="cg-button" type="submit" name="action" value="(\w+)"', banner
    )
    assert buttons == ["accept_changed", "reject_changed", "settings"]  # same element, same class
    assert visitor.form()["category"] == ["analytics"]
    assert visitor.form()["reask"] == ["reconsent"]
    # The gate follows the lapsed grant: GA's tags are gone, the pixel's (marketing) stay.
    assert "googletagmanager" not in html and "facebook.com/tr" in html


def test_accepting_the_change_grants_it_again_and_keeps_the_rest() -> None:
    visitor, before = reconsent_visitor()
    response = visitor.post(CONSENT_URL, action="accept_changed", category="analytics", next="/a")
    assert response.status_code == 303 and response.headers["Location"] == "/a"
    after = visitor.stored()
    assert after.categories == {"analytics", "marketing"} and after.changed == frozenset()
    assert after.id == before.id
    assert [source for _, source in visitor.decisions] == ["reconsent"]
    assert "cookiegate-banner" not in visitor.page()


def test_refusing_the_change_keeps_the_rest_and_stops_asking() -> None:
    visitor, before = reconsent_visitor()
    visitor.post(CONSENT_URL, action="reject_changed", category="analytics")
    after = visitor.stored()
    assert after.categories == {"marketing"} and after.changed == frozenset()
    assert after.decided and after.id == before.id
    assert visitor.decisions[-1][1] == "reconsent"
    assert "cookiegate-banner" not in visitor.page()


def test_accepting_the_change_grants_nothing_it_did_not_show() -> None:
    visitor, _ = reconsent_visitor()
    visitor.post(CONSENT_URL, action="accept_changed", category=["analytics", "social"])
    assert visitor.stored().categories == {"analytics", "marketing"}  # not social


def test_accepting_a_change_nobody_asked_about_stores_nothing() -> None:
    visitor = Visitor(base_config())
    response = visitor.post(CONSENT_URL, action="accept_changed", category="analytics")
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers and visitor.decisions == []
    # A second click on the same re-consent banner has nothing left to answer either.
    asked, _ = reconsent_visitor()
    asked.post(CONSENT_URL, action="accept_changed", category="analytics")
    again = asked.post(CONSENT_URL, action="reject_changed", category="analytics")
    assert again.status_code == 303 and "Set-Cookie" not in again.headers
    assert [source for _, source in asked.decisions] == ["reconsent"]
    assert asked.stored().allows("analytics")


def test_reconsent_actions_are_for_the_banner_only() -> None:
    visitor, _ = reconsent_visitor()
    response = visitor.post(PREFS_URL, action="accept_changed", category="analytics")
    assert response.status_code == 400


def test_loading_a_placeholder_keeps_the_question_open() -> None:
    visitor, _ = reconsent_visitor()
    visitor.post(CONSENT_URL, action="allow_service", service="youtube")
    after = visitor.stored()
    assert after.changed == {"analytics"} and not after.allows("analytics")
    assert after.allows_service("youtube") and after.allows("marketing")
    assert visitor.decisions[-1][1] == "placeholder"
    assert "accept_changed" in visitor.page()


def test_the_preferences_page_marks_the_changed_category_and_saving_answers_it() -> None:
    visitor, _ = reconsent_visitor()
    html = visitor.client.get(PREFS_URL).get_data(as_text=True)
    analytics = html[html.index('id="cg-category-analytics"') :]
    analytics = analytics[: analytics.index("</fieldset>")]
    assert ENGLISH["category_changed"] in analytics
    assert " checked" not in analytics
    assert html.count(ENGLISH["category_changed"]) == 1
    visitor.post(PREFS_URL, action="save", category=["analytics", "marketing"])
    assert visitor.stored().categories == {"analytics", "marketing"}
    assert visitor.decisions[-1][1] == "reconsent"


def test_reconsent_under_gpc_does_not_offer_sale_or_share() -> None:
    config = base_config()
    cookie = ConsentCodec(config, KEY).consent_cookie(["analytics", "marketing"])
    new = changed(changed(config, "analytics", description="New."), "marketing", description="New.")
    visitor = Visitor(new, cookie, **{"Sec-GPC": "1"})
    assert visitor.form()["category"] == ["analytics"]
    visitor.post(CONSENT_URL, action="accept_changed", category=["analytics", "marketing"])
    after = visitor.stored()
    assert after.categories == {"analytics"} and after.changed == {"marketing"}


def test_bumped_revision_shows_the_full_banner_and_logs_reconsent() -> None:
    config = base_config()
    cookie = ConsentCodec(config, KEY).consent_cookie(["analytics"])
    visitor = Visitor(replace(config, revision=2), cookie)
    assert ENGLISH["accept_all"] in visitor.page()
    assert visitor.form()["reask"] == ["reconsent"]
    visitor.post(CONSENT_URL, action="reject")
    assert visitor.decisions[-1][1] == "reconsent"


def expired_cookie(config: Config, days_ago: float) -> str:
    past = ConsentCodec(config, KEY, clock=lambda: time.time() - days_ago * DAY)
    return past.consent_cookie(["analytics", "marketing", "social"])


def test_an_expired_choice_shows_the_banner_and_stops_applying() -> None:
    config = base_config()
    fresh = Visitor(config, expired_cookie(config, 181))
    assert fresh.page().find("googletagmanager") > 0
    visitor = Visitor(config, expired_cookie(config, 183))
    html = visitor.page()
    assert "cookiegate-banner" in html and ENGLISH["accept_all"] in html
    assert "googletagmanager" not in html and "youtube.com/embed" not in html
    assert visitor.form()["reask"] == ["expiry"]


@pytest.mark.parametrize(
    ("url", "action"),
    [(CONSENT_URL, "accept"), (CONSENT_URL, "reject"), (PREFS_URL, "save")],
)
def test_the_answer_to_an_expiry_re_ask_is_logged_as_expiry(url: str, action: str) -> None:
    config = base_config()
    visitor = Visitor(config, expired_cookie(config, 183))
    old_id = payload(visitor.client.get_cookie(config.cookie_name).value)["i"]  # type: ignore[union-attr]
    response = visitor.post(url, action=action)
    assert response.status_code == 303
    consent, source = visitor.decisions[-1]
    assert source == "expiry" and consent.decided
    assert consent.id != old_id  # a new choice, a new consent id
    assert "cookiegate-banner" not in visitor.page()


def test_the_hidden_field_labels_the_answer_when_the_cookie_is_gone() -> None:
    visitor = Visitor(base_config())
    visitor.post(CONSENT_URL, action="accept", reask="expiry")
    assert visitor.decisions[-1][1] == "expiry"
    visitor.post(CONSENT_URL, action="accept", reask="whatever")
    assert visitor.decisions[-1][1] == "banner"


def test_a_cookie_older_than_the_grace_period_is_a_first_visit() -> None:
    config = base_config()
    visitor = Visitor(config, expired_cookie(config, 182 + REASK_GRACE_DAYS + 1))
    assert "reask" not in visitor.form()
    visitor.post(CONSENT_URL, action="accept")
    assert visitor.decisions[-1][1] == "banner"


def test_withdrawal_and_placeholders_keep_their_own_source_when_re_asked() -> None:
    visitor, _ = reconsent_visitor()
    visitor.post(PREFS_URL, action="withdraw")
    assert visitor.decisions[-1][1] == "withdrawal"


def test_every_source_is_documented() -> None:
    documented = (Path(__file__).parents[1] / "docs" / "consent.md").read_text("utf-8")
    for source in DECISION_SOURCES:
        assert f"`{source}`" in documented, source
    assert sorted(DECISION_SOURCES) == [
        "banner",
        "expiry",
        "placeholder",
        "preferences",
        "reconsent",
        "withdrawal",
    ]


def test_etag_variant_tells_the_reconsent_banner_apart() -> None:
    from cookiegate.etags import consent_variant

    config = base_config()
    undecided = Consent(config=config)
    asked = Consent(
        config=config, decided=True, changed=frozenset({"analytics"}), reask="reconsent"
    )
    expired = Consent(config=config, reask="expiry")
    assert len({consent_variant(c) for c in (undecided, asked, expired)}) == 3


# -- texts ---------------------------------------------------------------------------

RECONSENT_KEYS = (
    "reconsent_title",
    "reconsent_text",
    "reconsent_accept",
    "reconsent_reject",
    "category_changed",
)


@pytest.mark.parametrize("lang", sorted(BUILTIN))
def test_reconsent_buttons_carry_equal_weight(lang: str) -> None:
    accept, reject = BUILTIN[lang]["reconsent_accept"], BUILTIN[lang]["reconsent_reject"]
    assert accept != reject
    assert max(len(accept), len(reject)) <= 1.5 * min(len(accept), len(reject))
    assert abs(len(accept.split()) - len(reject.split())) <= 1


@pytest.mark.parametrize("lang", sorted(set(BUILTIN) - {"en"}))
def test_reconsent_banner_renders_in_every_language(lang: str) -> None:
    visitor, _ = reconsent_visitor(**{"Accept-Language": lang})
    html = visitor.page().replace("&#39;", "'")
    texts = BUILTIN[lang]
    for key in RECONSENT_KEYS[:4]:
        assert texts[key] in html, key
        assert texts[key] != ENGLISH[key], key
    prefs = visitor.client.get(PREFS_URL, headers={"Accept-Language": lang}).get_data(as_text=True)
    assert texts["category_changed"] in prefs.replace("&#39;", "'")
