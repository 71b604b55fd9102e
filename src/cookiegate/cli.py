"""The ``cookiegate`` command line: ``check`` a configuration, run the ``demo``.

``cookiegate check cookies.yaml`` is meant for CI: it exits 1 and prints every problem
as ``file:line: key.path: problem`` (the format editors and CI logs link to), or prints
a summary and exits 0. Overlaps that are legal but probably unintended (two services
covering one host, two cookie declarations covering one name) are printed as warnings
without failing, because a site may mean them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence

from .catalog import patterns_overlap
from .cli_audit import add_commands as add_audit_commands
from .cli_records import add_records_parser
from .config import Config, CookieSpec, load_config
from .exceptions import ConfigError
from .records.url import redact


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    args = _parser().parse_args(argv)
    status: int = args.handler(args)
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cookiegate", description="JavaScript-free cookie banner and tag gate."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate a configuration file")
    check.add_argument("file", metavar="FILE", help="the YAML configuration file")
    check.set_defaults(handler=_check)
    demo = commands.add_parser("demo", help="serve the demo site locally")
    demo.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    demo.add_argument("--config", metavar="FILE", default=None, help="YAML file to use")
    demo.set_defaults(handler=_demo)
    add_records_parser(commands)
    add_audit_commands(commands)
    return parser


def _check(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.file)
    except ConfigError as exc:
        for error in exc.errors:
            print(error.single_line(), file=sys.stderr)
        return 1
    for line in summary(config):
        print(line)
    for warning in overlap_warnings(config):
        print(f"warning: {warning}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    # Imported here so that `cookiegate check` works without the demo's Flask extra.
    demo = importlib.import_module("cookiegate.demo")
    status: int = demo.main(host=args.host, port=args.port, config=args.config)
    return status


def summary(config: Config) -> Iterator[str]:
    """Human-readable lines describing what a valid configuration declares."""
    yield f"{config.source}: OK"
    yield f"jurisdiction: {config.jurisdiction}, revision {config.revision}"
    places = config.jurisdictions
    if places is not None:
        yield (
            f"jurisdictions: {_plural(len(places.rules), 'rule')} on header {places.header}, "
            f"default {places.default.mode}"
        )
    yield f"undeclared third-party tags: {config.undeclared_third_party}"
    yield from _features(config)
    yield "categories:"
    cookies = config.all_cookies
    for category in config.categories:
        services = [s.id for s in config.services if s.category == category.id]
        count = sum(1 for c in cookies if c.category == category.id)
        flags = [
            f
            for f, on in (
                ("required", category.required),
                ("sale or share", category.sale_or_share),
            )
            if on
        ]
        label = f"{category.id} ({', '.join(flags)})" if flags else category.id
        listed = f" [{', '.join(services)}]" if services else ""
        yield f"  {label}: {_plural(len(services), 'service')}{listed}, {_plural(count, 'cookie')}"


def _features(config: Config) -> Iterator[str]:
    """The optional features a configuration turns on, one line each."""
    log = config.consent_log
    if log is not None:
        where = redact(log.url) if log.url else "from $COOKIEGATE_CONSENT_LOG"
        yield f"consent log: {where}"
    if config.csp.mode != "off":
        yield f"content security policy: {config.csp.mode}"
    if config.google_consent_mode is not None:
        yield "google consent mode: on"
    if config.audit.mode != "off":
        yield f"audit: {config.audit.mode}, to {config.audit.file}"


def overlap_warnings(config: Config) -> Iterator[str]:
    """Host patterns and cookie declarations that cover the same names twice."""
    yield from _host_overlaps(config)
    yield from _cookie_overlaps(config.all_cookies)


def _host_overlaps(config: Config) -> Iterator[str]:
    claims = [(p, f"service {s.id!r}") for s in config.services for p in s.hosts]
    claims += [(p, "first_party_hosts") for p in config.first_party_hosts]
    for index, (pattern, owner) in enumerate(claims):
        for other, other_owner in claims[index + 1 :]:
            if owner != other_owner and patterns_overlap(pattern, other):
                yield (
                    f"host patterns {pattern!r} ({owner}) and {other!r} ({other_owner}) overlap; "
                    "the more specific pattern wins, so check that is intended"
                )


def _cookie_overlaps(cookies: Sequence[CookieSpec]) -> Iterator[str]:
    for index, spec in enumerate(cookies):
        for other in cookies[index + 1 :]:
            if spec.overlaps(other):
                yield (
                    f"cookie {spec.name!r} ({_scope(spec)}) and {other.name!r} ({_scope(other)}) "
                    "cover the same cookie names; keep one declaration"
                )


def _scope(spec: CookieSpec) -> str:
    return f"service {spec.service!r}" if spec.service else "cookies"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
