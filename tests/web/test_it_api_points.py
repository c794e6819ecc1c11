"""/api/v1/points/…: the same boards, badges and rules as the pages, through the same
policy and actions; and the demo's points and badges."""

from __future__ import annotations

import json

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.points.actions import award_badges, award_points
from kaohe.points.models import BadgeAward, PointEntry, PointRule
from kaohe.tokens.models import TokenScope

from .points_data import MAY, csat, incident, rules, store
from .test_it_ranks_on_leaderboards import TEAM, board_url, shown

JSON = "application/json"


def put(client, path, body):
    return client.put(path, json.dumps(body), content_type=JSON)


@pytest.fixture
def scored(org):
    rules(org, positive_incident=5, commendation=8, badge=15)
    incident(org, "ann", MAY)
    incident(org, "amy", MAY, kind="commendation")
    store("2026-05", {"A001": csat(4.8), "A002": csat(4.5), "B001": csat(4.9)})
    award_badges(None, "2026-05")
    award_points(None)
    return org


def test_the_board_answers_as_the_page_shows_it(scored, api_for, page_for):
    for who in ("ann", "mike", "harry", "eve"):
        answer = api_for(who).get(
            "/api/v1/points/leaderboards",
            {"department": scored.departments[TEAM].pk, "period": "2026-05"},
        )
        assert answer.status_code == 200, who
        agents = next(s for s in answer.json()["sections"] if s["position"] == "客服专员")
        rows, _body = shown(page_for(who), board_url(scored))
        page_agents = [r for r in rows if r[1] in ("安妮", "艾米")]
        assert [(r["rank"], r["name"]) for r in agents["rows"]] == page_agents, who
    ann = api_for("ann").get("/api/v1/points/leaderboards", {"period": "2026-05"}).json()
    agents = next(s for s in ann["sections"] if s["position"] == "客服专员")
    # A board of two agents is all bottom ten: ann sees herself only, first with her
    # incident and the service star (5 + 15) against amy's commendation (8).
    assert agents == {"position": "客服专员", "size": 2, "my_rank": 1,
                      "rows": [{"rank": 1, "name": "安妮", "employee": "A001", "points": 20,
                                "me": True}]}  # fmt: skip
    assert {r["kind"]: r["points"] for r in ann["rules"]} == {
        "badge": 15, "commendation": 8, "positive_incident": 5,
    }  # fmt: skip


def test_a_board_the_caller_may_not_see_is_404_and_nobody_is_refused(scored, api_for):
    other = {"department": scored.departments["企服部/客服中心/客服二组"].pk}
    assert api_for("ann").get("/api/v1/points/leaderboards", other).status_code == 404
    assert api_for("nobody").get("/api/v1/points/leaderboards").status_code == 403
    assert api_for("nobody").get("/api/v1/points/badges").status_code == 403
    bad = api_for("ann").get("/api/v1/points/leaderboards", {"period": "2026-H1"})
    assert bad.status_code == 422


def test_badges_awards_and_my_points(scored, api_for):
    badges = api_for("bob").get("/api/v1/points/badges").json()
    assert {"service-star", "fcr-ace", "zero-complaints", "rising-star"} <= {
        b["code"] for b in badges
    }
    star = api_for("bob").get("/api/v1/points/badges/service-star").json()
    assert (star["metric"], star["min_volume"], star["guard_metric"]) == (
        "csat_mean", 30, "complaints_converted",
    )  # fmt: skip
    assert api_for("bob").get("/api/v1/points/badges/none-such").status_code == 404
    awards = api_for("bob").get("/api/v1/points/awards", {"badge": "service-star"}).json()
    assert [(a["employee"], a["period"], a["team"]) for a in awards] == [
        ("A001", "2026-05", "客服一组")
    ]
    assert awards[0]["why"].startswith("满意度均分 4.8")
    mine = api_for("ann").get("/api/v1/points/mine", {"period": "2026-Q2"}).json()
    assert (mine["employee"], mine["total"]) == ("A001", 5 + 15)
    assert sorted(e["kind"] for e in mine["entries"]) == ["badge", "positive_incident"]
    assert api_for("eve").get("/api/v1/points/mine").status_code == 200  # eve is a person too
    assert api_for("alice").get("/api/v1/points/rules").status_code == 200


def test_hr_writes_rules_and_badges_and_others_are_refused_with_the_reason(scored, api_for):
    hr = api_for("alice", TokenScope.WRITE)
    answer = put(hr, "/api/v1/points/rules/goal_completed", {"points": 30})
    assert (answer.status_code, answer.json()["points"]) == (200, 30)
    assert AuditEntry.objects.filter(action="points.rule").count() == 4
    for who in ("harry", "eve", "mike", "ann"):
        refused = put(api_for(who, TokenScope.WRITE), "/api/v1/points/rules/goal_completed",
                      {"points": 1})  # fmt: skip
        assert refused.status_code == 403, who
        assert "HR" in refused.json()["detail"]
    assert PointRule.objects.get(kind="goal_completed").points == 30
    assert put(hr, "/api/v1/points/rules/made_up", {"points": 3}).status_code == 422
    # Deleting asks for confirmation, as the page does.
    assert hr.delete("/api/v1/points/rules/positive_incident").status_code == 422
    gone = hr.delete("/api/v1/points/rules/positive_incident?confirm=true")
    assert (gone.status_code, gone.json()) == (200, {"removed": 1})
    assert not PointEntry.objects.filter(rule__kind="positive_incident").exists()
    badge = {"code": "qa-champion", "name_zh": "质检标兵", "name_en": "QA Champion",
             "metric": "qa_pass_rate", "comparison": "at_least", "threshold": 95,
             "period_kind": "quarter", "min_volume": 10}  # fmt: skip
    made = hr.post("/api/v1/points/badges", json.dumps(badge), content_type=JSON)
    assert made.status_code == 201
    changed = put(hr, "/api/v1/points/badges/qa-champion", {**badge, "threshold": 97})
    assert changed.json()["threshold"] == 97
    assert hr.delete("/api/v1/points/badges/service-star?confirm=true").status_code == 422
    assert hr.delete("/api/v1/points/badges/qa-champion?confirm=true").json() == {"removed": 0}
    run = hr.post("/api/v1/points/runs", json.dumps({"period": "2026-05"}), content_type=JSON)
    assert run.json() == {"changes": 0}  # nothing new since the fixture's run


def test_a_manager_turns_the_board_off_and_a_person_chooses_initials(scored, api_for):
    team = scored.departments[TEAM].pk
    assert put(api_for("lena", TokenScope.WRITE), f"/api/v1/points/boards/{team}",
               {"off": True}).status_code == 403  # fmt: skip
    assert put(api_for("mike", TokenScope.WRITE), "/api/v1/points/boards/99999",
               {"off": True}).status_code == 404  # fmt: skip
    answer = put(api_for("mike", TokenScope.WRITE), f"/api/v1/points/boards/{team}", {"off": True})
    assert answer.json() == {"department": team, "off": True}
    assert api_for("ann").get("/api/v1/points/leaderboards").status_code == 404
    assert put(api_for("amy", TokenScope.WRITE), "/api/v1/points/display",
               {"initials": True}).json() == {"initials": True}  # fmt: skip
    board = api_for("mike").get("/api/v1/points/leaderboards",
                                {"department": team, "period": "2026-05"}).json()  # fmt: skip
    names = [r["name"] for s in board["sections"] for r in s["rows"]]
    assert "艾*" in names
    assert "艾米" not in names
    assert put(api_for("nobody", TokenScope.WRITE), "/api/v1/points/display",
               {"initials": True}).status_code == 403  # fmt: skip


def test_the_demo_awards_badges_for_its_months_and_again_changes_nothing(db):
    from django.contrib.auth import get_user_model

    from kaohe.data.demo_data import load_demo_quarter
    from kaohe.demo import load_demo
    from kaohe.incidents.demo import demo_incidents
    from kaohe.points.demo import demo_points

    load_demo()
    load_demo_quarter(get_user_model().objects.get(username="hr"), say=lambda _line: None)
    demo_incidents()
    demo_points()
    held = BadgeAward.objects.count()
    assert held > 0
    months = set(BadgeAward.objects.values_list("period", flat=True))
    # The months of both quarters the demo's data covers, 2026-Q2 and 2026-Q3.
    assert months == {f"2026-{month:02d}" for month in range(4, 10)}
    assert BadgeAward.objects.filter(badge__code="service-star").exists()
    assert all(a.why_zh and a.why_en for a in BadgeAward.objects.all())
    assert PointRule.objects.count() == 5
    assert PointEntry.objects.filter(rule__kind="badge").count() == held
    before = (list(BadgeAward.objects.values_list("pk", flat=True)), PointEntry.objects.count(),
              AuditEntry.objects.count())  # fmt: skip
    assert demo_points() == 0
    assert before == (list(BadgeAward.objects.values_list("pk", flat=True)),
                      PointEntry.objects.count(), AuditEntry.objects.count())  # fmt: skip
