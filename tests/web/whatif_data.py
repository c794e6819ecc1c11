"""A small cycle for the what-if tests: the factory's organisation on the built-in schemes,
its appraisals at every kind of stage a what-if reads.

    ann  cs-agent  finalised, then an appeal adjusted by −4 (frozen; locked result v2)
    amy  cs-agent  at calibration, moved by +3 points (frozen; provisional)
    bob  cs-agent  finalised (frozen; locked result v1)
    mike cs-agent  in progress (not frozen: read live, with his ratings so far)
    lena cs-agent  a draft with no ratings (no score)
    dora cs-director, alice and others: other schemes, untouched by a cs-agent change

Each person's metrics differ, so that a change moves them differently; everyone in 企服部
has a base pay.
"""

from __future__ import annotations

from decimal import Decimal

import yaml

from kaohe.appraisals.models import Appraisal
from kaohe.data.models import MetricRecord, MetricRun
from tests.web.test_it_appraisals import ratings_for
from tests.web.workflow import act, appraisal_of, launched_cycle

PERIOD = "2026-Q3"
# Each agent's metric values: answer rate, CSAT and the others alike, talk time in seconds.
LEVELS = {"ann": 93.0, "amy": 88.0, "bob": 96.0, "mike": 86.0, "lena": 91.0}
RATED = {"ann": "5", "amy": "3", "bob": "4", "mike": "4"}
BASE_PAY = {"ann": "3000", "amy": "3200.50", "bob": "2800", "mike": "5000", "lena": "5000"}
INTERVIEW = {"strengths": "耐心", "improvements": "时效", "actions": "复盘", "root_cause": "skills"}


def store_metrics(org) -> None:
    run = MetricRun.objects.filter(period=PERIOD).first() or MetricRun.objects.create(period=PERIOD)
    for key, level in LEVELS.items():
        appraisal = Appraisal.objects.filter(employee=org.people[key]).first()
        for spec in appraisal.version.scheme().inputs.values():
            if spec.metric is None:
                continue
            value = level * 4 if spec.metric.metric == "avg_talk_seconds" else level
            if spec.metric.metric == "complaint_conversion_rate":
                value = round((100 - level) / 8, 2)
            if spec.metric.metric == "nps":
                value = level - 50
            MetricRecord.objects.update_or_create(
                run=run, subject_type=spec.metric.subject_type,
                subject=spec.metric.subject(org.people[key].number), metric=spec.metric.metric,
                defaults={"value": value, "numerator": value, "denominator": 100},
            )  # fmt: skip


def to_review(org, appraisal, level) -> None:
    employee, rater = appraisal.employee.user, appraisal.rater.user
    act(rater, appraisal.pk, "send_for_confirmation")
    act(employee, appraisal.pk, "confirm")
    act(rater, appraisal.pk, "open_assessment")
    act(employee, appraisal.pk, "submit_self_assessment")
    act(rater, appraisal.pk, "submit_review", ratings_for(appraisal, level))


def finalise(org, appraisal, adjustment="0") -> None:
    hr = org.users["alice"]
    act(hr, appraisal.pk, "calibrate", {"adjustment": adjustment, "reason": "校准"})
    act(appraisal.rater.user, appraisal.pk, "record_interview", INTERVIEW)
    act(appraisal.employee.user, appraisal.pk, "acknowledge")
    act(hr, appraisal.pk, "finalise")


def build_cycle(org):
    cycle = launched_cycle(org, period=PERIOD)
    Appraisal.objects.filter(cycle=cycle).update(base_pay=Decimal(4000))
    for key, pay in BASE_PAY.items():
        Appraisal.objects.filter(cycle=cycle, employee=org.people[key]).update(
            base_pay=Decimal(pay)
        )
    store_metrics(org)
    ann, amy, bob = (appraisal_of(cycle, org, key) for key in ("ann", "amy", "bob"))
    for key, appraisal in (("ann", ann), ("amy", amy), ("bob", bob)):
        to_review(org, appraisal, RATED[key])
    finalise(org, ann)
    finalise(org, bob)
    Appraisal.objects.filter(pk=ann.pk).update(appeal_until="2099-01-01T00:00:00Z")
    act(org.users["ann"], ann.pk, "appeal", {"reason": "抽检样本太少"})
    act(org.users["alice"], ann.pk, "adjust", {"adjustment": "-4", "reason": "复核后下调"})
    act(org.users["alice"], amy.pk, "calibrate", {"adjustment": "3", "reason": "跨组校准"})
    mike = appraisal_of(cycle, org, "mike")
    act(mike.rater.user, mike.pk, "send_for_confirmation")
    act(org.users["mike"], mike.pk, "confirm")
    act(mike.rater.user, mike.pk, "open_assessment")
    # Ratings entered so far but not submitted: what scoring reads of a running appraisal.
    Appraisal.objects.filter(pk=mike.pk).update(
        ratings={k.removeprefix("input_"): v for k, v in ratings_for(mike, "4").items()}
    )
    cycle.refresh_from_db()
    return cycle


def agent_version(cycle):
    return Appraisal.objects.filter(cycle=cycle, employee__number="A001").get().version


def changed_text(version, change) -> str:
    """The version's text with ``change(data)`` applied to its data."""
    data = yaml.safe_load(version.text)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def dimension(data, dimension_id):
    return next(d for d in data["dimensions"] if d["id"] == dimension_id)


def indicator(data, indicator_id):
    return next(i for d in data["dimensions"] for i in d["indicators"] if i["id"] == indicator_id)


def grade_bands(data):
    """The scheme's grades written out (the built-in agent scheme uses the standard ones)."""
    from kaohe.schemes.form.ops import grades_data

    data.setdefault("grades", grades_data())
    return {band["grade"]: band for band in data["grades"]}
