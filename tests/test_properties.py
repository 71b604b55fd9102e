"""Properties of the gate on generated and mutated HTML (hypothesis).

Documents are built from fragments chosen to stress the tokenizer and the gate: tags
with tricky attributes and quoting, comments of every ending, scripts with escapes,
CDATA, svg/math, noscript, template, character references, stray '<', CR and NUL,
and random slices of the real pages. For every document:

* the gate does not raise, and its output does not depend on how the input is chunked;
* it is idempotent: gating the output again changes nothing;
* it only deletes: the output is the input minus byte ranges that each start at '<'
  (banner and placeholders are switched off; generators that feed this property leave
  out the two edits that are not deletions by design: cutting ``background`` out of a
  tag and re-gating a ``srcdoc`` or ``data:text/html`` document);
* judged by the browser model (scripting on and off), nothing loads from a host that is
  neither the page's own nor a declared first-party host.

The browser-model property leaves out the constructs behind the known bypasses that
``tests/test_hostile.py`` records as strict xfails (``<base>`` after other content,
``on*`` handlers, speculation rules, ``javascript:`` frames, background on table parts),
so that a failure here is always news. A long random hunt
(``COOKIEGATE_PROPERTY_EXAMPLES=3000``) does find two more, now recorded there as strict
xfails too: a deletion that splices a preceding ``<`` onto the following text
(``splice-lt``), and a deleted breakout tag that changes how later foreign content
parses (``breakout-deleted``); both break idempotence first.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cookiegate.config import Config
from cookiegate.consent import Consent
from cookiegate.html.gate import GateRules
from tests.browser_model import fetches, is_deletion_of, run_gate

URL = "https://shop.example/page"
OWN = frozenset({"shop.example", "static.shop.example"})
CONFIG = Config.from_mapping(
    {
        "undeclared_third_party": "block",
        "first_party_hosts": ["static.shop.example"],
        "max_inline_script": 4096,
        "categories": {
            "necessary": {"title": "Necessary", "required": True},
            "analytics": {"title": "Analytics"},
            "marketing": {"title": "Marketing"},
        },
        "services": {
            "ga": {
                "category": "analytics",
                "hosts": ["www.googletagmanager.com", "*.google-analytics.com"],
                "inline": ["gtag('config'"],
            },
            "pixel": {
                "category": "marketing",
                "hosts": ["connect.facebook.net"],
                "inline": ["fbq('init'"],
                "placeholder": True,
            },
        },
    }
)
RULES = GateRules.from_config(CONFIG)
NOBODY = Consent(config=CONFIG)
ANALYTICS = Consent(config=CONFIG, decided=True, categories=frozenset({"analytics"}))
PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"
_REAL = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))[:8]] if PAGES.is_dir() else []

# CI runs a bounded number of examples; raise it for a long local hunt, e.g.
# COOKIEGATE_PROPERTY_EXAMPLES=5000 pytest tests/test_properties.py
# The bounded CI run is derandomized, so it is reproducible; a long hunt is random.
EXAMPLES = int(os.environ.get("COOKIEGATE_PROPERTY_EXAMPLES", "120"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize="COOKIEGATE_PROPERTY_EXAMPLES" not in os.environ,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- fragments ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


URLS = [
    "https://connect.facebook.net/en_US/fbevents.js",
    "//www.google-analytics.com/analytics.js",
    "https://evil.example/x",
    "HTTPS://EVIL.EXAMPLE./y",
    "https:\\\\evil.example\\z",
    "&#x68;ttps://evil.example/r",
    "https://static.shop.example/ok.png",
    "/ok.png",
    "ok.png",
    "data:image/gif;base64,R0lGOD",
    "javascript:void(0)",
    "",
    " //evil.example/s ",
    "https://evil.example/a 1x, /ok.png 2x",
]
NAMES = _words(
    "script img iframe frame noscript template svg math style textarea title xmp body "
    "link a p div table td th object embed video audio source input select image "
    "foreignObject desc mi mtext annotation-xml font picture track frameset noembed"
)
SAFE_ATTRS = _words("src href srcset data poster rel type alt title class xlink:href imagesrcset")
EDIT_ATTRS = ["srcdoc", "background"]
RELS = ["stylesheet", "preload", "icon", "alternate", "dns-prefetch", "next"]
TYPES = ["module", "text/javascript", "text/plain", "application/json", "image", ""]


def _quoted(value: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [f'"{value}"', f"'{value}'", value.replace(" ", "") or "x", f'"{value}" ']
    )


@st.composite
def _attribute(draw: st.DrawFn, edits: bool) -> str:
    names = SAFE_ATTRS + (EDIT_ATTRS if edits else []) + ["data-cookiegate", "SRC", "Src"]
    name = draw(st.sampled_from(names))
    if name == "rel":
        value = draw(st.sampled_from(RELS))
    elif name == "type":
        value = draw(st.sampled_from(TYPES))
    elif name == "data-cookiegate":
        value = draw(st.sampled_from(["analytics", "pixel", "nope", "necessary"]))
    elif name == "srcdoc":
        value = draw(st.sampled_from(["<img src=//evil.example/d>", "&lt;p&gt;hi", "<p>x"]))
    else:
        value = draw(st.sampled_from(URLS))
    if draw(st.booleans()):
        return f" {name}"
    return f" {name}={draw(_quoted(value))}"


@st.composite
def _tag(draw: st.DrawFn, edits: bool) -> str:
    name = draw(st.sampled_from(NAMES))
    if draw(st.integers(0, 4)) == 0:
        return f"</{name}>"
    attrs = "".join(draw(st.lists(_attribute(edits), max_size=3)))
    close = draw(st.sampled_from([">", "/>", " >", ""]))
    return f"<{name if draw(st.booleans()) else name.upper()}{attrs}{close}"


STATIC = [
    "text ",
    "<!-- c -->",
    "<!-->",
    "<!--->",
    "<!-- a --!>",
    "<!-- <script> -->",
    "<?pi x>",
    "<!DOCTYPE html>",
    "<![CDATA[ ]]> <img src=//evil.example/c> ]]>",
    "<script>fbq('init', 1)</script>",
    "<script>gtag('config','G')</script>",
    "<script><!--<script>x</script>--></script>",
    "<script>var s='</scr'+'ipt>'</script>",
    "<script>if (a<b) {}</script>",
    "<script type=text/plain>fbq('init')</script>",
    "<noscript><img src=https://evil.example/n></noscript>",
    '<noscript><p title="</noscript>">',
    "<template><img src=//evil.example/t></template>",
    "<svg><image href=//evil.example/i /></svg>",
    "<svg><script href=//evil.example/s></script></svg>",
    "<math><mi><img src=//evil.example/m></mi></math>",
    "&amp;&lt;&#60;&#x3C;&lt &notin;&",
    "<",
    "</",
    "<a",
    "\r\n",
    "\x00",
    "é漢",
    "</body><body>",
]


@st.composite
def _real_slice(draw: st.DrawFn) -> str:
    if not _REAL:
        return "<p>real pages absent</p>"
    page = draw(st.sampled_from(_REAL))
    start = draw(st.integers(0, len(page) - 1))
    length = draw(st.integers(1, 3000))
    return page[start : start + length].decode("utf-8", "replace")


def documents(*, edits: bool = True) -> st.SearchStrategy[bytes]:
    fragment = st.one_of(st.sampled_from(STATIC), _tag(edits), _real_slice(), st.text(max_size=8))
    return st.lists(fragment, max_size=30).map(lambda parts: "".join(parts).encode("utf-8"))


def _cuts(data: st.DataObject, size: int) -> list[int]:
    return data.draw(st.lists(st.integers(1, max(size, 1)), max_size=12), label="chunks")


def _strip_base_and_risky(html: bytes) -> bytes:
    """Leave out what the known-bypass xfails already cover (see the module docstring)."""
    for needle in (b"<base", b"<BASE", b" on", b"speculationrules", b"javascript:"):
        html = html.replace(needle, b"<x-")
    return html


# -- properties ----------------------------------------------------------------------------


@SETTINGS
@given(html=documents(), data=st.data())
def test_output_does_not_depend_on_chunking(html: bytes, data: st.DataObject) -> None:
    whole = run_gate(html, RULES, NOBODY, URL)
    assert run_gate(html, RULES, NOBODY, URL, chunks=_cuts(data, len(html))) == whole
    assert run_gate(html, RULES, NOBODY, URL, chunks=1) == whole


@SETTINGS
@given(html=documents(edits=False), consent=st.sampled_from([NOBODY, ANALYTICS]))
def test_gate_only_deletes_ranges_starting_at_lt(html: bytes, consent: Consent) -> None:
    out = run_gate(html, RULES, consent, URL)
    assert is_deletion_of(out, html)


@SETTINGS
@given(html=documents(), consent=st.sampled_from([NOBODY, ANALYTICS]))
def test_gate_is_idempotent(html: bytes, consent: Consent) -> None:
    once = run_gate(html, RULES, consent, URL)
    assert run_gate(once, RULES, consent, URL) == once


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 1))
@given(html=documents().map(_strip_base_and_risky))
def test_no_third_party_load_survives_in_a_browser(html: bytes) -> None:
    out = run_gate(html, RULES, NOBODY, URL)
    for scripting in (False, True):
        loads = fetches(out, URL, scripting=scripting).loads
        assert sorted(x.url for x in loads if x.host not in OWN) == []


def test_generated_documents_do_load_third_parties() -> None:
    """The generator reaches blocked loads at all (else the property above proves little)."""
    html = "".join(STATIC).encode("utf-8")
    loads = fetches(html, URL, scripting=False).loads
    assert {x.host for x in loads} - OWN
