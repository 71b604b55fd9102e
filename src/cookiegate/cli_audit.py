"""``cookiegate audit`` and ``cookiegate scan``: what the declarations miss, and a draft.

``cookiegate audit --config cookies.yaml`` reads the report the middleware writes in
``audit: report`` mode; ``cookiegate scan URL_OR_FILE...`` makes one from a running site
or HTML files. Both print the undeclared third-party hosts and cookies with their
counts and example pages, then the YAML that would declare them (see
:mod:`cookiegate.audit.report`).

Exit status: 0 when done, 1 when ``--check`` is given and something is undeclared (for
CI), 2 when the configuration or the report cannot be read or a target could not be
scanned (the report of the rest is still printed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from .audit.observer import audit_settings
from .audit.report import Report, build_report, draft_yaml, report_json, report_lines
from .audit.scan import ScanOptions, SiteScanner
from .audit.store import AuditFileError, clear_report, read_report
from .config import Config, load_config
from .exceptions import ConfigError

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = ["add_commands"]

_FORMATS = ("text", "yaml", "json")


def add_commands(commands: Commands) -> None:
    """Add ``audit`` and ``scan`` to the ``cookiegate`` command line."""
    audit = commands.add_parser(
        "audit",
        help="print the undeclared hosts and cookies the middleware saw, and a YAML draft",
        description="Print the report that `audit: report` mode writes, with a YAML draft.",
    )
    audit.add_argument(
        "--config", metavar="FILE", help="the YAML file: names the report, filters the findings"
    )
    audit.add_argument("--file", metavar="REPORT", help="the report file (overrides --config's)")
    audit.add_argument("--clear", action="store_true", help="empty the report after printing it")
    _output_options(audit)
    audit.set_defaults(handler=_audit)

    scan = commands.add_parser(
        "scan",
        help="find undeclared hosts and cookies in pages of a running site or HTML files",
        description="Scan URLs (fetched) or HTML files for what cookies.yaml must declare.",
    )
    scan.add_argument("targets", nargs="+", metavar="URL_OR_FILE", help="http(s) URL, file, dir")
    scan.add_argument("--config", metavar="FILE", help="report only what this file misses")
    scan.add_argument(
        "--depth", type=_count, default=0, help="levels of same-origin links to follow (0)"
    )
    scan.add_argument("--max-pages", type=_count, default=50, help="pages to fetch at most (50)")
    scan.add_argument("--timeout", type=float, default=10.0, help="seconds per request (10)")
    scan.add_argument(
        "--cookie", action="append", default=[], metavar="NAME=VALUE", help="send this cookie"
    )
    scan.add_argument("--base-url", metavar="URL", help="where the files are served, for hosts")
    _output_options(scan)
    scan.set_defaults(handler=_scan)


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=_FORMATS, default="text", help="text (report and draft), yaml, json"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if anything is undeclared"
    )


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def _load(path: str | None) -> tuple[Config | None, bool]:
    if path is None:
        return None, True
    try:
        return load_config(path), True
    except ConfigError as exc:
        for error in exc.errors:
            print(error.single_line(), file=sys.stderr)
        return None, False


def _audit(args: argparse.Namespace) -> int:
    config, ok = _load(args.config)
    if not ok:
        return 2
    try:
        path = args.file or (audit_settings(config).file if config is not None else None)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if path is None:
        print("cookiegate audit: give --config cookies.yaml or --file REPORT", file=sys.stderr)
        return 2
    if not os.path.exists(path):
        print(
            f"cookiegate audit: no report at {path} yet. Turn on `audit: report` (or set"
            " COOKIEGATE_AUDIT=report), browse the site, and wait for audit.flush_seconds.",
            file=sys.stderr,
        )
        return 2
    try:
        data = read_report(path)
    except AuditFileError as exc:
        print(f"cookiegate audit: {exc}", file=sys.stderr)
        return 2
    report = build_report(data, config)
    _print(report, args.format, noun="response")
    if args.clear:
        clear_report(path)
        print(f"cookiegate audit: {path} cleared", file=sys.stderr)
    return 1 if args.check and not report.is_clean else 0


def _scan(args: argparse.Namespace) -> int:
    config, ok = _load(args.config)
    if not ok:
        return 2
    cookies = []
    for pair in args.cookie:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            print(f"cookiegate scan: --cookie {pair!r} is not NAME=VALUE", file=sys.stderr)
            return 2
        cookies.append((name.strip(), value.strip()))
    options = ScanOptions(
        depth=args.depth,
        max_pages=args.max_pages,
        timeout=args.timeout,
        cookies=tuple(cookies),
        base_url=args.base_url,
    )
    scanner = SiteScanner(config, options, warn=_warn)
    report = build_report(scanner.scan(args.targets), config)
    if scanner.failures and not report.data.pages:
        return 2  # nothing was read: a "nothing undeclared" report would mislead
    _print(report, args.format, noun="page")
    if scanner.failures:
        return 2
    return 1 if args.check and not report.is_clean else 0


def _warn(message: str) -> None:
    print(f"cookiegate scan: {message}", file=sys.stderr)


def _print(report: Report, output: str, *, noun: str) -> None:
    if output == "json":
        print(json.dumps(report_json(report), indent=2, ensure_ascii=False))
        return
    if output == "yaml":
        print(draft_yaml(report), end="")
        return
    for line in report_lines(report, noun=noun):
        print(line)
    if not report.is_clean:
        print()
        print(draft_yaml(report), end="")
