"""Audit without a crawler: find the third parties and cookies ``cookies.yaml`` misses.

Two ways in, one report:

- **in the middleware** (``audit: report`` in the YAML file, or ``COOKIEGATE_AUDIT=report``;
  off by default): every HTML page the app sends and every ``Set-Cookie`` header is
  checked, before the gate changes anything, for hosts and cookie names nothing
  declares. Counts and example pages are kept in a JSON file shared by the worker
  processes; ``cookiegate audit`` prints them (:mod:`.observer`, :mod:`.store`);
- **from the command line**: ``cookiegate scan URL_OR_FILE...`` reads pages of a
  running site, or HTML files, the same way (:mod:`.scan`).

Both print what they found and a YAML draft that declares it, with the services the
built-in catalogue recognises filled in (:mod:`.report`). See docs/audit.md.

.. versionadded:: 0.2
"""

from __future__ import annotations

from .data import AuditData, Entry, Limits
from .observer import AUDIT_ENV, AUDIT_FILE_ENV, AuditObserver, Classifier, audit_settings
from .page import PageFindings, PageScanner
from .report import Report, build_report, draft_yaml, report_lines
from .scan import ScanOptions, SiteScanner
from .store import AuditFileError, AuditLog, clear_report, read_report

__all__ = [
    "AUDIT_ENV",
    "AUDIT_FILE_ENV",
    "AuditData",
    "AuditFileError",
    "AuditLog",
    "AuditObserver",
    "Classifier",
    "Entry",
    "Limits",
    "PageFindings",
    "PageScanner",
    "Report",
    "ScanOptions",
    "SiteScanner",
    "audit_settings",
    "build_report",
    "clear_report",
    "draft_yaml",
    "read_report",
    "report_lines",
]
