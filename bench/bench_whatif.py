"""Benchmark: the what-if simulator on 20,000 appraisals.

Target (issue 14): 20,000 people recomputed in about a second — the scoring core's speed —
because a run reads every appraisal's stored inputs in bulk and parses the changed scheme
once.

The organisation is bench_cycle's (20,000 people, teams of forty under a lead), built in a
home of its own. Its cycle is finished: every appraisal has level ratings, a frozen
snapshot of its data (varied person by person, as after the manager's review) and a
locked result. A second cycle of the same people is left running and not yet frozen, with
the ratings entered so far: its values are read as scoring reads them now (the period's
metrics in one query, the incidents and 360 reviews person by person).

Timed in-process: the run alone (``simulate``: read, score everyone under the changed
agent scheme, keep the others' figures), its summary, and the result page as HR opens it
(run, summary and the first page of people, with the cache emptied first). Medians over
rounds; the figures go in docs/benchmarks.md.
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

cycle.HOME = cycle.ROOT / "var" / "bench" / "whatif-home"
FINISHED, RUNNING = "bench 0", "bench running"


def prepare() -> None:
    fresh = cycle.setup(20_000, reuse=True)
    if not fresh:
        return
    started = time.perf_counter()
    cycle.launch_rounds(1)
    cycle.store_metrics()
    finished()
    running()
    (cycle.HOME / "built").touch()
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def _ratings(appraisal, strength: float, rng: random.Random) -> dict[str, str]:
    from kaohe.appraisals.actions import manual_inputs
    from kaohe.core import InputKind

    scheme = appraisal.version.scheme()
    found = {}
    for name in manual_inputs(appraisal):
        level = min(5, max(1, round(1 + 4 * strength + rng.gauss(0, 0.6))))
        found[name] = str(level) if scheme.inputs[name].kind is InputKind.LEVEL else "1"
    return found


def finished() -> None:
    """Ratings, a varied frozen snapshot and a locked result (scored, with its grade and
    pay) for everyone: the cycle as it stands once closed."""
    from django.db import transaction
    from django.utils import timezone

    from kaohe.appraisals.inputs import freeze
    from kaohe.appraisals.models import Appraisal, Result
    from kaohe.core import score

    rng = random.Random(11)
    appraisals = list(Appraisal.objects.select_related("version", "employee", "cycle"))
    samples = {}
    for appraisal in appraisals:
        if appraisal.version_id not in samples:
            samples[appraisal.version_id] = freeze(appraisal, appraisal.version.scheme())
    now, results = timezone.now(), []
    for appraisal in appraisals:
        scheme = appraisal.version.scheme()
        strength = rng.random()
        frozen = {}
        for name, data in samples[appraisal.version_id].items():
            value = Decimal(str(data["value"])) * Decimal(0.85 + 0.3 * strength)
            frozen[name] = {**data, "value": str(round(_within(scheme.inputs[name], value), 2))}
        appraisal.frozen_inputs, appraisal.data_cutoff = frozen, now
        appraisal.ratings = _ratings(appraisal, strength, rng)
        appraisal.state, appraisal.base_pay = "closed", Decimal(3000)
        values = {k: v["value"] for k, v in frozen.items()} | appraisal.ratings
        scored = score(scheme, values, appraisal.base_pay)
        if scored.total is not None:
            outcome = scheme.grades.outcome(scored.total, appraisal.base_pay)
            results.append(Result(appraisal=appraisal, number=1, total=outcome.total,
                                  grade=outcome.grade.grade, coefficient=outcome.coefficient,
                                  pay=outcome.pay))  # fmt: skip
    with transaction.atomic():
        Appraisal.objects.bulk_update(
            appraisals, ["frozen_inputs", "data_cutoff", "ratings", "state", "base_pay"],
            batch_size=2_000,
        )  # fmt: skip
        Result.objects.bulk_create(results, batch_size=2_000)


def _within(spec, value: Decimal) -> Decimal:
    """The value kept inside the input's range (a rate at most 100 %)."""
    from kaohe.core import InputKind

    highest = Decimal(100) if spec.kind is InputKind.PERCENT else spec.maximum
    return value if highest is None else min(value, highest)


def running() -> None:
    """The same people in a second cycle, under way: ratings entered, nothing frozen."""
    from django.contrib.auth import get_user_model

    from kaohe.appraisals.actions import CycleData, do_create_cycle
    from kaohe.appraisals.launch import start_launch
    from kaohe.appraisals.models import Appraisal
    from kaohe.org.models import Department

    hr = get_user_model().objects.get(username="hr")
    root = Department.objects.get(path="企服部")
    made = do_create_cycle(hr, CycleData(RUNNING, "2026-Q3", [root]))
    start_launch(made, wait=True)
    rng = random.Random(12)
    appraisals = list(Appraisal.objects.filter(cycle=made).select_related("version"))
    for appraisal in appraisals:
        appraisal.ratings = _ratings(appraisal, rng.random(), rng)
        appraisal.state, appraisal.base_pay = "in_progress", Decimal(3000)
    Appraisal.objects.bulk_update(appraisals, ["ratings", "state", "base_pay"], batch_size=2_000)


def changed_text(version) -> str:
    """The agent scheme with performance weighed 70 % (capability 10 %), a stricter answer
    rate, B from 82 and A paid 1.3."""
    import yaml

    from kaohe.schemes.form.ops import grades_data

    data = yaml.safe_load(version.text)
    weights = {"performance": 70, "capability": 10, "attitude": 20}
    for dimension in data["dimensions"]:
        dimension["weight"] = weights.get(dimension["id"], dimension["weight"])
        for indicator in dimension["indicators"]:
            if indicator["id"] == "answer_rate":
                indicator["rule"]["tiers"][0]["min"] = 94
    data["grades"] = grades_data()
    data["grades"][0]["coefficient"] = 1.3
    data["grades"][1]["min"] = 82
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def agent_version(name: str):
    from kaohe.appraisals.models import Appraisal, Cycle

    found = Cycle.objects.get(name=name)
    pk = (
        Appraisal.objects.filter(cycle=found, employee__number__startswith="A")
        .values_list("version_id", flat=True)
        .first()
    )
    from kaohe.schemes.models import SchemeVersion

    return found, SchemeVersion.objects.get(pk=pk)


def time_run(name: str, rounds: int) -> tuple[list[float], list[float], list[float], int]:
    """Wall-clock seconds of each run, CPU seconds of each (which the machine's other load
    inflates far less), the summary's seconds, and the people scored again."""
    from kaohe.appraisals.models import Appraisal
    from kaohe.insights.whatif import read_change, simulate, summarise

    found, version = agent_version(name)
    text = changed_text(version)
    runs, cpu, summaries, people = [], [], [], 0
    for _round in range(rounds):
        started, used = time.perf_counter(), time.process_time()
        scheme = read_change(text, version).scheme
        assert scheme is not None
        run = simulate(Appraisal.objects.filter(cycle=found), found, version, scheme)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
        started = time.perf_counter()
        summary = summarise(run, found)
        summaries.append(time.perf_counter() - started)
        people = summary.changed
    return runs, cpu, summaries, people


def time_core(rounds: int) -> list[float]:
    """The scoring core alone on the same people's values, already read: the floor a run
    cannot go below, measured in the same minutes as the run (these machines are noisy)."""
    from kaohe.appraisals.models import Appraisal
    from kaohe.core import score
    from kaohe.insights.whatif import inputs, read_change

    found, version = agent_version(FINISHED)
    scheme = read_change(changed_text(version), version).scheme
    assert scheme is not None
    appraisals = Appraisal.objects.filter(cycle=found)
    stored = inputs.stored_inputs(appraisals, version.pk, [scheme])
    everyone = [p for p in inputs.people(appraisals) if p.version_id == version.pk]
    live = inputs.LiveValues(found)
    values = [
        (inputs.values_of(stored[p.appraisal_id], p, scheme, live), p.base_pay) for p in everyone
    ]
    seconds = []
    for _round in range(rounds):
        started = time.perf_counter()
        for given, base_pay in values:
            score(scheme, given, base_pay)
        seconds.append(time.perf_counter() - started)
    return seconds


def time_page(rounds: int) -> list[float]:
    """The result page from a cold cache, as HR's browser posts the edited scheme."""
    from django.core.cache import cache

    found, version = agent_version(FINISHED)
    client = cycle.client_for("hr")
    path = f"/insights/what-if/new/{found.pk}/{version.pk}/run/"
    seconds = []
    for _round in range(rounds):
        cache.clear()
        started = time.perf_counter()
        answer = client.post(path, {"text": changed_text(version), "mode": "yaml"})
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.status_code
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--live-rounds", type=int, default=3)
    args = parser.parse_args()
    prepare()
    print(
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {cycle.database_name()}; "
        f"load average {os.getloadavg()[0]:.1f} before the run",
        flush=True,
    )
    runs, cpu, summaries, people = time_run(FINISHED, args.rounds)
    print(f"what-if on the finished cycle ({people:,} people under the changed scheme, frozen)")
    print(
        f"  the run: median {statistics.median(runs):.2f} s "
        f"(min {min(runs):.2f}, max {max(runs):.2f}; target about 1 s), CPU "
        f"{statistics.median(cpu):.2f} s; load average {os.getloadavg()[0]:.1f}"
    )
    core = time_core(args.rounds)
    print(
        f"  the scoring core alone on the same values: median {statistics.median(core):.2f} s; "
        f"the run is {statistics.median(runs) / statistics.median(core):.2f}× it"
    )
    print(f"  its summary: median {statistics.median(summaries) * 1000:.0f} ms", flush=True)
    page = time_page(max(3, args.rounds // 2))
    print(f"  the result page, cold: median {statistics.median(page):.2f} s", flush=True)
    runs, cpu, _summaries, people = time_run(RUNNING, args.live_rounds)
    print(f"what-if on the running cycle ({people:,} people, none frozen: read live)")
    print(
        f"  the run: median {statistics.median(runs):.2f} s, CPU {statistics.median(cpu):.2f} s; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
