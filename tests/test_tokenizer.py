"""Behaviour of the streaming tokenizer that the gate relies on.

The central property: the tokens (with absolute offsets) never depend on how the body is split
into chunks, and what is held back between chunks stays small.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cookiegate.html import charrefs
from cookiegate.html import tokenizer as tk
from cookiegate.html.tokenizer import NativeTokenizer, PyTokenizer, Tokenizer, TokenKind

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"
GATE_WATCH = frozenset(
    {
        "script",
        "iframe",
        "img",
        "link",
        "source",
        "noscript",
        "body",
        "html",
        "base",
        "video",
        "audio",
        "embed",
        "object",
        "input",
        "frame",
    }
)
MARKER = b"data-cookiegate"

TRICKY = [
    b"<!DOCTYPE html><html><body><p>a &amp b &notit; &#x80;</p><img src='x.png'></body>",
    b"<script>if (a<b) { x = '</scrip'; }</script><img src=1>",
    b"<script><!--<script>document.write('</script>')</script>--></script><img src=2>",
    b"<script><!-- a --></script><script>-->\r\n<!-->x</script><iframe src=3></iframe>",
    b"<!-- <script src=4> --><!---><!-->--!><!-- a --!><img src=5><!--x-->",
    b"<title>&lt;img src=6&gt; <img></title><textarea></textareax></textarea><img>",
    b"<style>p > a { } </STYLE ><xmp><img></xmp><img src=7 / >",
    b"<svg><script><img src=8></script><![CDATA[<img src=9>]]><title><script>"
    b"<img></script></title></svg><img src=10>",
    b"<math><mi><style><img></style></mi><annotation-xml encoding='TEXT/HTML'><script><img>"
    b"</script></annotation-xml></math><svg/><script><img></script>",
    b"<svg><g><p><script><img src=11></script><svg><svg></svg><style><img></style></svg>",
    b"<?php echo 1 ?></3><!x><![CDATA[<img>]]></><a href=\"a>b\" title='c'd=e>\xc3\xa9\xe2\x82\xac",
    b'<div data-cookiegate=analytics title="x>y" DATA-COOKIEGATE><span>\xf0\x9f\x8d\xaa</span>',
    b'<img alt="&amp;&ampx=&amp=1&ampy\x00" \r\n src=a\rb><script>\r\n</script\r\n>',
    b"<noscript><img src=12></noscript><plaintext></plaintext><img src=13>",
    b'<p>unfinished <img src="14',
    b"<script><!--<script>--></script><img src=15><svg><![CDATA[x]]><img src=16></svg>",
]


@pytest.fixture(autouse=True, params=["python", "native"])
def implementation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test here against both scanners, through this module's ``Tokenizer`` name.

    The native scanner delegates ``emit_all``/``tree_effects=False`` runs to Python, so those
    parametrisations check the delegation; the watch-mode ones check the C code.
    """
    if request.param == "native" and tk._native is None:
        pytest.skip("the C extension cookiegate.html._cscanner is not built")
    chosen = NativeTokenizer if request.param == "native" else PyTokenizer
    monkeypatch.setattr(sys.modules[__name__], "Tokenizer", chosen)
    return str(request.param)


def run(
    chunks: list[bytes],
    *,
    watch: frozenset[str] | None = GATE_WATCH,
    marker: bytes | None = MARKER,
    event_handlers: bool = False,
    **options: Any,
) -> list[tuple[Any, ...]]:
    """Feed *chunks* as a streaming consumer would; return tokens with absolute offsets."""
    tokenizer = Tokenizer(**options)
    tokenizer.watch(watch, marker=marker, event_handlers=event_handlers)
    tokens: list[tuple[Any, ...]] = []
    base, tail = 0, b""
    for index, chunk in enumerate(chunks):
        buf = tail + chunk
        for token in tokenizer.scan(buf, final=index == len(chunks) - 1):
            assert token.raw == buf[token.start : token.end]
            item: tuple[Any, ...] = (
                token.kind,
                base + token.start,
                base + token.end,
                token.name,
                token.data,
            )
            if token.kind in (TokenKind.START_TAG, TokenKind.END_TAG):
                item += (token.attrs, token.self_closing)
            if item[0] == TokenKind.TEXT and tokens and tokens[-1][0] == TokenKind.TEXT:
                previous = tokens.pop()
                assert previous[2] == item[1], "text tokens must be contiguous"
                item = (TokenKind.TEXT, previous[1], item[2], "", previous[4] + item[4])
            tokens.append(item)
        base += tokenizer.consumed
        tail = buf[tokenizer.consumed :]
    assert tail == b""
    return tokens


def tags(data: bytes, **options: Any) -> list[tuple[str, str]]:
    """(kind, name) of the tags emitted for *data* scanned in one go."""
    kinds = {TokenKind.START_TAG: "start", TokenKind.END_TAG: "end"}
    return [(kinds[t[0]], t[3]) for t in run([data], **options) if t[0] in kinds]


# --- chunking invariance ---------------------------------------------------------------


@pytest.mark.parametrize("emit_all", [False, True], ids=["watched", "emit_all"])
@pytest.mark.parametrize("document", TRICKY, ids=[f"doc{i}" for i in range(len(TRICKY))])
def test_every_two_way_split_gives_the_one_shot_tokens(document: bytes, emit_all: bool) -> None:
    expected = run([document], emit_all=emit_all)
    for cut in range(1, len(document)):
        assert run([document[:cut], document[cut:]], emit_all=emit_all) == expected, cut


@pytest.mark.parametrize("emit_all", [False, True], ids=["watched", "emit_all"])
@pytest.mark.parametrize("document", TRICKY, ids=[f"doc{i}" for i in range(len(TRICKY))])
def test_byte_at_a_time_gives_the_one_shot_tokens(document: bytes, emit_all: bool) -> None:
    expected = run([document], emit_all=emit_all)
    singles = [document[i : i + 1] for i in range(len(document))]
    assert run(singles, emit_all=emit_all) == expected


def _page_names() -> list[str]:
    return sorted(p.name for p in PAGES.glob("*.html")) if PAGES.is_dir() else []


@pytest.mark.parametrize("page", _page_names() or ["missing"])
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_real_pages_tokenize_the_same_under_random_chunking(page: str, data: st.DataObject) -> None:
    if page == "missing":
        pytest.skip(f"sample pages not found at {PAGES}")
    body = (PAGES / page).read_bytes()
    cuts = sorted(data.draw(st.sets(st.integers(1, len(body) - 1), max_size=40), label="cuts"))
    chunks = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    assert run(chunks) == run([body])


# --- watch sets and the marker -----------------------------------------------------------


def test_only_watched_tags_are_emitted() -> None:
    found = tags(b"<div><img src=a><p></img><IMG/></div>", watch=frozenset({"img"}), marker=None)
    assert found == [("start", "img"), ("end", "img"), ("start", "img")]


def test_none_watch_set_emits_every_tag() -> None:
    assert tags(b"<a><b></a>", watch=None) == [("start", "a"), ("start", "b"), ("end", "a")]


def test_marker_tags_are_emitted_case_insensitively_even_after_a_quoted_gt() -> None:
    html = b"<p DATA-CookieGate=x><p title='>' data-cookiegate><p>data-cookiegate</p><p>"
    found = tags(html, watch=frozenset(), marker=MARKER)
    assert found == [("start", "p"), ("start", "p")]


def test_unwatched_raw_text_still_hides_tags() -> None:
    html = b"<style><img src=x></style><textarea><img></textarea><img src=y>"
    assert tags(html, watch=frozenset({"img"}), marker=None) == [("start", "img")]


def test_watch_can_change_between_tokens_while_scanning() -> None:
    tokenizer = Tokenizer()
    tokenizer.watch(frozenset({"a"}))
    names = []
    for token in tokenizer.scan(b"<a><b><a><b>", final=True):
        names.append(token.name)
        tokenizer.watch(frozenset({"b"}))
    assert names == ["a", "b", "b"]


# --- script data escapes and raw text ----------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (b"<script>a</script><img>", ["script", "/script", "img"]),
        (b"<script><!--</script><img>", ["script", "/script", "img"]),
        (b"<script><!--<script></script><img></script><img>", ["script", "/script", "img"]),
        (b"<script><!--<script>--></script><img>", ["script", "/script", "img"]),
        (b"<script><!--<script></script>--><img></script>", ["script", "/script"]),
        (b"<script><!--<scripts></script><img>", ["script", "/script", "img"]),
        (b"<script></scripts><img></SCRIPT\t>", ["script", "/script"]),
        (b"<title><img></title x=1><img>", ["title", "/title", "img"]),
        (b"<plaintext></plaintext><img>", []),
    ],
)
def test_raw_text_ends_where_a_browser_ends_it(html: bytes, expected: list[str]) -> None:
    watch = frozenset({"img", "script", "title"})
    found = [("/" if kind == "end" else "") + name for kind, name in tags(html, watch=watch)]
    assert found == expected


def test_noscript_is_raw_text_only_with_scripting() -> None:
    html = b"<noscript><img></noscript>"
    assert ("start", "img") in tags(html, scripting=False)
    assert ("start", "img") not in tags(html, scripting=True)


# --- foreign content ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "img_count"),
    [
        (b"<svg><script><img></script></svg>", 1),
        (b"<svg/><script><img></script>", 0),
        (b"<svg><svg></svg><script><img></script>", 1),
        (b"<svg><svg></svg></svg><script><img></script>", 0),
        (b"<svg><p><script><img></script>", 0),
        (b"<svg><font color=red><script><img></script>", 0),
        (b"<svg><font><script><img></script>", 1),
        (b"<svg><foreignObject><script><img></script></foreignObject><script><img>", 1),
        (b"<svg><desc><svg><style><img></style></svg><style><img></style>", 1),
        (b"<math><mi><style><img></style></mi><style><img></style>", 1),
        (b"<math><annotation-xml encoding=text/html><style><img>", 0),
        (b"<math><annotation-xml encoding=x><style><img>", 1),
        (b"<svg><![CDATA[<img>]]><img>", 1),
        (b"<![CDATA[<img>]]><img>", 1),
        (b"<svg></math><script><img></script></svg><script><img></script>", 1),
    ],
)
def test_foreign_content_exposes_tags_a_browser_parses(html: bytes, img_count: int) -> None:
    assert tags(html, watch=frozenset({"img"})).count(("start", "img")) == img_count


def test_tree_effects_can_be_switched_off_for_the_conformance_suite() -> None:
    assert tags(b"<script><img>", watch=frozenset({"img"}), tree_effects=False) == [
        ("start", "img")
    ]


# --- EOF and hold-back -------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        b"<p><img src=x",
        b"<p><img src='x>",
        b"<p></img",
        b"<p><img a=b /",
    ],
)
def test_eof_inside_a_tag_drops_it(html: bytes) -> None:
    assert tags(html, watch=frozenset({"img"})) == []


def test_unfinished_tag_is_held_back_then_emitted_whole() -> None:
    tokenizer = Tokenizer()
    tokenizer.watch(frozenset({"img"}))
    assert list(tokenizer.scan(b"text <img src=")) == []
    assert tokenizer.consumed == 5
    (token,) = tokenizer.scan(b"<img src=x>", final=True)
    assert (token.start, token.end, token.attrs) == (0, 11, {"src": "x"})


def _largest_tail(prefix: bytes, filler: bytes, suffix: bytes) -> int:
    tokenizer = Tokenizer()
    tokenizer.watch(GATE_WATCH, marker=MARKER)
    body = prefix + filler * (5_000_000 // len(filler)) + suffix
    tail, largest = b"", 0
    for offset in range(0, len(body), 16384):
        buf = tail + body[offset : offset + 16384]
        list(tokenizer.scan(buf, final=offset + 16384 >= len(body)))
        tail = buf[tokenizer.consumed :]
        largest = max(largest, len(tail))
    assert tail == b""
    return largest


@pytest.mark.parametrize(
    ("prefix", "filler"),
    [
        (b"<p>", b"lorem ipsum < dolor & amet\r\n"),
        (b"<script>", b"if (a < b && c) { s = '<!-' + '</scr'; }\n"),
        (b"<script><!--", b"x -- y <scrip\n"),
        (b"<script><!--<script>", b"x </scri -\n"),
        (b"<style>", b"a > b { c: '</styl' }\n"),
        (b"<textarea>", b"&amp &lt; </textare\n"),
        (b"<plaintext>", b"anything </plaintext>\n"),
    ],
)
def test_hold_back_stays_small_on_long_text(prefix: bytes, filler: bytes) -> None:
    assert _largest_tail(prefix, filler, b"") < 64


# --- attribute values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"&amp", "&"),
        (b"&ampx=", "&ampx="),
        (b"&amp=", "&amp="),
        (b"&amp;x", "&x"),
        (b"&notit;", "&notit;"),
        (b"&notin;", "\u2209"),
        (b"&#x41;&#65&#x80;&#0;&#xD800;&#x110000;&#x;", "AA\u20ac\ufffd\ufffd\ufffd&#x;"),
        (b"a\x00b", "a\ufffdb"),
        (b"\xff", "\ufffd"),
        (b"a\r\nb\rc", "a\nb\nc"),
    ],
)
def test_attribute_values_are_decoded_as_a_browser_would(value: bytes, expected: str) -> None:
    (token,) = Tokenizer().scan(b'<a href="' + value + b'">', final=True)
    assert token.attrs == {"href": expected}


def test_attributes_first_occurrence_wins_and_names_are_lowercased() -> None:
    (token,) = Tokenizer().scan(b"<IMG SRC=a src=b Alt='x' data-\xc3\x89=1 />", final=True)
    assert token.name == "img"
    assert token.attrs == {"src": "a", "alt": "x", "data-\xc9": "1"}
    assert token.self_closing


def test_slash_inside_an_unquoted_value_is_not_self_closing() -> None:
    (token,) = Tokenizer().scan(b"<a href=/x/>", final=True)
    assert token.attrs == {"href": "/x/"}
    assert not token.self_closing


def test_text_references_decode_only_outside_attributes_rules() -> None:
    assert charrefs.decode("&notit; &ampx=", in_attribute=False) == "\xacit; &x="
    assert charrefs.decode("&ampx=", in_attribute=True) == "&ampx="
    assert charrefs.decode("&#x9F;&#129;", in_attribute=False) == "\u0178\x81"


def test_unknown_initial_state_is_rejected() -> None:
    with pytest.raises(ValueError, match="initial_state 'bogus'"):
        Tokenizer(initial_state="bogus")


# --- foreign-content state for the consumer ------------------------------------------------


def _foreign_trace(data: bytes, chunk: int = 0) -> list[tuple[str, bool, bool]]:
    """(tag, token.foreign, in_foreign_content right after it) for every tag of *data*."""
    tokenizer = Tokenizer()
    tokenizer.watch(None)
    pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)] if chunk else [data]
    trace, tail = [], b""
    for index, piece in enumerate(pieces):
        buf = tail + piece
        for token in tokenizer.scan(buf, final=index == len(pieces) - 1):
            slash = "/" if token.kind == TokenKind.END_TAG else ""
            trace.append((slash + token.name, token.foreign, tokenizer.in_foreign_content))
        tail = buf[tokenizer.consumed :]
    return trace


FOREIGN_DOC = (
    b"<p><svg><g><img src=x><svg><desc><b></desc><math><mi></mi><font color=1>"
    b"<svg/><math><annotation-xml encoding=text/html><i></annotation-xml></math></p>"
)


def test_breakout_tag_was_foreign_but_leaves_html_behind() -> None:
    assert _foreign_trace(b"<svg><img>") == [("svg", False, True), ("img", True, False)]


def test_foreign_state_before_and_after_each_tag() -> None:
    assert _foreign_trace(FOREIGN_DOC) == [
        ("p", False, False),
        ("svg", False, True),
        ("g", True, True),
        ("img", True, False),  # breakout: closes the <svg>
        ("svg", False, True),
        ("desc", True, False),  # integration point: HTML inside
        ("b", False, False),
        ("/desc", False, True),
        ("math", True, True),  # <math> inside <svg> is an ordinary foreign element
        ("mi", True, True),  # ... so <mi> is not a MathML integration point here
        ("/mi", True, True),
        ("font", True, False),  # <font color> breaks out
        ("svg", False, False),  # self-closing: opens nothing
        ("math", False, True),
        ("annotation-xml", True, False),
        ("i", False, False),
        ("/annotation-xml", False, True),
        ("/math", True, False),
        ("/p", False, False),
    ]


def test_foreign_state_does_not_depend_on_chunking() -> None:
    expected = _foreign_trace(FOREIGN_DOC)
    for chunk in (1, 2, 3, 7):
        assert _foreign_trace(FOREIGN_DOC, chunk) == expected


def test_foreign_flag_is_false_without_tree_effects() -> None:
    tokenizer = Tokenizer(tree_effects=False)
    tokenizer.watch(None)
    assert [t.foreign for t in tokenizer.scan(b"<svg><img>", final=True)] == [False, False]
    assert not tokenizer.in_foreign_content


# --- event handler attributes --------------------------------------------------------------


HANDLERS_DOC = (
    b"<div onload=a><p ONERROR='b'><q data-on=1><span on=1><i x=\"1\"onClick=2><u o n=1>"
    b"<b title='x onload=y'><a href=/x/ onmouseover><em/oNfocus><s ontoggle=>"
    b"</div onload=1><svg><g onload=z></g></svg><style><p onload=1></style>"
)


def test_event_handler_attributes_emit_unwatched_start_tags() -> None:
    found = tags(HANDLERS_DOC, watch=frozenset(), marker=None, event_handlers=True)
    assert found == [
        ("start", "div"),
        ("start", "p"),
        ("start", "span"),  # "on" is a name that starts with "on"
        ("start", "i"),
        ("start", "a"),
        ("start", "em"),
        ("start", "s"),
        ("start", "g"),
    ]
    assert tags(HANDLERS_DOC, watch=frozenset(), marker=None) == []


def test_event_handler_tags_do_not_depend_on_chunking() -> None:
    expected = run([HANDLERS_DOC], watch=frozenset({"u"}), event_handlers=True)
    for cut in range(1, len(HANDLERS_DOC)):
        chunks = [HANDLERS_DOC[:cut], HANDLERS_DOC[cut:]]
        assert run(chunks, watch=frozenset({"u"}), event_handlers=True) == expected, cut


def test_event_handlers_combine_with_names_and_marker() -> None:
    html = b"<img src=x><b onload=1><i data-cookiegate><u>"
    found = tags(html, watch=frozenset({"img"}), marker=MARKER, event_handlers=True)
    assert found == [("start", "img"), ("start", "b"), ("start", "i")]


# --- streaming comments and unfinished tags -------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "filler", "suffix"),
    [
        (b"<p><!--", b"-x--!x- <img src=a> --\n", b"-->"),
        (b"<p><!--", b"-", b"!>"),
        (b"<p><?", b"php echo 1; <img src=a ?\n", b">"),
        (b"<p></3", b"bogus <img src=a\n", b">"),
        (b"<p><!x", b"declaration <img src=a\n", b">"),
        (b"<p><!DOCTYPE", b" html <img src=a\n", b">"),
        (b"<p><!--", b"never closed <img src=a>\n", b""),
    ],
)
def test_open_comments_stream_with_a_small_hold_back(
    prefix: bytes, filler: bytes, suffix: bytes
) -> None:
    assert _largest_tail(prefix, filler, suffix + b"<img src=b>") < 64


@pytest.mark.parametrize(
    "document",
    [
        b"<p><!--a-" + b"-" * 9 + b"!" + b"-" * 5 + b"!>" + b"<img src=1>",
        b"<!---" + b"->" + b"<img src=2><!--->--!><img src=3><!---->",
        b'<img a = \'x>\' b= "y>" c =z/ d e/ =f g=/ h=""/><img src=4 / ><img src=5/>',
        b"<svg><img src=6 onerror='</svg><style>'><style><img src=7></style>",
        b"<math><mi><math><mi><p></mi></math><style><img></style></mi></math><style><img>",
    ],
)
def test_streamed_constructs_match_the_one_shot_tokens(document: bytes) -> None:
    for emit_all in (False, True):
        expected = run([document], emit_all=emit_all)
        for size in (1, 2, 3, 5):
            chunks = [document[i : i + size] for i in range(0, len(document), size)]
            assert run(chunks, emit_all=emit_all) == expected, (size, emit_all)


# --- deep foreign nesting ------------------------------------------------------------------


@pytest.mark.parametrize("pair", [b"<math><mi>", b"<svg><foreignObject>", b"<svg><desc>"])
def test_deep_foreign_nesting_is_tracked_exactly(pair: bytes) -> None:
    name, point = (part.strip(b"<").decode().lower() for part in pair.split(b">")[:2])
    depth = 5_000
    html = (
        b"<body>"
        + pair * depth
        + b"<style><img src=inside-html></style>"
        + f"</{point}>".encode()
        + b"<style><img src=foreign-is-exposed></style>"
        + f"</{name}></{point}>".encode() * (depth - 1)
        + f"</{name}>".encode()
        + b"<style><img src=hidden-again></style><img src=after>"
    )
    found = [t for t in run([html], watch=frozenset({"img"})) if t[0] == TokenKind.START_TAG]
    assert [t[5]["src"] for t in found] == ["foreign-is-exposed", "after"]
