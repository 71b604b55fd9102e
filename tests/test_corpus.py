"""The gate on 20 real pages, judged by what a browser would fetch (see browser_model).

For each page of ``shared/data/pages``: the original page loads third parties (counted
per scripting mode, printed with ``-rP``); gated with no consent under
``undeclared_third_party: block`` it loads nothing outside its own host and declared
first-party hosts, with scripting on or off, and no inline code that names a
non-consented service survives; gated with everything consented under ``allow`` it is
byte for byte the input. The document URL is the page's canonical URL, else its
``og:url``, else one made from the file name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from cookiegate.catalog import PRESETS
from cookiegate.config import Config
from cookiegate.consent import Consent
from cookiegate.html.gate import GateRules
from tests.browser_model import Fetches, fetches, host_of, is_deletion_of, run_gate

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"
CHUNK = 16 * 1024
_FILES = sorted(PAGES.glob("*.html")) if PAGES.is_dir() else []
_PARAMS = [pytest.param(path, id=path.stem) for path in _FILES] or [
    pytest.param(None, marks=pytest.mark.skip(reason=f"real pages not found in {PAGES}"))
]
_URL_IN_TAG = re.compile(rb"""\bhref\s*=\s*["']([^"']+)["']|\bcontent\s*=\s*["']([^"']+)["']""")
_CANONICAL = re.compile(rb"""<link\b[^>]*\brel\s*=\s*["']?canonical\b[^>]*>""", re.IGNORECASE)
_OG_URL = re.compile(rb"""<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*>""", re.IGNORECASE)
# Second-level labels under which a registrable domain takes three labels (stuff.co.nz).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov"})


def document_url(path: Path, html: bytes) -> str:
    """A plausible URL the page was served at: canonical link, og:url, or the file name."""
    for pattern in (_CANONICAL, _OG_URL):
        tag = pattern.search(html)
        if tag is not None:
            found = _URL_IN_TAG.search(tag.group(0))
            if found is not None:
                url = (found.group(1) or found.group(2)).decode("utf-8", "replace")
                if url.startswith(("http://", "https://")):
                    return url
    return "https://www." + path.stem.replace("-", ".") + "/"


def site_domain(host: str) -> str:
    """The page's registrable domain, close enough for these 20 sites."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def matches(host: str, pattern: str) -> bool:
    """A host pattern as the configuration documents it: exact, or ``*.`` for subdomains."""
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


class Site:
    """One page and the two configurations it is gated under."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.html = path.read_bytes()
        self.url = document_url(path, self.html)
        self.host = host_of(self.url) or ""
        domain = site_domain(self.host)
        self.first_party = (domain, "*." + domain)
        presets = {"services": {name: {"preset": name} for name in PRESETS}}
        self.block = Config.from_mapping(
            {**presets, "undeclared_third_party": "block", "first_party_hosts": self.first_party}
        )
        self.allow = Config.from_mapping(
            {**presets, "undeclared_third_party": "allow", "first_party_hosts": self.first_party}
        )

    def allowed(self, host: str) -> bool:
        """What may load without consent: the page's host, else an unclaimed first-party host."""
        if host == self.host:
            return True
        if any(matches(host, p) for s in self.block.services for p in s.hosts):
            return False
        return any(matches(host, p) for p in self.first_party)

    def banned_literals(self) -> tuple[list[str], list[str]]:
        """Host texts (lowercase) and signatures of every service, none of them consented."""
        hosts = [p[1:] if p.startswith("*.") else p for s in self.block.services for p in s.hosts]
        signatures = [sig for s in self.block.services for sig in s.inline]
        return hosts, signatures


@cache
def site(path: Path) -> Site:
    return Site(path)


@cache
def original(path: Path, scripting: bool) -> Fetches:
    s = site(path)
    return fetches(s.html, s.url, scripting=scripting)


@cache
def gated(path: Path) -> bytes:
    s = site(path)
    rules = GateRules.from_config(s.block)
    return run_gate(s.html, rules, Consent(config=s.block), s.url, chunks=CHUNK)


@pytest.mark.parametrize("path", _PARAMS)
def test_original_page_loads_third_parties(path: Path) -> None:
    """The corpus is worth testing on: every page loads third parties in some mode."""
    s = site(path)
    counts = {}
    for scripting in (False, True):
        loads = original(path, scripting).loads
        counts[scripting] = (len(loads), len({x for x in loads if not s.allowed(x.host)}))
    print(  # shown with -rP: total loads / third-party loads, scripting off then on
        f"{path.stem}: {s.url} off {counts[False][0]}/{counts[False][1]} "
        f"on {counts[True][0]}/{counts[True][1]}"
    )
    assert counts[True][1] > 0


@pytest.mark.parametrize("scripting", [False, True], ids=["scripting-off", "scripting-on"])
@pytest.mark.parametrize("path", _PARAMS)
def test_gated_page_loads_nothing_third_party(path: Path, scripting: bool) -> None:
    s = site(path)
    out = gated(path)
    loads = fetches(out, s.url, scripting=scripting).loads
    leaks = sorted(
        f"{x.element}[{x.attr}] {x.url} {x.document}" for x in loads if not s.allowed(x.host)
    )
    assert leaks == []
    # The gate only removes: what stays loaded also loaded before.
    assert loads <= original(path, scripting).loads


@pytest.mark.parametrize("path", _PARAMS)
def test_gated_page_runs_no_inline_tracker(path: Path) -> None:
    s = site(path)
    hosts, signatures = s.banned_literals()
    code = fetches(gated(path), s.url, scripting=True).code
    found = sorted(
        {
            f"{c.source}: {literal}"
            for c in code
            if c.source in ("script", "data-url")
            for literal in [h for h in hosts if h in c.text.lower()]
            + [sig for sig in signatures if sig in c.text]
        }
    )
    assert found == []


@pytest.mark.parametrize("path", _PARAMS)
def test_gated_page_only_loses_whole_constructs(path: Path) -> None:
    s = site(path)
    assert is_deletion_of(gated(path), s.html)


@pytest.mark.parametrize("path", _PARAMS)
def test_everything_consented_and_allowed_is_byte_identical(path: Path) -> None:
    s = site(path)
    everyone = Consent(
        config=s.allow,
        decided=True,
        categories=frozenset(c.id for c in s.allow.categories),
        services=frozenset(x.id for x in s.allow.services),
    )
    rules = GateRules.from_config(s.allow)
    assert run_gate(s.html, rules, everyone, s.url, chunks=CHUNK) == s.html
    assert run_gate(s.html, rules, everyone, s.url, chunks=[1, 7, 4093]) == s.html
