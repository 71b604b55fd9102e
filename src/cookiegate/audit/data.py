"""What an audit found, as plain data: bounded, mergeable, and stored as JSON.

An :class:`AuditData` counts, for each undeclared third-party host, each undeclared
cookie name and each catalogue service whose inline snippet appears undeclared, the
responses it was seen in and on which pages. Workers each keep one in
memory and add it to the shared file (:mod:`cookiegate.audit.store`); ``cookiegate
scan`` builds one from the pages it fetches. Both are printed by
:mod:`cookiegate.audit.report`.

Everything is bounded by :class:`Limits`: past ``max_hosts`` distinct hosts (or
``max_cookies`` names) new ones are only counted in ``dropped``, and past ``max_pages``
pages an entry only counts the responses of further pages in ``other_pages``. Page
paths never include the query string, which can carry personal data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AuditData", "Entry", "Limits", "FORMAT_VERSION"]

#: Bumped when the file's shape changes incompatibly.
FORMAT_VERSION = 1
#: How many page hosts (the site's own names) are remembered, for the report.
_MAX_SITE_HOSTS = 50
#: Where a host was found: a tag attribute, an inline script's text, a response header.
VIAS = ("tag", "inline", "header")


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of one report (``audit.max_*`` in the YAML file)."""

    max_hosts: int = 500
    max_cookies: int = 500
    max_pages: int = 20


@dataclass(slots=True)
class Entry:
    """One undeclared host or cookie: how often, where, and (hosts) how it was loaded."""

    count: int = 0
    pages: dict[str, int] = field(default_factory=dict)
    other_pages: int = 0
    via: set[str] = field(default_factory=set)

    def add(self, page: str, count: int, limits: Limits) -> None:
        self.count += count
        if page in self.pages or len(self.pages) < limits.max_pages:
            self.pages[page] = self.pages.get(page, 0) + count
        else:
            self.other_pages += count

    def merge(self, other: Entry, limits: Limits) -> None:
        for page, count in other.pages.items():
            self.add(page, count, limits)
        # What ``other`` counted beyond its own page list (its ``other_pages``).
        beyond = other.count - sum(other.pages.values())
        self.count += beyond
        self.other_pages += beyond
        self.via |= other.via

    def top_pages(self) -> list[tuple[str, int]]:
        """Pages by descending count, then path."""
        return sorted(self.pages.items(), key=lambda item: (-item[1], item[0]))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"count": self.count, "pages": dict(sorted(self.pages.items()))}
        if self.other_pages:
            data["other_pages"] = self.other_pages
        if self.via:
            data["via"] = sorted(self.via)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Entry:
        if not isinstance(data, Mapping):
            raise ValueError("an entry is not an object")
        pages = data.get("pages", {})
        if not isinstance(pages, Mapping):
            raise ValueError("'pages' is not an object")
        return cls(
            count=_count(data.get("count", 0)),
            pages={str(page): _count(n) for page, n in pages.items()},
            other_pages=_count(data.get("other_pages", 0)),
            via={str(v) for v in data.get("via", ()) if v in VIAS},
        )


@dataclass(slots=True)
class AuditData:
    """Undeclared hosts and cookies with their counts, plus what was looked at."""

    hosts: dict[str, Entry] = field(default_factory=dict)
    cookies: dict[str, Entry] = field(default_factory=dict)
    #: Catalogue presets whose inline signature appeared in a script nothing declares.
    snippets: dict[str, Entry] = field(default_factory=dict)
    #: Responses (HTML pages) looked at, and the page hosts they came from.
    pages: int = 0
    site_hosts: dict[str, int] = field(default_factory=dict)
    #: Responses mentioning a host (or cookie) that was not kept because of the bounds.
    dropped_hosts: int = 0
    dropped_cookies: int = 0
    first_seen: float | None = None
    last_seen: float | None = None

    def is_empty(self) -> bool:
        return not (
            self.pages
            or self.hosts
            or self.cookies
            or self.snippets
            or self.dropped_hosts
            or self.dropped_cookies
        )

    def add_page(self, site_host: str, limits: Limits, *, now: float | None = None) -> None:
        """One HTML response from ``site_host`` was looked at."""
        self.pages += 1
        if site_host and (site_host in self.site_hosts or len(self.site_hosts) < _MAX_SITE_HOSTS):
            self.site_hosts[site_host] = self.site_hosts.get(site_host, 0) + 1
        self._seen(now)

    def add_host(self, host: str, page: str, via: Iterable[str], limits: Limits) -> None:
        """An undeclared ``host`` appeared in one response of ``page``."""
        entry = _entry(self.hosts, host, limits.max_hosts)
        if entry is None:
            self.dropped_hosts += 1
            return
        entry.add(page, 1, limits)
        entry.via.update(via)

    def add_snippet(self, preset: str, page: str, limits: Limits) -> None:
        """A response of ``page`` held the undeclared inline snippet of ``preset``."""
        entry = _entry(self.snippets, preset, limits.max_hosts)
        if entry is not None:
            entry.add(page, 1, limits)

    def add_cookie(self, name: str, page: str, limits: Limits, *, now: float | None = None) -> None:
        """One response of ``page`` set the undeclared cookie ``name``."""
        entry = _entry(self.cookies, name, limits.max_cookies)
        if entry is None:
            self.dropped_cookies += 1
        else:
            entry.add(page, 1, limits)
        self._seen(now)

    def merge(self, other: AuditData, limits: Limits) -> None:
        """Add ``other``'s counts to these, within ``limits``."""
        for table, other_table, kind in (
            (self.hosts, other.hosts, "hosts"),
            (self.snippets, other.snippets, "snippets"),
            (self.cookies, other.cookies, "cookies"),
        ):
            bound = limits.max_cookies if kind == "cookies" else limits.max_hosts
            for name, entry in other_table.items():
                mine = _entry(table, name, bound)
                if mine is None:
                    if kind == "hosts":
                        self.dropped_hosts += entry.count
                    elif kind == "cookies":
                        self.dropped_cookies += entry.count
                else:
                    mine.merge(entry, limits)
        self.pages += other.pages
        for host, count in other.site_hosts.items():
            if host in self.site_hosts or len(self.site_hosts) < _MAX_SITE_HOSTS:
                self.site_hosts[host] = self.site_hosts.get(host, 0) + count
        self.dropped_hosts += other.dropped_hosts
        self.dropped_cookies += other.dropped_cookies
        self.first_seen = _earliest(self.first_seen, other.first_seen)
        self.last_seen = max(
            (t for t in (self.last_seen, other.last_seen) if t is not None), default=None
        )

    def _seen(self, now: float | None) -> None:
        now = time.time() if now is None else now
        if self.first_seen is None:
            self.first_seen = now
        self.last_seen = now

    # -- JSON --------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "cookiegate-audit",
            "version": FORMAT_VERSION,
            "pages": self.pages,
            "site_hosts": dict(sorted(self.site_hosts.items())),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "dropped": {"hosts": self.dropped_hosts, "cookies": self.dropped_cookies},
            "hosts": {h: e.to_json() for h, e in sorted(self.hosts.items())},
            "cookies": {c: e.to_json() for c, e in sorted(self.cookies.items())},
            "snippets": {p: e.to_json() for p, e in sorted(self.snippets.items())},
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, data: Any) -> AuditData:
        """Read what :meth:`to_json` wrote.

        :raises ValueError: the data is not an audit report of a known version.
        """
        if not isinstance(data, Mapping) or data.get("format") != "cookiegate-audit":
            raise ValueError("not a cookiegate audit report")
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"report version {data.get('version')!r} is not {FORMAT_VERSION}")
        dropped = data.get("dropped", {})
        if not isinstance(dropped, Mapping):
            raise ValueError("'dropped' is not an object")
        return cls(
            hosts=_entries(data.get("hosts", {})),
            cookies=_entries(data.get("cookies", {})),
            snippets=_entries(data.get("snippets", {})),
            pages=_count(data.get("pages", 0)),
            site_hosts={str(h): _count(n) for h, n in _mapping(data, "site_hosts").items()},
            dropped_hosts=_count(dropped.get("hosts", 0)),
            dropped_cookies=_count(dropped.get("cookies", 0)),
            first_seen=_time(data.get("first_seen")),
            last_seen=_time(data.get("last_seen")),
        )


def _entry(table: dict[str, Entry], name: str, bound: int) -> Entry | None:
    entry = table.get(name)
    if entry is None and len(table) < bound:
        entry = table[name] = Entry()
    return entry


def _entries(raw: Any) -> dict[str, Entry]:
    if not isinstance(raw, Mapping):
        raise ValueError("'hosts', 'cookies' and 'snippets' must be objects")
    return {str(name): Entry.from_json(entry) for name, entry in raw.items()}


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"{key!r} is not an object")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{value!r} is not a count")
    return value


def _time(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a time")
    return float(value)


def _earliest(first: float | None, second: float | None) -> float | None:
    return min((t for t in (first, second) if t is not None), default=None)
