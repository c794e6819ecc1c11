"""A department-scoped HR admin cannot take over an account that carries power of its own.

harry is HR for 企服部/客服中心 only. Through the person form, the temporary password and
the organisation import — on the page and through the actions — he may give the people in
his scope new accounts, rename theirs, or link a plain account nobody uses; never the
operator's first account, a staff account, or one holding a granted role.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.org.actions import (
    PersonData,
    do_create_employee,
    do_import_organisation,
    do_set_temporary_password,
    do_update_employee,
)
from kaohe.org.models import AccessGrant, Employee, GrantRole

from .factory import PASSWORD, unlinked_account
from .test_it_org_import import ZH_HEADER, counts, write
from .test_it_people import person_form
from .test_it_signin_sessions import sessions_of

PRIVILEGED = {
    "root": {"superuser": True},  # as `kaohe manage createsuperuser` makes it
    "ops": {"staff": True},
    "first-hr": {"role": GrantRole.HR_ADMIN},
    "boss": {"role": GrantRole.EXECUTIVE},
}
REFUSED = "拥有授予的角色或属于管理员"


@pytest.fixture
def privileged(org):
    return {name: unlinked_account(name, **flags) for name, flags in PRIVILEGED.items()}


def ann_form(org, username):
    return person_form(org, number="A001", name="安妮", username=username)


def ann_data(org, username):
    ann = org.people["ann"]
    return PersonData(
        number="A001", name="安妮", department=ann.department, position=ann.position,
        manager=org.people["mike"], hire_date=None, email="", username=username,
    )  # fmt: skip


def account_state(username):
    user = get_user_model().objects.get(username=username)
    return (user.is_active, user.password, user.is_superuser, user.is_staff)


def signs_in(username, password=PASSWORD):
    browser = Client()
    browser.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in browser.session


@pytest.mark.parametrize("name", list(PRIVILEGED))
def test_the_person_form_refuses_a_privileged_account_and_changes_nothing(
    client_for, org, privileged, name
):
    before = account_state(name)
    response = client_for("harry").post(reverse("person-edit", args=["A001"]), ann_form(org, name))
    assert response.status_code == 200
    assert f"账号 {name} {REFUSED}，不能关联到员工。" in response.content.decode()
    assert Employee.objects.get(number="A001").user == org.users["ann"]
    assert account_state(name) == before
    assert get_user_model().objects.get(username="ann").is_active
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", list(PRIVILEGED))
def test_adding_a_person_with_a_privileged_account_is_refused(client_for, org, privileged, name):
    response = client_for("harry").post(reverse("person-new"), person_form(org, username=name))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Employee.objects.filter(number="N100").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", list(PRIVILEGED))
def test_the_actions_refuse_a_privileged_account(org, privileged, name):
    harry = org.users["harry"]
    with pytest.raises(ValidationError):
        do_update_employee(harry, org.people["ann"], ann_data(org, name))
    with pytest.raises(ValidationError):
        do_create_employee(harry, PersonData(**{**vars(ann_data(org, name)), "number": "N100"}))
    assert Employee.objects.get(number="A001").user == org.users["ann"]
    assert not Employee.objects.filter(number="N100").exists()
    # Whole-organisation HR may not either: an account's power is granted at the command line.
    with pytest.raises(ValidationError):
        do_update_employee(org.users["alice"], org.people["ann"], ann_data(org, name))
    assert not AuditEntry.objects.exists()


def test_an_account_linked_to_someone_outside_the_scope_is_refused(client_for, org):
    response = client_for("harry").post(
        reverse("person-edit", args=["A001"]), ann_form(org, "alice")
    )
    assert response.status_code == 200
    assert "登录名 alice 已属于其他人" in response.content.decode()
    assert Employee.objects.get(number="A001").user == org.users["ann"]
    assert Employee.objects.get(number="H001").user == org.users["alice"]


@pytest.mark.parametrize("flags", list(PRIVILEGED.values()), ids=list(PRIVILEGED))
def test_no_temporary_password_for_an_account_with_power_of_its_own(client_for, org, flags):
    # The person is in harry's scope, but their own account holds a grant or is an
    # administrator's: a password set by HR would hand that power over.
    mike = org.users["mike"]
    if "role" in flags:
        AccessGrant.objects.create(user=mike, role=flags["role"])
    else:
        type(mike).objects.filter(pk=mike.pk).update(
            is_superuser=flags.get("superuser", False), is_staff=True
        )
    password = type(mike).objects.get(pk=mike.pk).password
    for key in ("harry", "alice"):
        client = client_for(key)
        assert client.post(reverse("person-password", args=["M001"])).status_code == 403
        assert client.get(reverse("person-password", args=["M001"])).status_code == 403
        page = client.get(reverse("person", args=["M001"])).content.decode()
        assert reverse("person-password", args=["M001"]) not in page  # not offered
        with pytest.raises(PermissionDenied):
            do_set_temporary_password(org.users[key], Employee.objects.get(number="M001"))
    assert type(mike).objects.get(pk=mike.pk).password == password
    assert not AuditEntry.objects.exists()


def test_a_temporary_password_for_a_plain_account_in_scope_is_allowed(client_for, org):
    response = client_for("harry").post(reverse("person-password", args=["A001"]))
    assert response.status_code == 200
    assert 'data-testid="temporary-password"' in response.content.decode()
    assert not signs_in("ann")  # the old password stopped working
    assert AuditEntry.objects.get(action="account.temporary_password").actor == org.users["harry"]


def test_linking_a_plain_unused_account_retires_the_old_one(
    client_for, org, django_capture_on_commit_callbacks
):
    ann_browser = Client()
    ann_browser.force_login(org.users["ann"])
    ann_browser.get(reverse("home"))
    assert sessions_of(org.users["ann"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("harry").post(
            reverse("person-edit", args=["A001"]), ann_form(org, "nobody")
        )
    assert response.status_code == 302
    assert Employee.objects.get(number="A001").user == org.users["nobody"]
    old = get_user_model().objects.get(username="ann")
    assert not old.is_active
    assert not old.has_usable_password()
    assert sessions_of(old) == []
    assert ann_browser.get(reverse("home")).status_code == 302  # signed out
    assert not signs_in("ann")
    assert signs_in("nobody")
    update = AuditEntry.objects.get(action="employee.update")
    assert ("username", "ann", "nobody") in update.changes()
    retire = AuditEntry.objects.get(action="account.retire")
    assert (retire.target_type, retire.target_id) == ("auth.user", str(old.pk))
    assert (retire.before, retire.after) == ({"active": True}, {"active": False})


def test_a_new_sign_in_name_renames_the_account(client_for, org):
    response = client_for("harry").post(
        reverse("person-edit", args=["A001"]), ann_form(org, "ann.li")
    )
    assert response.status_code == 302
    ann = Employee.objects.get(number="A001")
    assert ann.user.pk == org.users["ann"].pk  # the same account, renamed
    assert ann.user.username == "ann.li"
    assert not get_user_model().objects.filter(username="ann").exists()
    assert not signs_in("ann")
    assert signs_in("ann.li")
    assert ("username", "ann", "ann.li") in AuditEntry.objects.get(
        action="employee.update"
    ).changes()


def test_a_person_whose_account_holds_a_grant_keeps_their_sign_in_name(client_for, org):
    AccessGrant.objects.create(user=org.users["mike"], role=GrantRole.EXECUTIVE)
    mike = org.people["mike"]
    form = person_form(
        org, number="M001", name="麦克", manager_number="D001", position=mike.position_id,
        username="mike2",
    )  # fmt: skip
    response = client_for("harry").post(reverse("person-edit", args=["M001"]), form)
    assert response.status_code == 200
    assert "麦克 的账号拥有授予的角色或属于管理员" in response.content.decode()
    assert get_user_model().objects.filter(username="mike").exists()
    assert not AuditEntry.objects.exists()


# --- the organisation import -------------------------------------------------------------


def ann_row(username):
    return f"A001,安妮,企服部/客服中心/客服一组,客服专员,客服,M001,,,{username},\n"


def upload(client, text):
    file = SimpleUploadedFile("org.csv", text.encode())
    return client.post(reverse("org-import"), {"file": file})


@pytest.mark.parametrize("name", list(PRIVILEGED))
def test_the_import_refuses_a_privileged_account_on_its_line(
    client_for, org, privileged, tmp_path, name
):
    before = counts()
    states = {n: account_state(n) for n in PRIVILEGED}
    text = ZH_HEADER + "C9,丁,企服部/客服中心/客服一组,客服专员,客服,M001,,,,\n" + ann_row(name)
    client = client_for("harry")
    page = upload(client, text).content.decode()
    assert 'data-ok="false"' in page
    assert '<td>3</td><td>登录账号 <code class="muted">username</code></td>' in page
    assert f"账号 {name} {REFUSED}" in page
    applied = client.post(reverse("org-import-apply")).content.decode()
    assert 'data-ok="false"' in applied
    plan = do_import_organisation(org.users["harry"], write(tmp_path, text), "org.csv")
    assert [(p.line, p.field) for p in plan.problems] == [(3, "username")]
    assert counts() == before  # not even the good row was written
    assert Employee.objects.get(number="A001").user == org.users["ann"]
    assert {n: account_state(n) for n in PRIVILEGED} == states


def test_the_import_refuses_a_new_name_for_an_account_with_a_grant(org, tmp_path):
    AccessGrant.objects.create(user=org.users["mike"], role=GrantRole.HR_ADMIN)
    text = ZH_HEADER + "M001,麦克,企服部/客服中心/客服一组,客服组长,客服,D001,,,mike2,\n"
    before = counts()
    plan = do_import_organisation(org.users["harry"], write(tmp_path, text), "org.csv")
    assert [(p.line, p.field) for p in plan.problems] == [(2, "username")]
    assert counts() == before
    assert get_user_model().objects.filter(username="mike").exists()


def test_the_import_links_a_plain_account_and_retires_the_old_one(
    client_for, org, django_capture_on_commit_callbacks
):
    ann_browser = Client()
    ann_browser.force_login(org.users["ann"])
    client = client_for("harry")
    assert 'data-ok="true"' in upload(client, ZH_HEADER + ann_row("nobody")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # sessions end once it commits
        assert client.post(reverse("org-import-apply")).status_code == 302
    assert Employee.objects.get(number="A001").user == org.users["nobody"]
    old = get_user_model().objects.get(username="ann")
    assert (old.is_active, old.has_usable_password()) == (False, False)
    assert sessions_of(old) == []
    assert not signs_in("ann")
    retire = AuditEntry.objects.get(action="account.retire")
    assert (retire.actor, retire.target_id) == (org.users["harry"], str(old.pk))
    assert (retire.before, retire.after) == ({"active": True}, {"active": False})


def test_the_import_renames_an_account_to_a_new_name(org, tmp_path):
    plan = do_import_organisation(
        org.users["harry"], write(tmp_path, ZH_HEADER + ann_row("ann.li")), "o.csv"
    )
    assert plan.ok
    ann = Employee.objects.get(number="A001")
    assert (ann.user.pk, ann.user.username) == (org.users["ann"].pk, "ann.li")
    assert not signs_in("ann")
    assert signs_in("ann.li")
