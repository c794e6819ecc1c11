"""``/api/v1/appraisals/{id}``: what the appraisal page shows, at full precision, to whom
the page shows it — provisional while open, the locked result once finalised."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.api.actions import do_create_token
from kaohe.api.models import TokenScope
from kaohe.appraisals import policy
from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.workflow import State
from kaohe.org.policy import Access

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


@pytest.fixture
def api_for(org):
    def client(key):
        secret = do_create_token(None, org.users[key], "test", TokenScope.READ).secret
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return client


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
    assert {s["source"] for s in body["sources"].values()} <= {"metrics", "rater"}
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
