"""URL resolution as a browser does it, and host ownership."""

from __future__ import annotations

import pytest

from cookiegate.config import Config, Service
from cookiegate.hosts import FIRST_PARTY, HostMatcher, UrlResolver, srcset_urls


@pytest.mark.parametrize(
    ("value", "host"),
    [
        pytest.param(
            "//www.google-analytics.com/ga.js", "www.google-analytics.com", id="protocol-relative"
        ),
        pytest.param("HTTPS://WWW.X.COM/", "www.x.com", id="uppercase"),
        pytest.param("https://a.com@evil.com/", "evil.com", id="userinfo"),
        pytest.param("https://x.com\\@evil.com/", "x.com", id="backslash-is-slash"),
        pytest.param("/\\evil.com/x", "evil.com", id="slash-backslash-is-network-path"),
        pytest.param("ht\ttp://ev\nil.com/", "evil.com", id="tab-newline-removed"),
        pytest.param("https://%65vil.com/", "evil.com", id="percent-encoded-host"),
        pytest.param("https://\uff45vil.com/", "evil.com", id="full-width-host"),
        pytest.param("  https://evil.com  ", "evil.com", id="surrounding-space"),
        pytest.param("http://evil.com./", "evil.com", id="trailing-dot"),
        pytest.param("https://0x7f.1/", "127.0.0.1", id="numeric-ipv4"),
        pytest.param("/local.js", "shop.example", id="absolute-path"),
        pytest.param("local.js", "shop.example", id="relative-path"),
        pytest.param("", "shop.example", id="empty"),
        pytest.param("data:image/gif;base64,R0lG", None, id="data"),
        pytest.param("javascript:void(0)", None, id="javascript"),
        pytest.param("http://[::1", None, id="invalid"),
        pytest.param("mailto:x@y.z", None, id="mailto"),
    ],
)
def test_resolves_hosts_like_a_browser(value: str, host: str | None) -> None:
    assert UrlResolver("https://shop.example/a/b").host(value) == host


def test_base_href_retargets_relative_urls() -> None:
    resolver = UrlResolver("https://shop.example/a/")
    resolver.set_base("https://cdn.tracker.example/")
    assert resolver.host("x.js") == "cdn.tracker.example"
    assert resolver.host("/x.js") == "cdn.tracker.example"
    assert resolver.base_host == "cdn.tracker.example"


def test_invalid_base_is_ignored() -> None:
    resolver = UrlResolver("https://shop.example/")
    resolver.set_base("http://[::1")
    assert resolver.host("x.js") == "shop.example"


def test_srcset_candidates() -> None:
    value = "a.jpg 1x, b.jpg 2x,c.jpg,, d.jpg (x, y) 3w, e,f"
    assert list(srcset_urls(value)) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e,f"]


def test_matcher_exact_wildcard_and_first_party() -> None:
    config = Config(
        first_party_hosts=("static.shop.example", "*.cdn.shop.example"),
        services=(
            Service(id="yt", title="YT", category="social", hosts=("www.youtube.com",)),
            Service(id="mail", title="Mail", category="marketing", hosts=("*.example-mail.com",)),
        ),
    )
    matcher = HostMatcher(config)
    assert matcher.classify("www.youtube.com") == "yt"
    assert matcher.classify("youtube.com") is None
    assert matcher.classify("a.b.example-mail.com") == "mail"
    assert matcher.classify("example-mail.com") is None, "*. matches subdomains only"
    assert matcher.classify("static.shop.example") == FIRST_PARTY
    assert matcher.classify("img.cdn.shop.example") == FIRST_PARTY
    assert matcher.classify("evil.com") is None
    assert matcher.literals() == {"www.youtube.com": "yt", ".example-mail.com": "mail"}
