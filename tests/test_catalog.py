"""The built-in service catalogue: every preset well-formed, no host claimed twice."""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

import pytest

from cookiegate.catalog import (
    DEFAULT_CATEGORY_IDS,
    PRESETS,
    Preset,
    get_preset,
    host_matches,
    patterns_overlap,
    recognise,
)
from cookiegate.config import DEFAULT_CATEGORIES, Config, CookieSpec, parse_host_pattern

REQUIRED = [
    "google-analytics",
    "google-tag-manager",
    "google-ads",
    "doubleclick",
    "google-fonts",
    "youtube",
    "vimeo",
    "google-maps",
    "meta-pixel",
    "facebook-sdk",
    "linkedin-insight",
    "tiktok-pixel",
    "x-twitter",
    "pinterest",
    "snap-pixel",
    "reddit-pixel",
    "microsoft-clarity",
    "microsoft-uet",
    "hotjar",
    "hubspot",
    "intercom",
    "segment",
    "mixpanel",
    "amplitude",
    "heap",
    "fullstory",
    "matomo-cloud",
    "plausible",
    "spotify",
    "soundcloud",
    "disqus",
    "criteo",
    "taboola",
    "outbrain",
    "adobe-analytics",
    "yandex-metrica",
    "chartbeat",
    "comscore",
    "quantcast",
    "new-relic",
    "amazon-ads",
    "tradedesk",
    "pubmatic",
    "rubicon",
    "openx",
    "appnexus",
    "sharethis",
    "addthis",
    "instagram-embed",
    "tiktok-embed",
    "twitch",
    "typekit",
    "cloudflare-insights",
    "stripe",
    "recaptcha",
    "sentry",
    "bing-maps",
    "klaviyo",
]

ALL = sorted(PRESETS.values(), key=lambda p: p.id)


def test_required_presets_present() -> None:
    assert sorted(set(REQUIRED) - set(PRESETS)) == []
    assert len(PRESETS) >= 60


def test_ids_are_keys_and_unique() -> None:
    assert all(key == preset.id for key, preset in PRESETS.items())
    titles = [p.title for p in ALL]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("preset", ALL, ids=lambda p: p.id)
def test_preset_is_well_formed(preset: Preset) -> None:
    assert preset.title and preset.provider and preset.description
    assert preset.category in DEFAULT_CATEGORY_IDS and preset.category != "necessary"
    policy = urlsplit(preset.privacy_policy)
    assert policy.scheme == "https" and policy.hostname
    assert preset.hosts or preset.inline
    assert all(parse_host_pattern(host) == host for host in preset.hosts)
    assert len(set(preset.hosts)) == len(preset.hosts)
    assert all(sig.strip() == sig and sig for sig in preset.inline)
    names = [c.name for c in preset.cookies]
    assert len(set(names)) == len(names)
    assert all(c.duration and c.purpose and c.name.strip("*") for c in preset.cookies)


@pytest.mark.parametrize("preset", ALL, ids=lambda p: p.id)
def test_preset_loads_as_a_service(preset: Preset) -> None:
    config = Config.from_mapping({"services": {"svc": {"preset": preset.id}}})
    service = config.service("svc")
    assert service is not None and service.category == preset.category


def test_default_category_ids_match_config_defaults() -> None:
    assert tuple(c.id for c in DEFAULT_CATEGORIES) == DEFAULT_CATEGORY_IDS


def test_no_host_pattern_overlaps_between_presets() -> None:
    claims = [(pattern, p.id) for p in ALL for pattern in p.hosts]
    clashes = [
        (a, owner_a, b, owner_b)
        for (a, owner_a), (b, owner_b) in itertools.combinations(claims, 2)
        if owner_a != owner_b and patterns_overlap(a, b)
    ]
    assert clashes == []


def test_no_cookie_declared_by_two_presets() -> None:
    specs = [(CookieSpec(name=c.name, category="x"), p.id) for p in ALL for c in p.cookies]
    clashes = [
        (a.name, owner_a, b.name, owner_b)
        for (a, owner_a), (b, owner_b) in itertools.combinations(specs, 2)
        if owner_a != owner_b and a.overlaps(b)
    ]
    assert clashes == []


def test_every_preset_loads_together() -> None:
    services = {preset.id: {"preset": preset.id} for preset in ALL}
    config = Config.from_mapping({"services": services})
    assert len(config.services) == len(ALL)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.youtube.com", "youtube"),
        ("youtube.com", "youtube"),
        ("i.ytimg.com", "youtube"),
        ("WWW.YouTube.COM.", "youtube"),
        ("region1.google-analytics.com", "google-analytics"),
        ("a.b.c.doubleclick.net", "doubleclick"),
        ("www.googletagmanager.com", "google-tag-manager"),
        ("connect.facebook.net", "meta-pixel"),
        ("www.facebook.com", "facebook-sdk"),
        ("static.hotjar.com", "hotjar"),
        ("plausible.io", "plausible"),
        ("fonts.gstatic.com", "google-fonts"),
        ("www.gstatic.com", "recaptcha"),
    ],
)
def test_recognise(host: str, expected: str) -> None:
    assert recognise(host) == expected


@pytest.mark.parametrize(
    "host", ["doubleclick.net", "google-analytics.com", "example.com", "notyoutube.com", ""]
)
def test_recognise_unknown_or_apex_of_wildcard(host: str) -> None:
    assert recognise(host) is None


def test_get_preset() -> None:
    assert get_preset("vimeo") is PRESETS["vimeo"]
    assert get_preset("Vimeo") is None


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ("a.example", "a.example", True),
        ("a.example", "b.example", False),
        ("*.example.com", "www.example.com", True),
        ("*.example.com", "example.com", False),
        ("*.example.com", "*.cdn.example.com", True),
        ("*.cdn.example.com", "*.example.com", True),
        ("*.example.com", "*.badexample.com", False),
        ("x.badexample.com", "*.example.com", False),
    ],
)
def test_patterns_overlap(first: str, second: str, overlap: bool) -> None:
    assert patterns_overlap(first, second) is overlap
    assert patterns_overlap(second, first) is overlap


def test_host_matches_subdomains_only() -> None:
    assert host_matches("*.example.com", "a.b.example.com")
    assert not host_matches("*.example.com", "example.com")
    assert not host_matches("*.example.com", "badexample.com")
