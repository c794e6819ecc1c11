"""Benchmark: results at scale — a calibration session, the rater checks, the pay list.

Targets (issue 11): a calibration session over 2,000 people renders in under 500 ms at the
95th percentile; the rater-bias statistics for 20,000 appraisals by 500 raters take under
2 s; the pay list XLSX for 20,000 results is written in under 10 s.

The organisation is bench_cycle's (20,000 people, teams of forty under a lead), built in a
home of its own so that the other benchmarks' database is left as it was. Every appraisal
is given level ratings and a frozen snapshot of its data (so that its KPI attainment
varies), as after the manager's review; a session is opened over five centres (2,050
people, all at calibration); everyone else gets a locked result for the pay list.
The session page is timed in-process with Django's test client (signed in as HR), after a
first, cold render that fills the cycle's rater-check cache. Medians and the 95th
percentile over rounds; the figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cycle as cycle  # the organisation and its helpers

cycle.HOME = cycle.ROOT / "var" / "bench" / "results-home"
CENTRES = 5  # of ten teams of 41: 2,050 people in the session


def prepare() -> int:
    """The database as the benchmark needs it; the session's id."""
    fresh = cycle.setup(20_000, reuse=True)
    if fresh:
        cycle.launch_rounds(1)
        cycle.store_metrics()
        reviewed()
        (cycle.HOME / "built").touch()
    from kaohe.calibration.models import Session

    session = Session.objects.first()
    assert session is not None
    return session.pk


def reviewed() -> None:
    """Ratings and a frozen data snapshot for everyone; the first five centres at
    calibration in one session; a locked result for everyone else."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from kaohe.appraisals.actions import manual_inputs
    from kaohe.appraisals.inputs import freeze
    from kaohe.appraisals.models import Appraisal, Cycle, Result
    from kaohe.calibration.actions import GuidelineInput, SessionData, do_open_session
    from kaohe.core import InputKind
    from kaohe.org.models import Department

    rng = random.Random(11)
    appraisals = list(Appraisal.objects.select_related("version", "employee", "cycle"))
    samples = {}
    for appraisal in appraisals:
        if appraisal.version_id not in samples:
            samples[appraisal.version_id] = freeze(appraisal, appraisal.version.scheme())
    centres = {f"企服部/中心{n:03d}" for n in range(CENTRES)}
    now = timezone.now()
    with transaction.atomic():
        for appraisal in appraisals:
            scheme = appraisal.version.scheme()
            strength = rng.random()
            frozen = {}
            for name, data in samples[appraisal.version_id].items():
                value = Decimal(str(data["value"])) * Decimal(0.85 + 0.3 * strength)
                frozen[name] = {**data, "value": str(round(value, 2))}
            ratings = {}
            for name in manual_inputs(appraisal):
                kind = scheme.inputs[name].kind
                level = min(5, max(1, round(1 + 4 * strength + rng.gauss(0, 0.6))))
                ratings[name] = str(level) if kind is InputKind.LEVEL else "1"
            appraisal.frozen_inputs, appraisal.ratings = frozen, ratings
            appraisal.self_ratings = ratings
            appraisal.data_cutoff = now
            in_session = appraisal.employee.department.path.rsplit("/", 1)[0] in centres
            appraisal.state = "calibration" if in_session else "closed"
            appraisal.base_pay = Decimal(3000)
        Appraisal.objects.bulk_update(
            appraisals,
            ["frozen_inputs", "ratings", "self_ratings", "data_cutoff", "state", "base_pay"],
            batch_size=2_000,
        )
        Result.objects.bulk_create(
            [
                Result(appraisal=a, number=1, total=Decimal(rng.randint(5500, 9900)) / 100,
                       grade="B", coefficient=Decimal("1.000"), pay=Decimal("3000.00"))
                for a in appraisals
                if a.state == "closed"
            ],
            batch_size=2_000,
        )  # fmt: skip
    hr = get_user_model().objects.get(username="hr")
    roots = Department.objects.filter(path__in=centres).values_list("pk", flat=True)
    cycle_id = Cycle.objects.get().pk
    do_open_session(
        hr,
        SessionData(
            cycle_id=cycle_id, name="bench", department_ids=tuple(roots),
            guideline=GuidelineInput("A 10-20, B 20-30, C 30-50, D 5-15, E 0-10"),
        ),
    )  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_session(session_id: int, rounds: int) -> tuple[float, list[float]]:
    from django.core.cache import cache

    client = cycle.client_for("hr")
    cache.clear()
    started = time.perf_counter()
    first = client.get(f"/calibration/{session_id}/")
    cold = time.perf_counter() - started
    assert first.status_code == 200, first.status_code
    warm = []
    for _round in range(rounds):
        started = time.perf_counter()
        answer = client.get(f"/calibration/{session_id}/?sort=total&dir=desc")
        warm.append(time.perf_counter() - started)
        assert answer.status_code == 200
    return cold, warm


def time_bias(rounds: int) -> list[float]:
    """The statistics alone, for 20,000 appraisals by 500 raters of 40."""
    from kaohe.analytics import RatedAppraisal, rater_bias

    rng = random.Random(3)
    people = []
    for index in range(20_000):
        strength = rng.random()
        ratings = {item: min(5, max(1, round(1 + 4 * strength + rng.gauss(0, 0.7))))
                   for item in ("skill", "collaboration", "initiative")}  # fmt: skip
        people.append(RatedAppraisal(index, index % 500, ratings, kpi=strength,
                                     self_ratings={"skill": ratings["skill"]}))  # fmt: skip
    seconds = []
    for _round in range(rounds):
        started = time.perf_counter()
        rater_bias(people)
        seconds.append(time.perf_counter() - started)
    return seconds


def time_cycle_bias() -> float:
    """The same from the database: load and score every rated appraisal of the cycle."""
    from django.core.cache import cache

    from kaohe.appraisals.models import Cycle
    from kaohe.calibration.board import cycle_bias

    cache.clear()
    started = time.perf_counter()
    report = cycle_bias(Cycle.objects.get())
    assert len(report.raters) >= 400
    return time.perf_counter() - started


def time_xlsx(rounds: int) -> tuple[list[float], int]:
    from django.contrib.auth import get_user_model

    from kaohe.appraisals.models import Cycle, Result
    from kaohe.pay.actions import do_export_pay_list

    hr = get_user_model().objects.get(username="hr")
    cycle_id = Cycle.objects.get().pk
    seconds, size = [], 0
    for _round in range(rounds):
        started = time.perf_counter()
        exported = do_export_pay_list(hr, cycle_id, "xlsx", "zh")
        seconds.append(time.perf_counter() - started)
        size = len(exported.data)
    results = Result.objects.count()
    return seconds, results if size else 0


def time_xlsx_alone(rows: int, rounds: int) -> list[float]:
    """Writing the workbook alone, for exactly ``rows`` results."""
    from datetime import datetime

    from kaohe.appraisals.models import Cycle
    from kaohe.pay.exports import Heading, xlsx
    from kaohe.pay.paylist import PayList, PayRow

    made = [
        PayRow(i, f"A{i:06d}", f"坐席{i}", "组0001", "客服专员", "cs-agent v1",
               Decimal("84.25"), "B", Decimal("1.000"), Decimal("3000.00"), Decimal("3000.00"),
               1, "", True)
        for i in range(rows)
    ]  # fmt: skip
    paylist = PayList(Cycle.objects.get(), made)
    heading = Heading("bench", "2026-Q3", datetime(2026, 12, 1), "HR", 1)
    seconds = []
    for _round in range(rounds):
        started = time.perf_counter()
        xlsx(paylist, heading, "zh")
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    session_id = prepare()
    print(
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {cycle.database_name()}; "
        f"load average {os.getloadavg()[0]:.1f} before the run",
        flush=True,
    )
    from kaohe.calibration.models import Member

    people = Member.objects.filter(session_id=session_id).count()
    cold, warm = time_session(session_id, args.rounds)
    print(f"calibration session page, {people:,} people, {args.rounds} renders")
    print(f"  first (cold: the cycle's rater checks computed): {cold * 1000:.0f} ms")
    print(
        f"  after: median {statistics.median(warm) * 1000:.0f} ms, "
        f"p95 {percentile(warm, 0.95) * 1000:.0f} ms (target p95 < 500 ms)",
        flush=True,
    )
    bias = time_bias(5)
    print(
        f"rater checks, 20,000 appraisals by 500 raters: median {statistics.median(bias):.2f} s "
        f"(target < 2 s)"
    )
    print(f"  from the database (load and score the cycle): {time_cycle_bias():.1f} s", flush=True)
    alone = time_xlsx_alone(20_000, 3)
    print(
        f"pay list XLSX, 20,000 rows written: median {statistics.median(alone):.1f} s "
        f"(target < 10 s)"
    )
    exported, results = time_xlsx(3)
    print(
        f"  the whole export from the database ({results:,} results, recorded and audited): "
        f"median {statistics.median(exported):.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
