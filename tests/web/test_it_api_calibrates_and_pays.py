"""The API's calibration sessions and pay list: the same actions and policies as the pages."""

from decimal import Decimal

import pytest

from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.workflow import State
from kaohe.audit.models import AuditEntry
from kaohe.tokens.models import TokenScope
from tests.web.test_it_calibrates_in_sessions import AGENTS, to_calibration
from tests.web.test_it_makes_the_pay_list import INTERVIEW
from tests.web.workflow import appraisal_of, launched_cycle


@pytest.fixture
def cycle(org):
    made = launched_cycle(org)
    for key, level in zip(AGENTS, ("5", "4", "3"), strict=True):
        to_calibration(appraisal_of(made, org, key), level)
    return made


def open_over_the_centre(api_for, cycle, **more):
    body = {
        "cycle": cycle.pk, "name": "API 校准", "departments": ["企服部/客服中心"],
        "participants": ["dora"],
        "guideline": {"shares": {"A": [0, 40], "B": [0, 60], "C": [0, 60], "D": [0, 30],
                                 "E": [0, 20]}},
        **more,
    }  # fmt: skip
    return api_for("alice", TokenScope.WRITE).post(
        "/api/v1/calibration/sessions", body, content_type="application/json"
    )


def test_hr_runs_a_session_over_the_api(org, cycle, api_for):
    opened = open_over_the_centre(api_for, cycle)
    assert opened.status_code == 201, opened.content
    session = opened.json()
    assert session["people"] == 5
    quotas = {q["grade"]: q for q in session["distribution"]["guideline"]}
    assert quotas["A"]["share"] == "0–40 %"
    assert sum(session["distribution"]["counts"].values()) == 3
    ann = appraisal_of(cycle, org, "ann")
    client = api_for("dora", TokenScope.WRITE)  # a participant
    moved = client.post(
        f"/api/v1/calibration/sessions/{session['id']}/moves",
        {"appraisals": [ann.pk], "points": "2", "reason": "复核"},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    [made] = moved.json()
    assert Decimal(made["to_total"]) == Decimal(made["from_total"]) + 2
    assert made["by"] == "朵拉"
    rated = client.post(
        f"/api/v1/calibration/sessions/{session['id']}/potential",
        {"potential": {str(ann.pk): 3}}, content_type="application/json",
    )  # fmt: skip
    assert rated.json() == {"changed": 1}
    detail = client.get(f"/api/v1/calibration/sessions/{session['id']}").json()
    row = next(p for p in detail["members"] if p["number"] == "A001")
    assert (row["potential"], Decimal(row["calibration"])) == (3, Decimal(2))
    refused = client.post(f"/api/v1/calibration/sessions/{session['id']}/close")
    assert refused.status_code == 403  # participants do not close
    closed = api_for("alice", TokenScope.WRITE).post(
        f"/api/v1/calibration/sessions/{session['id']}/close"
    )
    assert closed.json()["moved_on"] == 3
    assert Appraisal.objects.get(pk=ann.pk).state == State.INTERVIEW


def test_a_refused_move_is_409_with_the_reason(org, cycle, api_for):
    session = open_over_the_centre(api_for, cycle).json()
    mike = appraisal_of(cycle, org, "mike")
    answer = api_for("alice", TokenScope.WRITE).post(
        f"/api/v1/calibration/sessions/{session['id']}/moves",
        {"appraisals": [mike.pk], "points": "1", "reason": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert "只有处于校准阶段的考核可以调整" in answer.json()["detail"]


@pytest.mark.parametrize(("key", "status"), [
    ("alice", 200), ("harry", 200), ("dora", 200), ("ann", 404), ("mike", 404), ("lena", 404),
    ("eve", 404), ("nobody", 404),
])  # fmt: skip
def test_only_the_sessions_people_read_it_over_the_api(org, cycle, api_for, key, status):
    session = open_over_the_centre(api_for, cycle).json()
    answer = api_for(key).get(f"/api/v1/calibration/sessions/{session['id']}")
    assert answer.status_code == status


def test_the_cycle_guideline_is_checked(org, cycle, api_for):
    client = api_for("alice", TokenScope.WRITE)
    ok = client.put(f"/api/v1/cycles/{cycle.pk}/guideline",
                    {"shares": {"A": 20, "B": 70, "C": 10, "D": 0, "E": 0}, "enforced": True},
                    content_type="application/json")  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["shares"]["A"] == ["20", "20"]
    bad = client.put(f"/api/v1/cycles/{cycle.pk}/guideline",
                     {"shares": {"A": 20, "B": 70}}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert "缺少：C、D、E" in bad.json()["detail"]
    refused = api_for("mike", TokenScope.WRITE).put(
        f"/api/v1/cycles/{cycle.pk}/guideline", {"shares": {"A": 100}},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 404


@pytest.fixture
def finalised(org, cycle):
    for key in ("ann", "amy"):
        appraisal = appraisal_of(cycle, org, key)
        Appraisal.objects.filter(pk=appraisal.pk).update(base_pay=Decimal(3000))
        finalise_from_calibration(org, appraisal_of(cycle, org, key))
    return cycle


def finalise_from_calibration(org, appraisal):
    from tests.web.workflow import act

    act(org.users["alice"], appraisal.pk, "calibrate")
    act(appraisal.rater.user, appraisal.pk, "record_interview", INTERVIEW)
    act(appraisal.employee.user, appraisal.pk, "acknowledge")
    act(org.users["alice"], appraisal.pk, "finalise")


def test_the_pay_list_over_the_api_with_pay_for_hr_and_without_for_the_manager(
    org, finalised, api_for
):
    hr = api_for("alice").get(f"/api/v1/cycles/{finalised.pk}/pay-list").json()
    assert hr["count"] == 2
    assert all(Decimal(r["pay"]) == Decimal(r["base_pay"]) * Decimal(r["coefficient"])
               for r in hr["results"])  # fmt: skip
    lead = api_for("mike").get(f"/api/v1/cycles/{finalised.pk}/pay-list").json()
    assert [r["pay"] for r in lead["results"]] == [None, None]
    assert api_for("ann").get(f"/api/v1/cycles/{finalised.pk}/pay-list").status_code == 403
    budget = api_for("alice").get(f"/api/v1/cycles/{finalised.pk}/pay-budget").json()
    assert Decimal(budget["total"]["base_total"]) >= Decimal(6000)
    assert api_for("mike").get(f"/api/v1/cycles/{finalised.pk}/pay-budget").status_code == 403
    put = api_for("alice", TokenScope.WRITE).put(
        f"/api/v1/cycles/{finalised.pk}/pay-budget",
        {"department": "企服部/客服中心/客服一组", "amount": "9000"},
        content_type="application/json",
    )
    one = next(d for d in put.json()["departments"] if d["department"] == "客服一组")
    assert Decimal(one["budget"]) == 9000


def test_exports_over_the_api_are_files_and_audited(org, finalised, api_for):
    answer = api_for("alice").get(f"/api/v1/cycles/{finalised.pk}/pay-list.xlsx?lang=en")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert answer.content[:2] == b"PK"
    csv = api_for("alice").get(f"/api/v1/cycles/{finalised.pk}/pay-list.csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    assert AuditEntry.objects.filter(action="pay.export").count() == 2
    ann = appraisal_of(finalised, org, "ann")
    assert api_for("ann").get(f"/api/v1/appraisals/{ann.pk}/report.pdf").content[:4] == b"%PDF"
    assert api_for("bob").get(f"/api/v1/appraisals/{ann.pk}/report.pdf").status_code == 404


def test_development_over_the_api(org, finalised, api_for):
    from kaohe.development.models import Plan

    ann = appraisal_of(finalised, org, "ann")
    proposals = api_for("alice").get("/api/v1/development/proposals").json()
    mine = next(p for p in proposals if p["employee"] == "A001")
    assert mine["status"] == "proposed"
    assert api_for("mike").get("/api/v1/development/proposals").status_code == 403
    decided = api_for("alice", TokenScope.WRITE).post(
        f"/api/v1/development/proposals/{mine['id']}/decision", {"decision": "dismiss"},
        content_type="application/json",
    )  # fmt: skip
    assert decided.status_code == 409  # a dismissal needs a reason
    started = api_for("mike", TokenScope.WRITE).post(
        f"/api/v1/appraisals/{ann.pk}/plans", {"type": "pip"}, content_type="application/json"
    )
    assert started.status_code == 201, started.content
    plan = started.json()
    assert plan["items"]
    edited = api_for("mike", TokenScope.WRITE).put(
        f"/api/v1/development/plans/{plan['id']}",
        {"items": [{"id": plan["items"][0]["id"], "action": "每周复盘", "goal": "QA ≥ 90"}],
         "support": "带教"},
        content_type="application/json",
    )  # fmt: skip
    assert edited.json()["items"][0]["goal"] == "QA ≥ 90"
    assert api_for("bob").get(f"/api/v1/development/plans/{plan['id']}").status_code == 404
    agreed = api_for("ann", TokenScope.WRITE).post(f"/api/v1/development/plans/{plan['id']}/agree")
    assert agreed.json()["status"] == "agreed"
    out = api_for("mike", TokenScope.WRITE).post(
        f"/api/v1/development/plans/{plan['id']}/outcome",
        {"outcome": "passed", "reason": "达标"}, content_type="application/json",
    )  # fmt: skip
    assert out.json()["status"] == "closed"
    assert Plan.objects.get().outcome == "passed"
    assert api_for("alice").get("/api/v1/development/promotion-candidates").status_code == 200
    assert api_for("ann").get("/api/v1/development/promotion-candidates").status_code == 403
