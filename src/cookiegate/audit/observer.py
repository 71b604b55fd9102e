"""The audit in the middleware: watch responses, record what the configuration misses.

With ``audit: report`` (or ``COOKIEGATE_AUDIT=report``), :class:`~cookiegate.CookieGate`
hands each response to an :class:`AuditObserver`:

- its ``Set-Cookie`` headers, before the firewall drops any, for cookie names that no
  declaration covers; and its ``Link`` and ``Refresh`` headers, for hosts;
- its HTML body, through a :class:`_Tee` that lets every chunk go on to the gate
  unchanged and scans a copy with a :class:`~cookiegate.audit.page.PageScanner`. The
  copy is the page *as the app wrote it*, so a tag the gate removes for this visitor
  is found all the same.

A host is undeclared when the gate would call it so: not the page's own host, not under
``first_party_hosts``, not claimed by any service. Findings go to an
:class:`~cookiegate.audit.store.AuditLog`. With the audit off none of this exists and a
response costs nothing more; with it on, a page is tokenized twice. Whatever fails in
the observer is logged and never changes or breaks the response.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from werkzeug.wsgi import get_current_url

from .._wsgi import BodyFilter, ResponsePolicy
from ..catalog import PRESETS
from ..config import AuditSettings, Config
from ..exceptions import ConfigError
from ..hosts import HostMatcher, UrlResolver, request_host
from .data import Limits
from .page import PageScanner, header_urls
from .store import AuditLog

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["AUDIT_ENV", "AUDIT_FILE_ENV", "AuditObserver", "Classifier", "audit_settings"]

logger = logging.getLogger("cookiegate")

#: Overrides ``audit.mode``: ``report`` or ``off``.
AUDIT_ENV = "COOKIEGATE_AUDIT"
#: Overrides ``audit.file``.
AUDIT_FILE_ENV = "COOKIEGATE_AUDIT_FILE"
#: Page paths are cut here: they are keys of the report, not data.
_MAX_PATH = 200
# A Set-Cookie that deletes: Max-Age of zero or less, or an Expires in the past (a year
# before 2000 is the usual way; later dates are left alone rather than parsed).
_DELETION = re.compile(
    r";\s*(?:max-age\s*=\s*(?:0|-\d+)\s*(?:;|$)|expires\s*=[^;]*\b19\d\d\b)", re.IGNORECASE
)


def audit_settings(config: Config, environ: Mapping[str, str] | None = None) -> AuditSettings:
    """``config.audit`` with the environment's overrides applied.

    :raises ConfigError: ``COOKIEGATE_AUDIT`` holds something other than ``report`` or
        ``off``.
    """
    environ = os.environ if environ is None else environ
    settings = config.audit
    mode = environ.get(AUDIT_ENV, "").strip().lower()
    if mode:
        if mode not in ("report", "off"):
            raise ConfigError(
                f"{mode!r} is not allowed; use 'report' or 'off'", source=f"${AUDIT_ENV}"
            )
        settings = dataclasses.replace(settings, mode="report" if mode == "report" else "off")
    file = environ.get(AUDIT_FILE_ENV, "").strip()
    if file:
        settings = dataclasses.replace(settings, file=file)
    return settings


def limits_of(settings: AuditSettings) -> Limits:
    return Limits(
        max_hosts=settings.max_hosts,
        max_cookies=settings.max_cookies,
        max_pages=settings.max_pages,
    )


class Classifier:
    """Says which hosts and cookie names a configuration leaves undeclared."""

    __slots__ = ("_config", "_hosts")

    def __init__(self, config: Config) -> None:
        self._config = config
        self._hosts = HostMatcher(config)

    def host_is_undeclared(self, host: str, own_hosts: frozenset[str] | set[str]) -> bool:
        """Not one of the page's ``own_hosts``, not first-party, not a service's."""
        return host not in own_hosts and self._hosts.classify(host) is None

    def snippet_is_undeclared(self, preset_id: str) -> bool:
        """No service uses the preset, nor lists one of its inline signatures."""
        preset = PRESETS.get(preset_id)
        if preset is None:
            return False
        signatures = set(preset.inline)
        return not any(
            s.preset == preset_id or signatures.intersection(s.inline)
            for s in self._config.services
        )

    def cookie_is_undeclared(self, name: str) -> bool:
        return name != self._config.cookie_name and self._config.cookie_spec(name) is None

    def undeclared_cookies(self, set_cookies: list[str]) -> Iterator[str]:
        """The undeclared names among ``Set-Cookie`` values that set (not delete) a cookie."""
        seen: set[str] = set()
        for value in set_cookies:
            name = value.split("=", 1)[0].strip() if "=" in value else ""
            if not name or name in seen or _DELETION.search(value):
                continue
            seen.add(name)
            if self.cookie_is_undeclared(name):
                yield name


class AuditObserver:
    """Records undeclared hosts and cookies seen in responses (see the module docstring)."""

    def __init__(self, config: Config, log: AuditLog) -> None:
        self.config = config
        self.log = log
        self.classifier = Classifier(config)

    @classmethod
    def from_config(
        cls, config: Config, environ: Mapping[str, str] | None = None
    ) -> AuditObserver | None:
        """The observer ``config`` (and the environment) ask for; None when the audit is off."""
        settings = audit_settings(config, environ)
        if settings.mode == "off":
            return None
        log = AuditLog(settings.file, limits_of(settings), flush_seconds=settings.flush_seconds)
        return cls(config, log)

    def watch(self, policy: ResponsePolicy, environ: WSGIEnvironment) -> ResponsePolicy:
        """``policy``, with this observer shown every response's headers and HTML body."""
        return _WatchedPolicy(policy, self, environ)

    def observe_headers(self, environ: WSGIEnvironment, headers: list[tuple[str, str]]) -> None:
        """Record the undeclared cookies and header-borne hosts of one response."""
        try:
            cookies = [v for n, v in headers if n.lower() == "set-cookie"]
            names = list(self.classifier.undeclared_cookies(cookies))
            if names:
                self.log.record_cookies(page_path(environ), names)
            if any(n.lower() in ("link", "refresh") for n, _ in headers):
                self._header_hosts(environ, headers)
        except Exception:
            logger.exception("cookiegate: the audit failed on a response's headers")

    def _header_hosts(self, environ: WSGIEnvironment, headers: list[tuple[str, str]]) -> None:
        resolver = _resolver(environ)
        own = frozenset({resolver.document_host})
        found = {
            host
            for url in header_urls(headers)
            if (host := resolver.host(url)) and self.classifier.host_is_undeclared(host, own)
        }
        if found:
            self.log.record_hosts(page_path(environ), [(host, ("header",)) for host in found])

    def tee(self, body_filter: BodyFilter, environ: WSGIEnvironment, *, charset: str) -> BodyFilter:
        """``body_filter``, with a scanner reading a copy of what it is fed."""
        try:
            scanner = PageScanner(
                _resolver(environ), encoding=charset, max_script=self.config.max_inline_script
            )
        except Exception:
            logger.exception("cookiegate: the audit could not watch a page")
            return body_filter
        return _Tee(body_filter, scanner, self, environ)

    def record_page(self, environ: WSGIEnvironment, scanner: PageScanner) -> None:
        findings = scanner.close()
        site_host = request_host(environ)
        own = frozenset({site_host})
        hosts = [
            (host, via)
            for host, via in sorted(findings.hosts.items())
            if self.classifier.host_is_undeclared(host, own)
        ]
        snippets = [
            p for p in sorted(findings.snippets) if self.classifier.snippet_is_undeclared(p)
        ]
        self.log.record_page(page_path(environ), site_host, hosts, snippets)


class _WatchedPolicy:
    """The middleware's response policy, with the audit looking on.

    Headers are observed as the app sent them, before the policy's firewall drops any
    ``Set-Cookie``; the body filter the policy returns is wrapped in a :class:`_Tee`.
    """

    __slots__ = ("_policy", "_observer", "_environ")

    def __init__(
        self, policy: ResponsePolicy, observer: AuditObserver, environ: WSGIEnvironment
    ) -> None:
        self._policy = policy
        self._observer = observer
        self._environ = environ

    def filter_headers(self, status: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        self._observer.observe_headers(self._environ, headers)
        return self._policy.filter_headers(status, headers)

    def body_filter(
        self, status: str, headers: list[tuple[str, str]], *, charset: str
    ) -> BodyFilter | None:
        inner = self._policy.body_filter(status, headers, charset=charset)
        if inner is None:
            return None
        return self._observer.tee(inner, self._environ, charset=charset)


class _Tee:
    """A body filter that passes everything to the gate and shows a copy to the scanner.

    The gate's output is returned untouched; a scanner error only stops the scanning.
    The page is recorded when the body ends, so a filter that is replaced before its
    first byte (the encoding was decided by the body) records nothing.
    """

    __slots__ = ("_inner", "_scanner", "_observer", "_environ")

    def __init__(
        self,
        inner: BodyFilter,
        scanner: PageScanner,
        observer: AuditObserver,
        environ: WSGIEnvironment,
    ) -> None:
        self._inner = inner
        self._scanner: PageScanner | None = scanner
        self._observer = observer
        self._environ = environ

    def feed(self, data: bytes) -> bytes:
        if self._scanner is not None:
            try:
                self._scanner.feed(data)
            except Exception:
                logger.exception("cookiegate: the audit stopped scanning a page")
                self._scanner = None
        return self._inner.feed(data)

    def close(self) -> bytes:
        try:
            return self._inner.close()
        finally:
            scanner, self._scanner = self._scanner, None
            if scanner is not None:
                try:
                    self._observer.record_page(self._environ, scanner)
                except Exception:
                    logger.exception("cookiegate: the audit could not record a page")


def page_path(environ: WSGIEnvironment) -> str:
    """The request's path as the browser wrote it, without the query string."""
    raw = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    try:
        path = raw.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        path = raw
    return (path or "/")[:_MAX_PATH]


def _resolver(environ: WSGIEnvironment) -> UrlResolver:
    # The gate has a resolver of its own: a <base href> must not reach it through ours.
    return UrlResolver(lambda: get_current_url(environ), host=request_host(environ))
