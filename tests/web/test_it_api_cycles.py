"""``/api/v1/cycles``: the cycles HR manages, as the cycles page lists them; one HR may not
manage is not found, like one that does not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaohe.appraisals import policy
from kaohe.appraisals.models import Cycle
from kaohe.audit.models import AuditEntry
from kaohe.org.policy import Access
from kaohe.tokens.models import TokenScope

from .workflow import launched_cycle, new_cycle

USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "nobody"]


@pytest.fixture
def cycles(org):
    from kaohe.schemes.library import import_builtin_schemes

    import_builtin_schemes()
    whole = launched_cycle(org, period="2026-Q3")
    centre = new_cycle(
        org.users["harry"], name="客服中心 9 月", period="2026-09",
        departments=[org.departments["企服部/客服中心"]],
    )  # fmt: skip
    return whole, centre


@pytest.mark.parametrize("key", USERS)
def test_the_list_is_the_cycles_page(cycles, org, api_for, client_for, key):
    page = client_for(key).get(reverse("cycles"))
    answer = api_for(key).get("/api/v1/cycles")
    if page.status_code == 403:
        assert answer.status_code == 403
        return
    expected = [c.pk for c in policy.cycles_in_scope(Access(org.users[key]))]
    assert [c["id"] for c in answer.json()] == expected
    for cycle in answer.json():
        assert cycle["name"] in page.content.decode()


def test_one_cycle_with_its_counts_and_scope(cycles, org, api_for):
    whole, centre = cycles
    body = api_for("alice").get(f"/api/v1/cycles/{whole.pk}").json()
    assert body["status"] == "open"
    assert body["departments"] == ["企服部"]
    assert body["appraisals"] == whole.appraisals.count() > 0
    draft = api_for("harry").get(f"/api/v1/cycles/{centre.pk}").json()
    assert draft["status"] == "draft"
    assert draft["status_label"] == "未发起"
    hidden = api_for("harry").get(f"/api/v1/cycles/{whole.pk}")  # spans more than his scope
    missing = api_for("harry").get("/api/v1/cycles/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# --- creating and launching ------------------------------------------------------------------


def new(api, **changes):
    body = {"name": "2026 Q4", "period": "2026-Q4", "departments": ["企服部"], **changes}
    return api.post("/api/v1/cycles", body, content_type="application/json")


def test_hr_creates_a_cycle_audited_with_the_token_then_launches_it(
    org, api_for, django_capture_on_commit_callbacks
):
    from kaohe.schemes.library import import_builtin_schemes

    import_builtin_schemes()
    hr = api_for("alice", TokenScope.WRITE)
    made = new(hr, deadlines={"confirming": "2026-10-10", "self_assessment": "2026-12-20"})
    assert made.status_code == 201, made.content
    cycle = made.json()
    assert (cycle["status"], cycle["departments"], cycle["appraisals"]) == ("draft", ["企服部"], 0)
    assert cycle["deadlines"] == {"confirming": "2026-10-10", "self_assessment": "2026-12-20"}
    entry = AuditEntry.objects.get(action="cycle.create")
    assert entry.via_token == "test"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        launched = hr.post(f"/api/v1/cycles/{cycle['id']}/launch")
    assert launched.status_code == 202, launched.content
    assert launched.json()["status"] == "launching"  # answered before the work is done
    assert len(queued) == 1  # the task, queued once the launch is committed
    follow = hr.get(f"/api/v1/cycles/{cycle['id']}").json()
    assert follow["status"] == "open"
    assert follow["appraisals"] == follow["launch_total"] > 0
    again = hr.post(f"/api/v1/cycles/{cycle['id']}/launch")
    assert again.status_code == 409
    assert again.json()["detail"] == "该考核周期已经发起。"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": "2026-Q5"}, "period"),
        ({"departments": ["企服部/没有这个部门"]}, "departments.0"),
        ({"deadlines": {"confirming": "2026-12-01", "self_assessment": "2026-11-01"}}, "deadlines"),
        ({"deadlines": {"teleported": "2026-12-01"}}, "deadlines.teleported"),
        ({"appeal_days": 400}, "appeal_days"),
    ],
)
def test_a_cycle_refused_names_each_field_and_writes_nothing(org, api_for, changes, field):
    answer = new(api_for("alice", TokenScope.WRITE), **changes)
    assert answer.status_code == 422, answer.content
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert all(e["reason"] for e in answer.json()["errors"])
    assert not Cycle.objects.exists()


def test_scoped_hr_cannot_create_beyond_the_scope_nor_others_at_all(org, api_for):
    assert new(api_for("harry", TokenScope.WRITE)).status_code == 422  # 企服部 is not his
    assert not Cycle.objects.exists()
    mine = new(api_for("harry", TokenScope.WRITE), departments=["企服部/客服中心"])
    assert mine.status_code == 201
    for key in ("mike", "eve", "ann"):
        assert new(api_for(key, TokenScope.WRITE)).status_code == 403
    assert new(api_for("alice")).status_code == 403  # a read token makes no cycle
