"""``/api/v1/cycles``: the cycles HR manages, as the cycles page lists them; one HR may not
manage is not found, like one that does not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaohe.appraisals import policy
from kaohe.org.policy import Access

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
