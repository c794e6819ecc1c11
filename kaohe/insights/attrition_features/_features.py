"""One person's attrition features on one day, from the events known by that day. The
features and their sentences are kaohe.ml's; this module only counts and compares."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from itertools import pairwise

from kaohe.ml.attrition import month_end, months_after

from ._events import Events

# In the order the model's page lists them.
FEATURES = (
    "tenure_months",
    "grade_last",
    "grade_change",
    "score_change",
    "csat_falling_months",
    "csat_change_3m",
    "qa_falling_months",
    "qa_change_3m",
    "aht_rising_months",
    "aht_change_3m",
    "on_pip",
    "pips_12m",
    "appeals_12m",
    "negative_incidents_6m",
    "positive_incidents_6m",
    "manager_changes_12m",
    "pay_vs_median",
    "months_since_raise",
    "review_360_mean",
    "goal_check_ins_at_risk_3m",
)
TREND_MONTHS = 3


def months_between(earlier: date, later: date) -> int:
    """Whole months from one day to a later one."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day and later != month_end(later) else 0)


def count_within(days: list[date], day: date, months: int) -> int:
    """How many of the sorted days fall in the ``months`` up to and including ``day``."""
    return bisect_right(days, day) - bisect_right(days, months_after(day, -months))


def last_full_month(day: date) -> date:
    """The end of the last month that had ended by ``day`` (the day itself at a month end)."""
    return day if day == month_end(day) else month_end(months_after(day.replace(day=1), -1))


def features_at(
    employee: int, hire_date: date | None, day: date, events: Events
) -> dict[str, float | None]:
    values: dict[str, float | None] = dict.fromkeys(FEATURES)
    if hire_date is not None:
        values["tenure_months"] = float(months_between(hire_date, day))
    values.update(_grades(employee, day, events))
    for stem in ("csat", "qa", "aht"):
        values.update(_trend(employee, stem, day, events))
    plans = events.plans.get(employee, [])
    values["on_pip"] = float(any(s <= day and (e is None or e > day) for s, e in plans))
    values["pips_12m"] = float(count_within([s for s, _e in plans], day, 12))
    values["appeals_12m"] = float(count_within(events.appeals.get(employee, []), day, 12))
    for polarity in ("negative", "positive"):
        days = events.incidents.get((employee, polarity), [])
        values[f"{polarity}_incidents_6m"] = float(count_within(days, day, 6))
    changes = events.manager_changes.get(employee, [])
    values["manager_changes_12m"] = float(count_within(changes, day, 12))
    values.update(_pay(employee, day, events))
    reviews = [mean for closed, mean in events.reviews.get(employee, []) if closed <= day]
    values["review_360_mean"] = reviews[-1] if reviews else None
    check_ins = events.at_risk_check_ins.get(employee, [])
    values["goal_check_ins_at_risk_3m"] = float(count_within(check_ins, day, 3))
    return values


def _grades(employee: int, day: date, events: Events) -> dict[str, float | None]:
    known = [g for g in events.grades.get(employee, []) if g.known <= day]
    if not known:
        return {}
    last = known[-1]
    found: dict[str, float | None] = {"grade_last": last.rank}
    if len(known) > 1:
        before = known[-2]
        if last.rank is not None and before.rank is not None:
            found["grade_change"] = float(last.rank - before.rank)
        found["score_change"] = last.total - before.total
    return found


def _trend(employee: int, stem: str, day: date, events: Events) -> dict[str, float | None]:
    """Months running the KPI got worse (CSAT and QA falling, handle time rising) up to
    the last month with a value, and its change over three months. Nothing when the last
    value is more than a month old: a stale trend is no sign of anything."""
    series = events.kpis.get((employee, stem))
    if not series:
        return {}
    newest = last_full_month(day)
    latest = next((m for m in (newest, month_end(months_after(newest, -1))) if m in series), None)
    if latest is None:
        return {}
    worse = (lambda now, then: now > then) if stem == "aht" else (lambda now, then: now < then)
    running, month = 0, latest
    while True:
        earlier = month_end(months_after(month, -1))
        if earlier not in series or not worse(series[month], series[earlier]):
            break
        running, month = running + 1, earlier
    name = "aht_rising_months" if stem == "aht" else f"{stem}_falling_months"
    found: dict[str, float | None] = {name: float(running)}
    then = month_end(months_after(latest, -TREND_MONTHS))
    if then in series:  # the rates are percentages already: a change in points
        found[f"{stem}_change_3m"] = series[latest] - series[then]
    return found


def _pay(employee: int, day: date, events: Events) -> dict[str, float | None]:
    pays = [p for p in events.pays.get(employee, []) if p.starts <= day]
    if not pays:
        return {}
    last = pays[-1]
    median = events.pay_medians.get((last.starts, last.position))
    found: dict[str, float | None] = {}
    if median:
        found["pay_vs_median"] = last.amount / median
    raises = [later for earlier, later in pairwise(pays) if later.amount > earlier.amount]
    if raises:
        found["months_since_raise"] = float(months_between(raises[-1].starts, day))
    return found
