"""The HR dashboard: each recent cycle's progress by stage, its bottleneck and who is late
by how many days; data freshness per source; calibration sessions; open appeals with their
deadlines — each figure against a hand count on the small organisation, scoped HR (harry)
seeing only their scope, nobody else opening it, the API answering as the page does, and
the query count staying the same however many people there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kaohe.appraisals.models import Appeal, Appraisal, Cycle
from kaohe.calibration.models import Member, Session
from kaohe.data.models import DataBatch
from kaohe.org.models import Employee
from kaohe.org.policy import Access
from kaohe.reports.hr import hr_dashboard
from tests.web.workflow import appraisal_of, launched_cycle

HR = ("alice", "harry")
NOT_HR = ("ann", "mike", "lena", "dora", "eve", "nobody")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def day(offset):
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def put(cycle, org, state, *keys):
    Appraisal.objects.filter(cycle=cycle, employee__in=[org.people[k] for k in keys]).update(
        state=state
    )


@pytest.fixture
def cycle(org):
    """2026-Q3 over 企服部: dora and lena in draft (no deadline), ann and amy at
    self-assessment five days past its deadline, bob at the manager's review due in three
    days, mike finalised and appealing."""
    made = launched_cycle(org)
    made.deadlines = {"self_assessment": day(-5), "manager_review": day(3), "appeal": day(2)}
    made.save(update_fields=["deadlines"])
    put(made, org, "draft", "dora", "lena")
    put(made, org, "self_assessment", "ann", "amy")
    put(made, org, "manager_review", "bob")
    put(made, org, "appeal", "mike")
    Appeal.objects.create(appraisal=appraisal_of(made, org, "mike"), reason="质检样本过少")
    return made


def progress(org, key, cycle):
    dashboard = hr_dashboard(Access(org.users[key]))
    return next(c for c in dashboard.cycles if c.id == cycle.pk), dashboard


def test_only_hr_opens_the_dashboard(org, client_for, cycle):
    for key in HR:
        assert client_for(key).get(reverse("dashboard-hr")).status_code == 200, key
    for key in NOT_HR:
        assert client_for(key).get(reverse("dashboard-hr")).status_code == 403, key
    assert client_for(None).get(reverse("dashboard-hr")).status_code == 302


def test_a_cycle_s_progress_by_stage_and_its_bottleneck(org, cycle):
    found, _dashboard = progress(org, "alice", cycle)
    counts = {s.state: s.count for s in found.stages if s.count}
    assert counts == {"draft": 2, "self_assessment": 2, "manager_review": 1, "appeal": 1}
    assert (found.total, found.done, found.late) == (6, 0, 2)
    late = {s.state: s.days_late for s in found.stages if s.days_late is not None}
    assert late == {"self_assessment": 5}  # the review's deadline is still to come
    assert found.bottleneck.state == "self_assessment"  # two, and late, beat draft's two
    assert found.bottleneck.waits_on == "the employee"
    put(cycle, org, "finalised", "dora", "lena", "bob")
    found, _dashboard = progress(org, "alice", cycle)
    assert (found.done, found.done_percent) == (3, 50)
    assert found.bottleneck.state == "self_assessment"


def test_who_is_late_by_how_many_days_and_on_whom_it_waits(org, cycle):
    dashboard = hr_dashboard(Access(org.users["alice"]))
    rows = {row.number: row for row in dashboard.late}
    assert set(rows) == {"A001", "A002"}
    assert dashboard.late_total == 2
    ann = rows["A001"]
    assert (ann.days_late, ann.stage, ann.waits_on) == (5, "Self-assessment", "安妮")
    assert ann.days_in_stage == 0  # launched today: its last move was today
    put(cycle, org, "manager_review", "ann")
    Cycle.objects.filter(pk=cycle.pk).update(deadlines={**cycle.deadlines,
                                                        "manager_review": day(-1)})  # fmt: skip
    rows = {row.number: row for row in hr_dashboard(Access(org.users["alice"])).late}
    assert (rows["A001"].days_late, rows["A001"].waits_on) == (1, "麦克")  # her rater
    assert next(row.number for row in hr_dashboard(Access(org.users["alice"])).late) == "A002"


def test_scoped_hr_sees_only_the_people_in_their_scope(org, cycle):
    found, _dashboard = progress(org, "harry", cycle)
    assert found.total == 5  # dora, in 企服部 itself, is outside 客服中心
    assert {s.state: s.count for s in found.stages if s.count}["draft"] == 1
    Appeal.objects.create(appraisal=appraisal_of(cycle, org, "dora"), reason="不同意")
    assert [a.number for a in hr_dashboard(Access(org.users["harry"])).appeals] == ["M001"]
    assert len(hr_dashboard(Access(org.users["alice"])).appeals) == 2
    other = launched_cycle(org, period="2026-Q4", departments=("人力资源部",))
    assert other.pk in {c.id for c in hr_dashboard(Access(org.users["alice"])).cycles}
    assert other.pk not in {c.id for c in hr_dashboard(Access(org.users["harry"])).cycles}


def test_open_appeals_with_their_deadlines(org, cycle):
    dashboard = hr_dashboard(Access(org.users["alice"]))
    (appeal,) = dashboard.appeals
    assert (appeal.number, appeal.days_open, appeal.days_left) == ("M001", 0, 2)
    Cycle.objects.filter(pk=cycle.pk).update(deadlines={"appeal": day(-4)})
    (appeal,) = hr_dashboard(Access(org.users["alice"])).appeals
    assert (appeal.days_left, appeal.days_overdue) == (-4, 4)
    Appeal.objects.update(decision=Appeal.Decision.UPHELD)
    assert hr_dashboard(Access(org.users["alice"])).appeals == []


def batch(source, seq, days_ago):
    made = DataBatch.objects.create(source=source, seq=seq, file_name=f"{source}.csv",
                                    checksum=str(seq))  # fmt: skip
    DataBatch.objects.filter(pk=made.pk).update(
        imported_at=timezone.now() - timedelta(days=days_ago)
    )


def test_data_freshness_per_source_with_its_gaps(org, client_for):
    batch("calls", 1, 20)
    batch("calls", 2, 10)
    batch("calls", 3, 8)
    batch("surveys", 1, 1)
    sources = {s.name: s for s in hr_dashboard(Access(org.users["harry"])).sources}
    calls = sources["calls"]
    assert (calls.days_since, calls.longest_gap, calls.batches) == (8, 10, 3)
    assert calls.status == "stale"
    assert (sources["surveys"].days_since, sources["surveys"].status) == (1, "fresh")
    assert (sources["tickets"].days_since, sources["tickets"].status) == (None, "never")
    page = client_for("alice").get(reverse("dashboard-hr")).content.decode()
    assert 'data-testid="source-calls" data-status="stale"' in page
    client = client_for("alice")
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("dashboard-hr")).content.decode()
    assert "话务" in chinese or "通话" in chinese  # the source named in words, as on Data


def test_calibration_sessions_in_scope(org, cycle):
    def session(name, *keys):
        made = Session.objects.create(cycle=cycle, name=name, facilitator=org.users["alice"])
        for key in keys:
            Member.objects.create(session=made, appraisal=appraisal_of(cycle, org, key))
        return made

    centre = session("客服中心校准", "ann", "amy", "bob")
    whole = session("企服部校准", "dora", "ann")
    for_alice = {s.id: s for s in hr_dashboard(Access(org.users["alice"])).sessions}
    assert set(for_alice) == {centre.pk, whole.pk}
    assert (for_alice[centre.pk].members, for_alice[centre.pk].status) == (3, "open")
    assert {s.id for s in hr_dashboard(Access(org.users["harry"])).sessions} == {centre.pk}


def test_the_page_shows_the_figures_with_a_chart_and_its_table(org, page_for, cycle):
    client = page_for("alice")
    page = client.get(reverse("dashboard-hr")).content.decode()
    assert f'data-testid="cycle-{cycle.pk}"' in page
    assert "<svg" in page
    assert "<title>Appraisals by stage" in page
    assert f'data-testid="stages-{cycle.pk}"' in page
    assert 'data-testid="late-A001"' in page
    assert 'data-testid="appeal-M001"' in page
    assert "<script" not in page.split("<main", 1)[1]
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("dashboard-hr")).content.decode()
    assert "人事看板" in chinese
    assert "谁逾期了" in chinese
    scoped = page_for("harry").get(reverse("dashboard-hr")).content.decode()
    assert "企服部/客服中心" in scoped
    assert 'data-testid="late-A001"' in scoped


def test_the_api_answers_as_the_page_does(org, api_for, cycle):
    answer = api_for("harry").get("/api/v1/dashboards/hr")
    assert answer.status_code == 200
    body = answer.json()
    (found,) = [c for c in body["cycles"] if c["id"] == cycle.pk]
    page, _dashboard = progress(org, "harry", cycle)
    assert (found["total"], found["late"], found["bottleneck"]) == (page.total, 2,
                                                                   "self_assessment")  # fmt: skip
    assert body["scope"] == [
        "企服部/客服中心",
        "企服部/客服中心/客服一组",
        "企服部/客服中心/客服二组",
    ]
    assert [row["employee"] for row in body["late"]] == ["A001", "A002"]
    assert body["appeals"][0]["days_left"] == 2
    assert api_for("alice").get("/api/v1/dashboards/hr").json()["scope"] is None
    for key in ("ann", "mike", "eve", "dora"):
        assert api_for(key).get("/api/v1/dashboards/hr").status_code == 403, key


def test_the_queries_do_not_grow_with_the_people(org, cycle):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            hr_dashboard(Access(org.users["alice"]))
        return len(captured)

    before = queries()
    team = org.people["ann"].department
    extra = Employee.objects.bulk_create(
        Employee(number=f"X{n:04d}", name=f"员工{n}", department=team,
                 position=org.people["ann"].position, manager=org.people["mike"])
        for n in range(60)
    )  # fmt: skip
    version = appraisal_of(cycle, org, "ann").version
    Appraisal.objects.bulk_create(
        Appraisal(cycle=cycle, employee=person, rater=org.people["mike"], version=version,
                  state="self_assessment")
        for person in extra
    )  # fmt: skip
    assert queries() == before
    assert hr_dashboard(Access(org.users["alice"])).late_total == 62
