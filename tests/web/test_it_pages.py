"""Every page: anonymous → sign-in; the wrong role → 403 (404 for a person hidden from the
caller, so that nobody learns who exists); the right role → 200."""

import re

import pytest
from django.urls import reverse

# (url name, kwargs, roles allowed, a role refused — None where every signed-in user may)
PAGES = [
    ("home", {}, ["ann", "mike", "dora", "alice", "eve", "nobody"], None),
    ("password-change", {}, ["ann", "alice", "nobody"], None),
    ("org-chart", {}, ["ann", "mike", "alice", "eve", "nobody"], None),
    ("team", {}, ["mike", "dora"], "ann"),
    ("people", {}, ["alice", "harry", "eve"], "mike"),
    ("person-new", {}, ["alice", "harry"], "eve"),
    ("person", {"number": "A001"}, ["ann", "mike", "dora", "alice", "harry", "eve"], None),
    ("person-edit", {"number": "A001"}, ["alice", "harry"], "eve"),
    ("person-deactivate", {"number": "A001"}, ["alice", "harry"], "mike"),
    ("person-password", {"number": "A001"}, ["alice", "harry"], "ann"),
    ("org-import", {}, ["alice", "harry"], "eve"),
    ("audit-log", {}, ["alice"], "harry"),
    ("data-import", {}, ["alice"], "harry"),
    ("appraisals", {}, ["ann", "mike", "alice", "eve", "nobody"], None),
    ("notifications", {}, ["ann", "alice", "nobody"], None),
    ("cycles", {}, ["alice", "harry"], "eve"),
    ("cycle-new", {}, ["alice", "harry"], "mike"),
    ("schemes", {}, ["alice", "harry"], "ann"),
    ("whatif", {}, ["alice", "harry"], "eve"),
]


def _cases():
    for name, kwargs, allowed, refused in PAGES:
        for role in allowed:
            yield pytest.param(name, kwargs, role, 200, id=f"{name}-{role}-200")
        if refused:
            yield pytest.param(name, kwargs, refused, 403, id=f"{name}-{refused}-403")


@pytest.mark.parametrize(("name", "kwargs"), [(p[0], p[1]) for p in PAGES])
def test_anonymous_is_sent_to_sign_in(client_for, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "kwargs", "role", "status"), list(_cases()))
def test_roles(client_for, name, kwargs, role, status):
    response = client_for(role).get(reverse(name, kwargs=kwargs))
    assert response.status_code == status


def test_an_unknown_person_is_404(client_for):
    assert client_for("alice").get(reverse("person", args=["NOPE"])).status_code == 404


def test_an_employee_cannot_read_another_employees_record(client_for):
    response = client_for("ann").get(reverse("person", args=["B001"]))
    assert response.status_code == 404
    assert "鲍勃" not in response.content.decode()


def test_whether_someone_exists_outside_ones_scope_is_not_revealed(client_for):
    hidden = client_for("bob").get(reverse("person", args=["A001"]))
    missing = client_for("bob").get(reverse("person", args=["NOPE"]))
    assert hidden.status_code == missing.status_code == 404

    def page(response):  # without the per-request CSRF token and script nonce
        tokens = r'("X-CSRFToken": |nonce=|name="csrfmiddlewaretoken" value=)"[^"]+"'
        return re.sub(tokens, "", response.content.decode())

    assert page(hidden).replace("A001", "NOPE") == page(missing)


def test_scoped_hr_cannot_reach_people_outside_their_departments(client_for):
    client = client_for("harry")
    assert client.get(reverse("person", args=["A001"])).status_code == 200
    assert client.get(reverse("person", args=["D001"])).status_code == 404
    assert client.get(reverse("person-edit", args=["D001"])).status_code == 404
    listed = client.get(reverse("people")).content.decode()
    assert 'href="/people/A001/"' in listed
    assert 'href="/people/D001/"' not in listed


def test_a_manager_sees_indirect_reports(client_for):
    client = client_for("dora")
    assert client.get(reverse("person", args=["A001"])).status_code == 200
    team = client.get(reverse("team")).content.decode()
    for name in ("麦克", "莉娜", "安妮", "艾米", "鲍勃"):
        assert name in team


def test_the_login_and_health_pages_need_no_sign_in(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
