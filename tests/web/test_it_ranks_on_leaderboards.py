"""Leaderboards: ranks within a position, ties sharing a rank, a member never seeing the
bottom ten, initials when chosen, a board turned off, and who sees which board."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.org.models import Employee, Position
from kaohe.org.policy import Access
from kaohe.points.actions import award_points, do_choose_initials, do_set_board
from kaohe.points.boards import board_period, build_board, people_on
from kaohe.points.models import PointEntry, PointRule

from .points_data import MAY, incident, rules

TEAM = "企服部/客服中心/客服一组"
CENTRE = "企服部/客服中心"


def board_url(org, path=TEAM, kind="team", period="2026-05"):
    department = org.departments[path]
    return f"{reverse('leaderboards')}?department={department.pk}&kind={kind}&period={period}"


def shown(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    rows = re.findall(r'data-testid="row"><td>(\d+)</td><td>(.*?)(?: <span|</td>)', body)
    return [(int(rank), name) for rank, name in rows], body


def give(org, who, points, on=MAY):
    rule = PointRule.objects.get_or_create(kind="positive_incident", defaults={"points": 1})[0]
    PointEntry.objects.create(
        employee=org.people[who], rule=rule, source=f"test:{who}:{points}:{on}", on=on,
        points=points, why_zh="测试", why_en="test",
    )  # fmt: skip


def test_ties_share_a_rank_and_positions_are_ranked_apart(org, page_for):
    give(org, "ann", 10)
    give(org, "amy", 10)
    give(org, "mike", 30)  # a team lead: ranked among leads, not against his agents
    board = build_board(Access(org.users["alice"]), org.departments[TEAM], False,
                        board_period("2026-05"))  # fmt: skip
    by_position = {s.position: [(r.rank, r.name, r.points) for r in s.rows] for s in board.sections}
    assert by_position == {
        "客服专员": [(1, "安妮", 10), (1, "艾米", 10)],
        "客服组长": [(1, "麦克", 30)],
    }


def test_points_of_another_month_do_not_count_and_a_quarter_adds_its_months(org):
    give(org, "ann", 10)
    give(org, "ann", 4, on=date(2026, 6, 2))
    give(org, "amy", 12, on=date(2026, 4, 30))
    hr = Access(org.users["alice"])
    may = build_board(hr, org.departments[TEAM], False, board_period("2026-05"))
    quarter = build_board(hr, org.departments[TEAM], False, board_period("2026-Q2"))
    agents = lambda b: [(r.name, r.points) for r in b.sections[0].rows]  # noqa: E731
    assert agents(may) == [("安妮", 10), ("艾米", 0)]
    assert agents(quarter) == [("安妮", 14), ("艾米", 12)]


@pytest.fixture
def big_team(org):
    """Fourteen more agents in 客服一组 under mike, with points 14 down to 1; ann 0."""
    agent = Position.objects.get(name="客服专员")
    for i in range(14):
        person = Employee.objects.create(
            number=f"X{i:03}", name=f"员工{i:02}", department=org.departments[TEAM],
            position=agent, manager=org.people["mike"],
        )  # fmt: skip
        rule = PointRule.objects.get_or_create(kind="commendation", defaults={"points": 1})[0]
        PointEntry.objects.create(employee=person, rule=rule, source=f"x{i}", on=MAY,
                                  points=14 - i, why_zh="测", why_en="t")  # fmt: skip
    give(org, "amy", 30)
    return org


def test_a_member_sees_the_top_and_their_own_rank_never_the_bottom_ten(big_team, page_for):
    # 16 agents: amy 30, X000 14 … X013 1, ann 0. The bottom ten are places 7–16.
    rows, body = shown(page_for("ann", "zh-hans"), board_url(big_team))
    assert rows == [(1, "艾米"), (2, "员工00"), (3, "员工01"), (4, "员工02"), (5, "员工03"),
                    (6, "员工04"), (16, "安妮")]  # fmt: skip
    assert "您的排名：16 / 16" in body
    assert "员工13" not in body
    assert "员工05" not in body
    # Her manager and HR see every row.
    assert len(shown(page_for("mike"), board_url(big_team))[0]) == 16 + 1  # and mike's own
    assert len(shown(page_for("harry"), board_url(big_team))[0]) == 17


def test_initials_when_chosen_to_everyone_but_oneself(org, page_for):
    give(org, "ann", 10)
    do_choose_initials(org.users["ann"], True)
    rows, _body = shown(page_for("mike"), board_url(org))
    assert (1, "安*") in rows
    assert "安妮" not in _body
    assert (1, "安妮") in shown(page_for("ann"), board_url(org))[0]
    entry = AuditEntry.objects.get(action="points.initials")
    assert (entry.before, entry.after) == ({"initials": False}, {"initials": True})
    with pytest.raises(PermissionDenied):
        do_choose_initials(org.users["nobody"], True)


def test_a_board_turned_off_is_not_shown_to_the_team_but_to_its_manager(org, page_for):
    give(org, "ann", 10)
    client = page_for("mike")
    response = client.post(reverse("points-set-board", args=[org.departments[TEAM].pk]),
                           {"hidden": "1"})  # fmt: skip
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="points.board").after == {"board_off": True}
    assert page_for("ann").get(board_url(org)).status_code == 404
    assert page_for("ann").get(board_url(org, CENTRE, "centre")).status_code == 404
    rows, body = shown(page_for("mike"), board_url(org))
    assert (1, "安妮") in rows
    assert 'data-testid="board-off"' in body
    # The centre board leaves the team out, for everyone.
    centre, body = shown(page_for("alice"), board_url(org, CENTRE, "centre"))
    assert [name for _rank, name in centre] == ["鲍勃", "莉娜"]
    assert "1 team has turned its board off" in body
    # bob's team board is on: bob still sees his.
    assert page_for("bob").get(board_url(org, "企服部/客服中心/客服二组")).status_code == 200


@pytest.mark.parametrize(
    ("who", "team", "allowed"),
    [
        ("mike", TEAM, True),  # his direct reports' team
        ("lena", TEAM, False),
        ("dora", TEAM, True),  # her direct report mike sits in it
        ("dora", "总经理办公室", False),
        ("eve", "企服部", True),  # as dora's manager
        ("eve", TEAM, False),  # the executive role alone changes nothing
        ("harry", TEAM, True),  # HR in scope
        ("harry", "人力资源部", False),
        ("alice", "人力资源部", True),
        ("ann", TEAM, False),
        ("nobody", TEAM, False),
    ],
)
def test_who_may_turn_a_board_off(org, who, team, allowed):
    department = org.departments[team]
    if allowed:
        assert do_set_board(org.users[who], department.pk, True).hidden
    else:
        with pytest.raises(PermissionDenied):
            do_set_board(org.users[who], department.pk, True)


@pytest.mark.parametrize(
    ("who", "path", "kind", "status"),
    [
        ("ann", TEAM, "team", 200),
        ("ann", CENTRE, "centre", 200),
        ("ann", "企服部/客服中心/客服二组", "team", 404),  # not her team, nobody she oversees
        ("bob", TEAM, "team", 404),
        ("mike", TEAM, "team", 200),
        ("lena", TEAM, "team", 404),
        ("dora", TEAM, "team", 200),  # above mike's team
        ("eve", "人力资源部", "team", 200),  # executive: every board
        ("harry", TEAM, "team", 200),
        ("harry", "总经理办公室", "team", 404),  # outside his scope, nobody he manages
        ("alice", "总经理办公室", "team", 200),
    ],
)
def test_who_sees_which_board(org, page_for, who, path, kind, status):
    assert page_for(who).get(board_url(org, path, kind)).status_code == status


def test_nobody_and_anonymous_see_no_board(org, client_for):
    assert client_for("nobody").get(reverse("leaderboards")).status_code == 403
    anonymous = client_for(None).get(reverse("leaderboards"))
    assert anonymous.status_code == 302


def test_a_member_of_a_board_sees_others_ranked_only_at_its_top(org, page_for):
    # Three agents: everyone is in the bottom ten, so ann sees her own row only.
    give(org, "amy", 10)
    rows, body = shown(page_for("ann", "zh-hans"), board_url(org))
    assert rows == [(2, "安妮")]
    assert "艾米" not in body
    assert "积分排行榜" in body


def test_the_page_shows_the_rules_and_my_points_in_both_languages(org, page_for):
    rules(org, positive_incident=5)
    incident(org, "ann", MAY)
    award_points(None)
    zh = page_for("ann", "zh-hans").get(board_url(org)).content.decode()
    assert "正面关键事件：5 分" in zh
    assert "2026-05-12 的正面关键事件" in zh
    en = page_for("ann", "en").get(board_url(org)).content.decode()
    assert "Positive critical incident: 5 points" in en
    assert "Positive incident of 2026-05-12" in en


def test_people_on_a_centre_board_are_everyone_below_it(org):
    people, left_out = people_on(org.departments[CENTRE], True)
    assert sorted(p.number for p in people) == ["A001", "A002", "B001", "L001", "M001"]
    assert left_out == 0


def test_the_board_opens_on_the_month_of_the_latest_points(org, page_for):
    give(org, "ann", 10)  # May 2026
    rows, body = shown(page_for("mike"), reverse("leaderboards"))
    assert (1, "安妮") in rows
    assert "<option selected>2026-05</option>" in body
    assert "<option>2026-Q2</option>" in body
