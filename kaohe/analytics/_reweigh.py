"""Moving weight between a scheme's indicators, for the weight advice: the next cycle's
scheme with more weight where the signals say it matters now, or a stage's weights.

An indicator's *weight* is its share of the total score: its dimension's weight × its
points ÷ the dimension's points (the director's key-account relationships, 10 of the
capability dimension's 80 points at 85 %, weigh 10.6). A raise of w points of weight is
made inside the indicator's dimension, so that the dimensions' weights, and their sum of
100, stay as they are:

- the indicator gains w × P ÷ W points (P the dimension's points, W its weight), rounded
  down to the dimension's *step* — 1 point, or 0.5 or 0.1 where a point weighs more than
  2.5 or 5 points of weight — so that it never gains more than was asked;
- the other indicators of the dimension give those points up in proportion to their own
  points, by the largest-remainder method on the same step, so that the dimension keeps
  its points (and so each of them keeps its share of what is left);
- no indicator moves by more than 5 points of weight, up or down, and the others keep at
  least half their points together: a raise that would go further is made a step smaller
  until it does not;
- each indicator that moves has its rule's points scaled with it (tiers, levels, full
  points, falloff, base and deduction, points per event and cap), rounded half up to half
  a point (a tenth on a 0.1 step); the top of the rule becomes the new points exactly.

Several raises in one dimension share the others' points. An indicator alone in its
dimension, or whose dimension's other indicators are all raised, is not raised, and the
proposal says why. The scheme is edited as its YAML text with ``edit_yaml`` (only the
changed numbers differ) and must pass the linter, or no change is proposed.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import yaml

from kaohe.core import Finding, Scheme, SchemeError, Text, edit_yaml, has_errors, lint, load_text

MOST_SHIFT = Fraction(5)  # points of weight an indicator moves, up or down, at most
KEEP_SHARE = Fraction(1, 2)  # of their points, the others keep at least this much together


class ReweighError(ValueError):
    """A scheme text the advice cannot edit (unreadable, or listing only a template's
    changes)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True, slots=True)
class Raise:
    """More weight asked for on one indicator, and why."""

    indicator: str
    weight: Decimal  # points of weight (share of the total score), 1–5
    reason: Text


@dataclass(frozen=True, slots=True)
class Change:
    """One indicator's points and weight before and after, and why it moved."""

    dimension: str
    indicator: str
    name: Text
    points_before: Decimal
    points_after: Decimal
    weight_before: Decimal  # share of the total score, % (four decimals)
    weight_after: Decimal
    reason: Text
    raised: bool  # asked for, rather than giving way to another


@dataclass(frozen=True, slots=True)
class Skipped:
    indicator: str
    reason: Text


@dataclass(frozen=True, slots=True)
class Proposed:
    text: str  # the scheme's text with the new weights; the old text when nothing changed
    changes: tuple[Change, ...]
    skipped: tuple[Skipped, ...]
    findings: tuple[Finding, ...]  # the linter's, on the proposed scheme


def propose(text: str, raises: Sequence[Raise]) -> Proposed:
    """The scheme's text with these raises made, as the rules above say."""
    data = _data(text)
    new = copy.deepcopy(data)
    changes: list[Change] = []
    skipped: list[Skipped] = []
    wanted = _combined(raises)
    known = {i["id"] for d in data["dimensions"] for i in d.get("indicators") or []}
    skipped += [
        Skipped(name, Text("方案中没有这项指标", "the scheme has no such indicator"))
        for name in wanted
        if name not in known
    ]
    for old, dimension in zip(data["dimensions"], new["dimensions"], strict=True):
        own = {
            i["id"]: wanted[i["id"]] for i in dimension.get("indicators") or [] if i["id"] in wanted
        }
        if own:
            moved, refused = _reweigh_dimension(dimension, own)
            skipped += refused
            changes += _changes(old, dimension, moved, own)
    return _checked(text, new, changes, skipped)


def propose_stage(text: str, base_text: str, stage_text: str, reason: Text) -> Proposed:
    """The scheme's text moved to a stage's weights: wherever the stage template differs
    from the template it extends (a dimension's weight, an indicator's points and rule),
    the scheme takes the stage's. An indicator the scheme lacks, or whose rule reads other
    inputs than the template's, is skipped, and then nothing is proposed."""
    data, base, stage = _data(text), _data(base_text), _data(stage_text)
    new = copy.deepcopy(data)
    base_dimensions = {d["id"]: d for d in base["dimensions"]}
    here = {d["id"]: d for d in new["dimensions"]}
    skipped: list[Skipped] = []
    for shifted in stage["dimensions"]:
        before, mine = base_dimensions.get(shifted["id"]), here.get(shifted["id"])
        if before is None:
            continue
        if shifted.get("weight") != before.get("weight") and mine is not None:
            mine["weight"] = shifted["weight"]
        skipped += _stage_indicators(shifted, before, mine)
    if skipped:
        return Proposed(text, (), tuple(skipped), ())
    changes: list[Change] = []
    for old, dimension in zip(data["dimensions"], new["dimensions"], strict=True):
        changes += _changes(old, dimension, set(), {}, stage_reason=reason)
    return _checked(text, new, changes, [])


def repoint(text: str, points: Mapping[str, Decimal]) -> str:
    """The scheme's text with these indicators' points set (HR editing a proposal), each
    rule scaled with its points as a proposal scales them; the rest of the text as it is."""
    data = _data(text)
    new = copy.deepcopy(data)
    for dimension in new["dimensions"]:
        indicators = dimension.get("indicators") or []
        total = sum((_number(i["max_points"]) for i in indicators), Fraction(0))
        per_point = _number(dimension["weight"]) / total if total else Fraction(1)
        step = _step(per_point)
        for indicator in indicators:
            if indicator["id"] not in points:
                continue
            wanted, old = Fraction(points[indicator["id"]]), _number(indicator["max_points"])
            if wanted <= 0:
                raise ReweighError(
                    Text(
                        f"指标 {indicator['id']} 的分值须大于 0",
                        f"indicator {indicator['id']}: points must be above 0",
                    )
                )
            if wanted != old:
                _set_points(indicator, old, wanted, step)
    return edit_yaml(text, new)


def indicators_reading(
    scheme: Scheme, metrics: frozenset[str], inputs: frozenset[str]
) -> list[str]:
    """The indicators whose rule reads an input fed by one of these catalog metrics, or one
    of these inputs, in the scheme's order."""
    found = []
    for indicator in scheme.indicators():
        for name in indicator.inputs:
            spec = scheme.inputs.get(name)
            fed = spec is not None and spec.metric is not None and spec.metric.metric in metrics
            if fed or name in inputs:
                found.append(indicator.id)
                break
    return found


def indicator_weights(data: Mapping[str, Any]) -> dict[str, Fraction]:
    """Each indicator's share of the total score, in points of weight."""
    weights: dict[str, Fraction] = {}
    for dimension in data["dimensions"]:
        indicators = dimension.get("indicators") or []
        total = sum((_number(i["max_points"]) for i in indicators), Fraction(0))
        for indicator in indicators:
            share = _number(indicator["max_points"]) / total if total else Fraction(0)
            weights[indicator["id"]] = _number(dimension["weight"]) * share
    return weights


# --- one dimension ---------------------------------------------------------------------------


def _reweigh_dimension(
    dimension: dict[str, Any], wanted: Mapping[str, tuple[Fraction, list[Text]]]
) -> tuple[set[str], list[Skipped]]:
    """Make the raises in the dimension (its data changed in place); the indicators moved,
    and the raises refused."""
    indicators = {i["id"]: i for i in dimension["indicators"]}
    points = {name: _number(i["max_points"]) for name, i in indicators.items()}
    total, weight = sum(points.values(), Fraction(0)), _number(dimension["weight"])
    per_point = weight / total
    step = _step(per_point)
    donors = [name for name in indicators if name not in wanted]
    if not donors:
        why = Text(
            "同一维度中没有可以让出分值的其他指标",
            "no other indicator of its dimension to take the weight from",
        )
        return set(), [Skipped(name, why) for name in wanted]
    if step * per_point > MOST_SHIFT:
        why = Text(
            "该维度每一分的权重超过 5，无法小幅调整", "a point of its dimension weighs more than 5"
        )
        return set(), [Skipped(name, why) for name in wanted]
    gains = {name: _floor(asked / per_point, step) for name, (asked, _why) in wanted.items()}
    losses = _fitted(gains, {name: points[name] for name in donors}, step, per_point)
    refused = [
        Skipped(
            name, Text("可调整的幅度不足一个步长", "less than one step of its dimension to move")
        )
        for name, gain in gains.items()
        if gain == 0
    ]
    moved = set()
    for name, change in [*gains.items(), *((n, -loss) for n, loss in losses.items())]:
        if change:
            _set_points(indicators[name], points[name], points[name] + change, step)
            moved.add(name)
    return moved, refused


def _fitted(
    gains: dict[str, Fraction], donors: dict[str, Fraction], step: Fraction, per_point: Fraction
) -> dict[str, Fraction]:
    """The donors' losses for the gains, the gains made smaller (in place) until no donor
    loses more than the most a weight may move and the donors keep their share."""
    keep = sum(donors.values(), Fraction(0)) * KEEP_SHARE
    while True:
        total = sum(gains.values(), Fraction(0))
        losses = _largest_remainder(total, donors, step)
        too_far = any(loss * per_point > MOST_SHIFT for loss in losses.values())
        if total == 0 or not (too_far or total > sum(donors.values()) - keep):
            return losses
        largest = max(gains, key=lambda name: gains[name])
        gains[largest] -= step


def _largest_remainder(
    total: Fraction, donors: dict[str, Fraction], step: Fraction
) -> dict[str, Fraction]:
    """``total`` split over the donors in proportion to their points, in whole steps: each
    its share rounded down, the steps left over to the largest remainders (the first of
    equal ones)."""
    units = int(total / step)
    whole = sum(donors.values(), Fraction(0))
    quotas = {name: units * own / whole for name, own in donors.items()}
    given = {name: math.floor(quota) for name, quota in quotas.items()}
    left = units - sum(given.values())
    by_remainder = sorted(donors, key=lambda name: -(quotas[name] - given[name]))
    for name in by_remainder[:left]:
        given[name] += 1
    return {name: count * step for name, count in given.items()}


def _set_points(indicator: dict[str, Any], old: Fraction, new: Fraction, step: Fraction) -> None:
    grid = Fraction(1, 2) if step >= Fraction(1, 2) else Fraction(1, 10)
    indicator["max_points"] = _written(new)
    factor = new / old
    rule = indicator.get("rule")
    if isinstance(rule, dict):
        _scale_rule(rule, factor, grid, top=new)


def _scale_rule(rule: dict[str, Any], factor: Fraction, grid: Fraction, top: Fraction) -> None:
    def scaled(value: Any) -> Any:
        exact = _number(value) * factor
        return _written(top if exact == top else _rounded(exact, grid))

    kind = rule.get("kind")
    for key in {"linear": ("points",), "range": ("points",), "checks": ("base", "deduction"),
                "events": ("base", "per_event", "cap")}.get(str(kind), ()):  # fmt: skip
        if key in rule:
            rule[key] = scaled(rule[key])
    if kind == "range" and isinstance(rule.get("falloff"), dict) and "points" in rule["falloff"]:
        rule["falloff"]["points"] = scaled(rule["falloff"]["points"])
    for key in ("tiers", "levels"):
        for item in rule.get(key) or []:
            if isinstance(item, dict) and "points" in item:
                item["points"] = scaled(item["points"])


# --- stages ----------------------------------------------------------------------------------


def _stage_indicators(
    shifted: Mapping[str, Any], before: Mapping[str, Any], mine: dict[str, Any] | None
) -> list[Skipped]:
    """The stage's changed indicators made in the scheme's dimension; those it cannot."""
    base_indicators = {i["id"]: i for i in before.get("indicators") or []}
    own = {i["id"]: i for i in (mine or {}).get("indicators") or []}
    skipped = []
    for indicator in shifted.get("indicators") or []:
        original = base_indicators.get(indicator["id"])
        if original is None:
            continue
        if indicator.get("max_points") == original.get("max_points") and indicator.get(
            "rule"
        ) == original.get("rule"):
            continue
        target = own.get(indicator["id"])
        if target is None or _inputs_of(target.get("rule")) != _inputs_of(original.get("rule")):
            skipped.append(Skipped(indicator["id"], Text(
                "方案中没有这项指标，或其规则读取的输入与模板不同",
                "the scheme lacks the indicator, or reads other inputs for it than the template",
            )))  # fmt: skip
            continue
        target["max_points"] = indicator["max_points"]
        target["rule"] = copy.deepcopy(indicator["rule"])
    return skipped


def _inputs_of(rule: Any) -> set[str]:
    if not isinstance(rule, dict):
        return set()
    found = {str(rule["input"])} if "input" in rule else set()
    return found | {str(c.get("input")) for c in rule.get("checks") or [] if isinstance(c, dict)}


# --- shared ----------------------------------------------------------------------------------


def _data(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("dimensions"), list):
        raise ReweighError(Text("方案文本无法读取", "the scheme's text cannot be read"))
    if "extends" in data:
        raise ReweighError(Text(
            "该方案继承自模板，只列出改动之处；请先复制完整的模板",
            "the scheme extends a template and lists only its changes; copy the template whole",
        ))  # fmt: skip
    return data


def _combined(raises: Sequence[Raise]) -> dict[str, tuple[Fraction, list[Text]]]:
    """The raises by indicator: their weights added up (at most the most one may move), and
    their reasons."""
    wanted: dict[str, tuple[Fraction, list[Text]]] = {}
    for one in raises:
        asked, reasons = wanted.get(one.indicator, (Fraction(0), []))
        wanted[one.indicator] = (
            min(MOST_SHIFT, asked + Fraction(one.weight)),
            [*reasons, one.reason],
        )
    return wanted


def _changes(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    moved: set[str],
    wanted: Mapping[str, tuple[Fraction, list[Text]]],
    stage_reason: Text | None = None,
) -> list[Change]:
    before, after = (
        indicator_weights({"dimensions": [old]}),
        indicator_weights({"dimensions": [new]}),
    )
    raised = [i for i in new["indicators"] if i["id"] in wanted and i["id"] in moved]
    names = [_name(i) for i in raised]
    room = Text(
        "为「" + "」「".join(n.zh for n in names) + "」让出分值",
        "giving way to " + ", ".join(n.en for n in names),
    )
    changes = []
    for was, now in zip(old["indicators"], new["indicators"], strict=True):
        name = now["id"]
        if was.get("max_points") == now.get("max_points") and before[name] == after[name]:
            continue
        if stage_reason is not None:
            reason, up = stage_reason, after[name] > before[name]
        elif name in wanted:
            reasons = wanted[name][1]
            reason = Text("".join(r.zh for r in reasons), " ".join(r.en for r in reasons))
            up = True
        else:
            reason, up = room, False
        changes.append(Change(
            new["id"], name, _name(now), _decimal(_number(was["max_points"])),
            _decimal(_number(now["max_points"])), _decimal(before[name]), _decimal(after[name]),
            reason, up,
        ))  # fmt: skip
    return changes


def _checked(
    text: str, data: dict[str, Any], changes: list[Change], skipped: list[Skipped]
) -> Proposed:
    if not changes:
        return Proposed(text, (), tuple(skipped), ())
    edited = edit_yaml(text, data)
    try:
        findings = tuple(lint(load_text(edited, display="proposal")))
    except SchemeError as error:
        why = Text(
            f"改动后的方案无法载入：{error.message('zh')}",
            f"the changed scheme does not load: {error}",
        )
        return Proposed(text, (), (*skipped, Skipped("", why)), ())
    if has_errors(list(findings)):
        why = Text("改动后的方案未通过检查", "the changed scheme does not pass the linter")
        return Proposed(text, (), (*skipped, Skipped("", why)), findings)
    return Proposed(edited, tuple(changes), tuple(skipped), findings)


def _name(indicator: Mapping[str, Any]) -> Text:
    name = indicator.get("name")
    if isinstance(name, dict):
        return Text(str(name.get("zh") or indicator["id"]), str(name.get("en") or indicator["id"]))
    shown = str(name or indicator["id"])
    return Text(shown, shown)


def _number(value: Any) -> Fraction:
    return Fraction(Decimal(str(value)))


def _step(per_point: Fraction) -> Fraction:
    """The points an indicator moves by: 1, or less where a point weighs much."""
    if per_point <= Fraction(5, 2):
        return Fraction(1)
    return Fraction(1, 2) if per_point <= 5 else Fraction(1, 10)


def _floor(value: Fraction, step: Fraction) -> Fraction:
    return math.floor(value / step) * step


def _rounded(value: Fraction, grid: Fraction) -> Fraction:
    """Half up, away from zero for a negative value (a penalty per event)."""
    units = math.floor(abs(value) / grid + Fraction(1, 2))
    return units * grid if value >= 0 else -units * grid


def _written(value: Fraction) -> int | float:
    """A number as the scheme's YAML writes it: 20, not 20.0; 7.5 as it is."""
    if value.denominator == 1:
        return int(value)
    return float(Decimal(value.numerator) / Decimal(value.denominator))


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))
