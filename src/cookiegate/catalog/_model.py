"""The shape of a catalogue entry, apart from the data so data modules can import it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PresetCookie:
    """A cookie a service is known to set: exact name or ``*`` glob."""

    name: str
    duration: str
    purpose: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Preset:
    """Facts about one third-party service, used as defaults for ``services.<id>``.

    ``category`` is one of the five default category ids; a site may file the service
    elsewhere with ``category:`` in its YAML.
    """

    id: str
    title: str
    provider: str
    privacy_policy: str
    category: str
    description: str
    hosts: tuple[str, ...] = ()
    inline: tuple[str, ...] = ()
    cookies: tuple[PresetCookie, ...] = ()
    placeholder: bool = False


def cookie(name: str, duration: str, purpose: str) -> PresetCookie:
    """Shorthand that keeps the data modules readable."""
    return PresetCookie(name, duration, purpose)
