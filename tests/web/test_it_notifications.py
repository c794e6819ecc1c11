"""Telling people: in the app and by mail, with absolute links, naming people by name.

The employee hears of a finalised result with the appeal deadline; an acknowledgement
moves the appraisal to HR, and the page says where it went and who was told; reminders go
once per person, stage and day, and the page says how many went and to whom.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kaohe.appraisals.models import Appraisal, Cycle, Notification
from kaohe.appraisals.workflow import State

from .test_it_appraisals import PERIOD, walk_to
from .workflow import act, appraisal_of, launched_cycle

SITE = "https://kaohe.example.com"
LOGINS = re.compile(r"\b(alice|harry|mike|ann|dora|lena|eve)\b")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def cycle(org):
    for key in ("ann", "mike", "alice", "harry", "lena", "dora"):
        org.people[key].email = f"{key}@example.com"
        org.people[key].save()
    return launched_cycle(org, period=PERIOD)


def mails_to(key):
    return [m for m in mail.outbox if f"{key}@example.com" in m.to]


def post(client, appraisal, action, form=None):
    return client.post(
        reverse("appraisal-act", args=[appraisal.pk, action]), form or {}, follow=True
    )


def messages_on(response):
    return [str(m) for m in response.context["messages"]]


def test_the_employee_hears_of_the_result_and_the_appeal_deadline(
    cycle, org, client_for, django_capture_on_commit_callbacks
):
    ann = appraisal_of(cycle, org, "ann")
    walk_to(ann, org, State.ACKNOWLEDGEMENT)
    act(org.users["ann"], ann.pk, "acknowledge")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for("alice"), ann, "finalise")
    ann.refresh_from_db()
    assert ann.state == State.FINALISED
    deadline = timezone.localtime(ann.appeal_until).strftime("%Y-%m-%d %H:%M")
    # In the app…
    note = Notification.objects.get(recipient=org.users["ann"], action="finalise")
    assert note.actor_name == "爱丽丝"
    listed = client_for("ann").get(reverse("notifications")).content.decode()
    assert f"可申诉至 {deadline}" in listed
    # …and by mail, with the result, the deadline and a link from KAOHE_SITE_URL.
    (sent,) = mails_to("ann")
    result = ann.latest_result()
    assert f"结果：{result.total} 分，等级 {result.grade}。" in sent.body
    assert f"如有异议，可在 {deadline} 前提出申诉。" in sent.body
    assert f"{SITE}/appraisals/{ann.pk}/" in sent.body
    assert "爱丽丝" in sent.body
    assert "安妮" in sent.subject
    assert not LOGINS.search(sent.subject + sent.body)
    # The page names whom the finalisation told: ann. Not HR: the result waits on nobody
    # until its appeal window closes; not alice, who finalised it herself.
    (told,) = [m for m in messages_on(response) if "已通知" in m]
    assert "安妮" in told
    assert "哈利" not in told
    assert "爱丽丝" not in told


def test_an_acknowledgement_goes_to_hr_and_the_page_says_so(
    cycle, org, client_for, django_capture_on_commit_callbacks
):
    ann = appraisal_of(cycle, org, "ann")
    walk_to(ann, org, State.ACKNOWLEDGEMENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for("ann"), ann, "acknowledge", {"comment": "同意，谢谢"})
    ann.refresh_from_db()
    assert ann.state == State.FINALISING
    assert ann.acknowledgement_comment == "同意，谢谢"
    assert "已完成。考核现处于“待定稿”，已通知 爱丽丝、哈利。" in messages_on(response)
    told = set(Notification.objects.filter(appraisal=ann, action="acknowledge").values_list(
        "recipient__username", flat=True))  # fmt: skip
    assert told == {"alice", "harry"}
    for key in ("alice", "harry"):
        (sent,) = mails_to(key)
        assert "安妮" in sent.body  # the actor, by name
        assert "待定稿" in sent.body
        assert f"{SITE}/appraisals/{ann.pk}/" in sent.body
        assert not LOGINS.search(sent.subject + sent.body)
    page = response.content.decode()
    assert '<p data-testid="acknowledgement-comment">' in page
    assert "同意，谢谢" in page


def overdue(cycle, **deadlines):
    Cycle.objects.filter(pk=cycle.pk).update(deadlines=deadlines)


def test_reminders_go_once_per_person_stage_and_day(
    cycle, org, client_for, django_capture_on_commit_callbacks
):
    # mike rates ann and amy (drafts) and must confirm his own indicators: two stages.
    Appraisal.objects.filter(pk=appraisal_of(cycle, org, "mike").pk).update(state=State.CONFIRMING)
    overdue(cycle, draft="2026-01-01", confirming="2026-01-01")
    hr = client_for("alice")
    url = reverse("cycle-remind", args=[cycle.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(url, follow=True)
    assert response.status_code == 200
    reminded = Notification.objects.filter(action="remind")
    assert reminded.filter(recipient=org.users["mike"], state="draft").count() == 2
    assert reminded.filter(recipient=org.users["mike"], state="confirming").count() == 1
    mails = list(mail.outbox)
    # eve rates dora, but has no address: told in the app only.
    assert sorted(m.to[0] for m in mails) == [
        "dora@example.com", "lena@example.com", "mike@example.com", "mike@example.com",
    ]  # fmt: skip
    (said,) = [m for m in messages_on(response) if "条提醒" in m]
    assert said.startswith("已发送 5 条提醒：")
    assert "麦克（“草稿”阶段 2 份）" in said
    assert "麦克（“待员工确认”阶段 1 份）" in said
    assert "伊芙（“草稿”阶段 1 份）" in said
    for sent in mails:
        assert "爱丽丝 提醒您" in sent.body
        assert f"{SITE}/appraisals/" in sent.body
        assert not LOGINS.search(sent.subject + sent.body)
    # Again the same day: nobody twice for the same stage, and the page says so.
    with django_capture_on_commit_callbacks(execute=True):
        again = hr.post(url, follow=True)
    assert reminded.count() == 6
    assert len(mail.outbox) == 4
    assert any(m.startswith("今天已提醒过，不再重复：") and "麦克" in m for m in messages_on(again))
    # The next day, once more.
    reminded.update(created_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(url)
    assert reminded.count() == 12
    assert len(mail.outbox) == 8


def test_a_reminder_names_whom_it_could_not_tell(cycle, org, client_for):
    ann = appraisal_of(cycle, org, "ann")
    Appraisal.objects.filter(pk=ann.pk).update(state=State.CONFIRMING)
    org.people["ann"].user = None  # no account to sign in with yet
    org.people["ann"].save()
    overdue(cycle, confirming="2026-01-01")
    response = client_for("alice").post(reverse("cycle-remind", args=[cycle.pk]), follow=True)
    assert "以下人员没有可提醒的账号：安妮。" in messages_on(response)
    assert not Notification.objects.filter(action="remind").exists()
