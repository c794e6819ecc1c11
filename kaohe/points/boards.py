"""Leaderboards: the points of a team, or of a centre with its teams, for a month or a
quarter, ranked within comparable roles (one ranking per position), ties sharing a rank.

What a reader sees of a board is decided here from the policy's answers: their own row,
the rows of people they oversee, and the top of each ranking — never its bottom ten.
Members of a team whose board is turned off are left out of the centre boards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.analytics import peer_visible, standings
from kaohe.metrics import MetricsError, Period, parse_period
from kaohe.org.models import Department, Employee
from kaohe.org.policy import Access

from . import policy
from .models import BoardChoice, BoardSetting, PointEntry, PointRule

CJK = re.compile(r"[\u3400-\u9fff]")


class BoardRefused(Exception):
    """A board asked for that does not exist; worded for the reader."""


def latest_day(today: date | None = None) -> date:
    """The day boards open on: the most recent day points were earned, up to today; today
    when none were. A new month opens on the last month's board until points come in."""
    today = today or timezone.localdate()
    latest = PointEntry.objects.filter(on__lte=today).order_by("-on").values_list("on", flat=True)
    return latest.first() or today


def board_period(text: str | None, today: date | None = None) -> Period:
    """A month (2026-07) or a quarter (2026-Q3); when none is given, the month of the most
    recent points."""
    if not text:
        day = latest_day(today)
        return parse_period(f"{day.year}-{day.month:02}")
    try:
        period = parse_period(text)
    except MetricsError:
        raise BoardRefused(_("Choose a month (2026-07) or a quarter (2026-Q3).")) from None
    if "-" not in period.name or "H" in period.name:
        raise BoardRefused(_("Choose a month (2026-07) or a quarter (2026-Q3)."))
    return period


def recent_periods(today: date | None = None, months: int = 6, quarters: int = 4) -> list[str]:
    """The months and quarters a chooser offers, from the most recent points back."""
    day = latest_day(today)
    found = []
    year, month = day.year, day.month
    for _step in range(months):
        found.append(f"{year}-{month:02}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    year, quarter = day.year, (day.month - 1) // 3 + 1
    for _step in range(quarters):
        found.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found


def initials(name: str) -> str:
    """安妮 → 安*, Ann Lee → A. L."""
    name = name.strip()
    if not name:
        return "—"
    if CJK.match(name):
        return name[0] + "*" * max(1, len(name) - 1)
    return " ".join(f"{word[0].upper()}." for word in name.split())


@dataclass
class Row:
    rank: int
    points: int
    name: str
    number: str  # empty when shown by initials to others
    mine: bool
    employee_id: int


@dataclass
class Section:
    position: str
    size: int
    rows: list[Row]
    my_rank: int | None = None
    hidden_rows: int = 0  # rows of the ranking this reader does not see


@dataclass
class Board:
    department: Department
    whole: bool
    period: Period
    sections: list[Section]
    rules: list[PointRule]
    off: bool  # the team's board is turned off (shown to those who oversee it)
    teams_left_out: int = 0
    whole_view: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "centre" if self.whole else "team"


def people_on(department: Department, whole: bool) -> tuple[list[Employee], int]:
    """The active people of the board, and how many teams are left out of it (turned off)."""
    everyone = Employee.objects.active().select_related("position", "department")
    if not whole:
        return list(everyone.filter(department=department)), 0
    below = everyone.filter(department__path__startswith=department.path + "/")
    people = list(everyone.filter(department=department)) + list(below)
    off = set(
        BoardSetting.objects.filter(
            hidden=True, department_id__in={p.department_id for p in people}
        ).values_list("department_id", flat=True)
    )
    return [p for p in people if p.department_id not in off], len(off)


def points_of(people: list[Employee], period: Period) -> dict[int, int]:
    totals = (
        PointEntry.objects.filter(
            employee__in=people, on__gte=period.first_day, on__lte=period.last_day
        )
        .values("employee_id")
        .annotate(total=Sum("points"))
    )
    return {row["employee_id"]: int(row["total"]) for row in totals}


def build_board(access: Access, department: Department, whole: bool, period: Period) -> Board:
    """The board as this reader may see it; the caller has asked ``policy.can_view_board``."""
    people, left_out = people_on(department, whole)
    totals = points_of(people, period)
    overseen = policy.overseen_among(access, people)
    whole_view = policy.sees_whole_board(access, department)
    me = access.employee
    by_initials = set(
        BoardChoice.objects.filter(employee__in=people, initials=True).values_list(
            "employee_id", flat=True
        )
    )
    sections = []
    by_position: dict[str, list[Employee]] = {}
    for person in people:
        by_position.setdefault(person.position.name if person.position else "—", []).append(person)
    for position in sorted(by_position):
        members = {p.number: p for p in by_position[position]}
        ranked = standings((number, totals.get(p.pk, 0)) for number, p in members.items())
        shown = {s.person for s in peer_visible(ranked)}
        rows, my_rank = [], None
        for standing in ranked:
            person = members[standing.person]
            mine = me is not None and person.pk == me.pk
            if mine:
                my_rank = standing.rank
            if not (mine or whole_view or person.pk in overseen or standing.person in shown):
                continue
            hide_name = person.pk in by_initials and not mine
            rows.append(Row(
                standing.rank, standing.points,
                initials(person.name) if hide_name else person.name,
                "" if hide_name else person.number, mine, person.pk,
            ))  # fmt: skip
        sections.append(Section(position, len(ranked), rows, my_rank, len(ranked) - len(rows)))
    off = BoardSetting.objects.filter(department=department, hidden=True).exists()
    rules = list(PointRule.objects.filter(active=True))
    return Board(department, whole, period, sections, rules, off, left_out, whole_view)


def find_board(access: Access, department_id: int | None, kind: str) -> tuple[Department, bool]:
    """The board asked for, or the reader's first: their team."""
    whole = kind == "centre"
    if department_id is None:
        choices = policy.board_choices(access)
        if not choices:
            raise BoardRefused(_("There is no leaderboard for you to see."))
        return choices[0]
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise BoardRefused(_("There is no such team or centre."))
    return department, whole
