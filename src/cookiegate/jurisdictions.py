"""Jurisdictions: which consent law applies to a request, from a header the proxy sets.

One site may serve visitors under GDPR/ePrivacy (opt-in: nothing optional before a
yes), under US state laws (opt-out: allowed until the visitor objects, and Global
Privacy Control is a binding objection to selling or sharing), and under the UK's
rules, which since the Data (Use and Access) Act 2025 let statistics and preference
cookies run with a right to object while everything else stays opt-in.

The visitor's country can only come from the edge: CDNs and load balancers add it as a
header (``CF-IPCountry``, ``CloudFront-Viewer-Country``, and a subdivision header for US
states). Any client can send such a header too, so cookiegate reads one only when the
operator names it in ``jurisdictions.header``, which promises that the proxy sets or
strips it. Without that, every request gets the site's top-level ``jurisdiction``, and a
spoofed header changes nothing.

YAML::

    jurisdiction: opt-in                  # the default where no rule matches
    jurisdictions:
      header: CF-IPCountry                # trusted: set by your proxy, never by visitors
      region_header: CF-Region-Code       # optional: US states as "CA" or "US-CA"
      rules:
        - where: [EEA]                    # EU, EEA, ISO 3166-1 codes, or US-CA style
          mode: opt-in
        - where: [GB]
          mode: opt-in
          right_to_object: [analytics, preferences]
        - where: [US-CA, US-CO, US-CT, US-VA]
          mode: opt-out

The first matching rule wins; a request whose header is missing, unreadable or matches
no rule gets ``default`` (the top-level ``jurisdiction`` unless given).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["opt-in", "opt-out"]
MODES: tuple[Mode, ...] = ("opt-in", "opt-out")

#: The European Union's member states (ISO 3166-1 alpha-2; Greece is GR, as CDNs send).
EU = frozenset(
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
     "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
)  # fmt: skip
#: The European Economic Area: the EU plus Iceland, Liechtenstein and Norway.
EEA = EU | {"IS", "LI", "NO"}
#: Names a rule may use for several countries at once.
GROUPS: Mapping[str, frozenset[str]] = {"EU": EU, "EEA": EEA}
#: Spellings people use for a country whose ISO code differs.
ALIASES: Mapping[str, str] = {"UK": "GB", "EL": "GR"}

_COUNTRY = re.compile(r"[A-Z]{2}")
_SUBDIVISION = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_REGION = re.compile(r"[A-Z0-9]{1,3}")
_CACHE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Regime:
    """The law one request is under: where it was decided, and what it means.

    ``right_to_object`` lists the categories that are on before any decision and off
    once the visitor objects (refuses them); it is only meaningful with ``opt-in``.
    """

    place: str
    mode: Mode
    right_to_object: frozenset[str] = frozenset()

    @property
    def law(self) -> str:
        """What the regime means, without where: equal for every place it covers."""
        objectable = ",".join(sorted(self.right_to_object))
        return f"{self.mode}+object:{objectable}" if objectable else self.mode

    @property
    def label(self) -> str:
        """How a consent record names it, e.g. ``GB:opt-in+object`` or ``default:opt-in``."""
        return f"{self.place}:{self.mode}{'+object' if self.right_to_object else ''}"


@dataclass(frozen=True, slots=True)
class Rule:
    """Places (countries and ``CC-RR`` subdivisions) and the regime they get."""

    places: frozenset[str]
    regime: Regime


@dataclass(frozen=True, slots=True, kw_only=True)
class Jurisdictions:
    """The ``jurisdictions:`` section, ready to answer per request."""

    header: str
    region_header: str | None = None
    rules: tuple[Rule, ...] = ()
    default: Regime = Regime("default", "opt-in")
    _cache: dict[tuple[str, str], Regime] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    @property
    def vary(self) -> tuple[str, ...]:
        """The request headers a gated page now depends on (for ``Vary``)."""
        return (self.header,) if self.region_header is None else (self.header, self.region_header)

    def regime_for(self, environ: Mapping[str, Any]) -> Regime:
        """The regime of a request, from its trusted headers."""
        country = _read(environ.get(_environ_key(self.header)))
        if country is not None:
            country = ALIASES.get(country, country)
        if country is None or not _COUNTRY.fullmatch(country):
            return self.default
        region = ""
        if self.region_header is not None:
            raw = _read(environ.get(_environ_key(self.region_header)))
            if raw is not None:
                code = raw.rpartition("-")[2]
                region = code if _REGION.fullmatch(code) else ""
        key = (country, region)
        regime = self._cache.get(key)
        if regime is None:
            regime = self._match(country, f"{country}-{region}" if region else None)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = regime
        return regime

    def _match(self, country: str, subdivision: str | None) -> Regime:
        for rule in self.rules:
            if subdivision is not None and subdivision in rule.places:
                return Regime(subdivision, rule.regime.mode, rule.regime.right_to_object)
            if country in rule.places:
                return Regime(country, rule.regime.mode, rule.regime.right_to_object)
        return self.default


def _environ_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def _read(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().upper()
    return value or None


def parse_place(text: str) -> frozenset[str] | None:
    """The places one ``where`` entry names, or None if it is not a place."""
    name = text.strip().upper()
    if name in GROUPS:
        return GROUPS[name]
    name = ALIASES.get(name, name)
    if _COUNTRY.fullmatch(name) or _SUBDIVISION.fullmatch(name):
        return frozenset({name})
    return None


def header_name_ok(name: str) -> bool:
    """Whether ``name`` is a plain HTTP header name (token characters only)."""
    return bool(re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", name))
