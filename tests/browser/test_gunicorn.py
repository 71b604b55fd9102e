"""The demo under gunicorn with two worker processes, driven by the browser.

Each worker builds its own app, so a consent cookie or form token signed by one must
verify in the other: they share only the secret key. A visitor's requests are spread
over both workers, and the gate must behave exactly as in one process.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest

from ._support import ARTICLE, FONTS, GTAG, PIXEL_SCRIPT, ROOT, SECRET_KEY, TEXT, YOUTUBE, Visitor

pytest.importorskip("gunicorn", reason="the gunicorn test needs the 'test' extra")

NewVisitor = Callable[..., Visitor]
READY_ATTEMPTS = 300


class _Origin:
    """Just the ``url`` a :class:`Visitor` needs from a server."""

    def __init__(self, url: str) -> None:
        self.url = url


def _free_port() -> int:
    # gunicorn cannot report an ephemeral port back, so ask the OS for one and free it.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll until gunicorn answers; fail with its output if it exits instead."""
    for _ in range(READY_ATTEMPTS):
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url + "/privacy", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # A short pause that also notices an early exit.
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)
    pytest.fail("gunicorn did not start serving")


@pytest.fixture(scope="module")
def gunicorn_site() -> Iterator[_Origin]:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
        # The basket lives in Flask's session cookie: both workers need one key for it too.
        "FLASK_SECRET_KEY": SECRET_KEY,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            f"cookiegate.demo:build_demo_app(secret_key={SECRET_KEY!r})",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process)
        yield _Origin(url)
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_consent_works_across_gunicorn_workers(
    new_visitor: NewVisitor, gunicorn_site: _Origin
) -> None:
    visitor = new_visitor(server=gunicorn_site)
    for path in ("/", ARTICLE, "/shop", "/basket", "/privacy"):
        assert visitor.visit(path) == set(), path
        assert visitor.banner_count() == 1
    assert visitor.submit(TEXT["accept_all"]) == {FONTS, GTAG, PIXEL_SCRIPT}
    # Enough requests that both workers answer some; every one honours the cookie.
    for _ in range(3):
        for path in ("/", "/shop", "/privacy"):
            assert visitor.visit(path) == {FONTS, GTAG, PIXEL_SCRIPT}, path
            assert visitor.banner_count() == 0
    assert visitor.visit(ARTICLE) == {FONTS, GTAG, PIXEL_SCRIPT, YOUTUBE}
