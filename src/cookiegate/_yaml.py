"""YAML parsing that remembers where every key came from.

``yaml.safe_load`` returns plain values and forgets positions, so an error found later
("this category is not declared") could not name its line. This module composes the
node graph with PyYAML's ``SafeLoader`` and builds the same plain values itself,
recording the 1-based line of each key path on the way. It also reports duplicate
mapping keys, which PyYAML silently collapses to the last one: a repeated ``analytics:``
block would otherwise erase the first without a word.

Paths read like the error messages: ``services.youtube.category``, ``cookies[2].name``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from cookiegate.exceptions import ConfigError

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML document: its plain value and where each key path sits."""

    data: Any
    lines: Mapping[str, int]
    duplicates: tuple[tuple[str, int], ...] = ()
    """``(path, line)`` of every mapping key that repeats an earlier key."""


def join_key(parent: str, key: object) -> str:
    """The dotted path of ``key`` inside the mapping at ``parent``."""
    return f"{parent}.{key}" if parent else str(key)


def join_index(parent: str, index: int) -> str:
    """The path of item ``index`` of the sequence at ``parent``."""
    return f"{parent}[{index}]"


def parse(text: str, *, source: str) -> Document:
    """Parse one YAML document with ``yaml.safe_load`` semantics.

    :raises ConfigError: on a syntax error or a tag the safe loader refuses, with the
        line from the YAML mark.
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, {})
        walker = _Walker(loader)
        data = walker.value(node, "")
        return Document(data, walker.lines, tuple(walker.duplicates))
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, source) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", source=source) from None
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, source: str) -> ConfigError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or exc.context or "unreadable YAML"
    if isinstance(exc, yaml.constructor.ConstructorError):
        fix = "use plain YAML values without tags"
    else:
        fix = "check indentation, colons and quotes on this line"
    return ConfigError(
        f"invalid YAML: {problem}; {fix}",
        source=source,
        line=line,
    )


class _Walker:
    """Turns composed nodes into plain values, noting lines and duplicate keys."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []
        self._active: set[int] = set()

    def value(self, node: yaml.Node, path: str) -> Any:
        if id(node) in self._active:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias refers to itself", node.start_mark
            )
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
                return self._sequence(node, path)
            # Scalars and the rarer tagged collections (!!set, !!omap) keep safe_load's
            # own construction and its refusal of unsafe tags.
            return self.loader.construct_object(node, deep=True)
        finally:
            self._active.discard(id(node))

    def _sequence(self, node: yaml.SequenceNode, path: str) -> list[Any]:
        items = []
        for index, child in enumerate(node.value):
            child_path = join_index(path, index)
            self.lines[child_path] = child.start_mark.line + 1
            items.append(self.value(child, child_path))
        return items

    def _mapping(self, node: yaml.MappingNode, path: str) -> dict[Any, Any]:
        self._note_duplicates(node, path)
        self.loader.flatten_mapping(node)  # resolve "<<" merge keys as safe_load does
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "found an unhashable mapping key", key_node.start_mark
                )
            key_path = join_key(path, key)
            self.lines[key_path] = key_node.start_mark.line + 1
            result[key] = self.value(value_node, key_path)
        return result

    def _note_duplicates(self, node: yaml.MappingNode, path: str) -> None:
        """Record keys written twice in this mapping itself (merged keys may be overridden)."""
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = self.loader.construct_object(key_node)
            if key in seen:
                self.duplicates.append((join_key(path, key), key_node.start_mark.line + 1))
            seen.add(key)
