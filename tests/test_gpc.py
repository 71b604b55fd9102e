"""Sec-GPC parsing: only an exact "1" is a signal; repeats fold into one header."""

from __future__ import annotations

import pytest

from cookiegate.gpc import gpc_requested


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("1", True, id="exact-one"),
        pytest.param(" 1 ", True, id="surrounding-whitespace"),
        pytest.param("0, 1", True, id="repeated-any-one-wins"),
        pytest.param("1, 1", True, id="repeated-ones"),
        pytest.param("0", False, id="zero"),
        pytest.param("true", False, id="true-is-not-one"),
        pytest.param("1;q=1", False, id="parameters-are-not-one"),
        pytest.param("", False, id="empty"),
        pytest.param("11", False, id="eleven"),
        pytest.param("\u00b91", False, id="garbage-unicode"),
    ],
)
def test_only_an_exact_one_is_a_signal(value: str, expected: bool) -> None:
    assert gpc_requested({"HTTP_SEC_GPC": value}) is expected


def test_absent_header_is_no_signal() -> None:
    assert gpc_requested({}) is False


def test_non_string_environ_value_is_ignored() -> None:
    assert gpc_requested({"HTTP_SEC_GPC": 1}) is False
