"""``cookiegate scan``: the audit for pages that are not served through cookiegate yet.

A developer adopting cookiegate on an existing site points the scan at the running site
(``http://127.0.0.1:8000/``) or at its HTML files, and gets the same report and YAML
draft as ``cookiegate audit``. Each page is read by the audit's
:class:`~cookiegate.audit.page.PageScanner`, so it finds what the gate would see.

URLs: any http(s) URL is fetched with :mod:`urllib`, as a browser without scripts would:
cookies the site sets are kept for the rest of the scan (per origin), redirects within
the origin are followed, and with ``depth`` above 0 the same-origin links of each page
are followed that many levels, up to ``max_pages`` pages in all. ``Set-Cookie`` headers
of every response, redirects included, are checked against the declared cookies.

Files: read from disk, their encoding sniffed as a browser would
(:mod:`cookiegate.html.encoding`). A file has no host, so hosts are compared with
``base_url`` when given, else with the page's ``<link rel=canonical>`` host, else none:
every absolute URL's host is then a third party.

Scan the application *without* CookieGate in front: a gated page has already lost the
tags the scan is looking for. Pages that went through cookiegate are pointed out.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPMessage
from pathlib import Path
from typing import IO
from urllib.parse import urljoin, urlsplit

from ..config import Config
from ..hosts import UrlResolver
from ..html.encoding import EncodingSniffer, Recoder
from .data import AuditData, Limits
from .observer import Classifier
from .page import PageFindings, PageScanner, header_urls

__all__ = ["ScanOptions", "SiteScanner", "USER_AGENT"]

USER_AGENT = "cookiegate-scan/0.1 (+https://github.com/cookiegate)"
_MAX_REDIRECTS = 5
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: The scan is a one-off over a bounded number of pages: generous bounds.
_LIMITS = Limits(max_hosts=10_000, max_cookies=10_000, max_pages=100)


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """How far and how fast to scan.

    :param depth: levels of same-origin links to follow from each URL given (0: only it).
    :param max_pages: pages fetched in all, links included.
    :param timeout: seconds to wait for each response.
    :param cookies: ``(name, value)`` pairs to send with every request (a session, or a
        consent cookie).
    :param base_url: the URL the files would be served at, for their own host.
    :param max_bytes: the most of one response body read.
    """

    depth: int = 0
    max_pages: int = 50
    timeout: float = 10.0
    cookies: tuple[tuple[str, str], ...] = ()
    base_url: str | None = None
    max_bytes: int = 16 * 1024 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as errors, so their ``Set-Cookie`` headers can be read."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


class SiteScanner:
    """Scans URLs and files into one :class:`~cookiegate.audit.data.AuditData`.

    :param config: what is declared already; without it, every third party is reported.
    :param warn: called with each problem (an unreachable URL, a gated page).
    """

    def __init__(
        self,
        config: Config | None,
        options: ScanOptions | None = None,
        *,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.options = options or ScanOptions()
        self.classifier = Classifier(config if config is not None else Config.from_mapping({}))
        self.data = AuditData()
        self.failures = 0
        self._warn = warn
        self._warned_gated = False
        self._jars: dict[str, dict[str, str]] = {}
        self._fetched = 0
        self._home: str | None = None
        self._opener = urllib.request.build_opener(_NoRedirect)

    def scan(self, targets: Iterable[str]) -> AuditData:
        """Scan each target: an http(s) URL, an HTML file, or a directory of them."""
        for target in targets:
            if urlsplit(target).scheme in ("http", "https"):
                self.scan_url(target)
            elif Path(target).is_dir():
                for path in sorted(_html_files(Path(target))):
                    self.scan_file(path, root=Path(target))
            elif Path(target).is_file():
                self.scan_file(Path(target))
            else:
                self._fail(f"{target}: not an http(s) URL, an HTML file or a directory")
        return self.data

    # -- files ------------------------------------------------------------------------

    def scan_file(self, path: Path, *, root: Path | None = None) -> None:
        try:
            body = path.read_bytes()
        except OSError as exc:
            self._fail(f"{path}: {exc.strerror or exc}")
            return
        base = self.options.base_url
        relative = path.relative_to(root).as_posix() if root is not None else path.name
        url = urljoin(base, relative) if base else path.resolve().as_uri()
        findings, document_host = self._scan_document(body, url=url, label=None)
        own = {document_host} if base else set()
        if not base and findings.canonical:
            own.add(urlsplit(findings.canonical).hostname or "")
        self._record(findings, page=str(path), own=own)

    # -- URLs -------------------------------------------------------------------------

    def scan_url(self, start: str) -> None:
        if self._fetched >= self.options.max_pages:
            self._warn(f"{start}: not scanned, --max-pages {self.options.max_pages} reached")
            return
        origin = _origin(start)
        if self._home is None:
            self._home = origin
        queue: deque[tuple[str, int]] = deque([(_without_fragment(start), 0)])
        queued = {queue[0][0]}
        while queue and self._fetched < self.options.max_pages:
            url, depth = queue.popleft()
            findings = self._scan_page(url, given=depth == 0)
            if findings is None or depth >= self.options.depth:
                continue
            for link in findings.links:
                link = _without_fragment(link)
                if link not in queued and _origin(link) == origin and _may_be_html(link):
                    queued.add(link)
                    queue.append((link, depth + 1))

    def _scan_page(self, url: str, *, given: bool = True) -> PageFindings | None:
        """Fetch and scan one page. A page the user named that cannot be fetched is a
        failure; a broken link found on the way is only reported."""
        self._fetched += 1
        fetched = self._fetch(url, self._fail if given else self._warn)
        if fetched is None:
            return None
        final_url, headers, body = fetched
        header_hosts = {
            host for target in header_urls(list(headers.items())) if (host := _host(target))
        }
        content_type = headers.get_content_type()
        if content_type not in _HTML_TYPES:
            return None
        if "sec-gpc" in (headers.get("Vary") or "").lower():
            self._warn_gated(url)
        label = headers.get_param("charset")
        findings, document_host = self._scan_document(
            body, url=final_url, label=label if isinstance(label, str) else None
        )
        for host in header_hosts:
            findings.add(host, "header")
        self._record(findings, page=self._page(final_url), own={document_host})
        return findings

    def _fetch(self, url: str, fail: Callable[[str], None]) -> tuple[str, Message, bytes] | None:
        origin = _origin(url)
        for _ in range(_MAX_REDIRECTS + 1):
            request = urllib.request.Request(url, headers=self._request_headers(origin))
            try:
                response = self._opener.open(request, timeout=self.options.timeout)
            except urllib.error.HTTPError as error:
                with error:
                    self._cookies(origin, error.headers, page=self._page(url))
                    location = error.headers.get("Location")
                if error.code not in _REDIRECTS or not location:
                    fail(f"{url}: HTTP {error.code} {error.reason}")
                    return None
                target = urljoin(url, location)
                if _origin(target) != origin:
                    fail(f"{url}: redirects to another site ({target}); not followed")
                    return None
                url = target
                continue
            except (urllib.error.URLError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", exc)
                fail(f"{url}: {reason}")
                return None
            with response:
                headers = response.headers
                self._cookies(origin, headers, page=self._page(url))
                is_html = headers.get_content_type() in _HTML_TYPES
                body = response.read(self.options.max_bytes) if is_html else b""
            return url, headers, body
        fail(f"{url}: more than {_MAX_REDIRECTS} redirects")
        return None

    def _request_headers(self, origin: str) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"}
        jar = {**dict(self.options.cookies), **self._jars.get(origin, {})}
        if jar:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        return headers

    def _cookies(self, origin: str, headers: Message, *, page: str) -> None:
        """Keep the cookies a response sets, and record the undeclared ones."""
        values = headers.get_all("Set-Cookie") or []
        jar = self._jars.setdefault(origin, {})
        for value in values:
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";", 1)[0].strip()
            if name.strip():
                jar[name.strip()] = cookie_value
        for name in self.classifier.undeclared_cookies(values):
            self.data.add_cookie(name, page, _LIMITS)

    # -- shared -----------------------------------------------------------------------

    def _scan_document(
        self, body: bytes, *, url: str, label: str | None
    ) -> tuple[PageFindings, str]:
        sniffer = EncodingSniffer(label)
        sniffed = sniffer.feed(body) or sniffer.close()
        encoding = sniffed.encoding
        text = body[sniffed.bom_length :]
        if not encoding.ascii_compatible:
            text = Recoder(encoding).to_utf8(text, final=True)
        resolver = UrlResolver(url)
        document_host = resolver.document_host
        scanner = PageScanner(resolver, encoding=encoding.scan_codec, links=True)
        scanner.feed(text)
        return scanner.close(), document_host

    def _record(self, findings: PageFindings, *, page: str, own: set[str]) -> None:
        site = next(iter(sorted(own - {""})), "")
        self.data.add_page(site, _LIMITS)
        for host, via in sorted(findings.hosts.items()):
            if self.classifier.host_is_undeclared(host, own):
                self.data.add_host(host, page, via, _LIMITS)
        for preset in sorted(findings.snippets):
            if self.classifier.snippet_is_undeclared(preset):
                self.data.add_snippet(preset, page, _LIMITS)

    def _page(self, url: str) -> str:
        """The page as the report names it: its path on the first site scanned, else the
        whole URL; never the query string, which can carry personal data."""
        url = url.split("#", 1)[0].split("?", 1)[0]
        if _origin(url) == self._home:
            return urlsplit(url).path or "/"
        return url

    def _fail(self, message: str) -> None:
        self.failures += 1
        self._warn(message)

    def _warn_gated(self, url: str) -> None:
        if not self._warned_gated:
            self._warned_gated = True
            self._warn(
                f"{url} was served through cookiegate (it varies on Sec-GPC): the gate removed"
                " tags before the scan could see them. Scan the app without CookieGate, or"
                " run it with `audit: report`, which sees pages before the gate."
            )


def _html_files(root: Path) -> Iterator[Path]:
    for path in root.rglob("*"):
        if path.suffix.lower() in _HTML_SUFFIXES and path.is_file():
            yield path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default
    except ValueError:
        port = None
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _host(url: str) -> str | None:
    return UrlResolver("about:blank", host="").host(url)


_NOT_PAGES = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".zip", ".css", ".js")


def _may_be_html(url: str) -> bool:
    """Links to obvious non-pages (images, archives) are not fetched."""
    return not urlsplit(url).path.lower().endswith(_NOT_PAGES)
