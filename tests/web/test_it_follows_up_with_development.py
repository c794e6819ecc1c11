"""What follows from a grade: proposals at finalisation, HR's decisions, IDPs drafted from
the weakest indicators, PIPs with check-ins and outcomes, promotion candidates — and who
may see each."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.weakest import weakest
from kaohe.audit.models import AuditEntry
from kaohe.development.actions import (
    DevelopmentRefused,
    ItemInput,
    do_agree_plan,
    do_check_in,
    do_decide_proposal,
    do_save_plan,
    do_set_outcome,
    do_start_plan,
)
from kaohe.development.candidates import promotion_candidates
from kaohe.development.library import action_for, hint_for, known_indicators
from kaohe.development.models import Kind, Plan, Proposal
from kaohe.org.policy import Access
from tests.web.test_it_makes_the_pay_list import finalise
from tests.web.workflow import act, appraisal_of, launched_cycle


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(org):
    made = launched_cycle(org)
    for key in ("ann", "bob"):
        finalise(appraisal_of(made, org, key), org.users["alice"])
    return made


def test_a_locked_result_proposes_what_its_grade_leads_to(org, cycle):
    ann = appraisal_of(cycle, org, "ann")
    proposal = Proposal.objects.get(appraisal=ann)
    grade = ann.latest_result().grade
    places = [band.grade for band in ann.version.scheme().grades.bands]
    expected = [Kind.PROMOTION, Kind.KEY_DEVELOPMENT, Kind.CAPABILITY, Kind.PIP, Kind.ROLE_CHANGE]
    assert proposal.kind == expected[places.index(grade)]
    band = ann.version.scheme().grades.bands[places.index(grade)]
    assert proposal.action_zh == band.actions.zh
    assert AuditEntry.objects.filter(action="development.propose").count() == 2


def test_an_adjusted_appeal_supersedes_the_open_proposal(org, cycle):
    ann = appraisal_of(cycle, org, "ann")
    Appraisal.objects.filter(pk=ann.pk).update(appeal_until="2099-01-01T00:00:00Z")
    act(org.users["ann"], ann.pk, "appeal", {"reason": "样本太少"})
    act(org.users["alice"], ann.pk, "adjust", {"adjustment": "-15", "reason": "复核"})
    first, second = Proposal.objects.filter(appraisal=ann).order_by("id")
    assert first.status == Proposal.Status.SUPERSEDED
    assert (second.status, second.result_number) == (Proposal.Status.PROPOSED, 2)


def test_hr_accepts_changes_or_dismisses_with_a_reason(org, cycle):
    ann, bob = (Proposal.objects.get(appraisal=appraisal_of(cycle, org, k)) for k in ("ann", "bob"))
    with pytest.raises(DevelopmentRefused, match="Say why"):
        do_decide_proposal(org.users["alice"], ann.pk, "dismiss")
    with pytest.raises(DevelopmentRefused, match="Choose what"):
        do_decide_proposal(org.users["alice"], ann.pk, "change", "团队需要", "nonsense")
    with pytest.raises(PermissionDenied):
        do_decide_proposal(org.users["mike"], ann.pk, "accept")
    changed = do_decide_proposal(org.users["alice"], ann.pk, "change", "团队需要", Kind.PIP)
    assert (changed.status, changed.kind) == (Proposal.Status.CHANGED, Kind.PIP)
    assert changed.proposed_kind != Kind.PIP or changed.proposed_kind == Kind.PIP
    with pytest.raises(DevelopmentRefused, match="decided already"):
        do_decide_proposal(org.users["alice"], ann.pk, "accept")
    assert do_decide_proposal(org.users["harry"], bob.pk, "accept").status == "accepted"
    assert AuditEntry.objects.filter(action="development.decide").count() == 2


def test_an_idp_starts_from_the_weakest_indicators_with_the_librarys_actions(org, cycle):
    ann = appraisal_of(cycle, org, "ann")
    plan = do_start_plan(org.users["mike"], ann.pk, Plan.Type.IDP)
    weak = weakest(ann.latest_result().trace)
    assert [item.indicator for item in plan.items.all()] == [w.indicator for w in weak]
    for item, found in zip(plan.items.all(), weak, strict=True):
        assert item.action == action_for(found.indicator, found.dimension).en
    with pytest.raises(DevelopmentRefused, match="already"):
        do_start_plan(org.users["mike"], ann.pk, Plan.Type.IDP)
    with pytest.raises(PermissionDenied):
        do_start_plan(org.users["ann"], ann.pk, Plan.Type.PIP)  # not for oneself
    with pytest.raises(PermissionDenied):
        do_start_plan(org.users["lena"], ann.pk, Plan.Type.PIP)  # another team's lead


def test_weakest_takes_up_to_three_under_eighty_per_cent_or_else_the_lowest():
    def trace(*pairs):
        return {"result": {"indicators": [
            {"id": f"i{n}", "dimension": "d", "name": {"zh": f"指标{n}", "en": f"I{n}"},
             "points": str(p), "max_points": str(m), "counted": True}
            for n, (p, m) in enumerate(pairs)
        ]}}  # fmt: skip

    found = weakest(trace((10, 20), (19, 20), (3, 10), (7, 10), (15, 20)))
    assert [w.indicator for w in found] == ["i2", "i0", "i3"]  # 30 %, 50 %, 70 %
    assert [w.indicator for w in weakest(trace((19, 20), (9, 10)))] == ["i1"]
    assert weakest({}) == []


def test_the_library_covers_every_built_in_indicator_in_both_languages():
    from kaohe.core import builtin_names, load_scheme

    ids = {i.id for name in builtin_names() for i in load_scheme(name).indicators()}
    assert ids <= known_indicators()
    for indicator in ids:
        action = action_for(indicator)
        assert action.zh
        assert action.en != action.zh
    assert "高管导师" in action_for("professionalism").zh  # seed 002's examples
    assert "情景模拟" in action_for("coordination").zh
    assert "数据基础设施" in hint_for("info_utilization").zh


def test_the_manager_edits_and_the_employee_agrees(org, cycle):
    ann = appraisal_of(cycle, org, "ann")
    plan = do_start_plan(org.users["mike"], ann.pk, Plan.Type.IDP)
    first = plan.items.first()
    due = date(2026, 12, 31)
    do_save_plan(org.users["mike"], plan.pk, [
        ItemInput(first.pk, "每周复盘两通录音", due=due, status="in_progress"),
        ItemInput(None, "参加投诉处理培训", label="投诉"),
    ])  # fmt: skip
    first.refresh_from_db()
    assert (first.action, first.due, first.status) == ("每周复盘两通录音", due, "in_progress")
    assert plan.items.filter(label="投诉").exists()
    with pytest.raises(PermissionDenied):
        do_save_plan(org.users["ann"], plan.pk, [])  # the employee agrees, not edits
    with pytest.raises(PermissionDenied):
        do_agree_plan(org.users["mike"], plan.pk)  # only the employee agrees
    agreed = do_agree_plan(org.users["ann"], plan.pk)
    assert agreed.status == Plan.Status.AGREED
    assert AuditEntry.objects.filter(action="development.agree").count() == 1


def test_a_pip_has_support_check_ins_and_an_outcome(org, cycle):
    bob = appraisal_of(cycle, org, "bob")
    plan = do_start_plan(org.users["lena"], bob.pk, Plan.Type.PIP)
    do_save_plan(org.users["lena"], plan.pk, [], support="每周一对一辅导")
    assert Plan.objects.get(pk=plan.pk).support == "每周一对一辅导"
    do_check_in(org.users["lena"], plan.pk, date(2026, 11, 15), "进步明显")
    with pytest.raises(DevelopmentRefused, match="needs a reason"):
        do_set_outcome(org.users["lena"], plan.pk, "passed", "")
    extended = do_set_outcome(org.users["lena"], plan.pk, "extended", "再观察一个月")
    assert extended.status != Plan.Status.CLOSED
    closed = do_set_outcome(org.users["lena"], plan.pk, "passed", "达成目标")
    assert (closed.status, closed.outcome) == (Plan.Status.CLOSED, "passed")
    with pytest.raises(PermissionDenied):
        do_check_in(org.users["lena"], plan.pk, date(2026, 12, 1), "已关闭")  # closed


@pytest.mark.parametrize(
    ("key", "status"),
    [("ann", 200), ("mike", 200), ("dora", 200), ("eve", 200), ("alice", 200), ("harry", 200),
     ("lena", 404), ("amy", 404), ("bob", 404), ("nobody", 404)],
)  # fmt: skip
def test_a_plan_is_seen_by_the_employee_their_managers_and_hr_only(
    org, cycle, client_for, key, status
):
    plan = do_start_plan(org.users["mike"], appraisal_of(cycle, org, "ann").pk, Plan.Type.PIP)
    assert client_for(key).get(reverse("development-plan", args=[plan.pk])).status_code == status


def test_an_executive_who_is_not_above_the_employee_does_not_see_the_plan(org, cycle, client_for):
    from kaohe.org.actions import do_grant_role
    from kaohe.org.models import GrantRole

    plan = do_start_plan(org.users["mike"], appraisal_of(cycle, org, "ann").pk, Plan.Type.PIP)
    do_grant_role(None, org.users["lena"], GrantRole.EXECUTIVE)
    assert client_for("lena").get(reverse("development-plan", args=[plan.pk])).status_code == 404


def test_the_development_page_lists_what_each_reader_may_see(org, cycle, client_for):
    do_start_plan(org.users["mike"], appraisal_of(cycle, org, "ann").pk, Plan.Type.IDP)
    hr = client_for("alice").get(reverse("development")).content.decode()
    assert 'data-testid="proposal-A001"' in hr
    assert 'data-testid="proposal-B001"' in hr
    lead = client_for("lena").get(reverse("development")).content.decode()
    assert "proposal-" not in lead  # proposals are HR's
    assert "安妮" not in lead  # another team's plan
    assert "鲍勃" in lead  # her own report's result waits for a plan
    mine = client_for("ann").get(reverse("development")).content.decode()
    assert reverse("development-plan", args=[Plan.objects.get().pk]) in mine


def test_promotion_candidates_are_graded_a_in_each_of_the_last_cycles(org, cycle):
    earlier = launched_cycle(org, period="2026-Q2")
    ann, amy = appraisal_of(cycle, org, "ann"), appraisal_of(cycle, org, "amy")
    ann_before, amy_before = appraisal_of(earlier, org, "ann"), appraisal_of(earlier, org, "amy")

    def lock(appraisal, grade, total):
        Appraisal.objects.filter(pk=appraisal.pk).update(state="closed")
        number = appraisal.results.count() + 1
        Result.objects.create(appraisal=appraisal, number=number, total=Decimal(total),
                              grade=grade, coefficient=Decimal("1.2"))  # fmt: skip

    Result.objects.filter(appraisal=ann).delete()
    lock(ann_before, "A", 93)
    lock(ann, "A", 95)
    lock(amy_before, "A", 92)
    lock(amy, "B", 85)
    # Oldest first: cycles come in the order they were made (the Q3 fixture first here).
    from kaohe.appraisals.models import Cycle

    Cycle.objects.filter(pk=earlier.pk).update(created_at="2026-04-01T00:00:00Z")
    results = promotion_candidates(Result.objects.all(), 2)
    assert [c.number for c in results] == ["A001"]
    assert [g.period for g in results[0].history] == ["2026-Q2", "2026-Q3"]
    assert [c.number for c in promotion_candidates(Result.objects.all(), 1)] == ["A001"]
    from kaohe.development.policy import results_for_candidates

    assert not results_for_candidates(Access(org.users["mike"])).exists()


def test_the_diagnosis_names_where_many_score_low_for_its_readers(org, cycle, client_for):
    from kaohe.development.diagnosis import report

    found = report(Access(org.users["alice"]), [cycle])
    assert found.people == 2  # ann and bob have locked results
    assert set(found.diagnosis.groups) == {"客服一组", "客服二组"}
    mine = report(Access(org.users["mike"]), [cycle])
    assert mine.diagnosis.groups == ["客服一组"]  # a lead reads his team only
    url = reverse("development-diagnosis")
    for key, status in [("alice", 200), ("harry", 200), ("eve", 200), ("dora", 200),
                        ("mike", 200), ("ann", 403), ("nobody", 403)]:  # fmt: skip
        assert client_for(key).get(url).status_code == status, key
    page = client_for("alice").get(url).content.decode()
    assert 'data-testid="heatmap"' in page


def test_the_interview_records_a_root_cause_per_weak_indicator_for_the_diagnosis(org):
    from kaohe.appraisals.actions import WorkflowError
    from kaohe.appraisals.models import Interview
    from kaohe.development.diagnosis import _causes
    from tests.web.test_it_calibrates_in_sessions import to_calibration

    made = launched_cycle(org)
    ann = appraisal_of(made, org, "ann")
    to_calibration(ann, "2")
    act(org.users["alice"], ann.pk, "calibrate")
    form = {"strengths": "a", "improvements": "b", "actions": "c", "root_cause": "skills"}
    with pytest.raises(WorkflowError, match="root cause"):
        act(org.users["mike"], ann.pk, "record_interview", {**form, "cause_csat": "luck"})
    act(org.users["mike"], ann.pk, "record_interview",
        {**form, "cause_csat": "process", "cause_fcr": ""})  # fmt: skip
    interview = Interview.objects.get(appraisal=ann)
    assert interview.causes == {"csat": "process"}
    counted = _causes([frozenset({ann.pk})])
    assert counted("csat", frozenset({ann.pk})) == {"Process": 1}  # the indicator's own
    assert counted("fcr", frozenset({ann.pk})) == {"Skills": 1}  # else the interview's
