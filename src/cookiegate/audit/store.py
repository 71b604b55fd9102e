"""The audit report file, shared by every worker process of a site.

Each process keeps what it saw since its last flush in memory (an
:class:`~cookiegate.audit.data.AuditData`, bounded) and adds it to the JSON file at most
every ``flush_seconds``, and once more when the process exits. Adding is a
read-merge-replace under an exclusive lock on a ``<file>.lock`` beside the report (the
report itself is replaced, so it cannot carry the lock), so concurrent workers add up
instead of overwriting each other. The new content is written to a temporary file and
renamed over the report, so a reader never sees half a file.

Nothing here raises into a request: a file that cannot be written is logged, and the
counts wait (bounded) for the next flush.

Locking uses ``fcntl.flock`` and therefore works on POSIX systems; elsewhere the lock is
skipped, and two processes flushing at the same instant may lose one's counts.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from ..exceptions import CookieGateError
from .data import AuditData, Limits

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

__all__ = ["AuditFileError", "AuditLog", "clear_report", "read_report"]

logger = logging.getLogger("cookiegate")


class AuditFileError(CookieGateError):
    """The audit report file cannot be read."""


class AuditLog:
    """What this process saw, flushed to the shared report file now and then.

    Thread-safe: one instance serves every request of a :class:`~cookiegate.CookieGate`.

    :param path: the report file.
    :param limits: bounds, applied in memory and in the file.
    :param flush_seconds: the longest time counts stay in memory only; 0 writes after
        every response.
    """

    def __init__(
        self,
        path: str,
        limits: Limits,
        *,
        flush_seconds: float = 10,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.limits = limits
        self._flush_seconds = flush_seconds
        self._clock = clock
        self._pending = AuditData()
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._pid = os.getpid()
        self._next_flush = clock() + flush_seconds
        atexit.register(_flush_at_exit, weakref.ref(self))

    def record_page(
        self,
        page: str,
        site_host: str,
        hosts: Iterable[tuple[str, Iterable[str]]],
        snippets: Iterable[str] = (),
    ) -> None:
        """One HTML response of ``page`` from ``site_host`` mentioned these undeclared
        ``(host, vias)`` and held the inline snippets of these undeclared presets."""
        with self._lock:
            pending = self._current()
            pending.add_page(site_host, self.limits)
            for host, via in hosts:
                pending.add_host(host, page, via, self.limits)
            for preset in snippets:
                pending.add_snippet(preset, page, self.limits)
        self._maybe_flush()

    def record_hosts(self, page: str, hosts: Iterable[tuple[str, Iterable[str]]]) -> None:
        """Undeclared ``(host, vias)`` of a response of ``page`` that is not an HTML page
        of its own (found in its headers)."""
        with self._lock:
            pending = self._current()
            for host, via in hosts:
                pending.add_host(host, page, via, self.limits)
        self._maybe_flush()

    def record_cookies(self, page: str, names: Iterable[str]) -> None:
        """One response of ``page`` set these undeclared cookies."""
        with self._lock:
            pending = self._current()
            for name in names:
                pending.add_cookie(name, page, self.limits)
        self._maybe_flush()

    def pending(self) -> AuditData:
        """A copy of what is not in the file yet."""
        with self._lock:
            copy = AuditData()
            copy.merge(self._current(), self.limits)
            return copy

    def flush(self) -> bool:
        """Add what is pending to the file now; False (and logged) if that failed."""
        with self._flushing:
            with self._lock:
                pending, self._pending = self._current(), AuditData()
                self._next_flush = self._clock() + self._flush_seconds
            if pending.is_empty():
                return True
            try:
                with _locked(self.path):
                    report = _read_or_empty(self.path)
                    report.merge(pending, self.limits)
                    _write(self.path, report)
            except Exception:
                logger.exception(
                    "cookiegate: could not add to the audit report %r; the counts are kept"
                    " in memory for the next try",
                    self.path,
                )
                with self._lock:
                    pending.merge(self._pending, self.limits)
                    self._pending = pending
                return False
            return True

    def _current(self) -> AuditData:
        """The pending data; called with the lock held. A forked child starts empty, or
        parent and child would both add the counts the parent had not flushed."""
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._pending = AuditData()
        return self._pending

    def _maybe_flush(self) -> None:
        if self._clock() < self._next_flush or self._flushing.locked():
            return
        self.flush()


def _flush_at_exit(ref: weakref.ref[AuditLog]) -> None:
    log = ref()
    if log is not None:
        log.flush()


def read_report(path: str) -> AuditData:
    """The report in ``path``; an empty one if the file does not exist.

    :raises AuditFileError: the file cannot be read or is not an audit report.
    """
    try:
        return _read_or_empty(path)
    except (OSError, ValueError) as exc:
        raise AuditFileError(f"{path}: cannot read the audit report: {exc}") from None


def clear_report(path: str) -> None:
    """Empty the report (under the lock, so that no worker's flush is lost half-way)."""
    with _locked(path), contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _read_or_empty(path: str) -> AuditData:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return AuditData()
    try:
        return AuditData.from_json(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc})") from None


def _write(path: str, report: AuditData) -> None:
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(report.dumps())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


@contextlib.contextmanager
def _locked(path: str) -> Iterator[IO[str]]:
    with open(f"{path}.lock", "a", encoding="utf-8") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
