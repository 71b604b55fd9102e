"""CSRF tokens (signed, timestamped, rotatable) and the same-origin check."""

from __future__ import annotations

from typing import Any

import pytest

from cookiegate.csrf import REUSE_SECONDS, CsrfTokens, is_same_origin
from cookiegate.exceptions import SecretKeyError

KEY = "first-secret-key-0123456789"
OLD_KEY = "older-secret-key-0123456789"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_forms_of_one_window_share_a_token_and_the_next_window_gets_a_new_one() -> None:
    clock = Clock()
    tokens = CsrfTokens(KEY, clock=clock)
    first = tokens.issue()
    clock.now += REUSE_SECONDS - 1
    assert tokens.issue() == first
    clock.now += 1
    second = tokens.issue()
    assert second != first
    assert tokens.is_valid(first) and tokens.is_valid(second)
    clock.now -= 3600  # a clock stepping back must not keep a token forever
    assert tokens.issue() != second


def test_token_from_another_key_is_invalid() -> None:
    assert not CsrfTokens(KEY).is_valid(CsrfTokens(OLD_KEY).issue())


def test_token_signed_for_another_purpose_is_invalid() -> None:
    from itsdangerous import URLSafeTimedSerializer

    foreign = URLSafeTimedSerializer(KEY, salt="cookiegate.consent").dumps("x")
    assert not CsrfTokens(KEY).is_valid(foreign)


def test_rotation_first_key_signs_every_key_verifies() -> None:
    old = CsrfTokens(OLD_KEY).issue()
    rotated = CsrfTokens([KEY, OLD_KEY])
    assert rotated.is_valid(old)
    assert CsrfTokens(KEY).is_valid(rotated.issue())
    assert not CsrfTokens(OLD_KEY).is_valid(rotated.issue())


def test_bytes_keys_are_accepted() -> None:
    tokens = CsrfTokens([KEY.encode(), OLD_KEY])
    assert tokens.is_valid(tokens.issue())


def test_empty_key_list_is_an_error() -> None:
    with pytest.raises(SecretKeyError, match="at least one key"):
        CsrfTokens([])


def test_tokens_expire_after_max_age() -> None:
    clock = Clock()
    tokens = CsrfTokens(KEY, max_age=600, clock=clock)
    token = tokens.issue()
    clock.now += 600
    assert tokens.is_valid(token)
    clock.now += 1
    assert not tokens.is_valid(token)


def test_tampered_token_is_invalid() -> None:
    tokens = CsrfTokens(KEY)
    token = tokens.issue()
    # Not the last character: its low bits are base64 padding and may decode the same.
    i = len(token) - 8
    flipped = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    assert not tokens.is_valid(flipped)


@pytest.mark.parametrize(
    "token",
    [None, "", "garbage", ".", "a.b.c", "\udcff\udcfe", "é" * 50, "x" * 100_000, 42, b"bytes"],
)
def test_garbage_tokens_are_invalid_and_never_raise(token: Any) -> None:
    assert CsrfTokens(KEY).is_valid(token) is False


def environ(**headers: str) -> dict[str, Any]:
    env: dict[str, Any] = {
        "wsgi.url_scheme": "https",
        "HTTP_HOST": "shop.example",
        "SERVER_NAME": "shop.example",
        "SERVER_PORT": "443",
    }
    env.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return env


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({}, True, id="no-headers-token-decides"),
        pytest.param({"origin": "https://shop.example"}, True, id="origin"),
        pytest.param({"origin": "https://SHOP.example:443"}, True, id="origin-default-port"),
        pytest.param({"origin": "https://evil.example"}, False, id="cross-origin"),
        pytest.param({"origin": "http://shop.example"}, False, id="other-scheme"),
        pytest.param({"origin": "https://shop.example:8443"}, False, id="other-port"),
        pytest.param({"origin": "null"}, False, id="null"),
        pytest.param({"origin": ""}, False, id="empty-origin"),
        pytest.param({"origin": "https://shop.example:99999"}, False, id="bad-port"),
        pytest.param({"origin": "https://shop.example.evil.example"}, False, id="suffix"),
        pytest.param(
            {"origin": "https://evil.example", "referer": "https://shop.example/"},
            False,
            id="origin-wins-over-referer",
        ),
        pytest.param({"referer": "https://shop.example/a?b"}, True, id="referer"),
        pytest.param({"referer": "https://evil.example/shop.example"}, False, id="xs-referer"),
        pytest.param({"referer": "about:blank"}, False, id="referer-not-http"),
        pytest.param({"referer": ""}, True, id="empty-referer-ignored"),
        pytest.param({"origin": "https://shöp.example"}, False, id="non-ascii"),
    ],
)
def test_is_same_origin(headers: dict[str, str], expected: bool) -> None:
    assert is_same_origin(environ(**headers)) is expected


def test_is_same_origin_uses_non_default_ports() -> None:
    env = environ(origin="http://localhost:8000")
    env.update({"wsgi.url_scheme": "http", "HTTP_HOST": "localhost:8000"})
    assert is_same_origin(env)
    env["HTTP_ORIGIN"] = "http://localhost"
    assert not is_same_origin(env)


def test_is_same_origin_falls_back_to_server_name_without_host_header() -> None:
    env = environ(origin="https://shop.example")
    del env["HTTP_HOST"]
    assert is_same_origin(env)
