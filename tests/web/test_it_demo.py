"""The demo organisation and `kaohe demo` on an empty KAOHE_HOME."""

from collections import Counter

from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from kaohe.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from kaohe.org.models import AccessGrant, Employee, GrantRole, RoleFamily

from .factory import store_metrics_for_everyone


def test_the_demo_organisation(db):
    assert load_demo() is True
    people = Employee.objects.select_related("position", "department")
    by_family = {
        family: people.filter(position__family=family).count() for family in RoleFamily.values
    }
    assert by_family[RoleFamily.DIRECTOR] == 1
    assert by_family[RoleFamily.CUSTOMER_SERVICE] == 43  # three leads and forty agents
    assert by_family[RoleFamily.ADMINISTRATION] == 8
    assert by_family[RoleFamily.TECHNICAL_SUPPORT] == 8
    leads = people.filter(position__name="客服组长")
    assert [lead.direct_reports.count() for lead in leads] == [14, 13, 13]
    names = list(people.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert all(2 <= len(name) <= 4 for name in names)
    assert AccessGrant.objects.get(role=GrantRole.HR_ADMIN).user.username == "hr"


def test_loading_twice_changes_nothing(db):
    load_demo()
    count = Employee.objects.count()
    assert load_demo() is False
    assert Employee.objects.count() == count


def test_demo_accounts_sign_in_with_the_demo_password_and_no_one_else_can(db):
    load_demo()
    request = RequestFactory().post("/login/")
    for username, _role in DEMO_ACCOUNTS:
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None
    others = Employee.objects.exclude(user__username__in=[u for u, _ in DEMO_ACCOUNTS])
    assert others.count() > 50
    assert not any(person.user.has_usable_password() for person in others)
    agent = Employee.objects.get(user__username="agent")
    manager = Employee.objects.get(user__username="manager")
    assert agent.manager == manager
    assert manager.manager == Employee.objects.get(user__username="director")


def test_the_demo_cycle_spreads_across_the_states(db):
    from kaohe.appraisals.demo import launch_demo_cycle
    from kaohe.appraisals.models import Appraisal
    from kaohe.appraisals.workflow import State
    from tests.web.workflow import available

    load_demo()
    store_metrics_for_everyone("2026-Q3", 92.0)
    cycle = launch_demo_cycle()
    assert cycle is not None
    assert launch_demo_cycle() is None  # once only
    appraisals = Appraisal.objects.filter(cycle=cycle)
    assert appraisals.count() == 60  # everyone in 企服部
    assert set(appraisals.values_list("state", flat=True)) == set(State)  # every one
    appeal = appraisals.get(state=State.APPEAL)
    assert appeal.results.count() == 1
    assert appeal.appeals.get().decision == "pending"
    agent = appraisals.get(employee__user__username="agent")
    assert [a.name for a in available(agent.employee.user, agent)] == ["submit_self_assessment"]
    # What waits on the other demo accounts: the lead's reviews, HR's calibrations,
    # finalisations and the appeal, and the director's draft on the general manager.
    manager = appraisals.get(employee__user__username="manager").employee
    assert appraisals.filter(rater=manager, state=State.MANAGER_REVIEW).exists()
    for state in (State.CALIBRATION, State.FINALISING, State.APPEAL):
        assert appraisals.filter(state=state).exists()
    director = appraisals.get(employee__user__username="director")
    assert director.rater.user.username == "exec"
    assert "send_for_confirmation" in [a.name for a in available(director.rater.user, director)]


def test_the_demo_cycle_grades_spread_like_a_real_department(db, settings, tmp_path):
    """On the demo's own generated quarter, the appraisals with a score (final or
    provisional) spread around B and C, with some A and few E, and every state is there."""
    from kaohe.appraisals.demo import launch_demo_cycle
    from kaohe.appraisals.models import Appraisal
    from kaohe.appraisals.scoring import score_appraisal
    from kaohe.appraisals.workflow import State
    from kaohe.data.demo_data import load_demo_quarter

    settings.HOME = tmp_path
    load_demo()
    assert load_demo_quarter(get_user_model().objects.get(username="hr"), say=lambda _line: None)
    cycle = launch_demo_cycle()
    appraisals = Appraisal.objects.filter(cycle=cycle).select_related("version", "employee")
    assert set(appraisals.values_list("state", flat=True)) == set(State)
    grades = []
    for appraisal in appraisals:
        result = appraisal.latest_result()
        outcome = score_appraisal(appraisal).outcome if result is None else None
        if result is not None:
            grades.append(result.grade)
        elif outcome is not None:
            grades.append(outcome.grade.grade)
    counts = Counter(grades)
    assert len(grades) >= 25  # everyone from calibration on, whatever their position
    assert counts["B"] + counts["C"] > len(grades) / 2
    assert counts["A"] >= 1
    assert counts["D"] + counts["E"] >= 1
    assert counts["E"] <= 0.15 * len(grades)
    assert set(counts) == {"A", "B", "C", "D", "E"}  # the whole spread
    # One lead rates generously and one harshly, and the rater checks find them.
    from kaohe.analytics import FlagKind
    from kaohe.calibration.board import cycle_bias
    from kaohe.calibration.demo import open_demo_session

    flagged = {flag.kind: flag.rater for flag in cycle_bias(cycle).flags}
    assert {FlagKind.LENIENT, FlagKind.SEVERE} <= set(flagged)
    leads = {
        appraisal.rater_id: appraisal.employee.department.name
        for appraisal in appraisals.select_related("employee__department")
    }
    assert leads[flagged[FlagKind.LENIENT]] == "客服二组"
    assert leads[flagged[FlagKind.SEVERE]] == "客服三组"
    # The open calibration session over the contact centre, with the cycle's guideline.
    session = open_demo_session(cycle)
    assert session.is_open
    assert session.shares["A"] == ["10", "20"]
    assert session.members.filter(appraisal__state=State.CALIBRATION).count() >= 10
    assert open_demo_session(cycle) is None  # once only


def test_the_demo_has_a_finalised_last_quarter_candidates_and_plans(db, settings, tmp_path):
    """2026-Q2 walked to closed for everyone, promotion candidates from the two quarters,
    and for 2026-Q3 two development plans (one agreed) and an improvement plan."""
    from kaohe.appraisals.demo import launch_demo_cycle, launch_history_cycle
    from kaohe.appraisals.models import Appraisal, Result
    from kaohe.data.demo_data import load_demo_quarter
    from kaohe.development.candidates import promotion_candidates
    from kaohe.development.demo import demo_development, settle_history
    from kaohe.development.models import Plan, Proposal

    settings.HOME = tmp_path
    load_demo()
    assert load_demo_quarter(get_user_model().objects.get(username="hr"), say=lambda _line: None)
    history = launch_history_cycle()
    assert history is not None
    settle_history(history)
    assert set(Appraisal.objects.filter(cycle=history).values_list("state", flat=True)) == {
        "closed"
    }
    assert not Proposal.objects.filter(appraisal__cycle=history, status="proposed").exists()
    cycle = launch_demo_cycle()
    assert demo_development(cycle) == 3
    assert promotion_candidates(Result.objects.all(), 2)
    plans = Plan.objects.filter(appraisal__cycle=cycle)
    assert plans.filter(type=Plan.Type.IDP, status=Plan.Status.AGREED).count() == 1
    pip = plans.get(type=Plan.Type.PIP)
    assert pip.support
    assert pip.check_ins.count() == 1
    assert all(plan.items.exists() for plan in plans)
    assert demo_development(cycle) == 0  # once only
