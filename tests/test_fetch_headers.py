"""Link and Refresh response headers: fetching targets obey consent too."""

from __future__ import annotations

from cookiegate.fetch_headers import gate_fetch_headers, gate_link_header


def no_tracker(url: str) -> bool:
    return "tracker" not in url


def test_keeps_non_fetching_and_allowed_values_in_order() -> None:
    value = '<a.css>; rel=stylesheet, <//tracker.example/x>; rel=prefetch, <b>; rel="next"'
    assert gate_link_header(value, no_tracker) == '<a.css>; rel=stylesheet, <b>; rel="next"'


def test_quoted_commas_do_not_split_values() -> None:
    value = '<//tracker.example/x>; rel=preload; title="a, b", <c.js>; rel=preload'
    assert gate_link_header(value, no_tracker) == "<c.js>; rel=preload"


def test_unreadable_link_header_is_dropped_whole() -> None:
    assert gate_link_header("garbage <//tracker.example>; rel=preload", no_tracker) == ""
    headers = [("Link", "not a link"), ("X-Other", "1")]
    assert gate_fetch_headers(headers, no_tracker) == [("X-Other", "1")]


def test_rel_matching_is_case_insensitive_and_multi_valued() -> None:
    value = '<//tracker.example/x>; REL="Preload Stylesheet"'
    assert gate_link_header(value, no_tracker) == ""


def test_refresh_without_url_stays() -> None:
    headers = [("Refresh", "30"), ("refresh", "0;URL='//tracker.example/'")]
    assert gate_fetch_headers(headers, no_tracker) == [("Refresh", "30")]
