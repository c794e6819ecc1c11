"""Two pushes at the same moment, each in its own thread and database connection, on
PostgreSQL (see ``conftest.py``): the records land once, whatever the timing.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kaohe.data.models import DataBatch, DataPush
from kaohe.tokens.models import TokenScope

from .test_it_api_push import ROWS, push

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path


def at_once(*pushes):
    """Run each push in a thread of its own, released together; their answers in order."""
    start = threading.Barrier(len(pushes))
    answers = [None] * len(pushes)

    def run(index, send):
        try:
            start.wait()
            answers[index] = send()
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=run, args=(i, send)) for i, send in enumerate(pushes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_one_key_sent_twice_at_once_imports_once(org, api_for):
    first, second = api_for("alice", TokenScope.DATA), api_for("alice", TokenScope.DATA)
    answers = at_once(lambda: push(first, ROWS, key="nightly-1"),
                      lambda: push(second, ROWS, key="nightly-1"))  # fmt: skip
    statuses = sorted(answer.status_code for answer in answers)
    # Either the second waited for the first's answer, or found it still under way.
    assert statuses in ([201, 201], [201, 409]), [a.content for a in answers]
    if statuses == [201, 201]:
        assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
        assert answers[0].json() == answers[1].json()
    batch = DataBatch.objects.get()
    assert batch.accepted == len(ROWS)
    assert DataPush.objects.get().status == 201


def test_the_same_records_under_two_keys_at_once_land_once(org, api_for):
    first, second = api_for("alice", TokenScope.DATA), api_for("alice", TokenScope.DATA)
    answers = at_once(lambda: push(first, ROWS, key="from-system-a"),
                      lambda: push(second, ROWS, key="from-system-b"))  # fmt: skip
    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert sum(answer.json()["new"] for answer in answers) == len(ROWS)
    assert sum(answer.json()["unchanged"] for answer in answers) == len(ROWS)
    assert DataBatch.objects.count() == 1


def test_different_records_at_once_make_two_batches_one_after_the_other(org, api_for):
    first, second = api_for("alice", TokenScope.DATA), api_for("alice", TokenScope.DATA)
    other = [dict(row, ticket_id=f"x-{row['ticket_id']}") for row in ROWS]
    answers = at_once(lambda: push(first, ROWS), lambda: push(second, other))
    assert [answer.status_code for answer in answers] == [201, 201]
    assert sorted(DataBatch.objects.values_list("seq", flat=True)) == [1, 2]
    assert sum(DataBatch.objects.values_list("accepted", flat=True)) == 2 * len(ROWS)
