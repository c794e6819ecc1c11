"""Training the attrition model from the database: HR asks, a task trains on the monthly
snapshots of the organisation's history, and the model, its figures and today's scores are
kept — reproducibly — or why there are none. The protected attributes HR imports serve the
fairness and proxy checks only and never appear for a person."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.insights.actions_attrition import (
    TrainingRequest,
    do_request_attrition_training,
)
from kaohe.insights.attrition_features import build_history
from kaohe.insights.demo_attrition import add_former_staff
from kaohe.insights.models import AttritionModel, AttritionScore, ProtectedAttribute
from kaohe.ml.attrition import TrainedModel, months_after
from kaohe.org.actions import do_revoke_role
from kaohe.org.models import Employee, GrantRole, LeavingReason

AS_OF = date(2026, 9, 30)
RESIGNED, ENDED = LeavingReason.RESIGNED, LeavingReason.CONTRACT_ENDED


def monthly_runs():
    for back in range(30):
        day = months_after(date(2026, 9, 30), -back)
        MetricRun.objects.create(period=f"{day.year}-{day.month:02d}")


@pytest.fixture
def history(org):
    monthly_runs()
    return add_former_staff(AS_OF, seed=3, reasons=[RESIGNED] * 36 + [ENDED] * 3)


def trained(org, **wanted):
    run = do_request_attrition_training(
        org.users["alice"], TrainingRequest(as_of=AS_OF, **wanted), wait=True
    )
    assert run.status == AttritionModel.Status.TRAINED, run.message
    return run


def test_hr_trains_and_the_active_people_are_scored_reproducibly(org, history):
    run = trained(org)
    assert run.leavers == 36  # those who resigned; a contract's end is no resignation
    assert {v["model"] for v in run.summary["validations"]} == {"logistic", "boosting"}
    assert run.chosen in ("logistic", "boosting")
    split = run.summary["split"]
    assert split["train_to"] < split["validation_from"]
    scored = dict(AttritionScore.objects.filter(model=run).values_list("employee__number", "score"))
    assert set(scored) == set(Employee.objects.active().values_list("number", flat=True))
    # The stored model gives the stored scores again from the same snapshots.
    model = TrainedModel.from_bytes(bytes(run.artifact))
    current = build_history(AS_OF, 6).current
    again = dict(zip((r.person for r in current.rows), model.score(current), strict=True))
    assert again == pytest.approx(scored)
    # The audit log says what was done, and scores no one.
    entries = AuditEntry.objects.filter(action__startswith="attrition.").order_by("id")
    assert [e.action for e in entries] == ["attrition.train", "attrition.trained"]
    assert entries[1].after["scored"] == 9
    assert "A001" not in str([e.after for e in entries])


def test_the_snapshots_label_resignations_only_and_stop_at_the_leaving_date(org, history):
    table = build_history(AS_OF, 6).table
    by_person = {}
    for row in table.rows:
        by_person.setdefault(row.person, []).append(row)
    for person in history:
        rows = by_person.get(person.number, [])
        assert all(r.at < person.leaving_date for r in rows), person.number
        known = [r.left for r in rows if r.left is not None]
        if person.leaving_reason == ENDED:
            assert True not in known  # a contract's end is never a resignation
    # A snapshot within six months before a resignation is a positive, earlier ones not.
    quitter = next(
        p for p in history if p.leaving_reason == RESIGNED and p.leaving_date < date(2026, 3, 1)
    )
    for row in by_person[quitter.number]:
        if months_after(row.at, 6) <= AS_OF:
            assert row.left is (quitter.leaving_date <= months_after(row.at, 6))


def test_the_monthly_kpis_read_as_trends_known_at_each_month_end(org, history):
    ann = org.people["ann"]
    csat = [("2026-05", 90.0), ("2026-06", 88.0), ("2026-07", 86.0), ("2026-08", 80.0)]
    for month, value in csat:
        run = MetricRun.objects.filter(period=month).first()
        MetricRecord.objects.create(run=run, subject_type="employee", subject=ann.number,
                                    metric="csat_rate", value=value)  # fmt: skip
    rows = {r.at: r for r in build_history(AS_OF, 6).table.rows if r.person == ann.number}
    august = rows[date(2026, 8, 31)].values
    assert august["csat_falling_months"] == 3
    assert august["csat_change_3m"] == pytest.approx(-10.0)  # 80 % against 90 %, in points
    assert rows[date(2026, 7, 31)].values["csat_falling_months"] == 2
    assert rows[date(2026, 4, 30)].values["csat_falling_months"] is None  # nothing known yet


def test_too_little_history_keeps_the_reason_and_scores_no_one(org, client_for):
    monthly_runs()
    add_former_staff(AS_OF, seed=3, reasons=[RESIGNED] * 12)
    run = do_request_attrition_training(org.users["alice"], TrainingRequest(as_of=AS_OF), wait=True)
    assert (run.status, run.leavers) == (AttritionModel.Status.TOO_LITTLE_HISTORY, 12)
    assert "12" in run.message["zh"]
    assert not AttritionScore.objects.exists()
    page = client_for("alice").get(reverse("attrition-model")).content.decode()
    assert run.message["zh"] in page


def test_a_proxy_for_an_imported_attribute_is_refused_and_can_be_left_out(org, history, tmp_path):
    # Everyone who resigned is recorded as a woman and everyone else as a man; today's staff
    # were hired long ago, so that tenure, short for those who left, tells the sexes apart.
    Employee.objects.filter(active=True).update(hire_date=date(2015, 3, 1))
    lines = ["工号,性别"] + [
        f"{e.number},{'女' if e.leaving_reason == RESIGNED else '男'}"
        for e in Employee.objects.all()
    ]
    path = tmp_path / "attributes.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    from kaohe.insights.actions_attrition import do_import_protected_attributes

    assert do_import_protected_attributes(org.users["alice"], path, path.name).problems == []
    run = do_request_attrition_training(org.users["alice"], TrainingRequest(as_of=AS_OF), wait=True)
    assert run.status == AttritionModel.Status.REFUSED
    assert "性别" in run.message["zh"]
    refused = AuditEntry.objects.filter(action="attrition.trained").last().after["proxy_feature"]
    assert refused == "tenure_months"
    assert "tenure_months" in run.message["en"]
    assert not AttritionScore.objects.exists()
    again = do_request_attrition_training(
        org.users["alice"], TrainingRequest(as_of=AS_OF, left_out=("tenure_months",)), wait=True
    )
    assert again.status == AttritionModel.Status.TRAINED, again.message
    assert again.fairness[0]["attribute"] == "sex"
    assert {g["group"] for g in again.fairness[0]["groups"]} == {"男"}  # only today's staff


def test_the_task_fails_a_training_whose_requester_lost_the_role(
    org, history, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = do_request_attrition_training(org.users["alice"], TrainingRequest(as_of=AS_OF))
    assert run.status == AttritionModel.Status.QUEUED
    do_revoke_role(None, org.users["alice"], GrantRole.HR_ADMIN)
    for callback in queued:
        callback()  # the immediate backend runs the task now
    run.refresh_from_db()
    assert run.status == AttritionModel.Status.FAILED
    assert not AttritionScore.objects.exists()


def test_the_page_queues_a_training_that_the_task_runs(
    org, history, client_for, django_capture_on_commit_callbacks
):
    alice = client_for("alice")
    with django_capture_on_commit_callbacks(execute=True):
        answer = alice.post(
            reverse("attrition-train"), {"horizon_months": 6, "left_out": ["noise"]}
        )
    assert answer.status_code == 302
    assert not AttritionModel.objects.exists()  # an unknown feature: refused, nothing queued
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("attrition-train"), {"horizon_months": 5, "left_out": ["pay_vs_median"]})
    run = AttritionModel.objects.get()
    assert (run.horizon_months, run.left_out) == (5, ["pay_vs_median"])
    assert run.status in (AttritionModel.Status.TRAINED, AttritionModel.Status.TOO_LITTLE_HISTORY)
    assert "pay_vs_median" not in run.summary.get("features", [])


def test_the_api_queues_a_training_and_answers_where_to_follow_it(org, history, api_for):
    from kaohe.tokens.models import TokenScope

    api = api_for("alice", TokenScope.WRITE)
    wrong = api.post("/api/v1/insights/attrition/models", {"horizon_months": 12},
                     content_type="application/json")  # fmt: skip
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "horizon_months"
    answer = api.post("/api/v1/insights/attrition/models", {}, content_type="application/json")
    assert answer.status_code == 202
    followed = api.get(answer.json()["target"])
    assert followed.status_code == 200
    assert followed.json()["status"] == "queued"  # the task runs after the commit


# --- the protected attributes ---------------------------------------------------------------


def write(tmp_path, text):
    path = tmp_path / "attributes.csv"
    path.write_text(text, encoding="utf-8")
    return path


def upload(client, path):
    with path.open("rb") as handle:
        return client.post(reverse("attrition-attributes"), {"file": handle})


def test_hr_imports_attributes_as_bands_and_a_bad_file_imports_nothing(org, client_for, tmp_path):
    alice = client_for("alice")
    bad = write(tmp_path, "工号,性别,年龄\nA001,女,29\nZ999,男,40\n")
    page = upload(alice, bad)
    assert page.status_code == 200
    assert "Z999" in page.content.decode()
    assert not ProtectedAttribute.objects.exists()
    good = write(tmp_path, "工号,性别,年龄\nA001,女,29\nA002,男,1980\nB001,,\n")
    assert upload(alice, good).status_code == 302
    stored = {(a.employee.number, a.attribute): a.value for a in ProtectedAttribute.objects.all()}
    assert stored == {("A001", "sex"): "女", ("A001", "age"): "<30", ("A002", "sex"): "男",
                      ("A002", "age"): "40–49"}  # fmt: skip
    entry = AuditEntry.objects.get(action="attrition.attributes_import")
    assert entry.after == {"file": "attributes.csv", "people": 2, "attributes": ["age", "sex"]}
    assert alice.post(reverse("attrition-attributes-clear")).status_code == 302
    assert not ProtectedAttribute.objects.exists()


def test_protected_attributes_never_show_for_a_person(org, client_for, api_for, history, tmp_path):
    lines = ["工号,民族"] + [f"{e.number},少数民族甲" for e in Employee.objects.filter(active=True)]
    lines += [f"{e.number},汉族" for e in Employee.objects.filter(active=False)]
    upload(client_for("alice"), write(tmp_path, "\n".join(lines)))
    run = do_request_attrition_training(org.users["alice"], TrainingRequest(as_of=AS_OF), wait=True)
    assert run.status in (AttritionModel.Status.TRAINED, AttritionModel.Status.REFUSED)
    for key in ("alice", "eve"):
        page = client_for(key).get(reverse("attrition-person", args=["A001"])).content.decode()
        assert "少数民族甲" not in page
        answer = api_for(key).get("/api/v1/insights/attrition/scores/A001")
        assert "少数民族甲" not in answer.content.decode()
        listing = api_for(key).get("/api/v1/insights/attrition/scores").content.decode()
        assert "少数民族甲" not in listing


def test_the_demo_trains_its_model_once_and_says_so(org, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from kaohe.insights.demo_attrition import demo_attrition, summary_line
    from kaohe.org.actions import do_grant_role

    settings.HOME = tmp_path
    monthly_runs()
    do_grant_role(None, get_user_model().objects.create_user("hr"), GrantRole.HR_ADMIN)
    run = demo_attrition()
    assert run.status == AttritionModel.Status.TRAINED, run.message
    assert run.leavers == 40
    assert ProtectedAttribute.objects.filter(attribute="age").count() == Employee.objects.count()
    zh, en = summary_line(run)
    auc = max(v["auc"] for v in run.summary["validations"] if v["model"] == run.chosen)
    assert (
        en
        == f"attrition model trained (40 who resigned, validation AUC {auc:.2f}), 9 people scored"
    )
    assert zh.startswith("已训练离职风险模型（40 名主动离职者")
    assert demo_attrition() is None  # once


def test_the_model_page_follows_a_queued_training_until_it_ends(org, client_for):
    alice = client_for("alice")
    run = AttritionModel.objects.create(as_of=AS_OF, requested_by=org.users["alice"])
    polled = alice.get(reverse("attrition-model"), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 3s"' in polled.content.decode()
    assert "HX-Refresh" not in polled
    AttritionModel.objects.filter(pk=run.pk).update(status=AttritionModel.Status.FAILED)
    polled = alice.get(reverse("attrition-model"), headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
