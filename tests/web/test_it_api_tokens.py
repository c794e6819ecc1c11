"""The API's door: personal access tokens (hash only at rest, revoked and expired refused,
scope enforced), the browser session with CSRF, ``/api/v1/me`` and problem answers."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from kaohe.audit.models import AuditEntry
from kaohe.tokens.actions import do_create_token, do_revoke_token
from kaohe.tokens.models import AccessToken, TokenScope

ME = "/api/v1/me"


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(user, scope=TokenScope.READ, **options):
    return do_create_token(None, user, "script", scope, **options)


def test_only_a_digest_of_the_token_is_kept(org):
    made = token_for(org.users["ann"])
    stored = AccessToken.objects.get(pk=made.token.pk)
    assert stored.digest == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret.startswith("kh_")
    assert len(made.secret) > 40
    every_value = {str(getattr(stored, f.attname)) for f in AccessToken._meta.concrete_fields}
    assert made.secret not in every_value
    assert stored.prefix == made.secret[: len(stored.prefix)]
    assert len(stored.prefix) <= 9


def test_a_token_acts_as_its_owner(org):
    made = token_for(org.users["mike"])
    answer = Client().get(ME, **bearer(made.secret))
    assert answer.status_code == 200
    me = answer.json()
    assert me["username"] == org.users["mike"].username
    assert me["employee"]["number"] == "M001"
    assert me["employee"]["manager"] == "D001"
    assert [role["role"] for role in me["roles"]] == ["employee", "manager"]
    assert me["token"] == "script"
    assert AccessToken.objects.get(pk=made.token.pk).last_used_at is not None


def test_roles_that_add_up_are_each_listed_with_hr_scope(org):
    eve = Client().get(ME, **bearer(token_for(org.users["eve"]).secret)).json()
    assert [role["role"] for role in eve["roles"]] == ["employee", "manager", "executive"]
    alice = Client().get(ME, **bearer(token_for(org.users["alice"]).secret)).json()
    assert {"role": "hr_admin", "departments": None} in alice["roles"]
    harry = Client().get(ME, **bearer(token_for(org.users["harry"]).secret)).json()
    (hr,) = [role for role in harry["roles"] if role["role"] == "hr_admin"]
    assert hr["departments"]
    assert all(p.startswith("企服部/客服中心") for p in hr["departments"])


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("kh_not-a-token"), {"HTTP_AUTHORIZATION": "Basic YW5uOnB3"}],
    ids=["none", "unknown", "basic"],
)
def test_without_a_valid_token_the_answer_is_a_401_problem(org, headers):
    answer = Client().get(ME, **headers)
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["WWW-Authenticate"].startswith("Bearer")
    problem = answer.json()
    assert problem["status"] == 401
    assert problem["title"]
    assert problem["detail"]


def test_a_revoked_token_is_refused_from_then_on(org):
    made = token_for(org.users["ann"])
    assert Client().get(ME, **bearer(made.secret)).status_code == 200
    assert do_revoke_token(None, made.token) is True
    assert Client().get(ME, **bearer(made.secret)).status_code == 401
    assert do_revoke_token(None, made.token) is False  # already revoked


def test_an_expired_token_is_refused(org):
    made = token_for(org.users["ann"], expires_in_days=30)
    assert Client().get(ME, **bearer(made.secret)).status_code == 200
    AccessToken.objects.filter(pk=made.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(ME, **bearer(made.secret)).status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(org):
    made = token_for(org.users["ann"])
    org.users["ann"].is_active = False
    org.users["ann"].save()
    assert Client().get(ME, **bearer(made.secret)).status_code == 401


def test_a_data_token_may_only_push_data(org):
    made = token_for(org.users["alice"], TokenScope.DATA)
    answer = Client().get(ME, **bearer(made.secret))
    assert answer.status_code == 403
    assert answer["Content-Type"] == "application/problem+json"
    assert "推送运营数据" in answer.json()["detail"]  # the scope, in the reader's words


def test_a_read_token_makes_no_change(org):
    made = token_for(org.users["alice"], TokenScope.READ)
    answer = Client().post(ME, **bearer(made.secret))
    assert answer.status_code in {403, 405}
    assert answer["Content-Type"] == "application/problem+json"


def test_the_browser_session_is_a_caller_too(org, client_for):
    me = client_for("ann").get(ME).json()
    assert me["employee"]["number"] == "A001"
    assert me["token"] is None


def test_a_session_write_needs_the_csrf_token(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.users["alice"])
    answer = client.post(ME)
    assert answer.status_code in {403, 405}
    assert answer["Content-Type"] == "application/problem+json"


def test_a_person_makes_tokens_for_themselves_only(org):
    with pytest.raises(PermissionDenied):
        do_create_token(org.users["alice"], org.users["ann"], "x", TokenScope.WRITE)
    made = do_create_token(org.users["ann"], org.users["ann"], "mine", TokenScope.WRITE)
    with pytest.raises(PermissionDenied):
        do_revoke_token(org.users["alice"], made.token)


def test_making_and_revoking_a_token_is_audited_without_the_token(org):
    made = do_create_token(org.users["ann"], org.users["ann"], "nightly export", TokenScope.READ)
    do_revoke_token(org.users["ann"], made.token)
    created, revoked = AuditEntry.objects.filter(action__startswith="token.").order_by("id")
    assert created.action == "token.create"
    assert created.actor == org.users["ann"]
    assert created.after["name"] == "nightly export"
    assert created.after["scope"] == "read"
    assert revoked.action == "token.revoke"
    assert revoked.before["revoked_at"] is None
    assert revoked.after["revoked_at"] is not None
    for entry in (created, revoked):
        assert made.secret not in str(entry.before) + str(entry.after) + entry.target_repr


def test_an_unknown_address_is_a_404_problem_not_a_page(org, client_for):
    answer = client_for("ann").get("/api/v1/no-such-thing")
    assert answer.status_code == 404
    assert "<html" not in answer.content.decode().lower()


def test_problems_are_worded_in_the_language_asked_for(org):
    chinese = Client().get(ME, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    english = Client().get(ME, HTTP_ACCEPT_LANGUAGE="en").json()
    unspecified = Client().get(ME).json()
    assert chinese["title"] == "未登录"
    assert english["title"] == "Not signed in"
    assert unspecified["title"] == "未登录"  # Chinese unless asked otherwise
    assert english["detail"].startswith("Sign in, or send a valid access token")


def test_the_interactive_documentation_is_served_locally_to_people_signed_in(org, client_for):
    assert Client().get("/api/v1/docs").status_code == 302  # to the sign-in page
    page = client_for("ann").get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert all(asset.startswith("/static/") for asset in assets), assets
    schema = client_for("ann").get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/me" in schema["paths"]


# --- the "My tokens" page ------------------------------------------------------------------


def test_a_token_made_on_the_page_is_shown_once_and_works(org, client_for):
    client = client_for("mike")
    page = client.post(
        "/account/tokens/", {"name": "wallboard", "scope": "read", "expires_in_days": "30"}
    )
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    (secret,) = re.findall(r"<code>(kh_[A-Za-z0-9_-]+)</code>", page.content.decode())
    assert Client().get(ME, **bearer(secret)).json()["token"] == "wallboard"
    again = client.get("/account/tokens/").content.decode()
    assert secret not in again
    assert "wallboard" in again
    assert secret[:9] in again  # its beginning, to tell it apart
    token = AccessToken.objects.get(owner=org.users["mike"])
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()


def test_a_bad_form_makes_no_token_and_says_why(org, client_for):
    page = client_for("mike").post(
        "/account/tokens/", {"name": "", "scope": "everything", "expires_in_days": "0"}
    )
    assert page.status_code == 200
    assert not AccessToken.objects.exists()
    assert page.content.decode().count('class="field field-invalid"') == 3  # each field says why


def test_revoking_on_the_page_asks_first_then_refuses_the_token(org, client_for):
    made = token_for(org.users["ann"])
    client = client_for("ann")
    url = f"/account/tokens/{made.token.pk}/revoke/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert Client().get(ME, **bearer(made.secret)).status_code == 200  # asking changed nothing
    assert client.post(url).status_code == 302
    assert Client().get(ME, **bearer(made.secret)).status_code == 401
    assert client.get(url).status_code == 404  # already revoked


def test_nobody_sees_or_revokes_anyone_elses_token(org, client_for):
    made = do_create_token(None, org.users["ann"], "ann-nightly-export", TokenScope.READ)
    for key in ("alice", "mike", "eve"):
        client = client_for(key)
        assert "ann-nightly-export" not in client.get("/account/tokens/").content.decode()
        assert client.post(f"/account/tokens/{made.token.pk}/revoke/").status_code == 404
    assert Client().get(ME, **bearer(made.secret)).status_code == 200


def test_the_page_needs_signing_in(org):
    assert Client().get("/account/tokens/").status_code == 302


def test_a_bad_token_is_refused_even_alongside_a_session(org, client_for):
    client = client_for("ann")
    made = token_for(org.users["ann"])
    do_revoke_token(None, made.token)
    assert client.get(ME).status_code == 200
    assert client.get(ME, **bearer(made.secret)).status_code == 401
    assert client.get(ME, **bearer("kh_made-up")).status_code == 401


@pytest.fixture
def mid_minute(monkeypatch):
    """A clock stopped half-way through a minute, so no count straddles two minutes."""
    stopped = timezone.now().replace(second=30, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: stopped)
    return stopped


@pytest.mark.usefixtures("mid_minute")
def test_a_token_over_its_rate_is_answered_429_with_when_to_retry(org, settings, client_for):
    settings.API_REQUESTS_PER_MINUTE = 3
    busy, other = token_for(org.users["ann"]), token_for(org.users["ann"])
    answers = [Client().get(ME, **bearer(busy.secret)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == "30"
    assert "3" in refused.json()["detail"]
    assert Client().get(ME, **bearer(other.secret)).status_code == 200  # each token its own
    assert client_for("ann").get(ME).status_code == 200  # the session is not a token


@pytest.mark.usefixtures("mid_minute")
def test_only_the_current_minute_is_kept_per_token(org):
    from kaohe.tokens.actions import count_token_request
    from kaohe.tokens.models import TokenMinute

    made = token_for(org.users["ann"])
    assert count_token_request(made.token)[0] == 1
    assert count_token_request(made.token)[0] == 2
    TokenMinute.objects.update(minute=timezone.now() - timedelta(minutes=5))
    assert count_token_request(made.token)[0] == 1  # a new minute starts from one
    assert TokenMinute.objects.count() == 1


@pytest.mark.parametrize("path", ["/api/v1/schemes/lint", "/api/v1/cycles", "/api/v1/nowhere"])
def test_a_body_declared_over_50_mb_is_refused_before_it_is_read(org, path):
    """The test client holds one byte; had anything read the declared 51 MB, the read
    would fail. Refused before even the caller is known."""
    for headers in ({}, bearer(token_for(org.users["alice"], TokenScope.WRITE).secret)):
        answer = Client().post(path, "x", content_type="application/json",
                               CONTENT_LENGTH=str(51 * 1024 * 1024), HTTP_ACCEPT_LANGUAGE="en",
                               **headers)  # fmt: skip
        assert answer.status_code == 413
        assert answer["Content-Type"] == "application/problem+json"
        assert answer.json()["detail"] == "A request to the API is at most 50 MB; send it in parts."


def test_text_holding_a_nul_character_is_refused_naming_the_field_and_nothing_is_written(org):
    """No database column stores NUL (PostgreSQL refuses it outright): the API refuses it
    before any endpoint runs, whichever field it hides in, and says where."""
    from kaohe.appraisals.models import Cycle

    secret = token_for(org.users["alice"], TokenScope.WRITE).secret
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **bearer(secret))
    body = {"name": "Q4\u0000", "period": "2026-Q4", "departments": ["客服中心\u0000"]}
    answer = client.post("/api/v1/cycles", body, content_type="application/json")
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["in"]) for e in answer.json()["errors"]] == [
        ("name", "body"),
        ("departments.0", "body"),
    ]
    assert "NUL" in answer.json()["errors"][0]["reason"]
    assert not Cycle.objects.exists()
    searched = client.get("/api/v1/employees", {"q": "ann\u0000"})
    assert searched.status_code == 422
    assert searched.json()["errors"][0]["field"] == "q"
    # The same request without the NUL reaches the endpoint, which judges it on its own.
    clean = client.post("/api/v1/cycles", {**body, "name": "Q4", "departments": ["x"]},
                        content_type="application/json")  # fmt: skip
    assert "NUL" not in clean.content.decode()
