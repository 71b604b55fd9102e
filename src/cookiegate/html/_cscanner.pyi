"""Type stub for the C scanner in ``_cscanner.c`` (see ``tokenizer.NativeTokenizer``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from cookiegate.html.tokenizer import Token, TokenKind

class Scanner:
    consumed: int
    state: str
    foreign_depth: int
    in_foreign_content: bool
    frame_records: int
    def __init__(
        self,
        *,
        encoding: str,
        scripting: bool,
        token_type: type[Token],
        start_kind: TokenKind,
        end_kind: TokenKind,
        decode_name: Callable[[bytes], str],
    ) -> None: ...
    def watch(
        self,
        names: frozenset[str] | None,
        *,
        marker: bytes | None = None,
        event_handlers: bool = False,
    ) -> None: ...
    def scan(self, buf: bytes, *, final: bool = False) -> Iterator[Token]: ...

def parse_attrs(
    raw: bytes,
    encoding: str,
    decode_name: Callable[[bytes, str], str],
    decode_value: Callable[[bytes, str], str],
    /,
) -> tuple[dict[str, str], list[tuple[str, int, int]], bool]: ...

class LiteralSet:
    """One-pass search for many byte literals (Aho-Corasick; ASCII-only case folding)."""

    def __init__(
        self, literals: Sequence[tuple[bytes, int]], *, ignore_case: bool = False
    ) -> None: ...
    @property
    def ignore_case(self) -> bool: ...
    def __len__(self) -> int: ...
    def find_ids(self, data: bytes | bytearray | memoryview, /) -> set[int]: ...
    def findall_ids(self, data: bytes | bytearray | memoryview, /) -> set[int]: ...
