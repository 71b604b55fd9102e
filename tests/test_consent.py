"""The consent value and its signed cookie: round trips, rotation, and "no consent" cases."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cookiegate.config import Category, Config, Service
from cookiegate.consent import (
    Consent,
    ConsentCodec,
    consent_from_environ,
    request_cookie,
    request_cookies,
)
from cookiegate.exceptions import SecretKeyError

KEY = "k" * 32
OTHER = "o" * 32


def make_config(**overrides: object) -> Config:
    base = Config(
        categories=(
            Category(id="necessary", title="Necessary", required=True),
            Category(id="analytics", title="Analytics"),
            Category(id="marketing", title="Marketing", sale_or_share=True),
        ),
        services=(
            Service(id="ga", title="GA", category="analytics", hosts=("www.google-analytics.com",)),
            Service(
                id="pixel", title="Pixel", category="marketing", hosts=("connect.facebook.net",)
            ),
        ),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_round_trip_keeps_grants_and_id() -> None:
    config = make_config()
    codec = ConsentCodec(config, KEY)
    value = codec.dumps(
        Consent(config=config, decided=True, categories=frozenset({"analytics"}), id="abc")
    )
    consent = codec.loads(value)
    assert consent.decided and consent.id == "abc"
    assert consent.allows("analytics") and not consent.allows("marketing")
    assert consent.allows("necessary")
    assert consent.allows_service("ga") and not consent.allows_service("pixel")


def test_refusal_is_a_decision() -> None:
    config = make_config()
    codec = ConsentCodec(config, KEY)
    consent = codec.loads(codec.dumps(Consent(config=config, decided=True, id="x")))
    assert consent.decided and not consent.needs_banner
    assert consent.granted_categories() == ("necessary",)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage", id="garbage"),
        pytest.param("eyJ2IjoxfQ.AAAA.BBBB", id="bad-signature"),
        pytest.param("\u2603" * 10, id="non-ascii"),
    ],
)
def test_unreadable_cookie_is_no_consent(value: str) -> None:
    codec = ConsentCodec(make_config(), KEY)
    consent = codec.loads(value)
    assert not consent.decided and consent.needs_banner
    assert not consent.allows("analytics")


def test_tampered_cookie_is_no_consent() -> None:
    config = make_config()
    codec = ConsentCodec(config, KEY)
    value = codec.dumps(Consent(config=config, decided=True, id="x"))
    payload, rest = value.split(".", 1)
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest
    assert not codec.loads(tampered).decided


def test_cookie_expires_after_consent_days() -> None:
    clock = Clock()
    config = make_config(consent_days=10)
    codec = ConsentCodec(config, KEY, clock=clock)
    value = codec.dumps(Consent(config=config, decided=True, id="x"))
    clock.now += 10 * 86400 - 5
    assert codec.loads(value).decided
    clock.now += 10
    assert not codec.loads(value).decided


def test_older_revision_asks_again() -> None:
    config = make_config(revision=1)
    value = ConsentCodec(config, KEY).dumps(Consent(config=config, decided=True, id="x"))
    assert not ConsentCodec(make_config(revision=2), KEY).loads(value).decided


def test_key_rotation_first_signs_all_verify() -> None:
    config = make_config()
    old = ConsentCodec(config, OTHER).dumps(Consent(config=config, decided=True, id="old"))
    rotated = ConsentCodec(config, [KEY, OTHER])
    assert rotated.loads(old).id == "old"
    new = rotated.dumps(Consent(config=config, decided=True, id="new"))
    assert ConsentCodec(config, KEY).loads(new).id == "new"
    assert not ConsentCodec(config, OTHER).loads(new).decided


def test_unknown_key_is_no_consent() -> None:
    config = make_config()
    value = ConsentCodec(config, OTHER).dumps(Consent(config=config, decided=True, id="x"))
    assert not ConsentCodec(config, KEY).loads(value).decided


def test_names_removed_from_config_are_dropped() -> None:
    config = make_config()
    codec = ConsentCodec(config, KEY)
    value = codec.dumps(
        Consent(config=config, decided=True, categories=frozenset({"analytics", "gone"}), id="x")
    )
    assert codec.loads(value).categories == frozenset({"analytics"})


def test_cookie_stays_small() -> None:
    config = make_config()
    codec = ConsentCodec(config, KEY)
    cookie = codec.consent_cookie(["analytics", "marketing"], ["ga", "pixel"])
    assert len(cookie) < 400


def test_gpc_switches_off_sale_or_share_only() -> None:
    config = make_config()
    consent = Consent(
        config=config, decided=True, categories=frozenset({"analytics", "marketing"}), gpc=True
    )
    assert consent.allows("analytics")
    assert not consent.allows("marketing")
    assert not consent.allows_service("pixel")


def test_explicit_opt_in_overrides_gpc() -> None:
    config = make_config()
    consent = Consent(
        config=config,
        decided=True,
        categories=frozenset({"marketing"}),
        gpc=True,
        sale_opt_in=True,
    )
    assert consent.allows("marketing")


def test_individually_granted_service_is_still_off_under_gpc() -> None:
    config = make_config()
    consent = Consent(config=config, decided=True, services=frozenset({"pixel"}), gpc=True)
    assert not consent.allows_service("pixel")


def test_opt_out_jurisdiction_allows_until_objection() -> None:
    config = make_config(jurisdiction="opt-out")
    undecided = Consent(config=config)
    assert undecided.allows("analytics") and undecided.allows("marketing")
    assert undecided.needs_banner
    gpc = Consent(config=config, gpc=True)
    assert not gpc.allows("marketing") and gpc.allows("analytics")
    assert not gpc.needs_banner


def test_opt_in_undecided_allows_only_required() -> None:
    consent = Consent(config=make_config())
    assert consent.allows("necessary")
    assert not consent.allows("analytics")
    assert not consent.allows("unknown-category")
    assert not consent.allows_service("unknown-service")


def test_do_not_sell_blocks_sale_categories() -> None:
    config = make_config(jurisdiction="opt-out")
    consent = Consent(
        config=config, decided=True, categories=frozenset({"marketing"}), do_not_sell=True
    )
    assert not consent.allows("marketing")


def test_consent_from_environ_reads_cookie_and_gpc() -> None:
    config = make_config()
    codec = ConsentCodec(config, KEY)
    header = codec.consent_cookie(["analytics"]) + "; other=1"
    consent = consent_from_environ({"HTTP_COOKIE": header, "HTTP_SEC_GPC": "1"}, codec)
    assert consent.decided and consent.gpc and consent.allows("analytics")


def test_short_or_empty_keys_are_rejected() -> None:
    with pytest.raises(SecretKeyError, match="at least 16"):
        ConsentCodec(make_config(), "short")
    with pytest.raises(SecretKeyError, match="empty list"):
        ConsentCodec(make_config(), [])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    header=st.lists(
        st.one_of(
            st.sampled_from(["cookiegate_consent", " cookiegate_consent ", "other", "", " "]),
            st.text(alphabet=" =;abc\"\\é.", max_size=12),
        ),
        max_size=8,
    ).map(";".join)
    | st.text(max_size=40)
)
def test_fast_cookie_lookup_agrees_with_werkzeug(header: str) -> None:
    environ = {"HTTP_COOKIE": header.encode("utf-8", "replace").decode("latin-1")}
    expected = request_cookies(environ).get("cookiegate_consent")
    assert request_cookie(environ, "cookiegate_consent") == expected
