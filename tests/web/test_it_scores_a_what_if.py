"""The what-if's figures: each person's new total, grade and pay are what the normal
scoring path gives them under the changed scheme; old figures are the current result;
the summary counts and adds them up; and nothing is written."""

from decimal import Decimal

import pytest
from django.utils import translation

from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.scoring import score_appraisal
from kaohe.audit.models import AuditEntry
from kaohe.calibration.models import CycleGuideline
from kaohe.core import round_half_up
from kaohe.insights.whatif import read_change, run_whatif, simulate, summarise
from kaohe.org.policy import Access
from kaohe.schemes.models import SchemeVersion
from tests.web.whatif_data import (
    agent_version,
    build_cycle,
    changed_text,
    dimension,
    grade_bands,
    indicator,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(org):
    return build_cycle(org)


def weights(data):
    dimension(data, "performance")["weight"] = 80
    dimension(data, "capability")["weight"] = 10
    dimension(data, "attitude")["weight"] = 10


def tiers(data):
    indicator(data, "answer_rate")["rule"]["tiers"] = [
        {"min": 95, "points": 20}, {"min": 88, "points": 10}, {"points": 0}
    ]  # fmt: skip
    indicator(data, "qa_pass_rate")["rule"]["tiers"][0]["min"] = 97


def bands(data):
    found = grade_bands(data)
    found["B"]["min"] = 85
    found["C"]["min"] = 75


def coefficients(data):
    found = grade_bands(data)
    found["A"]["coefficient"] = 1.5
    found["B"]["coefficient"] = 1.1
    found["C"]["coefficient"] = 0.7


def everything(data):
    for change in (weights, tiers, bands, coefficients):
        change(data)


def run_of(org, cycle, text, key="alice"):
    version = agent_version(cycle)
    changed = read_change(text, version)
    assert changed.usable, changed.findings
    return run_whatif(Access(org.users[key]), cycle, version, changed)


def rescored(appraisal, text):
    """The normal scoring path with the changed scheme in the appraisal's place."""
    appraisal.version = SchemeVersion(code="changed", number=1, text=text)
    return score_appraisal(appraisal)


@pytest.mark.parametrize("change", [weights, tiers, bands, coefficients, everything])
def test_each_new_figure_is_the_normal_scoring_of_the_changed_scheme(org, cycle, change):
    text = changed_text(agent_version(cycle), change)
    run = run_of(org, cycle, text)
    rows = {row.number: row for row in run.rows}
    compared = 0
    for appraisal in Appraisal.objects.filter(cycle=cycle, version=agent_version(cycle)):
        row = rows[appraisal.employee.number]
        assert row.changed
        if Result.objects.filter(appraisal=appraisal, number__gt=1).exists():
            continue  # an adjusted appeal: the next test
        scored = rescored(appraisal, text)
        if scored.outcome is None:
            assert row.new.total is None
            assert row.problem is not None
            continue
        compared += 1
        assert row.new.total == scored.outcome.total
        assert row.new.grade == scored.outcome.grade.grade
        assert row.new.pay == scored.outcome.pay
    assert compared == 3  # bob (locked), amy (calibrated), mike (live)


def test_an_adjusted_appeal_moves_the_new_total_as_it_moved_the_result(org, cycle):
    text = changed_text(agent_version(cycle), weights)
    ann = Appraisal.objects.get(cycle=cycle, employee=org.people["ann"])
    scored = rescored(ann, text)
    row = next(r for r in run_of(org, cycle, text).rows if r.number == "A001")
    expected = scored.outcome.total - 4
    assert row.new.total == expected
    assert row.old.total == ann.latest_result().total  # v2: the adjusted one
    assert row.new.pay == round_half_up(Decimal(3000) * _coefficient(row.new.grade))


def _coefficient(grade):
    return {"A": Decimal("1.2"), "B": Decimal("1.0"), "C": Decimal("0.8"), "D": Decimal("0.5"),
            "E": Decimal(0)}[grade]  # fmt: skip


def test_an_unchanged_scheme_moves_nobody(org, cycle):
    run = run_of(org, cycle, agent_version(cycle).text)
    for row in run.rows:
        assert row.new == row.old, row.number
    summary = summarise(run, cycle)
    assert (summary.up, summary.down) == (0, 0)
    assert summary.total.new == summary.total.old


def test_old_is_the_locked_result_else_the_provisional_score(org, cycle):
    run = run_of(org, cycle, agent_version(cycle).text)
    rows = {row.number: row for row in run.rows}
    bob = Appraisal.objects.get(cycle=cycle, employee=org.people["bob"])
    assert rows["B001"].locked
    assert rows["B001"].old.total == bob.latest_result().total
    amy = Appraisal.objects.get(cycle=cycle, employee=org.people["amy"])
    provisional = score_appraisal(amy).outcome
    assert not rows["A002"].locked
    assert rows["A002"].old.total == provisional.total  # with her +3 calibration
    assert provisional.total == score_appraisal(amy).result.total + 3
    assert rows["A002"].frozen is True
    assert rows["M001"].frozen is False  # read as scoring reads it now
    assert rows["L001"].old.total is None  # a draft without ratings: no score
    assert rows["L001"].movement == "unscored"


def test_hand_computed_changes_for_one_person(org, cycle):
    """Bob: locked at his total; under bands B ≥ 85, C ≥ 75 and coefficients A 1.5, B 1.1,
    C 0.7 his grade follows his unchanged total, and pay = 2,800 × the new coefficient."""
    bob_total = Appraisal.objects.get(cycle=cycle, employee=org.people["bob"]).latest_result()
    text = changed_text(agent_version(cycle), lambda d: (bands(d), coefficients(d)))
    row = next(r for r in run_of(org, cycle, text).rows if r.number == "B001")
    total = bob_total.total
    assert row.new.total == total  # bands and coefficients leave totals alone
    grade = "A" if total >= 90 else "B" if total >= 85 else "C" if total >= 75 else "D"
    coefficient = {"A": "1.5", "B": "1.1", "C": "0.7", "D": "0.5"}[grade]
    assert row.new.grade == grade
    assert row.new.pay == (Decimal(2800) * Decimal(coefficient)).quantize(Decimal("0.01"))


def test_a_weight_change_by_hand(org, cycle):
    """The total is Σ weight × earned ÷ possible per dimension: moving 10 points of weight
    from capability to performance changes bob's total by 10 × (performance share −
    capability share), to the cent."""
    bob = Appraisal.objects.get(cycle=cycle, employee=org.people["bob"])
    result = score_appraisal(bob).result
    shares = {d.dimension.id: d.earned / d.possible for d in result.dimensions}
    text = changed_text(agent_version(cycle), lambda d: (
        dimension(d, "performance").update(weight=70),
        dimension(d, "capability").update(weight=10),
    ))  # fmt: skip
    row = next(r for r in run_of(org, cycle, text).rows if r.number == "B001")
    expected = result.total + 10 * (shares["performance"] - shares["capability"])
    assert abs(row.new.total - expected) <= Decimal("0.01")
    assert row.new.total != row.old.total


def test_other_schemes_people_keep_their_figures(org, cycle):
    text = changed_text(agent_version(cycle), everything)
    run = run_of(org, cycle, text)
    others = [row for row in run.rows if not row.changed]
    assert {row.number for row in others} == {"D001"}  # the director's scheme
    assert all(row.new == row.old for row in others)


def test_the_summary_counts_moves_and_adds_up_pay_per_department(org, cycle):
    CycleGuideline.objects.create(
        cycle=cycle, shares={"A": [0, 20], "B": [0, 100], "C": [0, 100], "D": [0, 100],
                             "E": [0, 100]})  # fmt: skip
    text = changed_text(agent_version(cycle), everything)
    run = run_of(org, cycle, text)
    summary = summarise(run, cycle)
    changed = [row for row in run.rows if row.changed]
    assert summary.changed == len(changed) == 5
    assert summary.up == sum(1 for r in changed if r.steps and r.steps > 0)
    assert summary.down == sum(1 for r in changed if r.steps and r.steps < 0)
    assert summary.up + summary.down + summary.same + summary.unscored == 5
    assert sum(summary.steps.values()) == summary.up + summary.down
    by_grade = {g.grade: g for g in summary.grades}
    assert sum(g.new for g in summary.grades) == sum(1 for r in run.rows if r.new.grade)
    assert by_grade["A"].maximum == (20 * sum(g.new for g in summary.grades) + 99) // 100
    team = next(d for d in summary.departments if d.department == "客服一组")
    members = [r for r in run.rows if r.department == "客服一组" and r.base_pay is not None]
    assert team.people == len(members)
    assert team.new == sum(r.new.pay for r in members if r.new.pay is not None)
    assert team.old == sum(r.old.pay for r in members if r.old.pay is not None)
    assert summary.total.new == sum(d.new for d in summary.departments)


def test_scoped_hr_sees_only_their_people_and_their_departments_pay(org, cycle):
    text = changed_text(agent_version(cycle), everything)
    whole = run_of(org, cycle, text, "alice")
    scoped = run_of(org, cycle, text, "harry")  # HR for 客服中心 only
    assert {r.number for r in scoped.rows} == {"M001", "L001", "A001", "A002", "B001"}
    assert {r.number for r in whole.rows} > {r.number for r in scoped.rows}
    departments = {d.department for d in summarise(scoped, cycle).departments}
    assert departments == {"客服一组", "客服二组"}


def counts():
    from kaohe.appraisals.models import Transition

    return (
        Appraisal.objects.count(), Result.objects.count(), SchemeVersion.objects.count(),
        Transition.objects.count(), list(Appraisal.objects.order_by("pk").values_list(
            "state", "calibration", "frozen_inputs", "ratings", "updated_at")),
        list(Result.objects.order_by("pk").values_list("total", "grade", "pay")),
        list(SchemeVersion.objects.order_by("pk").values_list("text", "frozen")),
    )  # fmt: skip


def test_a_run_writes_nothing(org, cycle):
    before, audit = counts(), AuditEntry.objects.count()
    text = changed_text(agent_version(cycle), everything)
    version = agent_version(cycle)
    simulate(Appraisal.objects.filter(cycle=cycle), cycle, version, read_change(text, version)
             .scheme)  # fmt: skip
    run_of(org, cycle, text)
    assert counts() == before
    assert AuditEntry.objects.count() == audit


# --- reading a running cycle's values for everyone at once ----------------------------------

GOALS_SCHEME_CHANGE = {
    "kind": "percent", "feed": "goals",
    "name": {"zh": "OKR 完成度", "en": "OKR completion"},
}  # fmt: skip


def test_the_values_of_a_running_cycle_read_in_bulk_are_those_read_one_by_one(org):
    """Metrics, incidents, a closed 360 review and goals: ``fed_values_many`` gives every
    appraisal exactly what ``fed_values`` gives it, with a fixed number of queries."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaohe.appraisals.inputs import fed_values, fed_values_many
    from kaohe.incidents.actions import IncidentInput, do_record_incident
    from kaohe.reviews.actions import do_close_reviews
    from tests.web.reviewing import answer, colleagues, opened, started
    from tests.web.test_it_sets_goals import goal, kr
    from tests.web.whatif_data import PERIOD, store_metrics
    from tests.web.workflow import launched_cycle

    cycle = launched_cycle(org, period=PERIOD)
    store_metrics(org)
    for key, kind in (("ann", "suggestion"), ("ann", "violation"), ("bob", "extra_task")):
        recorder = org.users["mike"] if key == "ann" else org.users["lena"]
        polarity = "negative" if kind == "violation" else "positive"
        do_record_incident(recorder, org.people[key].number, IncidentInput(
            occurred_on=date(2026, 8, 3), polarity=polarity, what="记录", kind=kind))  # fmt: skip
    peers = colleagues(org, 3)
    review = opened(org, started(org, cycle, ("bob",))["bob"], peers=peers)
    for key in (*peers, "bob", "lena"):
        answer(org, review, key, 4)
    do_close_reviews(org.users["alice"], [review.pk])
    goal(org, "ann", krs=[kr("甲", "0", "10", "5"), kr("乙", "0", "10", "10")])
    appraisals = list(Appraisal.objects.filter(cycle=cycle).select_related("cycle", "employee"))
    version = agent_version(cycle)
    with_goals = yaml_with_input(version, "okr_completion", GOALS_SCHEME_CHANGE)
    for scheme in (version.scheme(), with_goals):
        one_by_one = {a.pk: fed_values(a, scheme) for a in appraisals}
        with CaptureQueriesContext(connection) as queries:
            at_once = fed_values_many(appraisals, scheme)
        assert at_once == one_by_one
        assert len(queries) <= 12  # whatever the number of people
    bob = next(a for a in appraisals if a.employee_id == org.people["bob"].pk)
    assert at_once[bob.pk]["peer_review_score"].source == "reviews"
    ann = next(a for a in appraisals if a.employee_id == org.people["ann"].pk)
    assert at_once[ann.pk]["okr_completion"].value == Decimal(75)
    assert at_once[ann.pk]["violations"].value == 1


def yaml_with_input(version, name, spec):
    import yaml

    from kaohe.core import load_text

    data = yaml.safe_load(version.text)
    data["inputs"][name] = spec
    return load_text(yaml.safe_dump(data, allow_unicode=True))
