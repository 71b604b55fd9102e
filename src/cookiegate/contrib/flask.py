"""Flask integration: the visitor's decision in Jinja templates, in one call.

::

    from cookiegate.contrib.flask import wrap

    app = Flask(__name__)
    gate = wrap(app, "cookies.yaml")       # app.wsgi_app = CookieGate(...), plus templates

Every template then has:

``consent``
    The request's :class:`~cookiegate.Consent`: ``consent.allows("analytics")``,
    ``consent.allows_service("youtube")``, ``consent.gpc``, ``consent.decided``.
``cookie_settings_url``
    The preferences page, under the application's ``SCRIPT_NAME``.
``cookie_settings_link(text=None, lang=None)``
    An accessible ``<a>`` to it, labelled from cookiegate's texts ("Cookie settings").

An application factory that wraps the WSGI app elsewhere (a ``wsgi.py``, a test) calls
``init_app(app, gate)`` instead, or ``init_app(app, config)`` when it has no gate.

When a request did not pass through a gate (the app runs unwrapped, as in a site's own
unit tests), ``consent`` is a stand-in: with a gate, the consent its cookie carries, read
exactly as the gate would read it (so ``gate.consent_cookie(...)`` works in tests); with
only a config, an undecided visitor, which under ``opt-in`` allows required categories
only. Supported: Flask 3.x.

.. versionadded:: 0.1
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask, current_app, has_request_context, request
from markupsafe import Markup

from ..config import Config
from ..consent import Consent, SecretKey, consent_from_environ, get_consent
from ..exceptions import CookieGateError
from ..middleware import CookieGate
from ..views import DecisionHook
from . import cookie_settings_url, settings_link_html, standin_consent

__all__ = ["current_consent", "init_app", "wrap"]

#: The key under ``app.extensions``; its value is the :class:`FlaskState`.
EXTENSION_KEY = "cookiegate"


class FlaskState:
    """What ``init_app`` registered: the gate (if known) and the configuration."""

    __slots__ = ("gate", "config")

    def __init__(self, gate: CookieGate | None, config: Config) -> None:
        self.gate = gate
        self.config = config

    def consent(self, environ: Mapping[str, Any]) -> Consent:
        """The published consent, else the stand-in described in the module docstring."""
        published = get_consent(environ)
        if published is not None:
            return published
        if self.gate is not None:
            return consent_from_environ(environ, self.gate.codec)
        return standin_consent(environ, self.config)


def init_app(app: Flask, gate: CookieGate | Config) -> None:
    """Give ``app``'s templates ``consent``, ``cookie_settings_url`` and ``cookie_settings_link``.

    :param gate: the :class:`~cookiegate.CookieGate` wrapping ``app`` (preferred), or
        the :class:`~cookiegate.Config` when the gate is not at hand.
    """
    config = gate.config if isinstance(gate, CookieGate) else gate
    already_registered = _find_state(app) is not None
    app.extensions[EXTENSION_KEY] = FlaskState(
        gate if isinstance(gate, CookieGate) else None, config
    )
    if already_registered:
        return  # the processor reads the state per request: replacing it is enough

    @app.context_processor
    def _cookiegate_context() -> dict[str, Any]:
        # Templates are also rendered outside requests (mail, CLI): offer nothing there
        # rather than fail, since there is no visitor to ask.
        state = _find_state(app)
        if state is None or not has_request_context():
            return {}
        return _context(state)


def wrap(
    app: Flask,
    config: Config | str | os.PathLike[str],
    *,
    secret_key: SecretKey | Sequence[SecretKey] | None = None,
    templates_dir: str | os.PathLike[str] | None = None,
    on_decision: DecisionHook | None = None,
) -> CookieGate:
    """Wrap ``app.wsgi_app`` in a :class:`~cookiegate.CookieGate` and call :func:`init_app`.

    Wrapping ``app.wsgi_app`` rather than ``app`` keeps ``flask run``, the CLI and
    ``app.test_client()`` going through the gate. Keyword arguments are
    :class:`~cookiegate.CookieGate`'s. Compression middleware added afterwards wraps the
    gate, which is the order cookiegate needs.

    :raises CookieGateError: ``app`` is already wrapped; a second gate would inject a
        second banner.
    """
    if isinstance(app.wsgi_app, CookieGate) or _find_state(app) is not None:
        raise CookieGateError(
            "this Flask app already has cookiegate; call wrap() once per app "
            "(use init_app(app, gate) if you wrapped app.wsgi_app yourself)."
        )
    gate = CookieGate(
        app.wsgi_app,
        config,
        secret_key=secret_key,
        templates_dir=templates_dir,
        on_decision=on_decision,
    )
    app.wsgi_app = gate  # type: ignore[method-assign]
    init_app(app, gate)
    return gate


def current_consent() -> Consent:
    """The consent of the request being handled, for views: the same as ``consent``.

    :raises CookieGateError: :func:`init_app` (or :func:`wrap`) was not called.
    """
    state = _find_state(current_app)
    if state is None:
        raise CookieGateError(
            "cookiegate is not set up for this Flask app; call "
            "cookiegate.contrib.flask.init_app(app, gate) or wrap(app, config) first."
        )
    return state.consent(request.environ)


def _context(state: FlaskState) -> dict[str, Any]:
    environ = request.environ
    consent = state.consent(environ)
    # The gate's own configuration is the truth about where its page is served.
    url = cookie_settings_url(environ, consent.config.preferences_path)

    def cookie_settings_link(text: str | None = None, lang: str | None = None) -> Markup:
        """``{{ cookie_settings_link() }}``; pass ``lang`` (e.g. Flask-Babel's locale)."""
        return Markup(
            settings_link_html(
                url,
                consent.config,
                page_lang=lang,
                accept_language=environ.get("HTTP_ACCEPT_LANGUAGE"),
                text=text,
            )
        )

    return {
        "consent": consent,
        "cookie_settings_url": url,
        "cookie_settings_link": cookie_settings_link,
    }


def _find_state(app: Flask) -> FlaskState | None:
    state = app.extensions.get(EXTENSION_KEY)
    return state if isinstance(state, FlaskState) else None
