"""The per-request shortcuts read requests exactly as the slow, general code does.

cookiegate runs on every request, so a few readings skip werkzeug's general machinery:
the request path, and reusing a rendered banner. Each is checked against what it
replaces.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request, Response

from cookiegate import CookieGate
from cookiegate.views import request_path

SITE = """
categories:
  necessary: {title: Necessary, required: true}
  analytics: {title: Analytics}
"""


@settings(max_examples=300, deadline=None, derandomize=True)
@given(path=st.text(max_size=20))
def test_request_path_agrees_with_werkzeug(path: str) -> None:
    environ = {"PATH_INFO": path.encode("utf-8", "surrogatepass").decode("latin-1")}
    assert request_path(environ) == Request(environ).path


def _gate(tmp_path: Path) -> CookieGate:
    config = tmp_path / "cookies.yaml"
    config.write_text(SITE)

    def app(environ: object, start_response: object) -> object:
        page = b"<!doctype html><html><body><p>Hi</p></body></html>"
        return Response(page, content_type="text/html")(environ, start_response)  # type: ignore[arg-type]

    return CookieGate(app, config, secret_key="k" * 32)  # type: ignore[arg-type]


def test_a_banner_is_rendered_once_per_page_language_and_token_window(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    client = Client(gate)
    pages = [client.get(path, headers=headers).get_data() for path, headers in (
        ("/", {}),
        ("/", {}),
        ("/other", {}),
        ("/", {"Accept-Language": "de"}),
        ("/", {"Sec-GPC": "1"}),
    )]  # fmt: skip
    assert pages[0] == pages[1]
    assert len(gate.views._banners) == 4
    assert b'name="next" value="/other"' in pages[2]
    assert b'lang="de"' in pages[3]
    # A new token window renders afresh, and the old banner is not served with it.
    gate.views.csrf._current = None
    assert client.get("/").get_data() != pages[0]
    assert len(gate.views._banners) == 5


def test_cookiegate_urls_are_matched_on_the_path_werkzeug_reads(tmp_path: Path) -> None:
    gate = _gate(tmp_path)
    environ = EnvironBuilder(path="/.well-known/gpc.json").get_environ()
    assert gate.views.handle(environ) is not None
    environ["PATH_INFO"] = "//.well-known/gpc.json"  # werkzeug strips leading slashes too
    assert gate.views.handle(environ) is not None
    environ["PATH_INFO"] = "/.well-known/gpc.json/"
    assert gate.views.handle(environ) is None
