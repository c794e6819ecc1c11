"""Rewriting a scheme's YAML text so that it reads as changed data, touching only what changed.

The scheme editor's form works on plain data (what ``yaml.safe_load`` gives); the stored form
of a scheme stays its YAML text, comments and layout included. ``edit_yaml`` compares the
text's data with the edited data and applies each difference where it is written:

- a changed scalar is rewritten in place, in the style its context needs (plain, quoted);
- a key added to a block mapping is written after the key before it, one removed is
  deleted with its lines, and the other keys stay as they are;
- list items are matched by ``id`` where they have one (dimensions, indicators), else by
  content, so that adding, removing or changing one item leaves its neighbours alone;
- a flow collection (``{min: 92, points: 20}``) whose keys or items change is written
  again in flow style, on one line.

No change gives the text back byte for byte. Should the rewritten text not read back as
the data (a layout these rules do not foresee), the data is written out whole instead:
correct, though without the comments.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

WIDTH = 100  # the line length the templates keep to


class _Fallback(Exception):
    """A layout the rules do not foresee: write the whole data out instead."""


def edit_yaml(text: str, data: Any) -> str:
    """``text`` changed so that it loads as ``data``, changing only the parts that differ."""
    old = yaml.safe_load(text)
    if same(old, data):
        return text
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    try:
        if root is None:
            raise _Fallback
        editor = _Editor(text)
        editor.patch(root, old, data)
        result = editor.applied()
    except _Fallback:
        return dump(data)
    if not same(yaml.safe_load(result), data):
        return dump(data)
    return result


def dump(data: Any) -> str:
    """Data written out whole, as the library writes a copied scheme."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=WIDTH)


def same(first: Any, second: Any) -> bool:
    """Equal, and of the same types all the way down: 20 and 20.0 are written differently."""
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(same(first[k], second[k]) for k in first)
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(map(same, first, second))
    return type(first) is type(second) and first == second


# --- writing values --------------------------------------------------------------------------


def _scalar(value: Any, *, in_flow: bool) -> str:
    """One scalar on one line: quoted where YAML needs it (in a flow collection, commas and
    brackets too)."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    if in_flow:
        written = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=10**9)
        return written.strip()[1:-1]
    written = yaml.safe_dump(value, allow_unicode=True, width=10**9)
    return written.removesuffix("\n").removesuffix("\n...").strip()


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return _scalar(value, in_flow=True)


def _collection(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)


def _block(value: Any, indent: int) -> str:
    """A non-empty collection in block style, every line indented by ``indent``."""
    written = yaml.safe_dump(
        value, allow_unicode=True, sort_keys=False, width=WIDTH, default_flow_style=False
    )
    return "\n".join(" " * indent + line for line in written.rstrip("\n").split("\n"))


def _item(value: Any, column: int, *, flow: bool) -> str:
    """A value starting at ``column`` of its first line (after ``- ``), further lines
    indented to match."""
    if not _collection(value) or (flow and column + len(_flow(value)) <= WIDTH):
        return _flow(value) if _collection(value) else _scalar(value, in_flow=False)
    return _block(value, column).lstrip(" ")


def _after_key(value: Any, key_column: int, *, flow: bool = False) -> str:
    """What follows a key in a block mapping: ``: value`` or ``:`` and an indented block."""
    if not _collection(value):
        return ": " + (
            _flow(value) if isinstance(value, dict | list) else _scalar(value, in_flow=False)
        )
    if flow and key_column + len(_flow(value)) <= WIDTH - 10:
        return ": " + _flow(value)
    return ":\n" + _block(value, key_column + 2)


# --- the editor ------------------------------------------------------------------------------


@dataclass
class _Editor:
    text: str
    edits: list[tuple[int, int, str]] = field(default_factory=list)

    def applied(self) -> str:
        # At one place an insertion goes before a deletion (so that the deletion does not take
        # it away), and generation order keeps two insertions in the order they were made.
        ordered = sorted(enumerate(self.edits), key=lambda e: (e[1][0], e[1][1] > e[1][0], e[0]))
        result = self.text
        last_start = len(self.text) + 1
        for _order, (start, end, new) in reversed(ordered):
            if end > last_start:
                raise _Fallback  # overlapping edits
            result = result[:start] + new + result[end:]
            last_start = start
        return result

    def _edit(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    # -- where things are

    def end(self, node: Node) -> int:
        """Where the node's own text ends: a block collection's end mark lies past the
        comments and blank lines that follow it, a block scalar's past its line break."""
        if isinstance(node, MappingNode) and not node.flow_style and node.value:
            found = self.end(node.value[-1][1])
        elif isinstance(node, SequenceNode) and not node.flow_style and node.value:
            found = self.end(node.value[-1])
        else:
            found = node.end_mark.index
        while found > node.start_mark.index and self.text[found - 1] in "\r\n ":
            found -= 1
        return found

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found

    def starts_line(self, index: int) -> bool:
        return not self.text[self.line_start(index) : index].strip()

    # -- patching

    def patch(self, node: Node, old: Any, new: Any, *, in_flow: bool = False) -> None:
        if same(old, new):
            return
        flow = in_flow or bool(getattr(node, "flow_style", False))
        both_dicts = isinstance(old, dict) and isinstance(new, dict)
        both_lists = isinstance(old, list) and isinstance(new, list)
        if isinstance(node, MappingNode) and both_dicts and old and new:
            if len(node.value) != len(old):
                raise _Fallback  # a key written twice
            if flow:
                self._flow_mapping(node, old, new)
            else:
                self._block_mapping(node, old, new)
        elif isinstance(node, SequenceNode) and both_lists and old and new:
            if flow:
                self._flow_sequence(node, old, new)
            else:
                self._block_sequence(node, old, new)
        elif in_flow:
            self._edit(node.start_mark.index, self.end(node), _flow(new))
        else:
            column = node.start_mark.column
            self._edit(node.start_mark.index, self.end(node), _item(new, column, flow=False))

    def _flow_mapping(self, node: MappingNode, old: dict[Any, Any], new: dict[Any, Any]) -> None:
        if list(old) != list(new):
            self._edit(node.start_mark.index, node.end_mark.index, _flow(new))
            return
        for (_key, value), name in zip(node.value, old, strict=True):
            self.patch(value, old[name], new[name], in_flow=True)

    def _flow_sequence(self, node: SequenceNode, old: list[Any], new: list[Any]) -> None:
        if len(old) != len(new):
            self._edit(node.start_mark.index, node.end_mark.index, _flow(new))
            return
        for item, before, after in zip(node.value, old, new, strict=True):
            self.patch(item, before, after, in_flow=True)

    def _block_mapping(self, node: MappingNode, old: dict[Any, Any], new: dict[Any, Any]) -> None:
        entries = dict(zip(old, node.value, strict=True))
        column = node.start_mark.column
        for name, (key, value) in entries.items():
            if name in new:
                self._mapping_value(key, value, old[name], new[name])
        for index, name in enumerate(old):
            if name not in new:
                self._delete_entry(node, index)
        previous = None
        for name in new:
            if name in old:
                previous = name
                continue
            entry = _scalar(name, in_flow=False) + _after_key(new[name], column)
            if previous is None:
                first = node.value[0][0].start_mark.index
                self._edit(first, first, entry + "\n" + " " * column)
            else:
                at = self.line_end(self.end(entries[previous][1]))
                self._edit(at, at, "\n" + " " * column + entry)

    def _mapping_value(self, key: Node, value: Node, old: Any, new: Any) -> None:
        recursable = isinstance(value, MappingNode | SequenceNode) and (
            _collection(old) and _collection(new) and type(old) is type(new)
        )
        if recursable or not self.text.startswith(":", key.end_mark.index):
            self.patch(value, old, new)
            return
        flow = bool(getattr(value, "flow_style", False))
        self._edit(
            key.end_mark.index, self.end(value), _after_key(new, key.start_mark.column, flow=flow)
        )

    def _delete_entry(self, node: MappingNode, index: int) -> None:
        key, value = node.value[index]
        start = key.start_mark.index
        if self.starts_line(start):
            end = self.line_end(self.end(value))
            self._edit(self.line_start(start), min(end + 1, len(self.text)), "")
        elif index + 1 < len(node.value):
            # The first key of a list item (``- id: …``): the next key moves up beside the dash.
            self._edit(start, node.value[index + 1][0].start_mark.index, "")
        else:
            raise _Fallback

    def _block_sequence(self, node: SequenceNode, old: list[Any], new: list[Any]) -> None:
        if len(node.value) != len(old):
            raise _Fallback
        flow_items = any(getattr(item, "flow_style", False) for item in node.value)
        matcher = difflib.SequenceMatcher(
            a=[_identity(item) for item in old], b=[_identity(item) for item in new], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
            for offset in range(paired):
                self.patch(node.value[i1 + offset], old[i1 + offset], new[j1 + offset])
            for index in range(i1 + paired, i2):
                self._delete_item(node.value[index])
            for index in range(j1 + paired, j2):
                self._insert_item(node, i1 + paired, new[index], flow=flow_items)

    def _dash(self, item: Node) -> int:
        dash = self.text.rfind("-", 0, item.start_mark.index)
        if dash < 0 or not self.starts_line(dash):
            raise _Fallback
        return dash

    def _delete_item(self, item: Node) -> None:
        dash = self._dash(item)
        end = self.line_end(self.end(item))
        self._edit(self.line_start(dash), min(end + 1, len(self.text)), "")

    def _insert_item(self, node: SequenceNode, before: int, value: Any, *, flow: bool) -> None:
        column = self._dash(node.value[0]) - self.line_start(self._dash(node.value[0]))
        written = "- " + _item(value, column + 2, flow=flow)
        if before < len(node.value):
            at = self.line_start(self._dash(node.value[before]))
            self._edit(at, at, " " * column + written + "\n")
        else:
            at = self.line_end(self.end(node.value[-1]))
            self._edit(at, at, "\n" + " " * column + written)


def _identity(item: Any) -> str:
    """What matches an item of the old list to one of the new: its id, else its content."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return "id:" + str(item["id"])
    return json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
