"""The appraisal page's "Customer sentiment (context, not scored)" card: the person's three
sentiment figures for the appraisal's period beside their team's and the whole contact
centre's, read from the period's latest stored metric values.

The team is the person's own department; its figure is the ratio of its members' summed
numerators and denominators (never a mean of their rates), shown only where at least
``ANONYMITY`` colleagues besides the person have the figure, so that nobody reading the
card learns a colleague's own figure. A figure without calls or comments behind it is no
figure — never a zero. The card is for people who take calls, and for anyone else whose
period has a figure of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.appraisals.models import Appraisal
from kaohe.core import MetricScope, round_half_up
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.display import count
from kaohe.i18n import current_lang
from kaohe.org.models import Employee
from kaohe.org.policy import Access
from kaohe.reports.policy import ANONYMITY

from . import policy


@dataclass(frozen=True)
class Kind:
    metric: str
    label: Any
    rate: bool  # a share shown in %, else a mean score on 0–1

    def shown(self, numerator: float, denominator: float) -> Shown:
        share = Decimal(repr(numerator)) / Decimal(repr(denominator))
        if self.rate:
            value = f"{count(100 * share)}%"
            detail = _("%(part)s of %(whole)s calls") % {
                "part": count(numerator),
                "whole": count(denominator),
            }
        else:
            value = str(round_half_up(share))
            detail = _("over %(count)s comments") % {"count": count(denominator)}
        return Shown(value, detail)


KINDS = (
    Kind("calls_ending_negative_rate", gettext_lazy("Calls whose customer ended negative"), True),
    Kind(
        "calls_recovered_rate",
        gettext_lazy("Calls recovered (of those whose customer started negative)"),
        True,
    ),
    Kind("comment_sentiment_mean", gettext_lazy("Survey comments' mean sentiment (0–1)"), False),
)


@dataclass(frozen=True)
class Shown:
    value: str
    detail: str


@dataclass
class Row:
    label: Any
    own: Shown | None
    team: Shown | None
    centre: Shown | None

    @property
    def cells(self) -> list[Shown | None]:
        """In the order of the card's columns: own, team, centre."""
        return [self.own, self.team, self.centre]


@dataclass
class Card:
    period: str
    whose_own: str  # the person's name
    whose_team: str  # their department
    whose_centre: str
    computed_at: datetime | None
    rows: list[Row] = field(default_factory=list)
    team_hidden: bool = False  # some team figure is left out: too few colleagues with it

    @property
    def has_own_figure(self) -> bool:
        return any(row.own is not None for row in self.rows)


@dataclass
class _Sum:
    numerator: float = 0.0
    denominator: float = 0.0
    people: int = 0

    def shown(self, kind: Kind) -> Shown | None:
        return kind.shown(self.numerator, self.denominator) if self.denominator else None


def sentiment_card(access: Access, appraisal: Appraisal) -> Card | None:
    """The card for this reader, or None where it has no place (the reader may not read
    the appraisal; the person takes no calls and has no figure)."""
    if not policy.can_see_appraisal_sentiment(access, appraisal):
        return None
    employee = appraisal.employee
    run = MetricRun.objects.filter(period=appraisal.cycle.period).first()
    records = _records(run, employee)
    own = _summed(records.get(employee.number, []))
    if not policy.takes_calls(employee) and not any(s.denominator for s in own.values()):
        return None
    team = _summed(r for number, found in records.items() if number != "org" for r in found)
    centre = _summed(records.get("org", []))
    card = Card(
        period=appraisal.cycle.period,
        whose_own=employee.name,
        whose_team=employee.department.name,
        whose_centre=MetricScope.ORG.label(current_lang()),
        computed_at=run.computed_at if run else None,
    )
    for kind in KINDS:
        mine, ours = own.get(kind.metric, _Sum()), team.get(kind.metric, _Sum())
        others = ours.people - (1 if mine.denominator else 0)
        shown_team = ours.shown(kind) if others >= ANONYMITY else None
        card.team_hidden |= shown_team is None and bool(ours.denominator)
        card.rows.append(
            Row(
                kind.label,
                mine.shown(kind),
                shown_team,
                centre.get(kind.metric, _Sum()).shown(kind),
            )
        )
    return card


def _records(run: MetricRun | None, employee: Employee) -> dict[str, list[MetricRecord]]:
    """The period's stored sentiment values of the person's department's members (by
    employee number) and of the organisation (under "org")."""
    if run is None:
        return {}
    members = Employee.objects.filter(department_id=employee.department_id).values("number")
    wanted = MetricRecord.objects.filter(run=run, metric__in=[k.metric for k in KINDS])
    people = wanted.filter(subject_type="employee", subject__in=members)
    found: dict[str, list[MetricRecord]] = {}
    for record in [*people, *wanted.filter(subject_type="org", subject="org")]:
        key = "org" if record.subject_type == "org" else record.subject
        found.setdefault(key, []).append(record)
    return found


def _summed(records: Iterable[MetricRecord]) -> dict[str, _Sum]:
    """Per metric, the sums of the records with calls or comments behind them."""
    sums: dict[str, _Sum] = {}
    for record in records:
        if not record.denominator or record.numerator is None:
            continue  # no calls or comments behind it: no figure
        summed = sums.setdefault(record.metric, _Sum())
        summed.numerator += record.numerator
        summed.denominator += record.denominator
        summed.people += 1
    return sums
