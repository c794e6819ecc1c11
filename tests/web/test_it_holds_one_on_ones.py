"""Monthly 1:1 check-ins: a manager records one per report and month (a second is an edit),
links incidents and goals, both and the manager's managers and HR read it, HR reminds the
managers who have not held this month's — and who may see and do each, on the pages and
over the API."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from kaohe.appraisals.models import Notification
from kaohe.audit.models import AuditEntry
from kaohe.incidents.actions import (
    IncidentInput,
    IncidentRefused,
    OneOnOneInput,
    do_record_incident,
    do_remind_one_on_ones,
    do_save_one_on_one,
)
from kaohe.incidents.models import OneOnOne
from kaohe.tokens.models import TokenScope

EVERYONE = ["ann", "amy", "bob", "mike", "lena", "dora", "alice", "harry", "eve", "nobody"]
# mike holds it with ann: those above mike and HR over ann read it too.
SEES_IT = {"ann", "mike", "dora", "eve", "alice", "harry"}
HOLDS_WITH_ANN = {"mike", "dora", "eve"}
AUGUST = OneOnOneInput(
    "2026-08", went_well="接通率稳定", to_improve="话后处理偏长", actions="每周复盘两通录音"
)


def this_month():
    return timezone.localdate().strftime("%Y-%m")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_second_one_of_the_month_edits_the_first(org):
    mike = org.users["mike"]
    one, created = do_save_one_on_one(mike, "A001", AUGUST)
    assert created
    assert (one.manager, one.employee, one.month) == (
        org.people["mike"],
        org.people["ann"],
        "2026-08",
    )
    again, created = do_save_one_on_one(
        mike, "A001", OneOnOneInput("2026-08", went_well="更稳定了")
    )
    assert not created
    assert again.pk == one.pk
    assert OneOnOne.objects.count() == 1
    assert OneOnOne.objects.get().went_well == "更稳定了"
    codes = list(
        AuditEntry.objects.filter(action__startswith="incidents.").values_list("action", flat=True)
    )
    assert sorted(codes) == ["incidents.one_on_one", "incidents.one_on_one_edit"]
    edit = AuditEntry.objects.get(action="incidents.one_on_one_edit")
    assert (edit.before["went_well"], edit.after["went_well"]) == ("接通率稳定", "更稳定了")
    # Another manager's 1:1 with ann in the same month is their own.
    do_save_one_on_one(org.users["dora"], "A001", AUGUST)
    assert OneOnOne.objects.count() == 2


def test_it_links_incidents_about_the_person_and_goals_by_id(org):
    mike = org.users["mike"]
    hers = do_record_incident(mike, "A001", IncidentInput(date(2026, 8, 3), "positive", "主动顶班"))
    others = do_record_incident(mike, "A002", IncidentInput(date(2026, 8, 3), "positive", "别人的"))
    given = OneOnOneInput("2026-08", went_well="x", incident_ids=[hers.pk], goal_ids=["G-7", " "])
    one, _created = do_save_one_on_one(mike, "A001", given)
    assert list(one.incidents.all()) == [hers]
    assert one.goal_ids == ["G-7"]
    with pytest.raises(IncidentRefused, match="only incidents about this person"):
        do_save_one_on_one(
            mike, "A001", OneOnOneInput("2026-08", went_well="x", incident_ids=[others.pk])
        )
    assert list(OneOnOne.objects.get().incidents.all()) == [hers]


@pytest.mark.parametrize(
    ("month", "texts", "field"),
    [
        ("2026-8", "x", "month"),
        ("2026-13", "x", "month"),
        ("2999-01", "x", "month"),
        ("2026-08", "  ", "went_well"),
    ],
)
def test_what_a_one_on_one_needs(org, month, texts, field):
    with pytest.raises(IncidentRefused) as refused:
        do_save_one_on_one(org.users["mike"], "A001", OneOnOneInput(month, went_well=texts))
    assert refused.value.field == field
    assert not OneOnOne.objects.exists()


@pytest.mark.parametrize("key", EVERYONE)
def test_who_may_hold_a_one_on_one_with_ann(org, key):
    if key in HOLDS_WITH_ANN:
        do_save_one_on_one(org.users[key], "A001", AUGUST)
        assert OneOnOne.objects.get().manager == org.people[key]
    else:
        with pytest.raises(PermissionDenied, match="people below you"):
            do_save_one_on_one(org.users[key], "A001", AUGUST)
        assert not OneOnOne.objects.exists()


@pytest.mark.parametrize("key", EVERYONE)
def test_who_reads_it_on_the_pages(org, page_for, key):
    one, _created = do_save_one_on_one(org.users["mike"], "A001", AUGUST)
    client = page_for(key)
    listing = client.get(reverse("one-on-ones"))
    detail = client.get(reverse("one-on-one", args=[one.pk]))
    person = client.get(reverse("incidents-person", args=["A001"]))
    if key == "nobody":
        assert listing.status_code == 403
        assert detail.status_code == 404
    else:
        assert listing.status_code == 200
        shown = f'data-testid="one-on-one-{one.pk}"' in listing.content.decode()
        assert shown == (key in SEES_IT)
        assert detail.status_code == (200 if key in SEES_IT else 404)
    if key in SEES_IT:
        assert "每周复盘两通录音" in detail.content.decode()
        assert "2026-08" in person.content.decode()


@pytest.mark.parametrize("key", EVERYONE)
def test_who_may_open_and_send_the_form(org, page_for, key):
    client = page_for(key)
    form = client.get(reverse("one-on-one-new") + "?employee=A001&month=2026-08")
    assert form.status_code == (200 if key in HOLDS_WITH_ANN else 403)
    posted = client.post(
        reverse("one-on-one-new"),
        {"employee": "A001", "month": "2026-08", "went_well": "耐心", "goals": "G-1，G-2"},
    )
    assert OneOnOne.objects.filter(went_well="耐心").exists() == (key in HOLDS_WITH_ANN)
    if key in HOLDS_WITH_ANN:
        assert OneOnOne.objects.get().goal_ids == ["G-1", "G-2"]
    else:
        assert posted.status_code == 403


def test_the_form_of_a_held_month_opens_what_was_said(org, page_for):
    do_save_one_on_one(org.users["mike"], "A001", AUGUST)
    page = page_for("mike").get(reverse("one-on-one-new") + "?employee=A001&month=2026-08")
    text = page.content.decode()
    assert 'data-testid="editing"' in text
    assert "话后处理偏长" in text
    answer = page_for("mike").post(
        reverse("one-on-one-new"), {"employee": "A001", "month": "2026-8", "went_well": "x"}
    )
    assert answer.status_code == 422
    assert "YYYY-MM" in answer.content.decode()


# --- reminders ---------------------------------------------------------------------------


def test_hr_reminds_managers_once_a_day_of_the_month_s_missing_one_on_ones(org, page_for):
    do_save_one_on_one(org.users["mike"], "A001", OneOnOneInput(this_month(), went_well="好"))
    report = do_remind_one_on_ones(org.users["alice"])
    reminded = dict(report.sent)
    # mike still owes amy's; lena bob's; dora mike's and lena's; eve hers.
    assert reminded["麦克"] == 1
    assert reminded["莉娜"] == 1
    assert reminded["朵拉"] == 2
    notes = Notification.objects.filter(action="one_on_one_remind")
    assert notes.filter(recipient=org.users["mike"]).count() == 1
    assert not notes.filter(recipient=org.users["ann"]).exists()
    again = do_remind_one_on_ones(org.users["alice"])
    assert not again.sent
    assert "麦克" in again.already_today
    assert notes.filter(recipient=org.users["mike"]).count() == 1
    assert AuditEntry.objects.filter(action="incidents.remind_one_on_ones").count() == 2
    # The reminder leads to the 1:1s page.
    page = page_for("mike").get(reverse("notifications")).content.decode()
    assert "Reminder: hold this month" in page


def test_a_manager_who_held_every_one_is_left_alone_and_scoped_hr_reminds_its_scope(org):
    for number in ("A001", "A002"):
        do_save_one_on_one(org.users["mike"], number, OneOnOneInput(this_month(), went_well="好"))
    report = do_remind_one_on_ones(org.users["harry"])
    names = {name for name, _count in report.sent}
    assert "麦克" not in names
    assert "莉娜" in names
    assert "伊芙" not in names  # eve's reports are outside 客服中心


@pytest.mark.parametrize("key", ["ann", "mike", "dora", "eve", "nobody"])
def test_only_hr_sends_reminders(org, page_for, key):
    with pytest.raises(PermissionDenied):
        do_remind_one_on_ones(org.users[key])
    assert page_for(key).post(reverse("one-on-ones-remind")).status_code == 403
    assert not Notification.objects.exists()


def test_the_remind_button_and_the_command(org, page_for, capsys):
    answer = page_for("alice").post(reverse("one-on-ones-remind"), follow=True)
    assert "Reminded" in answer.content.decode()
    Notification.objects.all().delete()
    call_command("remind_one_on_ones")
    assert "reminded 麦克" in capsys.readouterr().out
    assert Notification.objects.filter(recipient=org.users["mike"]).count() == 1


# --- the API -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", EVERYONE)
def test_who_reads_it_over_the_api(org, api_for, key):
    one, _created = do_save_one_on_one(org.users["mike"], "A001", AUGUST)
    client = api_for(key)
    listing = client.get("/api/v1/one-on-ones")
    detail = client.get(f"/api/v1/one-on-ones/{one.pk}")
    if key == "nobody":
        assert listing.status_code == 403
    else:
        ids = [row["id"] for row in listing.json()["results"]]
        assert (one.pk in ids) == (key in SEES_IT)
    assert detail.status_code == (200 if key in SEES_IT else 404)
    if key in SEES_IT:
        assert detail.json()["to_improve"] == "话后处理偏长"


@pytest.mark.parametrize("key", EVERYONE)
def test_who_records_it_over_the_api(org, api_for, key):
    client = api_for(key, TokenScope.WRITE)
    body = {"employee": "A001", "month": "2026-08", "went_well": "耐心", "goal_ids": ["G-3"]}
    first = client.post("/api/v1/one-on-ones", body, content_type="application/json")
    if key in HOLDS_WITH_ANN:
        assert first.status_code == 201
        assert first.json()["goal_ids"] == ["G-3"]
        second = client.post(
            "/api/v1/one-on-ones", {**body, "actions": "复盘"}, content_type="application/json"
        )
        assert second.status_code == 200
        assert second.json()["id"] == first.json()["id"]
        assert second.json()["actions"] == "复盘"
    else:
        assert first.status_code == 403
        assert "您只能与自己的下属进行一对一面谈" in first.json()["detail"]
        assert not OneOnOne.objects.exists()


def test_the_api_names_a_bad_month(org, api_for):
    client = api_for("mike", TokenScope.WRITE)
    later = (timezone.localdate() + timedelta(days=40)).strftime("%Y-%m")
    answer = client.post(
        "/api/v1/one-on-ones",
        {"employee": "A001", "month": later, "went_well": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "month"
