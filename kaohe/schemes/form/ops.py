"""What the form's buttons do to the scheme's data: add or remove a row, an indicator, a
dimension or an input; change a rule's kind; write out the grade bands to change them."""

from __future__ import annotations

import copy
import re
from typing import Any

from django.utils.translation import gettext as _

from kaohe.core import DEFAULT_GRADES

from .fields import Path, get, remove

CODE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def parse_path(name: str) -> Path:
    """``f/dimensions/0/weight`` → ``("dimensions", 0, "weight")``."""
    parts = name.removeprefix("f/").split("/") if name.startswith("f/") else []
    return tuple(int(part) if part.isdigit() else part for part in parts)


def apply_op(data: dict[str, Any], op: str, posted: Any) -> str | None:
    """Apply one button; an op the form does not offer is ignored. Returns what stopped it,
    worded for the person, if anything did."""
    verb, _sep, target = op.partition(":")
    path = parse_path(target)
    if verb == "add-row" and isinstance(get(data, path), list):
        _add_row(data, path)
        _sync_levels(data, path)
    elif verb == "remove" and path and path[0] in ("dimensions", "grades", "inputs"):
        remove(data, path)
        _sync_levels(data, path[:-1])
    elif verb == "kind" and path[-1:] == ("rule",) and isinstance(get(data, path), dict):
        kind = posted.get("f/" + "/".join(map(str, (*path, "kind"))), "")
        _set_kind(data, path, kind)
    elif verb == "add-indicator" and isinstance(get(data, (*path, "indicators")), list):
        if not _add_indicator(data, path, posted.get(f"new-indicator/{target}", "").strip()):
            return bad_code()
    elif verb == "add-dimension" and isinstance(data.get("dimensions"), list):
        if not _add_dimension(data, posted.get("new-dimension", "").strip()):
            return bad_code()
    elif verb == "add-input" and isinstance(data.get("inputs"), dict):
        code = posted.get("new-input", "").strip()
        if not CODE.match(code) or code in data["inputs"]:
            return bad_code()
        data["inputs"][code] = {"kind": "percent", "name": {"zh": code, "en": code}}
    elif verb == "custom-grades" and "grades" not in data:
        data["grades"] = grades_data()
    return None


def bad_code() -> str:
    return _(
        "Not added: give a code of lowercase letters, digits and underscores that starts "
        "with a letter and is not used yet, e.g. first_call_resolution."
    )


def grades_data() -> list[dict[str, Any]]:
    """The default grade bands as a scheme writes them."""
    return [
        {
            "grade": band.grade,
            "min": _plain(band.minimum),
            "coefficient": float(band.coefficient),
            "label": {"zh": band.label.zh, "en": band.label.en},
            "actions": {"zh": band.actions.zh, "en": band.actions.en},
        }
        for band in DEFAULT_GRADES.bands
    ]


def _plain(value: Any) -> int | float:
    return int(value) if value == int(value) else float(value)


def _add_row(data: dict[str, Any], path: Path) -> None:
    rows = get(data, path)
    kind = path[-1]
    if kind == "tiers":
        # A new tier goes above the catch-all last tier, copying its neighbour's threshold.
        last = rows[-1] if rows else {}
        before = rows[-2] if len(rows) > 1 else {}
        bound = next((k for k in ("min", "above", "max", "below") if k in before), "min")
        new = {bound: before.get(bound, 0), "points": 0}
        rows.insert(
            len(rows) - 1
            if rows and not set(last) & {"min", "above", "max", "below"}
            else len(rows),
            new,
        )
    elif kind == "levels":
        rows.append({"points": 0, "anchor": _anchor(len(rows) + 1)})
    elif kind == "checks":
        first = rows[0]["input"] if rows and isinstance(rows[0], dict) else ""
        rows.append({"input": first, "min": 0})
    elif kind == "grades":
        rows.append(
            {
                "grade": "",
                "min": 0,
                "coefficient": 0,
                "label": {"zh": "", "en": ""},
                "actions": {"zh": "", "en": ""},
            }
        )


def _anchor(level: int) -> dict[str, str]:
    """A level's anchor until HR words it: the scheme loads, and the preview keeps going."""
    return {"zh": f"第 {level} 级（待填写）", "en": f"level {level} (to be described)"}


def _sync_levels(data: dict[str, Any], rows: Path) -> None:
    """A level input takes as many levels as its rule lists: adding or removing a level
    moves the input's highest value with it."""
    if rows[-1:] != ("levels",):
        return
    rule = get(data, rows[:-1])
    spec = (data.get("inputs") or {}).get(rule.get("input")) if isinstance(rule, dict) else None
    if isinstance(spec, dict) and spec.get("kind") == "level":
        count = len(get(data, rows))
        if spec.get("max", 5) != count:
            spec["max"] = count


def skeleton(kind: str, reads: str, points: Any) -> dict[str, Any]:
    """A rule of ``kind`` worth ``points`` reading ``reads``, for the person to fill in."""
    if kind == "tiers":
        return {
            "kind": "tiers",
            "input": reads,
            "tiers": [{"min": 90, "points": points}, {"points": 0}],
        }
    if kind == "linear":
        return {"kind": "linear", "input": reads, "floor": 0, "target": 100, "points": points}
    if kind == "range":
        return {"kind": "range", "input": reads, "low": 0, "high": 100, "points": points}
    if kind == "checks":
        return {
            "kind": "checks",
            "base": points,
            "deduction": points,
            "checks": [{"input": reads, "min": 100}],
        }
    if kind == "levels":
        step = points / 5 if isinstance(points, int | float) else 1
        levels = [{"points": _plain(round(step * n, 2)), "anchor": _anchor(n)} for n in range(1, 6)]
        return {"kind": "levels", "input": reads, "levels": levels}
    return {"kind": "events", "input": reads, "base": 0, "per_event": 1, "cap": points}


def _set_kind(data: dict[str, Any], path: Path, kind: str) -> None:
    rule = get(data, path)
    if kind == rule.get("kind") or kind not in (
        "tiers",
        "linear",
        "range",
        "checks",
        "levels",
        "events",
    ):
        return
    indicator = get(data, path[:-1])
    reads = rule.get("input") or next(
        (c.get("input") for c in rule.get("checks", []) if isinstance(c, dict)), ""
    )
    indicator["rule"] = skeleton(kind, reads, indicator.get("max_points", 10))


def _add_indicator(data: dict[str, Any], dimension: Path, code: str) -> bool:
    if not CODE.match(code) or _indicator_ids(data) & {code}:
        return False
    inputs = data.get("inputs") or {}
    reads = code if code in inputs else next(iter(inputs), "")
    get(data, (*dimension, "indicators")).append(
        {
            "id": code,
            "name": {"zh": code, "en": code},
            "max_points": 10,
            "rule": skeleton("linear", reads, 10),
        }
    )
    return True


def _indicator_ids(data: dict[str, Any]) -> set[str]:
    return {
        indicator.get("id")
        for dimension in data.get("dimensions") or []
        if isinstance(dimension, dict)
        for indicator in dimension.get("indicators") or []
        if isinstance(indicator, dict)
    }


def _add_dimension(data: dict[str, Any], code: str) -> bool:
    ids = {d.get("id") for d in data["dimensions"] if isinstance(d, dict)}
    if not CODE.match(code) or code in ids:
        return False
    data["dimensions"].append(
        {"id": code, "name": {"zh": code, "en": code}, "weight": 0, "indicators": []}
    )
    return True


def copied(data: Any) -> Any:
    return copy.deepcopy(data)
