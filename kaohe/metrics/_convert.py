"""Turning cells into typed values, one column kind at a time; each raises ``BadCell`` (a
ValueError) with the reason in both languages, as the import report shows it."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kaohe.core import Text

from ._errors import BadCell
from ._sources import Column, Kind

TRUE = {"1", "true", "yes", "y", "是", "t"}
FALSE = {"0", "false", "no", "n", "否", "f"}

LARGEST_WHOLE = 10**15 - 1  # fifteen digits: exact as a float, and in the fast path's pattern

Converter = Callable[[object], object]


def converter(column: Column, zone: ZoneInfo) -> Converter:
    """A function from a non-empty cell to the column's value."""
    if column.kind is Kind.TEXT:
        return _text
    if column.kind is Kind.INT:
        return _bounded(column)
    if column.kind is Kind.NUMBER:
        return _number(column)
    if column.kind is Kind.TIMESTAMP:
        return _timestamp(zone)
    if column.kind is Kind.BOOL:
        return _boolean
    return _choice(column)


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # an id typed into Excel comes back as 1001.0
    return str(cell).strip()


def _whole(cell: object) -> int:
    try:
        value = cell if isinstance(cell, int) else float(str(cell))
    except (TypeError, ValueError):
        raise _not_whole(cell) from None
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        raise _not_whole(cell)
    if value < 0:
        raise BadCell(Text(f"不能为负数：{cell!r}", f"must not be negative: {cell!r}"))
    if value > LARGEST_WHOLE:
        raise BadCell(Text(f"数值过大：{cell!r}（最多 15 位）", f"too large: {cell!r}"))
    return int(value)


def _bounded(column: Column) -> Converter:
    """A whole number within the column's bounds (a transcript's turn is 1 or more)."""

    def convert(cell: object) -> int:
        value = _whole(cell)
        _within(column, value)
        return value

    return convert


def _within(column: Column, value: float) -> None:
    low, high = column.minimum, column.maximum
    if low is not None and value < low:
        raise BadCell(Text(f"{value:g} 小于下限 {low:g}", f"{value:g} is below {low:g}"))
    if high is not None and value > high:
        raise BadCell(Text(f"{value:g} 超过上限 {high:g}", f"{value:g} is above {high:g}"))


def _not_whole(cell: object) -> BadCell:
    return BadCell(Text(f"不是整数：{cell!r}", f"not a whole number: {cell!r}"))


def _not_number(cell: object) -> BadCell:
    return BadCell(Text(f"不是数字：{cell!r}", f"not a number: {cell!r}"))


def _number(column: Column) -> Converter:
    def convert(cell: object) -> float:
        try:
            value = float(cell)  # type: ignore[arg-type]  # any cell; ValueError if not numeric
        except (TypeError, ValueError):
            raise _not_number(cell) from None
        if not math.isfinite(value):
            raise _not_number(cell)
        _within(column, value)
        return value

    return convert


def _timestamp(zone: ZoneInfo) -> Converter:
    def convert(cell: object) -> datetime:
        if isinstance(cell, datetime):
            moment = cell
        else:
            text = str(cell).strip()
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                try:
                    moment = datetime.fromisoformat(text.replace("/", "-"))
                except ValueError:
                    raise BadCell(
                        Text(
                            f"不是有效的时间：{text!r}（请使用 ISO 8601 格式，"
                            "例如 2026-09-01 08:30:00）",
                            f"not a time: {text!r} (use ISO 8601, e.g. 2026-09-01 08:30:00)",
                        )
                    ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(UTC)

    return convert


def _boolean(cell: object) -> bool:
    if isinstance(cell, bool):
        return cell
    word = _text(cell).lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise BadCell(
        Text(
            f"应填 1/0、true/false 或 是/否，而不是 {cell!r}",
            f"expected 1/0, true/false or 是/否, got {cell!r}",
        )
    )


def _choice(column: Column) -> Converter:
    def convert(cell: object) -> str:
        value = column.choices.get(_text(cell).lower())
        if value is None:
            allowed = ", ".join(sorted(set(column.choices.values())))
            raise BadCell(
                Text(
                    f"无法识别的值 {cell!r}（可填：{'、'.join(column.spellings())}）",
                    f"unknown value {cell!r} (use {allowed})",
                )
            )
        return value

    return convert
