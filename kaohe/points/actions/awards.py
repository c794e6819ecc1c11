"""The award runs. Points: each active rule's ledger follows its sources — a row for each
event that earns it, none for one that no longer does (an incident deleted, a badge
withdrawn); rows already there keep the points they were earned at. Badges: each active
badge of a period's kind is judged on the period's latest stored metrics
(``kaohe.analytics.evaluate``); new winners get it, people who no longer qualify after a
new import lose it. Running either again on the same data changes nothing and writes no
audit row.

They run after each metric computation (``receivers``), for one locked result's
indicators when the result is locked, and when HR asks (``do_run_awards``). The system's
runs have no actor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaohe.analytics import Award, BadgeRule, Candidate, Reading, evaluate
from kaohe.analytics import Comparison as RuleComparison
from kaohe.appraisals.models import Result
from kaohe.audit.models import record
from kaohe.core import Text
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.goals.models import Level, Objective
from kaohe.incidents.models import Incident
from kaohe.metrics import MetricsError, Period, parse_period
from kaohe.org.models import Employee
from kaohe.org.policy import access_for

from .. import policy
from ..builtins import ensure_builtin_badges
from ..models import Badge, BadgeAward, Comparison, PeriodKind, PointEntry, PointRule, RuleKind
from ..wording import metric_words, value_text, volume_text

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Earned:
    employee_id: int
    source: str
    on: date
    why: Text


# --- points ------------------------------------------------------------------------------


def _incidents(commendations: bool) -> Iterator[Earned]:
    found = Incident.objects.filter(polarity=Incident.Polarity.POSITIVE)
    found = (
        found.filter(kind="commendation") if commendations else found.exclude(kind="commendation")
    )
    for pk, employee_id, on in found.values_list("pk", "employee_id", "occurred_on"):
        day = on.isoformat()
        why = (
            Text(f"{day} 的客户或公司表扬", f"Commendation of {day}")
            if commendations
            else Text(f"{day} 的正面关键事件", f"Positive incident of {day}")
        )
        yield Earned(employee_id, f"incident:{pk}", on, why)


def _goals() -> Iterator[Earned]:
    personal = Objective.objects.published().filter(level=Level.PERSONAL)
    for objective in personal.prefetch_related("key_results"):
        completion = objective.completion()
        if completion is not None and completion >= HUNDRED:
            title = objective.title[:120]
            yield Earned(
                objective.owner_id, f"goal:{objective.pk}", objective.ends,
                Text(f"完成目标「{title}」", f"Goal completed: {title}"),
            )  # fmt: skip


def _top_tiers(appraisal_id: int | None = None) -> Iterator[Earned]:
    """Indicators at their full points in each appraisal's latest locked result."""
    results = Result.objects.select_related("appraisal__cycle").order_by("appraisal_id", "-number")
    if appraisal_id is not None:
        results = results.filter(appraisal_id=appraisal_id)
    seen: set[int] = set()
    for result in results:
        if result.appraisal_id in seen:
            continue
        seen.add(result.appraisal_id)
        try:
            period = parse_period(result.appraisal.cycle.period)
        except MetricsError:
            continue
        for indicator in (result.trace.get("result") or {}).get("indicators", []):
            most, earned = indicator.get("max_points"), indicator.get("points")
            if not indicator.get("counted") or most is None or earned is None:
                continue
            if Decimal(most) <= 0 or Decimal(earned) < Decimal(most):
                continue
            name = indicator.get("name") or {}
            zh = name.get("zh", indicator["id"]) if isinstance(name, dict) else str(name)
            en = name.get("en", indicator["id"]) if isinstance(name, dict) else str(name)
            yield Earned(
                result.appraisal.employee_id, f"appraisal:{result.appraisal_id}:{indicator['id']}",
                period.last_day,
                Text(f"{period.name}「{zh}」拿满分", f"{period.name}: full points on {en}"),
            )  # fmt: skip


def _badges() -> Iterator[Earned]:
    for award in BadgeAward.objects.select_related("badge"):
        try:
            on = parse_period(award.period).last_day
        except MetricsError:
            continue
        yield Earned(
            award.employee_id, f"badge:{award.pk}", on,
            Text(f"获得徽章「{award.badge.name_zh}」（{award.period}）",
                 f"Badge earned: {award.badge.name_en} ({award.period})"),
        )  # fmt: skip


def _sources(kind: str) -> Iterator[Earned]:
    if kind == RuleKind.POSITIVE_INCIDENT:
        return _incidents(commendations=False)
    if kind == RuleKind.COMMENDATION:
        return _incidents(commendations=True)
    if kind == RuleKind.GOAL_COMPLETED:
        return _goals()
    if kind == RuleKind.TOP_TIER:
        return _top_tiers()
    return _badges()


def _reconcile(actor: Any, rule: PointRule, earned: list[Earned], prefix: str = "") -> int:
    """Make the rule's ledger (its rows whose source starts with ``prefix``) hold exactly
    these events; the number of rows added and removed."""
    held = dict(rule.entries.filter(source__startswith=prefix).values_list("source", "pk"))
    wanted = {e.source: e for e in earned}
    added = [
        PointEntry(
            employee_id=e.employee_id, rule=rule, source=e.source, on=e.on,
            points=rule.points, why_zh=e.why.zh[:300], why_en=e.why.en[:300],
        )
        for source, e in wanted.items()
        if source not in held
    ]  # fmt: skip
    gone = [pk for source, pk in held.items() if source not in wanted]
    if not added and not gone:
        return 0
    PointEntry.objects.bulk_create(added)
    PointEntry.objects.filter(pk__in=gone).delete()
    record(actor, "points.award_points", rule, after={"added": len(added), "removed": len(gone)})
    return len(added) + len(gone)


def award_points(actor: Any = None) -> int:
    """Every active rule's ledger, brought up to date; the rows changed."""
    changed = 0
    with transaction.atomic():
        for rule in PointRule.objects.filter(active=True).select_for_update():
            changed += _reconcile(actor, rule, list(_sources(rule.kind)))
    return changed


def award_result_points(actor: Any, appraisal_id: int) -> int:
    """The top-tier points of one appraisal's latest result, as it is locked."""
    rule = PointRule.objects.filter(kind=RuleKind.TOP_TIER, active=True).first()
    if rule is None:
        return 0
    with transaction.atomic():
        earned = list(_top_tiers(appraisal_id))
        return _reconcile(actor, rule, earned, prefix=f"appraisal:{appraisal_id}:")


# --- badges ------------------------------------------------------------------------------


def _kind_of(period: Period) -> str | None:
    if "-Q" in period.name:
        return PeriodKind.QUARTER
    if len(period.name) == 7:
        return PeriodKind.MONTH
    return None


def previous_period(period: Period) -> str:
    if "-Q" in period.name:
        year, quarter = int(period.name[:4]), int(period.name[-1])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    year, month = period.first_day.year, period.first_day.month
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02}"


def _readings(run: MetricRun | None, metric: str) -> dict[str, Reading]:
    if run is None or not metric:
        return {}
    rows = MetricRecord.objects.filter(run=run, subject_type="employee", metric=metric)
    return {
        subject: Reading(value, denominator)
        for subject, value, denominator in rows.values_list("subject", "value", "denominator")
    }


def _rule_of(badge: Badge) -> BadgeRule:
    return BadgeRule(
        RuleComparison(badge.comparison), badge.higher_is_better, badge.threshold,
        badge.min_volume, bool(badge.guard_metric), badge.guard_at_most,
    )  # fmt: skip


def _why(badge: Badge, award: Award, team: str) -> Text:
    words = metric_words(badge.metric)
    value = value_text(badge.metric, award.value)
    volume = volume_text(badge.metric, award.volume)
    stated = Text(
        f"{words.name.zh} {value}" + (f"（{volume.zh}）" if volume else ""),
        f"{words.name.en} {value}" + (f" with {volume.en}" if volume else ""),
    )
    guard = _guard_words(badge)
    if badge.comparison == Comparison.BEST:
        who = Text(f"{guard.zh}者", f" with {guard.en}") if guard else Text("", "")
        return Text(
            f"{stated.zh}：{team} {award.among} 人中{who.zh}最佳",
            f"{stated.en}: the best of {award.among} in {team}{who.en}",
        )
    if badge.comparison == Comparison.MOST_IMPROVED:
        before = value_text(badge.metric, award.previous or 0)
        return Text(
            f"{words.name.zh}从 {before} 升至 {value}：{team} {award.among} 人中进步最大",
            f"{words.name.en} up from {before} to {value}: the largest rise of "
            f"{award.among} in {team}",
        )
    bound = value_text(badge.metric, badge.threshold or 0)
    sign = ("≥", "at least") if badge.comparison == Comparison.AT_LEAST else ("≤", "at most")
    extra = Text(f"，{guard.zh}", f", {guard.en}") if guard else Text("", "")
    return Text(
        f"{stated.zh}，{sign[0]} {bound}{extra.zh}", f"{stated.en}, {sign[1]} {bound}{extra.en}"
    )


def _guard_words(badge: Badge) -> Text | None:
    if not badge.guard_metric:
        return None
    if badge.guard_metric == "complaints_converted" and badge.guard_at_most == 0:
        return Text("无成立投诉", "no complaint upheld")
    bound = value_text(badge.guard_metric, badge.guard_at_most)
    name = metric_words(badge.guard_metric).name
    return Text(f"{name.zh} ≤ {bound}", f"{name.en} at most {bound}")


def _judge(
    badge: Badge, run: MetricRun, before: MetricRun | None
) -> dict[int, tuple[Award, Text, str]]:
    """Who earns the badge in the run's period: employee id → (award, why, team)."""
    values = _readings(run, badge.metric)
    previous = (
        _readings(before, badge.metric) if badge.comparison == Comparison.MOST_IMPROVED else {}
    )
    guards = _readings(run, badge.guard_metric)
    people = Employee.objects.active().filter(number__in=list(values)).select_related("department")
    by_number = {p.number: p for p in people}
    candidates = [
        Candidate(
            number, str(person.department_id), values.get(number), previous.get(number),
            guards.get(number),
        )
        for number, person in by_number.items()
    ]  # fmt: skip
    found = {}
    for award in evaluate(_rule_of(badge), candidates):
        person = by_number[award.person]
        team = person.department.name
        found[person.pk] = (award, _why(badge, award, team), team)
    return found


def award_badges(actor: Any, period_name: str) -> int:
    """Judge every active badge of the period's kind on its latest stored metrics; the
    awards made and withdrawn."""
    try:
        period = parse_period(period_name)
    except MetricsError:
        return 0
    kind = _kind_of(period)
    run = MetricRun.objects.filter(period=period.name).first()
    if kind is None or run is None:
        return 0
    before = MetricRun.objects.filter(period=previous_period(period)).first()
    changed = 0
    with transaction.atomic():
        ensure_builtin_badges(Badge)
        for badge in Badge.objects.filter(active=True, period_kind=kind).select_for_update():
            changed += _reconcile_badge(actor, badge, period.name, _judge(badge, run, before))
    return changed


def _reconcile_badge(
    actor: Any, badge: Badge, period: str, winners: dict[int, tuple[Award, Text, str]]
) -> int:
    held = {a.employee_id: a for a in badge.awards.filter(period=period).select_related("employee")}
    added = [
        BadgeAward(
            badge=badge, employee_id=pk, period=period, team=team[:100], value=award.value,
            why_zh=why.zh[:300], why_en=why.en[:300],
        )
        for pk, (award, why, team) in winners.items()
        if pk not in held
    ]  # fmt: skip
    gone = [a for pk, a in held.items() if pk not in winners]
    if not added and not gone:
        return 0
    BadgeAward.objects.bulk_create(added)
    BadgeAward.objects.filter(pk__in=[a.pk for a in gone]).delete()
    numbers = dict(
        Employee.objects.filter(pk__in=[a.employee_id for a in added]).values_list("pk", "number")
    )
    after: dict[str, object] = {"period": period}
    if added:
        after["awarded"] = sorted(numbers.values())
    if gone:
        after["withdrawn"] = sorted(a.employee.number for a in gone)
    record(actor, "points.award_badges", badge, after=after)
    return len(added) + len(gone)


def do_run_awards(actor: Any, period: str | None = None) -> int:
    """HR's run: the badges of ``period`` (when given), then every rule's points."""
    if not policy.may_run_awards(access_for(actor)):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        changed = award_badges(actor, period) if period else 0
        return changed + award_points(actor)
