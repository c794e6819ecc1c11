"""The demo's attrition history and model: people who worked in the demo's teams over the
two and a half years before the demo's quarter and left — most of them resigning, a few at
the end of a contract, dismissed or transferred — with what kaohe would have recorded of
them before they went, then the sexes and age bands of everyone imported for the fairness
check, and a model trained on it all.

The former staff's monthly CSAT, QA pass rate and handle time are written as stored
metric values beside the computed ones of the same months (they have no call records in
the lake, which holds only today's staff). Their incidents, manager changes and leaving
dates are recorded as HR would have recorded them, back-dated. Many who resigned showed
it first — CSAT sliding, negative incidents, a new manager — and some showed nothing, as
in life. Everything comes from seeded generators: every demo is the same.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kaohe.audit.models import AuditEntry, record
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.incidents.models import Incident
from kaohe.ml.attrition import month_end, months_after
from kaohe.org.models import Department, Employee, LeavingReason, Position

from .actions_attrition import (
    TrainingRequest,
    do_import_protected_attributes,
    do_request_attrition_training,
)
from .models import AttritionModel

MONTH = re.compile(r"\d{4}-\d{2}")
# The end of the demo's operational data: the day the demo's model scores.
DEMO_AS_OF = date(2026, 9, 30)
# Three months ahead: the demo's incidents start in 2026-Q2, and a shorter horizon lets the
# months it learns from reach them (those of a six-month horizon would end in March).
DEMO_HORIZON = 3
# The months before the demo's day in which its former staff left: those with the demo's
# operational data (from 2025-07), so that the model learns from their KPIs too.
HISTORY_MONTHS = 14
REASONS = (
    [LeavingReason.RESIGNED] * 40
    + [LeavingReason.CONTRACT_ENDED] * 4
    + [LeavingReason.DISMISSED] * 3
    + [LeavingReason.TRANSFERRED] * 2
)
# The demo's incident log starts with its 2026-Q2 cycle (kaohe.incidents.demo), at about
# these rates per person and day; before it there are no incidents for anyone.
INCIDENT_LOG_FROM = date(2026, 4, 1)
POSITIVE_PER_DAY, NEGATIVE_PER_DAY = 0.8 / 30, 0.15 / 30
PRAISE = ("主动协助同事处理高峰来电", "客户来信表扬耐心细致", "提出的话术改进被全组采用")
WHAT = (
    "客户投诉服务态度，经核实属实",
    "未按流程登记工单，造成重复处理",
    "多次迟到，影响排班",
    "质检抽查发现违规话术",
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
_GIVEN = "静磊洋艳勇军杰娟涛明超霞平刚辉鑫婷雪琳晨浩宇欣怡佳颖瑞萌倩凯斌峰"


@dataclass(frozen=True)
class Seat:
    """Where a former colleague sat: a team, its position, its lead."""

    department: Department
    position: Position
    manager: Employee


def demo_attrition() -> AttritionModel | None:
    """The history, the attributes and the trained model, once; the model made now."""
    if AttritionModel.objects.exists():
        return None
    hr = get_user_model().objects.get(username="hr")
    with transaction.atomic():
        add_former_staff(DEMO_AS_OF, seed=14)
    path = _attribute_file(random.Random(15))
    do_import_protected_attributes(hr, path, path.name)
    wanted = TrainingRequest(DEMO_HORIZON, (), DEMO_AS_OF)
    return do_request_attrition_training(hr, wanted, wait=True)


def seats() -> list[Seat]:
    """The teams whose members have a common lead: where former staff sat."""
    counted: dict[tuple[int, int, int], int] = {}
    for department, position, manager in (
        Employee.objects.active()
        .exclude(manager=None)
        .filter(direct_reports=None)
        .values_list("department_id", "position_id", "manager_id")
    ):
        counted[(department, position, manager)] = (
            counted.get((department, position, manager), 0) + 1
        )
    keys = sorted(key for key, count in counted.items() if count >= 2)
    departments = Department.objects.in_bulk([k[0] for k in keys])
    positions = Position.objects.in_bulk([k[1] for k in keys])
    managers = Employee.objects.in_bulk([k[2] for k in keys])
    return [Seat(departments[d], positions[p], managers[m]) for d, p, m in keys]


def add_former_staff(as_of: date, seed: int, reasons: list[str] | None = None) -> list[Employee]:
    """People who left in the ``HISTORY_MONTHS`` before ``as_of``, one per reason given,
    with their incidents, manager changes and monthly KPIs; the people made."""
    rng = random.Random(seed)
    places = seats()
    runs = _monthly_runs()
    made = []
    taken = set(Employee.objects.values_list("name", flat=True))
    for index, reason in enumerate(reasons if reasons is not None else REASONS):
        seat = places[index % len(places)]
        left = as_of - timedelta(days=rng.randrange(5, HISTORY_MONTHS * 30))
        resigned = reason == LeavingReason.RESIGNED
        tenure = rng.randrange(3, 60) if resigned else rng.randrange(12, 96)
        person = Employee.objects.create(
            number=f"QL{index + 1:04d}",
            name=_name(rng, taken),
            department=seat.department,
            position=seat.position,
            manager=seat.manager,
            hire_date=months_after(left, -tenure),
            active=False,
            leaving_date=left,
            leaving_reason=reason,
        )
        showed = resigned and rng.random() < 0.75  # a quarter of those who resign show nothing
        _incidents(rng, person, left, showed=showed)
        if showed and rng.random() < 0.5:
            _manager_change(rng, person, left, places)
        _kpis(rng, person, left, runs, sliding=showed)
        made.append(person)
    return made


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN)
        if name not in taken:
            taken.add(name)
            return name


def _incidents(rng: random.Random, person: Employee, left: date, *, showed: bool) -> None:
    """Incidents while they were there and the log was kept (from ``INCIDENT_LOG_FROM``),
    about as many as today's staff have, and for those who showed they would go, a few
    more negative ones in the months before."""
    first = max(INCIDENT_LOG_FROM, person.hire_date or INCIDENT_LOG_FROM)
    days = (left - first).days
    if days <= 0:
        return
    made = [(Incident.Polarity.POSITIVE, _poisson(rng, POSITIVE_PER_DAY * days)),
            (Incident.Polarity.NEGATIVE, _poisson(rng, NEGATIVE_PER_DAY * days))]  # fmt: skip
    for polarity, count in made:
        for _count in range(count):
            _incident(rng, person, first + timedelta(days=rng.randrange(days)), polarity)
    if showed:
        for _count in range(rng.randint(1, 2)):
            day = left - timedelta(days=rng.randrange(10, 90))
            if day >= first:
                _incident(rng, person, day, Incident.Polarity.NEGATIVE)


def _incident(rng: random.Random, person: Employee, day: date, polarity: str) -> None:
    Incident.objects.create(
        employee=person,
        occurred_on=day,
        polarity=polarity,
        what=rng.choice(WHAT if polarity == Incident.Polarity.NEGATIVE else PRAISE),
        recorded_by=person.manager.user if person.manager else None,
    )


def _poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count, total = count + 1, total + rng.expovariate(1.0)
    return count


def _manager_change(rng: random.Random, person: Employee, left: date, places: list[Seat]) -> None:
    """A new lead some months before they left, as the audit log keeps a change."""
    before = rng.choice(
        [s.manager for s in places if s.manager != person.manager] or [person.manager]
    )
    when = months_after(left, -rng.randint(2, 8))
    if person.hire_date and when <= person.hire_date:
        return
    entry = record(
        None,
        "employee.update",
        person,
        before={"manager": before.number if before else None},
        after={"manager": person.manager.number if person.manager else None},
    )
    moment = timezone.make_aware(datetime.combine(when, time(10, 0)))
    AuditEntry.objects.filter(pk=entry.pk).update(at=moment)


def _monthly_runs() -> dict[date, MetricRun]:
    """The latest computation of each month, by the month's end."""
    found: dict[date, MetricRun] = {}
    for run in MetricRun.objects.order_by("computed_at", "id"):
        if MONTH.fullmatch(run.period):
            found[month_end(date(int(run.period[:4]), int(run.period[5:]), 1))] = run
    return found


def _kpis(
    rng: random.Random, person: Employee, left: date, runs: dict[date, MetricRun], *, sliding: bool
) -> None:
    # As the catalog computes them: the rates in percent, the handle time in seconds.
    csat, qa, aht = rng.gauss(87, 2.5), rng.gauss(92, 2), rng.gauss(400, 40)
    records = []
    for end, run in sorted(runs.items()):
        if (person.hire_date and end < person.hire_date) or end >= left:
            continue
        months_left = (left.year - end.year) * 12 + left.month - end.month
        slide = max(0, 4 - months_left) if sliding else 0  # the last few months before going
        values = {
            "csat_rate": min(99.0, csat - 3 * slide + rng.gauss(0, 1)),
            "qa_pass_rate": min(99.0, qa - 2 * slide + rng.gauss(0, 1)),
            "aht_seconds": aht + 20 * slide + rng.gauss(0, 10),
        }
        records += [
            MetricRecord(
                run=run, subject_type="employee", subject=person.number, metric=metric, value=value
            )
            for metric, value in values.items()
        ]
    MetricRecord.objects.bulk_create(records)


def _attribute_file(rng: random.Random) -> Path:
    """Everyone's sex and age band, drawn apart from anything else, as HR would import it."""
    folder = Path(settings.HOME) / "demo-data"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "protected-attributes.csv"
    lines = ["工号,性别,年龄"]
    for number in Employee.objects.order_by("number").values_list("number", flat=True):
        lines.append(f"{number},{rng.choice('女女男')},{rng.randint(21, 58)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def summary_line(run: Any) -> tuple[str, str]:
    """What ``kaohe demo`` says of the model, in Chinese and English."""
    if run.status != AttritionModel.Status.TRAINED:
        return (f"离职风险模型未能训练：{(run.message or {}).get('zh', '')}",
                f"attrition model not trained: {(run.message or {}).get('en', '')}")  # fmt: skip
    auc = next(v["auc"] for v in run.summary["validations"] if v["model"] == run.chosen)
    scored = run.scores.count()
    return (
        f"已训练离职风险模型（{run.leavers} 名主动离职者，验证 AUC {auc:.2f}），已评估 {scored} 人",
        f"attrition model trained ({run.leavers} who resigned, validation AUC {auc:.2f}), "
        f"{scored} people scored",
    )
