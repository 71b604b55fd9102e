"""``CookieGate``: the WSGI middleware, and the one object a site creates.

Wrap any PEP 3333 application::

    from cookiegate import CookieGate

    app.wsgi_app = CookieGate(app.wsgi_app, "cookies.yaml")            # Flask
    application = CookieGate(get_wsgi_application(), "cookies.yaml")   # Django wsgi.py

Per request, cookiegate reads the visitor's consent (signed cookie and ``Sec-GPC``),
publishes it as ``environ["cookiegate.consent"]``, answers its own URLs (preferences
page, consent form posts, stylesheet, ``/.well-known/gpc.json``) and otherwise calls the
app, gating the HTML it returns: tags the visitor has not consented to are removed and
the banner is injected, while everything else streams through byte for byte.

Place cookiegate *inside* any compression middleware (compression wraps cookiegate),
so that it sees HTML rather than gzip; gzip and deflate it meets anyway are decoded.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.wsgi import get_current_url

from ._wsgi import (
    CONSENT_VARY,
    BodyFilter,
    _is_rewritable_html,
    _merge_vary,
    _weaken_etag,
    content_type_of,
    filter_response,
)
from .audit.observer import AuditObserver
from .config import Config, Service, load_config
from .consent import ENVIRON_KEY, Consent, ConsentCodec, SecretKey, consent_from_environ
from .consent_mode import ConsentMode, Prelude
from .csp import AppPolicies, PolicyBuilder
from .csrf import CsrfTokens
from .etags import consent_variant, is_tagged_for, tag_etag, untag_if_none_match
from .exceptions import SecretKeyError
from .fetch_headers import gate_fetch_headers
from .firewall import CookieFirewall
from .hosts import UrlResolver, request_host
from .html.gate import GateRules, HtmlGate
from .html.memo import MemoGate
from .html.memo_table import BODY_LIMIT
from .records import ConsentLog, consent_log_for
from .views import DecisionHook, Views

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: The environment variable read when no ``secret_key`` is passed. Several keys
#: (for rotation) are separated by commas or whitespace; the first one signs.
SECRET_KEY_ENV = "COOKIEGATE_SECRET_KEY"


class CookieGate:
    """Consent banner and tag gate around a WSGI application.

    :param app: the WSGI application to wrap.
    :param config: a path to the YAML file, or a :class:`~cookiegate.Config`.
    :param secret_key: the key that signs consent cookies and form tokens; a list for
        rotation (the first signs, all verify). Defaults to ``$COOKIEGATE_SECRET_KEY``.
    :param templates_dir: a directory whose ``cookiegate/*.html`` templates override
        the built-in ones.
    :param on_decision: called with ``(consent, source, environ)`` for every decision a
        visitor makes, after it is recorded in the consent log (if there is one).
    :param consent_log: where decisions are recorded: a URL (``sqlite:///path``,
        ``postgresql://...``) or a :class:`~cookiegate.records.ConsentLog`. Defaults to
        ``$COOKIEGATE_CONSENT_LOG``, then ``consent_log:`` in the YAML file; with none of
        them, nothing is recorded. See docs/consent-records.md.
    :raises ConfigError: the configuration file is invalid.
    :raises SecretKeyError: no usable secret key.
    """

    def __init__(
        self,
        app: WSGIApplication,
        config: Config | str | os.PathLike[str],
        *,
        secret_key: SecretKey | Sequence[SecretKey] | None = None,
        templates_dir: str | os.PathLike[str] | None = None,
        on_decision: DecisionHook | None = None,
        consent_log: str | ConsentLog | None = None,
    ) -> None:
        self.app = app
        self.config = config if isinstance(config, Config) else load_config(config)
        keys = _secret_keys(secret_key)
        self.codec = ConsentCodec(self.config, keys)
        self.views = Views(
            self.config,
            self.codec,
            CsrfTokens(keys),
            on_decision=on_decision,
            templates_dir=None if templates_dir is None else str(Path(templates_dir)),
        )
        self.consent_log = consent_log_for(self.config, consent_log)
        if self.consent_log is not None:
            # Built after the views so the templates hash covers what they render.
            recorder = self.consent_log.recorder(self.config, self.views.jinja, then=on_decision)
            self.views.on_decision = recorder
        self.rules = GateRules.from_config(self.config)
        self.firewall = CookieFirewall(self.config)
        self.csp = None if self.config.csp.mode == "off" else PolicyBuilder(self.config)
        mode = self.config.google_consent_mode
        self.consent_mode = None if mode is None else ConsentMode(mode)
        #: Records undeclared hosts and cookies with ``audit: report``; None when off.
        self.audit = AuditObserver.from_config(self.config)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        consent = consent_from_environ(environ, self.codec)
        environ[ENVIRON_KEY] = consent
        response = self.views.handle(environ)
        if response is not None:
            return response(environ, start_response)
        policy = _Policy(self, environ, consent)
        if "HTTP_IF_NONE_MATCH" in environ:
            policy.revalidating = is_tagged_for(environ["HTTP_IF_NONE_MATCH"], policy.variant)
            conditional = untag_if_none_match(environ["HTTP_IF_NONE_MATCH"], policy.variant)
            if conditional is None:
                del environ["HTTP_IF_NONE_MATCH"]
            else:
                environ["HTTP_IF_NONE_MATCH"] = conditional
        if self.audit is not None:
            watched = self.audit.watch(policy, environ)
            return filter_response(self.app, environ, start_response, watched)
        return filter_response(self.app, environ, start_response, policy)

    def consent_cookie(self, categories: Iterable[str] = (), services: Iterable[str] = ()) -> str:
        """A ``name=value`` cookie string that carries this consent.

        For a site's own tests. With werkzeug's or Flask's test client, put it in the
        cookie jar, which replaces any hand-written ``Cookie`` header::

            client.set_cookie(*gate.consent_cookie(categories=["analytics"]).split("=", 1))
        """
        return self.codec.consent_cookie(categories, services)


class _Policy:
    """The per-request answer to "rewrite this response, and how?"."""

    __slots__ = ("_gate", "_environ", "_consent", "variant", "_prelude", "revalidating")

    def __init__(self, gate: CookieGate, environ: WSGIEnvironment, consent: Consent) -> None:
        self._gate = gate
        self._environ = environ
        self._consent = consent
        self.variant = consent_variant(consent)
        self._prelude: Prelude | None = None
        #: The request revalidates a page gated for this consent state (see __call__).
        self.revalidating = False

    def filter_headers(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        # One pass for what every response needs: the Set-Cookie firewall, and whether
        # there are fetching headers to gate or an entity tag to name the consent in.
        allows = self._gate.firewall.allows
        kept: list[tuple[str, str]] = []
        fetching = tagged = False
        content_type: str | None = None
        for name, value in headers:
            lower = name.lower()
            if lower == "set-cookie":
                if not allows(value, self._consent):
                    continue
            elif lower in ("link", "refresh"):
                fetching = True
            elif lower == "etag":
                tagged = True
            elif lower == "content-type" and content_type is None:
                content_type = value
            kept.append((name, value))
        html = content_type is not None and content_type_of(content_type)[0] in _HTML
        headers = gate_fetch_headers(kept, self._url_allowed) if fetching else kept
        if self.revalidating and status[:3] == "304":
            # The app's 304 stands for the gated page the browser holds: it must carry
            # that page's tag and Vary, or the cache would store the bare tag.
            # (Weak, as on the 200: the gated body is not the app's byte for byte.)
            headers = [
                (name, _weaken_etag(tag_etag(value, self.variant)) or value)
                if name.lower() == "etag"
                else (name, value)
                for name, value in headers
            ]
            return _merge_vary(headers, (*CONSENT_VARY, *self._jurisdiction_vary()))
        if html:
            if tagged:
                headers = [
                    (name, tag_etag(value, self.variant) if name.lower() == "etag" else value)
                    for name, value in headers
                ]
            vary = self._jurisdiction_vary()
            if vary:
                # Which law applies (and so the gated page) depends on these headers.
                headers = _merge_vary(headers, vary)
            headers = self._add_policies(status, headers)
        return headers

    def _jurisdiction_vary(self) -> tuple[str, ...]:
        places = self._gate.config.jurisdictions
        return () if places is None else places.vary

    def _add_policies(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Prepare the Google Consent Mode script and add cookiegate's Content-Security-Policy
        (docs/csp.md); both read the application's own policies on this response."""
        gate = self._gate
        self._prelude = None
        if gate.csp is None and gate.consent_mode is None:
            return headers
        app = AppPolicies.from_headers(headers)
        if gate.consent_mode is not None:
            self._prelude = gate.consent_mode.prelude(self._consent, self.variant, app)
        if gate.csp is None or not _is_rewritable_html(status, headers):
            return headers
        prelude = self._prelude
        early = prelude is not None and prelude.runs
        policy = gate.csp.header(
            self._consent, self.variant, app, early=early, consent_mode=prelude is not None
        )
        return [*headers, policy]

    def _url_allowed(self, url: str) -> bool:
        resolver = resolver_for(self._environ)
        return self._gate.rules.host_allowed(resolver.host(url), self._consent, resolver)

    def body_filter(
        self, status: str, headers: list[tuple[str, str]], *, charset: str
    ) -> BodyFilter | None:
        page = _RequestPage(self._gate.views, self._environ, self._consent, self.variant)
        prelude = self._prelude
        if prelude is not None:
            # The script carries this response's nonce: not a page for the memo.
            return HtmlGate(
                self._gate.rules, page, encoding=charset, prelude=prelude.markup, early=prelude.runs
            )
        length = _whole_body_length(headers)
        if length is not None:
            return MemoGate(self._gate.rules, page, encoding=charset, length=length)
        return HtmlGate(self._gate.rules, page, encoding=charset)


_HTML = ("text/html", "application/xhtml+xml")


class _RequestPage:
    """The request-specific facts and renderers the gate asks for."""

    __slots__ = ("consent", "variant", "resolver", "_views", "_environ")

    def __init__(
        self, views: Views, environ: WSGIEnvironment, consent: Consent, variant: str
    ) -> None:
        self.consent = consent
        self.variant = variant
        self.resolver = resolver_for(environ)
        self._views = views
        self._environ = environ

    def banner(self, *, lang: str | None, absolute_urls: bool) -> str | None:
        if not self.consent.needs_banner:
            return None
        return self._views.banner(self._environ, lang=lang, absolute_urls=absolute_urls)

    def placeholder(
        self,
        service: Service,
        *,
        lang: str | None,
        absolute_urls: bool,
        width: str | None,
        height: str | None,
        anchor: str,
    ) -> str:
        return self._views.placeholder(
            self._environ,
            service,
            lang=lang,
            absolute_urls=absolute_urls,
            width=width,
            height=height,
            anchor=anchor,
        )


def _whole_body_length(headers: list[tuple[str, str]]) -> int | None:
    """The announced length of an uncompressed body, if small enough for the page memo."""
    length = None
    for name, value in headers:
        lower = name.lower()
        if lower == "content-encoding" and value.strip().lower() not in ("", "identity"):
            return None
        if lower == "content-length":
            value = value.strip()
            plain = value.isascii() and value.isdigit() and len(value) < 10
            length = int(value) if plain else None
    return length if length is not None and 0 < length <= BODY_LIMIT else None


def resolver_for(environ: WSGIEnvironment) -> UrlResolver:
    """A URL resolver for the request's page; the full URL is built only if needed."""
    return UrlResolver(lambda: get_current_url(environ), host=request_host(environ))


def _secret_keys(secret_key: SecretKey | Sequence[SecretKey] | None) -> list[SecretKey]:
    if secret_key is None:
        raw = os.environ.get(SECRET_KEY_ENV, "")
        keys: list[SecretKey] = list(raw.replace(",", " ").split())
        if not keys:
            raise SecretKeyError(
                "cookiegate needs a secret key to sign consent cookies: pass "
                "CookieGate(app, config, secret_key=...) or set the environment variable "
                f"{SECRET_KEY_ENV} (generate one with "
                '`python -c "import secrets; print(secrets.token_urlsafe(32))"`).'
            )
        return keys
    if isinstance(secret_key, (str, bytes)):
        return [secret_key]
    return list(secret_key)
