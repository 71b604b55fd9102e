"""The built-in catalogue of third-party services (``preset:`` in the YAML file).

Each :class:`Preset` holds facts about one service: the hosts its tags load from, the
strings that identify its inline snippets, the cookies it sets, who runs it and where
its privacy policy lives. A site names a preset and gets all of it, overriding what it
needs::

    services:
      analytics:
        preset: google-analytics

A host pattern belongs to exactly one preset, so :func:`recognise` gives one answer for
any host. Where products of one company share a host, the module of that company says
which preset holds it (see ``_google`` and ``_social``). Consent management platforms
are deliberately absent: cookiegate replaces them.

Host patterns are an exact hostname (``www.youtube.com``) or ``*.`` plus a hostname,
which matches every subdomain but not the hostname itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cookiegate.catalog import _advertising, _analytics, _embeds, _google, _social
from cookiegate.catalog._model import Preset, PresetCookie

__all__ = [
    "PRESETS",
    "Preset",
    "PresetCookie",
    "get_preset",
    "host_matches",
    "patterns_overlap",
    "recognise",
]

#: The five category ids a preset's default ``category`` is drawn from.
DEFAULT_CATEGORY_IDS: tuple[str, ...] = (
    "necessary",
    "functional",
    "analytics",
    "marketing",
    "social",
)

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        preset.id: preset
        for module in (_google, _social, _analytics, _advertising, _embeds)
        for preset in module.PRESETS
    }
)


def get_preset(name: str) -> Preset | None:
    """The preset called ``name``, or ``None``."""
    return PRESETS.get(name)


def host_matches(pattern: str, host: str) -> bool:
    """Whether a lowercase ``host`` is covered by a host pattern.

    ``*.example.com`` covers ``a.example.com`` and ``a.b.example.com`` but not
    ``example.com``: sites list the apex separately when they mean it.
    """
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


def patterns_overlap(first: str, second: str) -> bool:
    """Whether some host is covered by both patterns."""
    first_wild, second_wild = first.startswith("*."), second.startswith("*.")
    if first_wild and second_wild:
        # Both cover every subdomain of their base, so they meet below the longer base.
        return host_matches(first, "x." + second[2:]) or host_matches(second, "x." + first[2:])
    if first_wild:
        return host_matches(first, second)
    if second_wild:
        return host_matches(second, first)
    return first == second


def _build_index() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    wildcard: dict[str, str] = {}
    for preset in PRESETS.values():
        for pattern in preset.hosts:
            if pattern.startswith("*."):
                wildcard[pattern[2:]] = preset.id
            else:
                exact[pattern] = preset.id
    return exact, wildcard


_EXACT, _WILDCARD = _build_index()


def recognise(host: str) -> str | None:
    """The id of the preset whose host patterns cover ``host``, or ``None``.

    ``host`` is compared case-insensitively and a trailing dot is ignored, as browsers
    do; internationalised names must already be in punycode (as URL parsers give them).
    """
    host = host.lower().rstrip(".")
    if host in _EXACT:
        return _EXACT[host]
    labels = host.split(".")
    for start in range(1, len(labels)):
        preset_id = _WILDCARD.get(".".join(labels[start:]))
        if preset_id is not None:
            return preset_id
    return None
