"""Coverage-guided fuzzing of the HTML gate with atheris.

Each input is split into a chunking seed and an HTML body. Random bytes rarely spell
tags, so half of the inputs are read as a token stream instead: each byte picks one of
the HTML fragments in ``TOKENS`` (tags that fetch, raw-text and foreign-content
switches, comments, lone '<'), which reaches the tokenizer's interesting states fast.
The body goes through the gate whole, byte by byte and in seeded random chunks, and
the harness checks:

* no exception;
* chunking invariance: every chunking gives the same output;
* deletions only: the output is the input minus byte ranges that each start at '<'
  (banner and placeholders off; inputs holding ``srcdoc``, ``background`` or a
  ``data:`` URL are skipped for this check, because the gate edits those inside a tag
  by design);
* idempotence: gating the output again changes nothing.

Run (see fuzz/README.md)::

    python fuzz/fuzz_gate.py -max_total_time=600
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

with atheris.instrument_imports():
    from cookiegate.config import Config
    from cookiegate.consent import Consent
    from cookiegate.html.gate import GateRules

from tests.browser_model import is_deletion_of, run_gate  # noqa: E402

URL = "https://shop.example/page"
CONFIG = Config.from_mapping(
    {
        "undeclared_third_party": "block",
        "first_party_hosts": ["static.shop.example"],
        "max_inline_script": 1024,
        "services": {
            "meta-pixel": {"preset": "meta-pixel"},
            "google-analytics": {"preset": "google-analytics"},
            "youtube": {"preset": "youtube", "placeholder": True},
        },
    }
)
RULES = GateRules.from_config(CONFIG)
NOBODY = Consent(config=CONFIG)
_EDITED = (b"srcdoc", b"background", b"data:")
TOKENS = [
    b"<",
    b"</",
    b">",
    b"<!--",
    b"-->",
    b"--!>",
    b"<!",
    b"<?",
    b"<![CDATA[",
    b"]]>",
    b'"',
    b"'",
    b"=",
    b" ",
    b"/",
    b"&lt;",
    b"&#60",
    b"x",
    b"\r\n",
    b"\x00",
    b"<img src=//evil.example/a>",
    b"<img src=/ok.png>",
    b"<img srcset='//evil.example/b 1x'>",
    b"<script src=https://connect.facebook.net/x.js></script>",
    b"<script>fbq('init',1)</script>",
    b"<script>",
    b"</script>",
    b"<script><!--<script>",
    b"<iframe src=//www.youtube.com/embed/x>",
    b"</iframe>",
    b"<noscript>",
    b"</noscript>",
    b"<template>",
    b"</template>",
    b"<svg>",
    b"</svg>",
    b"<math>",
    b"<mi>",
    b"<foreignObject>",
    b"<desc>",
    b"<style>",
    b"</style>",
    b"<textarea>",
    b"<title>",
    b"<xmp>",
    b"<plaintext>",
    b"<p>",
    b"</p>",
    b"<br>",
    b"<table>",
    b"<td>",
    b"<object data=//evil.example/o>",
    b"</object>",
    b"<link rel=stylesheet href=//evil.example/s>",
    b"<a href=//evil.example/l>",
    b"<div data-cookiegate=analytics>",
    b"</div>",
    b"<body>",
    b"<video poster=//evil.example/v>",
    b"</video>",
]


def check(data: bytes) -> None:
    """One fuzz input: the first two bytes seed the chunking, the rest is the body."""
    seed, html = data[:2], data[2:]
    if seed[:1] and seed[0] & 1:
        html = b"".join(TOKENS[byte % len(TOKENS)] for byte in html)
    whole = run_gate(html, RULES, NOBODY, URL)
    rng = random.Random(seed)
    cuts = [rng.randint(1, 64) for _ in range(len(html) // 8 + 1)]
    for chunks in (cuts, 1):
        split = run_gate(html, RULES, NOBODY, URL, chunks=chunks)
        if split != whole:
            raise AssertionError(f"chunking {chunks!r} changes the output of {html!r}")
    lowered = html.lower()
    if not any(word in lowered for word in _EDITED) and not is_deletion_of(whole, html):
        raise AssertionError(f"output {whole!r} is not a deletion of {html!r}")
    again = run_gate(whole, RULES, NOBODY, URL)
    if again != whole:
        raise AssertionError(f"not idempotent: {html!r} -> {whole!r} -> {again!r}")


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
