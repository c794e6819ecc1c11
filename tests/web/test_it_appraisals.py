"""Cycles and the appraisal workflow: every transition, every refusal, who may do what."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kaohe.appraisals.actions import WorkflowError, manual_inputs
from kaohe.appraisals.launch import start_launch
from kaohe.appraisals.models import Appraisal, Cycle, Notification, Result
from kaohe.appraisals.workflow import State
from kaohe.core import InputKind
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.schemes.library import import_builtin_schemes
from kaohe.schemes.models import SchemeVersion
from tests.web.workflow import act, available, new_cycle

PERIOD = "2026-Q3"


@pytest.fixture(autouse=True)
def _english():
    """Refusals are checked by their English wording."""
    with translation.override("en"):
        yield


def ratings_for(appraisal, level="4"):
    scheme = appraisal.version.scheme()
    sample = {InputKind.LEVEL: level, InputKind.PERCENT: "90", InputKind.COUNT: "0"}
    return {
        f"input_{name}": sample.get(scheme.inputs[name].kind, "1")
        for name in manual_inputs(appraisal)
    }


def metrics_for(appraisal, value=95.0):
    """A stored metric computation giving every metric-fed input of the scheme a value."""
    run = MetricRun.objects.filter(period=PERIOD).first() or MetricRun.objects.create(period=PERIOD)
    for spec in appraisal.version.scheme().inputs.values():
        if spec.metric:
            MetricRecord.objects.get_or_create(
                run=run,
                subject_type=spec.metric.subject_type,
                subject=spec.metric.subject(appraisal.employee.number),
                metric=spec.metric.metric,
                defaults={"value": value, "numerator": value, "denominator": 100},
            )


@pytest.fixture
def cycle(org):
    import_builtin_schemes()
    made = new_cycle(
        org.users["alice"],
        name="2026 Q3",
        period=PERIOD,
        departments=[org.departments["企服部"]],
        appeal_days=7,
    )
    start_launch(made, wait=True)
    made.refresh_from_db()
    return made


def appraisal_of(cycle, org, key):
    return Appraisal.objects.get(cycle=cycle, employee=org.people[key])


def test_launch_makes_one_draft_appraisal_per_person_in_scope(cycle, org):
    assert cycle.status == Cycle.Status.OPEN
    made = Appraisal.objects.filter(cycle=cycle)
    assert sorted(a.employee.number for a in made) == [
        "A001",
        "A002",
        "B001",
        "D001",
        "L001",
        "M001",
    ]
    assert {a.state for a in made} == {State.DRAFT}
    ann = appraisal_of(cycle, org, "ann")
    assert ann.rater == org.people["mike"]
    assert ann.version.code == "cs-agent"
    assert ann.version.frozen
    assert appraisal_of(cycle, org, "dora").version.code == "cs-director"
    assert cycle.launch_done == cycle.launch_total == 6
    assert ann.history.get().action == "launch"


def test_the_whole_path_from_draft_to_an_adjusted_appeal(
    cycle, org, django_capture_on_commit_callbacks
):
    users = org.users
    ann = appraisal_of(cycle, org, "ann")
    metrics_for(ann)
    steps = [
        ("mike", "send_for_confirmation", {"target_fcr": "≥ 85%"}, State.CONFIRMING),
        ("ann", "confirm", {}, State.IN_PROGRESS),
        ("mike", "open_assessment", {}, State.SELF_ASSESSMENT),
        (
            "ann",
            "submit_self_assessment",
            {**ratings_for(ann, "5"), "comment": "尽力了"},
            State.MANAGER_REVIEW,
        ),
        ("mike", "submit_review", {**ratings_for(ann, "4"), "comment": "稳定"}, State.CALIBRATION),
        ("alice", "calibrate", {"adjustment": "1.5", "reason": "跨组校准"}, State.INTERVIEW),
        (
            "mike",
            "record_interview",
            {
                "strengths": "耐心",
                "improvements": "速度",
                "root_cause": "skills",
                "actions": "培训",
            },
            State.ACKNOWLEDGEMENT,
        ),
        ("ann", "acknowledge", {"comment": "同意"}, State.FINALISING),
        ("alice", "finalise", {}, State.FINALISED),
        ("ann", "appeal", {"reason": "质检样本过少"}, State.APPEAL),
        ("alice", "adjust", {"adjustment": "2", "reason": "复核后加分"}, State.CLOSED),
    ]
    for key, action, form, expected in steps:
        with django_capture_on_commit_callbacks(execute=True):
            moved = act(users[key], ann.pk, action, form)
        assert moved.state == expected, action
    ann.refresh_from_db()
    assert ann.self_ratings
    assert ann.self_comment == "尽力了"
    assert ann.calibration == Decimal("1.50")
    assert ann.interview.root_cause == "skills"
    first, second = Result.objects.filter(appraisal=ann).order_by("number")
    assert second.total == first.total + 2
    assert second.reason == "复核后加分"
    assert [h.action for h in ann.history.all()] == ["launch"] + [s[1] for s in steps]
    assert ann.history.get(action="calibrate").reason == "跨组校准"
    assert ann.appeals.get().decision == "adjusted"
    # The next person heard of each step: ann of the request to confirm, HR of the appeal.
    assert Notification.objects.filter(
        recipient=users["ann"], action="send_for_confirmation"
    ).exists()
    assert Notification.objects.filter(recipient=users["alice"], action="appeal").exists()
    assert Notification.objects.filter(recipient=users["ann"], action="adjust").exists()


def test_a_result_is_never_edited_in_place(cycle, org):
    ann = appraisal_of(cycle, org, "ann")
    result = Result.objects.create(appraisal=ann, number=1, total=80, grade="B", coefficient=1)
    result.total = 99
    with pytest.raises(ValueError, match="never changed"):
        result.save()


def test_asking_for_a_change_returns_the_appraisal_to_draft(cycle, org):
    ann = appraisal_of(cycle, org, "ann")
    act(org.users["mike"], ann.pk, "send_for_confirmation")
    with pytest.raises(WorkflowError, match="reason"):
        act(org.users["ann"], ann.pk, "ask_for_change", {"reason": "  "})
    act(org.users["ann"], ann.pk, "ask_for_change", {"reason": "FCR 目标太高"})
    ann.refresh_from_db()
    assert ann.state == State.DRAFT
    assert Notification.objects.filter(
        recipient=org.users["mike"], action="ask_for_change"
    ).exists()
    act(org.users["mike"], ann.pk, "send_for_confirmation")
    assert act(org.users["ann"], ann.pk, "confirm").state == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("key", "action"),
    [
        ("ann", "send_for_confirmation"),  # the employee does not send her own
        ("bob", "send_for_confirmation"),  # another agent
        ("lena", "send_for_confirmation"),  # another team's lead
        ("eve", "send_for_confirmation"),  # the executive only reads
        ("nobody", "send_for_confirmation"),
        ("dora", "send_for_confirmation"),  # the head calibrates, the rater sends
    ],
)
def test_who_may_not_act(cycle, org, key, action):
    ann = appraisal_of(cycle, org, "ann")
    with pytest.raises(PermissionDenied):
        act(org.users[key], ann.pk, action)
    ann.refresh_from_db()
    assert ann.state == State.DRAFT
    assert ann.history.count() == 1


def test_actions_out_of_turn_are_refused_and_change_nothing(cycle, org):
    ann = appraisal_of(cycle, org, "ann")
    with pytest.raises(WorkflowError, match="not possible now"):
        act(org.users["ann"], ann.pk, "confirm")
    with pytest.raises(WorkflowError, match="Unknown action"):
        act(org.users["mike"], ann.pk, "teleport")
    ann.refresh_from_db()
    assert ann.state == State.DRAFT


def walk_to(ann, org, state):
    metrics_for(ann)
    plan = [
        ("mike", "send_for_confirmation", {}),
        ("ann", "confirm", {}),
        ("mike", "open_assessment", {}),
        ("ann", "submit_self_assessment", {}),
        ("mike", "submit_review", ratings_for(ann)),
        ("alice", "calibrate", {}),
        ("mike", "record_interview", {"strengths": "a", "improvements": "b", "actions": "c"}),
    ]
    for key, action, form in plan:
        if Appraisal.objects.get(pk=ann.pk).state == state:
            return
        act(org.users[key], ann.pk, action, form)


def test_the_review_needs_every_rating_and_calibration_a_reason(cycle, org):
    ann = appraisal_of(cycle, org, "ann")
    walk_to(ann, org, State.MANAGER_REVIEW)
    with pytest.raises(WorkflowError, match="rate every item"):
        act(org.users["mike"], ann.pk, "submit_review", {})
    bad = {**ratings_for(ann), next(iter(ratings_for(ann))): "9"}
    with pytest.raises(WorkflowError):
        act(org.users["mike"], ann.pk, "submit_review", bad)
    act(org.users["mike"], ann.pk, "submit_review", ratings_for(ann))
    with pytest.raises(WorkflowError, match="needs a reason"):
        act(org.users["alice"], ann.pk, "calibrate", {"adjustment": "-3"})
    with pytest.raises(WorkflowError, match="between"):
        act(org.users["alice"], ann.pk, "calibrate", {"adjustment": "50", "reason": "x"})
    with pytest.raises(PermissionDenied):
        act(org.users["mike"], ann.pk, "calibrate", {})  # the rater does not calibrate
    with pytest.raises(PermissionDenied):
        act(org.users["dora"], ann.pk, "calibrate", {})  # nor a manager further up
    assert act(org.users["alice"], ann.pk, "calibrate", {}).state == State.INTERVIEW


def test_finalising_waits_for_the_acknowledgement_and_appeals_for_the_window(cycle, org):
    ann = appraisal_of(cycle, org, "ann")
    walk_to(ann, org, State.ACKNOWLEDGEMENT)
    ann.refresh_from_db()
    assert [a.name for a in available(org.users["alice"], ann)] == []
    with pytest.raises(WorkflowError, match="not possible now"):
        act(org.users["alice"], ann.pk, "finalise")
    moved = act(org.users["ann"], ann.pk, "acknowledge", {"comment": "同意"})
    assert moved.state == State.FINALISING  # acknowledged: on to HR
    with pytest.raises(WorkflowError, match="not possible now"):
        act(org.users["ann"], ann.pk, "acknowledge")
    assert [a.name for a in available(org.users["alice"], moved)] == ["finalise"]
    act(org.users["alice"], ann.pk, "finalise")
    ann.refresh_from_db()
    assert ann.latest_result().number == 1
    with pytest.raises(WorkflowError, match="open until"):
        act(org.users["alice"], ann.pk, "close")
    Appraisal.objects.filter(pk=ann.pk).update(appeal_until="2000-01-01T00:00:00Z")
    with pytest.raises(WorkflowError, match="closed on"):
        act(org.users["ann"], ann.pk, "appeal", {"reason": "晚了"})
    assert act(org.users["alice"], ann.pk, "close").state == State.CLOSED


def test_a_scheme_without_self_assessment_skips_it(cycle, org):
    ann = appraisal_of(cycle, org, "ann")
    lean = SchemeVersion.objects.create(
        code="lean-agent",
        number=1,
        name_zh="精简",
        name_en="Lean",
        text="id: lean-agent\nname: {zh: 精简, en: Lean}\nextends: cs-agent\n"
        "stages: {self_assessment: false}\n",
    )
    Appraisal.objects.filter(pk=ann.pk).update(version=lean)
    act(org.users["mike"], ann.pk, "send_for_confirmation")
    act(org.users["ann"], ann.pk, "confirm")
    assert act(org.users["mike"], ann.pk, "open_assessment").state == State.MANAGER_REVIEW


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("ann", 200),
        ("mike", 200),
        ("dora", 200),
        ("alice", 200),
        ("harry", 200),
        ("eve", 200),
        ("amy", 404),
        ("bob", 404),
        ("lena", 404),
        ("nobody", 404),
    ],
)
def test_who_may_open_an_appraisal(cycle, org, client_for, key, status):
    ann = appraisal_of(cycle, org, "ann")
    response = client_for(key).get(reverse("appraisal", args=[ann.pk]))
    assert response.status_code == status
    if status == 404:
        assert "安妮" not in response.content.decode()


def test_a_missing_appraisal_looks_like_a_forbidden_one(cycle, client_for):
    response = client_for("bob").get(reverse("appraisal", args=[99_999]))
    assert response.status_code == 404


def test_the_list_shows_own_team_or_scope(cycle, org, client_for):
    def listed(key):
        page = client_for(key).get(reverse("appraisals")).content.decode()
        return {p.number for p in org.people.values() if f">{p.name}</a>" in page}

    assert listed("ann") == {"A001"}
    assert listed("mike") == {"M001", "A001", "A002"}
    assert listed("dora") == {"D001", "M001", "L001", "A001", "A002", "B001"}
    assert listed("harry") == {"M001", "L001", "A001", "A002", "B001"}
    assert listed("nobody") == set()


def test_posting_an_action_through_the_page(cycle, org, client_for):
    ann = appraisal_of(cycle, org, "ann")
    url = reverse("appraisal-act", args=[ann.pk, "send_for_confirmation"])
    assert client_for("bob").post(url).status_code == 404  # cannot even see it
    assert client_for("amy").get(reverse("appraisal", args=[ann.pk])).status_code == 404
    response = client_for("mike").post(url, {"target_fcr": "85%"}, follow=True)
    assert response.status_code == 200
    ann.refresh_from_db()
    assert ann.state == State.CONFIRMING
    wrong = client_for("mike").post(url, follow=True)  # out of turn: a message, no change
    assert "现在不能" in wrong.content.decode()  # the page speaks the default language


def test_mail_goes_to_the_next_person_after_commit(cycle, org, django_capture_on_commit_callbacks):
    org.people["ann"].email = "ann@example.com"
    org.people["ann"].save()
    ann = appraisal_of(cycle, org, "ann")
    with django_capture_on_commit_callbacks(execute=True):
        act(org.users["mike"], ann.pk, "send_for_confirmation")
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    assert "2026 Q3" in mail.outbox[0].subject


def test_appraisal_and_cycle_pages_carry_no_inline_code(cycle, org, client_for):
    ann = appraisal_of(cycle, org, "ann")
    pages = [
        ("mike", reverse("appraisal", args=[ann.pk])),
        ("alice", reverse("cycle", args=[cycle.pk])),
        ("alice", reverse("cycle-progress", args=[cycle.pk])),
    ]
    for key, url in pages:
        html = client_for(key).get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url
        assert not re.search(r"\sstyle=|<style\b|\son[a-z]+=", html), url


def test_the_launch_button_queues_the_launch_and_refuses_twice(
    org, client_for, django_capture_on_commit_callbacks
):
    import_builtin_schemes()
    cycle = new_cycle(
        org.users["alice"], name="Q4", period="2026-Q4", departments=[org.departments["企服部"]]
    )
    url = reverse("cycle-launch", args=[cycle.pk])
    assert client_for("mike").post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client_for("alice").post(url)
    assert len(queued) == 1  # the task is queued once the launch is committed
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN  # the immediate backend ran it
    page = client_for("alice").post(url, follow=True).content.decode()
    assert "already been launched" in page or "已经发起" in page
    assert Appraisal.objects.filter(cycle=cycle).count() == 6


def test_a_failed_launch_is_undone_and_says_why(org, monkeypatch):
    import_builtin_schemes()
    cycle = new_cycle(
        org.users["alice"], name="Q4", period="2026-Q4", departments=[org.departments["企服部"]]
    )
    from kaohe.appraisals import launch

    real_save = launch._save

    def save_then_fail(cycle, chunk):
        real_save(cycle, chunk)
        raise RuntimeError("disk full")

    monkeypatch.setattr(launch, "CHUNK", 2)
    monkeypatch.setattr(launch, "_save", save_then_fail)
    with pytest.raises(RuntimeError):
        start_launch(cycle, wait=True)
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.DRAFT
    assert "disk full" in cycle.launch_error
    assert not Appraisal.objects.filter(cycle=cycle).exists()


def test_bulk_actions_move_each_ticked_appraisal_that_may_move(cycle, org, client_for):
    ann, amy, bob = (appraisal_of(cycle, org, key) for key in ("ann", "amy", "bob"))
    client = client_for("mike")
    page = client.get(reverse("appraisals")).content.decode()
    assert 'data-testid="bulk"' in page
    assert f'value="{ann.pk}"' in page
    assert f'value="{bob.pk}"' not in page  # not his to move
    act(org.users["mike"], amy.pk, "send_for_confirmation")
    response = client.post(
        reverse("appraisals-bulk"),
        {"action": "send_for_confirmation", "appraisal": [ann.pk, amy.pk, bob.pk]},
        follow=True,
    )
    ann.refresh_from_db()
    bob.refresh_from_db()
    assert ann.state == State.CONFIRMING
    assert bob.state == State.DRAFT  # unseen by mike: left alone
    text = response.content.decode()
    assert "艾米" in text  # amy's was already sent: named with the reason
    refused = client.post(
        reverse("appraisals-bulk"), {"action": "calibrate", "appraisal": [ann.pk]}
    )
    assert refused.status_code == 302  # not a bulk action: nothing happens
    ann.refresh_from_db()
    assert ann.state == State.CONFIRMING


def test_an_employee_is_offered_no_bulk_actions(cycle, client_for):
    page = client_for("ann").get(reverse("appraisals")).content.decode()
    assert 'data-testid="bulk"' not in page


def test_an_import_recomputes_the_metrics_of_open_cycles(
    org, settings, tmp_path, django_capture_on_commit_callbacks
):
    from kaohe.data.actions import do_import_data

    settings.HOME = tmp_path
    import_builtin_schemes()
    cycle = new_cycle(
        org.users["alice"], name="Sep", period="2026-09", departments=[org.departments["企服部"]]
    )
    start_launch(cycle, wait=True)
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at\n"
        "c1,inbound,Q1,A001,K1,2026-09-01 09:00:00,2026-09-01 09:00:05,2026-09-01 09:03:00\n",
        encoding="utf-8",
    )
    assert not MetricRun.objects.filter(period="2026-09").exists()
    with django_capture_on_commit_callbacks(execute=True):
        do_import_data(org.users["alice"], "calls", calls, "calls.csv")
    handled = MetricRecord.objects.get(
        run__period="2026-09", subject="A001", metric="calls_handled"
    )
    assert handled.value == 1


def test_the_top_bar_counts_unread_notifications_until_read(cycle, org, client_for):
    ann = appraisal_of(cycle, org, "ann")
    act(org.users["mike"], ann.pk, "send_for_confirmation")
    client = client_for("ann")
    home = client.get(reverse("home")).content.decode()
    assert re.search(r'data-testid="notifications">[^<]*<span class="badge badge-warn">1<', home)
    listed = client.get(reverse("notifications")).content.decode()
    assert "Send to the employee for confirmation" in listed or "发送给员工确认" in listed
    # Reading the list changes nothing: opening one, or marking all, is an explicit action.
    assert 'badge badge-warn">1<' in client.get(reverse("home")).content.decode()
    note = Notification.objects.get(recipient=org.users["ann"])
    opened = client.post(reverse("notification-open", args=[note.pk]))
    assert opened.url == reverse("appraisal", args=[ann.pk])
    assert 'badge badge-warn">1<' not in client.get(reverse("home")).content.decode()
    other = Notification.objects.create(recipient=org.users["mike"], action="remind")
    assert client.post(reverse("notification-open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None  # not ann's to read


def test_waiting_on_me_agrees_with_who_is_notified(cycle, org):
    from kaohe.appraisals.policy import waiting_accounts, waiting_on
    from kaohe.org.policy import Access

    states = [State.DRAFT, State.CONFIRMING, State.CALIBRATION, State.ACKNOWLEDGEMENT,
              State.FINALISING, State.APPEAL]  # fmt: skip
    for appraisal, state in zip(Appraisal.objects.filter(cycle=cycle), states, strict=False):
        Appraisal.objects.filter(pk=appraisal.pk).update(state=state)
    everything = list(Appraisal.objects.filter(cycle=cycle).select_related("employee", "rater"))
    for key, user in org.users.items():
        by_filter = set(
            Appraisal.objects.filter(waiting_on(Access(user))).values_list("pk", flat=True)
        )
        by_notice = {a.pk for a in everything if user in waiting_accounts(a)}
        assert by_filter == by_notice, key


def test_reminders_reach_whoever_is_overdue_in_the_app_and_by_mail(
    cycle, org, client_for, django_capture_on_commit_callbacks
):
    org.people["mike"].email = "mike@example.com"
    org.people["mike"].save()
    Cycle.objects.filter(pk=cycle.pk).update(deadlines={"draft": "2026-01-01"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("alice").post(reverse("cycle-remind", args=[cycle.pk]), follow=True)
    assert response.status_code == 200
    # Every appraisal is a draft past its deadline: each waits on its rater.
    reminded = Notification.objects.filter(action="remind")
    assert reminded.filter(recipient=org.users["mike"]).count() == 2  # ann and amy
    # One mail per person and stage, listing both appraisals, naming people by name.
    assert [m.to for m in mail.outbox] == [["mike@example.com"]]
    assert "安妮" in mail.outbox[0].body
    assert "艾米" in mail.outbox[0].body
    assert "http://" in mail.outbox[0].body  # an absolute link
    page = response.content.decode()
    assert "麦克" in page  # the page says who was reminded
    # The same day again: nobody is reminded twice about the same stage.
    with django_capture_on_commit_callbacks(execute=True):
        again = client_for("alice").post(reverse("cycle-remind", args=[cycle.pk]), follow=True)
    assert reminded.filter(recipient=org.users["mike"]).count() == 2
    assert len(mail.outbox) == 1
    assert "麦克" in again.content.decode()  # named as already reminded today
    assert client_for("mike").post(reverse("cycle-remind", args=[cycle.pk])).status_code == 403


def test_the_home_page_lists_a_cycle_as_running_until_every_appraisal_is_closed(org, client_for):
    from .workflow import launched_cycle

    cycle = launched_cycle(org)
    home = client_for("alice").get(reverse("home")).content.decode()
    assert home.count('data-testid="running-cycle"') == 1
    Appraisal.objects.filter(cycle=cycle).update(state="closed")
    home = client_for("alice").get(reverse("home")).content.decode()
    assert 'data-testid="running-cycle"' not in home
