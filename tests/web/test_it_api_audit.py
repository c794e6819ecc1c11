"""``/api/v1/audit``: the audit log as its page filters it, for whole-organisation HR only,
with the values as recorded and the API token a write came with."""

from __future__ import annotations

import pytest
from django.test import Client

from kaohe.audit.models import AuditEntry
from kaohe.org.actions import do_grant_role
from kaohe.org.models import GrantRole
from kaohe.tokens.actions import do_create_token, do_revoke_token
from kaohe.tokens.models import TokenScope

USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "nobody"]


def api(org, key):
    secret = do_create_token(None, org.users[key], "audit reader", TokenScope.READ).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.parametrize("key", USERS)
def test_only_whole_organisation_hr_reads_the_log(org, key):
    assert api(org, key).get("/api/v1/audit").status_code == (200 if key == "alice" else 403)


def test_entries_newest_first_worded_and_filtered(org):
    made = do_create_token(org.users["ann"], org.users["ann"], "phone", TokenScope.READ)
    do_revoke_token(org.users["ann"], made.token)
    do_grant_role(org.users["alice"], org.users["mike"], GrantRole.EXECUTIVE)
    reader = api(org, "alice")
    body = reader.get("/api/v1/audit", {"page_size": 500}).json()
    assert body["count"] == AuditEntry.objects.count()
    newest = body["results"][0]
    assert newest["action"] == "token.create"  # the reader's own token, made last
    granted = reader.get("/api/v1/audit", {"action": "access.grant"}).json()["results"]
    (grant,) = granted
    assert grant["who"] == org.people["alice"].name
    assert grant["action_label"] == "授予角色"
    assert grant["after"]["role"] == "executive"
    assert grant["via_token"] == ""  # written on a page, not through the API
    english = reader.get("/api/v1/audit", {"action": "access.grant"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["results"][0]["action_label"] == "Role granted"
    by_ann = reader.get("/api/v1/audit", {"who": org.people["ann"].name}).json()["results"]
    assert {e["action"] for e in by_ann} == {"token.create", "token.revoke"}
