"""The incident log over /api/v1/: who may record, read, change, delete and answer, the
field named at fault, filters and pages, and an incident a finalised result counted."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from kaohe.audit.models import AuditEntry
from kaohe.incidents.actions import IncidentInput, do_record_incident
from kaohe.incidents.models import Incident
from tests.web.test_it_appraisals import PERIOD
from tests.web.test_it_logs_incidents import EVERYONE, RECORDS_FOR_ANN, SEES_ANN, VIOLATION
from tests.web.test_it_makes_the_pay_list import finalise
from tests.web.workflow import appraisal_of, launched_cycle


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(org):
    return launched_cycle(org, period=PERIOD)


# --- the API -----------------------------------------------------------------------------

BODY = {
    "employee": "A001",
    "occurred_on": "2026-08-12",
    "polarity": "negative",
    "what": "通话中使用不文明用语",
    "kind": "violation",
}


def writer(api_for, key):
    from kaohe.tokens.models import TokenScope

    return api_for(key, TokenScope.WRITE)


@pytest.mark.parametrize("key", EVERYONE)
def test_who_may_record_over_the_api(org, cycle, api_for, key):
    answer = writer(api_for, key).post("/api/v1/incidents", BODY, content_type="application/json")
    if key in RECORDS_FOR_ANN:
        assert answer.status_code == 201, answer.content
        made = answer.json()
        assert (made["employee"], made["kind"], made["indicator"]) == (
            "A001",
            "violation",
            "compliance",
        )
        assert made["recorded_by"] == org.people[key].name
        assert AuditEntry.objects.filter(action="incidents.record", actor=org.users[key]).exists()
    else:
        assert answer.status_code == 403
        assert "您只能为下属记录关键事件" in answer.json()["detail"]
        assert not Incident.objects.exists()


def test_the_api_names_the_field_at_fault(org, cycle, api_for):
    client = writer(api_for, "mike")
    answer = client.post(
        "/api/v1/incidents", {**BODY, "what": " "}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "what"
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    answer = client.post(
        "/api/v1/incidents", {**BODY, "occurred_on": future}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "occurred_on"
    answer = client.post(
        "/api/v1/incidents", {**BODY, "polarity": "meh"}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert not Incident.objects.exists()


@pytest.mark.parametrize("key", EVERYONE)
def test_who_reads_ann_s_incident_over_the_api(org, cycle, api_for, key):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    client = api_for(key)
    one = client.get(f"/api/v1/incidents/{made.pk}")
    listing = client.get("/api/v1/incidents")
    if key == "nobody":
        assert listing.status_code == 403
    else:
        ids = [row["id"] for row in listing.json()["results"]]
        assert (made.pk in ids) == (key in SEES_ANN)
    assert one.status_code == (200 if key in SEES_ANN else 404)


def test_the_api_list_filters_and_pages(org, cycle, api_for):
    mike = org.users["mike"]
    for day in range(1, 6):
        do_record_incident(
            mike,
            "A001",
            IncidentInput(date(2026, 8, day), "positive", f"第{day}件", kind="suggestion"),
        )
    do_record_incident(mike, "A002", VIOLATION)
    client = api_for("alice")
    page = client.get("/api/v1/incidents", {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["pages"], len(page["results"])) == (6, 3, 2)
    assert client.get("/api/v1/incidents", {"person": "A002"}).json()["count"] == 1
    assert client.get("/api/v1/incidents", {"polarity": "negative"}).json()["count"] == 1
    assert client.get("/api/v1/incidents", {"period": "2026-08"}).json()["count"] == 6
    assert client.get("/api/v1/incidents", {"period": "2026-07"}).json()["count"] == 0
    assert client.get("/api/v1/incidents", {"period": "soon"}).status_code == 422


@pytest.mark.parametrize("key", EVERYONE)
def test_who_may_change_delete_and_answer_over_the_api(org, cycle, api_for, key):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    client = writer(api_for, key)
    patched = client.patch(
        f"/api/v1/incidents/{made.pk}", {"what": "改述"}, content_type="application/json"
    )
    answered = client.post(
        f"/api/v1/incidents/{made.pk}/response",
        {"response": "我的说明"},
        content_type="application/json",
    )
    changes = key in {"mike", "alice", "harry"}
    hidden = key not in SEES_ANN
    assert patched.status_code == (200 if changes else 404 if hidden else 403)
    assert answered.status_code == (200 if key == "ann" else 404 if hidden else 403)
    made.refresh_from_db()
    assert (made.what == "改述") == changes
    assert (made.response == "我的说明") == (key == "ann")
    deleted = client.delete(f"/api/v1/incidents/{made.pk}")
    assert deleted.status_code == (200 if changes else 404 if hidden else 403)
    assert Incident.objects.filter(pk=made.pk).exists() == (not changes)


def test_the_api_keeps_an_incident_a_finalised_result_counted(org, cycle, api_for):
    made = do_record_incident(org.users["mike"], "A001", VIOLATION)
    finalise(appraisal_of(cycle, org, "ann"), org.users["alice"])
    answer = writer(api_for, "alice").delete(f"/api/v1/incidents/{made.pk}")
    assert answer.status_code == 409
    assert "已计入「2026-Q3 考核」已定稿的结果" in answer.json()["detail"]
    assert Incident.objects.filter(pk=made.pk).exists()
    patch = writer(api_for, "mike").patch(
        f"/api/v1/incidents/{made.pk}", {"indicator": "initiative"}, content_type="application/json"
    )
    assert patch.status_code == 409
