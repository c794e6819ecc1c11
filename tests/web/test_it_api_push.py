"""``POST /api/v1/data/{source}``: records pushed as CSV or JSON land as a file import does —
all or nothing, each bad record named — and a retry under an Idempotency-Key lands once."""

from __future__ import annotations

import hashlib
import json

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.data.models import DataBatch
from kaohe.tokens.models import TokenScope

from .test_it_data import TICKETS

ROWS = [
    {"ticket_id": "t1", "kind": "complaint", "assignee_id": "A001",
     "created_at": "2026-09-28 10:00:00", "first_response_at": "2026-09-28 10:30:00",
     "resolved_at": "2026-10-01 10:00:00"},
    {"ticket_id": "t2", "kind": "request", "assignee_id": "A001",
     "created_at": "2026-09-29 09:00:00", "first_response_at": None, "resolved_at": None},
]  # fmt: skip


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path


@pytest.fixture
def pusher(api_for):
    return api_for("alice", TokenScope.DATA)


def push(client, body, kind="application/json", key=None, source="tickets", **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    content = json.dumps(body) if kind == "application/json" else body
    return client.post(f"/api/v1/data/{source}", content, content_type=kind, **headers)


def test_a_json_push_lands_as_a_batch_audited_with_the_token(org, pusher):
    answer = push(pusher, ROWS)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["new"], body["rejected"], body["rows_read"]) == (2, 0, 2)
    batch = DataBatch.objects.get()
    assert body["batch"] == f"tickets#{batch.seq}"
    entry = AuditEntry.objects.get(action="data.import")
    assert entry.via_token == "test"
    assert entry.actor == org.users["alice"]


def test_a_csv_push_lands_and_the_same_records_again_change_nothing(org, pusher):
    assert push(pusher, TICKETS, "text/csv").status_code == 201
    again = push(pusher, TICKETS, "text/csv")
    assert again.status_code == 200
    assert again.json()["batch"] is None
    assert again.json()["unchanged"] == 1
    assert DataBatch.objects.count() == 1


def test_one_bad_record_writes_nothing_and_is_named_by_index_field_and_reason(org, pusher):
    bad = [ROWS[0], {**ROWS[1], "created_at": "yesterday-ish"}]
    answer = push(pusher, bad)
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    (error,) = answer.json()["errors"]
    assert error["index"] == 1
    assert error["field"] == "created_at"
    assert error["reason"]
    assert not DataBatch.objects.exists()
    csv_answer = push(pusher, TICKETS.replace("2026-09-28 10:00:00", "nonsense", 1), "text/csv")
    assert csv_answer.json()["errors"][0]["line"] == 2


def test_the_same_key_and_body_answer_the_first_time_again_and_write_nothing(org, pusher):
    first = push(pusher, ROWS, key="calls-2026-09-30")
    again = push(pusher, ROWS, key="calls-2026-09-30")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert DataBatch.objects.count() == 1
    assert AuditEntry.objects.filter(action="data.import").count() == 1
    other = push(pusher, ROWS[:1], key="calls-2026-09-30", HTTP_ACCEPT_LANGUAGE="en")
    assert other.status_code == 409
    assert "another push" in other.json()["detail"]
    assert DataBatch.objects.count() == 1


def test_a_refused_push_is_replayed_refused(org, pusher):
    bad = [{**ROWS[0], "kind": "gossip"}]
    first = push(pusher, bad, key="k1")
    again = push(pusher, bad, key="k1")
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()


def test_a_retry_while_the_first_push_is_under_way_is_told_to_wait(org, pusher):
    """Two pushes at once with one key: the database lets one claim it; the other finds the
    claim still open and is answered 409 without importing."""
    from kaohe.data.pushes import claim_push

    digest = "tickets:" + hashlib.sha256(json.dumps(ROWS).encode()).hexdigest()
    first = claim_push(org.users["alice"], "same-key", "tickets", digest)
    assert first.new
    assert not claim_push(org.users["alice"], "same-key", "tickets", digest).new
    answer = push(pusher, ROWS, key="same-key", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 409
    assert "under way" in answer.json()["detail"]
    assert not DataBatch.objects.exists()


def test_a_push_that_fails_on_the_server_gives_its_key_back(org, pusher, monkeypatch):
    from kaohe.api import push as pushing

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pushing, "do_import_data", broken)
    assert push(pusher, ROWS, key="retry-me").status_code == 500
    monkeypatch.undo()
    assert push(pusher, ROWS, key="retry-me").status_code == 201
    assert DataBatch.objects.count() == 1


@pytest.mark.parametrize("key", ["harry", "mike", "ann"])
def test_only_whole_organisation_hr_pushes(org, api_for, key):
    answer = push(api_for(key, TokenScope.DATA), ROWS)
    assert answer.status_code == 403
    assert not DataBatch.objects.exists()


def test_a_read_token_cannot_push_and_a_data_token_reads_nothing(org, api_for):
    assert push(api_for("alice", TokenScope.READ), ROWS).status_code == 403
    assert api_for("alice", TokenScope.DATA).get("/api/v1/me").status_code == 403


def test_refusals_before_reading(org, pusher):
    assert push(pusher, ROWS, source="weather").status_code == 404
    assert push(pusher, "a,b", kind="text/plain").status_code == 415
    too_big = pusher.post("/api/v1/data/tickets", "x", content_type="text/csv",
                          CONTENT_LENGTH=str(51 * 1024 * 1024))  # fmt: skip
    assert too_big.status_code == 413
    assert push(pusher, {"not": "a list"}).status_code == 400
    assert not DataBatch.objects.exists()
