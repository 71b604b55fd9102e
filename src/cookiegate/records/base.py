"""The interface every consent log backend implements, and the query it answers.

Two backends exist (:class:`~cookiegate.records.sqlite.SQLiteStore`,
:class:`~cookiegate.records.postgres.PostgresStore`); a site could add its own by
implementing :class:`RecordStore`. The contract that makes the spool safe is
:meth:`RecordStore.write` being *idempotent per record_id*: replaying records that
may already be stored must never duplicate them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from .model import ConsentRecord

TABLE = "cookiegate_consent_records"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordQuery:
    """Which records to read: ``since <= recorded_at < until``, optionally one consent id."""

    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    consent_id: str | None = None

    def where(
        self, placeholder: str, moment: Callable[[datetime.datetime], object]
    ) -> tuple[str, list[object]]:
        """The SQL ``WHERE`` clause (or "") and its parameters, in a driver's style.

        ``placeholder`` is the driver's parameter marker; ``moment`` turns a time into
        the value the backend stores.
        """
        clauses: list[str] = []
        params: list[object] = []
        for clause, value in (
            ("recorded_at >= ", None if self.since is None else moment(self.since)),
            ("recorded_at < ", None if self.until is None else moment(self.until)),
            ("consent_id = ", self.consent_id),
        ):
            if value is not None:
                clauses.append(clause + placeholder)
                params.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


@dataclass(frozen=True, slots=True)
class ChoiceCount:
    """One row of :meth:`RecordStore.count`."""

    source: str
    choice: str
    count: int


class RecordStore(Protocol):
    """A place consent records are appended to.

    Records are never updated; they are deleted only by :meth:`prune` (the retention
    command). Methods may raise any exception when the backend is unavailable:
    :class:`~cookiegate.records.ConsentLog` turns that into spooling.
    """

    #: The URL the store was opened from, without a password.
    display_url: str

    def write(self, records: Sequence[ConsentRecord]) -> None:
        """Store ``records`` in one transaction; ones already stored are skipped."""

    def read(self, query: RecordQuery) -> Iterator[ConsentRecord]:
        """Matching records, oldest first."""

    def count(self, query: RecordQuery) -> list[ChoiceCount]:
        """How many matching records there are per source and choice."""

    def prune(self, before: datetime.datetime) -> int:
        """Delete records made before ``before``; returns how many were deleted."""

    def close(self) -> None:
        """Release connections held by this process."""
