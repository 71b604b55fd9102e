"""Load and endurance run: the example site under gunicorn, driven from other processes.

    python -m pip install -e '.[test,bench]'
    python bench/load.py [--requests 100000] [--workers 4] [--clients 4] [--seconds 15]

Not part of CI: it takes minutes and measures the machine as much as the code. Two parts,
each against a real gunicorn on 127.0.0.1 with several sync workers:

1. **Throughput**: the same request mix (first visits and consented browsing, no
   consent posts) against the example site without cookiegate and with it, alternated
   ``--rounds`` times; the best round of each is compared. With ``wrk`` installed
   (Debian's ``wrk``) each page is also measured by wrk, which costs the client side less.
2. **Endurance**: ``--requests`` requests against the wrapped site with a consent log,
   as visitors would send them: a first visit, then (for one visitor in ten) a consent
   post built from the banner's own form, then consented browsing with the cookie
   that post set. It checks that no request failed, that every consent post has its
   record in the log, and that the workers' resident memory stays flat.

The load generator is a small bounded Python client (one connection per request, as
gunicorn's sync workers close them), run in ``--clients`` processes.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import multiprocessing
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("/", "/journal/big-buck-bunny-at-fifteen", "/shop", "/basket", "/privacy")
TRACKER_HOSTS = (b"googletagmanager.com", b"connect.facebook.net", b"youtube.com")
BANNER = b'id="cookiegate-banner"'
_CSRF = re.compile(rb'name="csrf" value="([^"]+)"')
SECRET = "load-test-key-" + "x" * 32


# -- the server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def gunicorn(app: str, workers: int, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """Serve ``load_apps:<app>()`` with gunicorn; yields (host, port) once it answers."""
    port = _free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
        "COOKIEGATE_SECRET_KEY": SECRET,
        "FLASK_SECRET_KEY": SECRET,
        **env,
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", f"--workers={workers}", "--worker-class=sync",
            f"--bind=127.0.0.1:{port}", "--log-level=warning", f"load_apps:{app}()",
        ],
        env=environment,
    )  # fmt: skip
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}")
            try:
                status, _, _ = request(("127.0.0.1", port), "GET", "/privacy")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start serving")
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=30)


def worker_rss(port: int) -> int:
    """Total resident memory (KiB) of the gunicorn workers listening on ``port``."""
    total = 0
    for pid in _gunicorn_workers(port):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def _gunicorn_workers(port: int) -> list[int]:
    workers = []
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            cmdline = status.read_bytes()
            if b"gunicorn" in cmdline and f"127.0.0.1:{port}".encode() in cmdline:
                pid = int(status.parent.name)
                parent = Path(f"/proc/{pid}/stat").read_text().split()[3]
                parent_cmd = Path(f"/proc/{parent}/cmdline").read_bytes()
                if b"gunicorn" in parent_cmd:  # a worker, not the arbiter
                    workers.append(pid)
    return workers


# -- the client ---------------------------------------------------------------------------


def request(
    address: tuple[str, int],
    method: str,
    path: str,
    *,
    cookie: str | None = None,
    form: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*address, timeout=30)
    headers = {"Connection": "close"}
    body = None
    if cookie:
        headers["Cookie"] = cookie
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://{address[0]}:{address[1]}"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


@dataclass
class Tally:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    consents: int = 0

    def add(self, other: Tally) -> None:
        self.requests += other.requests
        self.errors.extend(other.errors[: max(0, 20 - len(self.errors))])
        self.consents += other.consents


def _browse(
    address: tuple[str, int], rng: random.Random, cookie: str | None, *, gated: bool = True
) -> bytes:
    path = rng.choice(PAGES)
    status, _, body = request(address, "GET", path, cookie=cookie)
    if status != 200:
        raise AssertionError(f"GET {path}: {status}")
    # The same checks on both apps, so that the client does the same work in both runs;
    # only the wrapped app is held to them.
    not_gated = BANNER not in body or any(h in body for h in TRACKER_HOSTS)
    if gated and cookie is None and not_gated:
        raise AssertionError(f"GET {path}: first visit not gated")
    return body


def _consent(address: tuple[str, int], rng: random.Random, page: bytes) -> str:
    token = _CSRF.search(page)
    if token is None:
        raise AssertionError("the banner has no csrf field")
    action = rng.choice(("accept", "reject"))
    status, headers, _ = request(
        address,
        "POST",
        "/_cookiegate/consent",
        form={"csrf": token.group(1).decode(), "next": "/", "action": action},
    )
    cookie = headers.get("set-cookie", "")
    if status != 303 or not cookie.startswith("cookiegate_consent="):
        raise AssertionError(f"consent POST: {status} {cookie[:40]!r}")
    return cookie.split(";", 1)[0]


def visitors(address: tuple[str, int], count: int, seed: int, post_share: float) -> Tally:
    """Send ``count`` requests as a stream of visitors; one process's share of a run."""
    rng = random.Random(seed)
    tally = Tally()
    cookie: str | None = None
    while tally.requests < count:
        try:
            if cookie is None or rng.random() < 0.25:  # a new visitor arrives
                page = _browse(address, rng, None)
                tally.requests += 1
                cookie = None
                if rng.random() < post_share:
                    cookie = _consent(address, rng, page)
                    tally.requests += 1
                    tally.consents += 1
            else:
                _browse(address, rng, cookie)
                tally.requests += 1
        except (AssertionError, OSError, http.client.HTTPException) as exc:
            tally.requests += 1
            tally.errors.append(str(exc))
    return tally


def browsing(address: tuple[str, int], count: int, seed: int, cookie: str, gated: bool) -> Tally:
    """``count`` GETs, half first visits and half with a consent cookie; no posts."""
    rng = random.Random(seed)
    tally = Tally()
    for i in range(count):
        try:
            _browse(address, rng, cookie if i % 2 else None, gated=gated)
        except (AssertionError, OSError, http.client.HTTPException) as exc:
            tally.errors.append(str(exc))
        tally.requests += 1
    return tally


def drive(address: tuple[str, int], total: int, clients: int, post_share: float) -> Tally:
    share = total // clients
    with multiprocessing.Pool(clients) as pool:
        parts = pool.starmap(
            visitors, [(address, share, seed, post_share) for seed in range(clients)]
        )
    tally = Tally()
    for part in parts:
        tally.add(part)
    return tally


def _browse_all(address: tuple[str, int], total: int, clients: int, gated: bool) -> Tally:
    cookie = consent_cookie()
    share = total // clients
    with multiprocessing.Pool(clients) as pool:
        parts = pool.starmap(
            browsing, [(address, share, seed, cookie, gated) for seed in range(clients)]
        )
    tally = Tally()
    for part in parts:
        tally.add(part)
    return tally


def consent_cookie() -> str:
    """A consent cookie granting every category of the example site, signed with SECRET."""
    from cookiegate.config import load_config
    from cookiegate.consent import ConsentCodec
    from cookiegate.demo import find_demo_site

    config = load_config(find_demo_site() / "cookies.yaml")
    codec = ConsentCodec(config, [SECRET])
    return codec.consent_cookie([c.id for c in config.categories], ())


def timed_drive(
    address: tuple[str, int], seconds: float, clients: int, *, gated: bool
) -> float:
    """Requests per second of the browsing mix (no posts) over about ``seconds``."""
    probe = max(200, clients * 50)
    start = time.perf_counter()
    _browse_all(address, probe, clients, gated)
    rate = probe / (time.perf_counter() - start)
    total = max(probe, int(rate * seconds))
    start = time.perf_counter()
    tally = _browse_all(address, total, clients, gated)
    elapsed = time.perf_counter() - start
    if tally.errors:
        raise RuntimeError(f"errors during the throughput run: {tally.errors[:3]}")
    return tally.requests / elapsed


def wrk_rate(address: tuple[str, int], path: str, seconds: int, cookie: str | None) -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", "Connection: close"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, f"http://{address[0]}:{address[1]}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(match.group(1)) if match else 0.0


# -- the two parts ------------------------------------------------------------------------


def throughput(args: argparse.Namespace) -> None:
    print("\n## Throughput: the same mix with and without cookiegate (requests/s)\n")
    print("Half first visits, half consented browsing, over the site's pages; rounds")
    print("alternate between the two apps, and the best round of each is compared.\n")
    drivers: list[tuple[str, Callable[[tuple[str, int], bool], float]]] = []
    if shutil.which("wrk"):
        drivers.append(("wrk", lambda address, gated: wrk_mix_rate(address, args.seconds)))
    drivers.append(
        (
            "python client",
            lambda address, gated: timed_drive(address, args.seconds, args.clients, gated=gated),
        )
    )
    print("| client | plain, rounds | wrapped, rounds | wrapped/plain (best rounds) |")
    print("|---|---|---|---|")
    for name, drive_once in drivers:
        rates: dict[str, list[float]] = {"plain": [], "wrapped": []}
        for _ in range(args.rounds):
            for app in ("plain", "wrapped"):
                with gunicorn(app, args.workers, {}) as address:
                    rates[app].append(drive_once(address, app == "wrapped"))
        plain, wrapped = max(rates["plain"]), max(rates["wrapped"])
        shown = {app: ", ".join(f"{r:.0f}" for r in rates[app]) for app in rates}
        print(f"| {name} | {shown['plain']} | {shown['wrapped']} | {wrapped / plain:.1%} |")
    if shutil.which("wrk"):
        _wrk_table(args)


_MIX_SCRIPT = """
local paths = {%s}
local cookie = "%s"
local counter = 0
request = function()
  counter = counter + 1
  local headers = {["Connection"] = "close"}
  if counter %% 2 == 0 then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
"""


def wrk_mix_rate(address: tuple[str, int], seconds: int) -> float:
    """Requests per second of the mix (alternating pages, every other one consented)."""
    paths = ", ".join(f'"{path}"' for path in PAGES)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_MIX_SCRIPT % (paths, consent_cookie()))
    try:
        output = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", script.name,
             f"http://{address[0]}:{address[1]}/"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(match.group(1)) if match else 0.0


def _wrk_table(args: argparse.Namespace) -> None:
    print("\n### wrk, per page (requests/s, best of rounds)\n")
    print(
        "| page | plain | wrapped, first visit | ratio "
        "| plain + cookie | wrapped, consented | ratio |"
    )
    print("|---|---|---|---|---|---|---|")
    seconds = max(3, args.seconds // 3)
    cookie = consent_cookie()
    results: dict[tuple[str, str, str], float] = {}
    for app in ("plain", "wrapped"):
        with gunicorn(app, args.workers, {}) as address:
            for path in PAGES:
                for label, sent in (("first", None), ("consented", cookie)):
                    best = max(wrk_rate(address, path, seconds, sent) for _ in range(args.rounds))
                    results[(app, label, path)] = best
    for path in PAGES:
        plain, first = results[("plain", "first", path)], results[("wrapped", "first", path)]
        plain_c = results[("plain", "consented", path)]
        cons = results[("wrapped", "consented", path)]
        print(
            f"| {path} | {plain:.0f} | {first:.0f} | {first / plain:.1%} | "
            f"{plain_c:.0f} | {cons:.0f} | {cons / plain_c:.1%} |"
        )


def endurance(args: argparse.Namespace) -> int:
    print(f"\n## Endurance: {args.requests} requests against the wrapped site\n")
    with tempfile.TemporaryDirectory() as tmp:
        log_url = f"sqlite:///{tmp}/consent.sqlite3"
        env = {"COOKIEGATE_CONSENT_LOG": log_url}
        with gunicorn("wrapped", args.workers, env) as address:
            port = address[1]
            steps = 10
            tally = Tally()
            memory: list[int] = []
            started = time.perf_counter()
            for _ in range(steps):
                tally.add(drive(address, args.requests // steps, args.clients, 0.1))
                memory.append(worker_rss(port))
            elapsed = time.perf_counter() - started
        records = count_records(log_url)
    print(f"requests: {tally.requests} in {elapsed:.0f} s ({tally.requests / elapsed:.0f}/s)")
    print(f"errors: {len(tally.errors)}", *tally.errors[:3], sep="\n  ")
    print(f"consent posts: {tally.consents}; records in the log: {records}")
    rss = ", ".join(f"{m / 1024:.1f}" for m in memory)
    print(f"worker memory (RSS, MiB) after each tenth: {rss}")
    settled = memory[1:] or memory  # the first tenth includes warming up
    print(f"growth after the first tenth: {(settled[-1] - settled[0]) / 1024:+.1f} MiB")
    ok = not tally.errors and records == tally.consents
    print("result: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


def count_records(url: str) -> int:
    """How many decisions the consent log holds."""
    from cookiegate.records import RecordQuery, open_store

    store = open_store(url)
    try:
        return sum(1 for _ in store.read(RecordQuery()))
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=15, help="per throughput round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-endurance", action="store_true")
    args = parser.parse_args(argv)
    print(f"cookiegate load run: {args.workers} gunicorn workers, {args.clients} client processes")
    if not args.skip_throughput:
        throughput(args)
    if not args.skip_endurance:
        return endurance(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
