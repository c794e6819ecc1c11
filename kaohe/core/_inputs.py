"""Inputs: the named values a scheme reads, their kinds and ranges, and parsing them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from ._errors import InputError, quoted
from ._metric_key import MetricKey
from ._text import Text, fmt, fmt_near
from ._units import Duration, convert

if TYPE_CHECKING:
    from ._feed import Feed


class InputKind(StrEnum):
    PERCENT = "percent"  # a rate, 0–100
    LEVEL = "level"  # a whole rating level, 1–5 unless stated
    COUNT = "count"  # a whole number of events, ≥ 0
    NUMBER = "number"  # any number, optionally bounded


_DEFAULT_BOUNDS: dict[InputKind, tuple[Decimal | None, Decimal | None]] = {
    InputKind.PERCENT: (Decimal(0), Decimal(100)),
    InputKind.LEVEL: (Decimal(1), Decimal(5)),
    InputKind.COUNT: (Decimal(0), None),
    InputKind.NUMBER: (None, None),
}


_WHOLE = frozenset((InputKind.LEVEL, InputKind.COUNT))


def default_bounds(kind: InputKind) -> tuple[Decimal | None, Decimal | None]:
    return _DEFAULT_BOUNDS[kind]


_KIND_NAMES = {
    InputKind.PERCENT: Text("百分比", "percent"),
    InputKind.LEVEL: Text("等级", "level"),
    InputKind.COUNT: Text("次数", "count"),
    InputKind.NUMBER: Text("数值", "number"),
}


def kind_name(kind: InputKind) -> Text:
    """What an error calls a kind of input: 等级 / level."""
    return _KIND_NAMES[kind]


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input a scheme reads, e.g. ``csat`` (a percentage) or ``coordination`` (a level)."""

    name: str
    kind: InputKind
    label: Text
    unit: Text | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    # The KPI that feeds this input (see MetricKey); None for values a person enters.
    metric: MetricKey | None = None
    # A duration's unit, when the scheme names one (``unit: minutes``); ``unit`` is then
    # its label.
    duration: Duration | None = None
    # Another kaohe source that feeds it (360 reviews, incidents, goals); None when a
    # metric feeds it or a person enters it.
    feed: Feed | None = None

    @property
    def manual(self) -> bool:
        """Whether a person enters this value: no metric and no other source feeds it."""
        return self.metric is None and self.feed is None

    def parse(self, raw: object) -> Decimal:
        """Turn a raw value (number or numeric string) into a checked Decimal."""
        value = _to_decimal(self.name, raw)
        if self.kind in _WHOLE and value != value.to_integral_value():
            raise InputError(
                self.name,
                Text(
                    f"{fmt(value)} 不是整数，{kind_name(self.kind).zh}只能填整数",
                    f"{fmt(value)} is not a whole number ({self.kind})",
                ),
            )
        if self.minimum is not None and value < self.minimum:
            raise self._out_of_range(value, Text("低于下限", "is below the minimum"))
        if self.maximum is not None and value > self.maximum:
            raise self._out_of_range(value, Text("超过上限", "is above the maximum"))
        return value

    def _out_of_range(self, value: Decimal, how: Text) -> InputError:
        shown, allowed = fmt(value), self.range_text()
        return InputError(
            self.name,
            Text(f"{shown} {how.zh}，取值范围为 {allowed}", f"{shown} {how.en} {allowed}"),
        )

    def show(self, value: Decimal, boundaries: Iterable[Decimal] = ()) -> Text:
        """A value rounded for people, with its unit: rates to one decimal (``93.1%``),
        levels and counts whole, other numbers to two decimals (``7.25 分钟``). Near one of
        ``boundaries`` (a tier's limit, say) more decimals show, so that a value never
        reads as a limit it does not reach."""
        if self.kind is InputKind.PERCENT:
            number = fmt_near(value, 1, boundaries)
            return Text(number + "%", number + "%")
        number = fmt(value) if self.kind in _WHOLE else fmt_near(value, 2, boundaries)
        if self.unit is None:
            return Text(number, number)
        return Text(f"{number} {self.unit.zh}", f"{number} {self.unit.en}")

    def labelled(self, value: Decimal, boundaries: Iterable[Decimal] = ()) -> Text:
        """``客户满意度 92%`` / ``Customer satisfaction 92%``."""
        shown = self.show(value, boundaries)
        return Text(f"{self.label.zh} {shown.zh}", f"{self.label.en} {shown.en}")

    def from_metric(self, value: Decimal) -> Decimal:
        """A metric's value in this input's unit: a metric in seconds feeding an input in
        minutes is divided by 60; anything else passes as it is."""
        source = None if self.metric is None else self.metric.duration
        if source is None or self.duration is None:
            return value
        return convert(value, source, self.duration)

    def range_text(self) -> str:
        low = "−∞" if self.minimum is None else fmt(self.minimum)
        high = "∞" if self.maximum is None else fmt(self.maximum)
        return f"[{low}, {high}]"


def _to_decimal(name: str, raw: object) -> Decimal:
    # The common cases first, by exact type: this runs for every value of every appraisal.
    kind = type(raw)
    if kind is int:
        return Decimal(cast(int, raw))
    if kind is float and math.isfinite(cast(float, raw)):
        # Through repr so that 92.1 stays 92.1 and does not become 92.09999…
        return Decimal(repr(raw))
    if kind is Decimal and cast(Decimal, raw).is_finite():
        return cast(Decimal, raw)
    return _to_decimal_slowly(name, raw)


def _to_decimal_slowly(name: str, raw: object) -> Decimal:
    if isinstance(raw, bool):
        got = str(raw).lower()
        raise InputError(
            name, Text(f"应为数字，实际为「{got}」（是/否）", f"expected a number, got {raw!r}")
        )
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        try:
            value = Decimal(raw.strip().removesuffix("%").strip())
        except InvalidOperation:
            raise InputError(
                name, Text(f"应为数字，实际为「{raw}」", f"expected a number, got {raw!r}")
            ) from None
    else:
        got = _CONTAINERS_ZH.get(type(raw), f"「{type(raw).__name__}」类型的值")
        raise InputError(
            name, Text(f"应为数字，实际为{got}", f"expected a number, got {type(raw).__name__}")
        )
    if not value.is_finite():
        raise InputError(
            name, Text(f"应为具体的数值，不能是「{raw}」", f"expected a finite number, got {raw!r}")
        )
    return value


_CONTAINERS_ZH: dict[type, str] = {list: "列表", tuple: "列表", dict: "一组键值", set: "集合"}


def parse_values(
    specs: Mapping[str, InputSpec], raw: Mapping[str, object]
) -> dict[str, Decimal | None]:
    """Check raw values against a scheme's inputs; None means the value is missing."""
    if not specs.keys() >= raw.keys():
        unknown = sorted(raw.keys() - specs.keys())
        known = sorted(specs)
        raise InputError(
            unknown[0],
            Text(
                f"方案中没有这项输入（方案的输入有：{quoted(known)}）",
                f"the scheme reads no such input (it reads: {', '.join(known)})",
            ),
        )
    parsed: dict[str, Decimal | None] = {}
    for name, spec in specs.items():
        value = raw.get(name)
        blank = value is None or (type(value) is str and not value.strip())
        parsed[name] = None if blank else spec.parse(value)
    return parsed
