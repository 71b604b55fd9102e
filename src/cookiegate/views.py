"""The visitor-facing side of cookiegate: banner, placeholders, preferences, POSTs.

:class:`Views` answers cookiegate's own URLs (all under ``SCRIPT_NAME``, so a
prefix-mounted app works) and renders the fragments the HTML gate injects:

``GET/HEAD <preferences_path>``
    The preferences page. ``?next=/path`` is carried through its forms;
    ``?saved=1`` shows a confirmation.
``POST <preferences_path>``
    Saves the page's form (``save``, ``accept``, ``reject``, ``withdraw``). It
    redirects (303) to ``next`` when the page was opened from the banner, so the
    visitor lands back where they were; opened directly (a footer link), it
    redirects to the page itself with ``?saved=1`` so the visitor sees the result.
``POST <endpoint_path>/consent``
    The banner's and the placeholders' form (``accept``, ``reject``, ``settings``,
    ``allow_service``, ``withdraw``, and the re-consent banner's ``accept_changed`` and
    ``reject_changed``); 303 to ``next``.
``GET/HEAD <endpoint_path>/cookiegate.css``
    The stylesheet: cacheable for a day, with an ``ETag``; links carry a content hash.
``GET/HEAD /.well-known/gpc.json``
    The Global Privacy Control support resource. The specification puts it at the
    origin root, so it is matched on ``PATH_INFO`` alone; when cookiegate is mounted
    under a prefix, route ``/.well-known/gpc.json`` at the root to it as well.

Every POST passes :func:`~cookiegate.csrf.is_same_origin` and a signed token; a
failure is a 400 page that repeats the visitor's choice in a fresh form, so nothing
is lost. No visitor input can raise: unknown values are a 400, never a 500.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from importlib.resources import files
from typing import Any, cast
from urllib.parse import quote
from wsgiref.types import WSGIEnvironment

from jinja2 import Environment
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import get_current_url, get_host

from .config import Category, Config, Service
from .consent import (
    REASK_REASONS,
    Consent,
    ConsentCodec,
    Reask,
    consent_from_environ,
    get_consent,
    new_consent_id,
    request_cookies,
    wsgi_text,
)
from .csrf import CsrfTokens, is_same_origin
from .firewall import declared_cookie_allowed
from .templating import make_environment
from .texts import choose_language, resolve_texts, text_direction

#: Called once per recorded decision with the new consent, its source and the request
#: environ. The source is one of :data:`DECISION_SOURCES`.
DecisionHook = Callable[[Consent, str, WSGIEnvironment], None]

#: Every ``source`` a :data:`DecisionHook` receives:
#:
#: ``banner``, ``preferences``
#:     a first choice (or a change of mind) made in the banner or on the preferences page;
#: ``placeholder``
#:     one service allowed through a click-to-load placeholder;
#: ``withdrawal``
#:     "Withdraw consent" on the preferences page;
#: ``expiry``
#:     a choice (banner or preferences page) answering the question asked again because
#:     the previous one was older than ``consent_days``;
#: ``reconsent``
#:     a choice answering the question asked again because categories the visitor had
#:     granted changed, or because ``revision`` was bumped.
DECISION_SOURCES = frozenset(
    {"banner", "preferences", "placeholder", "withdrawal", "expiry", "reconsent"}
)

GPC_PATH = "/.well-known/gpc.json"
_CHANGED_ACTIONS = frozenset({"accept_changed", "reject_changed"})
_CONSENT_ACTIONS = frozenset(
    {"accept", "reject", "settings", "allow_service", "withdraw", *_CHANGED_ACTIONS}
)
_PREFERENCES_ACTIONS = frozenset({"save", "accept", "reject", "withdraw"})
_LISTS_CATEGORIES = frozenset({"save", *_CHANGED_ACTIONS})
_MAX_NEXT = 2048
#: Rendered banners and placeholders kept for reuse (per language, page and
#: form-token window).
_BANNERS_LIMIT = 1024
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DIMENSION = re.compile(r"(\d{1,5})(px|%)?")
# Characters left as they are in URLs we emit; everything else (spaces, quotes,
# non-ASCII) is percent-encoded, so a Location header is always valid ASCII.
_URL_SAFE = "/?#[]@!$&'()*+,;=:%-._~"
_NO_STORE = {"Cache-Control": "no-store"}
# Our pages hold forms that record consent: framing them would allow clickjacking.
_PAGE_HEADERS = {
    **_NO_STORE,
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


class _FormRequest(Request):
    """A request whose form is small: cookiegate's forms are a few hundred bytes."""

    max_content_length = 64 * 1024
    max_form_memory_size = 64 * 1024
    max_form_parts = 200


class _InvalidForm(Exception):
    """The POST cannot be understood: a 400 without a retry form."""


@dataclass(frozen=True, slots=True)
class _Choice:
    """What a visitor's POST asks for, validated against the configuration."""

    action: str
    next: str | None = None
    categories: frozenset[str] = frozenset()
    service: str | None = None
    do_not_sell: bool = False
    reask: Reask | None = None

    def fields(self) -> list[tuple[str, str]]:
        """Hidden fields that repeat this choice in a retry form."""
        out = [("action", self.action)]
        out += [("category", c) for c in sorted(self.categories)]
        if self.service is not None:
            out.append(("service", self.service))
        if self.do_not_sell:
            out.append(("do_not_sell", "1"))
        if self.reask is not None:
            out.append(("reask", self.reask))
        return out


@dataclass(frozen=True, slots=True)
class _Grant:
    """The parts of a new decision that depend on the action."""

    categories: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    sale_opt_in: bool = False
    do_not_sell: bool = False
    changed: frozenset[str] = frozenset()


class Views:
    """Renders cookiegate's pages and fragments and records visitors' decisions.

    One instance serves every request and thread: it keeps only configuration and
    caches derived from it. ``on_decision`` runs before the response is built. The
    built-in consent log never raises (a record it cannot write is spooled, and the
    choice takes effect); a site's own hook that raises stops the decision: the error
    propagates and no cookie is set.
    """

    def __init__(
        self,
        config: Config,
        codec: ConsentCodec,
        csrf: CsrfTokens,
        *,
        on_decision: DecisionHook | None = None,
        templates_dir: str | None = None,
    ) -> None:
        self.config = config
        self.codec = codec
        self.csrf = csrf
        self.on_decision = on_decision
        self.jinja: Environment = make_environment(templates_dir)
        self._css = (files("cookiegate") / "static" / "cookiegate.css").read_bytes()
        self._css_etag = hashlib.sha256(self._css).hexdigest()[:32]
        self._gpc_json = _gpc_document(config.source)
        self._texts: dict[str, Mapping[str, str]] = {}
        self._banners: dict[tuple[object, ...], str] = {}
        self._languages: dict[tuple[str | None, str | None], str] = {}

    # -- routing ------------------------------------------------------------------

    def handle(self, environ: WSGIEnvironment) -> Response | None:
        """A response for cookiegate's own URLs, ``None`` for everything else."""
        path = request_path(environ)
        if path == GPC_PATH:
            return self._read_only(environ, self._serve_gpc)
        if path == self.config.preferences_path:
            return self._preferences(environ)
        endpoint = self.config.endpoint_path
        if path == endpoint + "/consent":
            return self._consent_endpoint(environ)
        if path == endpoint + "/cookiegate.css":
            return self._read_only(environ, self._serve_css)
        if path == endpoint or path.startswith(endpoint + "/"):
            return Response("Not found.\n", 404, mimetype="text/plain")
        return None

    def _read_only(
        self, environ: WSGIEnvironment, serve: Callable[[Request], Response]
    ) -> Response:
        request = Request(environ)
        if request.method not in ("GET", "HEAD"):
            return _method_not_allowed("GET, HEAD")
        return serve(request)

    def _preferences(self, environ: WSGIEnvironment) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        if method in ("GET", "HEAD"):
            return self._preferences_page(environ)
        if method == "POST":
            return self._post(environ, from_preferences=True)
        return _method_not_allowed("GET, HEAD, POST")

    def _consent_endpoint(self, environ: WSGIEnvironment) -> Response:
        if environ.get("REQUEST_METHOD") != "POST":
            return _method_not_allowed("POST")
        return self._post(environ, from_preferences=False)

    # -- fragments for the gate ---------------------------------------------------

    def banner(self, environ: WSGIEnvironment, *, lang: str | None, absolute_urls: bool) -> str:
        """The banner fragment injected right after ``<body>``.

        ``lang`` is the page's ``<html lang>``; ``absolute_urls`` is set when the page
        has a ``<base href>``, which would otherwise re-target our links.

        A visitor whose choice stands except for categories that changed gets the
        re-consent variant, which names those categories and asks about them alone. A
        visitor asked again (expiry, re-consent) carries the reason in a hidden
        ``reask`` field, so the decision is logged with it.
        """
        consent = self._consent(environ)
        current = _current_path(environ)
        language = self._language(environ, lang)
        pending = consent.pending_changes() if consent.decided else ()
        # Every input of the template, so equal keys render equal banners. The form
        # token is shared by the forms of one short window (see CsrfTokens.issue), so a
        # page served again in that window reuses its banner instead of rendering it.
        key = (
            "banner",
            language,
            absolute_urls,
            get_current_url(environ, host_only=True) if absolute_urls else "",
            _script_root(environ),
            current,
            consent.gpc,
            pending,
            consent.reask,
            token := self.csrf.issue(),
        )
        banner = self._banners.get(key)
        if banner is None:
            banner = self._render(
                "cookiegate/banner.html",
                environ,
                lang,
                absolute_urls,
                csrf_token=token,
                gpc=consent.gpc,
                next=current,
                preferences_url=self._preferences_link(environ, current, absolute=absolute_urls),
                changed=[
                    self._localized_category(category, language)
                    for category in self.config.categories
                    if category.id in pending
                ],
                reask=consent.reask,
            )
            if len(self._banners) >= _BANNERS_LIMIT:
                self._banners.clear()
            self._banners[key] = banner
        return banner

    def placeholder(
        self,
        environ: WSGIEnvironment,
        service: Service,
        *,
        lang: str | None,
        absolute_urls: bool,
        width: str | None,
        height: str | None,
        anchor: str,
    ) -> str:
        """The click-to-load form that replaces a stripped embed of ``service``.

        The placeholder element carries ``id=anchor`` and the form returns to
        ``#anchor``. When the embed is blocked by the opt-out preference signal, a
        button could not load it, so the placeholder links to the preferences page.
        """
        consent = self._consent(environ)
        blocked = consent.sale_blocked and self._is_sale_or_share(service.category)
        current = _current_path(environ)
        language = self._language(environ, lang)
        # Every input of the template, as for the banner (see banner()).
        key = (
            "placeholder",
            service.id,
            language,
            absolute_urls,
            get_current_url(environ, host_only=True) if absolute_urls else "",
            _script_root(environ),
            current,
            blocked,
            anchor,
            width,
            height,
            token := self.csrf.issue(),
        )
        html = self._banners.get(key)
        if html is None:
            html = self._render(
                "cookiegate/placeholder.html",
                environ,
                lang,
                absolute_urls,
                csrf_token=token,
                service=self._localized_service(service, language),
                service_policy=_linkable(service.privacy_policy),
                blocked=blocked,
                anchor=anchor,
                next=current + "#" + quote(anchor, safe=""),
                preferences_url=self._preferences_link(environ, current, absolute=absolute_urls),
                spacer=_spacer(width, height),
            )
            if len(self._banners) >= _BANNERS_LIMIT:
                self._banners.clear()
            self._banners[key] = html
        return html

    # -- the preferences page -----------------------------------------------------

    def _preferences_page(self, environ: WSGIEnvironment) -> Response:
        request = Request(environ)
        consent = self._consent(environ)
        lang = self._language(environ, None)
        html = self._render(
            "cookiegate/preferences.html",
            environ,
            None,
            False,
            consent=consent,
            opt_out=consent.mode == "opt-out",
            categories=[self._category_row(c, consent, lang) for c in self.config.categories],
            do_not_sell_checked=consent.do_not_sell or consent.gpc,
            rows=self._declaration_rows(lang),
            saved=request.args.get("saved") == "1",
            next=safe_next(request.args.get("next")) or "",
        )
        return Response(html, 200, mimetype="text/html", headers=_PAGE_HEADERS)

    def _category_row(self, category: Category, consent: Consent, lang: str) -> dict[str, Any]:
        services = [s for s in self.config.services if s.category == category.id]
        return {
            "category": self._localized_category(category, lang),
            # Consent.allows already encodes the rules: required always, opt-out
            # undecided allowed, opt-in undecided not, GPC off for sale_or_share.
            "checked": category.required or consent.allows(category.id),
            "changed": category.id in consent.changed,
            "services": [self._localized_service(s, lang) for s in services],
        }

    def _declaration_rows(self, lang: str) -> list[dict[str, Any]]:
        titles = {c.id: self.config.category_title(c.id, lang) for c in self.config.categories}
        rows: list[dict[str, Any]] = []
        for service in self.config.services:
            rows += _service_rows(self._localized_service(service, lang))
        for cookie in self.config.cookies:
            rows.append(
                {
                    "service": titles.get(cookie.category, cookie.category),
                    "first_party": True,
                    "provider": None,
                    "cookie": cookie.name,
                    "duration": cookie.duration,
                    "purpose": cookie.purpose,
                    "policy": _linkable(self.config.policy_url or ""),
                }
            )
        return rows

    # -- POST handling ------------------------------------------------------------

    def _post(self, environ: WSGIEnvironment, *, from_preferences: bool) -> Response:
        request = _FormRequest(environ)
        allowed = _PREFERENCES_ACTIONS if from_preferences else _CONSENT_ACTIONS
        try:
            choice = self._parse_choice(request, allowed)
        except _InvalidForm:
            return self._error(environ, None, "error_invalid", from_preferences=from_preferences)
        if not (is_same_origin(environ) and self.csrf.is_valid(_field(request, "csrf"))):
            return self._error(environ, choice, "error_text", from_preferences=from_preferences)
        if choice.action == "settings":
            return _redirect(self._preferences_link(environ, choice.next))
        return self._record(environ, choice, from_preferences=from_preferences)

    def _parse_choice(self, request: Request, allowed: frozenset[str]) -> _Choice:
        try:
            form = request.form
        except HTTPException as exc:  # too large, too many parts, broken multipart
            raise _InvalidForm from exc
        action = _field(request, "action")
        if action not in allowed:
            raise _InvalidForm
        listed = action in _LISTS_CATEGORIES
        categories = frozenset(form.getlist("category")) if listed else frozenset()
        if not categories <= {c.id for c in self.config.categories}:
            raise _InvalidForm
        service = _field(request, "service") if action == "allow_service" else None
        if action == "allow_service" and self.config.service(service or "") is None:
            raise _InvalidForm
        reask = _field(request, "reask")
        return _Choice(
            action=action,
            next=safe_next(_field(request, "next")),
            categories=categories,
            service=service,
            do_not_sell=action == "save" and "do_not_sell" in form,
            # An unknown reason is ignored, not refused: it only labels the log record.
            reask=cast(Reask, reask) if reask in REASK_REASONS else None,
        )

    def _record(
        self, environ: WSGIEnvironment, choice: _Choice, *, from_preferences: bool
    ) -> Response:
        old = self._consent(environ)
        target = choice.next or (
            self._url(environ, self.config.preferences_path, False) + "?saved=1"
            if from_preferences
            else _script_root(environ) + "/"
        )
        if choice.action in _CHANGED_ACTIONS and not _answers_a_question(choice, old):
            # The re-consent banner answers a question this request no longer carries
            # (cookie gone or expired since the page was shown, a second click): there
            # is nothing to amend, and the banner, if still needed, asks on the next page.
            return _redirect(target)
        new = self._decide(old, choice)
        source = _source(choice, old, from_preferences)
        if self.on_decision is not None:
            self.on_decision(new, source, environ)
        response = _redirect(target)
        secure = environ.get("wsgi.url_scheme") == "https"
        response.set_cookie(
            self.config.cookie_name,
            self.codec.dumps(new),
            max_age=self.codec.cookie_max_age,
            path=_script_root(environ) or "/",
            secure=secure,
            httponly=True,
            samesite="Lax",
        )
        self._expire_cookies(environ, response, new, secure=secure)
        return response

    def _decide(self, old: Consent, choice: _Choice) -> Consent:
        """The consent a choice produces, given what the visitor had before.

        The consent id is kept across changes of mind so the log shows one visitor's
        history; withdrawal starts a new one, as if the visitor had never chosen.
        """
        grant = self._grant(old, choice)
        keep_id = choice.action != "withdraw" and old.id is not None
        # A placeholder grant answers for one service, not for the banner's categories.
        partial = choice.action == "allow_service" and not old.decided
        return Consent(
            config=self.config,
            decided=not partial,
            categories=grant.categories,
            services=grant.services,
            gpc=old.gpc,
            sale_opt_in=grant.sale_opt_in,
            do_not_sell=grant.do_not_sell,
            id=old.id if keep_id else new_consent_id(),
            revision=self.config.revision,
            timestamp=int(time.time()),
            changed=grant.changed,
            regime=old.regime,
        )

    def _grant(self, old: Consent, choice: _Choice) -> _Grant:
        optional = [c for c in self.config.categories if not c.required]
        if choice.action in _CHANGED_ACTIONS:
            return self._changed_grant(old, choice)
        if choice.action == "accept":
            # Accepting everything is not an explicit opt-in to sale or sharing: while
            # GPC is on the signal wins; only a ticked box on the preferences page does.
            kept = (c.id for c in optional if not (old.gpc and c.sale_or_share))
            return _Grant(categories=frozenset(kept))
        if choice.action == "save":
            return self._saved_grant(old, choice)
        if choice.action == "allow_service":
            categories, services = self._base_grant(old)
            return _Grant(
                categories=categories,
                services=services | {choice.service or ""},
                sale_opt_in=old.sale_opt_in,
                do_not_sell=old.do_not_sell,
                # Loading one video answers nothing about changed categories.
                changed=old.changed,
            )
        # reject and withdraw: nothing optional; under US-state law also "do not sell".
        return _Grant(do_not_sell=old.mode == "opt-out")

    def _changed_grant(self, old: Consent, choice: _Choice) -> _Grant:
        """The re-consent banner: the rest of the choice stands, the asked ones are answered.

        Only categories both named in the form and still awaiting an answer are
        affected, so a category that changed after the banner was rendered is never
        granted without having been shown. Refused ones become ordinary refusals.
        """
        asked = choice.categories & frozenset(old.pending_changes())
        granted = asked if choice.action == "accept_changed" else frozenset()
        return _Grant(
            categories=old.categories | granted,
            services=old.services,
            sale_opt_in=old.sale_opt_in,
            do_not_sell=old.do_not_sell,
            changed=old.changed - asked,
        )

    def _saved_grant(self, old: Consent, choice: _Choice) -> _Grant:
        """The preferences form: exactly the ticked boxes.

        A ``sale_or_share`` box ticked while GPC is on is the visitor's explicit
        choice, which overrides the signal (``sale_opt_in``) unless they also ask
        not to sell.
        """
        optional = {c.id for c in self.config.categories if not c.required}
        sale = {c.id for c in self.config.categories if c.sale_or_share}
        do_not_sell = choice.do_not_sell and old.mode == "opt-out"
        return _Grant(
            categories=choice.categories & optional,
            sale_opt_in=old.gpc and bool(sale & choice.categories) and not do_not_sell,
            do_not_sell=do_not_sell,
        )

    def _base_grant(self, old: Consent) -> tuple[frozenset[str], frozenset[str]]:
        """What a placeholder's one-service grant is added to.

        An undecided visitor in an opt-in jurisdiction has granted nothing. In an
        opt-out jurisdiction undecided means "allowed", so the categories allowed so
        far are kept: loading one video must not switch off everything else.
        """
        if old.decided:
            return old.categories, old.services
        if old.mode == "opt-out":
            optional = (c.id for c in self.config.categories if not c.required)
            return frozenset(c for c in optional if old.allows(c)), old.services
        return frozenset(), old.services

    def _expire_cookies(
        self, environ: WSGIEnvironment, response: Response, consent: Consent, *, secure: bool
    ) -> None:
        """Delete the declared first-party cookies the new decision no longer covers.

        Runs on every decision, not only on withdrawal: un-ticking a category, "Reject
        all" after "Accept all" and refusing a changed category withdraw consent just
        as well. A cookie is expired when the request carries it and its declaration
        (the same one the Set-Cookie firewall uses) is not allowed by ``consent``.
        HttpOnly cookies are among them: the flag hides a cookie from scripts, not
        from the server, and a ``Set-Cookie`` header may overwrite it.
        """
        domains = _cookie_domains(environ)
        for name in sorted(_request_cookie_names(environ)):
            if name == self.config.cookie_name:
                continue
            spec = self.config.cookie_spec(name)
            if spec is None or declared_cookie_allowed(spec, consent):
                continue
            for header in cookie_deletions(name, domains, secure=secure):
                response.headers.add("Set-Cookie", header)

    # -- error pages, stylesheet, gpc.json ----------------------------------------

    def _error(
        self,
        environ: WSGIEnvironment,
        choice: _Choice | None,
        message: str,
        *,
        from_preferences: bool,
    ) -> Response:
        """A 400 page; with a retry form repeating ``choice`` when there is one.

        The retry form posts to the endpoint the failed POST went to, so the decision
        is logged with the same source as the original attempt.
        """
        back = (choice.next if choice else None) or self._url(
            environ, self.config.preferences_path, False
        )
        endpoint = (
            self.config.preferences_path
            if from_preferences
            else self.config.endpoint_path + "/consent"
        )
        html = self._render(
            "cookiegate/error.html",
            environ,
            None,
            False,
            message_key=message,
            back_url=back,
            retry_url=self._url(environ, endpoint, False),
            retry_fields=choice.fields() if choice else [],
            retry_next=(choice.next or "") if choice else "",
        )
        return Response(html, 400, mimetype="text/html", headers=_PAGE_HEADERS)

    def _serve_css(self, request: Request) -> Response:
        response = Response(self._css, mimetype="text/css")
        response.headers["Cache-Control"] = "public, max-age=86400"
        response.set_etag(self._css_etag)
        return response.make_conditional(request)

    def _serve_gpc(self, request: Request) -> Response:
        response = Response(self._gpc_json, mimetype="application/json")
        response.headers["Cache-Control"] = "public, max-age=86400"
        # Auditing tools read this file from other origins; it holds nothing private.
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    # -- helpers ------------------------------------------------------------------

    def _render(
        self,
        template: str,
        environ: WSGIEnvironment,
        page_lang: str | None,
        absolute_urls: bool,
        **context: Any,
    ) -> str:
        lang = self._language(environ, page_lang)
        context.setdefault("csrf_token", self.csrf.issue())
        return self.jinja.get_template(template).render(
            lang=lang,
            dir=text_direction(lang),
            texts=self._texts_for(lang),
            config=self.config,
            css_url=self._url(environ, self.config.endpoint_path + "/cookiegate.css", absolute_urls)
            + "?v="
            + self._css_etag[:12],
            consent_url=self._url(environ, self.config.endpoint_path + "/consent", absolute_urls),
            preferences_action=self._url(environ, self.config.preferences_path, absolute_urls),
            policy_url=self._policy_url(environ, absolute_urls),
            **context,
        )

    def _language(self, environ: WSGIEnvironment, page_lang: str | None) -> str:
        """The visitor's language: the page's, then ``Accept-Language``, then the default.

        Browsers send a few distinct headers, each on many requests: answers are kept.
        """
        key = (page_lang, environ.get("HTTP_ACCEPT_LANGUAGE"))
        language = self._languages.get(key)
        if language is None:
            language = choose_language(self.config, *key)
            if len(self._languages) >= _BANNERS_LIMIT:
                self._languages.clear()
            self._languages[key] = language
        return language

    def _localized_category(self, category: Category, lang: str) -> Category:
        """``category`` with its title and description in ``lang``, for the templates.

        A copy with the same fields keeps site template overrides that read
        ``category.title`` working unchanged.
        """
        if not (category.titles or category.descriptions):
            return category
        return replace(
            category,
            title=self.config.category_title(category.id, lang),
            description=self.config.category_description(category.id, lang),
        )

    def _localized_service(self, service: Service, lang: str) -> Service:
        """``service`` with its title and description in ``lang``, for the templates."""
        if not (service.titles or service.descriptions):
            return service
        return replace(
            service,
            title=self.config.service_title(service.id, lang),
            description=self.config.service_description(service.id, lang),
        )

    def _texts_for(self, lang: str) -> Mapping[str, str]:
        texts = self._texts.get(lang)
        if texts is None:
            texts = self._texts[lang] = resolve_texts(self.config, lang)
        return texts

    def _consent(self, environ: WSGIEnvironment) -> Consent:
        """The middleware publishes the request's consent; read the cookie if it did not."""
        return get_consent(environ) or consent_from_environ(environ, self.codec)

    def _url(self, environ: WSGIEnvironment, path: str, absolute: bool) -> str:
        """A URL for one of our paths: under ``SCRIPT_NAME``, with the origin if asked."""
        origin = get_current_url(environ, host_only=True).rstrip("/") if absolute else ""
        return origin + _script_root(environ) + quote(path, safe=_URL_SAFE)

    def _policy_url(self, environ: WSGIEnvironment, absolute: bool) -> str | None:
        url = _linkable(self.config.policy_url or "")
        if url and absolute and url.startswith("/"):
            return get_current_url(environ, host_only=True).rstrip("/") + url
        return url

    def _preferences_link(
        self, environ: WSGIEnvironment, next_url: str | None, *, absolute: bool = False
    ) -> str:
        """The preferences page, remembering where the visitor came from."""
        url = self._url(environ, self.config.preferences_path, absolute)
        return url + "?next=" + quote(next_url, safe="") if next_url else url

    def _is_sale_or_share(self, category_id: str) -> bool:
        return any(c.id == category_id and c.sale_or_share for c in self.config.categories)


def safe_next(value: str | None) -> str | None:
    """``value`` if it is a path on this origin, percent-encoded; else ``None``.

    Only ``/path`` is accepted: ``//host`` and ``/\\host`` are read by browsers as
    another host, any scheme (``https:``, ``javascript:``) could leave the site, and
    control characters could split a header.
    """
    if not value or len(value) > _MAX_NEXT or not value.startswith("/"):
        return None
    if value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    try:
        return quote(value, safe=_URL_SAFE)
    except UnicodeEncodeError:  # lone surrogates: not a URL anyone could have sent
        return None


def _field(request: Request, name: str) -> str | None:
    value = request.form.get(name)
    return value if isinstance(value, str) else None


def _answers_a_question(choice: _Choice, old: Consent) -> bool:
    """Whether a re-consent answer names a category ``old`` is still being asked about."""
    return old.decided and bool(choice.categories & set(old.pending_changes()))


def _source(choice: _Choice, old: Consent, from_preferences: bool) -> str:
    """The decision's source for the log (see :data:`DECISION_SOURCES`).

    Why the visitor was asked again is read from their signed cookie, which the POST
    still carries; the banner's hidden ``reask`` field covers the rare request where
    the cookie is gone by then (browser expiry between page and click).
    """
    if choice.action == "withdraw":
        return "withdrawal"
    if choice.action == "allow_service":
        return "placeholder"
    reask = old.reask or choice.reask
    if reask is not None:
        return reask
    return "preferences" if from_preferences else "banner"


def _redirect(location: str) -> Response:
    return Response("", 303, headers={"Location": location, **_NO_STORE})


def _method_not_allowed(allow: str) -> Response:
    return Response("Method not allowed.\n", 405, mimetype="text/plain", headers={"Allow": allow})


def request_path(environ: WSGIEnvironment) -> str:
    """The request path as werkzeug's ``Request.path`` reads it, without building one."""
    return "/" + wsgi_text(environ.get("PATH_INFO", "")).lstrip("/")


def _script_root(environ: WSGIEnvironment) -> str:
    """``SCRIPT_NAME`` as a URL path prefix without a trailing slash."""
    return quote(wsgi_text(environ.get("SCRIPT_NAME", "")), safe=_URL_SAFE).rstrip("/")


def _current_path(environ: WSGIEnvironment) -> str:
    """The path and query of this request as the visitor's address bar shows them."""
    script_name, path_info, query_string = (
        value if isinstance(value, str) else ""
        for value in (environ.get(k) for k in ("SCRIPT_NAME", "PATH_INFO", "QUERY_STRING"))
    )
    return _address(script_name, path_info, query_string)


@functools.lru_cache(maxsize=1024)
def _address(script_name: str, path_info: str, query_string: str) -> str:
    """:func:`_current_path` of the raw WSGI values (a site's pages repeat)."""
    script_root = quote(wsgi_text(script_name), safe=_URL_SAFE).rstrip("/")
    path = script_root + quote(wsgi_text(path_info), safe=_URL_SAFE)
    query = quote(wsgi_text(query_string), safe=_URL_SAFE)
    return (path or "/") + ("?" + query if query else "")


def _linkable(url: str) -> str | None:
    """``url`` if it is safe as an ``href`` (http(s) or a path), else ``None``."""
    lowered = url.strip().lower()
    if lowered.startswith(("https://", "http://")) or (url.startswith("/") and "\\" not in url):
        return url.strip()
    return None


def _spacer(width: str | None, height: str | None) -> dict[str, str] | None:
    """Attributes of an ``<svg>`` that reserves the stripped embed's size.

    CSP forbids inline styles, so the size comes from SVG presentation attributes;
    a ``viewBox`` keeps the aspect ratio when the stylesheet shrinks it to fit a
    phone. Values other than plain numbers or percentages are dropped.
    """
    w, h = _dimension(width), _dimension(height)
    if w is None and h is None:
        return None
    attrs = {"width": w or "", "height": h or "", "viewbox": ""}
    if w and h and w.isdigit() and h.isdigit() and int(w) and int(h):
        attrs["viewbox"] = f"0 0 {w} {h}"
    return attrs


def _dimension(value: str | None) -> str | None:
    """``"560"`` for ``" 560px "``, ``"100%"`` kept, anything else ``None``."""
    if value is None:
        return None
    match = _DIMENSION.fullmatch(value.strip().lower())
    if match is None:
        return None
    number, unit = match.group(1), match.group(2)
    return number + "%" if unit == "%" else number


def _service_rows(service: Service) -> list[dict[str, Any]]:
    """Declaration-table rows for one service: one per cookie, or one if it has none."""
    base = {
        "service": service.title,
        "first_party": False,
        "provider": service.provider or None,
        "policy": _linkable(service.privacy_policy),
    }
    if not service.cookies:
        return [{**base, "cookie": None, "duration": None, "purpose": service.description}]
    return [
        {
            **base,
            "cookie": spec.name,
            "duration": spec.duration,
            "purpose": spec.purpose or service.description,
        }
        for spec in service.cookies
    ]


def _request_cookie_names(environ: WSGIEnvironment) -> set[str]:
    """Names of the cookies the request carries that could be named in a Set-Cookie.

    The header is visitor input: it is decoded leniently (werkzeug's own parser raises
    on bytes that are not UTF-8), and a name that is not an RFC 6265 token is skipped,
    because echoing control characters into a response header could break it.
    """
    return {name for name in request_cookies(environ) if _COOKIE_NAME.fullmatch(name)}


def cookie_deletions(name: str, domains: Iterable[str], *, secure: bool) -> list[str]:
    """``Set-Cookie`` values that expire cookie ``name`` wherever a tracker may have put it.

    A request names a cookie but not where it was set, and a cookie is only replaced by
    one with the same name, domain and path. Trackers write theirs on ``Path=/`` and on
    the widest domain they can, old libraries with a leading dot (``.example.com``,
    RFC 2109), newer ones without; some browsers keep host-only and domain cookies
    apart. So each cookie is deleted host-only, then with ``Domain=`` for each of
    ``domains`` in both spellings. Deletions a browser rejects (a public suffix, a
    domain it is not on) are ignored by it, which is harmless.

    ``__Host-`` cookies can only be host-only and ``__Secure-`` ones only secure, so
    their deletions follow those rules or browsers would refuse them.
    """
    secure = secure or name.startswith(("__Secure-", "__Host-"))
    tail = "; Secure" if secure else ""
    base = f"{name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
    out = [base + tail]
    if name.startswith("__Host-"):
        return out
    for domain in domains:
        out.append(f"{base}; Domain={domain}{tail}")
        out.append(f"{base}; Domain=.{domain}{tail}")
    return out


def _cookie_domains(environ: WSGIEnvironment) -> list[str]:
    """The request host and its parent domains, for ``Domain=`` cookie deletions."""
    try:
        host = get_host(environ).lower()
    except (KeyError, ValueError):
        return []
    if host.startswith("["):
        return []  # IPv6 literal: cookies cannot have a Domain attribute
    labels = host.partition(":")[0].split(".")
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return []  # "localhost" or IPv4: Domain= would be rejected anyway
    return [".".join(labels[i:]) for i in range(len(labels) - 1)][:5]


def _gpc_document(source: str) -> bytes:
    """The body of ``/.well-known/gpc.json``, dated by the configuration's file."""
    try:
        stamp = os.path.getmtime(source)
    except (OSError, ValueError, TypeError):
        stamp = time.time()
    day = datetime.datetime.fromtimestamp(stamp, datetime.UTC).date()
    return json.dumps({"gpc": True, "lastUpdate": day.isoformat()}).encode("ascii")
