"""``cookiegate records``: read, count, prune and replay the consent log.

::

    cookiegate records export --since 2025-01-01 --until 2025-03-31 --format csv
    cookiegate records export --consent-id Zp3kq0aL9xYt2Bv1
    cookiegate records count --since 2025-01-01
    cookiegate records prune --older-than 3y
    cookiegate records replay
    cookiegate records hashes --config cookies.yaml --templates-dir templates

The log is the one the site writes to: ``--log URL``, else ``$COOKIEGATE_CONSENT_LOG``,
else ``consent_log:`` in the file given with ``--config`` (the environment wins over
the YAML file here as it does in the site). Dates are UTC: ``--since`` is inclusive,
``--until`` exclusive, except that a bare date for ``--until`` includes that whole day.

``prune`` is the only command of cookiegate that deletes records; run it from cron
with the retention period your policy states.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from typing import IO, Any

from .config import Config, load_config
from .exceptions import CookieGateError
from .records import (
    CONSENT_LOG_ENV,
    CONSENT_SPOOL_ENV,
    ConsentLog,
    ConsentRecord,
    RecordQuery,
    RecordStore,
    open_store,
)
from .records.model import FIELD_ORDER, templates_fingerprint
from .records.store import env_value
from .templating import make_environment

_RETENTION = re.compile(r"(\d{1,5})([dwy])")
_LIST_FIELDS = frozenset(
    {"granted_categories", "denied_categories", "granted_services", "denied_services"}
)


def add_records_parser(commands: Any) -> None:
    """Add ``records`` and its subcommands to the ``cookiegate`` parser."""
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--log", metavar="URL", help=f"the consent log (default ${CONSENT_LOG_ENV})")
    where.add_argument("--config", metavar="FILE", help="read consent_log: from this YAML file")
    span = argparse.ArgumentParser(add_help=False)
    span.add_argument(
        "--since", type=_moment, metavar="WHEN", help="from this UTC date or time (inclusive)"
    )
    span.add_argument(
        "--until", type=_until, metavar="WHEN", help="to this UTC date (inclusive) or time"
    )
    records = commands.add_parser("records", help="export, count or prune consent records")
    actions = records.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", parents=[where, span], help="write records out")
    export.add_argument("--consent-id", metavar="ID", help="only this consent id's records")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(handler=_export)
    count = actions.add_parser("count", parents=[where, span], help="count by source and choice")
    count.set_defaults(handler=_count)
    prune = actions.add_parser("prune", parents=[where], help="delete records past retention")
    prune.add_argument(
        "--older-than", required=True, type=_retention, metavar="AGE", help="e.g. 400d, 3y"
    )
    prune.set_defaults(handler=_prune)
    replay = actions.add_parser("replay", parents=[where], help="write spooled records now")
    replay.add_argument("--spool", metavar="DIR", help=f"spool directory (${CONSENT_SPOOL_ENV})")
    replay.set_defaults(handler=_replay)
    hashes = actions.add_parser("hashes", help="print the hashes records of this site carry")
    hashes.add_argument("--config", metavar="FILE", required=True, help="the YAML file")
    hashes.add_argument("--templates-dir", metavar="DIR", help="the site's template overrides")
    hashes.set_defaults(handler=_hashes)


def _export(args: argparse.Namespace) -> int:
    query = RecordQuery(since=args.since, until=args.until, consent_id=args.consent_id)
    writer = _write_csv if args.format == "csv" else _write_jsonl

    def run(store: RecordStore) -> int:
        if args.output is None:
            count = writer(store.read(query), sys.stdout)
        else:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                count = writer(store.read(query), out)
        print(f"{count} record(s) exported", file=sys.stderr)
        return 0

    return _with_store(args, run)


def _count(args: argparse.Namespace) -> int:
    def run(store: RecordStore) -> int:
        rows = store.count(RecordQuery(since=args.since, until=args.until))
        print(f"{'source':<12} {'choice':<6} {'records':>9}")
        for row in rows:
            print(f"{row.source:<12} {row.choice:<6} {row.count:>9}")
        print(f"{'total':<12} {'':<6} {sum(r.count for r in rows):>9}")
        return 0

    return _with_store(args, run)


def _prune(args: argparse.Namespace) -> int:
    before: datetime.datetime = args.older_than(datetime.datetime.now(datetime.UTC))

    def run(store: RecordStore) -> int:
        deleted = store.prune(before)
        print(f"{deleted} record(s) made before {before.isoformat()} deleted")
        return 0

    return _with_store(args, run)


def _replay(args: argparse.Namespace) -> int:
    try:
        url, config = _log_url(args)
        settings = config.consent_log if config else None
        spool = args.spool or env_value(CONSENT_SPOOL_ENV) or (settings.spool if settings else None)
        log = ConsentLog(url, spool=spool)
        count = log.replay()
    except CookieGateError as exc:
        return _fail(str(exc))
    except Exception as exc:  # the backend is still unreachable: say so, exit 1
        return _fail(f"replay stopped, the rest stays spooled: {exc}")
    print(f"{count} spooled record(s) written to {log.store.display_url}")
    return 0


def _hashes(args: argparse.Namespace) -> int:
    """The ``config_hash`` and ``templates_hash`` a site with these files records.

    Publish them with each version of the banner and policy, so a record can be
    matched to what the visitor was shown.
    """
    try:
        config = load_config(args.config)
    except CookieGateError as exc:
        return _fail(str(exc))
    if args.templates_dir is not None and not os.path.isdir(args.templates_dir):
        return _fail(f"--templates-dir {args.templates_dir!r} is not a directory")
    jinja = make_environment(args.templates_dir)
    print(f"config_hash     {config.fingerprint}")
    print(f"templates_hash  {templates_fingerprint(jinja)}")
    return 0


def _with_store(args: argparse.Namespace, run: Callable[[RecordStore], int]) -> int:
    try:
        store = open_store(_log_url(args)[0])
    except CookieGateError as exc:
        return _fail(str(exc))
    try:
        return run(store)
    except CookieGateError as exc:
        return _fail(str(exc))
    except Exception as exc:  # sqlite3.Error, psycopg.Error: no traceback for an operator
        return _fail(f"{store.display_url}: {exc}")
    finally:
        store.close()


def _log_url(args: argparse.Namespace) -> tuple[str, Config | None]:
    config = load_config(args.config) if args.config else None
    settings = config.consent_log if config else None
    url = args.log or env_value(CONSENT_LOG_ENV) or (settings.url if settings else None)
    if url is None:
        raise CookieGateError(
            f"no consent log: give --log URL, set ${CONSENT_LOG_ENV}, or --config FILE "
            "with a consent_log: key"
        )
    return url, config


def _fail(message: str) -> int:
    print(f"cookiegate records: {message}", file=sys.stderr)
    return 1


def _write_jsonl(records: Iterable[ConsentRecord], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def _write_csv(records: Iterable[ConsentRecord], out: IO[str]) -> int:
    """CSV with one column per field; lists space-separated, flags true/false."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELD_ORDER)
    count = 0
    for record in records:
        writer.writerow(_csv_cell(name, value) for name, value in record.to_json().items())
        count += 1
    return count


def _csv_cell(name: str, value: Any) -> str:
    if name in _LIST_FIELDS:
        return " ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _moment(text: str) -> datetime.datetime:
    """A UTC date (midnight) or an ISO 8601 time; a time without offset is UTC."""
    try:
        moment = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date or time; write 2025-01-31 or 2025-01-31T12:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def _until(text: str) -> datetime.datetime:
    moment = _moment(text)
    is_date = len(text.strip()) == 10  # 2025-01-31: the whole day is included
    return moment + datetime.timedelta(days=1) if is_date else moment


def _retention(text: str) -> Callable[[datetime.datetime], datetime.datetime]:
    """``400d``, ``8w`` or ``3y`` as "the moment that long before ``now``"."""
    match = _RETENTION.fullmatch(text.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a retention period; write days, weeks or years: 400d, 8w, 3y"
        )
    amount, unit = int(match.group(1)), match.group(2)
    if unit == "y":
        return lambda now: _years_before(now, amount)
    days = amount * (7 if unit == "w" else 1)
    return lambda now: now - datetime.timedelta(days=days)


def _years_before(now: datetime.datetime, years: int) -> datetime.datetime:
    """Calendar years, so "3y" keeps exactly three years of records; 29 Feb becomes 28."""
    year = now.year - years
    try:
        return now.replace(year=year)
    except ValueError:
        return now.replace(year=year, day=28)
