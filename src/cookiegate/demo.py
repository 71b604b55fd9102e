"""``cookiegate demo``: the example Flask site, wrapped and served locally.

The demo shows the gate on a realistic page without any setup: Google Analytics, the
Meta pixel, Google Fonts and a YouTube embed are in the site's templates, and cookiegate
removes them until the visitor agrees. The site ships inside the wheel as
``cookiegate/_demo_site`` (see ``pyproject.toml``); in a source checkout it is read from
``examples/flask_site``. Flask comes with the ``demo`` extra only, so the demo says how
to install it rather than failing with a traceback.

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from .exceptions import CookieGateError

if TYPE_CHECKING:
    from flask import Flask

#: Name the example site's module is imported under (it is not on ``sys.path``).
SITE_MODULE = "cookiegate_demo_site"

_INSTALL_HINT = "pip install 'cookiegate[demo]'"


class DemoSiteNotFound(CookieGateError):
    """Neither the packaged copy nor a source checkout of the example site exists."""


def find_demo_site() -> Path:
    """The directory holding the example site's ``app.py`` and ``cookies.yaml``.

    The copy packaged in the wheel wins; a source checkout is the fallback.

    :raises DemoSiteNotFound: if neither exists.
    """
    packaged = files("cookiegate") / "_demo_site"
    candidates: list[Path] = []
    if isinstance(packaged, Path):
        candidates.append(packaged)
    candidates.append(Path(__file__).resolve().parents[2] / "examples" / "flask_site")
    for candidate in candidates:
        if (candidate / "app.py").is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise DemoSiteNotFound(
        f"the example site was not found (looked in {looked}); reinstall cookiegate "
        f"from a wheel with `{_INSTALL_HINT}` or run from a source checkout."
    )


def load_site_module(site_dir: Path) -> ModuleType:
    """Import the example site's ``app.py`` from its file path."""
    spec = importlib.util.spec_from_file_location(SITE_MODULE, site_dir / "app.py")
    if spec is None or spec.loader is None:
        raise DemoSiteNotFound(f"{site_dir / 'app.py'} cannot be imported as a module.")
    module = importlib.util.module_from_spec(spec)
    # Registered before running it, as dataclasses look their module up in sys.modules.
    sys.modules[SITE_MODULE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[SITE_MODULE]
        raise
    return module


def resolve_secret_key(secret_key: str | None = None) -> tuple[str, bool]:
    """The key to sign consent cookies with, and whether it is a throwaway one.

    An explicit key wins, then ``COOKIEGATE_SECRET_KEY``; otherwise a random key is made
    for this process only.
    """
    key = secret_key or os.environ.get("COOKIEGATE_SECRET_KEY")
    if key:
        return key, False
    return secrets.token_urlsafe(32), True


def build_demo_app(config: str | None = None, secret_key: str | None = None) -> Flask:
    """The example Flask site with its WSGI app wrapped in :class:`CookieGate`.

    :param config: path of a YAML file; defaults to the site's own ``cookies.yaml``.
    :param secret_key: defaults as in :func:`resolve_secret_key`.
    :raises ImportError: if Flask is not installed.
    :raises CookieGateError: if the site is missing or the configuration is invalid.
    """
    from .middleware import CookieGate

    site_dir = find_demo_site()
    module = load_site_module(site_dir)
    app: Flask = module.create_app()
    key, _ = resolve_secret_key(secret_key)
    config_path = Path(config) if config is not None else site_dir / "cookies.yaml"
    app.wsgi_app = CookieGate(  # type: ignore[method-assign]
        app.wsgi_app, config_path, secret_key=key
    )
    return app


def main(*, host: str = "127.0.0.1", port: int = 8000, config: str | None = None) -> int:
    """Serve the demo until interrupted; the exit status for ``cookiegate demo``."""
    if importlib.util.find_spec("flask") is None:
        print(f"The demo needs Flask: {_INSTALL_HINT}", file=sys.stderr)
        return 2
    key, throwaway = resolve_secret_key()
    try:
        app = build_demo_app(config, secret_key=key)
    except CookieGateError as exc:
        print(f"cookiegate demo: {exc}", file=sys.stderr)
        return 1
    if throwaway:
        print(
            "COOKIEGATE_SECRET_KEY is not set, so the demo signs consent cookies with a "
            "throwaway key: choices made now will not survive a restart."
        )
    print(f"cookiegate demo: Frame & Margin is running at {_url(host, port)}")
    print("Press Ctrl+C to stop.")
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True)
    return 0


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"
