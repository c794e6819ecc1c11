"""The security baseline: hashing, lock-out, cookies, headers, CSP and no inline scripts."""

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from kaohe import settings as production_settings
from kaohe.audit.models import AuditEntry

from .factory import PASSWORD


def test_passwords_are_hashed_with_argon2():
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_argon2_hashes_a_real_password(settings, django_user_model, db):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    user = django_user_model.objects.create_user(username="x", password="long-pass-phrase-9")
    assert user.password.startswith("argon2$")


def test_security_headers(client_for):
    response = client_for("alice").get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "people",
        "person-new",
        "org-chart",
        "org-import",
        "audit-log",
        "team",
        "data-import",
        "appraisals",
        "cycles",
        "cycle-new",
        "notifications",
        "schemes",
        "my-tokens",
    ],
)
def test_pages_have_no_inline_scripts_or_styles(client_for, org, name):
    client = client_for("alice" if name != "team" else "dora")
    html = client.get(reverse(name)).content.decode()
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script, script
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    # Every asset is served by kaohe itself: no script, style sheet or image from elsewhere.
    # (Not a search for "cdn" in the page: a random CSRF token may spell it.)
    assets = re.findall(r"<(?:script|link|img)\b[^>]*\s(?:src|href)=\"([^\"]*)\"", html)
    assert any(asset.endswith(".css") for asset in assets), assets
    for asset in assets:
        assert not re.match(r"([a-z]+:)?//", asset, re.IGNORECASE), asset


def test_five_wrong_passwords_lock_the_account_out(org):
    client = Client()
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "ann", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post(reverse("login"), {"username": "ann", "password": PASSWORD})
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    assert (
        Client().post(reverse("login"), {"username": "bob", "password": PASSWORD}).status_code
        == 302
    )


def test_sign_in_needs_the_csrf_token(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "ann", "password": PASSWORD})
    assert response.status_code == 403


def test_session_cookie_is_http_only(org):
    client = Client()
    client.post(reverse("login"), {"username": "ann", "password": PASSWORD})
    cookie = client.cookies[
        production_settings.SESSION_COOKIE_NAME
        if hasattr(production_settings, "SESSION_COOKIE_NAME")
        else "sessionid"
    ]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_cookies_are_secure_unless_told_otherwise():
    # Production defaults: no DEBUG, so HTTPS is assumed and cookies are Secure.
    assert (
        production_settings.HTTPS is (not production_settings.DEBUG)
        or "KAOHE_HTTPS" in __import__("os").environ
    )
    if production_settings.HTTPS:
        assert production_settings.SESSION_COOKIE_SECURE
        assert production_settings.CSRF_COOKIE_SECURE
        assert production_settings.SECURE_HSTS_SECONDS > 0


def test_password_change_is_audited(client_for, org):
    client = client_for("ann")
    response = client.post(
        reverse("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Brand-new-pass-42",
            "new_password2": "Brand-new-pass-42",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="account.password_change", actor=org.users["ann"]
    ).exists()


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_the_demo_password_appears_only_in_the_demo(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "kaohe"
    hits = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".html", ".yaml", ".po"}
        and "kaohe-demo" in path.read_text(encoding="utf-8", errors="ignore")
    ]
    assert hits == ["demo.py"]
