"""HR adds, edits, deactivates and reactivates people; every change is in the audit log."""

import re

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.org.models import Employee

from .factory import PASSWORD


def person_form(org, **changes):
    data = {
        "number": "N100",
        "name": "新人",
        "department": org.departments["企服部/客服中心/客服一组"].pk,
        "position": org.people["ann"].position_id,
        "manager_number": "M001",
        "hire_date": "2026-11-02",
        "email": "new@example.com",
        "username": "newbie",
    }
    data.update(changes)
    return data


def test_hr_adds_a_person_with_an_account_without_a_password(client_for, org):
    response = client_for("alice").post(reverse("person-new"), person_form(org))
    assert response.status_code == 302
    assert response["Location"] == reverse("person", args=["N100"])
    person = Employee.objects.get(number="N100")
    assert (person.name, person.manager, str(person.hire_date)) == (
        "新人",
        org.people["mike"],
        "2026-11-02",
    )
    assert person.user.username == "newbie"
    assert not person.user.has_usable_password()
    entry = AuditEntry.objects.get(action="employee.create")
    assert entry.actor == org.users["alice"]
    assert entry.after["manager"] == "M001"


def test_a_duplicate_number_or_unknown_manager_is_refused(client_for, org):
    client = client_for("alice")
    response = client.post(reverse("person-new"), person_form(org, number="A001"))
    assert response.status_code == 200
    assert "该工号已被其他人使用" in response.content.decode()
    response = client.post(reverse("person-new"), person_form(org, manager_number="ZZZ"))
    assert "ZZZ" in response.content.decode()
    assert not Employee.objects.filter(number="N100").exists()
    assert not AuditEntry.objects.exists()


def test_editing_records_before_and_after(client_for, org):
    ann = org.people["ann"]
    data = person_form(org, number="A001", name="安妮", manager_number="L001", username="ann")
    response = client_for("alice").post(reverse("person-edit", args=["A001"]), data)
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.manager == org.people["lena"]
    entry = AuditEntry.objects.get(action="employee.update")
    assert ("manager", "M001", "L001") in entry.changes()


def test_a_manager_cannot_be_made_to_report_to_their_own_report(client_for, org):
    mike = org.people["mike"]
    data = person_form(
        org,
        number="M001",
        name="麦克",
        manager_number="A001",
        position=mike.position_id,
        username="mike",
    )
    response = client_for("alice").post(reverse("person-edit", args=["M001"]), data)
    assert response.status_code == 200
    assert "不能担任其上级" in response.content.decode()
    mike.refresh_from_db()
    assert mike.manager == org.people["dora"]
    assert not AuditEntry.objects.exists()


def test_scoped_hr_can_only_place_people_in_their_departments(client_for, org):
    outside = person_form(org, department=org.departments["人力资源部"].pk)
    response = client_for("harry").post(reverse("person-new"), outside)
    assert response.status_code == 200
    assert not Employee.objects.filter(number="N100").exists()
    inside = person_form(org)
    assert client_for("harry").post(reverse("person-new"), inside).status_code == 302


def test_deactivation_asks_for_a_reason_and_keeps_the_records(client_for, org):
    client = client_for("alice")
    url = reverse("person-deactivate", args=["A001"])
    page = client.get(url).content.decode()
    assert "不会删除任何数据" in page
    assert client.post(url, {"reason": ""}).status_code == 200
    assert Employee.objects.get(number="A001").active
    leaving = {
        "leaving_reason": "resigned",
        "leaving_date": "2026-10-31",
        "reason": "2026-10-31 离职",
    }
    response = client.post(url, leaving)  # first the confirmation, changing nothing
    assert response.status_code == 200
    assert Employee.objects.get(number="A001").active
    response = client.post(url, {**leaving, "confirm": "yes"})
    assert response.status_code == 302
    ann = Employee.objects.get(number="A001")
    assert not ann.active
    assert not ann.user.is_active
    entry = AuditEntry.objects.get(action="employee.deactivate")
    assert entry.note == "2026-10-31 离职"
    # A deactivated person can no longer sign in.
    client.logout()
    client.post(reverse("login"), {"username": "ann", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    # ...and reactivation restores both.
    client.force_login(org.users["alice"])
    assert client.post(reverse("person-reactivate", args=["A001"])).status_code == 302
    ann.refresh_from_db()
    assert ann.active
    assert get_user_model().objects.get(username="ann").is_active


def test_people_who_may_not_edit_get_403_and_nothing_changes(client_for, org):
    for role in ("eve", "mike", "ann"):
        client = client_for(role)
        assert (
            client.post(reverse("person-deactivate", args=["A001"]), {"reason": "x"}).status_code
            == 403
        )
        assert client.post(reverse("person-reactivate", args=["A001"])).status_code == 403
        assert (
            client.post(reverse("person-edit", args=["A001"]), person_form(org)).status_code == 403
        )
    assert Employee.objects.get(number="A001").active
    assert not AuditEntry.objects.exists()


def test_people_search_answers_htmx_with_the_results_partial(client_for, org):
    client = client_for("alice")
    full = client.get(reverse("people"), {"q": "安妮"})
    assert "<html" in full.content.decode()
    partial = client.get(reverse("people"), {"q": "安妮"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body
    assert 'id="results"' in body
    assert 'href="/people/A001/"' in body
    assert 'href="/people/B001/"' not in body


def test_hr_sets_a_temporary_password_shown_once(client_for, org):
    client = client_for("alice")
    url = reverse("person-password", args=["A001"])
    assert 'data-testid="temporary-password"' not in client.get(url).content.decode()
    response = client.post(url)
    assert response["Cache-Control"] == "no-store"
    password = re.search(
        r'data-testid="temporary-password"><code>([^<]+)</code>', response.content.decode()
    )[1]
    assert len(password) == 14
    signed_in = Client()
    signed_in.post(reverse("login"), {"username": "ann", "password": password})
    assert signed_in.session["_auth_user_id"] == str(org.users["ann"].pk)
    assert AuditEntry.objects.filter(action="account.temporary_password").count() == 1
    # The password appears nowhere in the audit log.
    assert password not in str(list(AuditEntry.objects.values()))


def test_only_hr_in_scope_sets_passwords(client_for, org):
    assert client_for("eve").post(reverse("person-password", args=["A001"])).status_code == 403
    assert client_for("harry").post(reverse("person-password", args=["H001"])).status_code == 404
    assert client_for("mike").post(reverse("person-password", args=["A001"])).status_code == 403
    assert not AuditEntry.objects.exists()
