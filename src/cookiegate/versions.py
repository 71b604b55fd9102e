"""Category versions: a short hash of what each category declares.

A visitor grants a category as it was described to them: its purpose, the services
that receive data under it, the cookies it stores. When any of that changes, the old
grant no longer covers the category, so the consent cookie records, next to each
granted category, the version it was granted at (see :mod:`cookiegate.consent`). On
read, a grant whose version differs from the current one has lapsed and the visitor
is asked again, about that category only.

The version is derived, never written by hand, from:

* the category's ``id``, ``required`` and ``sale_or_share`` flags and its
  ``description`` in every language;
* each of its services: ``id``, ``provider``, ``description`` in every language,
  ``hosts`` and ``inline`` signatures;
* each cookie declared under it (top-level or by one of its services): ``name``,
  ``duration``, ``purpose`` and ``provider``.

Titles, privacy-policy links, ``placeholder`` and the order of entries in the file are
left out: renaming "Analytics" to "Statistics" or moving a block in the YAML asks
nobody again. To ask everyone about everything, bump ``revision``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .config import Category, Config, CookieSpec, Service

#: Characters in a version: 36 bits of SHA-256, so an accidental collision (a change
#: that keeps the version) has odds of about one in 69 billion.
VERSION_LENGTH = 6


def category_versions(config: Config) -> Mapping[str, str]:
    """The version of every category of ``config``, by category id."""
    return MappingProxyType({c.id: category_version(config, c) for c in config.categories})


def category_version(config: Config, category: Category) -> str:
    """The version of one category: URL-safe, :data:`VERSION_LENGTH` characters."""
    encoded = json.dumps(
        _declaration(config, category), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    digest = hashlib.sha256(encoded.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:VERSION_LENGTH]


def _declaration(config: Config, category: Category) -> dict[str, Any]:
    services = [s for s in config.services if s.category == category.id]
    cookies = [c for c in config.cookies if c.category == category.id]
    return {
        "id": category.id,
        "required": category.required,
        "sale_or_share": category.sale_or_share,
        "description": category.description,
        "descriptions": sorted(category.descriptions),
        "services": sorted((_service(s) for s in services), key=lambda s: str(s["id"])),
        "cookies": _cookies(cookies),
    }


def _service(service: Service) -> dict[str, Any]:
    return {
        "id": service.id,
        "provider": service.provider,
        "description": service.description,
        "descriptions": sorted(service.descriptions),
        "hosts": sorted(service.hosts),
        "inline": sorted(service.inline),
        "cookies": _cookies(service.cookies),
    }


def _cookies(cookies: tuple[CookieSpec, ...] | list[CookieSpec]) -> list[list[str]]:
    return sorted([c.name, c.duration, c.purpose, c.provider] for c in cookies)
