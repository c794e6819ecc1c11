"""Bilingual text and number formatting shared by the whole core."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
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


def fraction_half_up(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half-up (away from zero) to ``places`` decimals, with no
    loss of precision before the rounding."""
    whole = math.floor(abs(value) * Fraction(10) ** places + Fraction(1, 2))
    return Decimal(whole if value >= 0 else -whole).scaleb(-places)


def fmt(value: Decimal) -> str:
    """Show a number as people write it: at most two decimals, no trailing zeros."""
    return _written(round_half_up(value))


MOST_PLACES = 4


def fmt_near(value: Decimal, places: int, boundaries: Iterable[Decimal] = ()) -> str:
    """At most ``places`` decimals, or more where fewer would make the value read as a
    boundary it does not reach: 91.96 against a tier at 92 shows as 91.96, not 92."""
    limits = tuple(boundaries)
    for digits in range(places, MOST_PLACES + 1):
        rounded = round_half_up(value, Decimal(1).scaleb(-digits))
        reached = [limit for limit in limits if rounded == limit != value]
        if not reached:
            return _written(rounded)
    # Still on the limit at the most places shown: round away from it, towards the value.
    toward = ROUND_FLOOR if value < reached[0] else ROUND_CEILING
    return _written(value.quantize(Decimal(1).scaleb(-MOST_PLACES), rounding=toward))


def _written(rounded: Decimal) -> str:
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # never "-0"
    if rounded == rounded.to_integral_value():
        return str(rounded.quantize(Decimal(1)))
    return format(rounded.normalize(), "f")
