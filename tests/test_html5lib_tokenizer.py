"""The html5lib tokenizer conformance suite, run through cookiegate's byte-level tokenizer.

The gate only acts on tags, but the suite checks every token kind, so a disagreement about where
a comment, a doctype or a script's text ends shows up here as a wrong token stream.

These runs need ``emit_all``, initial states and ``tree_effects=False``, which the native
scanner delegates to the Python one; tests/test_native_scanner.py scans every vector's input
natively in gate mode and compares with Python.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cookiegate.html.tokenizer import Token, Tokenizer, TokenKind

SUITE = Path(__file__).resolve().parents[2] / "shared" / "data" / "html5lib-tests" / "tokenizer"
STATES = {
    "Data state": "data",
    "PLAINTEXT state": "plaintext",
    "RCDATA state": "rcdata",
    "RAWTEXT state": "rawtext",
    "Script data state": "script",
    "CDATA section state": "cdata",
}
# Every .test file but xmlViolation.test, whose expectations are for an XML-ish parser.
EXPECTED_FILES = 13
# One run per (vector, initial state): the 6,806 HTML vectors expand to 7,032 runs.
EXPECTED_RUNS = 7032
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")


def _unescape(value: Any) -> Any:
    """Undo the suite's second level of escaping (``doubleEscaped``) in a JSON value."""
    if isinstance(value, str):
        return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    if isinstance(value, list):
        return [_unescape(item) for item in value]
    if isinstance(value, dict):
        return {_unescape(k): _unescape(v) for k, v in value.items()}
    return value


def _collect() -> list[Any]:
    if not SUITE.is_dir():
        return []
    params = []
    for path in sorted(SUITE.glob("*.test")):
        if path.name == "xmlViolation.test":
            continue
        vectors = json.loads(path.read_text(encoding="utf-8"))["tests"]
        for index, vector in enumerate(vectors):
            if vector.get("doubleEscaped"):
                vector = {
                    **vector,
                    "input": _unescape(vector["input"]),
                    "output": _unescape(vector["output"]),
                }
            for state in vector.get("initialStates", ["Data state"]):
                test_id = f"{path.stem}-{index}-{STATES[state].replace(' ', '_')}"
                params.append(pytest.param(path.name, vector, STATES[state], id=test_id))
    return params


PARAMS = _collect()


def _as_html5lib(token: Token) -> list[Any]:
    if token.kind == TokenKind.START_TAG:
        start: list[Any] = ["StartTag", token.name, token.attrs]
        return [*start, True] if token.self_closing else start
    if token.kind == TokenKind.END_TAG:
        return ["EndTag", token.name]
    if token.kind == TokenKind.COMMENT:
        return ["Comment", token.data]
    if token.kind == TokenKind.DOCTYPE:
        return [
            "DOCTYPE",
            token.name or None,
            token.public_id,
            token.system_id,
            not token.force_quirks,
        ]
    return ["Character", token.data]


def _merge_characters(tokens: list[list[Any]]) -> list[list[Any]]:
    merged: list[list[Any]] = []
    for token in tokens:
        if token[0] == "Character" and merged and merged[-1][0] == "Character":
            merged[-1] = ["Character", merged[-1][1] + token[1]]
        elif token[0] != "Character" or token[1]:
            merged.append(list(token))
    return merged


def tokenize(data: bytes, state: str, last_start_tag: str | None) -> list[list[Any]]:
    """Tokenize *data* in one go, as html5lib's harness does (no tree builder)."""
    tokenizer = Tokenizer(
        emit_all=True, initial_state=state, last_start_tag=last_start_tag, tree_effects=False
    )
    return _merge_characters([_as_html5lib(t) for t in tokenizer.scan(data, final=True)])


def test_suite_is_complete() -> None:
    """Losing a file or a vector silently would make the suite pass vacuously."""
    if not SUITE.is_dir():
        pytest.skip(f"html5lib tokenizer tests not found at {SUITE}")
    files = {p.name for p in SUITE.glob("*.test")} - {"xmlViolation.test"}
    print(f"html5lib tokenizer runs: {len(PARAMS)} from {len(files)} files")
    assert len(files) == EXPECTED_FILES
    assert len(PARAMS) == EXPECTED_RUNS


def test_xml_violation_vectors_are_out_of_scope() -> None:
    pytest.skip("xmlViolation.test checks XML-compatible output (xmlViolationTests), not HTML")


@pytest.mark.parametrize(("filename", "vector", "state"), PARAMS)
def test_html5lib_vector(filename: str, vector: dict[str, Any], state: str) -> None:
    try:
        data = vector["input"].encode("utf-8")
    except UnicodeEncodeError:
        pytest.skip("input holds a lone surrogate, which has no UTF-8 byte form")
    expected = _merge_characters(vector["output"])
    assert tokenize(data, state, vector.get("lastStartTag")) == expected, vector["description"]
