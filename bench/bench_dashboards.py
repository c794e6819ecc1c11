"""Benchmark: the dashboards at 20,000 people and a year of metric values.

Target (issue 13): each dashboard loads in under 300 ms at the 95th percentile.

The organisation is bench_cycle's (20,000 people, teams of forty under a lead, centres of
ten teams), built in a home of its own. On top of it: twelve months of stored metric values
(2025-10 … 2026-09) with numerators and denominators for every person and KPI, and the
organisation's figures — 2.2 million rows; a finished cycle (2026-Q2, every appraisal
closed with a locked result, so the leaders see its grades, heatmap and budget) and a
running one (2026-Q3, spread over the workflow's stages). An executive account reads the
whole organisation.

Each dashboard is timed in-process with Django's test client, signed in as the person it is
for: a first, cold request after the cache is emptied (it builds the figures and keeps them
until the next import or result), then warm rounds. Medians and the 95th percentile; the
figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cycle as cycle  # the organisation and its helpers

cycle.HOME = cycle.ROOT / "var" / "bench" / "dashboards-home"
MONTHS = [f"2025-{m:02d}" for m in (10, 11, 12)] + [f"2026-{m:02d}" for m in range(1, 10)]
# (metric, subject type, value range, denominator range); RATE-like values are 100 × n ÷ d.
KPIS = [
    ("answer_rate", "agent_queues", (85, 98), (300, 600)),
    ("service_level_20s", "agent_queues", (65, 90), (300, 600)),
    ("aht_seconds", "employee", (300, 480), (300, 600)),
    ("fcr_rate", "employee", (70, 90), (300, 600)),
    ("csat_rate", "employee", (80, 98), (40, 90)),
    ("ces_mean", "employee", (1.5, 3.5), (20, 50)),
    ("nps", "employee", (10, 60), (20, 50)),
    ("qa_pass_rate", "employee", (80, 100), (8, 20)),
    ("complaint_resolution_rate", "employee", (90, 100), (1, 6)),
]
MEANS = {"aht_seconds", "ces_mean"}
DASHBOARDS = [
    ("exec", "/dashboard/leaders/", "leaders, executive (the whole organisation)"),
    ("director", "/dashboard/leaders/", "leaders, the director (19,967 people below)"),
    ("lead", "/dashboard/team/", "team, a lead (40 reports)"),
    ("agent", "/dashboard/mine/", "mine, an agent"),
    ("hr", "/dashboard/hr/", "HR's, whole organisation"),
    ("hr-centre", "/dashboard/hr/", "HR's, one centre"),
]


def prepare() -> None:
    fresh = cycle.setup(20_000, reuse=True)
    if not fresh:
        return
    started = time.perf_counter()
    executive()
    cycle.launch_rounds(1)
    cycle.store_metrics()  # the running quarter's values the schemes read
    cycle.move_the_cycle_along()
    finish_as_history()
    cycle.launch_rounds(1)
    spread_the_running_cycle()
    a_year_of_metrics()
    (cycle.HOME / "built").touch()
    print(f"built in {time.perf_counter() - started:.0f} s")


def executive() -> None:
    from django.contrib.auth import get_user_model

    from kaohe.org.models import AccessGrant, GrantRole

    user = get_user_model().objects.create_user("exec", password=cycle.PASSWORD)
    AccessGrant.objects.create(user=user, role=GrantRole.EXECUTIVE)


def finish_as_history() -> None:
    """The first cycle becomes 2026-Q2, every appraisal closed with a locked result."""
    from django.db import transaction

    from kaohe.appraisals.models import Appraisal, Cycle, Result

    rng = random.Random(13)
    first = Cycle.objects.get()
    trace = Result.objects.filter(appraisal__cycle=first).values_list("trace", flat=True).first()
    with transaction.atomic():
        Cycle.objects.filter(pk=first.pk).update(period="2026-Q2", name="bench 2026-Q2")
        without = Appraisal.objects.filter(cycle=first, results__isnull=True)
        grades = [("A", 92), ("B", 84), ("C", 75), ("D", 65), ("E", 55)]
        Result.objects.bulk_create(
            [Result(appraisal_id=pk, number=1, total=Decimal(points + rng.randint(0, 6)),
                    grade=grade, coefficient=Decimal("1.000"), pay=Decimal("3000.00"),
                    trace=trace or {})
             for pk in without.values_list("pk", flat=True)
             for grade, points in [rng.choices(grades, weights=[10, 30, 40, 15, 5])[0]]],
            batch_size=2_000,
        )  # fmt: skip
        Appraisal.objects.filter(cycle=first).update(state="closed", base_pay=Decimal(3000))


def spread_the_running_cycle() -> None:
    """The new cycle's appraisals over the stages before a locked result."""
    from django.db import transaction

    from kaohe.appraisals.models import Appraisal, Cycle

    running = Cycle.objects.order_by("-pk").first()
    assert running is not None
    rng = random.Random(17)
    states = [s for s in cycle.STATE_MIX if s not in cycle.WITH_RESULT]
    weights = [cycle.STATE_MIX[s] for s in states]
    ids = list(Appraisal.objects.filter(cycle=running).values_list("pk", flat=True))
    by_state: dict[str, list[int]] = {s: [] for s in states}
    for pk, state in zip(ids, rng.choices(states, weights=weights, k=len(ids)), strict=True):
        by_state[state].append(pk)
    with transaction.atomic():
        for state, pks in by_state.items():
            for start in range(0, len(pks), 900):
                Appraisal.objects.filter(pk__in=pks[start : start + 900]).update(state=state)


def a_year_of_metrics() -> None:
    from kaohe.data.models import MetricRecord, MetricRun
    from kaohe.org.models import Employee

    rng = random.Random(23)
    numbers = list(Employee.objects.values_list("number", flat=True))
    for month in MONTHS:
        run = MetricRun.objects.create(period=month)
        records = []
        for metric, subject_type, (low, high), (few, many) in KPIS:
            for number in numbers:
                value = rng.uniform(low, high)
                base = rng.randint(few, many)
                numerator = value * base if metric in MEANS else value * base / 100
                records.append(MetricRecord(
                    run=run, subject_type=subject_type, subject=number, metric=metric,
                    numerator=numerator, denominator=base, value=value,
                ))  # fmt: skip
            records.append(MetricRecord(run=run, subject_type="org", subject="org",
                                        metric=metric, value=(low + high) / 2))  # fmt: skip
        MetricRecord.objects.bulk_create(records, batch_size=5_000)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_dashboard(username: str, path: str, rounds: int) -> tuple[float, list[float]]:
    from django.core.cache import cache

    client = cycle.client_for(username)
    cache.clear()
    started = time.perf_counter()
    first = client.get(path)
    cold = time.perf_counter() - started
    assert first.status_code == 200, (path, first.status_code)
    warm = []
    for _round in range(rounds):
        started = time.perf_counter()
        answer = client.get(path)
        warm.append(time.perf_counter() - started)
        assert answer.status_code == 200
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    prepare()
    from kaohe.data.models import MetricRecord

    print(f"{platform.python_version()}, {cycle.database_name()}, "
          f"{MetricRecord.objects.count():,} metric values")  # fmt: skip
    for username, path, label in DASHBOARDS:
        cold, warm = time_dashboard(username, path, args.rounds)
        p50, p95 = statistics.median(warm) * 1000, percentile(warm, 0.95) * 1000
        print(f"{label}: cold {cold * 1000:.0f} ms; warm p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"({p95 / 300:.2f}× the 300 ms limit)")  # fmt: skip


if __name__ == "__main__":
    main()
