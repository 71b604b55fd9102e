"""Hostile HTML: bypass attempts judged by a browser model, and inputs built to exhaust.

Part one feeds markup crafted to make the gate and a browser disagree (parser state
confusion, URL tricks, nested documents, base URL games) and asks the browser model
(``tests/browser_model.py``, html5lib and lexbor, scripting on and off) whether anything
non-consented would still load or run. Known gaps are ``xfail(strict=True)`` with the
reproducer in the parameter and the reason, so each flips to a failure when fixed.

Part two sends huge or unterminated inputs through the gate in 16 KiB chunks and checks
the output is right (by hash, computed from an independently built expected stream) and
that working memory stays bounded (tracemalloc peak). No timing is asserted here; the
scaling figures live in ``fuzz/scaling.py``.
"""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Callable, Iterator

import pytest

from cookiegate.config import Config
from cookiegate.consent import Consent
from cookiegate.html.gate import GateRules, HtmlGate
from tests.browser_model import QuietPage, fetches, run_gate

URL = "https://shop.example/page"
OWN = frozenset({"shop.example", "static.shop.example"})
CAP = 64 * 1024
CHUNK = 16 * 1024


def _config(undeclared: str) -> Config:
    return Config.from_mapping(
        {
            "undeclared_third_party": undeclared,
            "first_party_hosts": ["static.shop.example"],
            "max_inline_script": CAP,
            "services": {
                "meta-pixel": {"preset": "meta-pixel"},
                "google-analytics": {"preset": "google-analytics"},
                "youtube": {"preset": "youtube", "placeholder": True},
            },
        }
    )


BLOCK = _config("block")
ALLOW = _config("allow")
RULES = {"block": GateRules.from_config(BLOCK), "allow": GateRules.from_config(ALLOW)}
NOBODY = Consent(config=BLOCK)
_HOSTS = [p.lstrip("*") for s in BLOCK.services for p in s.hosts]
_SIGNATURES = [sig for s in BLOCK.services for sig in s.inline]
EVIL = "https://evil.example"


def violations(html: bytes) -> list[str]:
    """What the gated ``html`` would still load from third parties or run of a tracker."""
    out = run_gate(html, RULES["block"], NOBODY, URL)
    found = []
    for scripting in (False, True):
        result = fetches(out, URL, scripting=scripting)
        mode = "on" if scripting else "off"
        found += [
            f"{mode}: {x.element}[{x.attr}] {x.url}" for x in result.loads if x.host not in OWN
        ]
        for code in result.code:
            hits = [h for h in _HOSTS if h in code.text.lower()]
            hits += [s for s in _SIGNATURES if s in code.text]
            found += [f"{mode}: {code.source} runs {hit!r}" for hit in hits]
    return sorted(set(found))


def _xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


def _case(html: str, id: str, *marks: pytest.MarkDecorator) -> object:
    return pytest.param(html.encode("utf-8"), id=id, marks=marks)


BYPASSES = [
    # -- parser state: where does a tag start, and is it a tag at all? --
    _case(
        f'<noscript><p title="</noscript><script src={EVIL}/a.js></script>">', "noscript-rawtext"
    ),
    _case(f'<noscript><p title="</noscript><img src={EVIL}/a.png>">', "noscript-rawtext-img"),
    _case(f'<svg></p><style><a id="</style><img src={EVIL}/a.png>">', "svg-p-breakout"),
    _case(f'<svg></br><img src="{EVIL}/a.png">', "svg-br-breakout"),
    _case(f'<svg><font color=1><img src="{EVIL}/a.png">', "svg-font-breakout"),
    _case(f'<svg><desc><style><a title="</style><img src={EVIL}/a>">', "svg-desc-integration"),
    _case(f"<math><mtext><table><mglyph><style><img src={EVIL}/a.png>", "math-mglyph"),
    _case(
        f'<math><annotation-xml encoding="text/html"><style><a title="</style><img src={EVIL}/a>">',
        "math-annotation-xml",
    ),
    _case(f'<svg><![CDATA[</svg><img src="{EVIL}/a">]]></svg>', "svg-cdata"),
    _case(f'<div><![CDATA[<img src="{EVIL}/a">]]>', "html-cdata-is-bogus-comment"),
    _case(f'<script><!--<script></script><img src="{EVIL}/a"></script>', "script-double-escape"),
    _case(f'<!--><img src="{EVIL}/b">', "abrupt-comment"),
    _case(f'<!--a--!><img src="{EVIL}/b">', "comment-bang-end"),
    _case(f'<? a ><img src="{EVIL}/b">', "bogus-comment"),
    _case(f'<xmp></xmp ><img src="{EVIL}/b">', "xmp-end-space"),
    _case(f'<title><img src="{EVIL}/a"></title><img src="{EVIL}/b">', "rcdata-title"),
    _case(f'<noframes></noframes><img src="{EVIL}/b">', "noframes"),
    _case(f'<image src="{EVIL}/a.png">', "image-becomes-img"),
    _case(f'<img/src="{EVIL}/a.png">', "slash-separator"),
    _case(f'<img src="{EVIL}/a" src="/ok">', "duplicate-attribute"),
    # -- what the gate's own deletions do to the parse of what follows --
    _case(
        f"<<img src={EVIL}/a>img src={EVIL}/b>",
        "splice-lt",
    ),
    _case(
        f"<svg><img src={EVIL}/a><script><img src={EVIL}/b>",
        "breakout-deleted",
    ),
    _case(
        f"<math><embed src={EVIL}/a><style><img src={EVIL}/b></style>",
        "breakout-deleted-embed",
    ),
    _case(
        "<math><script><br><script src=https://connect.facebook.net/x.js></script>"
        f"<script><img src={EVIL}/b>",
        "breakout-inside-dropped-script",
    ),
    # -- URLs as the WHATWG parser reads them --
    _case('<img src="https:\\\\evil.example\\a">', "backslashes"),
    _case('<img src="ht\ttps://evil.example/a">', "tab-in-scheme"),
    _case('<img src="&#x68;ttps:&sol;&sol;evil.example/a">', "char-refs"),
    _case('<img src="https://shop.example@evil.example/a">', "userinfo"),
    _case('<img src="https://evil%2Eexample/a">', "percent-dot"),
    _case('<img src="https://evil\u3002example/a">', "ideographic-dot"),
    _case('<img src="https:evil.example/a">', "scheme-relative-special"),
    _case('<img src="/\\evil.example/a">', "slash-backslash"),
    _case('<img srcset="/a 1x (,https://evil.example/b 2x)">', "srcset-parens"),
    _case('<link rel="shortcut ICON" href="https://evil.example/i">', "rel-tokens"),
    _case('<link rel=preload as=image imagesrcset="https://evil.example/g 1x">', "imagesrcset"),
    # -- elements the gate watches --
    _case(f'<svg><script href="{EVIL}/a.js"></script></svg>', "svg-script-href"),
    _case(f'<svg><script xlink:href="{EVIL}/a.js"></script></svg>', "svg-script-xlink"),
    _case(f'<svg><image href="{EVIL}/a.png"/></svg>', "svg-image-href"),
    _case(f'<iframe srcdoc="<script src={EVIL}/a.js></script>"></iframe>', "srcdoc"),
    _case(
        f"<iframe srcdoc=\"<iframe srcdoc='<img src={EVIL}/a.png>'></iframe>\"></iframe>",
        "srcdoc-nested",
    ),
    _case(f'<iframe srcdoc="&lt;img src={EVIL}/a.png&gt;"></iframe>', "srcdoc-escaped"),
    _case('<iframe srcdoc="<base href=//evil.example/><img src=x.png>"></iframe>', "srcdoc-base"),
    _case(f'<iframe src="data:text/html,<img src={EVIL}/a>"></iframe>', "data-iframe"),
    _case(f'<object data="data:text/html,<img src={EVIL}/a>"></object>', "data-object"),
    _case(f'<body background="{EVIL}/a.png">', "body-background"),
    _case(f'<table><td background="{EVIL}/a.png">', "td-background"),
    _case(
        f'<table><tr background="{EVIL}/a.png">',
        "tr-background",
    ),
    _case(
        f'<table><tbody background="{EVIL}/a.png">',
        "tbody-background",
    ),
    _case(f"<meta http-equiv=refresh content=\"0; URL = '{EVIL}/'\">", "meta-refresh"),
    _case(f'<div><template shadowrootmode=open><img src="{EVIL}/a"></template></div>', "dsd"),
    _case(f'<input type=IMAGE src="{EVIL}/a">', "input-image"),
    _case(f'<video><track src="{EVIL}/a"></video>', "track"),
    _case(f'<object data="/ok"><embed src="{EVIL}/a"></object>', "object-fallback"),
    # -- inline code --
    _case("<script>fbq('init', 1)</script>", "inline-signature"),
    _case("<svg><script>fbq('init', 1)</script></svg>", "svg-inline-signature"),
    _case("<script language=javascript>fbq('init', 1)</script>", "language-attribute"),
    _case(
        '<script src="data:text/javascript;base64,ZmJxKCdpbml0JywgMSk="></script>', "data-script"
    ),
    _case(
        "<iframe src=\"javascript:parent.fbq('init',1)\"></iframe>",
        "javascript-iframe",
    ),
    _case(
        "<img src=/ok onerror=\"fbq('init', 1)\">",
        "event-handler-signature",
    ),
    _case(
        "<img src=/ok onload=\"s=document.createElement('script');"
        "s.src='https://connect.facebook.net/en_US/fbevents.js'\">",
        "event-handler-host",
    ),
    _case(
        f'<script type=speculationrules>{{"prefetch":[{{"urls":["{EVIL}/s"]}}]}}</script>',
        "speculationrules-undeclared",
    ),
    # -- the document base URL --
    _case('<base href="//evil.example/"><img src="a">', "base-relative"),
    _case('<base href><base href="//evil.example/"><script src="a.js"></script>', "base-no-value"),
    _case(
        '<svg><base href="/"></svg><base href="//evil.example/"><script src=a.js></script>',
        "svg-base-first",
    ),
    _case(
        '<template><base href="/"></template><base href="//evil.example/">'
        "<script src=a.js></script>",
        "template-base-first",
    ),
    _case(
        '<noscript><base href="/"></noscript><base href="//evil.example/">'
        "<script src=a.js></script>",
        "noscript-base-first",
    ),
    _case(
        '<img src="x.png"><base href="//evil.example/">',
        "base-after-image",
    ),
]


@pytest.mark.parametrize("html", BYPASSES)
def test_nothing_non_consented_survives(html: bytes) -> None:
    assert violations(html) == []


def test_the_oracle_sees_every_bypass_ungated() -> None:
    """Each case above is a real load or run in the ungated page; else it proves nothing."""
    silent = []
    for param in BYPASSES:
        html = param.values[0]  # type: ignore[attr-defined]
        result = [fetches(html, URL, scripting=s) for s in (False, True)]
        loads = [x for r in result for x in r.loads if x.host not in OWN]
        code = [c for r in result for c in r.code if any(s in c.text for s in _SIGNATURES)]
        code += [c for r in result for c in r.code if "facebook.net" in c.text]
        if not loads and not code:
            silent.append(param.id)  # type: ignore[attr-defined]
    # Where a browser loads nothing the case guards against over-eager parsing instead:
    # <img> is text inside CDATA in <svg>, inside a bogus comment, inside double-escaped
    # script data, or inside an HTML <style> (math-mglyph); "https:evil.example/a" is a
    # path relative to an https base; a comma in srcset parentheses does not split; and
    # an empty first <base href> freezes the base at the document URL.
    assert sorted(silent) == [
        "base-no-value",
        "html-cdata-is-bogus-comment",
        "math-mglyph",
        "scheme-relative-special",
        "script-double-escape",
        "srcset-parens",
        "svg-cdata",
    ]


# -- exhausting inputs ----------------------------------------------------------------


TRACKER = b'<script async src="https://connect.facebook.net/en_US/fbevents.js"></script>'
IMG = b'<img src="https://www.facebook.com/tr?id=1&ev=PageView" alt="">'
KEPT = b'<p class="x">Some text &amp; a <a href="/next">link</a>.</p>\n'


def _stream(parts: Iterator[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """Re-chunk a byte stream into ``size`` pieces, never holding more than two."""
    pending = b""
    for part in parts:
        pending += part
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending


def _gate_stream(parts: Iterator[bytes], rules: GateRules, consent: Consent) -> tuple[str, int]:
    """Gate a stream; return the output's sha256 and the tracemalloc peak (bytes).

    The input chunks are built before tracing starts, so the peak is the gate's own
    working memory (plus the chunk being fed and the output being hashed).
    """
    chunks = list(_stream(parts))
    digest = hashlib.sha256()
    tracemalloc.start()
    try:
        gate = HtmlGate(rules, QuietPage(consent, URL))  # type: ignore[arg-type]
        for chunk in chunks:
            digest.update(gate.feed(chunk))
        digest.update(gate.close())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return digest.hexdigest(), peak


def _sha(parts: Iterator[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def _bound(longest_tag: int, cap: int = CAP) -> int:
    """Working memory the gate may use, from its module docstring, with stated factors.

    chunk + longest unfinished construct, times 3 (the retained tail, the concatenated
    buffer and one slice of it exist at once) + the held script text twice (the held
    pieces and their join) + 1 MiB for the interpreter, regexes and caches.
    """
    return 3 * (CHUNK + longest_tag) + 2 * cap + 1024 * 1024


Builder = Callable[[bool], Iterator[bytes]]


def _ten_megabytes(gated: bool) -> Iterator[bytes]:
    yield b"<!doctype html><html><head><title>t</title></head><body>\n"
    for i in range(10 * 1024 * 1024 // (len(KEPT) * 8 + len(TRACKER) + len(IMG))):
        yield KEPT * 8
        if not gated:
            yield TRACKER + IMG
        del i
    yield b"</body></html>\n"


def _big_attribute(gated: bool) -> Iterator[bytes]:
    value = b"x" * (1024 * 1024)
    yield b'<body><div title="' + value + b'">' + KEPT
    yield b"" if gated else b'<img alt="' + value + b'" src="https://evil.example/a.png">'
    yield KEPT + b'<a href="/' + value + b'">ok</a></body>'


def _many_tags(gated: bool) -> Iterator[bytes]:
    yield b"<body>"
    for i in range(25_000):
        yield b"<b>a</b><i>b</i>"
        yield b"" if gated else b'<img src="//evil.example/t.gif">'
        yield b"<br>" if i % 2 else b"<span>c</span>"
    yield b"</body>"


def _deep_foreign(gated: bool, depth: int = 20_000) -> Iterator[bytes]:
    yield b"<body>" + b"<svg><g>" * depth + b"<math><mi>" * depth
    # The <img> breaks out of all the foreign content (inside <svg>, <math> is an SVG
    # element, not MathML); the gate leaves an inert <meta> that does the same.
    yield b"<meta>" if gated else b'<img src="https://evil.example/a">'
    yield b"</mi></math>" * depth + b"</g></svg>" * depth + KEPT


def _huge_inline_script(gated: bool) -> Iterator[bytes]:
    # Longer than max_inline_script, no tracker in it: undeclared_third_party: block
    # removes what it cannot read to the end.
    yield b"<body>" + KEPT
    if not gated:
        yield b"<script>var data = ["
        for _ in range(5 * 1024 * 1024 // 16):
            yield b'"0123456789ab", '
        yield b"];</script>"
    yield KEPT + b"</body>"


EXHAUSTING: list[tuple[str, Builder, int]] = [
    ("10MB-page", _ten_megabytes, len(TRACKER)),
    ("1MB-attributes", _big_attribute, 1024 * 1024 + 64),
    ("100k-tags", _many_tags, 64),
    ("5MB-inline-script", _huge_inline_script, 64),
]


@pytest.mark.parametrize(("build", "longest"), [pytest.param(b, n, id=i) for i, b, n in EXHAUSTING])
def test_exhausting_input_is_gated_in_bounded_memory(build: Builder, longest: int) -> None:
    sha, peak = _gate_stream(build(False), RULES["block"], NOBODY)
    assert sha == _sha(build(True))
    assert peak < _bound(longest), f"peak {peak} bytes"


@pytest.mark.parametrize(("build", "longest"), [pytest.param(b, n, id=i) for i, b, n in EXHAUSTING])
def test_exhausting_input_passes_untouched_when_everything_is_allowed(
    build: Builder, longest: int
) -> None:
    everyone = Consent(
        config=ALLOW,
        decided=True,
        categories=frozenset(c.id for c in ALLOW.categories),
        services=frozenset(s.id for s in ALLOW.services),
    )
    sha, peak = _gate_stream(build(False), RULES["allow"], everyone)
    assert sha == _sha(build(False))
    assert peak < _bound(longest), f"peak {peak} bytes"


def test_deep_foreign_nesting_is_gated() -> None:
    sha, _ = _gate_stream(_deep_foreign(False), RULES["block"], NOBODY)
    assert sha == _sha(_deep_foreign(True))


def test_deep_foreign_nesting_memory_is_bounded() -> None:
    nested = iter([b"<body>", b"<math><mi>" * 100_000, b"</mi></math>" * 100_000])
    _, peak = _gate_stream(nested, RULES["block"], NOBODY)
    assert peak < _bound(64), f"peak {peak} bytes"


UNTERMINATED = [
    pytest.param(b"<p>a<!-- never closed <img src=//evil.example/a>", None, id="comment"),
    pytest.param(b"<p>a<script>fbq('init', 1) <img src=//evil.example/a>", b"", id="script"),
    pytest.param(b"<p>a<script>var x = 1; // no end", None, id="script-kept"),
    pytest.param(b'<p>a<img src="//evil.example/a"', None, id="tag"),
    pytest.param(b'<p>a<img alt="x src=//evil.example/a>', None, id="attribute-value"),
    pytest.param(b"<p>a<textarea><img src=//evil.example/a>", None, id="rcdata"),
    pytest.param(b"<p>a<noscript><img src=//evil.example/a>", b"<noscript>", id="noscript"),
    pytest.param(b"<p>a<svg><![CDATA[<img src=//evil.example/a>", None, id="cdata"),
    pytest.param(b"<p>a<", None, id="lone-lt"),
    pytest.param(b"<p>a</", None, id="lone-end"),
    pytest.param(b"<p>a<!DOCTYPE", None, id="doctype"),
]


@pytest.mark.parametrize(("html", "tail"), UNTERMINATED)
@pytest.mark.parametrize("chunk", [1, 3, CHUNK])
def test_unterminated_construct_at_eof(html: bytes, tail: bytes | None, chunk: int) -> None:
    """At EOF an unfinished construct is either kept as is or removed from where it began.

    ``tail`` None: a browser drops a tag cut off by EOF and reads an open comment, RCDATA
    or CDATA as text, so nothing in it loads and the page is unchanged. Otherwise the
    output is ``<p>a`` followed by ``tail``: an open script runs to EOF in a browser and
    goes whole, an open noscript loses its content. The browser model must agree.
    """
    out = run_gate(html, RULES["block"], NOBODY, URL, chunks=chunk)
    assert out == (html if tail is None else b"<p>a" + tail)
    assert violations(html) == []
