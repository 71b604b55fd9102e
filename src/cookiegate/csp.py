"""Content-Security-Policy from consent: the browser enforces the gate at run time too.

The gate removes from the HTML the tags a visitor has not allowed, but a script it lets
through can still add tags once it runs: Google Tag Manager, allowed for analytics,
can inject the Meta pixel the visitor refused. With ``csp: enforce`` (docs/csp.md) each
gated page also carries a policy listing where it may load from: its own origin
(``'self'``), ``first_party_hosts``, and the hosts of the services this visitor allows
(required categories included). The browser then blocks those injected loads itself.

**It only narrows.** The policy is sent as an *additional* header; the application's own
``Content-Security-Policy`` headers are never changed or removed. Browsers enforce every
policy they receive, each on its own, so a second policy can forbid more but never
allow anything the application's policy forbids.

**It is about hosts, nothing else.** Whatever the application's own policy allows apart
from hosts, this one must allow too, or adding it would break the page:

- Inline code (``<script>`` text, ``on*`` handlers, ``style``) passed the gate already.
  If no policy of the application restricts it, the directive gets ``'unsafe-inline'``
  and *no* nonce or hash, because browsers ignore ``'unsafe-inline'`` in a list that has
  one, which would block every inline script the application relies on. If the
  application restricts it, its nonces, hashes and ``'unsafe-hashes'`` are copied, so
  exactly the inline code it allows runs (``'unsafe-inline'`` stays as the fallback for
  browsers older than CSP 2, which then also obey the application's policy). Separate
  ``script-src-attr``/``style-src-attr`` directives are added when the application
  treats attributes differently from elements.
- ``'unsafe-eval'`` is always listed: ``eval`` loads nothing, and whether it may run is
  the application's policy's business.
- ``data:`` and ``blob:`` are allowed everywhere: they fetch nothing from the network, and
  whatever code or markup they hold is subject to this same policy when it loads.
- ``'strict-dynamic'`` is never copied: it would let an allowed script load from any
  host, which is exactly what this policy is for.

The sources are listed in ``default-src``; ``img-src``, ``font-src``, ``frame-src`` (and
``media-src``, ``object-src``, ``manifest-src``) fall back to it, so they allow exactly
the same, while the header stays short: every host is written out once per directive,
and proxies refuse responses whose headers outgrow a few kilobytes (nginx's
``proxy_buffer_size`` is 4 or 8 KiB by default). Only ``script-src`` and ``style-src``
(inline sources, ``'unsafe-eval'``) and ``connect-src`` (WebSockets) repeat them.

Host sources are written without a scheme: ``www.example.com`` or ``*.example.com``
(cookiegate's wildcard means the same in CSP: every subdomain, not the domain itself).
A scheme-less source takes the page's scheme, so on an HTTPS page it is HTTPS only, and
a plain-HTTP development server still works. ``connect-src`` also lists ``wss://host``
for each host, since a scheme-less source does not cover WebSockets from an HTTPS page.

The host part depends only on the configuration and the consent state, so it is built
once per :func:`~cookiegate.etags.consent_variant`; nonces, which change with every
response, are added per response.

Limits: only policies in response headers are read (not ``<meta http-equiv>``); a
page whose application sends no nonce but restricts inline scripts keeps them blocked
(that is its own policy at work).

.. versionadded:: 0.2
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .config import Config
from .consent import Consent
from .consent_mode import SCRIPT_HASHES, loads_before_consent

__all__ = ["AppPolicies", "PolicyBuilder", "host_source", "parse_policies"]

HeaderList = list[tuple[str, str]]
Directives = Mapping[str, tuple[str, ...]]

ENFORCE_HEADER = "Content-Security-Policy"
REPORT_HEADER = "Content-Security-Policy-Report-Only"

#: Which directive governs each kind of inline code, most specific first (CSP 3).
_FALLBACKS: Mapping[str, tuple[str, ...]] = {
    "script-elem": ("script-src-elem", "script-src", "default-src"),
    "script-attr": ("script-src-attr", "script-src", "default-src"),
    "style-elem": ("style-src-elem", "style-src", "default-src"),
    "style-attr": ("style-src-attr", "style-src", "default-src"),
}
_BASE64 = r"[A-Za-z0-9+/_-]+={0,2}"
_NONCE = re.compile(rf"'nonce-({_BASE64})'", re.IGNORECASE)
_HASH = re.compile(rf"'(sha256|sha384|sha512)-({_BASE64})'", re.IGNORECASE)
_DIRECTIVE_NAME = re.compile(r"[a-z0-9-]+")
_HOST_PATTERN = re.compile(r"(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*")
_UNSAFE_INLINE = "'unsafe-inline'"
_SCHEMES = ("data:", "blob:")
_HOSTS_CACHE_LIMIT = 256


def parse_policies(value: str) -> list[dict[str, tuple[str, ...]]]:
    """The policies in one header value: comma-separated, each a ``;`` list of
    directives whose first occurrence wins, names compared case-insensitively."""
    policies: list[dict[str, tuple[str, ...]]] = []
    for serialized in value.split(","):
        directives: dict[str, tuple[str, ...]] = {}
        for part in serialized.split(";"):
            tokens = part.split()
            if not tokens:
                continue
            name = tokens[0].lower()
            if _DIRECTIVE_NAME.fullmatch(name) and name not in directives:
                directives[name] = tuple(tokens[1:])
        if directives:
            policies.append(directives)
    return policies


def _effective(policy: Directives, kind: str) -> tuple[str, ...] | None:
    """The source list that governs ``kind`` of inline code, or None: unrestricted."""
    for name in _FALLBACKS[kind]:
        if name in policy:
            return policy[name]
    return None


def _is_nonce_or_hash(token: str) -> bool:
    return bool(_NONCE.fullmatch(token) or _HASH.fullmatch(token))


def _allows_any_inline(sources: tuple[str, ...], *, script: bool) -> bool:
    """Whether a source list lets all inline code of its kind run."""
    lowered = [token.lower() for token in sources]
    if _UNSAFE_INLINE not in lowered or any(_is_nonce_or_hash(t) for t in sources):
        return False
    return not (script and "'strict-dynamic'" in lowered)


@dataclass(frozen=True, slots=True)
class AppPolicies:
    """The Content-Security-Policy headers the application sent with one response."""

    enforced: tuple[Directives, ...] = ()
    reported: tuple[Directives, ...] = ()

    @classmethod
    def from_headers(cls, headers: Iterable[tuple[str, str]]) -> AppPolicies:
        enforced: list[Directives] = []
        reported: list[Directives] = []
        for name, value in headers:
            key = name.lower()
            if key == ENFORCE_HEADER.lower():
                enforced.extend(parse_policies(value))
            elif key == REPORT_HEADER.lower():
                reported.extend(parse_policies(value))
        return cls(tuple(enforced), tuple(reported))

    def inline_sources(self, kind: str) -> tuple[str, ...]:
        """What cookiegate's policy lists for inline code of ``kind`` (see the module
        docstring): ``'unsafe-inline'`` alone when nothing the application enforces
        restricts it, else ``'unsafe-inline'`` plus the application's nonces and hashes."""
        script = kind.startswith("script")
        found: dict[str, None] = {}
        restricted = False
        for policy in self.enforced:
            sources = _effective(policy, kind)
            if sources is None or _allows_any_inline(sources, script=script):
                continue
            restricted = True
            for token in sources:
                if _is_nonce_or_hash(token) or token.lower() == "'unsafe-hashes'":
                    found.setdefault(token)
        return (_UNSAFE_INLINE, *found) if restricted else (_UNSAFE_INLINE,)

    @property
    def script_nonce(self) -> str | None:
        """The nonce the application gives its inline scripts (enforced policies first)."""
        for policy in (*self.enforced, *self.reported):
            for token in _effective(policy, "script-elem") or ():
                match = _NONCE.fullmatch(token)
                if match is not None:
                    return match.group(1)
        return None

    def allows_inline_script(self, *, nonce: str | None, hashes: Iterable[str]) -> bool:
        """Whether every enforced policy runs an inline script carrying ``nonce`` whose
        text has one of ``hashes`` (``'sha256-...'`` sources)."""
        wanted = {_hash_key(h) for h in hashes}
        for policy in self.enforced:
            sources = _effective(policy, "script-elem")
            if sources is None or _allows_any_inline(sources, script=True):
                continue
            if nonce is not None and any(
                (m := _NONCE.fullmatch(t)) is not None and m.group(1) == nonce for t in sources
            ):
                continue
            if any(_hash_key(token) in wanted for token in sources):
                continue
            return False
        return True


def _hash_key(token: str) -> tuple[str, str] | None:
    match = _HASH.fullmatch(token)
    return None if match is None else (match.group(1).lower(), match.group(2))


def host_source(pattern: str) -> str | None:
    """A cookiegate host pattern as a CSP host source, or None if it cannot be one.

    Validated patterns are already lowercase punycode with an optional leading ``*.``,
    which CSP reads the same way; anything else (a hand-built :class:`Config`) is left out
    rather than risk a malformed header.
    """
    return pattern if _HOST_PATTERN.fullmatch(pattern) else None


def host_sources(config: Config, consent: Consent, *, early: bool) -> tuple[str, ...]:
    """First-party hosts, then the hosts of every service that may load for ``consent``
    (``early``: also those in ``load_before_consent``), in configuration order."""
    found: dict[str, None] = {}
    patterns = list(config.first_party_hosts)
    for service in config.services:
        if consent.allows_service(service.id) or (
            early and loads_before_consent(config, service.id, consent)
        ):
            patterns.extend(service.hosts)
    for pattern in patterns:
        source = host_source(pattern)
        if source is not None:
            found.setdefault(source)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class _HostPart:
    sources: str  # "'self' host1 host2 ... data: blob:"
    connect: str  # the same, plus wss://host for each host


class PolicyBuilder:
    """Builds cookiegate's policy header for gated pages of one configuration."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.header_name = REPORT_HEADER if config.csp.mode == "report-only" else ENFORCE_HEADER
        self._report = "" if config.csp.report_uri is None else config.csp.report_uri
        self._hosts: dict[tuple[str, bool], _HostPart] = {}

    def header(
        self,
        consent: Consent,
        variant: str,
        app: AppPolicies,
        *,
        early: bool = False,
        consent_mode: bool = False,
    ) -> tuple[str, str]:
        """The ``(name, value)`` header for one response.

        :param variant: :func:`~cookiegate.etags.consent_variant` of ``consent``.
        :param app: the application's own policies on this response.
        :param early: whether ``load_before_consent`` services may load on this page.
        :param consent_mode: whether the page carries the consent-mode script, whose
            hash is then listed wherever nonces or hashes make ``'unsafe-inline'`` moot.
        """
        hosts = self._host_part(consent, variant, early)
        script_elem = app.inline_sources("script-elem")
        script_attr = app.inline_sources("script-attr")
        style_elem = app.inline_sources("style-elem")
        style_attr = app.inline_sources("style-attr")
        script = script_elem
        if consent_mode and len(script_elem) > 1:
            script = (*script_elem, SCRIPT_HASHES["sha256"])
        directives = [
            f"default-src {hosts.sources}",
            f"script-src {hosts.sources} {' '.join(script)} 'unsafe-eval'",
            f"style-src {hosts.sources} {' '.join(style_elem)}",
            f"connect-src {hosts.connect}",
        ]
        if script_attr != script_elem:
            directives.append(f"script-src-attr {' '.join(script_attr)}")
        if style_attr != style_elem:
            directives.append(f"style-src-attr {' '.join(style_attr)}")
        if self._report:
            directives.append(f"report-uri {self._report}")
        return self.header_name, "; ".join(directives)

    def _host_part(self, consent: Consent, variant: str, early: bool) -> _HostPart:
        key = (variant, early)
        part = self._hosts.get(key)
        if part is None:
            hosts = host_sources(self.config, consent, early=early)
            sources = " ".join(("'self'", *hosts, *_SCHEMES))
            connect = " ".join(("'self'", *hosts, *(f"wss://{host}" for host in hosts), *_SCHEMES))
            part = _HostPart(sources, connect)
            if len(self._hosts) >= _HOSTS_CACHE_LIMIT:
                self._hosts.clear()
            self._hosts[key] = part
        return part
