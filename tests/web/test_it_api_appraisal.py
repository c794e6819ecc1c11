"""``/api/v1/appraisals/{id}``: what the appraisal page shows, at full precision, to whom
the page shows it — provisional while open, the locked result once finalised."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.appraisals import policy
from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.workflow import State
from kaohe.audit.models import AuditEntry
from kaohe.org.policy import Access
from kaohe.tokens.actions import do_create_token
from kaohe.tokens.models import TokenScope

from .test_it_appraisals import PERIOD, walk_to
from .workflow import act, appraisal_of, launched_cycle

USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "amy", "bob", "lena", "nobody"]


@pytest.fixture
def ann(org):
    cycle = launched_cycle(org, period=PERIOD)
    appraisal = appraisal_of(cycle, org, "ann")
    Appraisal.objects.filter(pk=appraisal.pk).update(base_pay=Decimal("6000"))
    walk_to(appraisal, org, State.CALIBRATION)
    return Appraisal.objects.get(pk=appraisal.pk)


def finalise(appraisal, org):
    act(org.users["alice"], appraisal.pk, "calibrate", {"adjustment": "1.5", "reason": "质检复核"})
    interview = {"strengths": "耐心", "improvements": "速度", "actions": "培训"}
    act(org.users["mike"], appraisal.pk, "record_interview", interview)
    act(org.users["ann"], appraisal.pk, "acknowledge")
    act(org.users["alice"], appraisal.pk, "finalise")


@pytest.mark.parametrize("key", USERS)
def test_whoever_may_open_the_page_gets_the_appraisal_and_nobody_else(
    ann, org, api_for, client_for, key
):
    page = client_for(key).get(reverse("appraisal", args=[ann.pk]))
    answer = api_for(key).get(f"/api/v1/appraisals/{ann.pk}")
    missing = api_for(key).get("/api/v1/appraisals/999999")
    assert missing.status_code == 404
    if page.status_code == 404:
        assert answer.status_code == 404
        assert answer.json() == missing.json()
        return
    assert answer.status_code == 200
    body = answer.json()
    access = Access(org.users[key])
    assert [a["name"] for a in body["actions"]] == [
        a.name for a in policy.available_actions(access, ann)
    ]
    has_pay = "pay" in body["score"]
    assert has_pay == policy.can_see_pay(access, ann), key
    assert ("pay" in (body["outcome"] or {})) == has_pay


def test_an_open_appraisal_is_provisional_at_full_precision(ann, api_for):
    body = api_for("alice").get(f"/api/v1/appraisals/{ann.pk}").json()
    assert body["final"] is False
    assert body["state"] == "calibration"
    score = body["score"]
    assert score["complete"] is True
    weighted = sum(Decimal(d["score"]) for d in score["dimensions"])
    assert Decimal(score["total"]) == weighted.quantize(Decimal("0.01"))
    assert any(len(d["score"].split(".")[-1]) > 2 for d in score["dimensions"])  # not rounded
    for indicator in score["indicators"]:
        assert isinstance(indicator["explanation"], str)
        assert indicator["explanation"]
    assert body["sources"]
    assert {s["source"] for s in body["sources"].values()} <= {"metrics", "rater", "incidents"}
    assert body["data_cutoff"] is not None
    assert Decimal(body["outcome"]["total"]) == Decimal(score["total"])


def test_a_finalised_appraisal_shows_its_locked_result_in_the_language_asked(ann, org, api_for):
    finalise(ann, org)
    api = api_for("ann")
    chinese = api.get(f"/api/v1/appraisals/{ann.pk}").json()
    english = api.get(f"/api/v1/appraisals/{ann.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert chinese["final"] is True
    assert chinese["state"] == "finalised"
    (version,) = chinese["results"]
    assert Decimal(version["total"]) == Decimal(chinese["outcome"]["total"])
    assert Decimal(chinese["calibration"]) == Decimal("1.5")
    assert Decimal(version["total"]) == (Decimal(chinese["score"]["total"]) + Decimal("1.5"))
    assert version["pay"] is not None  # ann sees her own pay
    assert chinese["interview"]["strengths"] == "耐心"
    assert [step["action"] for step in chinese["history"]][-1] == "finalise"
    first_zh = chinese["score"]["indicators"][0]["explanation"]
    first_en = english["score"]["indicators"][0]["explanation"]
    assert first_zh != first_en
    assert english["state_label"] == "Finalised"
    assert chinese["state_label"] == "已定稿"


# --- workflow actions ----------------------------------------------------------------------


def writer(org, key):
    secret = do_create_token(None, org.users[key], "nightly sync", TokenScope.WRITE).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_actions_offered_are_the_pages(ann, org, api_for):
    for key in ("alice", "harry", "mike", "ann", "dora"):
        offered = [
            a["name"] for a in api_for(key).get(f"/api/v1/appraisals/{ann.pk}/actions").json()
        ]
        assert offered == [a.name for a in policy.available_actions(Access(org.users[key]), ann)]


def test_an_action_through_the_api_moves_the_appraisal_and_is_audited_with_the_token(ann, org):
    answer = writer(org, "alice").post(
        f"/api/v1/appraisals/{ann.pk}/actions/calibrate",
        {"adjustment": -2, "reason": "组内校准"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == "interview"
    assert Decimal(body["calibration"]) == Decimal(-2)
    entry = AuditEntry.objects.filter(action="appraisal.calibrate").latest("id")
    assert entry.actor == org.users["alice"]
    assert entry.via_token == "nightly sync"
    log = client_for_audit(org).get(reverse("audit-log")).content.decode()
    assert "nightly sync" in log


def client_for_audit(org):
    client = Client()
    client.force_login(org.users["alice"])
    return client


def test_an_action_the_caller_may_not_take_is_403_with_the_reason(ann, org):
    for key in ("mike", "dora", "ann"):  # the rater, the manager above, the employee
        answer = writer(org, key).post(
            f"/api/v1/appraisals/{ann.pk}/actions/calibrate", {}, content_type="application/json"
        )
        assert answer.status_code == 403, key
        assert answer.json()["detail"].startswith("您不能对此考核执行「")
    assert Appraisal.objects.get(pk=ann.pk).state == State.CALIBRATION


def test_a_step_refused_for_its_input_or_state_is_409_and_changes_nothing(ann, org):
    hr = writer(org, "alice")
    url = f"/api/v1/appraisals/{ann.pk}/actions"
    too_far = hr.post(f"{url}/calibrate", {"adjustment": 50, "reason": "x"}, "application/json")
    assert too_far.status_code == 409
    assert too_far.json()["detail"]
    wrong_state = hr.post(f"{url}/finalise", {}, "application/json")
    assert wrong_state.status_code in (403, 409)
    assert Appraisal.objects.get(pk=ann.pk).state == State.CALIBRATION
    unknown = hr.post(
        f"/api/v1/appraisals/{ann.pk}/actions/teleport", {}, content_type="application/json"
    )
    assert unknown.status_code == 404


def test_a_read_token_or_a_session_without_csrf_cannot_act(ann, org, api_for):
    url = f"/api/v1/appraisals/{ann.pk}/actions/calibrate"
    assert api_for("alice").post(url, {}, content_type="application/json").status_code == 403
    session = Client(enforce_csrf_checks=True)
    session.force_login(org.users["alice"])
    assert session.post(url, {}, content_type="application/json").status_code == 403
    assert Appraisal.objects.get(pk=ann.pk).state == State.CALIBRATION
    assert not AuditEntry.objects.filter(action="appraisal.calibrate").exists()
