"""Points from HR's rules and badges from the stored metrics: awarded after each import and
each locked result, each saying why, and running again changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kaohe.audit.models import AuditEntry
from kaohe.data.signals import metrics_stored
from kaohe.goals.models import KeyResult, Objective
from kaohe.points.actions import (
    BadgeInput,
    PointsRefused,
    award_badges,
    award_points,
    do_delete_badge,
    do_delete_rule,
    do_run_awards,
    do_save_badge,
    do_save_rule,
)
from kaohe.points.models import Badge, BadgeAward, PointEntry, PointRule

from .points_data import MAY, csat, incident, rules, store
from .test_it_makes_the_pay_list import finalise
from .workflow import appraisal_of, launched_cycle


def holders(code, period):
    return sorted(
        BadgeAward.objects.filter(badge__code=code, period=period).values_list(
            "employee__number", flat=True
        )
    )


def test_the_service_star_goes_to_the_best_csat_of_each_team_and_says_why(org):
    run = store("2026-05", {"A001": csat(4.82, 212), "A002": csat(4.61, 150),
                            "B001": csat(4.9, 40), "M001": csat(5.0, 3)})  # fmt: skip
    metrics_stored.send(sender=None, run=run)
    # 二组 has one agent with enough surveys: no best of one; mike's 3 surveys are too few
    assert holders("service-star", "2026-05") == ["A001"]
    award = BadgeAward.objects.get(badge__code="service-star")
    assert award.why_zh == "满意度均分 4.82（212 份问卷）：客服一组 2 人中无成立投诉者最佳"
    assert award.why_en == (
        "CSAT 4.82 with 212 surveys: the best of 2 in 客服一组 with no complaint upheld"
    )
    assert award.team == "客服一组"
    entry = AuditEntry.objects.get(action="points.award_badges")
    assert (entry.actor, entry.after["awarded"], entry.after["period"]) == (
        None,
        ["A001"],
        "2026-05",
    )


def test_a_tie_gives_both_the_badge(org):
    run = store("2026-05", {"A001": csat(4.8), "A002": csat(4.8), "M001": csat(4.5)})
    award_badges(None, run.period)
    assert holders("service-star", "2026-05") == ["A001", "A002"]


def test_no_award_below_the_minimum_volume_or_on_missing_data(org):
    store("2026-05", {
        "A001": csat(5.0, surveys=29),  # too few surveys
        "A002": csat(4.9, complaints=None),  # no complaint figure: unknown, not zero
        "M001": csat(4.1, complaints=2), "B001": {"complaints_converted": (0, None)},
        "L001": csat(None),
    })  # fmt: skip
    award_badges(None, "2026-05")
    assert holders("service-star", "2026-05") == []
    assert award_badges(None, "2026-06") == 0  # no stored metrics for June: nothing at all
    assert not BadgeAward.objects.exists()


def test_an_upheld_complaint_rules_the_star_out(org):
    store("2026-05", {"A001": csat(4.9, complaints=1), "A002": csat(4.5), "M001": csat(4.2)})
    award_badges(None, "2026-05")
    assert holders("service-star", "2026-05") == ["A002"]


def test_zero_complaints_needs_volume_and_the_rising_star_compares_months(org):
    store("2026-04", {"A001": csat(4.2), "A002": csat(4.7)})
    store("2026-05", {
        "A001": {**csat(4.6), "complaint_conversion_rate": (0.0, 250)},
        "A002": {**csat(4.8), "complaint_conversion_rate": (0.0, 120)},
    })  # fmt: skip
    award_badges(None, "2026-05")
    assert holders("zero-complaints", "2026-05") == ["A001"]  # amy answered too few calls
    assert holders("rising-star", "2026-05") == ["A001"]  # +0.4 against amy's +0.1
    rising = BadgeAward.objects.get(badge__code="rising-star")
    assert rising.why_zh == "满意度均分从 4.2 升至 4.6：客服一组 2 人中进步最大"


def everything():
    return (
        list(BadgeAward.objects.values_list("pk", "why_zh")),
        list(PointEntry.objects.values_list("pk", "points")),
        AuditEntry.objects.count(),
    )


def test_running_again_changes_nothing_and_a_new_import_moves_the_badge(org):
    rules(org, badge=15)
    store("2026-05", {"A001": csat(4.8), "A002": csat(4.5)})
    award_badges(None, "2026-05")
    award_points(None)
    before = everything()
    assert award_badges(None, "2026-05") == 0
    assert award_points(None) == 0
    assert everything() == before
    # A later import of May's data: amy's CSAT is now the best; the star moves, so do points.
    run = store("2026-05", {"A001": csat(4.4), "A002": csat(4.7)})
    metrics_stored.send(sender=None, run=run)
    assert holders("service-star", "2026-05") == ["A002"]
    assert list(PointEntry.objects.values_list("employee__number", "points")) == [("A002", 15)]
    withdrawn = AuditEntry.objects.filter(action="points.award_badges").first()
    assert (withdrawn.after["awarded"], withdrawn.after["withdrawn"]) == (["A002"], ["A001"])


def test_points_from_incidents_commendations_and_goals_one_row_per_event(org):
    rules(org, positive_incident=5, commendation=8, goal_completed=20)
    incident(org, "ann", MAY)
    incident(org, "ann", date(2026, 5, 20), kind="commendation")
    incident(org, "amy", MAY, polarity="negative")
    goal = Objective.objects.create(
        title="提升首解率", owner=org.people["bob"],
        department=org.departments["企服部/客服中心/客服二组"],
        period="2026-Q2", starts=date(2026, 4, 1), ends=date(2026, 6, 30), status="active",
    )  # fmt: skip
    KeyResult.objects.create(objective=goal, title="里程碑", kind="milestone", done=True)
    assert award_points(None) == 3
    rows = sorted(PointEntry.objects.values_list("employee__number", "points", "why_zh"))
    assert rows == [
        ("A001", 5, "2026-05-12 的正面关键事件"),
        ("A001", 8, "2026-05-20 的客户或公司表扬"),
        ("B001", 20, "完成目标「提升首解率」"),
    ]
    assert award_points(None) == 0
    # HR doubles a rule: what was earned keeps its points; a new incident earns the new ones.
    rules(org, positive_incident=10)
    incident(org, "amy", MAY)
    award_points(None)
    assert sorted(PointEntry.objects.filter(rule__kind="positive_incident").values_list(
        "employee__number", "points")) == [("A001", 5), ("A002", 10)]  # fmt: skip


def test_a_rule_is_deleted_only_once_confirmed_and_takes_its_points(org):
    rules(org, positive_incident=5)
    incident(org, "ann", MAY)
    award_points(None)
    rule = PointRule.objects.get()
    with pytest.raises(PointsRefused):
        do_delete_rule(org.users["alice"], rule.pk, confirmed=False)
    assert PointEntry.objects.count() == 1
    with pytest.raises(PermissionDenied):
        do_delete_rule(org.users["harry"], rule.pk, confirmed=True)
    assert do_delete_rule(org.users["alice"], rule.pk, confirmed=True) == 1
    assert not PointEntry.objects.exists()
    entry = AuditEntry.objects.get(action="points.rule_delete")
    assert entry.before == {"rule_kind": "positive_incident", "points": 5, "in_use": True,
                            "entries": 1}  # fmt: skip


QA = BadgeInput(
    code="qa-champion", name_zh="质检标兵", name_en="QA Champion", metric="qa_pass_rate",
    comparison="at_least", threshold=95, min_volume=10, period_kind="quarter",
)  # fmt: skip


def test_hr_defines_a_badge_over_the_catalog_and_it_is_awarded(org):
    badge = do_save_badge(org.users["alice"], QA)
    store("2026-Q2", {"A001": {"qa_pass_rate": (96.0, 20)}, "A002": {"qa_pass_rate": (99.0, 5)},
                      "B001": {"qa_pass_rate": (94.0, 30)}})  # fmt: skip
    award_badges(None, "2026-Q2")
    assert holders("qa-champion", "2026-Q2") == ["A001"]
    assert BadgeAward.objects.get().why_en == "QA pass rate 96% with 20 QA checks, at least 95%"
    assert AuditEntry.objects.get(action="points.badge").after["metric"] == "qa_pass_rate"
    with pytest.raises(PointsRefused):
        do_save_badge(org.users["alice"], BadgeInput(**{**QA.__dict__, "metric": "made_up"}))
    with pytest.raises(PointsRefused):
        do_delete_badge(org.users["alice"], badge.pk, confirmed=False)
    builtin = Badge.objects.get(code="service-star")
    with pytest.raises(PointsRefused):
        do_delete_badge(org.users["alice"], builtin.pk, confirmed=True)
    assert do_delete_badge(org.users["alice"], badge.pk, confirmed=True) == 1
    assert not Badge.objects.filter(code="qa-champion").exists()


@pytest.mark.parametrize("who", ["harry", "eve", "mike", "ann", "nobody"])
def test_only_whole_organisation_hr_edits_rules_and_badges_and_runs_awards(org, who):
    rules(org, positive_incident=5)
    user = org.users[who]
    with pytest.raises(PermissionDenied):
        do_save_badge(user, QA)
    with pytest.raises(PermissionDenied):
        do_save_rule(user, "positive_incident", 9)
    with pytest.raises(PermissionDenied):
        do_run_awards(user)
    assert PointRule.objects.get().points == 5


def test_a_locked_result_earns_its_top_tier_points(org, django_capture_on_commit_callbacks):
    rules(org, top_tier=10)
    cycle = launched_cycle(org)
    appraisal = appraisal_of(cycle, org, "ann")
    with django_capture_on_commit_callbacks(execute=True):
        finalise(appraisal, org.users["alice"])
    result = appraisal.latest_result()
    full = [i for i in result.trace["result"]["indicators"]
            if i["counted"] and i["max_points"] and i["points"]
            and Decimal(i["points"]) == Decimal(i["max_points"]) > 0]  # fmt: skip
    assert full  # the fixture's ratings reach some indicator's top tier
    entries = PointEntry.objects.filter(employee=org.people["ann"], rule__kind="top_tier")
    assert {e.source for e in entries} == {f"appraisal:{appraisal.pk}:{i['id']}" for i in full}
    assert {e.on for e in entries} == {date(2026, 9, 30)}  # the cycle's last day
    assert award_points(None) == 0


def test_a_failing_award_run_never_fails_the_import_that_stored_the_values(
    org, monkeypatch, caplog
):
    def broken(*_args):
        raise RuntimeError("a bug in a badge rule")

    monkeypatch.setattr("kaohe.points.actions.awards.evaluate", broken)
    run = store("2026-05", {"A001": csat(4.8), "A002": csat(4.5)})
    metrics_stored.send(sender=None, run=run)  # no exception reaches the sender
    assert not BadgeAward.objects.exists()
    assert "awards after the metrics of 2026-05 failed" in caplog.text


def test_an_import_computes_the_months_of_open_cycles_for_the_monthly_badges(
    org, settings, tmp_path, django_capture_on_commit_callbacks
):
    from kaohe.data.actions import do_import_data
    from kaohe.data.models import MetricRun
    from kaohe.points.receivers import months_to_judge

    from .test_it_data import CALLS

    launched_cycle(org, period="2025-Q4")
    assert months_to_judge() == ["2025-10", "2025-11", "2025-12"]
    settings.HOME = tmp_path
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        do_import_data(org.users["alice"], "calls", calls, "calls.csv")
    assert {"2025-10", "2025-11", "2025-12"} <= set(
        MetricRun.objects.values_list("period", flat=True)
    )
    Badge.objects.filter(period_kind="month").update(active=False)
    assert months_to_judge() == []
