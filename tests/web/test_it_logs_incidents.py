"""The critical-incident log: managers and HR record incidents, the counts of the kinds a
scheme counts reach the appraisal's violations and suggestions and its score (frozen at
the manager's review until HR refreshes), the employee responds, the appraisal page shows
each incident under the indicator it evidences — and who may see and do each on the pages
(the API: test_it_api_logs_incidents.py)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from kaohe.appraisals.actions import do_refresh_frozen_data
from kaohe.appraisals.models import Notification
from kaohe.appraisals.scoring import score_appraisal
from kaohe.appraisals.workflow import State
from kaohe.audit.models import AuditEntry
from kaohe.incidents.actions import (
    IncidentInput,
    IncidentRefused,
    do_delete_incident,
    do_edit_incident,
    do_record_incident,
    do_respond,
)
from kaohe.incidents.models import Incident
from tests.web.test_it_appraisals import PERIOD, walk_to
from tests.web.test_it_makes_the_pay_list import finalise
from tests.web.workflow import appraisal_of, launched_cycle

IN_Q3 = date(2026, 8, 12)
SUGGESTION = IncidentInput(IN_Q3, "positive", "提出的工单模板被全组采用", kind="suggestion")
VIOLATION = IncidentInput(IN_Q3, "negative", "未核实身份即透露订单信息", kind="violation")
# Who may record for ann (in 客服一组, under mike, dora and eve; in harry's centre).
RECORDS_FOR_ANN = {"mike", "dora", "eve", "alice", "harry"}
EVERYONE = ["ann", "amy", "bob", "mike", "lena", "dora", "alice", "harry", "eve", "nobody"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(org):
    return launched_cycle(org, period=PERIOD)


def points(appraisal, indicator):
    scored = score_appraisal(appraisal)
    assert scored.result is not None
    found = next(i for i in scored.result.indicators if i.indicator.id == indicator)
    return found.points


def fed(appraisal, name):
    return score_appraisal(appraisal).values[name].value


# --- recording ---------------------------------------------------------------------------


def test_a_manager_records_an_incident_and_the_employee_is_told(org, cycle):
    made = do_record_incident(org.users["mike"], "A001", SUGGESTION)
    assert (made.employee, made.polarity, made.kind) == (
        org.people["ann"],
        "positive",
        "suggestion",
    )
    assert made.recorded_by == org.users["mike"]
    # No indicator chosen: the one that counts the kind (initiative) takes it.
    assert (made.dimension, made.indicator) == ("attitude", "initiative")
    note = Notification.objects.get(recipient=org.users["ann"])
    assert (note.action, note.actor_name, note.appraisal) == ("incident", "麦克", None)
    entry = AuditEntry.objects.get(action="incidents.record")
    assert entry.actor == org.users["mike"]
    assert entry.after["what"] == SUGGESTION.what
    assert entry.after["person"] == "A001"


def test_an_incident_evidences_an_indicator_or_dimension_of_the_person_s_scheme(org, cycle):
    mike = org.users["mike"]
    given = IncidentInput(IN_Q3, "positive", "耐心安抚投诉客户", indicator="collaboration")
    made = do_record_incident(mike, "A001", given)
    assert (made.dimension, made.indicator) == ("capability", "collaboration")
    made = do_record_incident(
        mike, "A001", IncidentInput(IN_Q3, "negative", "迟到", dimension="attitude")
    )
    assert (made.dimension, made.indicator) == ("attitude", "")
    with pytest.raises(IncidentRefused, match="not an indicator") as refused:
        do_record_incident(mike, "A001", IncidentInput(IN_Q3, "positive", "x", indicator="nope"))
    assert refused.value.field == "indicator"
    with pytest.raises(IncidentRefused, match="not a dimension"):
        do_record_incident(mike, "A001", IncidentInput(IN_Q3, "positive", "x", dimension="nope"))


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (IncidentInput(None, "positive", "x"), "occurred_on"),
        (IncidentInput(date.today() + timedelta(days=2), "positive", "x"), "occurred_on"),
        (IncidentInput(IN_Q3, "neutral", "x"), "polarity"),
        (IncidentInput(IN_Q3, "positive", "   "), "what"),
        (IncidentInput(IN_Q3, "positive", "x", kind="gossip"), "kind"),
    ],
)
def test_what_an_incident_needs(org, cycle, given, field):
    with pytest.raises(IncidentRefused) as refused:
        do_record_incident(org.users["mike"], "A001", given)
    assert refused.value.field == field
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="incidents.").exists()


@pytest.mark.parametrize("key", EVERYONE)
def test_who_may_record_an_incident_for_ann(org, cycle, key):
    if key in RECORDS_FOR_ANN:
        do_record_incident(org.users[key], "A001", SUGGESTION)
        assert Incident.objects.filter(employee=org.people["ann"]).count() == 1
    else:
        with pytest.raises(PermissionDenied, match="people below you"):
            do_record_incident(org.users[key], "A001", SUGGESTION)
        assert not Incident.objects.exists()


def test_nobody_records_for_themselves_or_an_unknown_number(org, cycle):
    with pytest.raises(PermissionDenied):
        do_record_incident(org.users["mike"], "M001", SUGGESTION)
    with pytest.raises(PermissionDenied):
        do_record_incident(org.users["alice"], "NOPE", SUGGESTION)
    # harry's scope is 客服中心: dora (企服部) is outside it.
    with pytest.raises(PermissionDenied):
        do_record_incident(org.users["harry"], "D001", SUGGESTION)


# --- counts reach the appraisal ----------------------------------------------------------


def test_counted_kinds_reach_the_violations_and_suggestions_and_the_score(org, cycle):
    ann = appraisal_of(cycle, org, "ann")
    walk_to(ann, org, State.SELF_ASSESSMENT)
    assert fed(ann, "suggestions_and_extra_tasks") == 0
    assert points(ann, "initiative") == 20
    assert points(ann, "compliance") == 40
    mike = org.users["mike"]
    do_record_incident(mike, "A001", SUGGESTION)
    do_record_incident(mike, "A001", IncidentInput(IN_Q3, "positive", "顶班", kind="extra_task"))
    do_record_incident(mike, "A001", VIOLATION)
    # Outside the period, or of a kind the inputs do not count: not counted.
    do_record_incident(
        mike, "A001", IncidentInput(date(2026, 6, 30), "negative", "旧事", kind="violation")
    )
    do_record_incident(
        mike, "A001", IncidentInput(IN_Q3, "positive", "客户表扬", kind="commendation")
    )
    assert fed(ann, "suggestions_and_extra_tasks") == 2
    assert fed(ann, "violations") == 1
    assert points(ann, "initiative") == 30  # 20 + 5 × 2
    assert points(ann, "compliance") == 20  # 40 − 20 × 1


def test_counts_freeze_at_the_review_until_hr_refreshes(org, cycle):
    ann = appraisal_of(cycle, org, "ann")
    do_record_incident(org.users["mike"], "A001", VIOLATION)
    walk_to(ann, org, State.CALIBRATION)  # the manager's review froze the inputs
    ann.refresh_from_db()
    assert ann.frozen
    assert fed(ann, "violations") == 1
    do_record_incident(org.users["mike"], "A001", VIOLATION)
    ann.refresh_from_db()
    assert fed(ann, "violations") == 1  # logged after the review: nothing changes
    do_refresh_frozen_data(org.users["alice"], ann.pk, "补录违规")
    ann.refresh_from_db()
    assert fed(ann, "violations") == 2
    assert points(ann, "compliance") == 0


# --- editing, deleting, responding -------------------------------------------------------


def test_the_recorder_or_hr_edits_and_deletes_others_may_not(org, cycle):
    made = do_record_incident(org.users["mike"], "A001", SUGGESTION)
    changed = IncidentInput(IN_Q3, "positive", "模板被全中心采用", kind="suggestion")
    for key in ("dora", "eve", "lena", "ann", "bob", "nobody"):
        with pytest.raises((PermissionDenied, ObjectDoesNotExist)):
            do_edit_incident(org.users[key], made.pk, changed)
        with pytest.raises((PermissionDenied, ObjectDoesNotExist)):
            do_delete_incident(org.users[key], made.pk)
    do_edit_incident(org.users["mike"], made.pk, changed)
    do_edit_incident(org.users["harry"], made.pk, changed)
    made.refresh_from_db()
    assert made.what == "模板被全中心采用"
    edit = AuditEntry.objects.filter(action="incidents.edit").last()
    assert edit.before["what"] == SUGGESTION.what
    assert edit.after["what"] == changed.what
    do_delete_incident(org.users["alice"], made.pk, "重复记录")
    assert not Incident.objects.exists()
    gone = AuditEntry.objects.get(action="incidents.delete")
    assert (gone.before["what"], gone.note, gone.actor) == (
        changed.what,
        "重复记录",
        org.users["alice"],
    )


def test_an_incident_counted_in_a_finalised_result_stays(org, cycle, page_for):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    finalise(appraisal_of(cycle, org, "ann"), org.users["alice"])
    with pytest.raises(IncidentRefused, match="finalised result of “2026-Q3 考核”"):
        do_delete_incident(org.users["alice"], made.pk)
    with pytest.raises(IncidentRefused, match="stays as recorded"):
        do_edit_incident(org.users["mike"], made.pk, SUGGESTION)
    with pytest.raises(IncidentRefused):
        do_respond(org.users["ann"], made.pk, "我有不同看法")
    assert Incident.objects.filter(pk=made.pk, kind="violation", response="").exists()
    # Nor can another be moved into the locked period.
    later = do_record_incident(
        org.users["mike"], "A001", IncidentInput(date(2026, 10, 8), "negative", "x")
    )
    with pytest.raises(IncidentRefused):
        do_edit_incident(org.users["mike"], later.pk, VIOLATION)
    # The page says why.
    page = (
        page_for("alice")
        .post(reverse("incident-delete", args=[made.pk]), follow=True)
        .content.decode()
    )
    assert "finalised result of “2026-Q3 考核”" in page
    assert Incident.objects.filter(pk=made.pk).exists()


def test_the_employee_responds_once_and_rewords_it_until_finalised(org, cycle):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    for key in ("mike", "alice", "amy"):
        with pytest.raises((PermissionDenied, ObjectDoesNotExist)):
            do_respond(org.users[key], made.pk, "代答")
    with pytest.raises(IncidentRefused, match="Write your response"):
        do_respond(org.users["ann"], made.pk, " ")
    do_respond(org.users["ann"], made.pk, "客户已提供订单号")
    do_respond(org.users["ann"], made.pk, "客户已提供订单号和手机号")
    made.refresh_from_db()
    assert made.response == "客户已提供订单号和手机号"
    assert made.responded_at is not None
    entries = AuditEntry.objects.filter(action="incidents.respond").order_by("pk")
    assert [e.after["response"] for e in entries] == [
        "客户已提供订单号",
        "客户已提供订单号和手机号",
    ]
    assert entries[1].before["response"] == "客户已提供订单号"


# --- pages -------------------------------------------------------------------------------

# Who may open which page about ann's incident: (status by key).
SEES_ANN = {"ann", "mike", "dora", "eve", "alice", "harry"}


@pytest.mark.parametrize("key", EVERYONE)
def test_who_sees_ann_s_incidents_on_every_page(org, cycle, page_for, key):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    client = page_for(key)
    listing = client.get(reverse("incidents"))
    person = client.get(reverse("incidents-person", args=["A001"]))
    detail = client.get(reverse("incident", args=[made.pk]))
    if key == "nobody":
        assert listing.status_code == 403
    else:
        assert listing.status_code == 200
        assert (VIOLATION.what in listing.content.decode()) == (key in SEES_ANN)
    assert person.status_code == (200 if key in SEES_ANN else 404)
    assert detail.status_code == (200 if key in SEES_ANN else 404)
    if key in SEES_ANN:
        assert VIOLATION.what in detail.content.decode()
        assert "麦克" in detail.content.decode()  # who recorded it is named
    # The delete page (a confirmation) opens for who may delete it.
    confirm = client.get(reverse("incident-delete", args=[made.pk]))
    changes = key in {"mike", "alice", "harry"}
    assert confirm.status_code == (200 if changes else 403 if key in SEES_ANN else 404)
    # Each signed-in person with an employee record has their own page; nobody has none.
    mine = client.get(reverse("incidents-mine"), follow=True)
    assert mine.status_code == (404 if key == "nobody" else 200)


@pytest.mark.parametrize("key", EVERYONE)
def test_who_may_open_the_new_incident_form_for_ann(org, cycle, page_for, key):
    client = page_for(key)
    chooser = client.get(reverse("incident-new"))
    form = client.get(reverse("incident-new") + "?employee=A001")
    may_record_at_all = key in RECORDS_FOR_ANN | {"lena"}
    assert chooser.status_code == (200 if may_record_at_all else 403)
    assert form.status_code == (200 if key in RECORDS_FOR_ANN else 403)
    posted = client.post(
        reverse("incident-new") + "?employee=A001",
        {
            "employee": "A001",
            "occurred_on": "2026-08-12",
            "polarity": "positive",
            "what": "主动整理知识库",
            "kind": "extra_task",
        },
    )
    assert Incident.objects.filter(what="主动整理知识库").exists() == (key in RECORDS_FOR_ANN)
    if key not in RECORDS_FOR_ANN:
        assert posted.status_code == 403


def test_the_form_offers_the_person_s_scheme_and_says_what_is_wrong(org, cycle, page_for):
    page = (
        page_for("mike", "zh-hans").get(reverse("incident-new") + "?employee=A001").content.decode()
    )
    assert 'value="attitude/initiative"' in page
    assert 'value="capability"' in page
    assert "改进建议被采纳" in page  # the kinds with their Chinese labels
    client = page_for("mike")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answer = client.post(
        reverse("incident-new") + "?employee=A001",
        {"employee": "A001", "occurred_on": tomorrow, "polarity": "positive", "what": "x"},
    )
    assert answer.status_code == 422
    assert "The date is in the future" in answer.content.decode()
    assert not Incident.objects.exists()


def test_the_employee_sees_their_incidents_and_responds_on_the_page(org, cycle, page_for):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    client = page_for("ann")
    mine = client.get(reverse("incidents-mine"), follow=True).content.decode()
    assert VIOLATION.what in mine
    assert "麦克" in mine
    page = client.get(reverse("incident", args=[made.pk])).content.decode()
    assert 'data-testid="respond-form"' in page
    assert 'data-testid="edit-form"' not in page
    client.post(reverse("incident-respond", args=[made.pk]), {"response": "已向客户致歉"})
    made.refresh_from_db()
    assert made.response == "已向客户致歉"
    # amy, ann's teammate, may not answer for her: the incident is hidden from her.
    answer = page_for("amy").post(reverse("incident-respond", args=[made.pk]), {"response": "x"})
    assert answer.status_code == 404


def test_deleting_asks_first(org, cycle, page_for):
    made = do_record_incident(org.users["mike"], "A001", SUGGESTION)
    client = page_for("mike")
    page = client.get(reverse("incident-delete", args=[made.pk]))
    assert page.status_code == 200
    assert 'data-testid="confirm-delete"' in page.content.decode()
    assert Incident.objects.filter(pk=made.pk).exists()
    assert page_for("lena").get(reverse("incident-delete", args=[made.pk])).status_code == 404
    page_for("mike").post(reverse("incident-delete", args=[made.pk]))
    assert not Incident.objects.filter(pk=made.pk).exists()


def test_the_list_filters_by_person_period_polarity_and_kind(org, cycle, page_for):
    mike, lena = org.users["mike"], org.users["lena"]
    do_record_incident(mike, "A001", SUGGESTION)
    do_record_incident(mike, "A002", VIOLATION)
    do_record_incident(
        lena,
        "B001",
        IncidentInput(date(2026, 11, 3), "positive", "十一月表扬", kind="commendation"),
    )
    client = page_for("alice")

    def shown(**query):
        page = client.get(reverse("incidents"), query).content.decode()
        return {text for text in (SUGGESTION.what, VIOLATION.what, "十一月表扬") if text in page}

    assert shown() == {SUGGESTION.what, VIOLATION.what, "十一月表扬"}
    assert shown(person="A002") == {VIOLATION.what}
    assert shown(period="2026-Q3") == {SUGGESTION.what, VIOLATION.what}
    assert shown(period="2026-11") == {"十一月表扬"}
    assert shown(polarity="negative") == {VIOLATION.what}
    assert shown(kind="suggestion") == {SUGGESTION.what}
    assert "2026-Q9" in client.get(reverse("incidents"), {"period": "2026-Q9"}).content.decode()
    # mike's list holds his team only.
    page = page_for("mike").get(reverse("incidents")).content.decode()
    assert SUGGESTION.what in page
    assert "十一月表扬" not in page


def test_the_notification_leads_to_the_employee_s_incidents(org, cycle, page_for):
    do_record_incident(org.users["mike"], "A001", SUGGESTION)
    client = page_for("ann")
    page = client.get(reverse("notifications")).content.decode()
    assert "recorded an incident about you" in page
    note = Notification.objects.get(recipient=org.users["ann"])
    answer = client.post(reverse("notification-open", args=[note.pk]), follow=True)
    assert SUGGESTION.what in answer.content.decode()


def test_the_audit_log_words_the_incident_entries(org, cycle, page_for):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    do_respond(org.users["ann"], made.pk, "已改正")
    page = page_for("alice").get(reverse("audit-log")).content.decode()
    for words in (
        "Incident recorded",
        "Response to an incident",
        "What happened",
        "process violation",
    ):
        assert words in page, words
    page = page_for("alice", "zh-hans").get(reverse("audit-log")).content.decode()
    for words in ("已记录关键事件", "对关键事件的回应", "事件经过", "流程违规", "员工回应"):
        assert words in page, words


# --- the appraisal page ------------------------------------------------------------------


def test_the_appraisal_shows_the_period_s_incidents_under_their_indicator(org, cycle, page_for):
    ann = appraisal_of(cycle, org, "ann")
    mike = org.users["mike"]
    do_record_incident(mike, "A001", SUGGESTION)
    do_record_incident(
        mike, "A001", IncidentInput(IN_Q3, "negative", "周会缺席", dimension="attitude")
    )
    do_record_incident(mike, "A001", IncidentInput(IN_Q3, "positive", "帮新人熟悉系统"))
    do_record_incident(mike, "A001", IncidentInput(date(2026, 11, 2), "positive", "下季度的事"))
    made = Incident.objects.get(what=SUGGESTION.what)
    do_respond(org.users["ann"], made.pk, "谢谢认可")
    page = page_for("mike").get(reverse("appraisal", args=[ann.pk])).content.decode()
    initiative = page.split('data-indicator="initiative"')[1].split("</tr>")[0]
    assert SUGGESTION.what in initiative
    assert "谢谢认可" in initiative
    attitude = page.split('data-testid="incidents-attitude"')[1].split("</ul>")[0]
    assert "周会缺席" in attitude
    other = page.split('data-testid="other-incidents"')[1].split("</section>")[0]
    assert "帮新人熟悉系统" in other
    assert "下季度的事" not in page  # another period's


@pytest.mark.parametrize("key", EVERYONE)
def test_only_those_who_see_the_appraisal_see_its_incidents(org, cycle, page_for, key):
    ann = appraisal_of(cycle, org, "ann")
    do_record_incident(org.users["mike"], "A001", VIOLATION)
    answer = page_for(key).get(reverse("appraisal", args=[ann.pk]))
    if key in SEES_ANN:
        assert answer.status_code == 200
        assert VIOLATION.what in answer.content.decode()
    else:
        assert answer.status_code == 404


def test_the_interview_draws_on_the_period_s_incidents_and_one_on_ones(org, cycle, page_for):
    from kaohe.incidents.actions import OneOnOneInput, do_save_one_on_one

    ann = appraisal_of(cycle, org, "ann")
    do_record_incident(org.users["mike"], "A001", VIOLATION)
    held = OneOnOneInput("2026-08", went_well="接通率稳定", actions="每周复盘一单")
    do_save_one_on_one(org.users["mike"], "A001", held)
    walk_to(ann, org, State.INTERVIEW)
    page = page_for("mike").get(reverse("appraisal", args=[ann.pk])).content.decode()
    form = page.split('data-action="record_interview"')[1].split("</form>")[0]
    summary = form.split('data-testid="period-summary"')[1]
    assert VIOLATION.what in summary
    assert "接通率稳定" in summary
    assert "每周复盘一单" in summary
    assert "0 positive, 1 negative" in summary
    # The recorded interview keeps the summary beside it, for the employee too.
    from tests.web.workflow import act

    act(
        org.users["mike"],
        ann.pk,
        "record_interview",
        {"strengths": "耐心", "improvements": "时效", "actions": "复盘"},
    )
    page = page_for("ann", "zh-hans").get(reverse("appraisal", args=[ann.pk])).content.decode()
    recorded = page.split('data-testid="interview"')[1].split("</section>")[0]
    assert "本期关键事件与一对一面谈" in recorded
    assert "接通率稳定" in recorded
