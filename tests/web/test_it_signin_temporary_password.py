"""A temporary password from HR must be replaced at the first sign-in before anything else."""

import re

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from kaohe.accounts.models import AccountState
from kaohe.accounts.passwords import require_password_change
from kaohe.audit.models import AuditEntry
from kaohe.org.models import Employee

from .test_it_people import person_form

NEW_PASSWORD = "Mine-now-and-long-42"


def temporary_password_for(client_for, number):
    page = client_for("alice").post(reverse("person-password", args=[number])).content.decode()
    return re.search(r'data-testid="temporary-password"><code>([^<]+)</code>', page)[1]


def signed_in_with(username, password):
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return browser


def test_signing_in_with_a_temporary_password_leads_to_the_password_change(client_for, org):
    password = temporary_password_for(client_for, "A001")
    ann = signed_in_with("ann", password)
    page = ann.get(reverse("home"), follow=True)
    assert page.redirect_chain == [(reverse("password-change"), 302)]
    html = page.content.decode()
    assert 'data-testid="must-change-password"' in html
    assert "您的密码是 HR 设置的临时密码。请先设置您自己的密码" in html
    for name in ("appraisals", "org-chart", "notifications"):
        response = ann.get(reverse(name))
        assert (response.status_code, response["Location"]) == (302, reverse("password-change"))


def test_the_reason_is_given_in_english_too(client_for, org):
    ann = signed_in_with("ann", temporary_password_for(client_for, "A001"))
    page = ann.get(reverse("password-change"), headers={"Accept-Language": "en"})
    assert "Your password is a temporary one that HR set." in page.content.decode()


def test_what_stays_open_meanwhile(client_for, org):
    ann = signed_in_with("ann", temporary_password_for(client_for, "A001"))
    assert ann.get(reverse("password-change")).status_code == 200
    assert ann.get(reverse("healthz")).status_code == 200
    assert ann.get("/static/kaohe/kaohe.css").status_code == 200
    switched = ann.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert ann.cookies["django_language"].value == "en"
    assert ann.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in ann.session


def test_posts_elsewhere_are_refused_and_change_nothing(client_for, org):
    require_password_change(org.users["alice"])  # HR, who could otherwise do these
    hr = client_for("alice")
    for url, data in [
        (reverse("person-new"), person_form(org)),
        (reverse("person-password", args=["A001"]), {}),
        (reverse("person-deactivate", args=["A001"]), {"reason": "x"}),
    ]:
        response = hr.post(url, data)
        assert (response.status_code, response["Location"]) == (302, reverse("password-change"))
        htmx = hr.post(url, data, headers={"HX-Request": "true"})
        assert htmx["HX-Redirect"] == reverse("password-change")
    assert not Employee.objects.filter(number="N100").exists()
    assert Employee.objects.get(number="A001").active
    assert not AuditEntry.objects.exists()


def test_changing_the_password_clears_the_requirement(client_for, org):
    password = temporary_password_for(client_for, "A001")
    ann = signed_in_with("ann", password)
    response = ann.post(
        reverse("password-change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert ann.get(reverse("home")).status_code == 200
    assert not AccountState.objects.get(user=org.users["ann"]).must_change_password
    assert AuditEntry.objects.filter(action="account.password_change").count() == 1
    assert get_user_model().objects.get(username="ann").check_password(NEW_PASSWORD)


def test_a_wrong_old_password_keeps_the_requirement(client_for, org):
    ann = signed_in_with("ann", temporary_password_for(client_for, "A001"))
    response = ann.post(
        reverse("password-change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert ann.get(reverse("home")).status_code == 302


def test_people_with_their_own_password_are_not_held(client_for, org):
    temporary_password_for(client_for, "A001")
    assert client_for("amy").get(reverse("home")).status_code == 200
    assert client_for("alice").get(reverse("home")).status_code == 200
