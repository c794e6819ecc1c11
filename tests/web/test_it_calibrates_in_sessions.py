"""Calibration sessions: who opens and sees them, moves and their records, potential,
guidelines with their enforcement, and closing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kaohe.appraisals.models import Appraisal, Transition
from kaohe.appraisals.workflow import State
from kaohe.audit.models import AuditEntry
from kaohe.calibration.actions import (
    CalibrationRefused,
    GuidelineInput,
    MoveInput,
    SessionData,
    do_close_session,
    do_move,
    do_open_session,
    do_rate_potential,
    do_set_cycle_guideline,
    do_set_session_guideline,
)
from kaohe.calibration.board import board
from kaohe.calibration.models import Move
from tests.web.test_it_appraisals import metrics_for, ratings_for
from tests.web.workflow import act, appraisal_of, launched_cycle

AGENTS = ("ann", "amy", "bob")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def to_calibration(appraisal, level="4"):
    """Walk an appraisal to calibration, each step by whoever takes it."""
    metrics_for(appraisal)
    employee, rater = appraisal.employee.user, appraisal.rater.user
    act(rater, appraisal.pk, "send_for_confirmation")
    act(employee, appraisal.pk, "confirm")
    act(rater, appraisal.pk, "open_assessment")
    act(employee, appraisal.pk, "submit_self_assessment")
    act(rater, appraisal.pk, "submit_review", ratings_for(appraisal, level))


@pytest.fixture
def cycle(org):
    made = launched_cycle(org)
    for key, level in zip(AGENTS, ("5", "4", "3"), strict=True):
        to_calibration(appraisal_of(made, org, key), level)
    return made


def open_session(org, cycle, *, by="alice", participants=("dora",), guideline=None, **more):
    centre = org.departments["企服部/客服中心"]
    return do_open_session(
        org.users[by],
        SessionData(
            cycle_id=cycle.pk,
            name="客服中心 Q3 校准",
            department_ids=more.pop("departments", (centre.pk,)),
            participant_ids=tuple(org.users[key].pk for key in participants),
            guideline=guideline,
            **more,
        ),
    )


def row_of(session, org, key):
    return next(r for r in board(session).rows if r.number == org.people[key].number)


def test_a_session_holds_the_population_not_yet_past_calibration(org, cycle):
    session = open_session(org, cycle)
    held = {
        m.appraisal.employee.number for m in session.members.select_related("appraisal__employee")
    }
    # The centre: its two leads (still early in the cycle) and the three agents.
    assert held == {"M001", "L001", "A001", "A002", "B001"}
    movable = {r.number for r in board(session).rows if r.movable}
    assert movable == {"A001", "A002", "B001"}
    assert AuditEntry.objects.filter(action="calibration.open").count() == 1


def test_nobody_runs_or_joins_a_session_that_calibrates_them(org, cycle):
    with pytest.raises(CalibrationRefused, match="麦克 cannot run or take part"):
        open_session(org, cycle, participants=("mike",))


def test_an_appraisal_is_in_one_open_session_at_a_time(org, cycle):
    open_session(org, cycle)
    with pytest.raises(CalibrationRefused, match="already in another open session"):
        open_session(org, cycle)


def test_a_manager_opens_a_session_only_over_people_below_them(org, cycle):
    team = org.departments["企服部/客服中心/客服一组"]
    session = open_session(org, cycle, by="mike", participants=(), departments=(team.pk,))
    # Mike's own appraisal is in the team's department but never in his session.
    assert {m.appraisal.employee.number for m in session.members.all()} == {"A001", "A002"}
    other = org.departments["企服部/客服中心/客服二组"]
    with pytest.raises(CalibrationRefused, match="only over people in your scope"):
        open_session(org, cycle, by="mike", participants=(), departments=(other.pk,))
    with pytest.raises(PermissionDenied):
        open_session(org, cycle, by="ann", participants=())


def test_a_move_by_points_is_a_history_row_a_record_and_an_audit_row(org, cycle):
    session = open_session(org, cycle)
    ann = appraisal_of(cycle, org, "ann")
    before = row_of(session, org, "ann")
    [move] = do_move(
        org.users["dora"], session.pk, MoveInput((ann.pk,), "QA 复核后上调", points=Decimal(3))
    )
    after = row_of(session, org, "ann")
    assert after.total == before.total + 3
    assert (move.from_total, move.to_total) == (before.total, after.total)
    assert (move.from_grade, move.to_grade) == (before.grade, after.grade)
    assert move.actor_name == "朵拉"
    step = Transition.objects.filter(appraisal=ann, action="calibration_move").get()
    assert (step.source, step.target, step.reason) == (
        "calibration",
        "calibration",
        "QA 复核后上调",
    )
    assert AuditEntry.objects.filter(action="appraisal.calibration_move").count() == 1
    assert AuditEntry.objects.filter(action="calibration.move").count() == 1
    # A second move is from where the person stands now.
    do_move(org.users["dora"], session.pk, MoveInput((ann.pk,), "再议", points=Decimal(-1)))
    assert Appraisal.objects.get(pk=ann.pk).calibration == Decimal(2)


def test_a_move_to_a_grade_takes_the_least_change(org, cycle):
    session = open_session(org, cycle)
    ann = appraisal_of(cycle, org, "ann")
    start = row_of(session, org, "ann")
    target = "C" if start.grade in ("A", "B") else "B"
    do_move(org.users["alice"], session.pk, MoveInput((ann.pk,), "校准会决定", grade=target))
    moved = row_of(session, org, "ann")
    assert moved.grade == target
    bands = {band.grade: band.minimum for band in ann.version.scheme().grades.bands}
    expected = bands[target] if target == "B" else bands["B"] - Decimal("0.01")
    assert moved.total == expected


def test_a_move_needs_a_reason_and_a_person_at_calibration(org, cycle):
    session = open_session(org, cycle)
    ann = appraisal_of(cycle, org, "ann")
    with pytest.raises(CalibrationRefused, match="needs a reason"):
        do_move(org.users["alice"], session.pk, MoveInput((ann.pk,), " ", points=Decimal(1)))
    with pytest.raises(CalibrationRefused, match="by a number of points or to a grade"):
        do_move(org.users["alice"], session.pk, MoveInput((ann.pk,), "x"))
    mike = appraisal_of(cycle, org, "mike")
    with pytest.raises(CalibrationRefused, match="only an appraisal at calibration"):
        do_move(org.users["alice"], session.pk, MoveInput((mike.pk,), "x", points=Decimal(1)))
    with pytest.raises(CalibrationRefused, match="between -20 and 20"):
        do_move(org.users["alice"], session.pk, MoveInput((ann.pk,), "x", points=Decimal(25)))
    assert not Move.objects.exists()
    assert Appraisal.objects.get(pk=ann.pk).calibration == 0


def test_a_bulk_move_is_all_or_nothing_and_for_the_facilitator(org, cycle):
    session = open_session(org, cycle)
    ids = tuple(appraisal_of(cycle, org, key).pk for key in AGENTS)
    with pytest.raises(PermissionDenied):  # a participant moves one person at a time
        do_move(org.users["dora"], session.pk, MoveInput(ids, "全体", points=Decimal(1)))
    with_mike = (*ids, appraisal_of(cycle, org, "mike").pk)
    with pytest.raises(CalibrationRefused):
        do_move(org.users["alice"], session.pk, MoveInput(with_mike, "全体", points=Decimal(1)))
    assert not Move.objects.exists()
    moved = do_move(org.users["alice"], session.pk, MoveInput(ids, "全体", points=Decimal(1)))
    assert len(moved) == 3
    assert set(Appraisal.objects.filter(pk__in=ids).values_list("calibration", flat=True)) == {1}


def test_only_the_sessions_people_move_and_only_its_members(org, cycle):
    session = open_session(org, cycle)
    ann = appraisal_of(cycle, org, "ann")
    for key in ("lena", "mike", "ann", "eve"):
        with pytest.raises(PermissionDenied):
            do_move(org.users[key], session.pk, MoveInput((ann.pk,), "x", points=Decimal(1)))
    dora = appraisal_of(cycle, org, "dora")  # in the cycle, not in the session
    with pytest.raises(PermissionDenied):
        do_move(org.users["alice"], session.pk, MoveInput((dora.pk,), "x", points=Decimal(1)))


def test_potential_is_kept_with_the_appraisal_and_fills_the_nine_box(org, cycle):
    session = open_session(org, cycle)
    ann, bob = appraisal_of(cycle, org, "ann"), appraisal_of(cycle, org, "bob")
    changed = do_rate_potential(org.users["dora"], session.pk, {ann.pk: 3, bob.pk: 1})
    assert changed == 2
    assert Appraisal.objects.get(pk=ann.pk).potential == 3
    with pytest.raises(CalibrationRefused, match="Potential is 1"):
        do_rate_potential(org.users["dora"], session.pk, {ann.pk: 4})
    grid = board(session).nine_box
    placed = {row.number: (r, c) for r, line in enumerate(grid)
              for c, cell in enumerate(line) for row in cell}  # fmt: skip
    assert placed["A001"][0] == 0  # the top line: potential 3
    assert placed["B001"][0] == 2
    assert AuditEntry.objects.filter(action="calibration.potential").count() == 2


def test_the_cycle_guideline_is_where_a_session_starts(org, cycle):
    do_set_cycle_guideline(
        org.users["alice"], cycle.pk, GuidelineInput("A 0-20, B 20-40, C 20-60, D 0-20, E 0-10")
    )
    session = open_session(org, cycle)
    check = board(session).check
    assert check is not None
    assert check.population == 3  # the leads have no score yet, so no grade to count
    with pytest.raises(CalibrationRefused, match="missing: E"):
        do_set_cycle_guideline(org.users["alice"], cycle.pk, GuidelineInput("A 10, B 90, C 0, D 0"))
    with pytest.raises(PermissionDenied):
        do_set_cycle_guideline(org.users["mike"], cycle.pk, GuidelineInput("A 100"))


def test_an_enforced_guideline_blocks_closing_until_it_is_met(org, cycle):
    everyone_a = "A 100, B 0, C 0, D 0, E 0"
    strict = GuidelineInput(everyone_a, enforced=True, minimum_population=2)
    session = open_session(org, cycle, guideline=strict)
    with pytest.raises(CalibrationRefused, match="enforced guideline is not met"):
        do_close_session(org.users["alice"], session.pk)
    # Below the minimum population the same guideline is advice only.
    lenient = GuidelineInput(everyone_a, enforced=True, minimum_population=25)
    do_set_session_guideline(org.users["alice"], session.pk, lenient)
    session.refresh_from_db()
    check = board(session).check
    assert check.broken
    assert not check.enforceable
    assert do_close_session(org.users["alice"], session.pk).moved_on == 3


def test_closing_moves_the_calibrated_appraisals_on(org, cycle):
    session = open_session(org, cycle)
    ann = appraisal_of(cycle, org, "ann")
    do_move(org.users["alice"], session.pk, MoveInput((ann.pk,), "上调", points=Decimal(2)))
    with pytest.raises(PermissionDenied):
        do_close_session(org.users["dora"], session.pk)  # participants do not close
    closed = do_close_session(org.users["alice"], session.pk)
    assert closed.moved_on == 3
    assert sorted(closed.left) == ["莉娜", "麦克"]
    for key in AGENTS:
        assert appraisal_of(cycle, org, key).state == State.INTERVIEW
    assert appraisal_of(cycle, org, "ann").calibration == Decimal(2)
    step = Transition.objects.filter(appraisal=ann, action="calibrate").get()
    assert "客服中心 Q3 校准" in step.reason
    with pytest.raises(CalibrationRefused, match="closed"):
        do_move(org.users["alice"], session.pk, MoveInput((ann.pk,), "x", points=Decimal(1)))


# --- pages -------------------------------------------------------------------------------


def test_the_session_page_is_for_its_people_only(org, cycle, client_for):
    session = open_session(org, cycle)
    url = reverse("calibration-session", args=[session.pk])
    for key in ("alice", "harry", "dora"):
        assert client_for(key).get(url).status_code == 200, key
    for key in ("ann", "mike", "lena", "eve", "nobody"):
        assert client_for(key).get(url).status_code == 404, key


def test_the_page_shows_everyone_with_the_distribution_and_moves(org, cycle, client_for):
    guideline = GuidelineInput("A 0-20, B 20-40, C 20-60, D 0-20, E 0-10")
    session = open_session(org, cycle, guideline=guideline)
    client = client_for("alice")
    url = reverse("calibration-session", args=[session.pk])
    ann = appraisal_of(cycle, org, "ann")
    response = client.post(
        url, {"appraisal": [ann.pk], "points": "2", "grade": "", "reason": "复核", "move": ""}
    )
    assert response.status_code == 302
    page = client.get(url + "?sort=total&dir=desc").content.decode()
    assert 'data-testid="row-A001"' in page
    assert "人，允许" in page  # "A: 1 of 1 allowed"
    assert "复核" in page  # the calibration record
    assert "<svg" in page
    refused = client.post(url, {"appraisal": [ann.pk], "points": "2", "reason": "", "move": ""})
    assert "需要理由" in client.get(refused.url).content.decode()


def test_the_close_asks_first_then_moves_people_on(org, cycle, client_for):
    session = open_session(org, cycle)
    client = client_for("alice")
    url = reverse("calibration-close", args=[session.pk])
    confirm = client.get(url).content.decode()
    assert "不能撤销" in confirm  # cannot be undone
    assert Appraisal.objects.filter(state="calibration").count() == 3
    client.post(url)
    assert Appraisal.objects.filter(state="calibration").count() == 0
    assert client_for("dora").get(url).status_code == 404  # participants do not close
