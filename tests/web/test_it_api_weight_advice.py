"""The weight advice through /api/v1/insights/advice/…: the same policy and actions as the
pages, on the same data (see test_it_gives_weight_advice)."""

from __future__ import annotations

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.insights.models import AdviceSignal, LaunchFlag, Proposal
from kaohe.schemes.library import latest_version
from kaohe.schemes.models import SchemeVersion
from kaohe.tokens.models import TokenScope

from .test_it_gives_weight_advice import NOW, director_proposal, write_lake

API = "/api/v1/insights/advice"
FLAG = {"name": "新品 A 上线", "starts_on": "2026-12-01", "ends_on": "2027-02-28",
        "indicators": ["fcr"], "weight": 3, "note": ""}  # fmt: skip


@pytest.fixture
def looked(settings, tmp_path, org):
    from kaohe.insights.actions_advice import do_look_for_signals

    settings.HOME = tmp_path
    write_lake(tmp_path, org.users["alice"])
    return do_look_for_signals(org.users["alice"], now=NOW)


def writer(api_for, key):
    return api_for(key, TokenScope.WRITE)


def post(client, path, body=None):
    import json

    return client.post(path, json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize("role", ["ann", "mike", "dora", "eve"])
def test_nobody_but_hr_reads_or_writes(api_for, looked, role):
    proposal = director_proposal()
    reader, client = api_for(role), writer(api_for, role)
    for path in ("/signals", "/proposals", f"/proposals/{proposal.pk}", "/flags"):
        assert reader.get(API + path).status_code == 403, path
    for path, body in [("/proposals", {}), (f"/proposals/{proposal.pk}/accept", {}),
                       (f"/proposals/{proposal.pk}/reject", {"reason": "不要"}),
                       ("/stages", {"scheme": "cs-director", "stage": "growth"}),
                       ("/flags", FLAG)]:  # fmt: skip
        assert post(client, API + path, body).status_code == 403, path
    assert director_proposal().is_pending
    assert not LaunchFlag.objects.exists()


def test_anonymous_is_401(client, looked):
    assert client.get(API + "/signals").status_code == 401


def test_signals_with_their_figures(api_for, looked):
    answer = api_for("alice").get(API + "/signals", HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer["quarters"] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    org = next(s for s in answer["signals"] if s["subject"] == "org")
    assert (org["kind"], org["whose"], org["weight"]) == ("key_accounts", "the organisation", 5)
    figure = org["figures"][0]
    assert figure["figure"] == "key_account_revisit_rate"
    assert [(r["period"], r["value"], r["base"]) for r in figure["readings"]][-1] == (
        "2026-Q3",
        40,
        15,
    )
    assert {s["department"] for s in answer["signals"]} == {
        None, "企服部", "企服部/客服中心", "人力资源部"}  # fmt: skip


def test_department_hr_reads_their_signals_and_decides_nothing(api_for, looked):
    answer = api_for("harry").get(API + "/signals").json()
    assert {s["department"] for s in answer["signals"]} == {None, "企服部/客服中心"}
    proposal = director_proposal()
    one = api_for("harry").get(f"{API}/proposals/{proposal.pk}").json()
    assert one["may_decide"] is False
    client = writer(api_for, "harry")
    assert post(client, f"{API}/proposals/{proposal.pk}/accept").status_code == 403
    assert post(client, API + "/proposals").status_code == 403
    assert post(client, API + "/flags", FLAG).status_code == 403
    assert director_proposal().is_pending


def test_looking_makes_proposals_and_a_read_token_may_not(api_for, settings, tmp_path, org):
    settings.HOME = tmp_path
    write_lake(tmp_path, org.users["alice"])
    assert post(api_for("alice"), API + "/proposals").status_code == 403  # a read token
    answer = post(writer(api_for, "alice"), API + "/proposals")
    assert answer.status_code == 201
    made = answer.json()
    assert [p["scheme"] for p in made["proposals"]] == ["cs-director"]
    assert made["signals"] == AdviceSignal.objects.count()
    assert AuditEntry.objects.filter(action="advice.look").count() == 1


def test_a_proposal_accepted_through_the_api(api_for, looked):
    proposal = director_proposal()
    client = writer(api_for, "alice")
    one = client.get(f"{API}/proposals/{proposal.pk}").json()
    assert one["may_decide"] is True
    assert one["compare_cycle"] is None  # no cycle has finished
    changed = {c["indicator"]: c for c in one["changes"]}
    assert (changed["key_account_revisit"]["points_after"],
            changed["key_account_revisit"]["weight_after"]) == ("14", "14.8750")  # fmt: skip
    done = post(client, f"{API}/proposals/{proposal.pk}/accept")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["accepted_version"]) == ("accepted", 2)
    assert latest_version("cs-director").text == proposal.text
    again = post(client, f"{API}/proposals/{proposal.pk}/accept")
    assert again.status_code == 409
    assert SchemeVersion.objects.filter(code="cs-director").count() == 2


def test_an_edited_text_is_checked_before_it_is_accepted(api_for, looked):
    proposal = director_proposal()
    client = writer(api_for, "alice")
    broken = post(client, f"{API}/proposals/{proposal.pk}/accept", {"text": "dimensions: [\n"})
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["field"] == "text"
    edited = proposal.text.replace("    max_points: 14\n", "    max_points: 12\n", 1).replace(
        "        points: 14\n", "        points: 12\n", 1).replace(
        "        points: 7\n", "        points: 6\n", 1)  # fmt: skip
    done = post(client, f"{API}/proposals/{proposal.pk}/accept", {"text": edited})
    assert done.status_code == 200
    assert done.json()["edited"] is True
    assert done.json()["text"] == edited


def test_rejecting_needs_a_reason(api_for, looked):
    proposal = director_proposal()
    client = writer(api_for, "alice")
    refused = post(client, f"{API}/proposals/{proposal.pk}/reject", {"reason": " "})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "reason"
    done = post(client, f"{API}/proposals/{proposal.pk}/reject", {"reason": "另有安排"})
    assert (done.json()["status"], done.json()["reason"]) == ("rejected", "另有安排")
    listed = client.get(API + "/proposals", {"status": "rejected"}).json()
    assert [p["id"] for p in listed] == [proposal.pk]
    assert client.get(API + "/proposals", {"status": "nope"}).status_code == 422


def test_an_unknown_proposal_is_404(api_for, looked):
    assert api_for("alice").get(f"{API}/proposals/999999").status_code == 404
    assert post(writer(api_for, "alice"), f"{API}/proposals/999999/accept").status_code == 404


def test_a_stage_proposed(api_for, org):
    client = writer(api_for, "alice")
    made = post(client, API + "/stages", {"scheme": "cs-director", "stage": "mature"})
    assert made.status_code == 201
    assert {c["indicator"] for c in made.json()["changes"]} == {
        "process_system",
        "key_account_revisit",
    }
    assert post(client, API + "/stages", {"scheme": "cs-agent", "stage": "mature"}).json()[
        "errors"][0]["field"] == "stage"  # fmt: skip
    assert post(client, API + "/stages", {"scheme": "nope", "stage": "mature"}).status_code == 422
    assert Proposal.objects.filter(kind="stage").count() == 1


def test_launch_flags_made_changed_ended_and_deleted(api_for, org):
    client = writer(api_for, "alice")
    bad = post(client, API + "/flags", {**FLAG, "weight": 9})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "weight"
    made = post(client, API + "/flags", FLAG)
    assert made.status_code == 201
    flag = made.json()
    assert (flag["indicators"], flag["weight"]) == (["fcr"], 3)
    import json

    changed = client.put(f"{API}/flags/{flag['id']}", json.dumps({**FLAG, "weight": 5}),
                         content_type="application/json")  # fmt: skip
    assert changed.json()["weight"] == 5
    ended = post(client, f"{API}/flags/{flag['id']}/end")
    assert ended.json()["current"] is False
    assert post(client, f"{API}/flags/{flag['id']}/end").status_code == 409
    assert [f["id"] for f in api_for("harry").get(API + "/flags").json()] == [flag["id"]]
    assert client.delete(f"{API}/flags/{flag['id']}").json() == {"deleted": True, "id": flag["id"]}
    assert client.delete(f"{API}/flags/{flag['id']}").status_code == 404
    assert not LaunchFlag.objects.exists()
