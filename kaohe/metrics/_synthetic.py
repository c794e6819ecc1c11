"""Synthetic operational data for the demo and the benchmarks: realistic, repeatable.

Daily and hourly patterns (mornings and afternoons peak, weekends and holidays are quiet),
customers who call again within days when their issue was not solved, abandons and short
abandons, complaints, surveys with their comments, transcripts of a share of the answered
calls (``_synthetic_talk``), key-account visits, QA samples, and the administration and
technical-support records. Everything comes from seeded random generators, so the same
arguments write the same files.

People differ the way a real department's do. Each person gets a profile drawn from the
seed and their employee number: one latent skill, in standard deviations, that each of
their rates follows in part (a strong agent tends to solve more at the first contact,
pleases more customers and passes more QA samples, but not always all of them), centred on
the targets of seed 000 — answer rate 90–95 %, talk time 3–10 minutes, CSAT top-two
box mostly 80–95 %, first-contact resolution 65–85 %, QA pass rate 85–98 %. Each queue has
its own staffing, hence its own answer rate, shared by the agents who work it.
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ._calendar import BusinessCalendar
from ._synthetic_talk import Talk

# Share of a day's calls in each hour, 08:00–21:00.
_HOURS = [1, 5, 9, 10, 8, 5, 6, 9, 9, 7, 5, 3, 2]
_HOUR_WEIGHTS = [w / sum(_HOURS) for w in _HOURS]


@dataclass(frozen=True)
class Staff:
    number: str
    role: str  # agent, lead, director, admin, buyer, tech
    queue: str = ""  # the queue whose calls the person answers, if they answer any


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
    transcripts: int = 0  # turns


# Mean skill of a role, in standard deviations: leads and the director were promoted for it.
_ROLE_SKILL = {"lead": 0.5, "director": 0.5}
# Share of a full agent's inbound calls each role answers: leads take escalations, the
# technical-support group runs a small hotline of its own.
_CALL_SHARE = {"agent": 1.0, "lead": 0.3, "tech": 0.2}


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


@dataclass(frozen=True)
class _Profile:
    """How one person works; the rates each role's records are drawn with."""

    calls: float  # share of a full agent's inbound calls
    qa_chance: float  # chance that QA samples an answered call: as many samples for everyone
    talk_mu: float  # log-normal location of talk seconds
    unresolved: float  # chance that a customer calls again within days
    csat_top2: float  # chance that a CSAT answer is 4 or 5
    promoters: float  # chance that an NPS answer is 9 or 10
    detractors: float  # chance that an NPS answer is 0–6
    qa_mean: float  # mean QA score; 80 passes
    complaints: float  # chance that an answered call turns into a complaint
    repair_hours: float  # mean time to resolve an incident
    resolves: float  # chance that a ticket gets resolved
    kb_daily: float  # chance of a knowledge-base update on a working day
    on_time: float  # chance that a purchase arrives by the promised day
    saving: float  # share of the budget saved on a purchase
    asset_errors: float  # chance that a counted asset does not match the records
    meeting_top2: float  # chance that a meeting-support answer is 4 or 5


def _profile(person: Staff, seed: int) -> _Profile:
    """The person's profile: the same for the same seed and number, whoever else is in
    the organisation."""
    rng = random.Random(f"{seed}/{person.number}")
    skill = rng.gauss(_ROLE_SKILL.get(person.role, 0.0), 1)

    def trait() -> float:  # one rate's standing: mostly the skill, partly its own
        return 0.8 * skill + 0.6 * rng.gauss(0, 1)

    talk_minutes = _clip(rng.gauss(5.5, 1.3), 2.6, 11)  # style more than skill
    fcr, csat, nps = trait(), trait(), trait()
    calls = _CALL_SHARE.get(person.role, 0.0) * rng.uniform(0.85, 1.15)
    return _Profile(
        calls=calls,
        qa_chance=min(0.2, 0.02 / calls) if calls else 0.0,
        talk_mu=math.log(talk_minutes * 60) - 0.18,  # σ = 0.6: the mean is e^(μ + σ²/2)
        unresolved=_clip(0.23 - 0.05 * fcr, 0.08, 0.42),
        csat_top2=_clip(0.865 + 0.035 * csat, 0.7, 0.98),
        promoters=_clip(0.54 + 0.07 * nps, 0.3, 0.85),
        detractors=_clip(0.16 - 0.04 * nps, 0.03, 0.35),
        qa_mean=88 + 2 * trait(),
        complaints=0.007 * math.exp(-0.35 * trait()),
        repair_hours=4.2 * math.exp(-0.25 * trait()),
        resolves=_clip(0.96 + 0.02 * trait(), 0.85, 0.995),
        kb_daily=_clip(0.06 + 0.025 * trait(), 0.01, 0.15),
        on_time=_clip(0.975 + 0.015 * trait(), 0.9, 0.998),
        saving=_clip(0.035 + 0.012 * trait(), 0.0, 0.07),
        asset_errors=0.0045 * math.exp(-0.4 * trait()),
        meeting_top2=_clip(0.91 + 0.035 * trait(), 0.7, 0.99),
    )


def _unanswered_share(seed: int, queue: str) -> float:
    """A queue's share of calls nobody answers, from how well it is staffed."""
    return _clip(random.Random(f"{seed}/queue/{queue}").gauss(0.095, 0.015), 0.05, 0.16)


def _times(rng: random.Random, day: date, count: int) -> list[datetime]:
    hours = rng.choices(range(8, 21), weights=_HOUR_WEIGHTS, k=count)
    return sorted(
        datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
        for hour in hours
    )


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


class _Writers:
    def __init__(self, folder: Path, period: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        # Every record id starts with the period's first month (2607…): records of two
        # periods never share an id, so importing both keeps both.
        self.period = period
        self.handles: dict[str, object] = {}
        self.writers: dict[str, object] = {}

    def id(self, letter: str, number: int, digits: int) -> str:
        return f"{letter}{self.period}{number:0{digits}d}"

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
TRANSCRIPT_HEADER = [
    "call_id", "turn", "speaker", "text", "start_seconds", "end_seconds", "agent_id",
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
    transcript_share: float = 0.1,
    key_visits: float = 0.97,
) -> tuple[list[Path], Counts]:
    """Write one CSV per source into ``folder``; returns the files and how many rows each.
    ``transcript_share`` of the answered calls have a transcript; ``key_visits`` is the
    chance that a key account is visited in the period (the demo's last quarter visits
    fewer, for the weight advice to notice)."""
    rng = random.Random(seed)
    talk = Talk(seed, transcript_share)
    calendar = calendar or BusinessCalendar()
    writers = _Writers(folder, first.strftime("%y%m"))
    counts = Counts()
    profiles = {person.number: _profile(person, seed) for person in staff}
    callers = [(s, profiles[s.number]) for s in staff if profiles[s.number].calls > 0]
    unanswered = {s.queue: _unanswered_share(seed, s.queue) for s, _profile in callers}
    share = sum(profile.calls for _person, profile in callers)
    # Enough customers that two calls from one are nearly always the same issue again.
    customers = max(10_000, round(share * calls_per_agent_day * 300))
    due: deque[tuple[date, str]] = deque()  # customers calling again, from the day they do
    again: defaultdict[date, list[str]] = defaultdict(list)  # the days they will
    call_number = ticket_number = survey_number = qa_number = 0
    for day, working in calendar.days(first, last):
        load = 1.0 if working else (0.35 if day.weekday() < 5 else 0.5)  # holidays are quietest
        due.extend((day, customer) for customer in again.pop(day, []))
        while due and due[0][0] < day - timedelta(days=5):
            due.popleft()  # waited too long; gave up or went elsewhere
        # Returning customers spread over the day's calls rather than queueing at the first.
        returning = min(1.0, len(due) / max(1.0, share * calls_per_agent_day * load))
        for agent, profile in callers:
            mean = calls_per_agent_day * profile.calls * load * rng.uniform(0.8, 1.2)
            for offered in _times(rng, day, _poisson(rng, mean)):
                call_number += 1
                call_id = writers.id("C", call_number, 9)
                if due and rng.random() < returning:
                    customer = due.popleft()[1]
                else:
                    customer = f"K{rng.randrange(customers):08d}"
                answered, ended, hold, wrap = _call(
                    rng, offered, unanswered[agent.queue], profile.talk_mu
                )
                writers.row("calls", CALL_HEADER, [
                    call_id, "inbound", agent.queue, agent.number if answered else "",
                    customer, _stamp(offered), _stamp(answered), _stamp(ended), hold, wrap,
                ])  # fmt: skip
                counts.calls += 1
                if answered is None:
                    if rng.random() < 0.5:
                        again[day + timedelta(days=1)].append(customer)
                    continue
                if rng.random() < profile.unresolved:
                    again[day + timedelta(days=rng.randint(1, 6))].append(customer)
                counts.transcripts += _transcript(writers, talk, call_id, agent, profile,
                                                  (ended - answered).total_seconds())  # fmt: skip
                if rng.random() < 0.18:
                    survey_number += 1
                    counts.surveys += _survey(
                        writers,
                        rng,
                        talk,
                        writers.id("S", survey_number, 9),
                        agent,
                        profile,
                        ended,
                        call_id,
                    )
                if rng.random() < profile.qa_chance:
                    qa_number += 1
                    counts.qa += _qa(writers, rng, qa_number, agent, profile, ended, call_id)
                if rng.random() < profile.complaints:
                    # Logged by the same customer as the call ends: complaint conversion
                    # traces it back to this call, tickets naming no call.
                    ticket_number += 1
                    counts.tickets += 1
                    _ticket(writers, rng, ticket_number, "complaint", customer, agent.number,
                            profile, ended)  # fmt: skip
            if agent.role != "tech" and rng.random() < 0.05:
                call_number += 1
                start = _times(rng, day, 1)[0]
                writers.row("calls", CALL_HEADER, [
                    writers.id("C", call_number, 9), "outbound", agent.queue, agent.number, "",
                    _stamp(start),
                    _stamp(start + timedelta(seconds=8)),
                    _stamp(start + timedelta(seconds=180)), 0, 20,
                ])  # fmt: skip
                counts.calls += 1
        if working:
            ticket_number = _back_office_day(
                writers, rng, talk, staff, profiles, day, ticket_number, counts
            )
    _accounts_and_visits(writers, rng, staff, first, last, counts, seed, key_visits)
    return writers.close(), counts


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:  # a normal approximation is plenty here, and much faster
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _call(
    rng: random.Random, offered: datetime, unanswered: float, talk_mu: float
) -> tuple[datetime | None, datetime, int, int]:
    if rng.random() < unanswered:  # not answered; a third of those hang up within 5 s
        wait = rng.uniform(0.5, 4.5) if rng.random() < 0.33 else rng.uniform(6, 180)
        return None, offered + timedelta(seconds=wait), 0, 0
    wait = min(rng.expovariate(1 / 15), 300)
    talk = min(max(rng.lognormvariate(talk_mu, 0.6), 20), 3600)
    answered = offered + timedelta(seconds=round(wait))
    hold = round(rng.uniform(0, 60)) if rng.random() < 0.2 else 0
    return answered, answered + timedelta(seconds=round(talk)), hold, round(rng.uniform(5, 60))


def _transcript(writers: _Writers, talk: Talk, call_id: str, agent: Staff, profile: _Profile,
                talk_seconds: float) -> int:  # fmt: skip
    turns = talk.transcript(profile.csat_top2, talk_seconds)
    for number, turn in enumerate(turns, start=1):
        writers.row("transcripts", TRANSCRIPT_HEADER, [
            call_id, number, turn.speaker, turn.text, turn.start, turn.end, agent.number,
        ])  # fmt: skip
    return len(turns)


def _survey(writers: _Writers, rng: random.Random, talk: Talk, survey_id: str, person: Staff,
            profile: _Profile, ended: datetime, call_id: str = "",
            ticket_id: str = "", kind: str = "") -> int:  # fmt: skip
    kind = kind or rng.choices(["csat", "nps", "ces"], weights=[6, 3, 1])[0]
    if kind == "csat":
        if rng.random() < profile.csat_top2:
            score = rng.choices([4, 5], weights=[4, 6])[0]
        else:
            score = rng.choices([1, 2, 3], weights=[2, 3, 10])[0]
    elif kind == "nps":
        draw = rng.random()
        if draw < profile.promoters:
            score = rng.choices([9, 10], weights=[25, 41])[0]
        elif draw < profile.promoters + profile.detractors:
            score = rng.choices(range(7), weights=[1, 1, 1, 1, 2, 2, 3])[0]
        else:
            score = rng.choices([7, 8], weights=[8, 15])[0]
    else:
        score = rng.choices(range(1, 8), weights=[30, 30, 15, 10, 7, 5, 3])[0]
    writers.row(
        "surveys",
        SURVEY_HEADER,
        [survey_id, kind, score, person.number,
         _stamp(ended + timedelta(minutes=rng.randrange(1, 120))), call_id, ticket_id,
         talk.comment(kind, score)],
    )  # fmt: skip
    return 1


def _qa(writers: _Writers, rng: random.Random, number: int, agent: Staff, profile: _Profile,
        ended: datetime, call_id: str) -> int:  # fmt: skip
    score = round(min(100, max(40, rng.gauss(profile.qa_mean, 5))), 1)
    writers.row(
        "qa",
        ["evaluation_id", "call_id", "agent_id", "evaluated_at", "score", "passed"],
        [writers.id("Q", number, 8), call_id, agent.number,
         _stamp(ended + timedelta(days=1)), score, 1 if score >= 80 else 0],
    )  # fmt: skip
    return 1


def _ticket(writers: _Writers, rng: random.Random, number: int, kind: str, customer: str,
            assignee: str, profile: _Profile, created: datetime) -> datetime | None:  # fmt: skip
    """Write one ticket; when it was resolved (None when still open)."""
    resolved = None
    if kind == "complaint":
        # Complaints run on a 2-hour response promise and are all seen through.
        response: datetime | None = created + timedelta(minutes=min(rng.expovariate(1 / 25), 115))
        resolved = created + timedelta(hours=rng.expovariate(1 / 14))
    else:
        response = (
            created + timedelta(minutes=rng.expovariate(1 / 50)) if rng.random() < 0.97 else None
        )
        if rng.random() < profile.resolves:
            mean = profile.repair_hours if kind == "incident" else 6
            resolved = created + timedelta(hours=rng.expovariate(1 / mean))
    if response is not None and resolved is not None and resolved < response:
        resolved = response + timedelta(minutes=5)
    writers.row(
        "tickets",
        ["ticket_id", "kind", "customer_id", "assignee_id", "created_at", "first_response_at",
         "resolved_at"],
        [writers.id("T", number, 8), kind, customer, assignee, _stamp(created), _stamp(response),
         _stamp(resolved)],
    )  # fmt: skip
    return resolved


def _back_office_day(
    writers: _Writers,
    rng: random.Random,
    talk: Talk,
    staff: list[Staff],
    profiles: dict[str, _Profile],
    day: date,
    ticket_number: int,
    counts: Counts,
) -> int:
    for person in staff:
        profile = profiles[person.number]
        if person.role == "tech":
            for moment in _times(rng, day, _poisson(rng, 3)):
                ticket_number += 1
                counts.tickets += 1
                kind = "incident" if rng.random() < 0.6 else "request"
                customer = f"K{rng.randrange(5000):07d}"
                resolved = _ticket(writers, rng, ticket_number, kind, customer, person.number,
                                   profile, moment)  # fmt: skip
                if resolved is not None and rng.random() < 0.25:
                    counts.surveys += _survey(
                        writers, rng, talk, writers.id("R", ticket_number, 9), person, profile,
                        resolved,
                        ticket_id=writers.id("T", ticket_number, 8), kind="csat",
                    )  # fmt: skip
            if rng.random() < profile.kb_daily:
                counts.kb_updates += 1
                writers.row("kb_updates", ["update_id", "article_id", "author_id", "updated_at"], [
                    writers.id("U", counts.kb_updates, 7), f"KB{rng.randrange(300):04d}",
                    person.number, _stamp(_times(rng, day, 1)[0]),
                ])  # fmt: skip
        elif person.role in ("admin", "buyer"):
            # Buyers place most orders; the administration staff order for their own areas.
            if rng.random() < (0.5 if person.role == "buyer" else 0.25):
                counts.purchases += 1
                _purchase(writers, rng, counts.purchases, person, profile, day)
            if rng.random() < 0.08:
                counts.asset_checks += 1
                checked = rng.randrange(50, 300)
                writers.row("asset_checks", ["check_id", "employee_id", "checked_at",
                                             "assets_checked", "discrepancies"], [
                    writers.id("A", counts.asset_checks, 6), person.number,
                    _stamp(_times(rng, day, 1)[0]),
                    checked, sum(rng.random() < profile.asset_errors for _ in range(checked)),
                ])  # fmt: skip
            if rng.random() < 0.5:
                counts.surveys += 1
                if rng.random() < profile.meeting_top2:
                    score = rng.choices([4, 5], [4, 5])[0]
                else:
                    score = rng.choices([2, 3], [1, 2])[0]
                writers.row(
                    "surveys",
                    SURVEY_HEADER,
                    [writers.id("M", counts.surveys, 9), "meeting", score, person.number,
                     _stamp(_times(rng, day, 1)[0]), "", "", talk.comment("meeting", score)],
                )  # fmt: skip
    return ticket_number


def _purchase(writers: _Writers, rng: random.Random, number: int, buyer: Staff,
              profile: _Profile, day: date) -> None:  # fmt: skip
    ordered = _times(rng, day, 1)[0]
    promised = ordered + timedelta(days=rng.randrange(3, 10))
    if rng.random() < profile.on_time:
        delivered = promised - timedelta(hours=rng.uniform(0, 72))
    else:
        delivered = promised + timedelta(hours=rng.uniform(2, 96))
    budget = round(rng.uniform(500, 20000), 2)
    writers.row("purchases", ["order_id", "buyer_id", "ordered_at", "promised_at",
                              "delivered_at", "budget_amount", "actual_amount"], [
        writers.id("P", number, 7), buyer.number, _stamp(ordered), _stamp(promised),
        _stamp(max(delivered, ordered + timedelta(hours=1))), budget,
        round(budget * (1 - profile.saving + rng.uniform(-0.03, 0.03)), 2),
    ])  # fmt: skip


def _accounts_and_visits(writers: _Writers, rng: random.Random, staff: list[Staff],
                         first: date, last: date, counts: Counts, seed: int,
                         key_visits: float) -> None:  # fmt: skip
    owners = [s for s in staff if s.role in ("director", "lead")]
    span = (last - first).days + 1
    for owner in owners:
        for _index in range(12 if owner.role == "director" else 8):
            counts.accounts += 1
            account = f"KA{counts.accounts:05d}"
            # An account is a key account or not whatever the period: the account list is a
            # snapshot, which every period's import replaces.
            key = random.Random(f"{seed}/account/{account}").random() < 0.6
            writers.row(
                "accounts",
                ["account_id", "name", "key_account", "owner_id"],
                [account, f"示例客户{counts.accounts}", 1 if key else 0, owner.number],
            )
            if rng.random() < (key_visits if key else 0.5):
                counts.visits += 1
                visited = first + timedelta(days=rng.randrange(span))
                writers.row("visits", ["visit_id", "account_id", "employee_id", "visited_at"], [
                    writers.id("V", counts.visits, 6), account, owner.number, f"{visited} 10:00:00",
                ])  # fmt: skip


def sources_in_order(files: list[Path]) -> Iterator[tuple[str, Path]]:
    """The generated files with their source names, accounts before visits."""
    order = ["accounts", "visits", "calls", "transcripts", "tickets", "surveys", "qa",
             "purchases", "asset_checks", "kb_updates"]  # fmt: skip
    by_name = {path.stem: path for path in files}
    for name in order:
        if name in by_name:
            yield name, by_name[name]
