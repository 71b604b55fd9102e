"""The C scanner against the Python reference: identical tokens, offsets and hold-back.

Every test here compares :class:`NativeTokenizer` with :class:`PyTokenizer` on the same input
and chunking: kind, start, end, name, raw bytes, attributes, the self-closing flag and
``consumed`` after every chunk. Inputs: the html5lib vectors, the sample pages, tricky
documents split at every offset, odd bytes, and hypothesis-generated HTML-ish strings.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cookiegate.html import tokenizer as tk
from cookiegate.html.tokenizer import NativeTokenizer, PyTokenizer, Token

from .test_tokenizer import GATE_WATCH, MARKER, TRICKY

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PAGES = DATA / "pages"
SUITE = DATA / "html5lib-tests" / "tokenizer"

needs_native = pytest.mark.skipif(
    tk._native is None,
    reason="the C extension cookiegate.html._cscanner is not built "
    "(or COOKIEGATE_PURE_PYTHON=1); `pip install -e .` builds it",
)

WATCH_SETS: list[tuple[str, frozenset[str] | None, bytes | None]] = [
    ("gate", GATE_WATCH, MARKER),
    ("all", None, None),
    ("marker-only", frozenset(), MARKER),
    ("script", frozenset({"script"}), None),
]


def _describe(token: Token, base: int) -> tuple[Any, ...]:
    return (
        token.kind,
        base + token.start,
        base + token.end,
        token.name,
        token.raw,
        token.attrs,
        token.self_closing,
        token.attr_spans,
        token.foreign,
    )


def stream(
    factory: type[NativeTokenizer] | type[PyTokenizer],
    chunks: list[bytes],
    watch: frozenset[str] | None,
    marker: bytes | None,
    event_handlers: bool = False,
    **options: Any,
) -> list[tuple[Any, ...]]:
    """Tokens (absolute offsets, foreign state after each) and the consumed offset per chunk."""
    tokenizer = factory(**options)
    tokenizer.watch(watch, marker=marker, event_handlers=event_handlers)
    out: list[tuple[Any, ...]] = []
    base, tail = 0, b""
    for index, chunk in enumerate(chunks):
        buf = tail + chunk
        for token in tokenizer.scan(buf, final=index == len(chunks) - 1):
            out.append((*_describe(token, base), tokenizer.in_foreign_content))
        out.append(("consumed", base + tokenizer.consumed, tokenizer.in_foreign_content))
        base += tokenizer.consumed
        tail = buf[tokenizer.consumed :]
    return out


def assert_same(
    chunks: list[bytes],
    watch: frozenset[str] | None = GATE_WATCH,
    marker: bytes | None = MARKER,
    event_handlers: bool = False,
    **options: Any,
) -> None:
    native = stream(NativeTokenizer, chunks, watch, marker, event_handlers, **options)
    python = stream(PyTokenizer, chunks, watch, marker, event_handlers, **options)
    assert native == python


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


# --- presence ------------------------------------------------------------------------------


def test_native_extension_is_present_when_required() -> None:
    """CI sets COOKIEGATE_REQUIRE_NATIVE=1: a build that silently fell back must fail."""
    if os.environ.get("COOKIEGATE_REQUIRE_NATIVE") != "1":
        pytest.skip("COOKIEGATE_REQUIRE_NATIVE is not set")
    assert tk._native is not None, "cookiegate.html._cscanner did not import"
    assert tk.IMPLEMENTATION == "native"
    assert tk.Tokenizer is NativeTokenizer


@needs_native
def test_gate_mode_runs_natively_and_test_modes_delegate() -> None:
    assert NativeTokenizer().is_native
    assert not NativeTokenizer(emit_all=True).is_native
    assert not NativeTokenizer(tree_effects=False).is_native
    assert not NativeTokenizer(initial_state="script", last_start_tag="script").is_native


@pytest.mark.parametrize("pure", ["1", "0"])
def test_pure_python_switch_is_honoured_at_import(pure: str) -> None:
    code = (
        "from cookiegate.html import tokenizer as t;"
        "print(t.IMPLEMENTATION, t.Tokenizer.__name__, t._native is None)"
    )
    env = {**os.environ, "COOKIEGATE_PURE_PYTHON": pure}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(tk.__file__).parents[2]), *sys.path])
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    built = importlib.util.find_spec("cookiegate.html._cscanner") is not None
    if pure == "1" or not built:
        expected = "python PyTokenizer True"
    else:
        expected = "native NativeTokenizer False"
    assert result.stdout.split() == expected.split()


# --- html5lib inputs ----------------------------------------------------------------------


def _suite_inputs() -> list[bytes]:
    if not SUITE.is_dir():
        return []
    inputs: set[bytes] = set()
    for path in sorted(SUITE.glob("*.test")):
        for vector in json.loads(path.read_text(encoding="utf-8")).get("tests", []):
            text = vector["input"]
            if vector.get("doubleEscaped"):
                text = text.encode("utf-8", "surrogatepass").decode("unicode_escape")
            inputs.add(text.encode("utf-8", "surrogatepass"))
    return sorted(inputs)


@needs_native
def test_every_html5lib_input_scans_the_same() -> None:
    inputs = _suite_inputs()
    if not inputs:
        pytest.skip(f"html5lib tokenizer tests not found at {SUITE}")
    for data in inputs:
        for _, watch, marker in WATCH_SETS[:2]:
            assert_same([data], watch, marker)
        # also as a tag inside foreign content and in script data, where states differ
        assert_same([b"<svg>" + data], None, None)
        assert_same([b"<script>" + data], None, None)
        assert_same(chunked(data, 3), GATE_WATCH, MARKER)


# --- real pages ---------------------------------------------------------------------------


def _pages() -> list[str]:
    return sorted(p.name for p in PAGES.glob("*.html")) if PAGES.is_dir() else []


@needs_native
@pytest.mark.parametrize("page", _pages() or ["missing"])
@pytest.mark.parametrize("size", [16384, 1021, 64])
@pytest.mark.parametrize("watch", WATCH_SETS, ids=[w[0] for w in WATCH_SETS])
def test_real_pages_scan_the_same(
    page: str, size: int, watch: tuple[str, frozenset[str] | None, bytes | None]
) -> None:
    if page == "missing":
        pytest.skip(f"sample pages not found at {PAGES}")
    body = (PAGES / page).read_bytes()
    assert_same(chunked(body, size), watch[1], watch[2])


# --- tricky documents at every split --------------------------------------------------------

ODD = [
    b"<",
    b"a<",
    b"</",
    b"<!",
    b"<!-",
    b"<!--",
    b"<!DOCTY",
    b"<![CDATA",
    b"<svg><![CDATA[x]",
    b"<svg><![CDATA[x]]",
    b"<script><!--<script>--",
    b"\x00<\x00a\x00 b=\x00>\xff<\xff>\xff</\xff><a\xff\x00 x='\xff'>",
    b"<A\x00B c=1><a\xc3\xa9><DIV\x80>",
    b"<img src=" + b"x" * 70000 + b">",
    b"<img " + b'a="' + b"&amp;" * 5000 + b'" ' * 300 + b">",
    b"<p data-cookiegat data-cookiegatE><q data-cookie",
    b"<math><annotation-xml encoding='application/XHTML+xml'><style><img></style></math>",
    b"<svg><font size=1><style><img></style><svg><font><style><img></style>",
    b"<svg><desc><desc></desc><style><img></style></desc><style><img></style>",
    b"<svg></p><style><img></style><math></br><style><img></style>",
    b"<svg><title/><style><img></style></svg><svg/>",
    b"<title></title\x00><img></title/ ><img>",
    b"<script></script\x0b><img></script\x0c><img>",
    b"<noscript><img></noscript><iframe><img></iframe x><img>",
    b"<textarea><!--</textarea>--><img>",
    b"<script>--><!--><script>--><img></script><img>",
    b"<a b='c\"d'e=\"f'g\"h=i/j/>k<a/ >",
    b"<a =b ==c '=d>",
    b"<p><!--a-" + b"-" * 9 + b"!" + b"-" * 5 + b"!><img src=1><!---" + b"->",
    b"<!--x-" + b"-!" + b">--><img><? <img> ><!x <img> ></3 <img> ><!DOCTYPE <img> ><img>",
    b'<img a = \'x>\' b= "y>" c =z/ d e/ =f g=/ h=""/><img src=4 / ><img src=5/>',
    b"<b x=1 ONLOAD=2><i x='1'onerror><u o n><s on><q data-on=1></a onload=1>",
    b"<math><mi><math><mi><p></mi></math><style><img></style></mi></math><style><img>",
    b"<svg><desc><svg><desc><svg><desc></svg><style><img></style></desc></svg><style><img>",
]


@needs_native
@pytest.mark.parametrize(
    "document", TRICKY + ODD, ids=[f"doc{i}" for i in range(len(TRICKY + ODD))]
)
def test_every_two_way_split_scans_the_same(document: bytes) -> None:
    if len(document) > 2000:
        cuts = [1, 2, 5, len(document) // 2, len(document) - 2, len(document) - 1]
    else:
        cuts = list(range(1, len(document)))
    for _, watch, marker in WATCH_SETS:
        assert_same([document], watch, marker)
        for cut in cuts:
            assert_same([document[:cut], document[cut:]], watch, marker)


@needs_native
@pytest.mark.parametrize("scripting", [False, True])
def test_byte_at_a_time_scans_the_same(scripting: bool) -> None:
    for document in TRICKY + ODD[:-3]:
        if len(document) < 2000:
            assert_same(chunked(document, 1), GATE_WATCH, MARKER, scripting=scripting)


@needs_native
def test_odd_encodings_and_non_ascii_watch_names_agree() -> None:
    data = b"<\xe9l\xe9ment a=1><B\xc9><b\xe9><\x00x><IMG>"
    for encoding in ("utf-8", "windows-1252", "latin-1"):
        for watch in (frozenset({"\xe9l\xe9ment", "img"}), frozenset({"b\xe9", "\ufffdx"}), None):
            assert_same([data], watch, None, encoding=encoding)


@needs_native
def test_watch_changes_between_tokens_as_in_python() -> None:
    data = b"<a><b x=data-cookiegate><a data-cookiegate><b><c><a><b>"

    def names(factory: type[NativeTokenizer] | type[PyTokenizer]) -> list[str]:
        tokenizer = factory()
        tokenizer.watch(frozenset({"a"}))
        seen = []
        for index, token in enumerate(tokenizer.scan(data, final=True)):
            seen.append(token.name)
            tokenizer.watch(
                frozenset({"b"} if index % 2 == 0 else {"a", "c"}),
                marker=MARKER if index == 1 else None,
            )
        return seen

    assert names(NativeTokenizer) == names(PyTokenizer)


@needs_native
def test_bytearray_and_memoryview_buffers_scan_like_bytes() -> None:
    data = b"<p><img src=x><script>a</script>"
    expected = stream(NativeTokenizer, [data], GATE_WATCH, MARKER)
    for buf in (bytearray(data), memoryview(data)):
        tokenizer = NativeTokenizer()
        tokenizer.watch(GATE_WATCH, marker=MARKER)
        got = [
            (*_describe(t, 0), tokenizer.in_foreign_content)
            for t in tokenizer.scan(buf, final=True)  # type: ignore[arg-type]
        ]
        assert [*got, ("consumed", tokenizer.consumed, False)] == expected


@needs_native
def test_errors_from_python_callbacks_propagate() -> None:
    tokenizer = NativeTokenizer(encoding="utf-8")
    tokenizer.watch(frozenset({"x"}))
    with pytest.raises(TypeError):
        tokenizer.watch(frozenset({"x"}), marker="not bytes")  # type: ignore[arg-type]
    with pytest.raises(LookupError):
        NativeTokenizer(encoding="no-such-codec")


# --- generated inputs -----------------------------------------------------------------------

_PIECES = [
    b"<",
    b">",
    b"/",
    b"!",
    b"-",
    b"--",
    b"?",
    b"=",
    b"'",
    b'"',
    b" ",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xc3\xa9",
    b"a",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"--!>",
    b"<!DOCTYPE",
    b"<script>",
    b"</script>",
    b"<SCRIPT ",
    b"<style>",
    b"</style>",
    b"<title>",
    b"</title>",
    b"<textarea>",
    b"<plaintext>",
    b"<svg>",
    b"</svg>",
    b"<svg/>",
    b"<math>",
    b"</math>",
    b"<mi>",
    b"</mi>",
    b"<foreignObject>",
    b"</foreignObject>",
    b"<desc>",
    b"<annotation-xml encoding=text/html>",
    b"<font color=1>",
    b"<p>",
    b"</p>",
    b"<img src=x>",
    b"<iframe>",
    b"</iframe>",
    b"<noscript>",
    b"data-cookiegate",
    b" data-cookiegate=x",
    b"<a href='",
    b"<b c=d/>",
]


@needs_native
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=40),
    cuts=st.lists(st.integers(1, 400), max_size=4),
    watch=st.sampled_from(WATCH_SETS),
    scripting=st.booleans(),
)
def test_generated_documents_scan_the_same(
    pieces: list[bytes],
    cuts: list[int],
    watch: tuple[str, frozenset[str] | None, bytes | None],
    scripting: bool,
) -> None:
    data = b"".join(pieces)
    bounds = sorted({c for c in cuts if c < len(data)})
    chunks = [data[a:b] for a, b in zip([0, *bounds], [*bounds, len(data)], strict=True)]
    assert_same(chunks, watch[1], watch[2], scripting=scripting)


@needs_native
@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_scan_the_same(data: bytes) -> None:
    assert_same([data], None, MARKER)
    assert_same(chunked(data, 7), GATE_WATCH, MARKER)


# --- attribute parsing --------------------------------------------------------------------


def _both_parsers(raw: bytes, encoding: str = "utf-8") -> tuple[Any, Any]:
    """(native, python) results of parsing one tag's attributes."""
    native = tk._native.parse_attrs(raw, encoding, tk._decode_name, tk._decode_value)  # type: ignore[union-attr]
    token = Token(tk.TokenKind.START_TAG, 0, len(raw), "", raw, "", encoding)
    token._attrs = {}
    token._parse_attrs_python()
    return native, (token._attrs, token._spans, token._self_closing)


def _all_tags(data: bytes) -> list[bytes]:
    tokenizer = PyTokenizer()
    tokenizer.watch(None)
    return [t.raw for t in tokenizer.scan(data, final=True)]


@needs_native
def test_attribute_parsers_agree_on_suite_and_pages() -> None:
    sources = _suite_inputs() + [(PAGES / name).read_bytes() for name in _pages()]
    sources += TRICKY + ODD
    checked = 0
    for data in sources:
        for raw in _all_tags(data):
            native, python = _both_parsers(raw)
            assert native == python, raw
            checked += 1
    assert checked > 1000


@needs_native
@settings(max_examples=300, deadline=None)
@given(
    body=st.lists(
        st.sampled_from(_PIECES + [b"&amp;", b"&#x41", b"\t", b"/>", b"b="]), max_size=25
    ),
    encoding=st.sampled_from(["utf-8", "windows-1252"]),
)
def test_attribute_parsers_agree_on_generated_tags(body: list[bytes], encoding: str) -> None:
    data = b"<x " + b"".join(body) + b"'\">"
    for raw in _all_tags(data):
        if raw.endswith(b">"):  # a tag cut by the end of input has no attributes to compare
            native, python = _both_parsers(raw, encoding)
            assert native == python, raw


def test_attr_spans_cut_one_attribute_cleanly() -> None:
    raw = b"<body class=a background=\"https://t.example/p.gif\" BACKGROUND=x id='b' hidden>"
    (token,) = tk.Tokenizer().scan(raw, final=True)
    spans = {name: (start, end) for name, start, end in token.attr_spans}
    assert list(spans) == ["class", "background", "id", "hidden"]
    start, end = spans["background"]
    assert raw[start:end] == b'background="https://t.example/p.gif"'
    assert raw[spans["hidden"][0] : spans["hidden"][1]] == b"hidden"
    assert raw[spans["id"][0] : spans["id"][1]] == b"id='b'"
    cut = raw[:start] + raw[end:]
    (again,) = tk.Tokenizer().scan(cut, final=True)
    assert again.attrs == {"class": "a", "background": "x", "id": "b", "hidden": ""}


# --- event handlers, foreign state, deep nesting --------------------------------------------


@needs_native
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(
        st.sampled_from(_PIECES + [b"<b onload=1>", b" onError=", b"'x'on", b"<p ON", b"o"]),
        max_size=40,
    ),
    cuts=st.lists(st.integers(1, 400), max_size=4),
)
def test_event_handler_watch_scans_the_same(pieces: list[bytes], cuts: list[int]) -> None:
    data = b"".join(pieces)
    bounds = sorted({c for c in cuts if c < len(data)})
    chunks = [data[a:b] for a, b in zip([0, *bounds], [*bounds, len(data)], strict=True)]
    assert_same(chunks, frozenset({"img"}), None, event_handlers=True)
    assert_same(chunks, frozenset(), MARKER, event_handlers=True)


_NESTING = [
    b"<svg>",
    b"</svg>",
    b"<math>",
    b"</math>",
    b"<mi>",
    b"</mi>",
    b"<mo>",
    b"<desc>",
    b"</desc>",
    b"<foreignObject>",
    b"</foreignObject>",
    b"<g>",
    b"<p>",
    b"</p>",
    b"<br>",
    b"<img>",
    b"<font color=1>",
    b"<annotation-xml encoding=text/html>",
    b"</annotation-xml>",
    b"<svg/>",
    b"<mi/>",
    b"<style>x</style>",
    b"<![CDATA[<img>]]>",
]


class _ListFrames(tk._Frames):
    """The frame stack as the plain list it was before runs: the reference for _Frames."""

    def push(self, kind: str, name: str) -> None:
        self.top.append([kind, name, 1])

    def close_named(self, name: str) -> None:
        for index in range(len(self.top) - 1, -1, -1):
            if self.top[index][1] == name:
                self.close(index)
                return


def _nested_stream(data: bytes, chunk: int) -> list[tuple[Any, ...]]:
    return stream(PyTokenizer, chunked(data, chunk), None, None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.lists(st.sampled_from(_NESTING), min_size=1, max_size=4),
    repeat=st.integers(1, 12),
    tail=st.lists(st.sampled_from(_NESTING), max_size=30),
)
def test_frame_runs_read_as_the_plain_frame_list(
    unit: list[bytes], repeat: int, tail: list[bytes]
) -> None:
    data = b"<body>" + b"".join(unit) * repeat + b"".join(tail) + b"<style><img></style>"
    compact = _nested_stream(data, 5)
    original = tk._Frames
    tk._Frames = _ListFrames  # type: ignore[misc]
    try:
        plain = _nested_stream(data, 5)
    finally:
        tk._Frames = original  # type: ignore[misc]
    assert compact == plain
    if tk._native is not None:
        assert stream(NativeTokenizer, chunked(data, 5), None, None) == compact


@pytest.mark.parametrize("factory", [PyTokenizer, NativeTokenizer])
def test_deep_repeated_nesting_keeps_few_frame_records(
    factory: type[NativeTokenizer] | type[PyTokenizer],
) -> None:
    tokenizer = factory()
    tokenizer.watch(frozenset({"img"}))
    depth = 50_000
    for data in (b"<math><mi>" * depth, b"<svg><desc>" * depth, b"<math><mi>" * depth):
        assert list(tokenizer.scan(data, final=False)) == []
    impl: Any = getattr(tokenizer, "_impl", tokenizer)
    if isinstance(impl, PyTokenizer):
        frames = impl._frames
        records, total = len(frames.runs) + 1, len(frames)
    else:
        records, total = impl.frame_records, impl.foreign_depth
    assert total == 6 * depth
    assert records <= 4
    assert not tokenizer.in_foreign_content  # inside the innermost <mi>
    closing = b"</mi></math>" * depth + b"</desc></svg>" * depth + b"</mi></math>" * (depth - 1)
    assert list(tokenizer.scan(closing + b"<style><img></style>", final=False)) == []
    assert not tokenizer.in_foreign_content  # in the outermost <mi>: <style> hid the <img>
    assert list(tokenizer.scan(b"</mi><g>", final=False)) == []
    assert tokenizer.in_foreign_content  # the outermost <math> is still open
    (img,) = tokenizer.scan(b"<style><img></style>", final=True)
    assert img.foreign and not tokenizer.in_foreign_content  # <img> broke out of it
    assert (impl._frames.top if isinstance(impl, PyTokenizer) else impl.foreign_depth) in ([], 0)
