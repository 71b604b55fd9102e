"""The table behind the whole-page memo (see :mod:`cookiegate.html.memo`).

Kept apart so that :class:`~cookiegate.html.gate.GateRules` can own one per
configuration without importing the memo's gate wrapper.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from ..config import Service

#: Bodies larger than this are not remembered (and wait for nothing).
BODY_LIMIT = 256 * 1024
_ENTRIES_LIMIT = 1024
_BYTES_LIMIT = 32 * 1024 * 1024

MemoKey = tuple[bytes, tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class Fragment:
    """One call the gate made for request-specific markup: the banner, or a placeholder
    for ``service`` (its arguments as the gate passed them)."""

    service: Service | None
    lang: str | None
    absolute_urls: bool
    width: str | None = None
    height: str | None = None
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class MemoEntry:
    """A gated page: its output split where request fragments go (one piece if none)."""

    pieces: tuple[bytes, ...]
    fragments: tuple[Fragment, ...] = ()

    @property
    def size(self) -> int:
        return sum(len(piece) for piece in self.pieces)


@dataclass
class PageMemo:
    """The bounded table of gated pages for one :class:`GateRules`."""

    entries: dict[MemoKey, MemoEntry] = field(default_factory=dict)
    size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: MemoKey) -> MemoEntry | None:
        return self.entries.get(key)

    def put(self, key: MemoKey, entry: MemoEntry) -> None:
        cost = len(key[0]) + entry.size
        with self.lock:
            if key in self.entries:
                return
            # First in, first out: cheap, and a page still served comes back at once.
            while self.entries and (
                len(self.entries) >= _ENTRIES_LIMIT or self.size + cost > _BYTES_LIMIT
            ):
                old_key = next(iter(self.entries))
                old = self.entries.pop(old_key)
                self.size -= len(old_key[0]) + old.size
            self.entries[key] = entry
            self.size += cost

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0
