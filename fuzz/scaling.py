"""How gate time and memory grow with input size (run by hand; asserts nothing).

    python fuzz/scaling.py

For each input shape the same document is built at 1x, 2x, 4x and 8x its base size and
streamed through the gate in 16 KiB chunks. A linear gate shows a flat "ms/MB" column
across sizes; a quadratic one doubles it at each step. Memory (tracemalloc peak, a
separate run so tracing does not distort the timing) should stay flat for every shape
whose longest construct does not grow with the input.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from cookiegate.config import Config  # noqa: E402
from cookiegate.consent import Consent  # noqa: E402
from cookiegate.html.gate import GateRules, HtmlGate  # noqa: E402
from tests.browser_model import QuietPage  # noqa: E402

CHUNK = 16 * 1024
URL = "https://shop.example/page"
CONFIG = Config.from_mapping(
    {
        "undeclared_third_party": "block",
        "max_inline_script": 64 * 1024,
        "services": {"meta-pixel": {"preset": "meta-pixel"}},
    }
)
RULES = GateRules.from_config(CONFIG)
NOBODY = Consent(config=CONFIG)
MB = 1024 * 1024
TRACKER = b'<script src="https://connect.facebook.net/en_US/fbevents.js"></script>'

SHAPES: dict[str, Callable[[int], bytes]] = {
    "mixed page": lambda n: b"<body>" + (b"<p>t <a href=/x>l</a></p>\n" * 20 + TRACKER) * n,
    "one long attribute": lambda n: b'<div title="' + b"x" * (600 * n) + b'">',
    "one long script": lambda n: b"<script>" + b"var a=1;" * (75 * n) + b"</script>",
    "one long comment": lambda n: b"<!--" + b"-x" * (300 * n) + b"-->",
    "unclosed tag": lambda n: b"<img " + b"a=b " * (150 * n),
    "many '<'": lambda n: b"<p>" + b"< " * (300 * n),
    "nested math/mi": lambda n: b"<body>" + b"<math><mi>" * (60 * n),
    "many blocked tags": lambda n: b"<body>" + TRACKER * (8 * n),
}


def _chunks(data: bytes) -> list[bytes]:
    return [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)]


def _run(chunks: list[bytes]) -> None:
    gate = HtmlGate(RULES, QuietPage(NOBODY, URL))  # type: ignore[arg-type]
    for chunk in chunks:
        gate.feed(chunk)
    gate.close()


def measure(data: bytes) -> tuple[float, int]:
    chunks = _chunks(data)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        _run(chunks)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    _run(chunks)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak


def main() -> None:
    base = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f"{'shape':20} {'size':>6} {'MB':>7} {'ms':>9} {'ms/MB':>8} {'peak KiB':>9}")
    for name, build in SHAPES.items():
        for factor in (1, 2, 4, 8):
            data = build(base * factor)
            seconds, peak = measure(data)
            size = len(data) / MB
            print(
                f"{name:20} {factor:>5}x {size:7.2f} {seconds * 1000:9.1f} "
                f"{seconds * 1000 / size:8.1f} {peak / 1024:9.0f}"
            )


if __name__ == "__main__":
    main()
