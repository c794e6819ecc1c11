"""Who left, and when: HR deactivates a person with a leaving reason and date, after a
confirmation, by the page, the import or the API; the audit log keeps both; reactivation
clears them; only HR in scope and executives read them."""

from datetime import date

from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.org.importing import apply_import, plan_import
from kaohe.org.models import Employee, LeavingReason
from kaohe.tokens.models import TokenScope

LEFT = {"leaving_reason": "resigned", "leaving_date": "2026-10-31", "reason": "另谋高就"}


def test_the_form_asks_for_reason_and_date_then_confirms_before_anything_changes(client_for):
    hr = client_for("alice")
    url = reverse("person-deactivate", args=["A001"])
    page = hr.get(url).content.decode()
    assert 'name="leaving_reason"' in page
    assert 'name="leaving_date"' in page
    empty = hr.post(url, {"reason": "x"}).content.decode()
    assert empty.count('class="field-error"') == 2  # the reason and the date
    confirming = hr.post(url, LEFT)
    assert confirming.status_code == 200
    summary = confirming.content.decode()
    assert 'data-reason="resigned">主动离职</dd>' in summary
    assert "2026-10-31" in summary
    assert 'name="confirm" value="yes"' in summary
    assert Employee.objects.get(number="A001").active
    assert not AuditEntry.objects.exists()
    assert hr.post(url, {**LEFT, "confirm": "yes"}).status_code == 302
    ann = Employee.objects.get(number="A001")
    assert (ann.active, ann.leaving_reason, ann.leaving_date) == (
        False,
        LeavingReason.RESIGNED,
        date(2026, 10, 31),
    )
    entry = AuditEntry.objects.get(action="employee.deactivate")
    assert (entry.before["leaving_reason"], entry.after["leaving_reason"]) == (None, "resigned")
    assert entry.after["leaving_date"] == "2026-10-31"
    assert entry.note == "另谋高就"


def test_a_leaving_date_before_the_hire_date_is_refused_by_the_date_field(client_for, org):
    Employee.objects.filter(number="A001").update(hire_date=date(2026, 11, 2))
    hr = client_for("alice")
    answer = hr.post(reverse("person-deactivate", args=["A001"]), {**LEFT, "confirm": "yes"})
    assert answer.status_code == 200
    assert "2026-10-31 早于入职日期 2026-11-02。" in answer.content.decode()
    assert Employee.objects.get(number="A001").active


def test_reactivation_clears_the_leaving_and_the_log_keeps_it(client_for):
    hr = client_for("alice")
    hr.post(reverse("person-deactivate", args=["A001"]), {**LEFT, "confirm": "yes"})
    assert hr.post(reverse("person-reactivate", args=["A001"])).status_code == 302
    ann = Employee.objects.get(number="A001")
    assert (ann.active, ann.leaving_reason, ann.leaving_date) == (True, "", None)
    back = AuditEntry.objects.get(action="employee.reactivate")
    assert (back.before["leaving_reason"], back.after["leaving_reason"]) == ("resigned", None)


def test_the_person_page_shows_the_leaving_to_hr_and_executives_only(client_for):
    client_for("alice").post(
        reverse("person-deactivate", args=["A001"]), {**LEFT, "confirm": "yes"}
    )
    for key, shown in [("alice", True), ("harry", True), ("eve", True), ("mike", False)]:
        page = client_for(key).get(reverse("person", args=["A001"]))
        assert page.status_code == 200, key
        assert ("主动离职" in page.content.decode()) is shown, key


def write(tmp_path, text):
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "工号,姓名,部门,岗位,在职,离职日期,离职原因\n"


def test_the_import_reads_leaving_dates_and_reasons_in_chinese(tmp_path, org):
    path = write(
        tmp_path,
        HEADER
        + "A001,安妮,企服部/客服中心/客服一组,客服专员,否,2026-09-30,主动离职\n"
        + "A002,艾米,企服部/客服中心/客服一组,客服专员,离职,2026/8/31,内部调动\n",
    )
    plan = plan_import(path, "org.csv", org.users["alice"])
    assert plan.problems == []
    apply_import(plan, org.users["alice"])
    ann, amy = Employee.objects.get(number="A001"), Employee.objects.get(number="A002")
    assert (ann.active, ann.leaving_reason, ann.leaving_date) == (
        False,
        "resigned",
        date(2026, 9, 30),
    )
    assert (amy.leaving_reason, amy.leaving_date) == ("transferred", date(2026, 8, 31))
    again = plan_import(path, "org.csv", org.users["alice"])
    assert (len(again.updates), again.unchanged) == (0, 2)  # a re-import changes nothing


def test_the_import_refuses_leaving_that_cannot_be_right_naming_line_and_field(tmp_path, org):
    path = write(
        tmp_path,
        HEADER
        + "A001,安妮,企服部/客服中心/客服一组,客服专员,是,2026-09-30,主动离职\n"
        + "A002,艾米,企服部/客服中心/客服一组,客服专员,否,,主动离职\n"
        + "B001,鲍勃,企服部/客服中心/客服二组,客服专员,否,2026-09-30,跳槽\n",
    )
    plan = plan_import(path, "org.csv", org.users["alice"])
    found = [(p.line, p.field) for p in plan.problems]
    assert found == [(2, "leaving_date"), (3, "leaving_date"), (4, "leaving_reason")]
    assert "跳槽" in plan.problems[-1].reason
    assert Employee.objects.filter(active=True).count() == 9


def test_an_import_without_leaving_columns_keeps_what_kaohe_holds(tmp_path, client_for, org):
    client_for("alice").post(
        reverse("person-deactivate", args=["A001"]), {**LEFT, "confirm": "yes"}
    )
    path = write(
        tmp_path,
        "工号,姓名,部门,岗位,上级工号,在职\nA001,安妮,企服部/客服中心/客服一组,客服专员,M001,否\n",
    )
    plan = plan_import(path, "org.csv", org.users["alice"])
    assert (plan.problems, plan.unchanged) == ([], 1)


def test_the_api_deactivates_with_the_leaving_and_shows_it_to_hr_only(api_for, org):
    hr = api_for("alice", TokenScope.WRITE)
    url = "/api/v1/employees/A001/deactivation"
    body = {"leaving_reason": "contract_ended", "leaving_date": "2026-10-31"}
    refused = api_for("mike", TokenScope.WRITE).post(url, body, content_type="application/json")
    assert refused.status_code == 403
    wrong = hr.post(url, {**body, "leaving_date": "2031-01-01"}, content_type="application/json")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "leaving_date"
    assert Employee.objects.get(number="A001").active
    answer = hr.post(url, body, content_type="application/json")
    assert answer.status_code == 200
    assert (answer.json()["leaving_reason"], answer.json()["leaving_date"]) == (
        "contract_ended",
        "2026-10-31",
    )
    assert AuditEntry.objects.get(action="employee.deactivate").via_token == "test"
    as_manager = api_for("mike").get("/api/v1/employees/A001").json()
    assert (as_manager["active"], as_manager["leaving_reason"]) == (False, None)
    as_executive = api_for("eve").get("/api/v1/employees/A001").json()
    assert as_executive["leaving_reason"] == "contract_ended"


def test_hr_cannot_deactivate_themselves(client_for, api_for, org):
    from kaohe.tokens.models import TokenScope

    answer = api_for("alice", TokenScope.WRITE).post(
        "/api/v1/employees/H001/deactivation",
        {"leaving_reason": "resigned", "leaving_date": "2026-10-31"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "number"
    page = client_for("alice").post(
        reverse("person-deactivate", args=["H001"]), {**LEFT, "confirm": "yes"}
    )
    assert page.status_code == 200
    assert "不能停用自己。" in page.content.decode()
    assert Employee.objects.get(number="H001").active
