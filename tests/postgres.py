"""A real PostgreSQL server for the consent-log tests.

Two sources, both real servers:

* ``$COOKIEGATE_TEST_POSTGRES_URL``: a server someone started (``.ci/run`` starts one);
* a throwaway cluster made here with ``initdb``/``pg_ctl`` in a temporary directory,
  listening on 127.0.0.1 on a free port. The tests that stop the database mid-run
  always use one of these, since they must not stop a shared server.

PostgreSQL refuses to run as root, so as root the cluster runs as the ``postgres``
user (or ``nobody``). Without psycopg or the server binaries the tests skip, unless
``COOKIEGATE_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which makes that a failure:
CI must not pass by skipping them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

import pytest

URL_ENV = "COOKIEGATE_TEST_POSTGRES_URL"
REQUIRE_ENV = "COOKIEGATE_REQUIRE_POSTGRES"
BINDIR_ENV = "COOKIEGATE_PG_BINDIR"


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail when PostgreSQL is required (CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1, so PostgreSQL tests must run)")
    pytest.skip(reason)


def require_psycopg() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install 'psycopg[binary]')")


def find_bindir() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    candidates: list[str] = []
    if os.environ.get(BINDIR_ENV):
        candidates.append(os.environ[BINDIR_ENV])
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    # Debian keeps the server binaries out of PATH, one directory per major version.
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(p.split("/")[-2]), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        path = Path(candidate)
        if all((path / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return path
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="cookiegate-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._account = _server_account()
        if self._account is not None:
            os.chown(self.root, self._account.pw_uid, self._account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync")  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c max_connections=50"
        )
        log = str(self.root / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def is_running(self) -> bool:
        result = subprocess.run(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            **self._as_owner(),
        )
        return result.returncode == 0

    def destroy(self) -> None:
        if self.data.exists() and self.is_running():
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bindir / program), *args], capture_output=True, text=True, **self._as_owner()
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {result.stdout}{result.stderr}\n{tail}")

    def _as_owner(self) -> dict[str, object]:
        kwargs: dict[str, object] = {"cwd": str(self.root)}
        if self._account is not None:
            kwargs.update(user=self._account.pw_uid, group=self._account.pw_gid, extra_groups=[])
        return kwargs


def _server_account() -> pwd.struct_passwd | None:
    """Who runs the server: ourselves, or an unprivileged account when we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    unavailable("running as root and neither a 'postgres' nor a 'nobody' user exists")


def start_cluster() -> Cluster:
    """A running throwaway cluster, or skip/fail if PostgreSQL is not installed."""
    require_psycopg()
    bindir = find_bindir()
    if bindir is None:
        unavailable(f"no PostgreSQL server binaries (initdb, pg_ctl); set {BINDIR_ENV}")
    cluster = Cluster(bindir)
    try:
        cluster.start()
    except BaseException:
        cluster.destroy()
        raise
    return cluster


def wait_until_accepting(url: str, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose sessions use ``schema``: each test gets empty tables of its own."""
    option = "options=" + quote(f"-c search_path={schema}", safe="")
    return url + ("&" if "?" in url else "?") + option


def new_schema(url: str) -> str:
    import psycopg

    schema = "cg_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return schema


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
