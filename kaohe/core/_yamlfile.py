"""Reading YAML while remembering the file and line of every key and list item.

Scheme errors must name the file and line; PyYAML keeps positions only on its nodes, so a
loader records them beside the plain Python objects it builds. ``extends`` merges several
files into one tree, so each key keeps its own file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ._errors import SchemeFileError

Position = tuple[str, int]  # (file, line)


class Positions:
    """Where each key of each mapping, and each item of each list, was written."""

    def __init__(self) -> None:
        self._keys: dict[int, dict[object, Position]] = {}
        self._items: dict[int, list[Position]] = {}
        self._alive: list[object] = []  # keeps ids stable while positions are in use

    def record_keys(self, mapping: dict[Any, Any], positions: dict[object, Position]) -> None:
        self._alive.append(mapping)
        self._keys[id(mapping)] = positions

    def record_items(self, items: list[Any], positions: list[Position]) -> None:
        self._alive.append(items)
        self._items[id(items)] = positions

    def of_key(self, mapping: object, key: object) -> Position | None:
        return self._keys.get(id(mapping), {}).get(key)

    def of_item(self, items: object, index: int) -> Position | None:
        found = self._items.get(id(items))
        return found[index] if found is not None and index < len(found) else None

    def merged(self, base: dict[Any, Any], override: dict[Any, Any]) -> dict[Any, Any]:
        """``{**base, **override}``, keeping where each key came from."""
        result = {**base, **override}
        where = {**self._keys.get(id(base), {}), **self._keys.get(id(override), {})}
        self.record_keys(result, where)
        return result

    def listed(self, entries: list[tuple[object, Position | None]]) -> list[Any]:
        """A new list of items, each keeping where it came from."""
        items = [item for item, _ in entries]
        self.record_items(items, [where or ("", 0) for _, where in entries])
        return items


def load_yaml(path: Path, positions: Positions, name: str) -> object:
    """Parse a YAML file; syntax errors become SchemeFileError with the line.

    ``name`` is how messages show the file (built-in templates have a short name).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemeFileError("no such file", file=name) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SchemeFileError(f"cannot read the file ({error})", file=name) from None
    return parse_yaml(text, positions, name)


def parse_yaml(text: str, positions: Positions, name: str) -> object:
    """Parse YAML text, as ``load_yaml`` does a file."""
    loader = _PositionLoader(text, name, positions)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or "malformed YAML"
        raise SchemeFileError(f"malformed YAML: {problem}", file=name, line=line) from None
    except yaml.YAMLError as error:
        raise SchemeFileError(f"malformed YAML: {error}", file=name) from None
    finally:
        loader.dispose()


class _PositionLoader(yaml.SafeLoader):
    def __init__(self, text: str, name: str, positions: Positions) -> None:
        super().__init__(text)
        self.file_name = name
        self.positions = positions


def _construct_mapping(loader: _PositionLoader, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    yield data
    data.update(loader.construct_mapping(node, deep=True))
    where = {
        loader.construct_object(key, deep=True): (loader.file_name, key.start_mark.line + 1)
        for key, _ in node.value
    }
    loader.positions.record_keys(data, where)


def _construct_sequence(loader: _PositionLoader, node: yaml.SequenceNode) -> Iterator[list[Any]]:
    data: list[Any] = []
    yield data
    data.extend(loader.construct_sequence(node, deep=True))
    loader.positions.record_items(
        data, [(loader.file_name, item.start_mark.line + 1) for item in node.value]
    )


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
