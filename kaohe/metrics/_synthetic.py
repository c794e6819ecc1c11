"""Synthetic operational data for the demo and the benchmarks: realistic, repeatable.

Daily and hourly patterns (mornings and afternoons peak, weekends and holidays are quiet),
repeat callers within a week, abandons and short abandons, complaints, surveys, key-account
visits, QA samples, and the administration and technical-support records. Everything comes
from one seeded random generator, so the same arguments write the same files.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ._calendar import BusinessCalendar

# Share of a day's calls in each hour, 08:00–21:00.
_HOURS = [1, 5, 9, 10, 8, 5, 6, 9, 9, 7, 5, 3, 2]
_HOUR_WEIGHTS = [w / sum(_HOURS) for w in _HOURS]


@dataclass(frozen=True)
class Staff:
    number: str
    role: str  # agent, lead, director, admin, buyer, tech
    queue: str = ""


@dataclass
class Counts:
    calls: int = 0
    tickets: int = 0
    surveys: int = 0
    accounts: int = 0
    visits: int = 0
    qa: int = 0
    purchases: int = 0
    asset_checks: int = 0
    kb_updates: int = 0


def _times(rng: random.Random, day: date, count: int) -> list[datetime]:
    hours = rng.choices(range(8, 21), weights=_HOUR_WEIGHTS, k=count)
    return sorted(
        datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
        for hour in hours
    )


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


class _Writers:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.handles: dict[str, object] = {}
        self.writers: dict[str, object] = {}

    def row(self, source: str, header: list[str], values: list[object]) -> None:
        writer = self.writers.get(source)
        if writer is None:
            handle = (self.folder / f"{source}.csv").open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow(header)
            self.handles[source], self.writers[source] = handle, writer
        writer.writerow(values)  # type: ignore[attr-defined]

    def close(self) -> list[Path]:
        for handle in self.handles.values():
            handle.close()  # type: ignore[attr-defined]
        return [self.folder / f"{source}.csv" for source in self.writers]


SURVEY_HEADER = [
    "survey_id", "kind", "score", "agent_id", "responded_at", "call_id", "ticket_id", "comment",
]  # fmt: skip
CALL_HEADER = [
    "call_id", "direction", "queue", "agent_id", "customer_id", "offered_at", "answered_at",
    "ended_at", "hold_seconds", "wrap_seconds",
]  # fmt: skip


def generate(
    folder: Path,
    staff: list[Staff],
    first: date,
    last: date,
    *,
    calls_per_agent_day: float = 40,
    seed: int = 2026,
    calendar: BusinessCalendar | None = None,
) -> tuple[list[Path], Counts]:
    """Write one CSV per source into ``folder``; returns the files and how many rows each."""
    rng = random.Random(seed)
    calendar = calendar or BusinessCalendar()
    writers = _Writers(folder)
    counts = Counts()
    agents = [s for s in staff if s.role == "agent"]
    customers = max(100, len(agents) * 300)
    recent: list[tuple[str, datetime]] = []  # customers who called lately, for repeat calls
    call_number = ticket_number = survey_number = qa_number = 0
    for day, working in calendar.days(first, last):
        load = 1.0 if working else (0.35 if day.weekday() < 5 else 0.5)  # holidays are quietest
        for agent in agents:
            volume = _poisson(rng, calls_per_agent_day * load * rng.uniform(0.8, 1.2))
            for offered in _times(rng, day, volume):
                call_number += 1
                call_id = f"C{call_number:09d}"
                if recent and rng.random() < 0.12:
                    customer = rng.choice(recent)[0]
                else:
                    customer = f"K{rng.randrange(customers):07d}"
                answered, ended, hold, wrap = _call(rng, offered)
                writers.row("calls", CALL_HEADER, [
                    call_id, "inbound", agent.queue, agent.number if answered else "",
                    customer, _stamp(offered), _stamp(answered), _stamp(ended), hold, wrap,
                ])  # fmt: skip
                counts.calls += 1
                recent.append((customer, offered))
                if answered is None:
                    continue
                if rng.random() < 0.18:
                    survey_number += 1
                    counts.surveys += _survey(writers, rng, survey_number, agent, ended, call_id)
                if rng.random() < 0.02:
                    qa_number += 1
                    counts.qa += _qa(writers, rng, qa_number, agent, ended, call_id)
                if rng.random() < 0.012:
                    ticket_number += 1
                    counts.tickets += _ticket(writers, rng, calendar, ticket_number, "complaint",
                                              customer, agent.number, ended)  # fmt: skip
            if rng.random() < 0.05:
                call_number += 1
                start = _times(rng, day, 1)[0]
                writers.row("calls", CALL_HEADER, [
                    f"C{call_number:09d}", "outbound", agent.queue, agent.number, "", _stamp(start),
                    _stamp(start + timedelta(seconds=8)),
                    _stamp(start + timedelta(seconds=180)), 0, 20,
                ])  # fmt: skip
                counts.calls += 1
        week_ago = datetime(day.year, day.month, day.day) - timedelta(days=7)
        recent = [entry for entry in recent[-50_000:] if entry[1] >= week_ago]
        if working:
            ticket_number = _back_office_day(
                writers, rng, calendar, staff, day, ticket_number, counts
            )
    _accounts_and_visits(writers, rng, staff, first, last, counts)
    return writers.close(), counts


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:  # a normal approximation is plenty here, and much faster
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _call(rng: random.Random, offered: datetime) -> tuple[datetime | None, datetime, int, int]:
    if rng.random() < 0.1:  # not answered; a third of those hang up within 5 s
        wait = rng.uniform(0.5, 4.5) if rng.random() < 0.33 else rng.uniform(6, 180)
        return None, offered + timedelta(seconds=wait), 0, 0
    wait = min(rng.expovariate(1 / 15), 300)
    talk = min(max(rng.lognormvariate(5.6, 0.6), 20), 3600)
    answered = offered + timedelta(seconds=round(wait))
    hold = round(rng.uniform(0, 60)) if rng.random() < 0.2 else 0
    return answered, answered + timedelta(seconds=round(talk)), hold, round(rng.uniform(5, 60))


def _survey(writers: _Writers, rng: random.Random, number: int, agent: Staff, ended: datetime,
            call_id: str) -> int:  # fmt: skip
    kind = rng.choices(["csat", "nps", "ces"], weights=[6, 3, 1])[0]
    score = {
        "csat": lambda: rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 10, 35, 50])[0],
        "nps": lambda: rng.choices(range(11), weights=[1, 1, 1, 1, 2, 2, 3, 8, 15, 25, 41])[0],
        "ces": lambda: rng.choices(range(1, 8), weights=[30, 30, 15, 10, 7, 5, 3])[0],
    }[kind]()
    writers.row(
        "surveys",
        SURVEY_HEADER,
        [f"S{number:09d}", kind, score, agent.number,
         _stamp(ended + timedelta(minutes=rng.randrange(1, 120))), call_id, "", ""],
    )  # fmt: skip
    return 1


def _qa(writers: _Writers, rng: random.Random, number: int, agent: Staff, ended: datetime,
        call_id: str) -> int:  # fmt: skip
    score = round(min(100, max(40, rng.gauss(88, 8))), 1)
    writers.row(
        "qa",
        ["evaluation_id", "call_id", "agent_id", "evaluated_at", "score", "passed"],
        [f"Q{number:08d}", call_id, agent.number, _stamp(ended + timedelta(days=1)), score,
         1 if score >= 80 else 0],
    )  # fmt: skip
    return 1


def _ticket(writers: _Writers, rng: random.Random, calendar: BusinessCalendar, number: int,
            kind: str, customer: str, assignee: str, created: datetime) -> int:  # fmt: skip
    response = created + timedelta(minutes=rng.expovariate(1 / 50)) if rng.random() < 0.97 else None
    resolved = None
    if rng.random() < 0.95:
        hours = rng.expovariate(1 / (30 if kind == "complaint" else 6))
        resolved = created + timedelta(hours=hours)
        if response is not None and resolved < response:
            resolved = response + timedelta(minutes=5)
    writers.row(
        "tickets",
        ["ticket_id", "kind", "customer_id", "assignee_id", "created_at", "first_response_at",
         "resolved_at"],
        [f"T{number:08d}", kind, customer, assignee, _stamp(created), _stamp(response),
         _stamp(resolved)],
    )  # fmt: skip
    return 1


def _back_office_day(
    writers: _Writers,
    rng: random.Random,
    calendar: BusinessCalendar,
    staff: list[Staff],
    day: date,
    ticket_number: int,
    counts: Counts,
) -> int:
    for person in staff:
        if person.role == "tech":
            for moment in _times(rng, day, _poisson(rng, 3)):
                ticket_number += 1
                kind = "incident" if rng.random() < 0.6 else "request"
                customer = f"K{rng.randrange(5000):07d}"
                counts.tickets += _ticket(
                    writers, rng, calendar, ticket_number, kind, customer, person.number, moment
                )
            if rng.random() < 0.2:
                counts.kb_updates += 1
                writers.row("kb_updates", ["update_id", "article_id", "author_id", "updated_at"], [
                    f"U{counts.kb_updates:07d}", f"KB{rng.randrange(300):04d}", person.number,
                    _stamp(_times(rng, day, 1)[0]),
                ])  # fmt: skip
        elif person.role in ("admin", "buyer"):
            if person.role == "buyer" and rng.random() < 0.5:
                counts.purchases += 1
                ordered = _times(rng, day, 1)[0]
                promised = ordered + timedelta(days=rng.randrange(3, 10))
                delivered = promised + timedelta(hours=rng.gauss(-24, 30))
                budget = round(rng.uniform(500, 20000), 2)
                writers.row("purchases", ["order_id", "buyer_id", "ordered_at", "promised_at",
                                          "delivered_at", "budget_amount", "actual_amount"], [
                    f"P{counts.purchases:07d}", person.number, _stamp(ordered), _stamp(promised),
                    _stamp(max(delivered, ordered + timedelta(hours=1))), budget,
                    round(budget * rng.uniform(0.9, 1.02), 2),
                ])  # fmt: skip
            if rng.random() < 0.05:
                counts.asset_checks += 1
                checked = rng.randrange(50, 300)
                writers.row("asset_checks", ["check_id", "employee_id", "checked_at",
                                             "assets_checked", "discrepancies"], [
                    f"A{counts.asset_checks:06d}", person.number, _stamp(_times(rng, day, 1)[0]),
                    checked, sum(rng.random() < 0.006 for _ in range(checked)),
                ])  # fmt: skip
            if rng.random() < 0.3:
                counts.surveys += 1
                writers.row(
                    "surveys",
                    SURVEY_HEADER,
                    [f"M{counts.surveys:09d}", "meeting",
                     rng.choices([2, 3, 4, 5], [1, 2, 4, 5])[0],
                     person.number, _stamp(_times(rng, day, 1)[0]), "", "", ""],
                )  # fmt: skip
    return ticket_number


def _accounts_and_visits(writers: _Writers, rng: random.Random, staff: list[Staff],
                         first: date, last: date, counts: Counts) -> None:  # fmt: skip
    owners = [s for s in staff if s.role in ("director", "lead")]
    span = (last - first).days + 1
    for owner in owners:
        for _index in range(12 if owner.role == "director" else 8):
            counts.accounts += 1
            account = f"KA{counts.accounts:05d}"
            key = rng.random() < 0.6
            writers.row(
                "accounts",
                ["account_id", "name", "key_account", "owner_id"],
                [account, f"示例客户{counts.accounts}", 1 if key else 0, owner.number],
            )
            if rng.random() < (0.92 if key else 0.5):
                counts.visits += 1
                visited = first + timedelta(days=rng.randrange(span))
                writers.row("visits", ["visit_id", "account_id", "employee_id", "visited_at"], [
                    f"V{counts.visits:06d}", account, owner.number, f"{visited} 10:00:00",
                ])  # fmt: skip


def sources_in_order(files: list[Path]) -> Iterator[tuple[str, Path]]:
    """The generated files with their source names, accounts before visits."""
    order = ["accounts", "visits", "calls", "tickets", "surveys", "qa", "purchases",
             "asset_checks", "kb_updates"]  # fmt: skip
    by_name = {path.stem: path for path in files}
    for name in order:
        if name in by_name:
            yield name, by_name[name]
