"""Deactivation ends the person's sessions, so that reactivation does not bring them back."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from kaohe.accounts.sessions import end_sessions

from .factory import PASSWORD


def signed_in(username):
    browser = Client()
    assert (
        browser.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    assert browser.get(reverse("home")).status_code == 200
    return browser


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


def test_reactivating_a_person_does_not_restore_their_old_sessions(client_for, org):
    ann_phone, ann_desk, bob = signed_in("ann"), signed_in("ann"), signed_in("bob")
    hr = client_for("alice")
    assert (
        hr.post(
            reverse("person-deactivate", args=["A001"]),
            {
                "leaving_reason": "resigned",
                "leaving_date": "2026-11-30",
                "reason": "离职",
                "confirm": "yes",
            },
        ).status_code
        == 302
    )
    assert sessions_of(org.users["ann"]) == []
    assert hr.post(reverse("person-reactivate", args=["A001"])).status_code == 302
    for browser in (ann_phone, ann_desk):
        response = browser.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    # Everyone else stays signed in, and Ann can sign in again.
    assert bob.get(reverse("home")).status_code == 200
    assert len(sessions_of(org.users["bob"])) == 1
    signed_in("ann")


def test_end_sessions_counts_what_it_ended_and_nothing_else(org):
    signed_in("ann"), signed_in("ann"), signed_in("amy")
    assert end_sessions(org.users["ann"]) == 2
    assert end_sessions(org.users["ann"]) == 0
    assert len(sessions_of(org.users["amy"])) == 1
