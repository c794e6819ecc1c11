"""Bilingual text and number formatting shared by the whole core."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of text in Simplified Chinese and English."""

    zh: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def round_half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    """Round the way Chinese pay and appraisal tables do (四舍五入), not banker's rounding."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """Show a number as people write it: at most two decimals, no trailing zeros."""
    rounded = round_half_up(value)
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # never "-0"
    if rounded == rounded.to_integral_value():
        return str(rounded.quantize(Decimal(1)))
    return format(rounded.normalize(), "f")
