"""The native literal search (``_cscanner.LiteralSet``) against Python references.

``find_ids`` is checked against ``literal in data``; ``findall_ids`` and the
:class:`InlineMatcher` built on it against the regex code they replace.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cookiegate.catalog import PRESETS
from cookiegate.config import Config
from cookiegate.html import tokenizer as tk
from cookiegate.html.gate import GateRules
from cookiegate.html.rules import InlineMatcher, _alternation

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"
SCRIPT = re.compile(rb"<script\b[^>]*>(.*?)</script", re.IGNORECASE | re.DOTALL)

pytestmark = pytest.mark.skipif(
    tk._native is None or not hasattr(tk._native, "LiteralSet"),
    reason="the C extension is not built (or COOKIEGATE_PURE_PYTHON=1)",
)


def literal_set(pairs: list[tuple[bytes, int]], *, ignore_case: bool = False) -> object:
    assert tk._native is not None
    return tk._native.LiteralSet(pairs, ignore_case=ignore_case)


def naive(pairs: list[tuple[bytes, int]], data: bytes, *, ignore_case: bool) -> set[int]:
    if ignore_case:
        return {i for lit, i in pairs if lit.lower() in data.lower()}
    return {i for lit, i in pairs if lit in data}


def regex_ids(pairs: list[tuple[bytes, int]], data: bytes, *, ignore_case: bool) -> set[int]:
    """What ``InlineMatcher``'s regex path reports (it lowercases the text; the native
    search folds the literals too, and ``InlineMatcher`` leaves out upper-case hosts)."""
    owner: dict[bytes, set[int]] = {}
    for lit, i in pairs:
        owner.setdefault(lit.lower() if ignore_case else lit, set()).add(i)
    pattern = _alternation(list(owner))
    if pattern is None:
        return set()
    found: set[int] = set()
    for match in pattern.findall(data.lower() if ignore_case else data):
        found |= owner[match]
    return found


def check(pairs: list[tuple[bytes, int]], data: bytes) -> None:
    for ignore_case in (False, True):
        search = literal_set(pairs, ignore_case=ignore_case)
        assert search.find_ids(data) == naive(pairs, data, ignore_case=ignore_case)  # type: ignore[attr-defined]
        assert search.findall_ids(data) == regex_ids(pairs, data, ignore_case=ignore_case)  # type: ignore[attr-defined]


def full_catalog() -> GateRules:
    services = {name: {"preset": name} for name in PRESETS}
    return GateRules.from_config(Config.from_mapping({"services": services}, source="test"))


def inline_scripts() -> list[bytes]:
    return [
        m.group(1)
        for page in sorted(PAGES.glob("*.html"))
        for m in SCRIPT.finditer(page.read_bytes())
    ]


def test_pages_native_equals_regex() -> None:
    matcher = full_catalog().inline
    assert matcher.native_hosts is not None
    scripts = inline_scripts()
    assert len(scripts) > 50
    for encoding in ("utf-8", "windows-1252"):
        signatures = matcher.signatures(encoding)
        assert signatures.native is not None
        hits = 0
        for text in scripts:
            for data in (text, text.upper(), text[::-1]):
                native = matcher.services(data, signatures)
                assert native == matcher.reference_services(data, signatures)
                hits += bool(native)
        assert hits > 0


def test_pure_python_matcher_has_no_native() -> None:
    rules = full_catalog()
    plain = InlineMatcher.from_config(rules.config, rules.hosts, native=False)
    assert plain.native_hosts is None
    assert plain.signatures("utf-8").native is None


def test_contained_and_overlapping_literals() -> None:
    pairs = [
        (b"he", 1),
        (b"she", 2),
        (b"his", 3),
        (b"hers", 4),
        (b"t.co", 5),
        (b".chartbeat.com", 6),
    ]
    for data in (
        b"ushers",
        b"USHERS",
        b"x.chartbeat.com",
        b"t.cohers",
        b"shis",
        b"",
        b"h",
        b"hershe",
    ):
        check(pairs, data)
    search = literal_set(pairs, ignore_case=True)
    assert search.find_ids(b"x.CHARTBEAT.com") == {5, 6}  # type: ignore[attr-defined]
    assert search.findall_ids(b"x.CHARTBEAT.com") == {6}  # type: ignore[attr-defined]


def test_prefixes_duplicates_empty_and_odd_bytes() -> None:
    pairs = [
        (b"a", 1),
        (b"ab", 2),
        (b"abc", 3),
        (b"abc", 4),
        (b"\x00", 5),
        (b"\xc3\xa9", 6),
        (b"Ab", 7),
    ]
    for data in (b"", b"a", b"ab", b"abc", b"ABC", b"x\x00y", b"\xc3\x89", b"\xc3\xa9", b"aab\xff"):
        check(pairs, data)
    # only ASCII letters fold: \xc3\x89 is not \xc3\xa9 in any case
    assert literal_set(pairs, ignore_case=True).find_ids(b"\xc3\x89") == set()  # type: ignore[attr-defined]
    with_empty = [(b"", 9), (b"x", 1)]
    check(with_empty, b"")
    check(with_empty, b"yxy")
    assert literal_set([]).find_ids(b"abc") == set()  # type: ignore[attr-defined]


def test_bad_arguments() -> None:
    for bad in ([(b"a",)], [("a", 1)], [(b"a", "1")], [b"a"]):
        with pytest.raises(TypeError):
            literal_set(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        literal_set(5)  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        literal_set([(b"a", 2**70)])
    search = literal_set([(b"ab", 1)])
    assert search.find_ids(bytearray(b"xab")) == {1}  # type: ignore[attr-defined]
    assert search.find_ids(memoryview(b"xab")) == {1}  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        search.find_ids("ab")  # type: ignore[attr-defined]
    assert len(search) == 1  # type: ignore[arg-type]


ALPHABET = st.sampled_from(b"aAbB.c/\x00\xe9\xc9-")
LITERALS = st.lists(st.binary(min_size=1, max_size=6).map(bytes), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    literals=LITERALS,
    small=st.lists(st.lists(ALPHABET, min_size=1, max_size=4).map(bytes), max_size=6),
    noise=st.binary(max_size=80),
    plants=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 20), st.booleans()), max_size=6),
)
def test_random_bytes_with_planted_literals(
    literals: list[bytes],
    small: list[bytes],
    noise: bytes,
    plants: list[tuple[int, int, bool]],
) -> None:
    pool = literals + small
    pairs = [(lit, i % 5) for i, lit in enumerate(pool)]
    data = bytearray(noise)
    for pos, which, upper in plants:
        lit = pool[which % len(pool)]
        data[pos % (len(data) + 1) : pos % (len(data) + 1)] = lit.upper() if upper else lit
    check(pairs, bytes(data))
