"""``extends``: a scheme file that starts from another and changes only what differs.

Merging rules, in the order they apply:
- top-level fields of the extending file replace the base's; ``abstract`` is not inherited;
- ``inputs`` merge by name, an input of the extending file replacing the base's whole;
- ``dimensions`` merge by id, and within a dimension ``indicators`` merge by id: the base's
  order is kept, new entries are appended, an entry's fields replace the base's fields one
  by one (a ``rule`` is replaced whole), and ``remove: true`` drops the entry.
"""

from __future__ import annotations

from typing import Any

from ._yamlfile import Positions


def merge_scheme(
    base: dict[Any, Any], child: dict[Any, Any], positions: Positions
) -> dict[Any, Any]:
    result = positions.merged(base, child)
    result.pop("extends", None)
    if "abstract" not in child:
        result.pop("abstract", None)
    if isinstance(base.get("inputs"), dict) and isinstance(child.get("inputs"), dict):
        result["inputs"] = positions.merged(base["inputs"], child["inputs"])
    if isinstance(base.get("dimensions"), list) and isinstance(child.get("dimensions"), list):
        result["dimensions"] = _merge_by_id(
            base["dimensions"], child["dimensions"], positions, nested="indicators"
        )
    return result


def _merge_by_id(
    base: list[Any], child: list[Any], positions: Positions, nested: str | None
) -> list[Any]:
    entries: dict[object, tuple[object, Any]] = {}
    order: list[object] = []
    for source in (base, child):
        for index, item in enumerate(source):
            key = item.get("id") if isinstance(item, dict) else None
            # Entries without an id cannot be matched; keep them so validation reports them.
            key = key if key is not None else ("no id", id(item))
            where = positions.of_item(source, index)
            if key in entries and source is child:
                entries[key] = (_merge_entry(entries[key][0], item, positions, nested), where)
            else:
                if key not in entries:
                    order.append(key)
                entries[key] = (item, where)
    kept = [entries[key] for key in order if not _removed(entries[key][0])]
    return positions.listed([(item, where) for item, where in kept])


def _merge_entry(
    base: object, child: dict[Any, Any], positions: Positions, nested: str | None
) -> object:
    if child.get("remove") is True or not isinstance(base, dict):
        return child
    merged = positions.merged(base, child)
    if nested and isinstance(base.get(nested), list) and isinstance(child.get(nested), list):
        merged[nested] = _merge_by_id(base[nested], child[nested], positions, nested=None)
    return merged


def _removed(item: object) -> bool:
    return isinstance(item, dict) and item.get("remove") is True
