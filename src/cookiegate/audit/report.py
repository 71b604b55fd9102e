"""Turn audit findings into a report and a draft of the YAML that would declare them.

:func:`build_report` compares an :class:`~cookiegate.audit.data.AuditData` with a
configuration (so that what was declared since the audit ran drops out) and recognises
the catalogue's services by host (:func:`cookiegate.catalog.recognise`) and by cookie
name. :func:`report_lines` prints it; :func:`draft_yaml` writes the YAML to add:

- a ``services:`` entry ``<preset>: {preset: <preset>}`` for every service recognised
  by a host, written so that the file it is added to still validates: no id or host
  pattern the configuration already has, and a ``category`` when the preset's own is not
  declared;
- a ``cookies:`` entry for a cookie name that a preset declares but no drafted service
  brings along (a server setting ``_ga`` itself), filed under the preset's category;
- commented-out skeletons for everything the catalogue does not know: a service per
  domain with ``category: ?``, a cookie with ``category: ?``, and ``first_party_hosts``
  for hosts that look like the site's own. Those need a person's answer.

The draft is a starting point for review, not a declaration: which category a service
belongs to, and what a cookie is for, is the site's to say in its cookie policy.
"""

from __future__ import annotations

import fnmatch
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..catalog import PRESETS, Preset, PresetCookie, recognise
from ..config import Config
from .data import AuditData, Entry
from .observer import Classifier

__all__ = ["CookieFinding", "HostFinding", "Report", "build_report", "draft_yaml", "report_lines"]

_PAGES_SHOWN = 5
#: Characters a plain scalar may hold here (no ``,`` ``[]{}`` for flow lists, no ``#:``).
_PLAIN_SCALAR = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9 _./()'&*-]*(?<! )")
# Second-level labels under which a country code's registrable names sit (co.uk, com.au).
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go"})


@dataclass(frozen=True, slots=True)
class HostFinding:
    """An undeclared host: its counts, the preset that knows it, and whether it looks
    like the site's own (same domain as a page that mentioned it)."""

    host: str
    entry: Entry
    preset: str | None
    own_domain: bool = False


@dataclass(frozen=True, slots=True)
class CookieFinding:
    """An undeclared cookie: its counts and the preset cookie that matches its name."""

    name: str
    entry: Entry
    preset: str | None = None
    preset_cookie: PresetCookie | None = None


@dataclass(slots=True)
class Report:
    """What a configuration misses, recognised against the catalogue.

    ``snippets`` maps catalogue presets to the pages where their inline snippet
    (``gtag('config'``, ``fbq('init'``...) appeared with no service declaring it.
    """

    config: Config
    data: AuditData
    hosts: list[HostFinding] = field(default_factory=list)
    cookies: list[CookieFinding] = field(default_factory=list)
    snippets: dict[str, Entry] = field(default_factory=dict)

    @property
    def is_clean(self) -> bool:
        return not self.hosts and not self.cookies and not self.snippets


def build_report(data: AuditData, config: Config | None = None) -> Report:
    """The findings in ``data`` that ``config`` still leaves undeclared.

    Without a configuration every finding is kept, and the draft assumes the default
    five categories.
    """
    config = config if config is not None else Config.from_mapping({})
    classifier = Classifier(config)
    site_domains = {registrable(h) for h in data.site_hosts}
    hosts = [
        HostFinding(host, entry, recognise(host), registrable(host) in site_domains)
        for host, entry in data.hosts.items()
        if classifier.host_is_undeclared(host, frozenset())
    ]
    cookies = [
        CookieFinding(name, entry, *_preset_cookie(name))
        for name, entry in data.cookies.items()
        if classifier.cookie_is_undeclared(name)
    ]
    snippets = {
        preset: entry
        for preset, entry in sorted(data.snippets.items())
        if classifier.snippet_is_undeclared(preset)
    }
    hosts.sort(key=lambda f: (-f.entry.count, f.host))
    cookies.sort(key=lambda f: (-f.entry.count, f.name))
    return Report(config=config, data=data, hosts=hosts, cookies=cookies, snippets=snippets)


def _preset_cookie(name: str) -> tuple[str | None, PresetCookie | None]:
    for preset in PRESETS.values():
        for cookie in preset.cookies:
            if cookie.name == name:
                return preset.id, cookie
    for preset in PRESETS.values():
        for cookie in preset.cookies:
            if fnmatch.fnmatchcase(name, cookie.name):
                return preset.id, cookie
    return None, None


def registrable(host: str) -> str:
    """The host's domain, approximately: the last two labels, or three under a
    country code's ``co``/``com``/... (no public suffix list, so only a guess)."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# --- the text report ---------------------------------------------------------------


def report_lines(report: Report, *, noun: str = "response") -> Iterator[str]:
    """The human-readable report, without the draft. ``noun`` is what is counted: the
    middleware counts responses, the scan pages."""
    data = report.data
    yield f"Looked at {_counted(data.pages, 'HTML ' + noun)}{_span(data)}."
    if report.is_clean:
        yield "Nothing undeclared: every third-party host and cookie seen is declared."
    if report.hosts:
        yield ""
        yield f"Undeclared third-party hosts ({len(report.hosts)}):"
        width = max(len(f.host) for f in report.hosts)
        for finding in report.hosts:
            count = _counted(finding.entry.count, noun)
            yield f"  {finding.host:<{width}}  {count}  {_host_note(finding)}"
            yield f"      {_pages(finding.entry)}"
    if report.snippets:
        yield ""
        yield f"Inline snippets of undeclared catalogue services ({len(report.snippets)}):"
        width = max(len(p) for p in report.snippets)
        for preset, entry in report.snippets.items():
            yield f"  {preset:<{width}}  {_counted(entry.count, noun)}"
            yield f"      {_pages(entry)}"
    if report.cookies:
        yield ""
        yield f"Undeclared cookies ({len(report.cookies)}):"
        width = max(len(f.name) for f in report.cookies)
        for cookie in report.cookies:
            note = f"preset {cookie.preset}" if cookie.preset else "unknown"
            yield f"  {cookie.name:<{width}}  {_counted(cookie.entry.count, noun)}  {note}"
            yield f"      {_pages(cookie.entry)}"
    if data.dropped_hosts or data.dropped_cookies:
        yield ""
        yield (
            f"Beyond the report's bounds (audit.max_hosts, audit.max_cookies): "
            f"{data.dropped_hosts} more host and {data.dropped_cookies} more cookie "
            "sightings were counted but not named."
        )


def _span(data: AuditData) -> str:
    if data.first_seen is None or data.last_seen is None:
        return ""
    first, last = (
        time.strftime("%Y-%m-%d %H:%M", time.gmtime(t)) for t in (data.first_seen, data.last_seen)
    )
    return f", {first} to {last} UTC"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _host_note(finding: HostFinding) -> str:
    if finding.preset:
        note = f"preset {finding.preset}"
    elif finding.own_domain:
        note = "unknown; same domain as the site (first_party_hosts?)"
    else:
        note = "unknown"
    if finding.entry.via == {"inline"}:
        note += "; inline scripts only (not gated until declared)"
    elif finding.entry.via == {"header"}:
        note += "; only in Link/Refresh headers"
    return note


def _pages(entry: Entry) -> str:
    pages = entry.top_pages()
    shown = ", ".join(f"{page} ({count})" for page, count in pages[:_PAGES_SHOWN])
    more = len(pages) - _PAGES_SHOWN
    if more > 0:
        shown += f", {more} more page{'s' if more != 1 else ''}"
    if entry.other_pages:
        shown += f", {entry.other_pages} more on pages not kept"
    return shown


# --- the YAML draft ------------------------------------------------------------------


def draft_yaml(report: Report) -> str:
    """YAML to merge into the configuration (``services`` and ``cookies`` entries).

    Uncommented entries validate once added: with the configuration's ``services``
    mapping and ``cookies`` list extended by them, ``load_config`` accepts the result.
    """
    drafter = _Drafter(report)
    lines = [
        "# Drafted by cookiegate from what the audit saw. Review every entry: check each",
        "# service's category, then add these to cookies.yaml under the same keys.",
    ]
    lines += drafter.services()
    lines += drafter.cookies()
    lines += drafter.first_party()
    return "\n".join(lines) + "\n"


class _Drafter:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.config = report.config
        self.categories = [c.id for c in self.config.categories]
        self.optional = [c.id for c in self.config.categories if not c.required]
        # The validator refuses a host pattern that two services list.
        self.claimed = {p for s in self.config.services for p in s.hosts}
        self.taken_ids = {s.id for s in self.config.services} | set(self.categories)
        self.drafted: set[str] = set()

    # -- services --

    def services(self) -> list[str]:
        by_preset: dict[str, list[HostFinding]] = {p: [] for p in self.report.snippets}
        unknown: list[HostFinding] = []
        for finding in self.report.hosts:
            if finding.preset is not None:
                by_preset.setdefault(finding.preset, []).append(finding)
            elif not finding.own_domain:
                unknown.append(finding)
        body: list[str] = []
        for preset_id, findings in sorted(by_preset.items()):
            entries = [f.entry for f in findings]
            snippet = self.report.snippets.get(preset_id)
            if snippet is not None:
                entries.append(snippet)
            body += self._preset_service(PRESETS[preset_id], findings, entries)
        for domain, findings in _by_domain(unknown):
            body += self._skeleton_service(domain, findings)
        if not body:
            return []
        return ["", "services:", *body]

    def _preset_service(
        self, preset: Preset, findings: list[HostFinding], entries: list[Entry]
    ) -> list[str]:
        seen = ", ".join(f.host for f in findings) or "its inline snippet"
        existing = self._service_with_preset(preset.id)
        if existing is not None:
            return [
                f"  # {seen}: services.{existing} uses preset {preset.id!r} but lists other",
                f"  # hosts; add {seen} to services.{existing}.hosts",
            ]
        if preset.id in self.taken_ids:
            return [f"  # {seen}: preset {preset.id!r}; the id is taken, add it under another id"]
        hosts = [h for h in preset.hosts if h not in self.claimed]
        if len(hosts) != len(preset.hosts) and (
            not hosts or not all(any(_covers(h, f.host) for h in hosts) for f in findings)
        ):
            return [f"  # {seen}: preset {preset.id!r}, but its hosts are claimed by a service"]
        lines = [f"  {preset.id}:  # {_seen_on(entries)}", f"    preset: {preset.id}"]
        if preset.category not in self.categories:
            if not self.optional:
                return [f"  # {seen}: preset {preset.id!r} needs a category other than necessary"]
            lines.append(
                f"    category: {self.optional[0]}  # the preset's {preset.category!r} is not"
                " declared: choose"
            )
        if len(hosts) != len(preset.hosts):
            lines.append(f"    hosts: [{', '.join(_scalar(h) for h in hosts)}]")
        self.taken_ids.add(preset.id)
        self.drafted.add(preset.id)
        self.claimed.update(hosts)
        return lines

    def _service_with_preset(self, preset_id: str) -> str | None:
        return next((s.id for s in self.config.services if s.preset == preset_id), None)

    def _skeleton_service(self, domain: str, findings: list[HostFinding]) -> list[str]:
        sid = self._free_id(domain)
        hosts = ", ".join(_scalar(f.host) for f in findings)
        categories = ", ".join(self.optional) or "declare one"
        via = set().union(*(f.entry.via for f in findings))
        lines = [
            f"  # {sid}:  # unknown to the catalogue; {_seen_on([f.entry for f in findings])}",
            f"  #   category: ?  # {categories}",
            f"  #   hosts: [{hosts}]",
        ]
        if "inline" in via:
            lines.append("  #   inline: [...]  # a string that identifies its inline snippet")
        return lines

    def _free_id(self, domain: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", domain.rsplit(".", 1)[0].lower()).strip("-") or "service"
        if not base[0].isalpha():
            base = "s-" + base
        sid, n = base, 2
        while sid in self.taken_ids:
            sid, n = f"{base}-{n}", n + 1
        self.taken_ids.add(sid)
        return sid

    # -- cookies --

    def cookies(self) -> list[str]:
        body: list[str] = []
        declared: set[str] = set()
        for cookie in self.report.cookies:
            seen = _seen_on([cookie.entry])
            if cookie.preset is not None and cookie.preset_cookie is not None:
                body += self._preset_cookie(cookie, cookie.preset_cookie, declared, seen)
            else:
                body.append(
                    f"  # - {{name: {_scalar(cookie.name)}, category: ?, duration: ?,"
                    f" purpose: ?}}  # {seen}"
                )
        return ["", "cookies:", *body] if body else []

    def _preset_cookie(
        self, cookie: CookieFinding, spec: PresetCookie, declared: set[str], seen: str
    ) -> list[str]:
        preset = PRESETS[cookie.preset or ""]
        if preset.id in self.drafted:
            return [f"  # {cookie.name}: declared by services.{preset.id} above"]
        if spec.name in declared:
            return [f"  # {cookie.name}: covered by {spec.name!r} above"]
        if preset.category not in self.categories:
            return [
                f"  # - {{name: {_scalar(spec.name)}, category: ?}}  # preset {preset.id}"
                f"'s cookie; {seen}"
            ]
        declared.add(spec.name)
        return [
            f"  - name: {_scalar(spec.name)}  # as the {preset.id} preset declares it; {seen}",
            f"    category: {preset.category}",
            f"    provider: {_scalar(preset.provider)}",
            f"    duration: {_scalar(spec.duration)}",
            f"    purpose: {_scalar(spec.purpose)}",
        ]

    # -- first-party hosts --

    def first_party(self) -> list[str]:
        own = [f.host for f in self.report.hosts if f.preset is None and f.own_domain]
        if not own:
            return []
        return [
            "",
            "# These share a domain with the site's pages. If they are yours (a CDN, a",
            "# sister site), list them as first-party:",
            f"# first_party_hosts: [{', '.join(_scalar(h) for h in own)}]",
        ]


def _by_domain(findings: list[HostFinding]) -> list[tuple[str, list[HostFinding]]]:
    groups: dict[str, list[HostFinding]] = {}
    for finding in findings:
        groups.setdefault(registrable(finding.host), []).append(finding)
    return sorted(groups.items())


def _covers(pattern: str, host: str) -> bool:
    return host.endswith(pattern[1:]) if pattern.startswith("*.") else host == pattern


def _seen_on(entries: list[Entry]) -> str:
    pages = sorted({p for e in entries for p in e.pages})
    shown = ", ".join(pages[:3]) + (", ..." if len(pages) > 3 else "")
    return f"on {len(pages)} page{'s' if len(pages) != 1 else ''}: {shown}"


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads that back as the same string
    (``_ga_*``, ``2 years``), else double-quoted (JSON), which YAML reads the same way."""
    if _PLAIN_SCALAR.fullmatch(text):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def report_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (``--format json``)."""
    return {
        "pages": report.data.pages,
        "hosts": {
            f.host: {**f.entry.to_json(), "preset": f.preset, "own_domain": f.own_domain}
            for f in report.hosts
        },
        "cookies": {c.name: {**c.entry.to_json(), "preset": c.preset} for c in report.cookies},
        "snippets": {p: e.to_json() for p, e in report.snippets.items()},
        "dropped": {"hosts": report.data.dropped_hosts, "cookies": report.data.dropped_cookies},
    }
