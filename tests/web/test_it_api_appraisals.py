"""``/api/v1/appraisals``: the same rows in the same order as the appraisal list, each row's
"waits on me", latest result and pay checked against the policy's answer for that one."""

from __future__ import annotations

import pytest

from kaohe.appraisals import policy
from kaohe.appraisals.models import Appraisal, Cycle, Result
from kaohe.org.policy import Access

# The list's own organisation and cycles: 2 × 70-odd appraisals in every state.
from .test_it_appraisal_list import READERS, cycles, expected  # noqa: F401


def every_row(client, **filters):
    rows, page = [], 1
    while True:
        answer = client.get("/api/v1/appraisals", {**filters, "page": page, "page_size": 40})
        assert answer.status_code == 200, answer.content
        body = answer.json()
        rows += body["results"]
        if page >= body["pages"]:
            assert len(rows) == body["count"]
            return rows
        page += 1


@pytest.mark.usefixtures("cycles")
@pytest.mark.parametrize("key", READERS)
def test_each_reader_gets_the_lists_rows_in_its_order(org, api_for, key):
    rows = every_row(api_for(key))
    assert [row["id"] for row in rows] == [a.pk for a in expected(org.users[key])]


@pytest.mark.usefixtures("cycles")
@pytest.mark.parametrize("key", ["alice", "harry", "eve", "dora", "mike", "ann"])
def test_each_row_answers_as_the_policy_does_for_that_appraisal(org, api_for, key):
    access = Access(org.users[key])
    waiting = set(Appraisal.objects.filter(policy.waiting_on(access)).values_list("pk", flat=True))
    for row in every_row(api_for(key)):
        appraisal = Appraisal.objects.get(pk=row["id"])
        assert row["waiting_on_me"] == (appraisal.pk in waiting)
        assert row["employee"]["number"] == appraisal.employee.number
        latest = Result.objects.filter(appraisal=appraisal).order_by("-number").first()
        if latest is None:
            assert row["result"] is None
            continue
        assert row["result"]["version"] == latest.number
        assert row["result"]["total"] == str(latest.total)
        sees_pay = policy.can_see_pay(access, appraisal)
        assert (row["result"]["pay"] is not None) == sees_pay, (key, appraisal.pk)


@pytest.mark.usefixtures("cycles")
def test_filters_narrow_the_rows(org, api_for):
    api = api_for("alice")
    everything = every_row(api)
    newer = Cycle.objects.order_by("-created_at").first()
    assert {r["cycle"]["id"] for r in every_row(api, cycle=newer.pk)} == {newer.pk}
    finalised = every_row(api, state="finalised")
    assert finalised
    assert {r["state"] for r in finalised} == {"finalised"}
    assert [r["id"] for r in finalised] == [
        r["id"] for r in everything if r["state"] == "finalised"
    ]
    assert {r["employee"]["number"] for r in every_row(api, employee="A001")} == {"A001"}
    mine = every_row(api, waiting_on_me="true")
    assert mine
    assert all(r["waiting_on_me"] for r in mine)


@pytest.mark.usefixtures("cycles")
def test_a_state_that_does_not_exist_is_a_problem_naming_the_field(api_for):
    answer = api_for("alice").get("/api/v1/appraisals", {"state": "done-and-dusted"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "state"


@pytest.mark.usefixtures("cycles")
def test_state_labels_are_in_the_callers_language(api_for):
    api = api_for("alice")
    chinese = api.get("/api/v1/appraisals", {"state": "finalised"}).json()["results"][0]
    english = api.get("/api/v1/appraisals", {"state": "finalised"}, HTTP_ACCEPT_LANGUAGE="en")
    assert chinese["state_label"] == "已定稿"
    assert english.json()["results"][0]["state_label"] == "Finalised"
