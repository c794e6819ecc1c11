"""Numbers as people read them on pages and in mails; the stored trace keeps full precision.

Points and scores to at most two decimals, totals always with two (as pay tables print
them), money with thousands separators, coefficients as the seed writes them (1.2, 1.0),
counts whole. Values of inputs are rounded by their kind in the core (``InputSpec.show``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kaohe.core import fmt, round_half_up

NOTHING = "—"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        return None


def points(value: object) -> str:
    number = _decimal(value)
    return NOTHING if number is None else fmt(number)


def total(value: object) -> str:
    number = _decimal(value)
    return NOTHING if number is None else f"{round_half_up(number):.2f}"


def money(value: object) -> str:
    number = _decimal(value)
    return NOTHING if number is None else f"{round_half_up(number):,.2f}"


def coefficient(value: object) -> str:
    number = _decimal(value)
    if number is None:
        return NOTHING
    shown = fmt(number)
    return shown if "." in shown else f"{shown}.0"


def count(value: object) -> str:
    number = _decimal(value)
    return NOTHING if number is None else f"{round_half_up(number, Decimal(1)):,}"


def figure(value: object) -> str:
    """A numerator or denominator: whole with separators, else two decimals."""
    number = _decimal(value)
    if number is None:
        return NOTHING
    if number == number.to_integral_value():
        return count(number)
    return f"{round_half_up(number):,.2f}"
