"""The local spool: where records wait while the consent log cannot be written.

A visitor's choice is honoured even when the database is down, so its record must
survive until the database is back. The spool is a directory of append-only JSON
lines files on the local disk:

``pending.jsonl``
    Records appended by every process and thread of the site. Each append holds an
    exclusive ``flock`` on ``spool.lock``, writes one line and ``fsync``\\ s it before
    the visitor's response is sent.
``batch-*.jsonl``
    A replay first renames ``pending.jsonl`` to a batch (under the same lock, so no
    append is lost or split), then writes the batch to the backend and deletes it.
    A batch whose write fails stays, and is retried by the next replay; the backend
    skips record ids it already has, so a retry never duplicates a record.
``rejected.jsonl``
    Lines that are not records (a line torn by a crash mid-write) are moved here for a
    person to look at rather than dropped or retried forever.

One replay runs at a time per spool (a non-blocking ``flock`` on ``replay.lock``);
other processes skip theirs instead of waiting. Locks are advisory ``flock``\\ s,
which work between processes on one machine: give each machine its own spool.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .model import ConsentRecord

if sys.platform != "win32":
    import fcntl

logger = logging.getLogger("cookiegate.records")

_PENDING = "pending.jsonl"
_REJECTED = "rejected.jsonl"
_BATCH_SIZE = 500


class Spool:
    """Records waiting for the consent log, in ``directory`` (created when needed)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def append(self, record: ConsentRecord) -> None:
        """Append ``record`` durably.

        :raises OSError: the spool cannot be written (no space, no permission).
        """
        line = json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _locked(self.directory / "spool.lock"):
            _append(self.directory / _PENDING, line.encode("utf-8"))

    def has_pending(self) -> bool:
        """Whether any record waits for a replay (cheap: one directory listing)."""
        try:
            with os.scandir(self.directory) as entries:
                return any(_is_spool_file(e.name) for e in entries)
        except (FileNotFoundError, NotADirectoryError):
            return False

    def pending(self) -> list[ConsentRecord]:
        """Every record waiting, in the order it will be replayed."""
        found: list[ConsentRecord] = []
        for path in self._batches() + [self.directory / _PENDING]:
            found += _read(path)[0] if path.exists() else []
        return found

    def replay(self, write: Callable[[Sequence[ConsentRecord]], None]) -> int:
        """Hand every waiting record to ``write``; returns how many were written.

        Returns 0 at once if another replay of this spool is running. An exception
        from ``write`` propagates, and the records not yet confirmed stay spooled.
        """
        if not self.has_pending():
            return 0
        with _locked(self.directory / "replay.lock", wait=False) as acquired:
            if not acquired:
                return 0
            self._seal_pending()
            return sum(self._replay_batch(path, write) for path in self._batches())

    def _seal_pending(self) -> None:
        """Rename ``pending.jsonl`` to a new batch, so appends go to a fresh file."""
        with _locked(self.directory / "spool.lock"):
            pending = self.directory / _PENDING
            if pending.exists():
                pending.rename(self.directory / f"batch-{time.time_ns():020d}-{os.getpid()}.jsonl")
                _fsync_directory(self.directory)

    def _batches(self) -> list[Path]:
        return sorted(self.directory.glob("batch-*.jsonl"))

    def _replay_batch(self, path: Path, write: Callable[[Sequence[ConsentRecord]], None]) -> int:
        records, rejected = _read(path)
        if rejected:
            logger.error(
                "cookiegate: %d spooled line(s) in %s are not consent records; moved to %s",
                len(rejected),
                path,
                self.directory / _REJECTED,
            )
            with _locked(self.directory / "spool.lock"):
                _append(self.directory / _REJECTED, b"".join(rejected))
        for start in range(0, len(records), _BATCH_SIZE):
            write(records[start : start + _BATCH_SIZE])
        path.unlink()
        return len(records)


def _is_spool_file(name: str) -> bool:
    return name == _PENDING or (name.startswith("batch-") and name.endswith(".jsonl"))


def _read(path: Path) -> tuple[list[ConsentRecord], list[bytes]]:
    """The records in a spool file, and its lines that are not records."""
    records: list[ConsentRecord] = []
    rejected: list[bytes] = []
    for raw in path.read_bytes().splitlines(keepends=True):
        if not raw.strip():
            continue
        try:
            records.append(ConsentRecord.from_json(json.loads(raw)))
        except (ValueError, TypeError, KeyError):  # JSONDecodeError is a ValueError
            rejected.append(raw if raw.endswith(b"\n") else raw + b"\n")
    return records, rejected


def _append(path: Path, data: bytes) -> None:
    """Append ``data`` and ``fsync``; the caller holds the spool lock."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data  # a torn line from a crash: keep it apart from ours
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if size == 0:
        _fsync_directory(path.parent)  # the new file's name must survive a crash too


def _fsync_directory(directory: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(path: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on ``path``; yields whether it was acquired."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":  # no flock: one process per spool on Windows
            yield True
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock
