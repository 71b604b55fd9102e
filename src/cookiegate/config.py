"""The configuration model: frozen dataclasses built once at start-up.

A :class:`Config` is immutable and shared by every request and thread. It is built
from YAML by :func:`load_config` (or from a plain mapping by
:meth:`Config.from_mapping`), which validates everything up front so that nothing can
fail per request. Validation collects every problem before raising, so one run of
``cookiegate check`` lists them all, each as ``file:line: key.path: problem (fix)``.

Services may start from a built-in preset (``preset: youtube``, see
:mod:`cookiegate.catalog`). Scalar keys written in the YAML (``title``, ``category``,
``provider`` ...) override the preset's value one by one, while ``hosts``, ``inline`` and
``cookies`` given in the YAML *replace* the preset's list as a whole, so a site can
narrow a preset down as well as extend it (copy the preset's entries to extend).
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import json
import os
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any, Literal, cast
from urllib.parse import urlsplit

import ada_url

from . import _yaml
from .catalog import PRESETS, Preset, get_preset, host_matches
from .exceptions import ConfigError
from .jurisdictions import MODES as JURISDICTION_MODES
from .jurisdictions import Jurisdictions, Regime, header_name_ok, parse_place
from .jurisdictions import Mode as JurisdictionMode
from .jurisdictions import Rule as JurisdictionRule
from .texts import BUILTIN, ENGLISH, TEXT_KEYS, fallback_chain, language_key

Jurisdiction = Literal["opt-in", "opt-out"]
UndeclaredPolicy = Literal["block", "allow"]
#: ``(language key, text)`` pairs of a text written per language in the YAML.
Localized = tuple[tuple[str, str], ...]

_DOCS_HINT = "see docs/configuration.md for the keys"


@dataclass(frozen=True, slots=True, kw_only=True)
class Category:
    """A purpose visitors consent to as a whole (``analytics``, ``marketing`` ...).

    ``required`` categories (strictly necessary) are always granted and shown checked
    and disabled. ``sale_or_share`` categories are switched off by Global Privacy
    Control and by the "Do not sell or share" choice.

    ``title`` and ``description`` are in the site's default language; ``titles`` and
    ``descriptions`` hold the per-language texts when the YAML gives a mapping such as
    ``title: {en: Analytics, de: Statistik}``. Read them through
    :meth:`Config.category_title` and :meth:`Config.category_description`.
    """

    id: str
    title: str
    description: str = ""
    required: bool = False
    sale_or_share: bool = False
    titles: Localized = ()
    descriptions: Localized = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CookieSpec:
    """One declared cookie (or a ``*`` glob of them) for the declaration table."""

    name: str
    category: str
    service: str | None = None
    provider: str = ""
    duration: str = "session"
    purpose: str = ""

    @property
    def is_glob(self) -> bool:
        """Whether ``name`` is a pattern such as ``_ga_*``."""
        return any(c in self.name for c in "*?[")

    def matches(self, cookie_name: str) -> bool:
        """Whether a concrete cookie name is covered by this declaration."""
        if self.is_glob:
            return fnmatch.fnmatchcase(cookie_name, self.name)
        return cookie_name == self.name

    def overlaps(self, other: CookieSpec) -> bool:
        """Whether some cookie name would be covered by both declarations.

        Exact for names using only ``*`` wildcards (the only ones the YAML accepts);
        ``?`` and ``[...]`` in hand-built specs are compared as literal characters.
        """
        return _globs_intersect(self.name, other.name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """A third party whose tags the gate removes until its category is granted.

    Like a :class:`Category`, ``title`` and ``description`` are in the default
    language and ``titles``/``descriptions`` hold per-language texts.
    """

    id: str
    title: str
    category: str
    description: str = ""
    provider: str = ""
    privacy_policy: str = ""
    hosts: tuple[str, ...] = ()
    inline: tuple[str, ...] = ()
    cookies: tuple[CookieSpec, ...] = ()
    placeholder: bool = False
    preset: str | None = None
    titles: Localized = ()
    descriptions: Localized = ()

    def matches_host(self, host: str) -> bool:
        """Whether a lowercase, punycode ``host`` is covered by one of ``hosts``."""
        return any(host_matches(pattern, host) for pattern in self.hosts)


CspMode = Literal["off", "report-only", "enforce"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CspSettings:
    """``csp:``: the Content-Security-Policy cookiegate adds to gated pages (docs/csp.md).

    ``mode`` is ``"off"``, ``"report-only"`` (sent as
    ``Content-Security-Policy-Report-Only``) or ``"enforce"``; ``report_uri`` is added as
    the policy's ``report-uri`` when given.
    """

    mode: CspMode = "off"
    report_uri: str | None = None


#: Google Consent Mode v2 consent types, in the order Google documents them.
GOOGLE_CONSENT_TYPES: tuple[str, ...] = (
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class GoogleConsentMode:
    """``google_consent_mode:``: the state Google tags start in (docs/consent-mode.md).

    ``types`` pairs each Google consent type with the category and service ids that must
    *all* be allowed for it to be ``granted``; an empty tuple means always ``denied``.
    ``load_before_consent`` names services whose scripts stay on the page before the
    visitor allows them, started in the denied state (what Google calls "advanced"
    consent mode); every other service is removed until allowed, as without this key.
    """

    types: tuple[tuple[str, tuple[str, ...]], ...]
    load_before_consent: frozenset[str] = frozenset()


AuditMode = Literal["off", "report"]
#: Where the audit report goes when ``audit.file`` is not given: next to the YAML file.
AUDIT_FILE_NAME = "cookiegate-audit.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditSettings:
    """``audit:``: whether the middleware records what the declarations miss.

    In ``report`` mode every HTML page and ``Set-Cookie`` header is checked for
    third-party hosts and cookie names nothing declares, and what is found is kept in
    ``file`` for ``cookiegate audit`` (see :mod:`cookiegate.audit`). ``file`` is
    relative to the YAML file's directory; the bounds keep the report small whatever
    the traffic.
    """

    mode: AuditMode = "off"
    file: str = AUDIT_FILE_NAME
    max_hosts: int = 500
    max_cookies: int = 500
    max_pages: int = 20
    flush_seconds: int = 10


StoreIp = Literal["none", "truncated"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentLogSettings:
    """``consent_log:``: where every decision is recorded (docs/consent-records.md).

    ``url`` names the backend (``sqlite:///path`` or ``postgresql://...``); it may be
    left to ``$COOKIEGATE_CONSENT_LOG``, which overrides it, so a database password
    need not be in the YAML file. ``spool`` is the local directory that keeps records
    while the backend cannot be written. Relative paths in both are resolved against
    the YAML file's directory. ``store_ip`` is ``"none"`` or ``"truncated"``.
    """

    url: str | None = None
    spool: str | None = None
    store_ip: StoreIp = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """Everything cookiegate knows about a site, validated.

    ``categories`` and ``services`` keep the order of the YAML file, which is the order
    the preferences page shows them in.
    """

    source: str = "<config>"
    revision: int = 1
    jurisdiction: Jurisdiction = "opt-in"
    policy_url: str | None = None
    consent_days: int = 182
    first_party_hosts: tuple[str, ...] = ()
    undeclared_third_party: UndeclaredPolicy = "block"
    undeclared_cookies: UndeclaredPolicy = "allow"
    categories: tuple[Category, ...] = ()
    services: tuple[Service, ...] = ()
    cookies: tuple[CookieSpec, ...] = ()
    texts: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )
    default_language: str = "en"
    preferences_path: str = "/cookie-settings"
    endpoint_path: str = "/_cookiegate"
    cookie_name: str = "cookiegate_consent"
    max_inline_script: int = 256 * 1024
    consent_log: ConsentLogSettings | None = field(default=None, compare=False)
    audit: AuditSettings = field(default_factory=AuditSettings, compare=False)
    csp: CspSettings = field(default_factory=CspSettings)
    google_consent_mode: GoogleConsentMode | None = None
    #: Per-request law from a trusted proxy header; None: ``jurisdiction`` for everyone.
    jurisdictions: Jurisdictions | None = None
    # Derived lookups, computed once so per-request code never scans tuples.
    _category_index: Mapping[str, Category] = field(init=False, repr=False, compare=False)
    _service_index: Mapping[str, Service] = field(init=False, repr=False, compare=False)
    _required: frozenset[str] = field(init=False, repr=False, compare=False)
    _sale_or_share: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        categories = {c.id: c for c in self.categories}
        object.__setattr__(self, "_category_index", MappingProxyType(categories))
        services = {s.id: s for s in self.services}
        object.__setattr__(self, "_service_index", MappingProxyType(services))
        object.__setattr__(
            self, "_required", frozenset(c.id for c in self.categories if c.required)
        )
        sale = frozenset(c.id for c in self.categories if c.sale_or_share)
        object.__setattr__(self, "_sale_or_share", sale)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<mapping>") -> Config:
        """Validate a mapping shaped like the YAML file and build a :class:`Config`.

        :raises ConfigError: listing every problem found (without line numbers, which
            only :func:`load_config` knows).
        """
        return _build(_yaml.Document(data, {}), source)

    def category(self, id: str) -> Category | None:
        """The category called ``id``, or ``None``."""
        return self._category_index.get(id)

    def service(self, id: str) -> Service | None:
        """The service called ``id``, or ``None``."""
        return self._service_index.get(id)

    def category_title(self, id: str, lang: str) -> str:
        """The title of category ``id`` in ``lang``, else in the default language.

        :raises KeyError: if no category is called ``id``.
        """
        category = self._category_index[id]
        return _in_language(category.titles, lang, category.title)

    def category_description(self, id: str, lang: str) -> str:
        """The description of category ``id`` in ``lang``, else in the default language.

        :raises KeyError: if no category is called ``id``.
        """
        category = self._category_index[id]
        return _in_language(category.descriptions, lang, category.description)

    def service_title(self, id: str, lang: str) -> str:
        """The title of service ``id`` in ``lang``, else in the default language.

        :raises KeyError: if no service is called ``id``.
        """
        service = self._service_index[id]
        return _in_language(service.titles, lang, service.title)

    def service_description(self, id: str, lang: str) -> str:
        """The description of service ``id`` in ``lang``, else in the default language.

        :raises KeyError: if no service is called ``id``.
        """
        service = self._service_index[id]
        return _in_language(service.descriptions, lang, service.description)

    @property
    def required_categories(self) -> frozenset[str]:
        """Ids of the categories that are always on."""
        return self._required

    @property
    def sale_or_share_categories(self) -> frozenset[str]:
        """Ids of the categories that GPC and "Do not sell or share" switch off."""
        return self._sale_or_share

    @property
    def optional_categories(self) -> tuple[Category, ...]:
        """Categories a visitor may refuse, in file order."""
        return tuple(c for c in self.categories if not c.required)

    @property
    def all_cookies(self) -> tuple[CookieSpec, ...]:
        """First-party cookies, then every service's cookies, in file order."""
        return self.cookies + tuple(c for s in self.services for c in s.cookies)

    def cookie_spec(self, cookie_name: str) -> CookieSpec | None:
        """The declaration covering ``cookie_name``: an exact name wins over a glob."""
        specs = self.all_cookies
        exact = next((c for c in specs if not c.is_glob and c.name == cookie_name), None)
        return exact or next((c for c in specs if c.matches(cookie_name)), None)

    @property
    def fingerprint(self) -> str:
        """SHA-256 hex of the normalized configuration, for the consent log.

        It changes whenever anything a visitor was shown or agreed to changes, and
        not when only the file's layout, comments or path change.
        """
        return _fingerprint(self)


def _is_language_tag(value: object) -> bool:
    return isinstance(value, str) and bool(_LANGUAGE_TAG.fullmatch(value.lower()))


def _in_language(texts: Localized, lang: str, default: str) -> str:
    """The text for ``lang`` (or the language its readers also read), else ``default``."""
    by_key = dict(texts)
    return next((by_key[key] for key in fallback_chain(lang) if key in by_key), default)


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read a UTF-8 YAML file and build a validated :class:`Config`.

    :raises ConfigError: if the file is missing, unreadable, not YAML or invalid; the
        error lists every problem with its line and key path.
    """
    source = os.fspath(path)
    text = _read_text(source)
    document = _yaml.parse(text, source=source)
    if document.data is None:
        raise ConfigError(f"the file is empty; {_DOCS_HINT}", source=source)
    return _build(document, source)


def _read_text(source: str) -> str:
    try:
        with open(source, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise ConfigError(f"no such file: {source!r}; check the path", source=source) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror}", source=source) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8", source=source, line=line
        ) from None


#: Used when a file has no ``categories:`` key: the usual five.
DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category(
        id="necessary",
        title="Strictly necessary",
        description=(
            "Needed for the site to work: security, signing in, load balancing and "
            "remembering your cookie choices. They cannot be switched off."
        ),
        required=True,
    ),
    Category(
        id="functional",
        title="Functional",
        description=(
            "Remember your preferences and provide extra features such as maps, chat "
            "or payment forms from other providers."
        ),
    ),
    Category(
        id="analytics",
        title="Analytics",
        description=(
            "Help us understand how visitors use the site, such as which pages are "
            "read most, so that we can improve it. The data is counted in aggregate."
        ),
    ),
    Category(
        id="marketing",
        title="Marketing",
        description=(
            "Let advertising partners show you ads that match your interests and measure "
            "how well they work, on this site and on others."
        ),
        sale_or_share=True,
    ),
    Category(
        id="social",
        title="Social media",
        description=(
            "Show posts and videos from social networks and let you share pages. These "
            "networks can recognise you and follow your visits across sites."
        ),
        sale_or_share=True,
    ),
)

# --- validation -------------------------------------------------------------------

_ID_PATTERN = re.compile(r"[a-z][a-z0-9_-]*")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_COOKIE_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 6265 cookie-name
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
_PATH_CHARS = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*")

_JURISDICTIONS_KEYS = ("header", "region_header", "default", "rules")
_JURISDICTION_RULE_KEYS = ("where", "mode", "right_to_object")

_TOP_KEYS = (
    "revision",
    "jurisdiction",
    "policy_url",
    "consent_days",
    "first_party_hosts",
    "undeclared_third_party",
    "undeclared_cookies",
    "default_language",
    "preferences_path",
    "endpoint_path",
    "cookie_name",
    "max_inline_script",
    "consent_log",
    "audit",
    "csp",
    "google_consent_mode",
    "jurisdictions",
    "categories",
    "services",
    "cookies",
    "texts",
)
_CATEGORY_KEYS = ("title", "description", "required", "sale_or_share")
_SERVICE_KEYS = (
    "preset",
    "title",
    "description",
    "category",
    "provider",
    "privacy_policy",
    "hosts",
    "inline",
    "cookies",
    "placeholder",
)
_COOKIE_KEYS = ("name", "category", "duration", "purpose", "provider")
_CONSENT_LOG_KEYS = ("url", "spool", "store_ip")
_AUDIT_KEYS = ("mode", "file", "max_hosts", "max_cookies", "max_pages", "flush_seconds")
_CSP_KEYS = ("mode", "report_uri")
_CSP_MODES = ("off", "report-only", "enforce")
_CONSENT_MODE_KEYS = (*GOOGLE_CONSENT_TYPES, "load_before_consent")
#: With ``google_consent_mode: true``: the first declared category of these names
#: decides the type; none declared means always denied. ``security_storage`` follows
#: the required category (always granted).
_CONSENT_MODE_DEFAULTS: Mapping[str, tuple[str, ...]] = {
    "ad_storage": ("marketing", "advertising", "targeting", "ads"),
    "ad_user_data": ("marketing", "advertising", "targeting", "ads"),
    "ad_personalization": ("marketing", "advertising", "targeting", "ads"),
    "analytics_storage": ("analytics", "performance", "statistics"),
    "functionality_storage": ("functional", "functionality", "preferences"),
    "personalization_storage": ("functional", "personalization", "preferences"),
}

_MISSING: Any = object()
_PARENT = re.compile(r"(?:\.[^.\[]*|\[\d+\])$")  # the last ".key" or "[index]" of a path


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a close match, else an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_host_pattern(text: str) -> str:
    """Normalize a host pattern: lowercase, punycode, optional leading ``*.``.

    :raises ValueError: with a message that says how to write it instead.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("the host pattern is empty; write a hostname such as 'cdn.example.com'")
    if "://" in raw or raw.startswith("//"):
        host = urlsplit(raw if "://" in raw else "https:" + raw).hostname or "example.com"
        raise ValueError(f"{text!r} is a URL; write the host only: {host!r}")
    if any(c in raw for c in "/?#"):
        raise ValueError(f"{text!r} has a path; write the host only: {re.split('[/?#]', raw)[0]!r}")
    if ":" in raw:
        raise ValueError(f"{text!r} has a port; write the host only: {raw.split(':')[0]!r}")
    wildcard = raw.startswith("*.")
    name = raw[2:] if wildcard else raw
    if "*" in name:
        bare = name.lstrip("*.") if raw.startswith("*") else ""
        fix = (
            f"write '*.{bare}' for its subdomains or {bare!r} for the host itself"
            if bare
            else ("'*' may only start a pattern, as in '*.example.com'")
        )
        raise ValueError(f"{text!r} has a misplaced wildcard; {fix}")
    return ("*." if wildcard else "") + _hostname(text, name.rstrip("."), wildcard)


def _hostname(text: str, name: str, wildcard: bool) -> str:
    ascii_name = name.lower()
    if not ascii_name.isascii():
        ascii_name = bytes(ada_url.idna_to_ascii(ascii_name)).decode("ascii", "replace")
    labels = ascii_name.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(
            f"{text!r} is not a valid hostname; use letters, digits, '-' and '.', "
            "as in 'cdn.example.com'"
        )
    if wildcard and len(labels) < 2:
        raise ValueError(f"{text!r} would cover a whole top-level domain; write '*.example.{name}'")
    return ascii_name


def _describe(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing (null)",
    }
    return names.get(type(value), f"a {type(value).__name__}")


class _Builder:
    """Reads one document, collecting every problem instead of stopping at the first."""

    def __init__(self, document: _yaml.Document, source: str) -> None:
        self.source = source
        self.lines = document.lines
        self.errors: list[ConfigError] = []

    def fail(self, path: str, reason: str, *, line: int | None = None) -> None:
        where = line if line is not None else self._line(path)
        self.errors.append(ConfigError(reason, source=self.source, line=where, path=path))

    def _line(self, path: str) -> int | None:
        while path in self.lines or path:
            if path in self.lines:
                return self.lines[path]
            parent = _PARENT.sub("", path)
            path = "" if parent == path else parent
        return None

    # -- shapes ----------------------------------------------------------------------

    def mapping(self, value: Any, path: str) -> Mapping[Any, Any]:
        if isinstance(value, Mapping):
            return value
        self.fail(path, f"expected a mapping of keys, got {_describe(value)}")
        return {}

    def sequence(self, value: Any, path: str) -> Sequence[Any]:
        if value is None:
            return ()
        if isinstance(value, list | tuple):
            return value
        self.fail(path, f"expected a list, got {_describe(value)}; write [a, b] or '- a' lines")
        return ()

    def known_keys(self, data: Mapping[Any, Any], allowed: Sequence[str], path: str) -> None:
        for key in data:
            if key in allowed:
                continue
            hint = did_you_mean(key, allowed) or f"; allowed keys: {', '.join(allowed)}"
            self.fail(_yaml.join_key(path, key), f"unknown key {key!r}{hint}")

    def text(self, data: Mapping[Any, Any], key: str, path: str, default: Any) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, str) and value.strip():
            return value.strip()
        got = "an empty string" if isinstance(value, str) else _describe(value)
        self.fail(_yaml.join_key(path, key), f"expected a non-empty string, got {got}")
        return default

    def flag(self, data: Mapping[Any, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        self.fail(_yaml.join_key(path, key), f"expected true or false, got {_describe(value)}")
        return default

    def integer(self, data: Mapping[Any, Any], key: str, low: int, high: int, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected an integer, got {_describe(value)}")
            return default
        if not low <= value <= high:
            bounds = f"at least {low}" if high == _NO_LIMIT else f"between {low} and {high}"
            self.fail(key, f"must be {bounds}, got {value}")
            return default
        return value

    def choice(self, data: Mapping[Any, Any], key: str, options: Sequence[str]) -> str:
        value = data.get(key, options[0])
        if value in options:
            return cast(str, value)
        allowed = " or ".join(repr(o) for o in options)
        self.fail(key, f"{value!r} is not allowed; use {allowed}{did_you_mean(value, options)}")
        return options[0]

    def identifier(self, value: Any, path: str, kind: str) -> bool:
        if isinstance(value, str) and _ID_PATTERN.fullmatch(value):
            return True
        self.fail(
            path,
            f"{value!r} is not a valid {kind} id; use lowercase letters, digits, '_' and '-', "
            "starting with a letter",
        )
        return False

    def hosts(self, value: Any, path: str) -> list[tuple[str, str]]:
        """``(pattern, item path)`` of each valid host pattern in a list."""
        found: list[tuple[str, str]] = []
        for index, item in enumerate(self.sequence(value, path)):
            item_path = _yaml.join_index(path, index)
            if not isinstance(item, str):
                self.fail(item_path, f"expected a host name string, got {_describe(item)}")
                continue
            try:
                pattern = parse_host_pattern(item)
            except ValueError as exc:
                self.fail(item_path, str(exc))
                continue
            if any(pattern == seen for seen, _ in found):
                self.fail(item_path, f"host pattern {pattern!r} is listed twice; remove one")
                continue
            found.append((pattern, item_path))
        return found

    def web_url(self, value: Any, path: str, *, allow_path: bool) -> str | None:
        if isinstance(value, str) and _is_http_url(value):
            return value
        if allow_path and isinstance(value, str) and _is_site_path(value):
            return value
        what = "a path starting with '/' or an absolute" if allow_path else "an absolute"
        self.fail(
            path, f"{value!r} is not {what} http(s) URL; write e.g. 'https://example.com/privacy'"
        )
        return None

    def site_path(self, data: Mapping[Any, Any], key: str, default: str) -> str:
        value = data.get(key, default)
        if isinstance(value, str) and _is_site_path(value) and "?" not in value:
            return value.rstrip("/") or "/"
        self.fail(key, f"{value!r} is not an absolute path; write a path such as {default!r}")
        return default


_NO_LIMIT = 2**63


def _is_http_url(value: str) -> bool:
    if any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_site_path(value: str) -> bool:
    """A same-site absolute path: ``//host`` would be another site, so it is refused."""
    return bool(_PATH_CHARS.fullmatch(value)) and not value.startswith("//")


def _build(document: _yaml.Document, source: str) -> Config:
    builder = _Builder(document, source)
    for path, line in document.duplicates:
        builder.fail(
            path, "duplicate key; YAML keeps only the last one, so merge or remove one", line=line
        )
    data = document.data
    if not isinstance(data, Mapping):
        builder.fail(
            "",
            f"expected a mapping of settings at the top, got {_describe(data)}; {_DOCS_HINT}",
            line=1,
        )
        data = {}
    config = _Reader(builder, data).config()
    if builder.errors:
        raise _combined(builder.errors, source)
    return config


def _combined(errors: list[ConfigError], source: str) -> ConfigError:
    ordered = tuple(sorted(errors, key=lambda e: e.line or 0))
    if len(ordered) == 1:
        return ordered[0]
    first = ordered[0]
    return ConfigError(
        first.reason, source=source, line=first.line, path=first.path, errors=ordered
    )


class _Reader:
    """Turns the top-level mapping into a :class:`Config`, section by section."""

    def __init__(self, builder: _Builder, data: Mapping[Any, Any]) -> None:
        self.b = builder
        self.data = data
        self.categories: dict[str, Category] = {}
        self.host_owner: dict[str, str] = {}
        # Per-language titles are checked against these before the sections that
        # define them are validated, so they are read leniently here.
        default = data.get("default_language", "en")
        valid_default = isinstance(default, str) and _LANGUAGE_TAG.fullmatch(default.lower())
        self.default_language = default.lower() if valid_default else "en"
        texts = data.get("texts")
        written = texts if isinstance(texts, Mapping) else {}
        self.text_languages = frozenset(BUILTIN) | {
            language_key(tag) for tag in written if isinstance(tag, str)
        }

    def config(self) -> Config:
        b, data = self.b, self.data
        b.known_keys(data, _TOP_KEYS, "")
        categories = self.read_categories(data.get("categories", _MISSING))
        self.categories = {c.id: c for c in categories}
        services = self.read_services(data.get("services"))
        return Config(
            source=b.source,
            revision=b.integer(data, "revision", 1, _NO_LIMIT, 1),
            jurisdiction=cast(Jurisdiction, b.choice(data, "jurisdiction", ("opt-in", "opt-out"))),
            policy_url=self.policy_url(),
            consent_days=b.integer(data, "consent_days", 1, 3650, 182),
            first_party_hosts=tuple(
                p for p, _ in b.hosts(data.get("first_party_hosts"), "first_party_hosts")
            ),
            undeclared_third_party=cast(
                UndeclaredPolicy, b.choice(data, "undeclared_third_party", ("block", "allow"))
            ),
            undeclared_cookies=cast(
                UndeclaredPolicy, b.choice(data, "undeclared_cookies", ("allow", "block"))
            ),
            categories=categories,
            services=services,
            cookies=self.read_cookies(data.get("cookies"), "cookies", service=None),
            texts=self.read_texts(data.get("texts")),
            default_language=self.language(data.get("default_language", "en"), "default_language")
            or "en",
            preferences_path=b.site_path(data, "preferences_path", "/cookie-settings"),
            endpoint_path=self.endpoint_path(),
            cookie_name=self.cookie_name(),
            max_inline_script=b.integer(data, "max_inline_script", 1024, _NO_LIMIT, 256 * 1024),
            audit=self.audit(data.get("audit", "off")),
            consent_log=self.consent_log(data.get("consent_log")),
            csp=self.csp(data.get("csp", "off")),
            google_consent_mode=self.google_consent_mode(data.get("google_consent_mode"), services),
            jurisdictions=self.jurisdictions(data.get("jurisdictions"), categories),
        )

    # -- jurisdictions ----------------------------------------------------------------

    def jurisdictions(self, raw: Any, categories: tuple[Category, ...]) -> Jurisdictions | None:
        """``jurisdictions:``: rules keyed on a trusted proxy header (docs/jurisdictions.md)."""
        if raw is None:
            return None
        b, path = self.b, "jurisdictions"
        data = b.mapping(raw, path)
        b.known_keys(data, _JURISDICTIONS_KEYS, path)
        header = self.header_name(data, "header", required=True)
        region_header = self.header_name(data, "region_header", required=False)
        top = self.data.get("jurisdiction", "opt-in")
        default = self.mode(data["default"], f"{path}.default") if "default" in data else None
        rules = tuple(
            rule
            for index, item in enumerate(b.sequence(data.get("rules"), f"{path}.rules"))
            if (rule := self.jurisdiction_rule(item, f"{path}.rules[{index}]", categories))
        )
        if header is None:
            return None
        fallback = default or (top if top in JURISDICTION_MODES else "opt-in")
        return Jurisdictions(
            header=header,
            region_header=region_header,
            rules=rules,
            default=Regime("default", cast(JurisdictionMode, fallback)),
        )

    def header_name(self, data: Mapping[Any, Any], key: str, *, required: bool) -> str | None:
        path = f"jurisdictions.{key}"
        value = data.get(key)
        if value is None:
            if required:
                self.b.fail(
                    "jurisdictions",
                    "`header` is missing: name the header your proxy sets with the visitor's "
                    "country, e.g. header: CF-IPCountry (cookiegate never trusts one by default)",
                )
            return None
        if isinstance(value, str) and header_name_ok(value.strip()):
            return value.strip()
        self.b.fail(path, f"{value!r} is not an HTTP header name; write e.g. CF-IPCountry")
        return None

    def mode(self, value: Any, path: str) -> JurisdictionMode | None:
        if value in JURISDICTION_MODES:
            return cast(JurisdictionMode, value)
        allowed = " or ".join(repr(m) for m in JURISDICTION_MODES)
        hint = did_you_mean(value, JURISDICTION_MODES)
        self.b.fail(path, f"{value!r} is not allowed; use {allowed}{hint}")
        return None

    def jurisdiction_rule(
        self, raw: Any, path: str, categories: tuple[Category, ...]
    ) -> JurisdictionRule | None:
        b = self.b
        data = b.mapping(raw, path)
        b.known_keys(data, _JURISDICTION_RULE_KEYS, path)
        places: set[str] = set()
        where = b.sequence(data.get("where"), f"{path}.where")
        if not where:
            b.fail(f"{path}.where", "list the places this rule covers, e.g. where: [EEA, GB]")
        for index, item in enumerate(where):
            found = parse_place(item) if isinstance(item, str) else None
            if found is None:
                b.fail(
                    f"{path}.where[{index}]",
                    f"{item!r} is not a place; use EU, EEA, a two-letter country code (GB) "
                    "or a country and subdivision (US-CA)",
                )
                continue
            places |= found
        if "mode" not in data:
            b.fail(path, "`mode` is missing; use 'opt-in' or 'opt-out'")
        mode = self.mode(data.get("mode"), f"{path}.mode") if "mode" in data else None
        objectable = self.objectable(
            data.get("right_to_object"), f"{path}.right_to_object", mode, categories
        )
        if mode is None or not places:
            return None
        return JurisdictionRule(frozenset(places), Regime("rule", mode, objectable))

    def objectable(
        self, raw: Any, path: str, mode: JurisdictionMode | None, categories: tuple[Category, ...]
    ) -> frozenset[str]:
        """Categories on until the visitor objects: optional ones, and not sold or shared."""
        if raw is None:
            return frozenset()
        if mode == "opt-out":
            self.b.fail(
                path,
                "only an opt-in rule can list categories with a right to object; under "
                "opt-out every optional category is already on until refused",
            )
        by_id = {c.id: c for c in categories}
        found: set[str] = set()
        for index, item in enumerate(self.b.sequence(raw, path)):
            category = by_id.get(item) if isinstance(item, str) else None
            item_path = f"{path}[{index}]"
            if category is None:
                self.b.fail(item_path, f"{item!r} is not a category{did_you_mean(item, by_id)}")
            elif category.required:
                self.b.fail(item_path, f"{item!r} is required already; remove it from this list")
            elif category.sale_or_share:
                self.b.fail(
                    item_path,
                    f"{item!r} is sold or shared, which needs consent in an opt-in place; "
                    "only statistics and preferences may run with a right to object",
                )
            else:
                found.add(category.id)
        return frozenset(found)

    def csp(self, raw: Any) -> CspSettings:
        """``csp: off | report-only | enforce``, or a mapping of ``mode`` and ``report_uri``."""
        nested = isinstance(raw, Mapping)
        data: Mapping[Any, Any] = raw if nested else {"mode": raw}
        self.b.known_keys(data, _CSP_KEYS, "csp")
        path = "csp.mode" if nested else "csp"
        mode = data.get("mode", "off")
        if mode is False:  # YAML 1.1 reads a bare `off` as false
            mode = "off"
        if mode is True:
            self.b.fail(path, "true is ambiguous; use 'enforce', or 'report-only' to try it first")
            mode = "off"
        elif mode not in _CSP_MODES:
            allowed = " or ".join(repr(m) for m in _CSP_MODES)
            hint = did_you_mean(mode, _CSP_MODES)
            self.b.fail(path, f"{mode!r} is not allowed; use {allowed}{hint}")
            mode = "off"
        if mode == "enforce" and self.data.get("undeclared_third_party") == "allow":
            self.b.fail(
                path,
                "'enforce' blocks every host nothing declares, but undeclared_third_party: allow "
                "keeps their tags; declare those hosts (first_party_hosts or a service) and "
                "set undeclared_third_party: block, or use 'report-only'",
            )
        return CspSettings(mode=cast(CspMode, mode), report_uri=self.report_uri(data))

    def report_uri(self, data: Mapping[Any, Any]) -> str | None:
        if "report_uri" not in data:
            return None
        url = self.b.web_url(data["report_uri"], "csp.report_uri", allow_path=True)
        if url is not None and any(c in url for c in ";,"):
            self.b.fail("csp.report_uri", f"{url!r} contains ';' or ',', which end a policy")
            return None
        return url

    def google_consent_mode(
        self, raw: Any, services: tuple[Service, ...]
    ) -> GoogleConsentMode | None:
        """``google_consent_mode: true``, or a mapping of consent types and services."""
        path = "google_consent_mode"
        if raw is None or raw is False:
            return None
        if raw is True:
            raw = {}
        if not isinstance(raw, Mapping):
            self.b.fail(
                path,
                f"expected true, false or a mapping of Google consent types, got {_describe(raw)}",
            )
            return None
        self.b.known_keys(raw, _CONSENT_MODE_KEYS, path)
        service_ids = {s.id for s in services}
        types = tuple(
            (
                name,
                self.consent_refs(raw[name], f"{path}.{name}", service_ids)
                if name in raw
                else self.default_consent_refs(name),
            )
            for name in GOOGLE_CONSENT_TYPES
        )
        early = self.early_services(raw.get("load_before_consent"), service_ids)
        return GoogleConsentMode(types=types, load_before_consent=early)

    def default_consent_refs(self, name: str) -> tuple[str, ...]:
        if name == "security_storage":
            required = [c.id for c in self.categories.values() if c.required]
            return tuple(required[:1])
        found = next((c for c in _CONSENT_MODE_DEFAULTS[name] if c in self.categories), None)
        return () if found is None else (found,)

    def consent_refs(self, value: Any, path: str, service_ids: set[str]) -> tuple[str, ...]:
        """A consent type's value: ``denied``, or category and service ids."""
        if value == "denied":
            return ()
        items = [value] if isinstance(value, str) else self.b.sequence(value, path)
        if not items:
            self.b.fail(
                path,
                "an empty list names nothing to ask; write 'denied', or a required "
                "category to grant it always",
            )
        known = [*self.categories, *sorted(service_ids)]
        found: list[str] = []
        for item in items:
            if isinstance(item, str) and (item in self.categories or item in service_ids):
                found.append(item)
                continue
            self.b.fail(
                path,
                f"{item!r} is neither a declared category nor a service; use their ids, "
                f"or 'denied'{did_you_mean(item, known)}",
            )
        return tuple(found)

    def early_services(self, value: Any, service_ids: set[str]) -> frozenset[str]:
        path = "google_consent_mode.load_before_consent"
        found: set[str] = set()
        for index, item in enumerate(self.b.sequence(value, path)):
            if isinstance(item, str) and item in service_ids:
                found.add(item)
                continue
            hint = did_you_mean(item, service_ids) or f" ({self.declared_services(service_ids)})"
            self.b.fail(_yaml.join_index(path, index), f"{item!r} is not a declared service{hint}")
        return frozenset(found)

    @staticmethod
    def declared_services(service_ids: set[str]) -> str:
        if not service_ids:
            return "no services are declared"
        return "declared services: " + ", ".join(sorted(service_ids))

    def policy_url(self) -> str | None:
        value = self.data.get("policy_url")
        return None if value is None else self.b.web_url(value, "policy_url", allow_path=True)

    def endpoint_path(self) -> str:
        endpoint = self.b.site_path(self.data, "endpoint_path", "/_cookiegate")
        preferences = self.data.get("preferences_path", "/cookie-settings")
        if isinstance(preferences, str) and endpoint == (preferences.rstrip("/") or "/"):
            self.b.fail(
                "endpoint_path", f"{endpoint!r} is also preferences_path; give each its own path"
            )
        return endpoint

    def cookie_name(self) -> str:
        value = self.data.get("cookie_name", "cookiegate_consent")
        if isinstance(value, str) and _COOKIE_TOKEN.fullmatch(value) and "*" not in value:
            return value
        self.b.fail(
            "cookie_name",
            f"{value!r} is not a valid cookie name; use letters, digits and "
            "'_' only, such as 'cookiegate_consent'",
        )
        return "cookiegate_consent"

    def consent_log(self, raw: Any) -> ConsentLogSettings | None:
        """``consent_log: URL``, or a mapping of ``url``, ``spool`` and ``store_ip``."""
        if raw is None:
            return None
        nested = isinstance(raw, Mapping)
        data: Mapping[Any, Any] = raw if nested else {"url": raw}
        self.b.known_keys(data, _CONSENT_LOG_KEYS, "consent_log")
        url = self.consent_log_url(data.get("url"), "consent_log.url" if nested else "consent_log")
        spool = self.b.text(data, "spool", "consent_log", None)
        store_ip = data.get("store_ip", "none")
        if store_ip is None or store_ip is False:  # `store_ip: no` or empty: YAML's false/null
            store_ip = "none"
        if store_ip not in ("none", "truncated"):
            self.b.fail(
                "consent_log.store_ip",
                f"{store_ip!r} is not allowed; use 'none' (no IP address is stored) or "
                f"'truncated' (IPv4 /24, IPv6 /48){did_you_mean(store_ip, ('none', 'truncated'))}",
            )
            store_ip = "none"
        return ConsentLogSettings(
            url=url,
            spool=None if spool is None else self.beside_file(spool),
            store_ip=cast(StoreIp, store_ip),
        )

    def consent_log_url(self, value: Any, path: str) -> str | None:
        from .records.url import parse_log_url, resolve_relative  # records imports config

        if value is None:
            return None  # left to $COOKIEGATE_CONSENT_LOG; checked when the site starts
        if not isinstance(value, str):
            self.b.fail(path, f"expected a URL string, got {_describe(value)}")
            return None
        try:
            parse_log_url(value)
        except ValueError as exc:
            self.b.fail(path, str(exc))
            return None
        base = self.file_directory()
        return value.strip() if base is None else resolve_relative(value, base)

    def file_directory(self) -> str | None:
        """The YAML file's directory; ``None`` for a mapping that came from no file."""
        source = self.b.source
        return os.path.dirname(os.path.abspath(source)) if os.path.isfile(source) else None

    def beside_file(self, path: str) -> str:
        """``path`` made absolute against the YAML file's directory, if there is one."""
        base = self.file_directory()
        return path if base is None else os.path.normpath(os.path.join(base, path))

    def audit(self, raw: Any) -> AuditSettings:
        """``audit: off | report``, or a mapping of ``mode``, ``file`` and the bounds."""
        nested = isinstance(raw, Mapping)
        data: Mapping[Any, Any] = raw if nested else {"mode": raw}
        self.b.known_keys(data, _AUDIT_KEYS, "audit")
        # A mapping without `mode` sets the file and bounds for COOKIEGATE_AUDIT=report.
        mode = data.get("mode", "off")
        if mode is False:  # YAML 1.1 reads a bare `off` as false
            mode = "off"
        if mode not in ("off", "report"):
            self.b.fail(
                "audit.mode" if nested else "audit",
                f"{mode!r} is not allowed; use 'report' to record undeclared hosts and "
                f"cookies, or 'off'{did_you_mean(mode, ('off', 'report'))}",
            )
            mode = "off"
        file = self.b.text(data, "file", "audit", AUDIT_FILE_NAME)
        if os.path.isfile(self.b.source):
            file = os.path.join(os.path.dirname(os.path.abspath(self.b.source)), file)
        return AuditSettings(
            mode=cast(AuditMode, mode),
            file=file,
            max_hosts=self.audit_bound(data, "max_hosts", 100_000, 500),
            max_cookies=self.audit_bound(data, "max_cookies", 100_000, 500),
            max_pages=self.audit_bound(data, "max_pages", 1000, 20),
            flush_seconds=self.audit_bound(data, "flush_seconds", 86_400, 10, low=0),
        )

    def audit_bound(
        self, data: Mapping[Any, Any], key: str, high: int, default: int, *, low: int = 1
    ) -> int:
        value = data.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        got = str(value) if isinstance(value, int) and not isinstance(value, bool) else None
        self.b.fail(
            f"audit.{key}",
            f"must be an integer between {low} and {high}, got {got or _describe(value)}",
        )
        return default

    def language(self, value: Any, path: str) -> str | None:
        if _is_language_tag(value):
            return cast(str, value).lower()
        self.b.fail(
            path, f"{value!r} is not a language tag; use a BCP 47 tag such as 'en' or 'pt-BR'"
        )
        return None

    # -- categories ------------------------------------------------------------------

    def read_categories(self, raw: Any) -> tuple[Category, ...]:
        if raw is _MISSING:
            return DEFAULT_CATEGORIES
        entries = self.b.mapping(raw, "categories")
        errors_before = len(self.b.errors)
        found = [c for cid, body in entries.items() if (c := self.category(cid, body)) is not None]
        # A broken category may be the required one: only complain when all were readable.
        readable = len(self.b.errors) == errors_before and isinstance(raw, Mapping)
        if readable and not any(c.required for c in found):
            self.b.fail(
                "categories",
                "no category is required; mark the strictly necessary one with 'required: true'",
            )
        return tuple(found)

    def category(self, cid: Any, body: Any) -> Category | None:
        path = _yaml.join_key("categories", cid)
        valid_id = self.b.identifier(cid, path, "category")
        data = self.b.mapping(body, path)
        self.b.known_keys(data, _CATEGORY_KEYS, path)
        title, titles = self.localized(data, "title", path, None)
        if title is None and "title" not in data:
            self.b.fail(path, "missing 'title'; add the heading visitors see, such as 'Analytics'")
        required = self.b.flag(data, "required", path, False)
        sale = self.b.flag(data, "sale_or_share", path, False)
        if required and sale:
            self.b.fail(
                f"{path}.sale_or_share",
                "a required category cannot be sale_or_share, "
                "since visitors cannot refuse it; remove one of the two",
            )
        description, descriptions = self.localized(data, "description", path, "")
        if not valid_id:
            return None
        return Category(
            id=cid,
            title=title or cid,
            required=required,
            sale_or_share=sale,
            description=description or "",
            titles=titles,
            descriptions=descriptions,
        )

    def category_ref(self, value: Any, path: str) -> str | None:
        """A reference to a declared category, or ``None`` after reporting it."""
        if isinstance(value, str) and value in self.categories:
            return value
        hint = did_you_mean(value, self.categories) or f"; {self.declared()}"
        self.b.fail(path, f"{value!r} is not a declared category{hint}")
        return None

    def declared(self) -> str:
        """The declared category ids, for messages that ask the user to pick one."""
        if not self.categories:
            return "no categories are declared yet"
        return f"declared categories: {', '.join(self.categories)}"

    # -- per-language titles and descriptions ------------------------------------------

    def localized(
        self, data: Mapping[Any, Any], key: str, path: str, default: str | None
    ) -> tuple[str | None, Localized]:
        """A text given as one string, or per language as ``{en: ..., de: ...}``.

        Returns the text in the default language (``default`` if the key is absent)
        and the per-language pairs. A mapping must include the default language,
        because visitors whose language it lacks are shown that one.
        """
        value = data.get(key, _MISSING)
        if value is _MISSING or isinstance(value, str):
            return self.b.text(data, key, path, default), ()
        item_path = _yaml.join_key(path, key)
        if not isinstance(value, Mapping):
            self.b.fail(
                item_path,
                f"expected a string, or a mapping of language tags to strings such as "
                f"{{en: Analytics, de: Statistik}}, got {_describe(value)}",
            )
            return default, ()
        found = self.language_texts_of(value, item_path)
        in_default = _in_language(tuple(found.items()), self.default_language, "")
        if found and not in_default:
            self.b.fail(
                item_path,
                f"no text for the default language {self.default_language!r}; add "
                f"'{self.default_language}: ...', which visitors whose language is missing see",
            )
        return in_default or default, tuple(sorted(found.items()))

    def language_texts_of(self, value: Mapping[Any, Any], path: str) -> dict[str, str]:
        """``{language key: text}`` of one per-language mapping, reporting bad entries."""
        found: dict[str, str] = {}
        for tag, text in value.items():
            tag_path = _yaml.join_key(path, tag)
            if text is None and not _is_language_tag(tag):
                # A comma inside {en: ..., de: ...} splits a text into a bogus key with
                # no value; say so rather than report a tag and a missing text.
                self.b.fail(
                    tag_path,
                    f"{tag!r} is not a language tag and has no text; a comma inside "
                    "{en: ..., de: ...} ends the text, so put texts with commas in quotes",
                )
                continue
            lang = self.language(tag, tag_path)
            text = self.b.text(value, tag, path, None)
            if lang is None or text is None:
                continue
            key = language_key(lang)
            if key in found:
                self.b.fail(
                    tag_path, f"{tag!r} is the same language as another entry; keep one of them"
                )
            elif key not in self.text_languages:
                self.b.fail(
                    tag_path,
                    f"cookiegate has no built-in texts in {tag!r}, so no visitor would see "
                    f"this; translate the texts under 'texts: {{{tag}: ...}}' or remove it",
                )
            else:
                found[key] = text
        return found

    # -- services --------------------------------------------------------------------

    def read_services(self, raw: Any) -> tuple[Service, ...]:
        entries = self.b.mapping(raw, "services") if raw is not None else {}
        found = []
        for sid, body in entries.items():
            path = _yaml.join_key("services", sid)
            valid_id = self.b.identifier(sid, path, "service")
            if valid_id and sid in self.categories:
                self.b.fail(
                    path,
                    f"{sid!r} is also a category id, which makes "
                    f'data-cookiegate="{sid}" ambiguous; rename the service',
                )
            service = self.service(sid, body, path)
            if service is not None and valid_id:
                found.append(service)
        return tuple(found)

    def service(self, sid: Any, body: Any, path: str) -> Service | None:
        data = self.b.mapping(body, path)
        self.b.known_keys(data, _SERVICE_KEYS, path)
        preset = self.preset(data, path)
        category = self.service_category(data, path, preset)
        provider = self.b.text(data, "provider", path, preset.provider if preset else "")
        hosts = self.service_hosts(data, path, str(sid), preset)
        inline = self.signatures(data, path, preset)
        if not hosts and not inline and "hosts" not in data and "inline" not in data:
            self.b.fail(
                path,
                "the service has no 'hosts' and no 'inline' signatures, so it can "
                "never match a tag; add 'hosts: [...]' or a 'preset:'",
            )
        cookies = self.service_cookies(data, path, str(sid), category, provider, preset)
        title, titles = self.localized(data, "title", path, preset.title if preset else str(sid))
        description, descriptions = self.localized(
            data, "description", path, preset.description if preset else ""
        )
        if category is None:
            return None
        return Service(
            id=str(sid),
            title=title or str(sid),
            titles=titles,
            category=category,
            description=description or "",
            descriptions=descriptions,
            provider=provider,
            privacy_policy=self.privacy_policy(data, path, preset),
            hosts=hosts,
            inline=inline,
            cookies=cookies,
            placeholder=self.b.flag(
                data, "placeholder", path, preset.placeholder if preset else False
            ),
            preset=preset.id if preset else None,
        )

    def preset(self, data: Mapping[Any, Any], path: str) -> Preset | None:
        name = data.get("preset")
        if name is None:
            return None
        preset = get_preset(name) if isinstance(name, str) else None
        if preset is None:
            hint = did_you_mean(name, PRESETS) or "; see docs/configuration.md for the preset names"
            self.b.fail(f"{path}.preset", f"unknown preset {name!r}{hint}")
        return preset

    def service_category(
        self, data: Mapping[Any, Any], path: str, preset: Preset | None
    ) -> str | None:
        if "category" in data:
            return self.category_ref(data["category"], f"{path}.category")
        if preset is None:
            self.b.fail(path, f"missing 'category'; add one ({self.declared()})")
            return None
        if preset.category in self.categories:
            return preset.category
        self.b.fail(
            f"{path}.preset",
            f"preset {preset.id!r} belongs to category "
            f"{preset.category!r}, which is not declared; add 'category:' ({self.declared()})",
        )
        return None

    def service_hosts(
        self, data: Mapping[Any, Any], path: str, sid: str, preset: Preset | None
    ) -> tuple[str, ...]:
        if "hosts" in data:
            claimed = self.b.hosts(data["hosts"], f"{path}.hosts")
        else:
            claimed = [(h, f"{path}.preset") for h in (preset.hosts if preset else ())]
        for pattern, item_path in claimed:
            owner = self.host_owner.setdefault(pattern, sid)
            if owner != sid:
                self.b.fail(
                    item_path,
                    f"host pattern {pattern!r} is already claimed by service "
                    f"{owner!r}; a host belongs to one service, so remove it from one",
                )
        return tuple(pattern for pattern, _ in claimed)

    def signatures(
        self, data: Mapping[Any, Any], path: str, preset: Preset | None
    ) -> tuple[str, ...]:
        if "inline" not in data:
            return preset.inline if preset else ()
        found = []
        for index, item in enumerate(self.b.sequence(data["inline"], f"{path}.inline")):
            if isinstance(item, str) and item.strip():
                found.append(item)
            else:
                got = "an empty string" if isinstance(item, str) else _describe(item)
                self.b.fail(f"{path}.inline[{index}]", f"expected a non-empty string, got {got}")
        return tuple(found)

    def privacy_policy(self, data: Mapping[Any, Any], path: str, preset: Preset | None) -> str:
        if "privacy_policy" not in data:
            return preset.privacy_policy if preset else ""
        url = self.b.web_url(data["privacy_policy"], f"{path}.privacy_policy", allow_path=False)
        return url or ""

    def service_cookies(
        self,
        data: Mapping[Any, Any],
        path: str,
        sid: str,
        category: str | None,
        provider: str,
        preset: Preset | None,
    ) -> tuple[CookieSpec, ...]:
        if "cookies" in data:
            return self.read_cookies(
                data["cookies"],
                f"{path}.cookies",
                service=sid,
                category=category,
                provider=provider,
            )
        if preset is None or category is None:
            return ()
        return tuple(
            CookieSpec(
                name=c.name,
                category=category,
                service=sid,
                provider=provider,
                duration=c.duration,
                purpose=c.purpose,
            )
            for c in preset.cookies
        )

    # -- cookies ---------------------------------------------------------------------

    def read_cookies(
        self,
        raw: Any,
        path: str,
        *,
        service: str | None,
        category: str | None = None,
        provider: str = "",
    ) -> tuple[CookieSpec, ...]:
        seen: dict[str, str] = {}
        found = []
        for index, item in enumerate(self.b.sequence(raw, path)):
            item_path = _yaml.join_index(path, index)
            spec = self.cookie(item, item_path, service, category, provider)
            name = item.get("name") if isinstance(item, Mapping) else None
            if isinstance(name, str) and name in seen:
                self.b.fail(
                    f"{item_path}.name",
                    f"cookie {name!r} is already declared at {seen[name]}; remove one of them",
                )
                continue
            if isinstance(name, str):
                seen[name] = item_path
            if spec is not None:
                found.append(spec)
        return tuple(found)

    def cookie(
        self, item: Any, path: str, service: str | None, default_category: str | None, provider: str
    ) -> CookieSpec | None:
        if not isinstance(item, Mapping):
            self.b.fail(
                path, f"expected a mapping such as {{name: session}}, got {_describe(item)}"
            )
            return None
        self.b.known_keys(item, _COOKIE_KEYS, path)
        data = item
        name = self.cookie_name_of(data, path)
        if "category" in data:
            category = self.category_ref(data["category"], f"{path}.category")
        elif service is None:
            category = None
            self.b.fail(path, f"missing 'category'; add one ({self.declared()})")
        else:
            category = default_category
        duration = self.b.text(data, "duration", path, "session")
        purpose = self.b.text(data, "purpose", path, "")
        provider = self.b.text(data, "provider", path, provider)
        if name is None or category is None:
            return None
        return CookieSpec(
            name=name,
            category=category,
            service=service,
            provider=provider,
            duration=duration,
            purpose=purpose,
        )

    def cookie_name_of(self, data: Mapping[Any, Any], path: str) -> str | None:
        if "name" not in data:
            self.b.fail(path, "missing 'name'; add the cookie's name, such as 'session' or '_ga_*'")
            return None
        name = self.b.text(data, "name", path, None)
        if name is None:
            return None
        if not _COOKIE_TOKEN.fullmatch(name):
            self.b.fail(
                f"{path}.name",
                f"{name!r} is not a valid cookie name; use the name as sent "
                "in Set-Cookie, with '*' as the only wildcard",
            )
            return None
        if not name.strip("*"):
            self.b.fail(
                f"{path}.name", f"{name!r} would match every cookie; add a prefix such as '_ga_*'"
            )
            return None
        return cast(str, name)

    # -- texts -----------------------------------------------------------------------

    def read_texts(self, raw: Any) -> Mapping[str, Mapping[str, str]]:
        entries = self.b.mapping(raw, "texts") if raw is not None else {}
        found: dict[str, Mapping[str, str]] = {}
        for lang, body in entries.items():
            path = _yaml.join_key("texts", lang)
            tag = self.language(lang, path)
            texts = MappingProxyType(self.language_texts(body, path))
            if tag in found:
                self.b.fail(path, f"language {tag!r} appears twice (tags ignore case); merge them")
            elif tag is not None:
                found[tag] = texts
        return MappingProxyType(found)

    def language_texts(self, body: Any, path: str) -> dict[str, str]:
        data = self.b.mapping(body, path)
        self.b.known_keys(data, sorted(TEXT_KEYS), path)
        texts = {}
        for key in data:
            value = self.b.text(data, key, path, None) if key in TEXT_KEYS else None
            if value is not None and self.placeholders_ok(key, value, _yaml.join_key(path, key)):
                texts[key] = value
        return texts

    def placeholders_ok(self, key: str, value: str, path: str) -> bool:
        """Texts rendered with ``str.format`` may use only the built-in text's fields."""
        allowed = _format_fields(ENGLISH[key])
        if not allowed:
            return True
        try:
            used = _format_fields(value)
        except ValueError:
            self.b.fail(path, "unbalanced '{' or '}'; write '{{' and '}}' for literal braces")
            return False
        unknown = sorted(used - allowed)
        if unknown:
            names = ", ".join("{" + name + "}" for name in sorted(allowed))
            self.b.fail(path, f"unknown placeholder {{{unknown[0]}}}; this text may use {names}")
            return False
        return True


def _format_fields(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@cache
def _globs_intersect(first: str, second: str) -> bool:
    """Whether two ``*`` patterns share a matching string (dynamic programming)."""
    if not first or not second:
        return first.strip("*") == "" and second.strip("*") == ""
    head_a, head_b = first[0], second[0]
    if head_a == "*":
        return _globs_intersect(first[1:], second) or _globs_intersect(first, second[1:])
    if head_b == "*":
        return _globs_intersect(first, second[1:]) or _globs_intersect(first[1:], second)
    return head_a == head_b and _globs_intersect(first[1:], second[1:])


def _fingerprint(config: Config) -> str:
    normalized = {
        "revision": config.revision,
        "jurisdiction": config.jurisdiction,
        "policy_url": config.policy_url,
        "consent_days": config.consent_days,
        "first_party_hosts": list(config.first_party_hosts),
        "undeclared_third_party": config.undeclared_third_party,
        "undeclared_cookies": config.undeclared_cookies,
        "categories": [_fields(c, Category) for c in config.categories],
        "services": [
            {
                **_fields(s, Service, skip=("cookies",)),
                "cookies": [_fields(c, CookieSpec) for c in s.cookies],
            }
            for s in config.services
        ],
        "cookies": [_fields(c, CookieSpec) for c in config.cookies],
        "texts": {lang: dict(sorted(t.items())) for lang, t in sorted(config.texts.items())},
        "default_language": config.default_language,
        "preferences_path": config.preferences_path,
        "endpoint_path": config.endpoint_path,
        "cookie_name": config.cookie_name,
        "max_inline_script": config.max_inline_script,
    }
    places = config.jurisdictions
    if places is not None:
        # Which law each visitor is under is part of what a record's hash attests.
        jurisdictions: dict[str, Any] = {
            "header": places.header,
            "region_header": places.region_header,
            "default": places.default.mode,
            "rules": [
                {
                    "where": sorted(rule.places),
                    "mode": rule.regime.mode,
                    "right_to_object": sorted(rule.regime.right_to_object),
                }
                for rule in places.rules
            ],
        }
        normalized["jurisdictions"] = jurisdictions
    mode = config.google_consent_mode
    if mode is not None:
        # What Google's tags may do, and which load before consent: part of the promise.
        settings: dict[str, Any] = {
            "types": {name: list(refs) for name, refs in mode.types},
            "load_before_consent": sorted(mode.load_before_consent),
        }
        normalized["google_consent_mode"] = settings
    encoded = json.dumps(normalized, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _fields(value: object, kind: type, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    names = [n for n in kind.__dataclass_fields__ if n not in skip]  # type: ignore[attr-defined]
    return {name: _plain(getattr(value, name)) for name in names}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
