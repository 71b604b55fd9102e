"""cookiegate benchmarks: one command, ratios against baselines measured in the same run.

    python -m pip install -e '.[bench]'
    python bench/run.py [--quick] [--pages DIR]

1. Gate throughput over real pages (../shared/data/pages), in MB/s, against:
   - a regex lower bound: ``finditer`` over tag starts plus joining the untouched
     slices, i.e. the least work any scanner that copies the page must do in Python;
   - the DOM route: selectolax (lexbor) parse, remove the same tags, serialise;
   - lol-html's Python binding, when ``python-lolhtml`` is installed.
2. Working memory of a 10 MB page streamed in 16 KiB chunks (tracemalloc peak).
3. Per-request time of the example site's pages, wrapped vs unwrapped.

No figure here is asserted anywhere: timing belongs in benchmarks, not in tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

from werkzeug.test import EnvironBuilder, run_wsgi_app

from cookiegate.config import Config
from cookiegate.consent import Consent
from cookiegate.hosts import UrlResolver
from cookiegate.html.gate import GateRules, HtmlGate

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "pages"
EXAMPLE = ROOT / "examples" / "flask_site"
CHUNK = 16 * 1024

BENCH_CONFIG = {
    "undeclared_third_party": "block",
    "services": {
        name: {"preset": name}
        for name in (
            "google-analytics",
            "google-tag-manager",
            "doubleclick",
            "meta-pixel",
            "facebook-sdk",
            "youtube",
            "x-twitter",
            "chartbeat",
            "comscore",
            "quantcast",
            "taboola",
            "outbrain",
            "criteo",
            "hotjar",
        )
    },
}


class _Page:
    """A request page for the gate: first visit, opt-in, no consent."""

    def __init__(self, config: Config) -> None:
        self.consent = Consent(config=config)
        self.resolver = UrlResolver("https://www.example.org/article")

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        return '<section id="cg-banner">banner</section>'

    def placeholder(self, service: object, **_: object) -> str:
        return "<div>placeholder</div>"


def best_of(fn: Callable[[], object], *, repeat: int, min_time: float = 0.05) -> float:
    """Seconds per call: the best mean over ``repeat`` rounds of at least ``min_time``."""
    fn()
    times: list[float] = []
    for _ in range(repeat):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        times.append(elapsed / n)
    return min(times)


_TAG_START = re.compile(rb"<[a-zA-Z/!?]")


def regex_lower_bound(html: bytes) -> bytes:
    """Find every tag start and join the slices between them: the least a copier does."""
    pieces = []
    last = 0
    for match in _TAG_START.finditer(html):
        pieces.append(html[last : match.start()])
        last = match.start()
    pieces.append(html[last:])
    return b"".join(pieces)


def gate_stream(rules: GateRules, config: Config, html: bytes, chunk: int = CHUNK) -> bytes:
    gate = HtmlGate(rules, _Page(config))
    out = [gate.feed(html[i : i + chunk]) for i in range(0, len(html), chunk)]
    out.append(gate.close())
    return b"".join(out)


def selectolax_route(rules: GateRules, config: Config) -> Callable[[bytes], bytes] | None:
    if importlib.util.find_spec("selectolax") is None:
        return None
    from selectolax.lexbor import LexborHTMLParser

    consent = Consent(config=config)

    def run(html: bytes) -> bytes:
        tree = LexborHTMLParser(html)
        resolver = UrlResolver("https://www.example.org/article")
        for node in tree.css("script[src], iframe[src], img[src], link[href]"):
            url = node.attributes.get("src") or node.attributes.get("href") or ""
            if not rules.host_allowed(resolver.host(url), consent, resolver):
                node.decompose()
        return (tree.html or "").encode("utf-8")

    return run


def lolhtml_route(rules: GateRules, config: Config) -> Callable[[bytes], bytes] | None:
    if importlib.util.find_spec("lolhtml") is None:
        return None
    import lolhtml  # type: ignore[import-not-found]

    consent = Consent(config=config)
    resolver = UrlResolver("https://www.example.org/article")

    class Handler:
        def element(self, el: object) -> None:
            url = el.get_attribute("src") or el.get_attribute("href") or ""  # type: ignore[attr-defined]
            if not rules.host_allowed(resolver.host(url), consent, resolver):
                el.remove()  # type: ignore[attr-defined]

    def run(html: bytes) -> bytes:
        out: list[bytes] = []
        rewriter = lolhtml.HTMLRewriter(out.append)
        rewriter.on("script[src], iframe[src], img[src], link[href]", Handler())
        for i in range(0, len(html), CHUNK):
            rewriter.write(html[i : i + CHUNK])
        rewriter.end()
        return b"".join(out)

    return run


def throughput(pages: list[Path], repeat: int) -> None:
    config = Config.from_mapping(BENCH_CONFIG, source="bench")
    rules = GateRules.from_config(config)
    dom = selectolax_route(rules, config)
    lol = lolhtml_route(rules, config)
    print("\n## Gate throughput on real pages (MB/s; higher is better)\n")
    header = (
        "| page | KB | gate 16 KiB chunks | regex bound | gate/regex | selectolax DOM | gate/DOM |"
    )
    if lol:
        header += " lol-html | gate/lol-html |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    totals = {"gate": 0.0, "regex": 0.0, "dom": 0.0, "lol": 0.0}
    ratios: list[float] = []
    size_total = 0
    slowest = (float("inf"), "")
    for path in pages:
        html = path.read_bytes()
        mb = len(html) / 1e6
        size_total += len(html)
        t_gate = best_of(partial(gate_stream, rules, config, html), repeat=repeat)
        t_regex = best_of(partial(regex_lower_bound, html), repeat=repeat)
        totals["gate"] += t_gate
        totals["regex"] += t_regex
        ratios.append(t_regex / t_gate)
        slowest = min(slowest, (mb / t_gate, path.stem))
        row = f"| {path.stem} | {len(html) / 1024:.0f} | {mb / t_gate:.1f} | {mb / t_regex:.1f} | "
        row += f"{t_regex / t_gate:.0%} | "
        if dom:
            t_dom = best_of(partial(dom, html), repeat=repeat)
            totals["dom"] += t_dom
            row += f"{mb / t_dom:.1f} | {t_dom / t_gate:.2f}x |"
        else:
            row += "n/a | n/a |"
        if lol:
            t_lol = best_of(partial(lol, html), repeat=repeat)
            totals["lol"] += t_lol
            row += f" {mb / t_lol:.1f} | {t_gate / t_lol:.2f}x slower |"
        print(row)
    mb_total = size_total / 1e6
    print(
        f"\nWhole set ({mb_total:.2f} MB): gate {mb_total / totals['gate']:.1f} MB/s, "
        f"regex bound {mb_total / totals['regex']:.1f} MB/s "
        f"(gate = {totals['regex'] / totals['gate']:.0%} of the bound; "
        f"median page {statistics.median(ratios):.0%})"
    )
    if dom:
        print(
            f"selectolax DOM route {mb_total / totals['dom']:.1f} MB/s: "
            f"gate is {totals['dom'] / totals['gate']:.2f}x its speed"
        )
    if lol:
        print(f"lol-html {mb_total / totals['lol']:.1f} MB/s")
    else:
        print("lol-html: python-lolhtml is not installed; skipped")
    print(f"Slowest page: {slowest[1]} at {slowest[0]:.1f} MB/s")


def memory(pages: list[Path]) -> None:
    config = Config.from_mapping(BENCH_CONFIG, source="bench")
    rules = GateRules.from_config(config)
    body = b"".join(p.read_bytes() for p in pages)
    big = (body * (10_000_000 // len(body) + 1))[:10_000_000]
    gate = HtmlGate(rules, _Page(config))
    tracemalloc.start()
    sent = 0
    start = time.perf_counter()
    for i in range(0, len(big), CHUNK):
        sent += len(gate.feed(big[i : i + CHUNK]))
    sent += len(gate.close())
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print("\n## Streaming a 10 MB page in 16 KiB chunks\n")
    print(
        f"in {len(big) / 1e6:.1f} MB, out {sent / 1e6:.1f} MB, {len(big) / 1e6 / elapsed:.1f} MB/s "
        f"(under tracemalloc), peak traced memory {peak / 1024:.0f} KiB"
    )


def per_request(repeat: int) -> None:
    if importlib.util.find_spec("flask") is None or not EXAMPLE.is_dir():
        print("\n(per-request benchmark skipped: needs flask and examples/flask_site)")
        return
    from cookiegate import CookieGate
    from cookiegate.demo import load_site_module

    module = load_site_module(EXAMPLE)
    plain = module.create_app()
    wrapped_app = module.create_app()
    gate = CookieGate(wrapped_app.wsgi_app, EXAMPLE / "cookies.yaml", secret_key="b" * 32)
    wrapped_app.wsgi_app = gate  # type: ignore[method-assign]
    paths = [rule.rule for rule in plain.url_map.iter_rules() if "<" not in rule.rule]
    paths = [p for p in paths if not p.startswith("/static")]
    print("\n## Example site: per-request time, wrapped vs unwrapped (microseconds)\n")
    print("| path | unwrapped | wrapped, first visit | overhead | wrapped, consented | overhead |")
    print("|---|---|---|---|---|---|")
    consented = gate.consent_cookie(categories=[c.id for c in gate.config.categories])

    def call(app: object, path: str, cookie: str | None = None) -> Callable[[], object]:
        headers = {"Cookie": cookie} if cookie else {}

        def run() -> object:
            env = EnvironBuilder(path=path, headers=headers).get_environ()
            body, _, _ = run_wsgi_app(app, env, buffered=True)  # type: ignore[arg-type]
            return body

        return run

    for path in sorted(set(paths)):
        runs = (call(plain, path), call(wrapped_app, path), call(wrapped_app, path, consented))
        # Interleaved rounds, best of each: a slow spell of the machine then hits all
        # three alike instead of skewing one ratio.
        best = [float("inf")] * 3
        for _ in range(repeat * 2):
            for index, run in enumerate(runs):
                best[index] = min(best[index], best_of(run, repeat=1, min_time=0.05))
        t_plain, t_first, t_cons = best
        print(
            f"| {path} | {t_plain * 1e6:.0f} | {t_first * 1e6:.0f} | "
            f"{(t_first - t_plain) / t_plain:+.0%} | {t_cons * 1e6:.0f} | "
            f"{(t_cons - t_plain) / t_plain:+.0%} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    repeat = 2 if args.quick else 5
    pages = sorted(args.pages.glob("*.html")) if args.pages.is_dir() else []
    print(f"cookiegate benchmark, Python {sys.version.split()[0]}")
    if pages:
        throughput(pages, repeat)
        memory(pages)
    else:
        print(f"\n(page benchmarks skipped: {args.pages} is absent; pass --pages DIR)")
    per_request(repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
