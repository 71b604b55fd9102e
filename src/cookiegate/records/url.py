"""Consent log URLs: which backend a URL names, and where its file is.

Kept free of other cookiegate imports so that :mod:`cookiegate.config` can validate
``consent_log.url`` with the same parser the stores use, without an import cycle.

Accepted forms:

``sqlite:///var/lib/site/consent.sqlite3``
    An absolute path, written like a ``file:`` URL (three slashes, then the path).
``sqlite:consent.sqlite3`` or a bare path such as ``/var/lib/site/consent.sqlite3``
    A relative path is read from the directory of the YAML file that names it (from
    the working directory when it comes from the environment or from Python).
``postgresql://user@host:5432/db`` (or ``postgres://``)
    Any libpq URL; the password is best left to ``PGPASSWORD`` or ``~/.pgpass`` so
    that it is not written in the YAML file.

A SQLite URL may end with ``?timeout=SECONDS``: how long a write waits for another
process holding the database (default 5).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlsplit, urlunsplit

Backend = Literal["sqlite", "postgresql"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HINT = "use 'sqlite:///path/to/consent.sqlite3' or 'postgresql://user@host/dbname'"
DEFAULT_SQLITE_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class LogTarget:
    """A parsed consent log URL."""

    backend: Backend
    url: str
    path: str | None = None
    """The database file, for SQLite."""
    timeout: float = DEFAULT_SQLITE_TIMEOUT


def parse_log_url(url: str) -> LogTarget:
    """Parse a consent log URL.

    :raises ValueError: with a message that says what to write instead.
    """
    text = url.strip()
    if not text:
        raise ValueError(f"the consent log URL is empty; {_HINT}")
    scheme = text.split(":", 1)[0].lower() if _SCHEME.match(text) else ""
    if scheme in ("postgresql", "postgres"):
        if not text.split(":", 1)[1].startswith("//"):
            raise ValueError(f"{url!r} is not a PostgreSQL URL; write 'postgresql://host/dbname'")
        return LogTarget("postgresql", text)
    if scheme == "sqlite":
        return _sqlite(url, text)
    if scheme and len(scheme) > 1:  # "c:" would be a Windows drive letter
        raise ValueError(f"{url!r} has an unknown scheme {scheme!r}; {_HINT}")
    return LogTarget("sqlite", "sqlite:" + text, path=text)


def _sqlite(url: str, text: str) -> LogTarget:
    parts = urlsplit(text)
    if parts.netloc:
        raise ValueError(
            f"{url!r} names a host; SQLite is a local file: write 'sqlite:///absolute/path' "
            "(three slashes) or 'sqlite:relative/path'"
        )
    path = parts.path
    if path.startswith("/"):
        path = "/" + path.lstrip("/")
    if not path or path.endswith("/"):
        raise ValueError(f"{url!r} has no file name; write 'sqlite:///path/to/consent.sqlite3'")
    timeout = DEFAULT_SQLITE_TIMEOUT
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key != "timeout":
            raise ValueError(f"{url!r}: unknown option {key!r}; only 'timeout' is understood")
        try:
            timeout = float(value)
        except ValueError:
            timeout = -1.0
        if not 0 <= timeout <= 600:
            raise ValueError(f"{url!r}: timeout must be a number of seconds from 0 to 600")
    return LogTarget("sqlite", text, path=path, timeout=timeout)


def resolve_relative(url: str, base_dir: str) -> str:
    """``url`` with a relative SQLite path made absolute against ``base_dir``.

    PostgreSQL URLs and absolute paths are returned unchanged.
    :raises ValueError: if ``url`` is not a valid consent log URL.
    """
    target = parse_log_url(url)
    if target.backend != "sqlite" or target.path is None or os.path.isabs(target.path):
        return url.strip()
    absolute = os.path.normpath(os.path.join(base_dir, target.path))
    query = urlsplit(target.url).query
    return f"sqlite://{absolute}" + (f"?{query}" if query else "")


def redact(url: str) -> str:
    """``url`` without its password, for log messages and CLI output."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
