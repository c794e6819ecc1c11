"""What a thank-you can be tied to: the company values on offer, and the indicators of the
colleague's current scheme (the scheme their incidents are evidence for)."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.incidents.evidence import current_scheme
from kaohe.org.models import Employee

from .models import CompanyValue

VALUE, INDICATOR = "value", "indicator"


@dataclass(frozen=True)
class Tie:
    kind: str  # VALUE or INDICATOR
    code: str  # the value's code or the indicator's id
    dimension: str
    zh: str
    en: str

    @property
    def choice(self) -> str:
        """How a form names it: ``value:teamwork`` or ``indicator:fcr``."""
        return f"{self.kind}:{self.code}"

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def values_on_offer() -> list[Tie]:
    return [
        Tie(VALUE, v.code, "", v.name_zh, v.name_en)
        for v in CompanyValue.objects.filter(active=True)
    ]


def indicators_of(employee: Employee) -> list[Tie]:
    scheme = current_scheme(employee)
    if scheme is None:
        return []
    return [
        Tie(INDICATOR, indicator.id, dimension.id, indicator.name("zh"), indicator.name("en"))
        for dimension in scheme.dimensions
        for indicator in dimension.indicators
    ]


def ties_for(employee: Employee) -> list[Tie]:
    return values_on_offer() + indicators_of(employee)


def find_tie(employee: Employee, choice: str) -> Tie | None:
    return next((tie for tie in ties_for(employee) if tie.choice == choice), None)
