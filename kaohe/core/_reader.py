"""A cursor over a parsed YAML tree that knows where it is, for precise error messages."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from ._errors import SchemeFileError, quoted
from ._text import Text
from ._yamlfile import Positions

E = TypeVar("E", bound=StrEnum)


class Node:
    """A value in a scheme file, with its file, line, field path and indicator."""

    __slots__ = ("field", "file", "indicator", "line", "positions", "value")

    def __init__(
        self,
        value: object,
        *,
        positions: Positions,
        file: str,
        line: int | None = None,
        field: str = "",
        indicator: str | None = None,
    ) -> None:
        self.value = value
        self.positions = positions
        self.file = file
        self.line = line
        self.field = field
        self.indicator = indicator

    def error(self, zh: str, en: str) -> SchemeFileError:
        """The problem, in both languages, at this node's place."""
        return SchemeFileError(
            Text(zh, en),
            file=self.file,
            line=self.line,
            indicator=self.indicator,
            field=self.field or None,
        )

    def for_indicator(self, indicator_id: str) -> Node:
        """The same node, with errors inside it naming the indicator and fields from here."""
        return Node(
            self.value,
            positions=self.positions,
            file=self.file,
            line=self.line,
            field="",
            indicator=indicator_id,
        )

    def _child(self, value: object, name: str, where: tuple[str, int] | None) -> Node:
        file, line = where if where is not None and where[0] else (self.file, self.line)
        joined = (
            f"{self.field}{name}"
            if name.startswith("[") or not self.field
            else (f"{self.field}.{name}")
        )
        return Node(
            value,
            positions=self.positions,
            file=file,
            line=line,
            field=joined,
            indicator=self.indicator,
        )

    # --- structure -------------------------------------------------------------------

    def mapping(self, allowed: Iterable[str]) -> dict[str, Any]:
        """The value as a mapping, refusing keys outside ``allowed`` (typos are common)."""
        if not isinstance(self.value, dict):
            raise self._not_a_mapping()
        allowed = tuple(allowed)
        for key in self.value:
            if key not in allowed:
                where = self.positions.of_key(self.value, key)
                near = difflib.get_close_matches(str(key), allowed, n=1)
                raise self._child(None, str(key), where).error(
                    f"无法识别的字段（可用的字段：{quoted(allowed)}）"
                    + (f"；是不是想写「{near[0]}」？" if near else ""),
                    f"unknown field (allowed: {', '.join(allowed)})"
                    + (f"; did you mean '{near[0]}'?" if near else ""),
                )
        return self.value

    def _not_a_mapping(self) -> SchemeFileError:
        got = _kind_of(self.value)
        return self.error(f"应为一组字段，实际为{got.zh}", f"expected a mapping, got {got.en}")

    def get(self, key: str, allowed: Iterable[str] | None = None) -> Node | None:
        mapping = self.value if allowed is None else self.mapping(allowed)
        if not isinstance(mapping, dict):
            raise self._not_a_mapping()
        if key not in mapping or mapping[key] is None:
            return None
        return self._child(mapping[key], key, self.positions.of_key(mapping, key))

    def need(self, key: str) -> Node:
        found = self.get(key)
        if found is None:
            raise self._child(None, key, None).error("缺少必填字段", "required field is missing")
        return found

    def items(self) -> Iterator[Node]:
        if not isinstance(self.value, list):
            got = _kind_of(self.value)
            raise self.error(f"应为列表，实际为{got.zh}", f"expected a list, got {got.en}")
        for index, item in enumerate(self.value):
            yield self._child(item, f"[{index + 1}]", self.positions.of_item(self.value, index))

    def entries(self) -> Iterator[tuple[str, Node]]:
        if not isinstance(self.value, dict):
            raise self._not_a_mapping()
        for key, value in self.value.items():
            yield str(key), self._child(value, str(key), self.positions.of_key(self.value, key))

    # --- scalars ---------------------------------------------------------------------

    def string(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            got = _kind_of(self.value)
            raise self.error(
                f"应为非空的文字，实际为{got.zh}", f"expected non-empty text, got {got.en}"
            )
        return self.value.strip()

    def identifier(self) -> str:
        text = self.string()
        if not all(c.isascii() and (c.isalnum() or c in "_-") for c in text):
            raise self.error(
                f"「{text}」不能用作编号：编号只能由英文字母、数字、「_」和「-」组成",
                f"'{text}' is not an id: use letters, digits, '_' and '-'",
            )
        return text

    def number(self) -> Decimal:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            got = _kind_of(self.value)
            raise self.error(f"应为数字，实际为{got.zh}", f"expected a number, got {got.en}")
        value = Decimal(str(self.value))
        if not value.is_finite():
            raise self.error(
                f"应为具体的数值，不能是「{self.value}」",
                f"expected a finite number, got {self.value}",
            )
        return value

    def positive(self) -> Decimal:
        value = self.number()
        if value <= 0:
            raise self.error(
                f"应大于 0，实际为 {self.value}", f"must be greater than 0, got {self.value}"
            )
        return value

    def non_negative(self) -> Decimal:
        value = self.number()
        if value < 0:
            raise self.error(
                f"不能为负数，实际为 {self.value}", f"must not be negative, got {self.value}"
            )
        return value

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            got = _kind_of(self.value)
            raise self.error(f"应为整数，实际为{got.zh}", f"expected a whole number, got {got.en}")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            got = _kind_of(self.value)
            raise self.error(
                f"应为「true」（是）或「false」（否），实际为{got.zh}",
                f"expected true or false, got {got.en}",
            )
        return self.value

    def choice(self, enum: type[E]) -> E:
        allowed = [member.value for member in enum]
        if self.value not in allowed:
            raise self.error(
                f"应为{quoted(allowed)}之一，实际为{_kind_of(self.value).zh}",
                f"expected one of {', '.join(allowed)}, got {self.value!r}",
            )
        return enum(self.value)

    def text(self, *, same_in_both: bool = False) -> Text:
        """``{zh: …, en: …}``; where ``same_in_both``, a plain string serves both."""
        if same_in_both and isinstance(self.value, str | int | float):
            plain = str(self.value).strip()
            if plain:
                return Text(plain, plain)
        if not isinstance(self.value, dict):
            got = _kind_of(self.value)
            raise self.error(
                f"应同时给出中英文，写作 {{zh: …, en: …}}，实际为{got.zh}",
                f"expected Chinese and English text as {{zh: …, en: …}}, got {got.en}",
            )
        self.mapping(("zh", "en"))
        return Text(self.need("zh").string(), self.need("en").string())


def _kind_of(value: object) -> Text:
    """What a value in the file is, for "expected …, got …"."""
    if value is None:
        return Text("空值", "nothing")
    if isinstance(value, bool):
        written = str(value).lower()
        return Text(f"「{written}」（是/否）", f"{written} (true/false)")
    if isinstance(value, dict):
        return Text("一组字段", "a mapping")
    if isinstance(value, list):
        return Text("列表", "a list")
    if isinstance(value, str):
        return Text(f"文字「{value}」", f"text {value!r}")
    if isinstance(value, int | float):
        return Text(f"数字 {value}", repr(value))
    if isinstance(value, datetime.date):  # YAML reads 2026-09-30 as a date
        return Text(f"日期 {value.isoformat()}", f"the date {value.isoformat()}")
    return Text(f"「{value!r}」", repr(value))
